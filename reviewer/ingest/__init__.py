"""Ingestion: bytes of a DOCX, PDF or text file to a RawDocument. Never imports spaCy."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from reviewer.errors import ReviewerError
from reviewer.model import RawDocument

# Files larger than this are refused before anything parses them.
MAX_FILE_BYTES = 100 * 1024 * 1024


def read_document(path: str | Path, data: bytes | None = None, *, password: str | None = None) -> RawDocument:
    """Read a contract, choosing the reader from the file's bytes, not its name."""
    path = Path(path)
    if data is None:
        data = read_file_bytes(path)
    from reviewer.ingest.sniff import sniff

    fmt = sniff(data, path)
    sha256 = hashlib.sha256(data).hexdigest()
    if fmt == "pdf":
        from reviewer.ingest.pdf import read_pdf

        blocks, pages, warnings, notes = read_pdf(data, path, password=password)
    elif fmt == "docx":
        from reviewer.ingest.docx import read_docx

        blocks, pages, warnings, notes = read_docx(data, path)
    else:
        from reviewer.ingest.text import read_text

        blocks, pages, warnings, notes = read_text(data, path)
    if not any(b.text.strip() for b in blocks):
        if fmt == "pdf" and warnings:
            raise ReviewerError(path, "no page has a text layer (scanned?): run OCR first")
        raise ReviewerError(path, "contains no text")
    blocks, removed = _without_bidi_controls(blocks)
    if removed:
        if not any(b.text.strip() for b in blocks):
            raise ReviewerError(path, "contains no text")
        warnings = [*warnings, f"removed {removed} bidirectional control character{'s' if removed != 1 else ''} "
                               "(U+202A-U+202E, U+2066-U+2069): elsewhere the text may display in another order "
                               "than it reads here"]
    return RawDocument(path=str(path), sha256=sha256, format=fmt, blocks=tuple(blocks), pages=pages,
                       warnings=tuple(warnings), notes=tuple(notes))


# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make a text display in another order than
# it is stored ("Trojan Source"): a clause could read one way in the report and another in Word. They have no
# place in an English or Japanese contract; they are removed, and the report says so.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _without_bidi_controls(blocks):
    """The blocks without bidirectional control characters in their text or numbering label (a block left with
    neither is dropped), and how many were removed."""
    removed = 0
    out = []
    for block in blocks:
        text, in_text = _BIDI_CONTROLS.subn("", block.text)
        label, in_label = _BIDI_CONTROLS.subn("", block.label)
        if in_text or in_label:
            removed += in_text + in_label
            if not text.strip() and not label.strip():
                continue
            block = replace(block, text=text, label=label)
        out.append(block)
    return (out, removed) if removed else (blocks, 0)


def read_file_bytes(path: str | Path) -> bytes:
    """A contract file's bytes; ReviewerError with the one-line reason when it is too large or cannot be read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReviewerError(path, f"file is too large ({size // (1024 * 1024)} MB; the limit is "
                                      f"{MAX_FILE_BYTES // (1024 * 1024)} MB)")
        return path.read_bytes()
    except ReviewerError:
        raise
    except IsADirectoryError:
        raise ReviewerError(path, "is a directory, not a file") from None
    except FileNotFoundError:
        raise ReviewerError(path, "no such file") from None
    except PermissionError:
        raise ReviewerError(path, "permission denied") from None
    except OSError as exc:
        raise ReviewerError(path, f"cannot be read ({exc.strerror or exc})") from None

