"""The ``reviewer`` command line (SPEC section 1). Imports stay lazy so that ``--version`` and ``--help`` are instant."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# What one contract may use unless told otherwise (``reviewer.workers.Limits``); here, not in reviewer.workers,
# so that building the parser (``--version``, ``--help``) does not import multiprocessing.
DEFAULT_SECONDS = 300.0
DEFAULT_MEMORY_MB = 2048
FORMATS = ("json", "html", "md", "docx", "all")  # "all" writes the four report formats
TEXT_FORMATS = ("json", "html", "md")
SIDES = ("auto", "licensor", "licensee", "company", "investor")
TYPES = ("licence", "investment", "nda", "joint_development", "supply", "services", "other")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="reviewer",
        description="Offline contract clause review: reads licence and investment agreements (DOCX, PDF, text; "
                    "English or Japanese) into clauses and reports what protects your technology.",
    )
    parser.add_argument("--version", action="version", version=f"reviewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    review = sub.add_parser("review", help="review one or more contracts",
                            description="Review contracts. Nothing leaves this machine.")
    review.add_argument("files", nargs="+", metavar="FILE", help="DOCX, PDF or text files")
    review.add_argument("--format", choices=FORMATS, default="json",
                        help="report format: json, html (one self-contained page), md (a compact summary), docx "
                             "(the contract with Word comments), all (the four); default: json")
    review.add_argument("--out", type=Path, metavar="DIR",
                        help="write one report per input into DIR (created if needed); without it, one input's "
                             "report goes to standard output")
    review.add_argument("--side", choices=SIDES, default="auto",
                        help="whose interests the review protects (default: inferred from the contract)")
    review.add_argument("--lang", choices=("en", "ja"), help="language of the report (default: the contract's)")
    review.add_argument("--type", dest="contract_type", choices=TYPES, help="override contract-type detection")
    review.add_argument("--fail-on", choices=("high", "medium", "low"),
                        help="exit with status 1 when a finding of this severity or above is reported")
    review.add_argument("--playbook", type=Path, action="append", default=[], metavar="DIR",
                        help="a folder of protection (and provision) files that add to or replace the bundled "
                             "rules; may be given more than once")
    review.add_argument("--password", help="password of a protected PDF")
    _add_limits(review)
    review.add_argument("--jobs", type=int, metavar="N",
                        help="worker processes when several files are given (default: the number of cores); "
                             "reports still come in the order of the files")
    review.add_argument("--debug", action="store_true",
                        help="review in this process (no worker, no limits) and show a traceback for unexpected errors")
    _add_batch(sub)
    _add_serve(sub)
    library = sub.add_parser("library", help="the clause library: list, show, validate, test",
                             description="Inspect and check the clause library (and playbooks).")
    library.add_argument("action", choices=("list", "show", "validate", "test"))
    library.add_argument("ids", nargs="*", metavar="ID", help="rule ids (show: one; test: default all)")
    library.add_argument("--playbook", type=Path, action="append", default=[], metavar="DIR")
    library.add_argument("--lang", choices=("en", "ja"), default="en", help="language of titles shown")
    return parser


def _add_batch(sub) -> None:
    batch = sub.add_parser("batch", help="review many contracts into one portfolio",
                           description="Review every contract of folders and files into --out, with summary.json, "
                                       "summary.csv, summary.xlsx and portfolio.html. Identical files are reviewed "
                                       "once; contracts whose reports are newer than the file are not reviewed again.")
    batch.add_argument("inputs", nargs="+", metavar="DIR|FILE",
                       help="contract files, and folders walked recursively (.pdf .docx .docm .doc .txt .text .md .rtf)")
    batch.add_argument("--out", type=Path, metavar="DIR", required=True,
                       help="reports (mirroring the input folders), summaries and portfolio.html go here")
    batch.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: the number of cores)")
    batch.add_argument("--format", choices=FORMATS, default="all",
                       help="report formats besides JSON, which is always written (default: all)")
    batch.add_argument("--side", choices=SIDES, default="auto", help="whose interests the review protects")
    batch.add_argument("--lang", choices=("en", "ja"),
                       help="language of the reports and portfolio (default: each contract's)")
    batch.add_argument("--type", dest="contract_type", choices=TYPES, help="override contract-type detection")
    batch.add_argument("--playbook", type=Path, action="append", default=[], metavar="DIR",
                       help="a folder of rules that add to or replace the bundled ones; may be given more than once")
    batch.add_argument("--fail-on", choices=("high", "medium", "low"),
                       help="exit with status 1 when a finding of this severity or above is reported")
    batch.add_argument("--password", help="password of protected PDFs")
    batch.add_argument("--force", action="store_true", help="review every contract again, even when its reports are up to date")
    _add_limits(batch)
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="review on a Dask cluster (tcp://host:8786; needs reviewer[cluster]) instead of local workers")
    batch.add_argument("--quiet", action="store_true", help="no progress bar; only errors on standard error")


def _add_serve(sub) -> None:
    serve = sub.add_parser("serve", help="local upload page and HTTP API",
                           description="Serve an upload page and an HTTP API (POST /api/review; documentation at /docs). "
                                       "Listens on 127.0.0.1 unless told otherwise; see docs/serve.md.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only; another address needs --token)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    serve.add_argument("--max-upload-mb", type=float, default=25, metavar="MB",
                       help="largest upload accepted; larger ones get 413 (default: 25)")
    serve.add_argument("--token", help="require 'Authorization: Bearer TOKEN' (default: the REVIEWER_TOKEN environment "
                                       "variable, which other users cannot see in the process list)")
    serve.add_argument("--jobs", type=int, metavar="N", help="worker processes reviewing at once (default: cores, at most 4)")
    serve.add_argument("--allow-remote-without-token", action="store_true",
                       help="listen on a non-loopback --host without a token (anyone who reaches it can upload)")
    _add_limits(serve)


def _add_limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--time-limit", type=float, default=DEFAULT_SECONDS, metavar="SECONDS",
                        help=f"stop reviewing a contract after this long (default: {DEFAULT_SECONDS:g}; 0: no limit)")
    parser.add_argument("--memory-limit", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                        help=f"memory one contract's review may use (default: {DEFAULT_MEMORY_MB}; 0: no limit)")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments and 0 on --help/--version
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    if args.command == "review":
        return _review(args)
    if args.command == "batch":
        from reviewer.batch import run_batch

        return run_batch(args)
    if args.command == "serve":
        from reviewer.server import run_from_args  # FastAPI and uvicorn load only here

        return run_from_args(args)
    if args.command == "library":
        return _library(args)
    return EXIT_ERROR  # pragma: no cover - argparse rejects unknown commands


def _error(message: str) -> None:
    print(f"reviewer: {message}", file=sys.stderr)


def _review(args: argparse.Namespace) -> int:
    files = [Path(f) for f in args.files]
    if args.out is None and len(files) > 1:
        _error("several files need --out DIR (one report per file)")
        return EXIT_ERROR
    if args.out is None and args.format not in TEXT_FORMATS:
        what = "a Word report" if args.format == "docx" else "several reports"
        _error(f"--format {args.format} writes {what}: give --out DIR (only json, html and md go to standard output)")
        return EXIT_ERROR
    from reviewer.jobs import REPORT_FORMATS, Job
    from reviewer.library import LibraryError

    formats = REPORT_FORMATS if args.format == "all" else (args.format,)
    problem = make_out_dir(args.out) if args.out is not None else None
    if problem:
        _error(problem)
        return EXIT_ERROR
    try:
        options = options_from(args)
    except LibraryError as exc:
        _error(str(exc))
        return EXIT_ERROR
    used_names: set[str] = set()
    jobs = [Job(source=str(path), options=options, formats=formats, out_dir=str(args.out) if args.out is not None else None,
                stem=report_stem(path, formats, used_names), fail_on=args.fail_on) for path in files]
    status = EXIT_OK
    show_progress = len(files) > 1 and sys.stderr.isatty()
    size = args.jobs or 0  # 0: one worker per core (Pool starts only as many as it has work for)
    for number, (job, outcome) in enumerate(run_isolated(jobs, limits_from(args), size, debug=args.debug), start=1):
        if show_progress:
            print(f"[{number}/{len(files)}] {job.source}", file=sys.stderr)
        if outcome["status"] == "error" and not outcome.get("sha256"):
            _error(outcome["error"])
            status = EXIT_ERROR
            continue
        for warning in outcome["warnings"]:
            _error(f"{job.source}: warning: {warning}")
        for message in outcome.get("errors", []):
            _error(message)
            status = EXIT_ERROR
        if outcome["fails"] and status == EXIT_OK:
            status = EXIT_FINDINGS
        if args.out is None and formats[0] in outcome["rendered"]:
            sys.stdout.write(outcome["rendered"][formats[0]])
    return status


def make_out_dir(out: Path) -> str | None:
    """Create the output folder (``review --out``, ``batch --out``); the one-line error when it cannot be."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"{out}: cannot create the output folder ({exc.strerror or exc})"
    return None


