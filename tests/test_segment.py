"""The clause tree: nesting by numbering style, headings, recitals, schedules, signatures, commentary."""

from __future__ import annotations

from reviewer.model import Block, RawDocument
from reviewer.segment import segment


def _doc(lines: list[str], *, is_line: bool = False, language: str | None = None, **block_args):
    blocks = tuple(Block(text=t, page=1, is_line=is_line, **block_args) for t in lines)
    return segment(RawDocument(path="t.txt", sha256="0", format="txt", blocks=blocks), language)


def _shape(doc):
    by_id = {c.id: c for c in doc.clauses}
    return [(c.number, by_id[c.parent].number if c.parent else None, c.kind) for c in doc.clauses]


def test_segment_nests_decimal_and_letter_lists():
    doc = _doc([
        "TECHNOLOGY LICENSE AGREEMENT",
        "This Agreement is made between Alpha K.K. (\"Licensor\") and Beta Ltd. (\"Licensee\").",
        "1. Definitions. In this Agreement:",
        "1.1 \"Products\" means the products in Schedule A.",
        "1.2 \"Territory\" means Japan.",
        "2. Grant. Licensor grants to Licensee:",
        "(a) a licence to make;",
        "(b) a licence to sell, provided that:",
        "(i) no sublicence is granted; and",
        "(ii) the Territory is respected.",
        "(c) nothing else.",
        "2.1 Reservation. All other rights are reserved.",
        "3. Term. This Agreement lasts five years.",
    ])
    shape = _shape(doc)
    assert ("1.1", "1", "clause") in shape and ("1.2", "1", "clause") in shape
    assert ("(a)", "2", "clause") in shape and ("(c)", "2", "clause") in shape
    assert ("(i)", "(b)", "clause") in shape and ("(ii)", "(b)", "clause") in shape
    assert ("2.1", "2", "clause") in shape
    assert ("3", None, "clause") in shape
    grant = next(c for c in doc.clauses if c.number == "2")
    assert grant.heading == "Grant"
    assert grant.text == "Licensor grants to Licensee:"


def test_segment_letter_i_after_h_is_a_letter():
    lines = ["1. Covenants. The Licensee shall:"] + [f"({ch}) do {ch};" for ch in "abcdefghij"]
    doc = _doc(lines)
    numbers = [c.number for c in doc.clauses if c.parent]
    assert numbers == [f"({ch})" for ch in "abcdefghij"]
    assert all(c.level == 1 for c in doc.clauses if c.parent)


def test_segment_wrapped_reference_is_not_a_clause():
    doc = _doc([
        "1. Payment. The Licensee shall pay as set out in Section",
        "2.3 of the Schedule, within thirty days.",
        "2. Audit. The Licensor may audit.",
    ], is_line=True)
    assert [c.number for c in doc.clauses] == ["1", "2"]
    assert "2.3 of the Schedule" in doc.clauses[0].text


def test_segment_recitals_schedules_and_signature():
    doc = _doc([
        "LICENSE AGREEMENT",
        "WHEREAS, Licensor owns certain know-how;",
        "WHEREAS, Licensee wishes to use it;",
        "NOW, THEREFORE, the parties agree as follows:",
        "1. Grant. Licensor grants a licence.",
        "2. Law. Japanese law governs.",
        "IN WITNESS WHEREOF, the parties have signed this Agreement.",
        "By: ____ Name: Taro Yamada",
        "SCHEDULE A",
        "1. Patent JP 1234567.",
    ])
    kinds = [(c.kind, c.number) for c in doc.clauses]
    assert kinds.count(("preamble", "")) >= 4
    assert ("signature", "") in kinds
    schedule = next(c for c in doc.clauses if c.kind == "schedule")
    assert schedule.heading == "SCHEDULE A"
    patent = [c for c in doc.clauses if c.parent == schedule.id]
    assert patent and patent[0].number == "1"


