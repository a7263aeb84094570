"""Ingestion + segmentation speed on CUAD PDFs, side by side with plain text extraction, medians of runs.

    python benchmarks/speed.py [--files 40] [--runs 3] [--pdfplumber] [--data ../shared/data]

Baseline: a plain pypdfium2 loop that only extracts each page's text (the floor for any tool that reads
PDFs). Optional second baseline: pdfplumber's extract_text() (slow: about 10 pages/s). Machines here are
shared and noisy, so every figure is the median of several runs: the baseline, reading alone and the whole
review run in turn on each file (which goes first changes from file to file), and every ratio is the median of
the per-run ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def plain_pdfium(files: list[Path]) -> int:
    """Extract every page's text with pypdfium2 and nothing else; returns the page count."""
    import pypdfium2 as pdfium

    pages = 0
    for path in files:
        pdf = pdfium.PdfDocument(path)
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return pages


def pdfplumber_text(files: list[Path]) -> int:
    """pdfplumber's extract_text() on every page."""
    import pdfplumber

    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    return pages


def reviewer_read(files: list[Path]) -> int:
    """reviewer's ingestion and segmentation."""
    from reviewer.ingest import read_document
    from reviewer.segment import segment

    pages = 0
    for path in files:
        doc = segment(read_document(path))
        pages += doc.source.pages or 0
    return pages


def reviewer_review(files: list[Path]) -> int:
    """reviewer's whole review: ingestion, segmentation, provisions and protections."""
    from reviewer.pipeline import review

    pages = 0
    for path in files:
        pages += review(path)["source"]["pages"] or 0
    return pages


def timed(fn, files: list[Path], runs: int) -> tuple[float, int]:
    """Median seconds over ``runs`` and the page count."""
    seconds = []
    pages = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        pages = fn(files)
        seconds.append(time.perf_counter() - t0)
    return statistics.median(seconds), pages


def in_turn(functions: list, files: list[Path], runs: int) -> tuple[list[list[float]], list[list[float]]]:
    """The functions on each file in turn (which goes first changes from file to file), ``runs`` times: wall and
    CPU seconds per function and run. A slow spell of the shared host then weighs on every side of a ratio."""
    wall = [[0.0] * runs for _ in functions]
    cpu = [[0.0] * runs for _ in functions]
    for run in range(runs):
        for index, path in enumerate(files):
            for position in range(len(functions)):
                which = (index + position) % len(functions)
                w, c = time.perf_counter(), time.process_time()
                functions[which]([path])
                wall[which][run] += time.perf_counter() - w
                cpu[which][run] += time.process_time() - c
    return wall, cpu


def per_run(top: list[float], bottom: list[float]) -> list[float]:
    return [t / b for t, b in zip(top, bottom, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--files", type=int, default=40, help="how many CUAD PDFs (default 40)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--pdfplumber", action="store_true", help="also time pdfplumber's extract_text()")
    args = parser.parse_args()
    folder = args.data / "cuad" / "pdf"
    if not folder.is_dir():
        print(f"{folder}: not found (the shared data folder)", file=sys.stderr)
        return 2
    files = sorted(folder.glob("*.pdf"))[: args.files]
    reviewer_review(files)  # warm imports and every regex these files need: each side is timed working, not loading
    pages = plain_pdfium(files)
    wall, cpu = in_turn([plain_pdfium, reviewer_read, reviewer_review], files, args.runs)
    base, ours, full = (statistics.median(w) for w in wall)
    read_ratio = statistics.median(per_run(wall[1], wall[0]))
    adds = [r - 1 for r in per_run(wall[2], wall[1])]
    adds_cpu = [r - 1 for r in per_run(cpu[2], cpu[1])]
    print(f"{len(files)} CUAD PDFs, {pages} pages, median of {args.runs} runs (the three in turn, file by file; "
          f"ratios: medians of the per-run ratios)")
    print(f"  pypdfium2 text only (baseline):      {base:6.2f} s  {pages / base:6.0f} pages/s")
    print(f"  reviewer ingestion + segmentation:   {ours:6.2f} s  {pages / ours:6.0f} pages/s  "
          f"ratio {read_ratio:.2f}x the baseline")
    print(f"  reviewer full review (+ provisions, findings): {full:6.2f} s  {pages / full:6.0f} pages/s")
    print(f"  review adds {100 * statistics.median(adds):.0f}% to ingestion (target <= 50%); per run "
          f"{', '.join(f'{100 * a:.0f}%' for a in adds)}; in CPU time {100 * statistics.median(adds_cpu):.0f}% "
          f"({', '.join(f'{100 * a:.0f}%' for a in adds_cpu)})")
    if args.pdfplumber:
        plumber, _ = timed(pdfplumber_text, files, 1)
        print(f"  pdfplumber extract_text() (1 run):   {plumber:6.2f} s  {pages / plumber:6.0f} pages/s  "
              f"ratio {plumber / base:.2f}x the baseline; reviewer is {plumber / ours:.1f}x faster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
