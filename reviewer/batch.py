"""``reviewer batch``: many contracts, one portfolio.

Inputs are files and folders (walked recursively). Identical files (same sha256) are reviewed once.
Each contract is reviewed in a worker process with a time and memory limit (``reviewer.workers``), or
on a Dask cluster with ``--scheduler``; its reports mirror the input's subfolders under ``--out``.
A contract whose reports are already there, newer than the input and of the same bytes is not reviewed
again (``--force`` does), so an interrupted batch continues where it stopped. The summaries
(``summary.json``, ``summary.csv``, ``summary.xlsx``, ``portfolio.html``) are written by
``reviewer.report.portfolio.write_summaries`` from one outcome per input, in input order.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from reviewer.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, limits_from, make_out_dir, options_from, report_stem, run_isolated
from reviewer.errors import describe, one_line
from reviewer.jobs import REPORT_FORMATS, Job, add_errors, failed_outcome, report_outcome, run_job, save_reports
from reviewer.workers import cores

# What a folder walk picks up (case-insensitive). .doc and .rtf are taken so that they get ingestion's
# clear refusal in the summary rather than vanishing silently.
CONTRACT_SUFFIXES = frozenset({".pdf", ".docx", ".docm", ".doc", ".txt", ".text", ".md", ".rtf"})
INTERRUPTED = "not reviewed: the batch was interrupted (run the same command again to continue)"
EXIT_INTERRUPTED = 130
# Dask: how long to wait for the scheduler, and for a first worker to join it.
CONNECT_SECONDS = 30
WORKER_WAIT_SECONDS = 60


class BatchError(Exception):
    """A problem with the batch as a whole (not one contract): one line, exit status 2."""


@dataclass
class Item:
    """One input file of the batch."""

    path: Path
    source: str  # the path as the user gave it or as found below a folder they gave
    subdir: str = ""  # where its reports go, relative to --out ("" or "a/b", posix)
    sha256: str | None = None  # None when the file cannot be read here (the review then says why)
    duplicate_of: int | None = None  # index of the identical input that is reviewed instead
    stem: str = ""
    outcome: dict[str, Any] | None = field(default=None, repr=False)


# -- collecting the inputs ----------------------------------------------------------------------------------
def collect(inputs: list[str], out: Path) -> tuple[list[Item], list[str]]:
    """The input files in order, and a note for each folder that held no contract.

    Files named on the command line are always taken; below a folder, files with a contract-like
    extension, leaving out hidden files and folders, Office lock files (``~$x.docx``), ``out`` and
    any other batch's output folder.
    """
    out_resolved = _resolved(out)
    items: list[Item] = []
    notes: list[str] = []
    for given in inputs:
        root = Path(given)
        if not root.is_dir():
            items.append(Item(root, given))
            continue
        found = []
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and _resolved(here / d) != out_resolved
                             and not _is_batch_output(here / d))
            found.extend(here / name for name in files
                         if not name.startswith((".", "~$")) and Path(name).suffix.lower() in CONTRACT_SUFFIXES)
        found.sort(key=lambda p: p.relative_to(root).parts)
        if not found:
            notes.append(f"{given}: no contract files (.pdf, .docx, .docm, .txt, .md, ...) in this folder")
        for path in found:
            relative = path.relative_to(root)
            items.append(Item(path, str(path), relative.parent.as_posix() if relative.parent.parts else ""))
    return items, notes


def _is_batch_output(folder: Path) -> bool:
    """An earlier batch's --out folder: its reports are not contracts."""
    return all((folder / name).is_file() for name in ("summary.json", "portfolio.html"))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def fingerprint(path: Path) -> str | None:
    """The sha256 of a regular file's bytes; None when it cannot or should not be read here.

    Only regular files within the size limit are read: a FIFO or a device would block this process
    (``make_jobs`` refuses those), and a worker refuses a file over the limit with the reason.
    """
    from reviewer.ingest import MAX_FILE_BYTES

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def plan(items: list[Item], formats: tuple[str, ...]) -> None:
    """Mark duplicates and give every other input its report name (``<stem>``, ``<stem>-2``, ...) in its folder."""
    from reviewer.report.portfolio import SUMMARY_FILES  # written at the top of --out: no report may take these names

    first: dict[str, int] = {}
    used: dict[str, set[str]] = {"": set(SUMMARY_FILES)}
    for index, item in enumerate(items):
        item.sha256 = fingerprint(item.path)
        if item.sha256 is not None:
            if item.sha256 in first:
                item.duplicate_of = first[item.sha256]
                continue
            first[item.sha256] = index
        item.stem = report_stem(item.path, formats, used.setdefault(item.subdir, set()))


