"""One contract from file to report object: ingest, segment, recognise the contract, (later) assess."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.model import Document

# Whose interests a review protects when nobody says: the party whose technology or company is at stake.
_DEFAULT_SIDE = {"licence": "licensor", "investment": "company", "joint_development": "licensor",
                 "nda": "licensor", "supply": "licensor", "services": "licensor", "other": "licensor"}


@dataclass(frozen=True)
class Options:
    """What the user asked for; None means "infer it"."""

    side: str | None = None
    contract_type: str | None = None
    language: str | None = None  # the report's language
    password: str | None = None


def read(path: str | Path, options: Options = Options(), data: bytes | None = None) -> Document:
    """Ingest and segment one file."""
    from reviewer.ingest import read_document
    from reviewer.segment import segment

    return segment(read_document(path, data, password=options.password))


def contract_facts(document: Document, options: Options) -> dict[str, Any]:
    """Type, parties and the side reviewed, each with the evidence the report shows."""
    from reviewer.segment.contract_type import detect_contract_type

    clauses = list(document.clauses)
    if options.contract_type:
        kind, kind_evidence = options.contract_type, "given with --type"
    else:
        kind, kind_evidence = detect_contract_type(document.title, clauses, document.language)
    if options.side:
        side, side_evidence = options.side, "given with --side"
    else:
        side = _DEFAULT_SIDE.get(kind, "licensor")
        side_evidence = (f"not stated: a {kind.replace('_', ' ')} is reviewed by default from the side of the "
                         f"{side}, whose technology or company is at stake; use --side to choose")
    return {
        "type": kind,
        "type_evidence": kind_evidence,
        "title": document.title,
        "parties": [{"name": p.name, "alias": p.alias, "role": p.role, "clause_id": p.clause_id}
                    for p in document.parties],
        "side": side,
        "side_evidence": side_evidence,
        "definitions": [{"term": d.term, "clause_id": d.clause_id} for d in document.definitions],
    }


def review(path: str | Path, options: Options = Options(), data: bytes | None = None) -> dict[str, Any]:
    """The full report object for one contract file."""
    from reviewer.report.json_report import build_report

    document = read(path, options, data)
    return build_report(document, contract_facts(document, options))
