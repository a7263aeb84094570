"""The JSON report of SPEC section 2, built from the same objects every other format uses."""

from __future__ import annotations

import json
import re
from typing import Any

from reviewer.model import Document

SCHEMA_VERSION = 1

# C0 controls other than tab, newline and carriage return, DEL, C1 controls, and lone surrogates: none of
# them belongs in a report, and lone surrogates cannot even be written as UTF-8.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(text: str) -> str:
    """Text safe for JSON, XML and Word: control characters and lone surrogates removed."""
    return _UNSAFE.sub("", text)


def build_report(document: Document, contract: dict[str, Any], provisions: list[dict] | None = None,
                 findings: list[dict] | None = None, report_language: str | None = None) -> dict[str, Any]:
    """The report object for one contract."""
    source = document.source
    return {
        "schema_version": SCHEMA_VERSION,
        "source": {
            "path": clean(source.path),
            "sha256": source.sha256,
            "format": source.format,
            "pages": source.pages,
            "language": document.language,
        },
        "report_language": report_language or document.language,
        "contract": contract,
        "clauses": [
            {
                "id": c.id,
                "number": clean(c.number),
                "heading": clean(c.heading),
                "text": clean(c.text),
                "page": c.page,
                "parent": c.parent,
                "kind": c.kind,
            }
            for c in document.clauses
        ],
        "provisions": cleaned(provisions or []),
        "findings": cleaned(findings or []),
        "warnings": [clean(w) for w in document.warnings],
        "notes": [clean(n) for n in source.notes],
    }


def dumps(report: dict[str, Any]) -> str:
    """The report as UTF-8 JSON text (non-ASCII kept readable), every string cleaned: whatever a stage added to
    the report after ``build_report`` (contract facts, signals) is as safe to write as the clauses."""
    return json.dumps(cleaned(report), ensure_ascii=False, indent=2) + "\n"


def cleaned(value: Any) -> Any:
    """``clean`` applied to every string inside lists and dicts (a crafted report may carry control characters
    or lone surrogates anywhere); every writer cleans through this one function."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: cleaned(v) for k, v in value.items()}
    return value
