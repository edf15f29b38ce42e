"""Benchmark: the feature step at about 1 million and 10 million posts.

Prints, at both sizes, the wall seconds (reading the inputs and building the feature
tables, each), the CPU seconds and the load average (the machine may be shared: CPU
seconds vary less than wall seconds), posts per second and the peak memory with the line
of ``src/features`` where it occurred, so the growth with size shows. Targets: the
10-million-post year in at most 60 s and 8 GB on the project's 2-core machine.
Printed, not asserted.

The step is measured as ``notebooks/02_features.ipynb`` runs it:
:func:`src.features.read_feature_inputs` (only the columns the step uses, account ids as
codes) and the previous year's interactions and posting accounts (the simulated world
has one year: its own files stand in, at the same size), then
:func:`src.features.build_feature_tables` (the combined and the per-platform tables).
The input is the simulated world (src/simulate) scaled up with
``SimulationSize.preset("standard").scaled(factor)``; ``simulate_year`` gives the year's
nominee posts and the audience's reposts, replies and quotes, which become the canonical
``posts``, ``interactions``, ``accounts`` and ``nominees`` tables directly (no raw JSON
is written). They are built once in a child process and cached as Parquet under
``$NHS_INFLUENCE_BENCH_DIR`` (default: a folder under the system temp directory); each
measurement runs in a fresh child process, so its peak memory (ru_maxrss) is its own.
Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_features.py [--sizes N ...]``
(``--sizes 1000000`` alone takes about a minute).

One file of about 440 lines on purpose: ``make bench`` runs every script in
``benchmarks/``, so the builder of the simulated input (:func:`canonical_tables`) lives
here rather than in a module of its own beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1_000_000, 10_000_000)
BASE_POSTS = 47_000  #: posts + events of the standard world, roughly (calibrated below)
#: The targets at 10 million posts (GB: 10^9 bytes; GiB are printed too).
TARGET_SECONDS, TARGET_GB = 60.0, 8.0


def bench_dir() -> Path:
    return Path(
        os.environ.get(
            "NHS_INFLUENCE_BENCH_DIR", Path(tempfile.gettempdir()) / "nhs-influence-bench"
        )
    )


def _simulate(factor: float):
    import numpy as np

    from src.simulate.events import simulate_year
    from src.simulate.world import (
        SimulationSize,
        make_audience,
        make_people,
        nominees_for_year,
        panel_decisions,
    )

    size = SimulationSize.preset("standard").scaled(factor)
    rng = np.random.default_rng(7)
    people, audience = make_people(size, rng), make_audience(size, rng)
    nominees = panel_decisions(nominees_for_year(people, size, 2024, 1, rng), size, rng)
    return (
        nominees,
        audience,
        simulate_year(
            nominees, audience, size.window_days, 2024, rng, activity_scale=size.activity_scale
        ),
    )


def canonical_tables(nominees, audience, activity) -> dict:
    """The canonical tables of a simulated year (X only; engagers under ``anon:`` ids)."""
    import numpy as np
    import pandas as pd

    from src.schemas import UTC_TIME
    from src.simulate.events import CHAT_TAG

    posts, events = activity.posts, activity.events
    nominee_account = ("x:" + nominees["x_user_id"].astype(str)).to_numpy(dtype=object)
    audience_account = ("anon:" + audience["x_user_id"].astype(str)).to_numpy(dtype=object)
    author = posts["author"].to_numpy()
    n_posts, n_events = len(posts), len(events)
    post_ids = ("x:" + posts["tweet_id"].astype(str)).to_numpy(dtype=object)
    ref = posts["referenced_tweet"].to_numpy(dtype=object)
    referenced = np.array(
        [None if r is None or r is pd.NA else f"x:{r}" for r in ref], dtype=object
    )
    target_nominee = posts["target_nominee"].to_numpy()
    target_audience = posts["target_audience"].to_numpy()
    aimed_at = np.where(
        target_nominee >= 0,
        nominee_account[np.maximum(target_nominee, 0)],
        audience_account[np.maximum(target_audience, 0)],
    )
    kind = posts["kind"].to_numpy(dtype=object)
    aimed_at[kind == "original"] = None  # an original is aimed at nobody
    empty: list = []
    tag_of = {c: [t] for c, t in CHAT_TAG.items()}
    category = nominees["category"].to_numpy()

    def same(value: list, n: int) -> np.ndarray:
        """``n`` references to one list (one object, not n copies)."""
        out = np.empty(n, dtype=object)
        out.fill(value)
        return out

    hashtags = same(empty, n_posts)
    tagged = posts["hashtag_count"].to_numpy() > 0
    hashtags[tagged] = same(["NHS"], int(tagged.sum()))
    chat_rows = np.flatnonzero(posts["chat"].to_numpy())
    for row in chat_rows:
        hashtags[row] = tag_of[category[author[row]]]
    event_post = events["post"].to_numpy()
    seconds = np.concatenate([posts["created"].to_numpy(), events["created"].to_numpy()]).astype(
        "int64"
    )
    frame = pd.DataFrame(
        {
            "post_id": np.concatenate(
                [post_ids, ("x:" + events["tweet_id"].astype(str)).to_numpy(dtype=object)]
            ),
            "account_id": np.concatenate(
                [nominee_account[author], audience_account[events["engager"].to_numpy()]]
            ),
            "platform": "x",
            "created_at": pd.to_datetime(seconds, unit="s", utc=True).astype(UTC_TIME),
            "kind": np.concatenate([kind, events["kind"].to_numpy(dtype=object)]),
            "text": None,
            "lang": "en",
            "referenced_post_id": np.concatenate([referenced, post_ids[event_post]]),
            "reply_to_account_id": np.concatenate(
                [
                    np.where(kind == "reply", aimed_at, None),
                    np.where(
                        events["kind"].to_numpy() == "reply",
                        nominee_account[author[event_post]],
                        None,
                    ),
                ]
            ),
            "likes": np.concatenate(
                [posts["likes"].to_numpy(), np.zeros(n_events, dtype=np.int64)]
            ).astype("int64"),
            "reposts": np.concatenate(
                [posts["reposts"].to_numpy(), np.zeros(n_events, dtype=np.int64)]
            ).astype("int64"),
            "replies": np.concatenate(
                [posts["replies"].to_numpy(), np.zeros(n_events, dtype=np.int64)]
            ).astype("int64"),
            "quotes": np.concatenate(
                [posts["quotes"].to_numpy(), np.zeros(n_events, dtype=np.int64)]
            ).astype("int64"),
            "impressions": pd.array(
                np.concatenate(
                    [posts["impressions"].to_numpy(), np.zeros(n_events, dtype=np.int64)]
                ),
                dtype="Int64",
            ),
            "has_media": np.concatenate(
                [posts["has_media"].to_numpy(), np.zeros(n_events, dtype=bool)]
            ),
            "hashtags": np.concatenate([hashtags, same(empty, n_events)]),
            "mentions": same(empty, n_posts + n_events),
            "urls": same(empty, n_posts + n_events),
        }
    )
    aimed = kind != "original"
    mention = posts["mention_audience"].to_numpy() >= 0
    interactions = pd.DataFrame(
        {
            "source_account_id": np.concatenate(
                [
                    audience_account[events["engager"].to_numpy()],
                    nominee_account[author[aimed]],
                    nominee_account[author[mention]],
                ]
            ),
            "target_account_id": np.concatenate(
                [
                    nominee_account[author[event_post]],
                    aimed_at[aimed],
                    audience_account[posts["mention_audience"].to_numpy()[mention]],
                ]
            ),
            "kind": np.concatenate(
                [
                    events["kind"].to_numpy(dtype=object),
                    kind[aimed],
                    np.full(int(mention.sum()), "mention", dtype=object),
                ]
            ),
            "post_id": np.concatenate(
                [
                    frame["post_id"].to_numpy(dtype=object)[n_posts:],
                    post_ids[aimed],
                    post_ids[mention],
                ]
            ),
            "created_at": pd.to_datetime(
                np.concatenate(
                    [
                        events["created"].to_numpy(),
                        posts["created"].to_numpy()[aimed],
                        posts["created"].to_numpy()[mention],
                    ]
                ).astype("int64"),
                unit="s",
                utc=True,
            ).astype(UTC_TIME),
        }
    )
    accounts = pd.DataFrame(
        {
            "account_id": np.concatenate([nominee_account, audience_account]),
            "platform": "x",
            "handle": np.concatenate(
                [
                    nominees["x_handle"].to_numpy(dtype=object),
                    audience["handle"].to_numpy(dtype=object),
                ]
            ),
            "name": None,
            "description": None,
            "followers": pd.array(
                np.concatenate(
                    [nominees["followers"].to_numpy(), audience["followers"].to_numpy()]
                ),
                dtype="Int64",
            ),
            "following": pd.array(np.full(len(nominees) + len(audience), 500), dtype="Int64"),
            "listed": pd.array(
                np.concatenate(
                    [
                        nominees["followers"].to_numpy() // 100,
                        audience["followers"].to_numpy() // 200,
                    ]
                ),
                dtype="Int64",
            ),
            "posts_total": pd.array([None] * (len(nominees) + len(audience)), dtype="Int64"),
            "created_at": pd.Series([pd.NaT] * (len(nominees) + len(audience)), dtype=UTC_TIME),
            "is_nominee": np.concatenate(
                [np.ones(len(nominees), bool), np.zeros(len(audience), bool)]
            ),
            "nominee_id": np.concatenate(
                [
                    nominees["nominee_id"].to_numpy(dtype=object),
                    np.full(len(audience), None, dtype=object),
                ]
            ),
        }
    )
    table = pd.DataFrame(
        {
            "nominee_id": nominees["nominee_id"],
            "year": 2024,
            "name": nominees["name"],
            "category": nominees["category"],
            "nominated_by": pd.array(nominees["nominated_by"], dtype="Int64"),
            "selected": nominees["selected"],
            "rank": nominees["rank"],
            "x_handle": nominees["x_handle"],
            "bluesky_handle": None,
            "mastodon_handle": None,
            "blog_feed_url": None,
        }
    )
    return {"posts": frame, "interactions": interactions, "accounts": accounts, "nominees": table}


def build_input(target: int, folder: Path) -> Path:
    """Write the canonical tables of a simulated year of about ``target`` posts (cached)."""
    out = folder / f"features-{target}"
    if (out / "done").exists():
        return out
    calibration = folder / "features-factor.json"
    if calibration.exists():
        per_factor = json.loads(calibration.read_text())["posts_per_factor"]
    else:
        factor = 1_000_000 / BASE_POSTS
        _, _, trial = _simulate(factor)
        per_factor = (len(trial.posts) + len(trial.events)) / factor
        calibration.write_text(json.dumps({"posts_per_factor": per_factor}))
    started = time.perf_counter()
    tables = canonical_tables(*_simulate(target / per_factor))
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_parquet(out / f"{name}.parquet", index=False)
    (out / "done").write_text("ok\n")
    print(
        f"built {len(tables['posts']):,} posts and {len(tables['interactions']):,} interactions "
        f"in {time.perf_counter() - started:.0f} s -> {out}",
        flush=True,
    )
    return out


def _rss_gib() -> float:
    """Resident memory now (Linux /proc; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**30
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _measure_here(folder: Path) -> dict:
    """Run the feature step as the notebook does, in this (fresh) process: read the inputs,
    build both feature tables; time each and sample the resident memory every 20 ms with
    the line of src/features running, so the peak can be placed."""
    import resource
    import threading

    from src.features import build_feature_tables, read_feature_inputs
    from src.features.previous_year import previous_year_from_files

    main = threading.main_thread().ident
    samples: list[tuple[float, str]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            frame = sys._current_frames().get(main) if main is not None else None
            where = ""
            while frame is not None:
                code = frame.f_code
                if "/src/features/" in code.co_filename:
                    where = f"{Path(code.co_filename).name}:{frame.f_lineno} ({code.co_name})"
                    break
                frame = frame.f_back
            samples.append((_rss_gib(), where))
            done.wait(0.02)

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu, wall = time.process_time(), time.perf_counter()
    tables = read_feature_inputs(folder)
    # The simulated world has one year: its own interactions and posts stand in for the
    # previous year's (same size), so new_engager_share is computed as in a yearly run.
    previous = previous_year_from_files(folder / "interactions.parquet", folder / "posts.parquet")
    read_seconds, loaded = time.perf_counter() - wall, _rss_gib()
    started = time.perf_counter()
    result = build_feature_tables(tables, previous)
    build_seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    done.set()
    sampler.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    top = max(samples, key=lambda s: s[0]) if samples else (0.0, "")
    return {
        "posts": len(tables["posts"]),
        "interactions": len(tables["interactions"]),
        "nominees": len(result.combined),
        "by_platform_rows": len(result.by_platform),
        "read_seconds": read_seconds,
        "build_seconds": build_seconds,
        "seconds": read_seconds + build_seconds,
        "cpu_seconds": cpu,
        "peak_gib": peak,
        "loaded_gib": loaded,
        "startup_gib": base / 2**20,
        "peak_where": top[1] or "reading",
        "load_average": os.getloadavg()[0],
    }


def measure(folder: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", str(folder)], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"the feature step failed on {folder}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _figures_line(f: dict) -> str:
    """One size's figures, as printed."""
    return (
        f"features: {f['posts']:,} posts, {f['interactions']:,} interactions, "
        f"{f['nominees']} nominees: read {f['read_seconds']:.1f} s + build "
        f"{f['build_seconds']:.1f} s = {f['seconds']:.1f} s wall ({f['cpu_seconds']:.1f} s CPU; "
        f"load average {f['load_average']:.1f} on {os.cpu_count()} cores) = "
        f"{f['posts'] / f['seconds']:,.0f} posts/s; peak memory {f['peak_gib']:.2f} GiB at "
        f"{f['peak_where']} (after reading {f['loaded_gib']:.2f} GiB, "
        f"interpreter {f['startup_gib'] * 1024:.0f} MiB)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=list(SIZES),
        help="approximate posts per run (default 1,000,000 and 10,000,000)",
    )
    parser.add_argument("--build-only", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure_here(args.measure)))
        return 0
    folder = bench_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if args.build_only:
        build_input(args.build_only, folder)
        return 0
    rows = []
    for target in args.sizes:
        # Built in its own child: the measuring child must not inherit a big parent's peak.
        subprocess.run([sys.executable, __file__, "--build-only", str(target)], check=True)
        figures = measure(folder / f"features-{target}")
        rows.append(figures)
        print(_figures_line(figures), flush=True)
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        print(
            f"growth: {b['posts'] / a['posts']:.1f}x the posts took "
            f"{b['seconds'] / a['seconds']:.1f}x the time and "
            f"{b['peak_gib'] / a['peak_gib']:.1f}x the peak memory"
        )
    big = rows[-1]
    ok_time, ok_mem = big["seconds"] <= TARGET_SECONDS, big["peak_gib"] * 2**30 <= TARGET_GB * 1e9
    print(
        f"target at {big['posts']:,} posts: <= {TARGET_SECONDS:.0f} s "
        f"{'met' if ok_time else 'NOT met'} ({big['seconds']:.1f} s, reading included); "
        f"<= {TARGET_GB:.0f} GB peak {'met' if ok_mem else 'NOT met'} "
        f"({big['peak_gib'] * 2**30 / 1e9:.2f} GB = {big['peak_gib']:.2f} GiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