# -- resuming ----------------------------------------------------------------------------------------------
def previous_outcome(item: Item, out: Path, formats: tuple[str, ...], args: argparse.Namespace,
                     earlier: dict[str, dict], made: dict[str, str], since_ns: int = 0) -> dict[str, Any] | None:
    """The outcome of an earlier run when its reports are all there, newer than the input (and than
    ``since_ns``), of the same bytes, made by the same reviewer version with the same rules (``made``, see
    ``pipeline.made_by``) and with the side, type and report language asked for now; None when it must be
    reviewed."""
    if item.sha256 is None:
        return None
    folder = out / item.subdir
    try:
        since = max(item.path.stat().st_mtime_ns, since_ns)
        if any(not t.is_file() or t.stat().st_mtime_ns < since for t in (folder / f"{item.stem}.{f}" for f in formats)):
            return None
        report = json.loads((folder / f"{item.stem}.json").read_text(encoding="utf-8"))
        if report["source"]["sha256"] != item.sha256 or report.get("reviewer") != made:
            return None
        contract = report["contract"]
        if args.side != "auto" and contract["side"] != args.side:
            return None
        if args.contract_type and contract["type"] != args.contract_type:
            return None
        if report.get("report_language", report["source"]["language"]) != (args.lang or report["source"]["language"]):
            return None
        outcome = report_outcome(item.source, report, args.fail_on)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    outcome["reports"] = {f: _relative(item.subdir, f"{item.stem}.{f}") for f in formats}
    before = earlier.get(item.source)
    if before and before.get("sha256") == item.sha256:
        outcome["seconds"], outcome["peak_mb"] = before.get("seconds", 0.0), before.get("peak_mb", 0)
    outcome["resumed"] = True
    return outcome


def _earlier_summary(out: Path) -> dict[str, dict]:
    """The previous run's summary.json rows by file (for the time and memory of contracts not redone)."""
    try:
        rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        return {r["file"]: r for r in rows if isinstance(r, dict) and "file" in r} if isinstance(rows, list) else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _relative(subdir: str, name: str) -> str:
    return f"{subdir}/{name}" if subdir else name


# -- running -----------------------------------------------------------------------------------------------
def run_local(jobs: list[Job], limits, size: int) -> Iterator[tuple[Job, dict]]:
    """Outcomes as they finish, each contract in a worker process with the limits."""
    return run_isolated(jobs, limits, size=size, ordered=False)


