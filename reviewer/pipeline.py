"""One contract from file to report object: ingest, segment, recognise, detect provisions, judge protections."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.model import Document


@dataclass(frozen=True)
class Options:
    """What the user asked for; None means "infer it"."""

    side: str | None = None
    contract_type: str | None = None
    language: str | None = None  # the report's language
    password: str | None = None
    playbooks: tuple[Path, ...] = ()


def read(path: str | Path, options: Options = Options(), data: bytes | None = None) -> Document:
    """Ingest and segment one file."""
    from reviewer.ingest import read_document
    from reviewer.segment import segment

    return segment(read_document(path, data, password=options.password))


def analyse(document: Document, options: Options = Options()) -> dict[str, Any]:
    """The report object for a segmented document: contract facts, provisions and findings."""
    from reviewer.library import load_library
    from reviewer.library.engine import detect
    from reviewer.library.judge import judge_all
    from reviewer.library.sides import COUNTERPART, assign_roles, choose_side, party_label
    from reviewer.report.json_report import build_report
    from reviewer.segment.contract_type import detect_contract_type

    lang = options.language or document.language
    if options.contract_type:
        kind, kind_evidence = options.contract_type, "--type で指定" if lang == "ja" else "given with --type"
    else:
        kind, kind_evidence = detect_contract_type(document.title, list(document.clauses), document.language, lang)
    document = assign_roles(document, kind)
    library = load_library(options.playbooks)
    hits = detect(document, library)
    found = {h.provision for h in hits}
    extra = tuple(t for t, signal in (("licence", "license_grant"), ("investment", "funding_tech_condition"))
                  if t != kind and signal in found and kind in ("investment", "licence"))
    side, side_evidence = choose_side(document, kind, options.side, lang)
    other = COUNTERPART[side]
    names = {"reviewed": party_label(document.parties, side, lang), "other": party_label(document.parties, other, lang),
             "title": document.title}
    findings = judge_all(library, hits, kind, side, lang, names, extra)
    contract = {
        "type": kind,
        "type_evidence": kind_evidence,
        "also_reviewed_as": list(extra),
        "title": document.title,
        "parties": [{"name": p.name, "alias": p.alias, "role": p.role, "clause_id": p.clause_id}
                    for p in document.parties],
        "side": side,
        "side_evidence": side_evidence,
        "definitions": [{"term": d.term, "clause_id": d.clause_id} for d in document.definitions],
    }
    provisions = provisions_json(hits)
    report = build_report(document, contract, [p for p in provisions if not p["id"].startswith("x_")],
                          [findings_json(f) for f in findings], lang)
    # Signals beyond SPEC's provision ids (x_...: the agreement's term, carve-outs the judge weighs) stand apart.
    report["signals"] = [p for p in provisions if p["id"].startswith("x_")]
    report["reviewer"] = made_by(library)
    return report


def made_by(library) -> dict[str, str]:
    """What a report was made with: the reviewer's version and the fingerprint of the rules (bundled and
    playbooks). ``batch`` reuses an earlier report only when both are the same."""
    from reviewer import __version__

    return {"version": __version__, "rules": library.fingerprint}


def provisions_json(hits) -> list[dict[str, Any]]:
    """One entry per provision found, its clauses, verbatim evidence and the values extracted."""
    out: dict[str, dict[str, Any]] = {}
    for hit in hits:
        entry = out.setdefault(hit.provision, {"id": hit.provision, "clause_ids": [], "evidence": [], "values": {}})
        clause_id = hit.sentence.clause.id
        if clause_id not in entry["clause_ids"]:
            entry["clause_ids"].append(clause_id)
        entry["evidence"].append({"clause_id": clause_id, "text": hit.sentence.text})
        for name, value in hit.values.items():
            entry["values"].setdefault(name, value)
    return list(out.values())


def findings_json(finding) -> dict[str, Any]:
    """A finding as SPEC's JSON object (plus its title and evidence)."""
    return {
        "protection": finding.protection,
        "title": finding.title,
        "status": finding.status,
        "severity": finding.severity,
        "clause_ids": finding.clause_ids,
        "message": finding.message,
        "rationale": finding.rationale,
        "suggestion": finding.suggestion,
        "basis": finding.basis,
        "evidence": finding.evidence,
    }


def review(path: str | Path, options: Options = Options(), data: bytes | None = None) -> dict[str, Any]:
    """The full report object for one contract file."""
    return analyse(read(path, options, data), options)
