"""The speed and memory figures of reviewer, each beside its baseline, as ratios measured in one run.

    python benchmarks/run.py [--files 40] [--runs 3] [--skip-pdfplumber] [--skip-batch] [--skip-upload]
                             [--data ../shared/data]

Every figure is the median of ``--runs`` runs of a whole command in a fresh process (cold start included),
because that is what a user waits for. Machines here are shared and noisy: the commands compared run in turn
(after one untimed run of each), and each ratio is the median of the per-run ratios; compare those rather than
the seconds. A command that fails stops the benchmark.

1. ``reviewer review`` of N CUAD PDFs (one call; with its default of one worker per core, and with
   ``--jobs 1``) against a plain pypdfium2 script that only extracts the
   text of the same files (the floor for any tool that reads PDFs; target: at most 3x) and against
   pdfplumber's ``extract_text()`` (target: at least 5x faster). Peak memory of the whole process tree
   (the command, its fork server and worker; target: under 1 GB).
2. ``reviewer --version`` (target: under 0.3 s) and the first review of a 30-page contract in a fresh
   process (target: under 2 s).
3. ``reviewer batch`` with ``--jobs 1`` and ``--jobs 2`` on 120 CUAD PDFs (target: 2 jobs at least 1.7x
   the throughput of 1), with the largest per-contract peak memory of the workers (target: under 2 GB).
4. Upload to report in a real browser for a 30-page PDF (``benchmarks/upload.py``; target: under 3 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from batch import compare, ratios  # noqa: E402

PYTHON = sys.executable
REVIEWER = [PYTHON, "-m", "reviewer"]

def baseline(function: str) -> list[str]:
    """A fresh Python that runs one of ``speed.py``'s baselines (pypdfium2 or pdfplumber text) on the files given."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); from pathlib import Path; "
            f"from speed import {function}; {function}([Path(p) for p in sys.argv[1:]])")
    return [PYTHON, "-c", code]


class TreeMemory:
    """Peak resident memory of a process and all its descendants, sampled every 20 ms from /proc."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self._stop.wait(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and its descendants (0 where /proc is not available)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total, todo, seen = 0, [root], set()
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def run(command: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, int, int]:
    """Wall seconds, exit status and peak tree memory (bytes) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = TreeMemory(process.pid)
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    if process.returncode not in (0, 1):  # a command that failed fast must not be timed as a success
        raise SystemExit(f"{' '.join(command[:4])} ... failed (exit status {process.returncode}):\n"
                         f"{err.decode('utf-8', 'replace')[-2000:]}")
    return seconds, process.returncode, peak


def in_turn(commands: list[list[str]], runs: int, env: dict) -> list[list[tuple[float, int]]]:
    """Each command once, untimed (disk cache, imports), then all of them in turn, ``runs`` times, the first one
    changing from run to run: (seconds, peak memory) per command and run. A slow spell of the shared host then
    weighs on every side of a ratio, and ratios are taken run by run."""
    for command in commands:
        run(command, env=env)
    results: list[list[tuple[float, int]]] = [[] for _ in commands]
    for index in range(runs):
        for position in range(len(commands)):
            which = (index + position) % len(commands)
            seconds, _, peak = run(commands[which], env=env)
            results[which].append((seconds, peak))
    return results


def ratio_text(top: list[tuple[float, int]], bottom: list[tuple[float, int]]) -> tuple[float, str]:
    """The median of the per-run ratios of two commands' seconds, and the ratios themselves."""
    each = [t[0] / b[0] for t, b in zip(top, bottom, strict=True)]
    return statistics.median(each), ", ".join(f"{r:.2f}" for r in each)


def median_run(command: list[str], runs: int, **kwargs) -> tuple[float, int]:
    """Median seconds and the largest peak memory over ``runs`` runs."""
    seconds, peaks = [], []
    for _ in range(runs):
        s, _, peak = run(command, **kwargs)
        seconds.append(s)
        peaks.append(peak)
    return statistics.median(seconds), max(peaks)


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def line(name: str, value: str, baseline: str = "", verdict: str = "") -> None:
    print(f"  {name:52} {value:>14}  {baseline:38} {verdict}")


