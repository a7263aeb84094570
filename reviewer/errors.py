"""Errors the user sees: one line naming the file and the reason, never a traceback."""

from __future__ import annotations


class ReviewerError(Exception):
    """A file that cannot be reviewed. ``str()`` is the one-line message shown to the user."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # always one line
        super().__init__(f"{self.path}: {self.reason}")


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (at most 200 characters), or its type's name when it has none."""
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def describe(exc: BaseException) -> str:
    """``ValueError: the message on one line``: an unexpected error, told in one line."""
    message = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
