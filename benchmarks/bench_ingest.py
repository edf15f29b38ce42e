"""Benchmark: reading X API v2 JSON lines (twarc2 pages) at the 1-million-post size.

Prints posts per second and peak memory, and shows that peak memory does not grow with
the number of input files: the same posts are read from 1 file and from 40 files.
Targets: at least 50,000 posts per second from response pages on the project's 2-core
machine; peak memory flat in the number of files. Each input is read 3 times
(``--repeat``), each in a fresh process, and the fastest read is reported with the
highest peak memory.

The input is the simulated world (src/simulate) scaled up until one year's X exports
hold about a million posts (nominee timelines plus the engagement search); it is written
once to ``$NHS_INFLUENCE_BENCH_DIR`` (default: a folder under the system temp directory)
and reused. ``--flattened`` also reads the same posts as ``twarc2 flatten`` writes them
(one tweet per line, expansions inline), which the typed decoding never fits: that
measures the reader's general, checked path. Run: ``make bench`` or
``.venv/bin/python benchmarks/bench_ingest.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_POSTS = 1_000_000


def bench_dir() -> Path:
    return Path(
        os.environ.get(
            "NHS_INFLUENCE_BENCH_DIR", Path(tempfile.gettempdir()) / "nhs-influence-bench"
        )
    )


def build_input(target_posts: int, folder: Path) -> tuple[Path, float]:
    """Write one year's X exports of about ``target_posts`` posts; return the folder and seconds."""
    marker = folder / f"x-{target_posts}.done"
    x_dir = folder / f"x-{target_posts}"
    if marker.exists():
        return x_dir, 0.0
    import numpy as np

    from src.simulate.events import simulate_year
    from src.simulate.world import (
        SimulationSize,
        make_audience,
        make_people,
        nominees_for_year,
        panel_decisions,
    )
    from src.simulate.x_writer import nominee_user_objects, write_x

    started = time.perf_counter()
    base = SimulationSize.preset("standard")

    def simulate(factor: float):
        size = base.scaled(factor)
        rng = np.random.default_rng(7)
        people, audience = make_people(size, rng), make_audience(size, rng)
        nominees = panel_decisions(nominees_for_year(people, size, 2024, 1, rng), size, rng)
        return (
            size,
            rng,
            nominees,
            audience,
            simulate_year(
                nominees, audience, size.window_days, 2024, rng, activity_scale=size.activity_scale
            ),
        )

    # Simulating is cheap next to writing JSON: size the world once, then scale it to the target.
    factor = target_posts / 47_000
    *_, trial = simulate(factor)
    factor *= target_posts / (len(trial.posts) + len(trial.events))
    size, rng, nominees, audience, activity = simulate(factor)
    write_x(
        x_dir.parent / f"staging-{target_posts}",
        activity,
        nominees,
        audience,
        nominee_user_objects(nominees, rng),
        rng,
    )
    (x_dir.parent / f"staging-{target_posts}" / "x").rename(x_dir)
    marker.write_text("ok\n")
    return x_dir, time.perf_counter() - started


def split(x_dir: Path, parts: int) -> Path:
    """The same pages spread over ``parts`` files (round robin by line)."""
    out = x_dir.parent / f"{x_dir.name}-split{parts}"
    if (out / "done").exists():
        return out
    out.mkdir(exist_ok=True)
    with contextlib.ExitStack() as stack:
        handles = [
            stack.enter_context(open(out / f"part{i:03d}.jsonl", "wb")) for i in range(parts)
        ]
        line = 0
        for path in sorted(x_dir.glob("*.jsonl")):
            with open(path, "rb") as source:
                for raw in source:
                    handles[line % parts].write(raw)
                    line += 1
    (out / "done").write_text("ok\n")
    return out


def flatten_page(page: dict[str, Any]) -> list[dict[str, Any]]:
    """The tweets of a response page as ``twarc2 flatten`` writes them, reduced to the
    expansions the reader uses: each tweet with its author, in-reply-to user, mentioned
    users and referenced tweets inline, and the page's ``__twarc``."""
    includes = page.get("includes") or {}
    users = {
        **{u["id"]: u for u in includes.get("users", [])},
        **{u["username"]: u for u in includes.get("users", [])},
    }
    tweets = {t["id"]: t for t in includes.get("tweets", [])}

    def expand(item: Any) -> Any:
        if isinstance(item, list):
            return [expand(i) for i in item]
        if not isinstance(item, dict):
            return item
        for key, value in list(item.items()):
            item[key] = expand(value)
        if "author_id" in item:
            item["author"] = users.get(item["author_id"], {})
        if "in_reply_to_user_id" in item:
            item["in_reply_to_user"] = users.get(item["in_reply_to_user_id"], {})
        if "mentions" in item:
            item["mentions"] = [{**m, **users.get(m.get("username"), {})} for m in item["mentions"]]
        if "referenced_tweets" in item:
            item["referenced_tweets"] = [
                {**r, **tweets.get(r["id"], {})} for r in item["referenced_tweets"]
            ]
        return item

    for key in list(tweets):
        tweets[key] = expand(tweets[key])
    return [dict(tweet, __twarc=page.get("__twarc")) for tweet in expand(page.get("data") or [])]