def test_segment_japanese_articles_paragraphs_and_items():
    doc = _doc([
        "特許実施許諾契約書",
        "株式会社星野（以下「甲」という。）とABC社（以下「乙」という。）は、次のとおり契約を締結する。",
        "第1条（定義）本契約において、次の用語は以下の意味を有する。",
        "①　本製品　別紙1記載の製品をいう。",
        "②　本地域　日本国をいう。",
        "第2条（実施許諾）甲は、乙に対し、本特許の通常実施権を許諾する。",
        "２　乙は、前項の実施権を第三者に再許諾してはならない。",
        "３　前二項の規定は、第3条第2項に従う。",
        "第3条（対価）乙は、甲に対し、次の対価を支払う。",
        "（1）一時金　金100万円",
        "（2）ランニングロイヤルティ　正味販売価格の3％",
        "本契約締結の証として、本書2通を作成し、甲乙記名押印の上、各1通を保有する。",
        "別紙1（本製品）",
    ], language="ja")
    shape = _shape(doc)
    assert ("第1条", None, "clause") in shape
    assert ("①", "第1条", "clause") in shape and ("②", "第1条", "clause") in shape
    assert ("２", "第2条", "clause") in shape and ("３", "第2条", "clause") in shape
    assert ("（1）", "第3条", "clause") in shape and ("（2）", "第3条", "clause") in shape
    article2 = next(c for c in doc.clauses if c.number == "第2条")
    assert article2.heading == "実施許諾"
    assert "第3条第2項" in next(c for c in doc.clauses if c.number == "３").text
    assert any(c.kind == "signature" for c in doc.clauses)
    assert any(c.kind == "schedule" and c.heading.startswith("別紙1") for c in doc.clauses)


def test_segment_commentary_is_marked_and_ends_at_next_article():
    doc = _doc([
        "第1条（目的）本契約は、甲乙間の技術提携を目的とする。",
        "＜ポイント＞",
        "目的条項は契約の解釈の指針となる。",
        "＜解説＞",
        "第1条は、契約の目的を定める。",
        "第2条（秘密保持）乙は、秘密情報を第三者に開示してはならない。",
    ], language="ja")
    commentary = [c for c in doc.clauses if c.kind == "commentary"]
    assert commentary and all("目的条項" in c.text or "契約の目的を定める" in c.text for c in commentary)
    article2 = next(c for c in doc.clauses if c.number == "第2条")
    assert article2.kind == "clause"


def test_segment_heading_paragraph_and_body_of_same_article_merge():
    blocks = (
        Block(text="1条（定義）", heading_level=1),
        Block(text="第1条　本契約において使用される用語は、次のとおりとする。"),
        Block(text="2条（権利の許諾）", heading_level=1),
        Block(text="第2条　甲は、乙に対し、通常実施権を許諾する。"),
    )
    doc = segment(RawDocument(path="t.docx", sha256="0", format="docx", blocks=blocks), "ja")
    assert [(c.heading, c.text[:6]) for c in doc.clauses] == [("定義", "本契約におい"), ("権利の許諾", "甲は、乙に対")]


def test_segment_word_labels_are_used_instead_of_text():
    blocks = (
        Block(text="GRANT OF LICENSE", label="ARTICLE 2", heading_level=1),
        Block(text="Licensor grants a licence.", label="2.1", list_level=1),
        Block(text="to make;", label="(a)", list_level=2),
    )
    doc = segment(RawDocument(path="t.docx", sha256="0", format="docx", blocks=blocks), "en")
    assert _shape(doc) == [("ARTICLE 2", None, "clause"), ("2.1", "ARTICLE 2", "clause"), ("(a)", "2.1", "clause")]
    assert doc.clauses[0].heading == "GRANT OF LICENSE"


def test_segment_table_of_contents_does_not_make_clauses():
    doc = _doc([
        "TABLE OF CONTENTS",
        "1. Definitions . . . . . . . 1",
        "2. Grant . . . . . . . 3",
        "1. Definitions. \"Affiliate\" means any entity that controls a party.",
        "2. Grant. Licensor grants a licence.",
    ])
    clauses = [c for c in doc.clauses if c.kind == "clause"]
    assert [c.number for c in clauses] == ["1", "2"]
    assert clauses[0].text.startswith("\"Affiliate\"")
