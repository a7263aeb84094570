"""The detection engine's literal index: what a regex needs, read from its parse tree, and the shipped index."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from reviewer.library import literals as L
from reviewer.library import load_library
from reviewer.resources import resource_dir


@pytest.mark.parametrize("pattern, expected", [
    (r"\bsurviv|\bremain|存続", ["surviv", "remain", "存続"]),
    (r"\bth(?:is|at)\b", ["this", "that"]),
    (r"licen[cs]e", ["licence", "license"]),
    (r"(?:the\s+)?foregoing", ["the", "foregoing"]),
    (r"\bco-?own", ["co-own", "coown"]),
    (r"%|％", ["%", "％"]),
    (r"\bno\s+right", None),  # "no" is too common to index
    (r"[A-Z]\w+\s+shall", None),
])
def test_engine_anchors(pattern, expected):
    assert L._anchors(pattern) == expected


@pytest.mark.parametrize("pattern, expected", [
    (r"^(?=.*\b(?:information|know-?how))(?=.*\bshall\s+not)", [("information", "know"), ("shall",), ("not",)]),
    (r"\b(?:not|never)\b[^.;]{0,80}?\bsell", [("not", "never"), ("sell",)]),
    (r"\bx?y", []),
])
def test_engine_required(pattern, expected):
    assert L._required(pattern) == expected


def test_engine_alternatives_keep_global_flags_and_nesting():
    assert L.alternatives(r"(?s)a|b(c|d)|[|]x|\|") == ["(?s)a", "(?s)b(c|d)", "(?s)[|]x", r"(?s)\|"]


def test_engine_literal_index_is_current():
    shipped = (resource_dir("clause_library") / L.INDEX_NAME).read_text(encoding="utf-8")
    assert shipped == L.index_text(load_library(())), "run: python -m reviewer.library.literals"


def test_engine_index_changes_speed_not_results(monkeypatch):
    """Every example contract gives the same hits with the shipped index and with patterns parsed afresh."""
    from reviewer.library import engine
    from reviewer.pipeline import read

    documents = [read(EXAMPLES / name) for name in ("technology_licence.pdf", "jissi_kyodaku.docx")]

    def hits(library):
        out = []
        for document in documents:
            eng = engine.Engine(library, document.language)
            out.append([(h.provision, h.sentence.clause.id, h.sentence.start) for h in eng.detect(list(document.clauses))])
        return out

    library = load_library(())
    with_index = hits(library)
    monkeypatch.setattr(L, "_index", lambda: {})
    assert hits(library) == with_index
    assert any(with_index[0]) and any(with_index[1])