def options_from(args: argparse.Namespace):
    """The review options the user chose (``review``, ``batch``). A broken ``--playbook`` raises ``LibraryError``
    here: it is the user's to fix before any contract is read."""
    from reviewer.library import load_library
    from reviewer.pipeline import Options

    options = Options(side=None if args.side == "auto" else args.side, contract_type=args.contract_type,
                      language=args.lang, password=args.password, playbooks=tuple(args.playbook))
    if options.playbooks:
        load_library(options.playbooks)
    return options


def limits_from(args: argparse.Namespace):
    """The per-document limits the user chose."""
    from reviewer.workers import Limits

    return Limits(seconds=args.time_limit, memory_mb=args.memory_limit)


def run_isolated(jobs: list, limits, size: int = 1, debug: bool = False, ordered: bool = True):
    """Yield ``(job, outcome)`` in order, each contract reviewed in a worker process with the limits.

    With ``debug`` the work runs in this process, so that a traceback shows where it failed. With
    ``ordered=False`` outcomes come as they finish (``batch``). Ctrl-C stops the workers at once.
    """
    from concurrent.futures import as_completed

    from reviewer.jobs import failed_outcome, run_job
    from reviewer.workers import Pool, WorkerLost

    if debug:
        for job in jobs:
            try:
                outcome = run_job(job, debug=True)
            except MemoryError:  # no worker to replace: say it, and go on with the next file
                outcome = failed_outcome(job.source, "ran out of memory")
            yield job, outcome
        return
    with Pool(size, limits) as pool:
        futures = {pool.submit(run_job, job): job for job in jobs}
        for future in (futures if ordered else as_completed(futures)):
            job = futures[future]
            try:
                outcome = future.result()
            except WorkerLost as exc:
                outcome = failed_outcome(job.source, str(exc))
            yield job, outcome


