"""Command line: ``nhs-influence sample``, ``nhs-influence run`` and ``nhs-influence kernel``.

``make run`` calls the first two: the first writes the simulated sample if it is absent,
the second runs the notebooks for every year found in the raw folder. ``make install``
calls the third, which registers the project's Jupyter kernel in this environment.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path
from typing import TextIO

from src import config, pipeline
from src.batch.kernel import KERNEL_NAME
from src.batch.plan import year_folders
from src.batch.settings import RunSettings

#: ``nhs-influence run --help``: what a re-run does, and how to run less.
RUN_EPILOG = """\
Resume: a step is skipped when its key is unchanged since its last successful run.
The key covers the year's raw files, the step's parameters, its notebook, the src/
modules its notebook imports (not all of src/), what the steps before it wrote, and
the other years' files it reads with the code that made them. A step that runs says
why, naming what changed ("re-run: src/features/volume.py changed", "re-run:
parameter seed changed", "first run", "--force").

Other years: the features step reads the previous year's tables and the model step
every earlier year's features. A run never lets a year read another's outputs made by
other code: it runs those steps of those years too (skipped when up to date, and said
so), or refuses before running anything, naming them, when a year cannot be re-run
(its raw folder is gone).

Examples:
  nhs-influence run --years 2024                    one year (and what it reads)
  nhs-influence run --years 2024 --steps features   2024's ingest and features only
  nhs-influence run --steps features,model --dry-run  what would run, and why
"""


def _steps(value: str) -> tuple[str, ...]:
    """A ``--steps`` value: step names or notebook stems, separated by commas."""
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    for name in names:
        try:
            pipeline.step(name)
        except KeyError as exc:
            raise argparse.ArgumentTypeError(str(exc.args[0])) from None
    if not names:
        raise argparse.ArgumentTypeError("name at least one step, such as features")
    return names


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
            "run",
            help="run the notebooks for each year with papermill and render the reports",
            description=(
                "Run the pipeline's notebooks (ingest, features, model, report) for each "
                "year with papermill, years in parallel, then render each year's report "
                "and the index. Steps unchanged since the last run are skipped."
            ),
            epilog=RUN_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    )
    sub.add_parser(
        "kernel",
        help=(
            f"register the project's Jupyter kernel ({KERNEL_NAME!r}, this Python) in this "
            "environment (make install does it)"
        ),
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
    run.add_argument(
        "--steps",
        type=_steps,
        default=(),
        metavar="STEP[,STEP]",
        help=(
            "run only these steps (" + ", ".join(s.name for s in pipeline.STEPS) + "), with "
            "the steps before them and what they read from other years brought up to date "
            "first; the rest is left as it is (default: every step)"
        ),
    )
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="list what would run and why (or be skipped), run nothing, write nothing",
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
        "--kernel",
        default=KERNEL_NAME,
        help=(
            f"Jupyter kernel to execute the notebooks with (default: {KERNEL_NAME}, the "
            "project kernel, registered on first use if missing)"
        ),
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
    years = args.years or year_folders(raw_dir)
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
        only_steps=args.steps,
    )


def _run(args: argparse.Namespace) -> int:
    """``nhs-influence run``: every step of every year, then the summary; 1 if a year failed.

    ``--dry-run`` prints what would run instead; a refused run exits with 2.
    """
    from src.batch.plan import RunRefused
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
    if args.dry_run:
        from src.batch.preview import dry_run

        print("\n".join(dry_run(settings)))
        return 0
    steps = f" (steps: {', '.join(settings.only_steps)})" if settings.only_steps else ""
    print(
        f"Running {', '.join(map(str, settings.years))}{steps} from {settings.raw_dir}"
        + (
            " (--force: every step re-runs)"
            if settings.force
            else " (steps unchanged since the last run are skipped; --force re-runs them)"
        ),
        flush=True,
    )
    show_progress()
    try:
        results = run_batch(settings)
    except RunRefused as refused:
        print("nhs-influence run: refused, nothing was run:", file=sys.stderr)
        for problem in refused.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    print_summary(results, settings.reports_dir)
    return 0 if all(r.ok for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns its exit status (0 ok, 1 a year failed, 2 bad usage)."""
    args = build_parser().parse_args(argv)
    if args.command == "sample":
        return _sample(args)
    if args.command == "kernel":
        from src.batch.kernel import install_kernel

        print(f"Jupyter kernel {KERNEL_NAME!r} (this Python) registered in {install_kernel()}")
        return 0
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
