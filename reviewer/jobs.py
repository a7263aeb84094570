"""One contract's whole review as a unit of work: read, analyse, render and write its reports.

``run_job`` is what a worker process (``reviewer.workers``), a Dask worker or the upload server runs
for one contract. It never raises for a bad contract: the outcome says ``"status": "error"`` with the
one-line reason, so a batch always gets one outcome per input.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.errors import describe
from reviewer.pipeline import Options

REPORT_FORMATS = ("json", "html", "md", "docx")
_UMASK = os.umask(0o022)  # read once, at import (os.umask can only be read by setting it)
os.umask(_UMASK)
STATUSES = ("present", "weak", "missing", "red_flag")


@dataclass(frozen=True)
class Job:
    """What to review and where its reports go."""

    source: str  # the path as the user gave it (named in messages and the summary)
    options: Options = Options()
    formats: tuple[str, ...] = ("json",)
    out_dir: str | None = None  # write ``<stem>.<ext>`` here; None: rendered reports come back in the outcome
    stem: str = ""
    data: bytes | None = field(default=None, repr=False)  # the file's bytes, when the worker cannot read the path
    fail_on: str | None = None


def run_job(job: Job, debug: bool = False) -> dict[str, Any]:
    """Review one contract; returns its outcome (see ``outcome_template``). With ``debug``, an unexpected error
    is raised (for its traceback) instead of told in the outcome."""
    from reviewer.errors import ReviewerError
    from reviewer.pipeline import review

    started = time.perf_counter()
    try:
        report = review(job.source, job.options, job.data)
    except ReviewerError as exc:  # named as the user gave it (the reader may have normalised the path)
        return _finish(failed_outcome(job.source, exc.reason), started)
    except MemoryError:
        raise  # the worker reports it with the limit and is replaced
    except Exception as exc:  # one bad file must not stop the others, nor print a traceback
        if debug:
            raise
        return _finish(failed_outcome(job.source, f"could not be reviewed ({describe(exc)})"), started)
    outcome = report_outcome(job.source, report, job.fail_on)
    errors = []
    rendered: dict[str, str | bytes] = {}
    for fmt in job.formats:
        try:
            rendered[fmt] = render(report, fmt, Path(job.source), job.data)
        except Exception as exc:  # one writer failing must not stop the other formats
            if debug:
                raise
            errors.append(f"{job.source}: the {fmt} report could not be written ({describe(exc)})")
    if job.out_dir is None:
        outcome["rendered"] = rendered
    else:
        errors += save_reports(job.source, Path(job.out_dir), job.stem or Path(job.source).stem, rendered, outcome)
    add_errors(outcome, errors)
    return _finish(outcome, started)


def outcome_template(source: str) -> dict[str, Any]:
    """The outcome of one input before it is reviewed: SPEC's summary fields plus what a batch needs."""
    return {
        "file": source,
        "status": "ok",
        "error": None,
        "type": None,
        "language": None,
        "warnings": [],
        "counts": dict.fromkeys(STATUSES, 0),
        "findings": {},  # protection id -> status
        "severities": {},  # protection id -> severity
        "side": None,
        "sha256": None,
        "reports": {},  # format -> file name inside the output folder
        "rendered": {},  # format -> text or bytes, when no output folder was given
        "fails": False,
        "seconds": 0.0,
        "peak_mb": 0,
    }


def failed_outcome(source: str, reason: str) -> dict[str, Any]:
    """The outcome of an input that could not be reviewed: ``"<source>: <reason>"`` as its error."""
    outcome = outcome_template(source)
    outcome["status"], outcome["error"] = "error", f"{source}: {reason}"
    return outcome


def report_outcome(source: str, report: dict[str, Any], fail_on: str | None = None) -> dict[str, Any]:
    """The outcome of a reviewed contract, from its report object (before its reports are written)."""
    outcome = outcome_template(source)
    outcome.update(summarise(report))
    outcome["fails"] = bool(fail_on) and fails(report, fail_on)
    return outcome


def add_errors(outcome: dict[str, Any], errors: list[str]) -> None:
    """Record one-line errors (reports that could not be written) on an outcome: the first becomes its error."""
    if not errors:
        return
    outcome["errors"] = errors
    if outcome["status"] == "ok":
        outcome["status"], outcome["error"] = "error", errors[0]


def save_reports(source: str, out_dir: Path, stem: str, rendered: dict[str, str | bytes], outcome: dict) -> list[str]:
    """Write rendered reports as ``<stem>.<fmt>`` into ``out_dir``, noting each in ``outcome["reports"]``;
    returns the one-line errors of those that could not be written."""
    errors = []
    for fmt, content in rendered.items():
        target = out_dir / f"{stem}.{fmt}"
        problem = save_report(source, target, content)
        if problem:
            errors.append(problem)
        else:
            outcome["reports"][fmt] = target.name
    return errors


def save_report(source: str, target: Path, content: str | bytes) -> str | None:
    """Write one rendered report atomically; returns the one-line error, or None when it was written."""
    target = Path(target)
    try:
        if target.exists() and target.samefile(source):
            return f"{source}: the {target.suffix[1:]} report would overwrite the input; choose another --out folder"
        write_atomic_bytes(target, content.encode("utf-8") if isinstance(content, str) else content)
    except OSError as exc:
        return f"{target}: cannot write the report ({exc.strerror or exc})"
    return None


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    """The summary fields of an outcome, from a report object (text from the contract cleaned for JSON and CSV)."""
    from reviewer.report.json_report import clean

    counts = dict.fromkeys(STATUSES, 0)
    for finding in report["findings"]:
        counts[finding["status"]] = counts.get(finding["status"], 0) + 1
    return {
        "type": report["contract"]["type"],
        "language": report["source"]["language"],
        "warnings": [clean(w) for w in report["warnings"]],
        "counts": counts,
        "findings": {f["protection"]: f["status"] for f in report["findings"]},
        "severities": {f["protection"]: f["severity"] for f in report["findings"]},
        "side": report["contract"]["side"],
        "sha256": report["source"]["sha256"],
        "title": clean(report["contract"]["title"]) if isinstance(report["contract"].get("title"), str) else None,
    }


def fails(report: dict, threshold: str) -> bool:
    """A weak, missing or red-flag finding at or above the severity threshold."""
    rank = {"low": 1, "medium": 2, "high": 3}
    return any(f["status"] in ("weak", "missing", "red_flag") and rank[f["severity"]] >= rank[threshold]
               for f in report["findings"])


def render(report: dict, fmt: str, path: Path, data: bytes | None = None) -> str | bytes:
    """The report in one format: text, or bytes for Word."""
    if fmt == "html":
        from reviewer.report.html import render_html

        return render_html(report)
    if fmt == "md":
        from reviewer.report.markdown import render_markdown

        return render_markdown(report)
    if fmt == "docx":
        from reviewer.report.docx_report import render_docx

        return render_docx(report, data if data is not None else path)
    from reviewer.report.json_report import dumps

    return dumps(report)


def _finish(outcome: dict[str, Any], started: float) -> dict[str, Any]:
    outcome["seconds"] = round(time.perf_counter() - started, 3)
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return outcome


def write_atomic(target: Path, text: str) -> None:
    """Write a file so that readers see the old one or the new one, never half of it."""
    write_atomic_bytes(target, text.encode("utf-8"))


def write_atomic_bytes(target: Path, data: bytes) -> None:
    """``write_atomic`` for bytes (the Word report)."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp makes the file private (0600); a report gets the permissions any new file would get.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
