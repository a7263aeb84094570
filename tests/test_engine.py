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


@pytest.mark.parametrize("pattern, expected", [
    (r"\bno\s+right", ["no"]),  # too common to index, worth looking for in a candidate sentence
    (r"\b(?:in|throughout)\s+(?:the\s+)?(?-i:[A-Z][a-z])", ["in", "throughout"]),
    (r"\bsurviv|\bremain", None),  # anchors worth indexing: no short ones
    (r"^(?=.*\bfoo)", None),  # a match may start anywhere
    (r"\b(?:a|an)\s+", None),  # one letter narrows nothing
])
def test_engine_short_anchors(pattern, expected):
    assert L._short_anchors(pattern) == expected


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


def _hits(eng, document):
    return [(h.provision, h.sentence.clause.id, h.sentence.start, h.sentence.end) for h in eng.detect(list(document.clauses))]


def _without_index(library, language):
    """An engine that tries every trigger and regex on every sentence of its scope: no literal shortcut."""
    from reviewer.library import engine

    eng = engine.Engine(library, language)
    eng.automaton = None
    return eng


def test_engine_shortcuts_change_speed_not_results():
    """The literal index, bit matrices and anchors only skip work: the examples give the same hits as with every
    trigger and regex tried everywhere."""
    from reviewer.library import engine
    from reviewer.pipeline import read

    library = load_library(())
    for name in ("technology_licence.pdf", "jissi_kyodaku.docx", "tech_investment_agreement.md",
                 "tech_investment_agreement_ja.md"):
        document = read(EXAMPLES / name)
        fast = _hits(engine.engine_for(library, document.language), document)
        assert fast, name
        assert fast == _hits(_without_index(library, document.language), document), name


def test_engine_shortcuts_on_real_contracts(cuad_pdfs):
    """The same on a sample of CUAD contracts and the Japanese licence."""
    from conftest import data_dir

    from reviewer.library import engine
    from reviewer.pipeline import read

    library = load_library(())
    files = cuad_pdfs[::40] + [data_dir("jpo_model_contracts") / "4_licence_new_material.docx"]
    slow = {}
    for path in files:
        document = read(path)
        if document.language not in slow:
            slow[document.language] = _without_index(library, document.language)
        assert _hits(engine.engine_for(library, document.language), document) == _hits(slow[document.language],
                                                                                         document), path.name


def test_engine_edge_documents():
    """No clause, one short clause, a clause of separators only: no error, and hits where the text has them."""
    from reviewer.library.engine import detect_text

    library = load_library(())
    assert detect_text("", library, "en") == []
    assert detect_text(" \n ", library, "ja") == []
    for text, language in (("The Licensee shall not reverse engineer the Product.", "en"),
                           ("乙は、本製品を解析してはならない。", "ja")):
        assert [h.provision for h in detect_text(text, library, language)] == ["reverse_engineering_prohibition"]