def run_on_cluster(address: str, jobs: list[Job], seconds: float) -> Iterator[tuple[Job, dict]]:
    """Outcomes as they finish, each contract reviewed on a Dask worker of the scheduler at ``address``.

    The file's bytes travel with the task and the rendered reports come back, so the workers need no
    shared folder; this process writes the reports. At most as many contracts are in flight as the
    cluster has worker threads, so the time limit counts from about when a worker starts on one: a
    contract over it gets a time-limit error here (the worker thread itself cannot be stopped and
    finishes on its own). Memory is bounded only by each worker's own ``--memory-limit``.
    """
    try:
        import distributed
    except ImportError:
        raise BatchError("--scheduler needs dask.distributed, which is not installed: pip install 'reviewer[cluster]'") from None
    from distributed.comm import parse_address
    from distributed.comm.registry import get_backend

    from reviewer import __version__
    from reviewer.errors import ReviewerError
    from reviewer.ingest import read_file_bytes

    try:  # a Client given a bad address would hang at exit
        scheme, location = parse_address(address)
        get_backend(scheme)
        if not location:
            raise ValueError("no host")
    except (ValueError, TypeError) as exc:
        raise BatchError(f"--scheduler {address}: not a Dask scheduler address such as tcp://host:8786 "
                         f"({one_line(exc)})") from None
    try:
        client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address
        raise BatchError(f"cannot connect to the Dask scheduler at {address} ({one_line(exc)})") from None
    inflight: dict[Any, tuple[Job, float]] = {}
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError:
            raise BatchError(f"no Dask worker joined the scheduler at {address} within {WORKER_WAIT_SECONDS} s: "
                             f"start some with: dask worker {address}") from None
        try:
            versions = set(client.run(worker_version).values())
        except Exception as exc:
            raise BatchError(f"the Dask workers cannot run reviewer ({one_line(exc)}): install reviewer[cluster] "
                             f"{__version__} on every worker") from None
        if versions != {__version__}:
            raise BatchError(f"the Dask workers run reviewer {', '.join(sorted(map(str, versions)))}, this is "
                             f"{__version__}: install the same version on every worker")
        playbooks = ship_playbooks(jobs[0].options.playbooks) if jobs else ()
        pending = list(reversed(jobs))
        window, asked = 1, float("-inf")
        while pending or inflight:
            if pending and time.monotonic() - asked > 1:  # workers come and go: ask again now and then
                window, asked = max(1, sum(client.nthreads().values())), time.monotonic()
            while pending and len(inflight) < window:
                job = pending.pop()
                try:
                    data = read_file_bytes(job.source)
                except ReviewerError as exc:
                    yield job, failed_outcome(job.source, exc.reason)
                    continue
                remote = replace(job, data=data, out_dir=None, options=replace(job.options, playbooks=()))
                future = client.submit(review_on_worker, (remote, playbooks), pure=False)
                inflight[future] = (job, time.monotonic() + seconds if seconds > 0 else float("inf"))
            finished = [f for f in inflight if f.done()]
            now = time.monotonic()
            late = [f for f in inflight if f not in finished and inflight[f][1] <= now]
            for future in finished:
                job, _deadline = inflight.pop(future)
                yield job, _cluster_outcome(job, future)
            for future in late:
                job, _deadline = inflight.pop(future)
                future.cancel()
                yield job, failed_outcome(job.source, f"took longer than the time limit of {seconds:g} s "
                                                      "(on the cluster: the worker finishes it on its own)")
            if not finished and not late:
                time.sleep(0.05)
    finally:
        if inflight:
            client.cancel(list(inflight))
        client.close()


