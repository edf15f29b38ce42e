"""Where the time of `make run` goes: each step of each year, the reports, and the kernel.

Runs the batch (`nhs-influence run --force`, every year of the bundled sample, default
jobs) into a temporary processed/reports folder so the checkout's outputs are left
alone, after writing the sample to data/raw if it is absent (as `make run` does). Prints
the wall time against the 90 s target, each step's time per year from the run manifests,
and the kernel start-up overhead: starting a kernel and running an empty cell, and
papermill executing a notebook with one empty cell.

    .venv/bin/python benchmarks/bench_run.py [--years 2024] [--jobs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from src import config, pipeline  # noqa: E402
from src.batch.kernel import KERNEL_NAME  # noqa: E402
from src.batch.manifest import from_portable  # noqa: E402

TARGET_SECONDS = 90.0
COMMAND = [sys.executable, "-m", "src.batch.cli"]
#: The steps' ids, as the run manifest names them.
STEP_IDS = [step.notebook for step in pipeline.STEPS]


def kernel_start_and_empty_cell(kernel_name: str = KERNEL_NAME) -> float:
    """Seconds to start a kernel, wait until it is ready and run an empty cell."""
    from jupyter_client.manager import start_new_kernel

    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name=kernel_name)
    try:
        client.execute_interactive("", timeout=60)
        return time.perf_counter() - started
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def papermill_empty_notebook(folder: Path, kernel_name: str = KERNEL_NAME) -> float:
    """Seconds for the batch's papermill call to execute a notebook holding one empty cell
    (what each step pays: kernel start over IPC, the cell, the shutdown)."""
    import nbformat

    from src.batch.execute import execute_notebook

    source = folder / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")]), source)
    started = time.perf_counter()
    execute_notebook(source, folder / "empty.out.ipynb", {}, kernel_name=kernel_name)
    return time.perf_counter() - started


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--years", nargs="+", default=None, help="years to run (default: every year in data/raw)"
    )
    parser.add_argument(
        "--jobs", default=None, help="notebooks at once (default: the command's default)"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="write processed data and reports here and keep them",
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="kernel start-up measurements (median printed)"
    )
    return parser.parse_args()


def run_command(args: argparse.Namespace, processed: Path, reports: Path) -> list[str]:
    """``nhs-influence run --force`` into ``processed`` and ``reports``, with the options given."""
    run = [
        *COMMAND,
        "run",
        "--force",
        "--raw-dir",
        str(config.raw_dir()),
        "--processed-dir",
        str(processed),
        "--reports-dir",
        str(reports),
    ]
    if args.years:
        run += ["--years", *args.years]
    if args.jobs:
        run += ["--jobs", str(args.jobs)]
    return run


def row(label: str, values: list[float]) -> str:
    """One table row: a label, a time per year, and their sum."""
    return f"  {label:<14}" + "".join(f"{v:>8.1f}s" for v in values) + f"{sum(values):>8.1f}s"


def print_step_times(manifest: dict[str, Any], years: list[str]) -> None:
    """Each step's and the report's time per year, from the run's manifests."""
    print(f"  {'step':<14}" + "".join(f"{y:>9}" for y in years) + f"{'sum':>9}")
    for step in STEP_IDS:
        steps = [manifest["years"][y]["steps"] for y in years]
        print(row(step, [s.get(step, {}).get("seconds", float("nan")) for s in steps]))
    year_manifests = [
        json.loads(
            from_portable(manifest["years"][y]["manifest"], ROOT).read_text(encoding="utf-8")
        )
        for y in years
    ]
    for label, key in (("report HTML", "html_seconds"), ("report PDF", "pdf_seconds")):
        values = [float((m.get("report") or {}).get(key, float("nan"))) for m in year_manifests]
        print(row(label, values))


def print_kernel_overhead(repeats: int, kernels: int, jobs: int) -> None:
    """What starting a kernel costs, once and over the ``kernels`` a run starts."""
    starts = [kernel_start_and_empty_cell() for _ in range(repeats)]
    with tempfile.TemporaryDirectory() as folder:
        empties = [papermill_empty_notebook(Path(folder)) for _ in range(repeats)]
    empty = statistics.median(empties)
    print("\nkernel start-up overhead")
    print(
        f"  start a kernel and run an empty cell: median {statistics.median(starts):.2f} s "
        f"(of {repeats}: {', '.join(f'{s:.2f}' for s in starts)})"
    )
    print(
        f"  papermill, notebook with one empty cell: median {empty:.2f} s "
        f"(of {repeats}: {', '.join(f'{s:.2f}' for s in empties)})"
    )
    print(
        f"  a full run starts {kernels} kernels: "
        f"about {kernels * empty:.1f} s of kernel overhead in total, "
        f"{kernels * empty / max(1, jobs):.1f} s of wall time spread over the parallel years"
    )


def main() -> int:
    args = parse_args()
    started = time.perf_counter()
    subprocess.run([*COMMAND, "sample"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    sample_seconds = time.perf_counter() - started

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-run-"))
    processed, reports = work / "processed", work / "reports"
    run = run_command(args, processed, reports)
    print("$ " + " ".join(run[2:]), flush=True)
    started = time.perf_counter()
    finished = subprocess.run(run, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if finished.returncode != 0:
        print(finished.stdout[-4000:] + finished.stderr[-4000:])
        print(f"bench_run: the run failed (exit {finished.returncode})")
        return 1

    manifest = json.loads((processed / "run_manifest.json").read_text(encoding="utf-8"))
    years = sorted(manifest["years"])
    jobs = int(manifest["options"]["jobs"])
    print(
        f"\nmake run on the bundled sample ({', '.join(years)}; "
        f"{jobs} notebook(s) at once, {os.cpu_count() or 1} cores)"
    )
    print_step_times(manifest, years)
    print(f"  sample check  {sample_seconds:8.1f}s (writes the sample only when absent)")
    total = wall + sample_seconds
    verdict = "within" if total <= TARGET_SECONDS else "OVER"
    print(
        f"  wall time of the run: {wall:.1f} s (+ {sample_seconds:.1f} s sample check) "
        f"= {total:.1f} s, {verdict} the {TARGET_SECONDS:.0f} s target"
    )
    print_kernel_overhead(args.repeats, len(years) * len(STEP_IDS), jobs)
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
