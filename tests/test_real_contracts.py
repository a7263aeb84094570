"""Integration over real contracts from ../shared/data: CUAD PDFs and the METI/JPO Word files."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from reviewer.ingest import read_document
from reviewer.segment import segment

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import segmentation as bench  # noqa: E402
from conftest import data_dir  # noqa: E402

SAMPLE = 24  # every 13th CUAD PDF: a spread of the 309, quick enough for every run


@pytest.fixture(scope="module")
def cuad_sample():
    pdfs = sorted(data_dir("cuad", "pdf").glob("*.pdf"))[::13][:SAMPLE]
    spans = bench.load_spans(data_dir("cuad") / "labels.csv")
    return [(pdf, segment(read_document(pdf)), spans.get(pdf.stem, [])) for pdf in pdfs]


def test_real_cuad_sample_reads_every_pdf(cuad_sample):
    assert len(cuad_sample) >= 20
    for pdf, doc, _ in cuad_sample:
        assert doc.language == "en", pdf.name
        assert any(c.kind == "clause" for c in doc.clauses), pdf.name
        assert all(c.page for c in doc.clauses if c.text), pdf.name


def test_real_cuad_sample_spans_stay_inside_clauses(cuad_sample):
    inside = total = 0
    for _, doc, spans in cuad_sample:
        index = bench.Index(doc.clauses)
        for span in spans:
            total += 1
            inside += index.contains(span)
    assert total > 300
    assert inside / total >= 0.93  # the full benchmark over all 309 PDFs is benchmarks/segmentation.py


def test_real_cuad_sample_running_headers_and_page_numbers_removed(cuad_sample):
    for pdf, doc, _ in cuad_sample:
        texts = [c.text for c in doc.clauses]
        assert not any(re.fullmatch(r"(Page )?\d{1,3}( of \d+)?", t) for t in texts), pdf.name


def test_real_cuad_sample_tree_is_consistent(cuad_sample):
    for pdf, doc, _ in cuad_sample:
        ids = {c.id for c in doc.clauses}
        seen = set()
        for c in doc.clauses:
            assert c.parent is None or c.parent in seen, (pdf.name, c.id)  # parents come first
            seen.add(c.id)
        assert len(ids) == len(doc.clauses)


def test_real_jpo_articles_kept_and_commentary_marked(jpo_files):
    assert len(jpo_files) == 8
    article = re.compile(r"^第[0-9０-９一二三四五六七八九十]+条[\s　]")
    for path in jpo_files:
        doc = segment(read_document(path))
        assert doc.language == "ja"
        contract = [c for c in doc.clauses if c.kind == "clause"]
        assert len([c for c in contract if c.number.startswith("第") or c.number.endswith("条")]) >= 8, path.name
        commentary = " ".join(c.heading + c.text for c in doc.clauses if c.kind == "commentary")
        assert "＜解説＞" in commentary or "＜ポイント＞" in commentary, path.name
        assert not any(c.heading in ("＜解説＞", "＜ポイント＞") for c in contract)
        bodies = [b for b in doc.source.blocks if article.match(b.text)]
        assert bodies, path.name


def test_real_jpo_licence_structure():
    path = data_dir("jpo_model_contracts") / "4_licence_new_material.docx"
    doc = segment(read_document(path))
    by_number = {c.number: c for c in doc.clauses if c.kind == "clause" and c.level == 0}
    assert by_number["第2条"].heading == "権利の許諾"
    article10 = by_number["第10条"]
    paragraphs = [c for c in doc.clauses if c.parent == article10.id]
    assert any(c.number in ("4", "４") for c in paragraphs)
    aliases = {p.alias for p in doc.parties}
    assert {"甲", "乙"} <= aliases