def _special_file(path: str) -> bool:
    """A FIFO, socket or device (a folder or a missing file gets read_file_bytes' reason)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _cluster_outcome(job: Job, future) -> dict[str, Any]:
    """A finished task's outcome with its reports written here, like a local worker's."""
    try:
        outcome = future.result()
    except Exception as exc:
        if type(exc).__name__ == "KilledWorker":
            return failed_outcome(job.source, "the Dask worker reviewing it died (most likely over its --memory-limit)")
        if isinstance(exc, MemoryError):
            return failed_outcome(job.source, "needs more memory than the Dask worker has")
        return failed_outcome(job.source, f"could not be reviewed on the cluster ({describe(exc)})")
    rendered = outcome.pop("rendered", {}) or {}
    outcome["rendered"] = {}
    add_errors(outcome, list(outcome.get("errors", [])) + save_reports(job.source, Path(job.out_dir), job.stem, rendered, outcome))
    return outcome


def worker_version() -> str:
    """Run on each Dask worker: the reviewer version it has."""
    from reviewer import __version__

    return __version__


def ship_playbooks(playbooks: tuple[Path, ...]) -> tuple[tuple[str, tuple[tuple[str, bytes], ...]], ...]:
    """The rule files of each playbook folder (what ``load_library`` reads), to recreate on a worker."""
    from reviewer.library import playbook_folders, rule_files

    shipped = []
    for playbook in playbooks:
        playbook = Path(playbook)
        files = [(path.relative_to(playbook).as_posix(), path.read_bytes())
                 for folder in playbook_folders(playbook) for path in rule_files(folder)]
        shipped.append((playbook.name, tuple(files)))
    return tuple(shipped)


def review_on_worker(payload: tuple[Job, tuple]) -> dict[str, Any]:
    """Run on a Dask worker: recreate the playbooks (once per worker process), then ``run_job``."""
    job, playbooks = payload
    if playbooks:
        job = replace(job, options=replace(job.options, playbooks=tuple(_playbook_folder(name, files)
                                                                         for name, files in playbooks)))
    return run_job(job)


_PLAYBOOK_FOLDERS: dict[str, Path] = {}
_PLAYBOOK_LOCK = threading.Lock()


def _playbook_folder(name: str, files: tuple[tuple[str, bytes], ...]) -> Path:
    """A private folder (mode 0700, removed when the worker exits) holding one shipped playbook."""
    digest = hashlib.sha256()
    for relative, data in files:
        digest.update(relative.encode() + b"\0" + hashlib.sha256(data).digest())
    key = f"{name}-{digest.hexdigest()[:16]}"
    with _PLAYBOOK_LOCK:
        if key not in _PLAYBOOK_FOLDERS:
            import atexit
            import shutil
            import tempfile

            home = Path(tempfile.mkdtemp(prefix="reviewer-playbook-"))
            atexit.register(shutil.rmtree, home, True)
            folder = home / (name or "playbook")
            for relative, data in files:
                (folder / relative).parent.mkdir(parents=True, exist_ok=True)
                (folder / relative).write_bytes(data)
            folder.mkdir(exist_ok=True)
            _PLAYBOOK_FOLDERS[key] = folder
        return _PLAYBOOK_FOLDERS[key]


# -- the command -------------------------------------------------------------------------------------------
def run_batch(args: argparse.Namespace) -> int:
    """``reviewer batch``; returns the exit status (130 after Ctrl-C)."""
    try:
        return _run_batch(args)
    except KeyboardInterrupt:  # before any contract went to a worker (later ones are handled inside)
        _say("interrupted before any contract was reviewed", prefix=False)
        return EXIT_INTERRUPTED


def _run_batch(args: argparse.Namespace) -> int:
    from reviewer.library import LibraryError, load_library
    from reviewer.pipeline import made_by

    out: Path = args.out
    formats = REPORT_FORMATS if args.format == "all" else tuple(dict.fromkeys(("json", args.format)))
    if args.jobs is not None and args.jobs < 1:
        return _fail("--jobs must be 1 or more")
    problem = make_out_dir(out)
    if problem:
        return _fail(problem)
    try:
        options = options_from(args)
    except LibraryError as exc:
        return _fail(str(exc))
    items, notes = collect(args.inputs, out)
    for note in notes:
        _say(note)
    if not items:
        return _fail("no contract files to review")
    plan(items, formats)
    try:
        made = made_by(load_library(options.playbooks))
    except LibraryError as exc:
        return _fail(str(exc))
    jobs = make_jobs(items, out, formats, options, args, made)
    show_bar = not args.quiet and sys.stderr.isatty()
    if show_bar and len(jobs) < len(items):  # what the progress bar does not count
        resumed = sum(1 for item in items if item.outcome is not None and item.outcome.get("resumed"))
        duplicates = sum(1 for item in items if item.duplicate_of is not None)
        _say(f"{len(items)} contracts: {len(jobs)} to review, {resumed} already reviewed (--force reviews them "
             f"again), {duplicates} identical to another")
    started = time.time_ns()
    try:
        interrupted = review_all(jobs, args, show_bar)
    except BatchError as exc:
        return _fail(str(exc))
    previous_handler = _ignore_sigint()  # from here on Ctrl-C waits: the summary is written whole
    try:
        if interrupted:
            for item in jobs.values():
                if item.outcome is None:  # its reports may all have been written just before Ctrl-C
                    item.outcome = previous_outcome(item, out, formats, args, {}, made, since_ns=started)
                    if item.outcome is None:
                        _remove_partial(out / item.subdir, item.stem)
                    else:
                        item.outcome["resumed"] = False
        outcomes = finish(items)
        for item in items:
            if item.duplicate_of is not None and item.outcome["status"] == "error" and not item.outcome.get("interrupted"):
                _say(item.outcome["error"])
        try:
            from reviewer.report.portfolio import write_summaries

            write_summaries(outcomes, out, lang=args.lang, playbooks=options.playbooks)
        except Exception as exc:  # the reports are written; say why the summary is not
            _say(f"{out}: the summary could not be written ({describe(exc)})")
            return EXIT_INTERRUPTED if interrupted else EXIT_ERROR
        errors = sum(1 for o in outcomes if o["status"] == "error")
        if interrupted:
            done = sum(1 for o in outcomes if not o.get("interrupted"))
            _say(f"interrupted: {done} of {len(outcomes)} contracts reviewed; their reports are complete; "
                 "run the same command again to continue", prefix=False)
            return EXIT_INTERRUPTED
        if show_bar:
            _say(f"{len(outcomes) - errors} of {len(outcomes)} contracts reviewed"
                 + (f", {errors} could not be" if errors else "") + f": {out / 'portfolio.html'}", prefix=False)
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(o["fails"] for o in outcomes) else EXIT_OK


def make_jobs(items: list[Item], out: Path, formats: tuple[str, ...], options, args: argparse.Namespace,
              made: dict[str, str]) -> dict[Job, Item]:
    """The contracts to review now, each with its item; the others get their outcome here (up to date
    from an earlier run, or refused at once) and refusals are printed."""
    earlier = {} if args.force else _earlier_summary(out)
    jobs: dict[Job, Item] = {}
    for item in items:
        if item.duplicate_of is not None:
            continue
        if not args.force:
            item.outcome = previous_outcome(item, out, formats, args, earlier, made)
            if item.outcome is not None:
                continue
        folder = out / item.subdir
        if _special_file(item.source):  # a FIFO would only block a worker until the time limit
            item.outcome = failed_outcome(item.source, "is not a regular file (a pipe, socket or device)")
        else:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                item.outcome = failed_outcome(item.source, f"cannot create the report folder {folder} ({exc.strerror or exc})")
        if item.outcome is not None:
            _say(item.outcome["error"])
            continue
        jobs[Job(source=item.source, options=options, formats=formats, out_dir=str(folder), stem=item.stem,
                 fail_on=args.fail_on)] = item
    return jobs


def review_all(jobs: dict[Job, Item], args: argparse.Namespace, show_bar: bool) -> bool:
    """Review the jobs locally or on the cluster, recording each outcome on its item as it finishes and
    printing errors; True when Ctrl-C stopped it."""
    bar = _progress_bar(len(jobs)) if show_bar else None
    runner = (run_on_cluster(args.scheduler, list(jobs), args.time_limit) if args.scheduler
              else run_local(list(jobs), limits_from(args), args.jobs or cores()))
    try:
        with closing(runner):
            for job, outcome in runner:
                item = jobs[job]
                item.outcome = _finished(item, outcome)
                if item.outcome["status"] == "error":
                    for message in item.outcome.get("errors") or [item.outcome["error"]]:
                        _say(message, bar)
                if bar is not None:
                    bar.update(1)
    except KeyboardInterrupt:
        return True
    finally:
        if bar is not None:
            bar.close()
    return False


def _progress_bar(total: int):
    """tqdm on standard error: contracts done, elapsed, time left."""
    from tqdm import tqdm

    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        width = 0
    size = {} if width > 0 else {"ncols": 100, "nrows": 24}  # a terminal that does not say its size
    return tqdm(total=total, unit="contract", file=sys.stderr, smoothing=0.1, dynamic_ncols=width > 0, **size)


def _finished(item: Item, outcome: dict[str, Any]) -> dict[str, Any]:
    """A worker's outcome with report paths relative to --out."""
    outcome["reports"] = {fmt: _relative(item.subdir, name) for fmt, name in outcome.get("reports", {}).items()}
    outcome["rendered"] = {}
    if outcome.get("sha256") is None:
        outcome["sha256"] = item.sha256
    return outcome


