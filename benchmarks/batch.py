"""Batch throughput: ``reviewer batch`` on CUAD PDFs with one and two worker processes, medians of runs.

    python benchmarks/batch.py [--limit 40] [--runs 3] [--format json|all] [--data ../shared/data]

Each run is a fresh ``reviewer batch FILES --out TMP --jobs N --force --quiet`` process, timed from start
to exit, so the figures include what a user waits for: starting Python and the worker fork server (which
loads the pipeline once), reviewing, writing the reports and the four summary files. Pages come from the
JSON reports. Machines here are shared and noisy: the two settings run in turn (after one untimed batch of
each), and the jobs-2/jobs-1 ratio is the median of the per-run ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(files: list[Path], jobs: int, fmt: str) -> dict[str, float]:
    """One batch: its seconds, contracts reviewed, pages, the summed per-contract review seconds and the largest
    per-contract peak memory (MB) of its workers."""
    with tempfile.TemporaryDirectory(prefix="reviewer-batch-bench-") as tmp:
        out = Path(tmp) / "out"
        command = [sys.executable, "-m", "reviewer", "batch", *map(str, files), "--out", str(out), "--jobs", str(jobs),
                   "--format", fmt, "--force", "--quiet"]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                                env=dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")))
        seconds = time.perf_counter() - started
        if result.returncode not in (0, 1):
            raise SystemExit(f"reviewer batch --jobs {jobs} failed (exit status {result.returncode}):\n"
                             f"{result.stderr[-2000:]}")
        rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        pages = 0
        for row in rows:
            if row["status"] == "ok" and row["reports"].get("json"):
                report = json.loads((out / row["reports"]["json"]).read_text(encoding="utf-8"))
                pages += report["source"]["pages"] or 0
        return {"seconds": seconds, "reviewed": sum(1 for row in rows if row["status"] == "ok"), "pages": pages,
                "busy": sum(row.get("seconds") or 0 for row in rows),
                "peak_mb": max((row.get("peak_mb") or 0 for row in rows), default=0)}


def compare(files: list[Path], runs: int, fmt: str = "json") -> dict[int, list[dict[str, float]]]:
    """``--jobs 1`` and ``--jobs 2`` in turn, ``runs`` times (which goes first alternates), after one untimed
    batch of each: a slow spell of the shared host then weighs on both sides of the ratio."""
    for jobs in (1, 2):
        one_run(files[:4], jobs, fmt)  # warm the disk cache and the imports
    results: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for index in range(runs):
        for jobs in ((1, 2) if index % 2 == 0 else (2, 1)):
            results[jobs].append(one_run(files, jobs, fmt))
    return results


def ratios(results: dict[int, list[dict[str, float]]]) -> list[float]:
    """Per run, the throughput of two workers over one."""
    return [one["seconds"] / two["seconds"] for one, two in zip(results[1], results[2], strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=40, help="how many CUAD PDFs (default 40)")
    parser.add_argument("--runs", type=int, default=3, help="runs per setting (default 3)")
    parser.add_argument("--format", default="json", choices=("json", "all"),
                        help="report formats (default json: the review itself; all adds HTML, Markdown, Word)")
    args = parser.parse_args()
    folder = args.data / "cuad" / "pdf"
    if not folder.is_dir():
        print(f"{folder}: not found (the shared data folder)", file=sys.stderr)
        return 2
    files = sorted(folder.glob("*.pdf"))[: args.limit]
    print(f"{len(files)} CUAD PDFs, --format {args.format}, median of {args.runs} runs, {os.cpu_count()} cores")
    results = compare(files, args.runs, args.format)
    for jobs, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        reviewed, pages, busy = runs[0]["reviewed"], runs[0]["pages"], statistics.median(r["busy"] for r in runs)
        print(f"  --jobs {jobs}: {seconds:6.1f} s  {reviewed / seconds:5.2f} contracts/s  {pages / seconds:6.1f} pages/s  "
              f"({reviewed} reviewed, {pages} pages; {busy:.1f} s inside the workers)")
    each = ratios(results)
    print(f"  throughput ratio jobs2/jobs1: {statistics.median(each):.2f} (per run: {', '.join(f'{r:.2f}' for r in each)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