def check(ok: bool) -> str:
    return "ok" if ok else "NOT MET"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--files", type=int, default=40, help="how many CUAD PDFs (default 40)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--skip-pdfplumber", action="store_true", help="skip pdfplumber (about a minute per run)")
    parser.add_argument("--batch-files", type=int, default=120,
                        help="CUAD PDFs for the batch figure (default 120: enough that start-up and the summary "
                             "files, which no second worker can share, do not hide the throughput)")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-upload", action="store_true")
    args = parser.parse_args()
    folder = args.data / "cuad" / "pdf"
    if not folder.is_dir():
        print(f"{folder}: not found (the shared data folder)", file=sys.stderr)
        return 2
    files = sorted(folder.glob("*.pdf"))[: args.files]
    pages = sum(pages_of(f) for f in files)
    thirty = next((f for f in sorted(folder.glob("*.pdf")) if pages_of(f) == 30), files[0])
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    print(f"{len(files)} CUAD PDFs, {pages} pages; medians of {args.runs} runs, each a fresh process; "
          f"{os.cpu_count()} cores")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports"
        names = [str(f) for f in files]
        base_runs, review_runs, single_runs = in_turn(
            [[*baseline("plain_pdfium"), *names],
             [*REVIEWER, "review", *names, "--out", str(out), "--format", "json"],
             [*REVIEWER, "review", *names, "--out", str(out), "--format", "json", "--jobs", "1"]], args.runs, env)
        base, review, single = (statistics.median(s for s, _ in r) for r in (base_runs, review_runs, single_runs))
        peak = max(p for r in (review_runs, single_runs) for _, p in r)
        review_ratio, review_each = ratio_text(review_runs, base_runs)
        single_ratio, single_each = ratio_text(single_runs, base_runs)
        print("\n1. One review call over every file, against reading the text alone (ratios: median of the "
              "per-run ratios)")
        line("pypdfium2 text extraction (baseline)", f"{base:.2f} s", f"{pages / base:.0f} pages/s")
        line(f"reviewer review --format json ({os.cpu_count()} workers)", f"{review:.2f} s",
             f"{review_ratio:.2f}x the baseline (target <= 3x)", check(review_ratio <= 3))
        line("", "", f"per run: {review_each}")
        line("reviewer review --format json --jobs 1", f"{single:.2f} s", f"{single_ratio:.2f}x the baseline")
        line("", "", f"per run: {single_each}")
        line("peak memory of reviewer (all its processes)", f"{peak / 2**20:.0f} MB", "target < 1024 MB",
             check(peak < 2**30))
        if not args.skip_pdfplumber:
            plumber, _ = median_run([*baseline("pdfplumber_text"), *names], 1)
            line("pdfplumber extract_text() (1 run)", f"{plumber:.2f} s",
                 f"reviewer is {plumber / review:.1f}x faster ({plumber / single:.1f}x with one worker; target >= 5x)",
                 check(plumber / single >= 5))

        print("\n2. Start-up")
        version, _ = median_run([*REVIEWER, "--version"], max(5, args.runs), env=env)
        line("reviewer --version", f"{version:.2f} s", "target < 0.3 s", check(version < 0.3))
        first, _ = median_run([*REVIEWER, "review", str(thirty), "--format", "json"], args.runs, env=env)
        line(f"first review, fresh process, {pages_of(thirty)}-page PDF", f"{first:.2f} s", "target < 2 s",
             check(first < 2))

        if not args.skip_batch:
            batch_files = [str(f) for f in sorted(folder.glob("*.pdf"))[: args.batch_files]]
            print(f"\n3. Batch throughput, {len(batch_files)} CUAD PDFs")
            results = compare([Path(f) for f in batch_files], args.runs)
            for jobs, runs in results.items():
                seconds = statistics.median(r["seconds"] for r in runs)
                worst = max(r["peak_mb"] for r in runs)
                line(f"reviewer batch --jobs {jobs}", f"{seconds:.2f} s",
                     f"{len(batch_files) / seconds:.1f} contracts/s; worker peak {worst} MB", check(worst < 2048))
            each = ratios(results)
            ratio = statistics.median(each)
            line("throughput of --jobs 2 over --jobs 1", f"{ratio:.2f}x", "target >= 1.7x", check(ratio >= 1.7))
            line("", "", f"per run: {', '.join(f'{r:.2f}' for r in each)}")

    if not args.skip_upload:
        print("\n4. Upload to report in the browser (benchmarks/upload.py)")
        sys.stdout.flush()
        subprocess.run([PYTHON, str(ROOT / "benchmarks" / "upload.py"), "--pdf", str(thirty),
                        "--runs", str(max(3, args.runs))], env=env, check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