def finish(items: list[Item]) -> list[dict[str, Any]]:
    """One outcome per input in input order: duplicates share the reviewed file's, unfinished ones say so."""
    for item in items:
        if item.duplicate_of is None and item.outcome is None:
            item.outcome = failed_outcome(item.source, INTERRUPTED)
            item.outcome["interrupted"] = True
            item.outcome["sha256"] = item.sha256
    for item in items:
        original = items[item.duplicate_of] if item.duplicate_of is not None else None
        if original is not None:
            outcome = copy.deepcopy(original.outcome)
            outcome["file"] = item.source
            if outcome.get("error") and outcome["error"].startswith(f"{original.source}: "):
                outcome["error"] = f"{item.source}: {outcome['error'][len(original.source) + 2:]}"
            outcome.pop("errors", None)
            outcome["seconds"], outcome["peak_mb"], outcome["resumed"] = 0.0, 0, False
            item.outcome = outcome
        item.outcome["duplicate_of"] = original.source if original is not None else None
        item.outcome["report_html"] = item.outcome["reports"].get("html")
    return [item.outcome for item in items]


def _remove_partial(folder: Path, stem: str) -> None:
    """The temporary files of reports whose worker was stopped while writing them."""
    for fmt in REPORT_FORMATS:
        for temporary in folder.glob(f".{glob_escape(stem)}.{fmt}.*.tmp"):
            temporary.unlink(missing_ok=True)


def _ignore_sigint():
    try:
        return signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        return None


def _say(message: str, bar=None, prefix: bool = True) -> None:
    line = f"reviewer: {message}" if prefix else message
    if bar is not None:
        bar.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr, flush=True)


def _fail(message: str) -> int:
    _say(message)
    return EXIT_ERROR
