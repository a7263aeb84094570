"""Time and peak memory for every file of the hostile corpus, each reviewed in a fresh worker with the limits.

    python benchmarks/hostile.py [--time-limit 60] [--memory-limit 1500] [--format all|json|...] [--markdown]

The corpus is generated into a temporary folder by ``tests/hostile.py`` (bombs, XXE, broken and encrypted
files, markup, Japanese encodings, ...). Each file gets a new worker process (``reviewer.workers.Pool``, as
``reviewer review`` runs it), so that its peak is its own: ``peak MB`` is the worker's largest resident size,
which includes what the fork server preloaded (``reviewer.worker_preload``; the first row of
the table, a refused empty file, shows that baseline). ``seconds`` is the review inside the worker, ``wall``
adds starting the worker and writing the reports.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def review_each(folder: Path, out: Path, names: list[str], formats: tuple[str, ...], limits) -> list[dict]:
    """One outcome per file, each from a fresh worker, with the wall time around it."""
    from reviewer.jobs import Job, outcome_template, run_job
    from reviewer.workers import Pool, WorkerLost

    rows = []
    for name in names:
        job = Job(source=str(folder / name), formats=formats, out_dir=str(out))
        started = time.perf_counter()
        with Pool(1, limits) as pool:
            try:
                outcome = pool.submit(run_job, job).result()
            except WorkerLost as exc:
                outcome = outcome_template(job.source)
                outcome.update(status="error", error=f"{job.source}: {exc}", peak_mb=None, seconds=None)
        outcome["wall"] = time.perf_counter() - started
        outcome["name"] = name
        rows.append(outcome)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--memory-limit", type=int, default=1500, metavar="MB")
    parser.add_argument("--format", default="all", choices=("all", "json", "html", "md", "docx"))
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()

    import hostile

    from reviewer.jobs import REPORT_FORMATS
    from reviewer.workers import Limits

    formats = REPORT_FORMATS if args.format == "all" else (args.format,)
    limits = Limits(seconds=args.time_limit, memory_mb=args.memory_limit)
    with tempfile.TemporaryDirectory(prefix="reviewer-hostile-") as tmp:
        folder, out = Path(tmp) / "corpus", Path(tmp) / "out"
        out.mkdir()
        started = time.perf_counter()
        expected = hostile.make_corpus(folder)
        generated = time.perf_counter() - started
        sizes = {name: (folder / name).stat().st_size for name in expected}
        # Start the fork server (it preloads spaCy and the library) before anything is timed.
        review_each(folder, out, ["blank.txt"], formats, limits)
        order = ["empty.docx"] + sorted(n for n in expected if n != "empty.docx")
        started = time.perf_counter()
        rows = review_each(folder, out, order, formats, limits)
        total = time.perf_counter() - started

    header = ("file", "bytes", "expected", "outcome", "seconds", "wall", "peak MB")
    table = []
    for row in rows:
        name = row["name"]
        reason = row["error"].split(": ", 1)[1] if row["error"] and ": " in row["error"] else (row["error"] or "")
        if row["status"] == "ok":
            outcome = "reviewed" + (f" ({'; '.join(row['warnings'])})" if row["warnings"] else "")
        else:
            outcome = reason if reason.startswith("refused") else f"refused: {reason}"
        matches = (row["status"] == "ok") if expected[name] == "ok" else (expected[name] in (row["error"] or ""))
        table.append((name, f"{sizes[name]:,}", ("ok" if expected[name] == "ok" else "refused") + ("" if matches else " (MISMATCH)"),
                      outcome, "-" if row["seconds"] is None else f"{row['seconds']:.2f}", f"{row['wall']:.2f}",
                      "-" if row["peak_mb"] is None else str(row["peak_mb"])))
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for line in table:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |")
    else:
        widths = [max(len(h), *(len(line[i]) for line in table)) for i, h in enumerate(header)]
        widths[3] = min(widths[3], 90)
        print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
        for line in table:
            cells = list(line)
            cells[3] = cells[3] if len(cells[3]) <= 90 else cells[3][:89] + "…"
            print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    peaks = [row["peak_mb"] for row in rows if row["peak_mb"] is not None]
    mismatches = sum(1 for line in table if "MISMATCH" in line[2])
    print(f"\n{len(rows)} files ({sum(sizes.values()) / 1e6:.1f} MB on disk, generated in {generated:.1f} s): "
          f"{sum(r['status'] == 'ok' for r in rows)} reviewed, {sum(r['status'] != 'ok' for r in rows)} refused, "
          f"{mismatches} not as expected; {total:.1f} s in all; largest worker {max(peaks)} MB "
          f"(limits {args.time_limit:g} s, {args.memory_limit} MB)")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