def _library(args: argparse.Namespace) -> int:
    from reviewer.library import LibraryError, load_library

    try:
        library = load_library(tuple(args.playbook))
    except LibraryError as exc:
        _error(str(exc))
        return EXIT_ERROR
    if args.action == "validate":
        print(f"{len(library.provisions)} provisions and {len(library.protections)} protections valid "
              f"({', '.join(str(s) for s in library.sources)})")
        return EXIT_OK
    if args.action == "list":
        for rule in library.all():
            langs = "/".join(rule.data.get("languages", sorted(rule.data["examples"])))
            extra = f"  [{rule.data['basis']}, {rule.data['severity']}]" if rule.kind == "protection" else ""
            print(f"{rule.kind:10} {rule.id:36} {langs:5} {rule.text('title', args.lang)}{extra}")
        return EXIT_OK
    if args.action == "show":
        if len(args.ids) != 1 or library.get(args.ids[0]) is None:
            _error("library show needs one known rule id (see: reviewer library list)")
            return EXIT_ERROR
        rule = library.get(args.ids[0])
        sys.stdout.write(rule.path.read_text(encoding="utf-8"))
        return EXIT_OK
    from reviewer.library.checks import run_checks

    results, problems = run_checks(library, args.ids or None)
    failed = [r for r in results if not r.ok and r.counts]
    for r in results:
        if not r.ok:
            tag = "KNOWN" if not r.counts else "FAIL"
            print(f"{tag} {r.rule} [{r.language} {r.label}] {r.detail}: {r.text[:120]!r}")
    for problem in problems:
        print(f"FAIL {problem}")
    passed = sum(1 for r in results if r.ok)
    print(f"{passed} passed, {len(failed) + len(problems)} failed")
    return EXIT_OK if not failed and not problems else EXIT_FINDINGS


def report_stem(path: Path, formats: tuple[str, ...], used: set[str]) -> str:
    """``<stem>``, or ``<stem>-2`` ... when an earlier input of this run took one of its report names."""
    stem, n = path.stem, 2
    while any(f"{stem}.{fmt}" in used for fmt in formats):
        stem = f"{path.stem}-{n}"
        n += 1
    used.update(f"{stem}.{fmt}" for fmt in formats)
    return stem
