"""Errors the user sees: one line naming the file and the reason, never a traceback."""

from __future__ import annotations


class ReviewerError(Exception):
    """A file that cannot be reviewed. ``str()`` is the one-line message shown to the user."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # always one line
        super().__init__(f"{self.path}: {self.reason}")
