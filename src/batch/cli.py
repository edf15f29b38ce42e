"""Command line: ``nhs-influence sample`` and ``nhs-influence run``.

``make run`` calls both: the first writes the simulated sample if it is absent, the
second runs the notebooks for every year found in the raw folder.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path
from typing import TextIO

from src import config
from src.batch.settings import RunSettings


def _years_in(raw_dir: Path) -> list[int]:
    """The years that have a folder (four digits) in ``raw_dir``, oldest first."""
    if not raw_dir.is_dir():
        return []
    return sorted(
        int(p.name) for p in raw_dir.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)
    )


def _year(value: str) -> int:
    """A ``--years`` value: four digits."""
    if not re.fullmatch(r"\d{4}", value):
        raise argparse.ArgumentTypeError(f"a year is four digits, such as 2024; got {value!r}")
    return int(value)


def _positive(value: str) -> int:
    """A whole number of at least 1 (``--jobs``, ``--timeout``)."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    """The ``nhs-influence`` command's arguments: ``sample`` and ``run``."""
    parser = argparse.ArgumentParser(
        prog="nhs-influence",
        description=(
            "Influence versus volume in NHS social media: batch runs and the simulated sample."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_sample_arguments(
        sub.add_parser(
            "sample", help="write the bundled simulated sample (raw formats) if it is absent"
        )
    )
    _add_run_arguments(
        sub.add_parser(
            "run", help="run the notebooks for each year with papermill and render the reports"
        )
    )
    return parser


def _add_sample_arguments(sample: argparse.ArgumentParser) -> None:
    """``nhs-influence sample``'s options."""
    sample.add_argument(
        "--raw-dir", type=Path, default=None, help="where year folders go (default: data/raw)"
    )
    sample.add_argument(
        "--truth-dir",
        type=Path,
        default=None,
        help="where the latent ground truth goes (default: data/sample_truth)",
    )
    sample.add_argument(
        "--size",
        choices=("small", "standard"),
        default="standard",
        help="standard is the bundled sample; small is for tests",
    )
    sample.add_argument("--seed", type=int, default=config.DEFAULT_SEED)
    sample.add_argument("--years", type=_year, nargs="+", default=list(config.SAMPLE_YEARS))
    sample.add_argument(
        "--force", action="store_true", help="regenerate even when the sample is present"
    )
    sample.add_argument(
        "--posts-scale",
        type=float,
        default=1.0,
        help=(
            "the same world with this many times the posts "
            "(benchmarks: about 200 gives 10 million X posts a year)"
        ),
    )


def _add_run_arguments(run: argparse.ArgumentParser) -> None:
    """``nhs-influence run``'s options."""
    run.add_argument(
        "--years",
        type=_year,
        nargs="+",
        default=None,
        help="years to run (default: every year folder in the raw folder)",
    )
    run.add_argument(
        "--raw-dir",
        type=Path,
        default=None,
        help="raw inputs, one folder per year (default: data/raw)",
    )
    run.add_argument(
        "--processed-dir",
        type=Path,
        default=None,
        help="canonical tables and executed notebooks (default: data/processed)",
    )
    run.add_argument(
        "--reports-dir", type=Path, default=None, help="rendered reports (default: reports/)"
    )
    run.add_argument("--seed", type=int, default=config.DEFAULT_SEED)
    run.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        help=(
            "notebooks run at once, each in its own process (default: number of cores); "
            "a step waits for the steps of other years whose outputs it reads"
        ),
    )
    run.add_argument(
        "--timeout",
        type=_positive,
        default=1800,
        help="seconds a notebook cell may run before the kernel is stopped (default 1800)",
    )
    run.add_argument(
        "--kernel", default="python3", help="Jupyter kernel to execute the notebooks with"
    )
    run.add_argument(
        "--force",
        action="store_true",
        help=(
            "re-run every step, even those whose inputs, parameters and code "
            "did not change since the last run"
        ),
    )
    run.add_argument(
        "--no-pdf",
        dest="pdf",
        action="store_false",
        help="write the HTML reports only (no PDF next to them)",
    )
    run.add_argument(
        "--quarantine",
        action="store_true",
        help=(
            "skip bad input records (listed in data/processed/<year>/rejected.csv) "
            "instead of stopping the year"
        ),
    )


def show_progress(stream: TextIO | None = None) -> logging.Handler:
    """Print the batch's progress lines to ``stream`` (stdout), each stamped with the time.

    One line per record, written whole, so the lines of years running in parallel do not
    mix. Returns the handler (to remove it again).
    """
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%H:%M:%S"))
    batch_logger = logging.getLogger("src.batch")
    batch_logger.addHandler(handler)
    batch_logger.setLevel(logging.INFO)
    batch_logger.propagate = False  # printed once, even when the root logger has a handler
    return handler


def _sample(args: argparse.Namespace) -> int:
    """``nhs-influence sample``: write the simulated sample unless it is there."""
    from src.simulate.sample import sample_present, write_sample
    from src.simulate.world import SimulationSize

    raw_dir = config.resolve_dir(args.raw_dir, config.raw_dir())
    truth_dir = config.resolve_dir(args.truth_dir, config.data_dir() / "sample_truth")
    years = tuple(args.years)
    if sample_present(raw_dir, years) and not args.force:
        print(
            f"Simulated sample already present in {raw_dir} for {', '.join(map(str, years))}; "
            "nothing to do (use --force to regenerate)."
        )
        return 0
    try:
        size = (
            args.size
            if args.posts_scale == 1.0
            else SimulationSize.preset(args.size).scaled(args.posts_scale)
        )
        written = write_sample(raw_dir, truth_dir, years=years, size=size, seed=args.seed)
    except FileExistsError as exc:
        print(f"nhs-influence sample: {exc}", file=sys.stderr)
        return 2
    for year, counts in written.items():
        print(
            f"Simulated {year}: {counts['nominees']} nominees ({counts['selected']} selected); "
            f"X: {counts['tweets']:,} nominee posts and "
            f"{counts.get('engagement_tweets', 0):,} replies, quotes and retweets by others; "
            f"Bluesky {counts.get('bluesky_posts', 0):,}, "
            f"Mastodon {counts.get('mastodon_posts', 0):,}, "
            f"blog posts {counts.get('blog_posts', 0):,}, "
            f"metric rows {counts.get('metric_rows', 0):,} -> {raw_dir / str(year)}"
        )
    return 0


def run_settings(args: argparse.Namespace) -> RunSettings | None:
    """The run's settings from ``nhs-influence run``'s arguments; None when there is no year."""
    raw_dir = config.resolve_dir(args.raw_dir, config.raw_dir())
    years = args.years or _years_in(raw_dir)
    if not years:
        return None
    return RunSettings(
        years=tuple(years),
        raw_dir=raw_dir,
        processed_dir=config.resolve_dir(args.processed_dir, config.processed_dir()),
        reports_dir=config.resolve_dir(args.reports_dir, config.reports_dir()),
        seed=args.seed,
        jobs=args.jobs,
        timeout=args.timeout,
        kernel_name=args.kernel,
        quarantine=args.quarantine,
        force=args.force,
        pdf=args.pdf,
    )


def _run(args: argparse.Namespace) -> int:
    """``nhs-influence run``: every step of every year, then the summary; 1 if a year failed."""
    from src.batch.runner import run_batch
    from src.batch.summary import print_summary

    settings = run_settings(args)
    if settings is None:
        raw_dir = config.resolve_dir(args.raw_dir, config.raw_dir())
        print(
            f"nhs-influence run: no year folders (such as 2024/) in {raw_dir}; "
            "run `nhs-influence sample` or add your data",
            file=sys.stderr,
        )
        return 2
    print(
        f"Running {', '.join(map(str, settings.years))} from {settings.raw_dir}"
        + (
            " (--force: every step re-runs)"
            if settings.force
            else " (steps unchanged since the last run are skipped; --force re-runs them)"
        ),
        flush=True,
    )
    show_progress()
    results = run_batch(settings)
    print_summary(results, settings.reports_dir)
    return 0 if all(r.ok for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns its exit status (0 ok, 1 a year failed, 2 bad usage)."""
    args = build_parser().parse_args(argv)
    if args.command == "sample":
        return _sample(args)
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
