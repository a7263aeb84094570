"""What a worker process runs for one upload of ``reviewer serve`` (kept apart from the web code, so that
workers never import FastAPI).

The upload sits in the server's private temporary folder under a random name; the worker reads it from
there, but the report and every message name the file by its client's display name, never by the
temporary path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.jobs import Job, failed_outcome, run_job
from reviewer.pipeline import Options


@dataclass(frozen=True)
class Upload:
    """One uploaded contract, ready for review."""

    path: str  # the random name inside the server's private folder
    name: str  # the client's file name, cleaned: shown in the report, never used as a path
    options: Options = Options()
    formats: tuple[str, ...] = ("json",)


def review_upload(upload: Upload) -> dict[str, Any]:
    """Review one upload; returns ``run_job``'s outcome with the rendered reports."""
    try:
        data = Path(upload.path).read_bytes()
    except OSError as exc:
        return failed_outcome(upload.name, f"the upload could not be read ({exc.strerror or exc})")
    return run_job(Job(source=upload.name, options=upload.options, formats=upload.formats, data=data))


def ping(_: object = None) -> str:
    """A no-op task: makes the pool start its workers before the first contract arrives."""
    return "pong"
