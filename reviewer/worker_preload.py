"""Imported once by the fork server of ``reviewer.workers``: every worker then starts with the pipeline,
spaCy and the bundled clause library already loaded (copy-on-write), instead of loading them itself."""

from __future__ import annotations


def warm() -> None:
    """Load what every review needs. Never raises: a worker that finds something missing loads it itself."""
    try:
        import reviewer.jobs  # noqa: F401
        from reviewer.library import load_library
        from reviewer.library.engine import warm_up

        warm_up(load_library(()))
    except Exception:  # noqa: BLE001 - the worker will report the problem for the contract it affects
        pass


warm()
