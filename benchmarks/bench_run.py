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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from src import config  # noqa: E402

TARGET_SECONDS = 90.0


def kernel_start_and_empty_cell(kernel_name: str = "python3") -> float:
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


def papermill_empty_notebook(folder: Path, kernel_name: str = "python3") -> float:
    """Seconds for papermill to execute a notebook holding one empty cell (what each step pays)."""
    import nbformat
    import papermill as pm

    source = folder / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")]), source)
    started = time.perf_counter()
    pm.execute_notebook(
        str(source),
        str(folder / "empty.out.ipynb"),
        kernel_name=kernel_name,
        progress_bar=False,
        log_output=False,
    )
    return time.perf_counter() - started


def main() -> int:
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
    args = parser.parse_args()

    raw = config.raw_dir()
    command = [sys.executable, "-m", "src.batch.cli"]
    started = time.perf_counter()
    subprocess.run([*command, "sample"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    sample_seconds = time.perf_counter() - started

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-run-"))
    processed, reports = work / "processed", work / "reports"
    run = [
        *command,
        "run",
        "--force",
        "--raw-dir",
        str(raw),
        "--processed-dir",
        str(processed),
        "--reports-dir",
        str(reports),
    ]
    if args.years:
        run += ["--years", *args.years]
    if args.jobs:
        run += ["--jobs", str(args.jobs)]
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
    steps = list(config.PIPELINE_STEPS)
    print(
        f"\nmake run on the bundled sample ({', '.join(years)}; {manifest['options']['jobs']} notebook(s) at once, {config_cores()} cores)"
    )
    header = f"  {'step':<14}" + "".join(f"{y:>9}" for y in years) + f"{'sum':>9}"
    print(header)
    for step in steps:
        values = [
            manifest["years"][y]["steps"].get(step, {}).get("seconds", float("nan")) for y in years
        ]
        print(f"  {step:<14}" + "".join(f"{v:>8.1f}s" for v in values) + f"{sum(values):>8.1f}s")
    for label, key in (("report HTML", "html_seconds"), ("report PDF", "pdf_seconds")):
        values = []
        for y in years:
            year_manifest = json.loads(
                Path(manifest["years"][y]["manifest"]).read_text(encoding="utf-8")
            )
            values.append(float((year_manifest.get("report") or {}).get(key, float("nan"))))
        print(f"  {label:<14}" + "".join(f"{v:>8.1f}s" for v in values) + f"{sum(values):>8.1f}s")
    print(f"  sample check  {sample_seconds:8.1f}s (writes the sample only when absent)")
    verdict = "within" if wall + sample_seconds <= TARGET_SECONDS else "OVER"
    print(
        f"  wall time of the run: {wall:.1f} s (+ {sample_seconds:.1f} s sample check) = {wall + sample_seconds:.1f} s, {verdict} the {TARGET_SECONDS:.0f} s target"
    )

    starts = [kernel_start_and_empty_cell() for _ in range(args.repeats)]
    with tempfile.TemporaryDirectory() as folder:
        empties = [papermill_empty_notebook(Path(folder)) for _ in range(args.repeats)]
    per_run = len(years) * len(steps)
    print("\nkernel start-up overhead")
    print(
        f"  start a kernel and run an empty cell: median {statistics.median(starts):.2f} s (of {args.repeats}: {', '.join(f'{s:.2f}' for s in starts)})"
    )
    print(
        f"  papermill, notebook with one empty cell: median {statistics.median(empties):.2f} s (of {args.repeats}: {', '.join(f'{s:.2f}' for s in empties)})"
    )
    print(
        f"  a full run starts {per_run} kernels: about {per_run * statistics.median(empties):.1f} s of kernel overhead in total, "
        f"{per_run * statistics.median(empties) / max(1, int(manifest['options']['jobs'])):.1f} s of wall time spread over the parallel years"
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def config_cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
