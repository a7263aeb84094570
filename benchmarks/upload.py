"""Upload to report in a real browser: ``reviewer serve`` and Debian's chromium driven by Playwright.

    python benchmarks/upload.py [--pdf FILE | --pages 30] [--runs 7] [--jobs 2] [--data ../shared/data]

Starts ``python -m reviewer serve --port 0`` as a user would, opens the upload page in chromium, chooses the
contract, clicks Review and stops the clock when the report page shows its first finding. By default the
contract is the first CUAD PDF (by name) with exactly ``--pages`` pages (pypdfium2's count). Each run is
split into what the server reports in its ``Server-Timing`` header (upload received, review in a worker:
reading, analysis and the four report formats) and the rest (the browser sending the file, opening the
report page, drawing it). The first run after start is shown apart; the figures are medians of the others.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def page_count(path: Path) -> int:
    """The number of pages of a PDF (pypdfium2's count)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def pdf_with_pages(folder: Path, pages: int) -> Path:
    """The first PDF of ``folder`` (by name) with exactly ``pages`` pages."""
    for path in sorted(folder.glob("*.pdf")):
        try:
            count = page_count(path)
        except Exception:  # noqa: BLE001 - a damaged file is simply not a candidate
            continue
        if count == pages:
            return path
    raise SystemExit(f"no PDF with {pages} pages in {folder}")


def start_server(jobs: int) -> tuple[subprocess.Popen, str]:
    """``reviewer serve --port 0`` in its own process; returns it and its URL once /healthz says ready."""
    import httpx

    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("REVIEWER_TOKEN", None)
    process = subprocess.Popen([sys.executable, "-m", "reviewer", "serve", "--port", "0", "--jobs", str(jobs)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    match = re.search(r"(http://\S+?)/?\s", line)
    if not match:
        process.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    url = match.group(1).rstrip("/")
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise SystemExit("the server did not become ready")
        time.sleep(0.1)


def server_timing(header: str) -> dict[str, float]:
    """``{"upload": ms, "review": ms}`` from a Server-Timing header."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"(\w+);dur=([\d.]+)", header or "")}


def one_run(page, url: str, pdf: Path) -> dict[str, float]:
    page.goto(f"{url}/")
    page.set_input_files("#file", str(pdf))
    started = time.perf_counter()
    with page.expect_response(lambda r: r.url.endswith("/review") and r.request.method == "POST", timeout=300_000) as answer:
        page.click("#submit")
    answered = time.perf_counter()
    page.wait_for_url("**/reports/*", timeout=300_000)
    page.wait_for_selector("article.card h3", timeout=300_000)
    shown = time.perf_counter()
    if answer.value.status != 200:
        raise SystemExit(f"the review failed: HTTP {answer.value.status} {answer.value.text()[:200]}")
    timing = server_timing(answer.value.headers.get("server-timing", ""))
    return {"total": shown - started, "answered": answered - started, "review": timing.get("review", 0) / 1000,
            "upload": timing.get("upload", 0) / 1000, "page": shown - answered}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, help="the contract to upload (default: a CUAD PDF with --pages pages)")
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7, help="measured runs after the first (default: 7)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the server (default: 2)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    pdf = args.pdf or pdf_with_pages(args.data / "cuad" / "pdf", args.pages)
    pages = page_count(pdf) if args.pdf else args.pages
    print(f"{pdf.name}: {pages} pages, {pdf.stat().st_size // 1024} KB; server with {args.jobs} workers; chromium {args.chromium}")
    process, url = start_server(args.jobs)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            results = [one_run(page, url, pdf) for _ in range(args.runs + 1)]
            browser.close()
    finally:
        process.terminate()
        process.wait(30)
    head = f"{'run':>5} {'total s':>8} {'answer s':>9} {'review s':>9} {'page s':>7}"
    print(head)
    for n, r in enumerate(results):
        label = "first" if n == 0 else str(n)
        print(f"{label:>5} {r['total']:8.3f} {r['answered']:9.3f} {r['review']:9.3f} {r['page']:7.3f}")
    measured = results[1:] or results
    median = {k: statistics.median(r[k] for r in measured) for k in measured[0]}
    print(f"median of {len(measured)}: upload to report {median['total']:.3f} s (server review {median['review']:.3f} s, "
          f"upload received {median['upload'] * 1000:.0f} ms, answer at {median['answered']:.3f} s, "
          f"report page opened in {median['page']:.3f} s); range {min(r['total'] for r in measured):.3f}-"
          f"{max(r['total'] for r in measured):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