def flattened(x_dir: Path) -> Path:
    """The tweets of every page of ``x_dir`` in twarc2's flattened form, one file per file."""
    import orjson

    out = x_dir.parent / f"{x_dir.name}-flattened"
    if (out / "done").exists():
        return out
    out.mkdir(exist_ok=True)
    for path in sorted(x_dir.glob("*.jsonl")):
        with open(path, "rb") as source, open(out / path.name, "wb") as target:
            for raw in source:
                page = orjson.loads(raw)
                if "text" not in (page.get("data") or [{}])[0]:
                    target.write(raw)  # a user look-up page: flatten leaves users as they are
                    continue
                target.writelines(orjson.dumps(tweet) + b"\n" for tweet in flatten_page(page))
    (out / "done").write_text("ok\n")
    return out


def measure(folder: Path) -> dict[str, float]:
    """Read every file in ``folder`` in a fresh process; report time, CPU time, posts and peak RSS.

    CPU time (user + system) is reported beside the elapsed time: on a shared machine the
    two differ by the time other processes held the cores.
    """
    code = (
        "import json, os, resource, sys, time\n"
        "from pathlib import Path\n"
        "from src.ingest.x import read_x_exports\n"
        "files = sorted(Path(sys.argv[1]).glob('*.jsonl'))\n"
        "base = resource.getrusage(resource.RUSAGE_SELF)\n"
        "t = time.perf_counter()\n"
        "tables = read_x_exports(files)\n"
        "seconds = time.perf_counter() - t\n"
        "end = resource.getrusage(resource.RUSAGE_SELF)\n"
        "cpu = end.ru_utime - base.ru_utime + end.ru_stime - base.ru_stime\n"
        "print(json.dumps({'files': len(files), 'posts': len(tables.posts), 'seconds': seconds,\n"
        "                  'cpu_seconds': cpu, 'peak_mib': end.ru_maxrss / 1024,\n"
        "                  'startup_mib': base.ru_maxrss / 1024, 'load': os.getloadavg()[0]}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def best_of(folder: Path, repeat: int) -> dict[str, float]:
    """The fastest of ``repeat`` fresh-process reads, with the highest peak memory of them all."""
    runs = [measure(folder) for _ in range(repeat)]
    best = min(runs, key=lambda run: run["seconds"])
    return {**best, "peak_mib": max(run["peak_mib"] for run in runs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--posts",
        type=int,
        default=TARGET_POSTS,
        help="approximate posts in the input (default 1,000,000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="read each input this many times and report the fastest, as timeit does: other "
        "work only ever slows a read down (default 3)",
    )
    parser.add_argument(
        "--flattened",
        action="store_true",
        help="also read the same posts in twarc2's flattened form (one tweet per line)",
    )
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = bench_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if args.build_only:
        x_dir, built = build_input(args.posts, folder)
        if built:
            print(f"wrote the simulated X exports in {built:.0f} s to {x_dir}")
        return 0
    # Build in a child process: a measuring child forked from a big parent would inherit
    # the parent's peak memory figure (ru_maxrss survives fork).
    subprocess.run(
        [sys.executable, __file__, "--posts", str(args.posts), "--build-only"], check=True
    )
    x_dir = folder / f"x-{args.posts}"
    size_mib = sum(p.stat().st_size for p in x_dir.glob("*.jsonl")) / 2**20
    print(f"input: {size_mib:,.0f} MiB of twarc2 JSON lines in {x_dir}")
    repeat = max(1, args.repeat)
    rows = []
    inputs = [("pages", x_dir), ("pages", split(x_dir, 40))]
    if args.flattened:
        inputs.append(("flattened tweets", flattened(x_dir)))
    for form, target in inputs:
        figures = best_of(target, repeat)
        rows.append(figures)
        print(
            f"ingest X JSON lines ({form}): {figures['posts']:,} posts from {figures['files']} "
            f"file(s) in {figures['seconds']:.1f} s (fastest of {repeat}) "
            f"= {figures['posts'] / figures['seconds']:,.0f} posts/s; "
            f"peak memory {figures['peak_mib']:,.0f} MiB "
            f"(interpreter and libraries {figures['startup_mib']:,.0f} MiB); "
            f"CPU {figures['cpu_seconds']:.1f} s "
            f"= {figures['posts'] / figures['cpu_seconds']:,.0f} posts per CPU second "
            f"(load average at the end {figures['load']:.1f}, this read included)"
        )
    rate = rows[0]["posts"] / rows[0]["seconds"]
    growth = rows[1]["peak_mib"] / rows[0]["peak_mib"]
    print(
        f"target >= 50,000 posts/s: {'met' if rate >= 50_000 else 'NOT met'} ({rate:,.0f}); "
        f"peak memory with 40 files / 1 file = {growth:.2f} ({'flat' if growth < 1.1 else 'grows'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
