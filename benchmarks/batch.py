"""Batch throughput: ``reviewer batch`` on CUAD PDFs with one and two worker processes, medians of runs.

    python benchmarks/batch.py [--limit 40] [--runs 3] [--format json|all] [--data ../shared/data]

Each run is a fresh ``reviewer batch FILES --out TMP --jobs N --force --quiet`` process, timed from start
to exit, so the figures include what a user waits for: starting Python and the worker fork server (which
loads the pipeline once), reviewing, writing the reports and the four summary files. Pages come from the
JSON reports. Machines here are shared and noisy: every figure is the median of ``--runs`` runs, and the
jobs-2/jobs-1 ratio is taken between those medians.
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


def one_run(files: list[Path], jobs: int, fmt: str) -> tuple[float, int, int, float]:
    """Seconds, contracts reviewed, pages, and the summed per-contract review seconds of one batch."""
    with tempfile.TemporaryDirectory(prefix="reviewer-batch-bench-") as tmp:
        out = Path(tmp) / "out"
        command = [sys.executable, "-m", "reviewer", "batch", *map(str, files), "--out", str(out), "--jobs", str(jobs),
                   "--format", fmt, "--force", "--quiet"]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        seconds = time.perf_counter() - started
        if result.returncode not in (0, 1):
            sys.stderr.write(result.stderr)
        rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        pages = 0
        for row in rows:
            if row["status"] == "ok" and row["reports"].get("json"):
                report = json.loads((out / row["reports"]["json"]).read_text(encoding="utf-8"))
                pages += report["source"]["pages"] or 0
        busy = sum(row.get("seconds") or 0 for row in rows)
        return seconds, sum(1 for row in rows if row["status"] == "ok"), pages, busy


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
    rates = {}
    for jobs in (1, 2):
        runs = [one_run(files, jobs, args.format) for _ in range(args.runs)]
        seconds = statistics.median(r[0] for r in runs)
        reviewed, pages, busy = runs[0][1], runs[0][2], statistics.median(r[3] for r in runs)
        rates[jobs] = reviewed / seconds
        print(f"  --jobs {jobs}: {seconds:6.1f} s  {reviewed / seconds:5.2f} contracts/s  {pages / seconds:6.1f} pages/s  "
              f"({reviewed} reviewed, {pages} pages; {busy:.1f} s inside the workers)")
    print(f"  throughput ratio jobs2/jobs1: {rates[2] / rates[1]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
