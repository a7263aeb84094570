"""The HTML, Markdown and Word reports on the bundled examples, on hostile text, and from the command line.

The clause library decides the findings; these tests add findings of every status built from the contract's
real clauses (evidence is a verbatim slice of its clause, as SPEC requires) so that every part of each report
is exercised whatever the library finds today.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from functools import cache

import docx
import jsonschema
import lxml.html
import pytest
from conftest import EXAMPLES, data_dir

from reviewer.pipeline import Options, review
from reviewer.report.docx_report import map_clauses, render_docx
from reviewer.report.html import Clauses, render_html
from reviewer.report.json_report import dumps
from reviewer.report.markdown import render_markdown

EXAMPLE_FILES = ["technology_licence.docx", "technology_licence.pdf", "jissi_kyodaku.docx", "jissi_kyodaku.pdf"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOSTILE = ('<script>alert(1)</script> {{ 7*7 }} {% if %} "double" \'single\' & AT&T <img src=x onerror=alert(1)> '
           "]]> <![CDATA[ x ]]> </div></body> [link](javascript:alert(1)) `tick` *star* _under_")


@cache
def _reviewed(name: str, lang: str | None = None) -> str:
    return dumps(review(EXAMPLES / name, Options(language=lang)))


def reviewed(name: str, lang: str | None = None) -> dict:
    """The report of a bundled example (reviewed once per test session), as a fresh dict."""
    return json.loads(_reviewed(name, lang))


def _body_clauses(report: dict) -> list[dict]:
    return [c for c in report["clauses"] if c["kind"] == "clause" and len(c["text"]) >= 40]


def _slice(text: str) -> str:
    """A verbatim piece of a clause: its middle words."""
    n = len(text)
    return text[n // 4: n // 4 + max(20, n // 3)]


def with_findings(report: dict, extra: str = "") -> dict:
    """The report plus one finding of every status, built from its real clauses (real findings kept, first)."""
    report = copy.deepcopy(report)
    body = _body_clauses(report)
    a, b, c, d = (body[int(i * (len(body) - 1) / 3)] for i in range(4))
    ja = report["report_language"] == "ja"

    def finding(protection, status, severity, clause_ids, evidence, title, message, suggestion=""):
        return {"protection": protection, "title": title + extra, "status": status, "severity": severity,
                "clause_ids": clause_ids, "message": message + extra,
                "rationale": ("技術が流出する典型的な経路です。" if ja else "This is how technology leaks.") + extra,
                "suggestion": suggestion, "basis": "case1", "evidence": evidence}

    def ev(clause):
        return [{"clause_id": clause["id"], "text": _slice(clause["text"])}]

    crafted = [
        finding("test_core_technology_withheld", "red_flag", "high", [a["id"]], ev(a),
                "コア技術の留保" if ja else "Core technology withheld",
                "全ノウハウの開示義務があります。" if ja else "All know-how must be disclosed.",
                "第X条（留保技術）\n甲は、留保技術を開示する義務を負わない。" if ja else
                "X.1 Retained Technology.\nLicensor shall have no obligation to disclose the Retained Technology." + extra),
        finding("test_confidentiality", "weak", "high", [b["id"], c["id"]], ev(b),
                "秘密保持義務" if ja else "Confidentiality that lasts",
                "存続期間が短すぎます。" if ja else "Survival is too short.",
                "秘密保持義務は契約終了後も存続する。" if ja else "The obligations survive termination."),
        finding("test_key_parts_supply", "missing", "medium", [c["id"]], [],
                "基幹部材の供給" if ja else "Key parts supplied by the licensor",
                "基幹部材の供給がありません。" if ja else "No key parts come from the licensor.",
                "乙は本部材を甲からのみ購入する。" if ja else "Licensee shall buy the Materials only from Licensor."),
        finding("test_reverse_engineering_ban", "missing", "high", [], [],
                "リバースエンジニアリングの禁止" if ja else "Reverse engineering banned",
                "該当する条項は見当たりません。" if ja else "No clause addresses it.",
                "乙は解析してはならない。" if ja else "Licensee shall not analyse the Materials."),
        finding("test_licence_scope_limited", "present", "high", [d["id"]], ev(d),
                "許諾範囲の限定" if ja else "Licence scope limited", "範囲は限定されています。" if ja else "Scope is limited."),
        finding("test_tech_for_funding", "not_applicable", "high", [], [],
                "技術提供を条件とする出資" if ja else "No technology for funding",
                "出資契約ではありません。" if ja else "Not an investment."),
    ]
    report["findings"] = report["findings"] + crafted
    return report


def _parse(html: str):
    return lxml.html.document_fromstring(html.encode("utf-8"))


# --------------------------------------------------------------------------------------------------------------
# HTML


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_reports_html_shows_every_finding_with_clause_anchors(name):
    report = with_findings(reviewed(name))
    html = render_html(report)
    tree = _parse(html)
    assert tree.get("lang") == report["report_language"]
    ids = {el.get("id") for el in tree.iter() if el.get("id")}
    assert {c["id"] for c in report["clauses"]} <= ids  # every clause has its anchor in the full text
    for el in tree.iter("a"):
        href = el.get("href") or ""
        assert href.startswith("#") and href[1:] in ids, href  # every link stays inside the page
    assert not tree.xpath("//script | //link | //iframe | //img | //*[@src]")  # self-contained, no scripts
    cards = tree.xpath("//article[contains(@class, 'card')]")
    assert len(cards) == sum(f["status"] != "not_applicable" for f in report["findings"])
    assert len(tree.xpath("//div[@class='na']//li")) == sum(f["status"] == "not_applicable" for f in report["findings"])
    text = tree.text_content()
    for finding in report["findings"]:
        assert finding["title"] in text and finding["message"] in text
        if finding["suggestion"] and finding["status"] != "present":
            assert any(finding["suggestion"] == pre.text_content() for pre in tree.xpath("//pre"))
    marks = [m.text_content() for m in tree.xpath("//article//mark")]
    for finding in report["findings"]:
        for evidence in finding["evidence"]:
            assert any(evidence["text"] in m for m in marks)  # highlighted in its clause (overlaps merge)
    crafted = report["findings"][-6]
    red = next(c for c in cards if crafted["title"] in c.text_content())
    assert "c-red_flag" in red.get("class")
    assert red.xpath(f".//a[@href='#{crafted['clause_ids'][0]}']")  # a link to the clause in the full text
    missing_nothing = next(c for c in cards if "test_reverse_engineering" in c.get("id"))
    no_clause = "該当する条項は見当たりません" if report["report_language"] == "ja" else "No clause found"
    assert no_clause in missing_nothing.text_content()
    positions = [html.index(f'id="{c.get("id")}"') for c in cards]
    assert positions == sorted(positions)
    statuses = [c.get("class").split("c-")[1] for c in cards]
    assert statuses.index("red_flag") < statuses.index("missing") < statuses.index("weak") < statuses.index("present")


def test_reports_html_labels_in_both_languages():
    ja = _parse(render_html(with_findings(reviewed("jissi_kyodaku.docx")))).text_content()
    for label in ("リスク（レッドフラグ）", "欠落", "不十分", "充足", "重要度 高", "事例1（ライセンス・海外生産）",
                  "修正文案", "契約書本文"):
        assert label in ja
    en = _parse(render_html(with_findings(reviewed("technology_licence.docx")))).text_content()
    for label in ("Red flag", "Missing", "Weak", "Present", "Severity High", "Case 1 — licensing and overseas production",
                  "Suggested wording", "Full contract text"):
        assert label in en
    # the report's language is chosen independently of the contract's
    crossed = _parse(render_html(with_findings(reviewed("technology_licence.docx", "ja")))).text_content()
    assert "事例1（ライセンス・海外生産）" in crossed and "TECHNOLOGY LICENSE AGREEMENT" in crossed


def test_reports_html_clause_references_read_like_the_contract():
    en = reviewed("technology_licence.docx")
    refs = {Clauses(en["clauses"], "en").ref(c["id"]) for c in en["clauses"]}
    assert {"ARTICLE 8", "8.1", "8.1(c)", "12.2(c)(i)"} <= refs
    ja = reviewed("jissi_kyodaku.docx")
    refs = {Clauses(ja["clauses"], "ja").ref(c["id"]) for c in ja["clauses"]}
    assert {"第11条", "第11条第4項", "第16条第2項", "第7条第2号"} <= refs


def test_reports_html_marks_commentary_in_the_full_text(tmp_path):
    report = with_findings(reviewed("jissi_kyodaku.docx"))
    report["clauses"][1]["kind"] = "commentary"
    tree = _parse(render_html(report))
    commentary = tree.get_element_by_id(report["clauses"][1]["id"])
    assert "k-commentary" in commentary.get("class")
    assert "解説" in commentary.text_content()


# --------------------------------------------------------------------------------------------------------------
# Markdown


@pytest.mark.parametrize("name", ["technology_licence.docx", "jissi_kyodaku.pdf"])
def test_reports_markdown_lists_red_flags_and_gaps(name):
    report = with_findings(reviewed(name))
    text = render_markdown(report)
    clauses = Clauses(report["clauses"], report["report_language"])
    red = [f for f in report["findings"] if f["status"] == "red_flag"]
    assert red
    for finding in report["findings"]:
        if finding["status"] in ("red_flag", "missing", "weak"):
            assert finding["title"] in text and finding["message"] in text
            for cid in finding["clause_ids"]:
                assert clauses.ref(cid) in text.replace("\\", "")
            if finding["suggestion"]:
                assert finding["suggestion"] in text
    heading = "## リスク（レッドフラグ）" if report["report_language"] == "ja" else "## Red flags"
    assert text.index(heading) < text.index(red[0]["title"])
    assert "```text" in text


# --------------------------------------------------------------------------------------------------------------
# Word


def _paragraph_texts(document) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in document.element.body.iter(W + "p")]


def _comment_anchors(data: bytes) -> dict[int, str]:
    """Comment id to the text of the paragraph where its range starts."""
    document = docx.Document(io.BytesIO(data))
    out = {}
    for p in document.element.body.iter(W + "p"):
        for start in p.iter(W + "commentRangeStart"):
            out[int(start.get(W + "id"))] = "".join(t.text or "" for t in p.iter(W + "t"))
    return out


@pytest.mark.parametrize("name", ["technology_licence.docx", "jissi_kyodaku.docx"])
def test_reports_docx_comments_on_the_original(name):
    report = with_findings(reviewed(name))
    data = render_docx(report, EXAMPLES / name)
    original = docx.Document(str(EXAMPLES / name))
    result = docx.Document(io.BytesIO(data))
    before, after = _paragraph_texts(original), _paragraph_texts(result)
    assert after[: len(before)] == before  # the original text untouched; the summary comes after it
    comments = list(result.comments)
    assert len(comments) >= 5
    assert all(c.author == "reviewer" and c.initials == "RV" for c in comments)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:commentRangeStart") == xml.count("<w:commentRangeEnd") == len(comments)
    assert xml.count("<w:commentReference") == len(comments)
    anchors = _comment_anchors(data)
    by_id = {c["id"]: c for c in report["clauses"]}
    red = next(f for f in report["findings"] if f["status"] == "red_flag" and f["protection"] == "test_core_technology_withheld")
    red_comment = next(c for c in comments if red["title"] in c.text)
    evidence = red["evidence"][0]["text"]
    assert evidence[:20] in anchors[red_comment.comment_id]  # anchored on the clause the evidence is from
    assert red["suggestion"].split("\n")[0] in red_comment.text
    summary = "\n".join(after[len(before):])
    for finding in report["findings"]:
        if finding["status"] in ("red_flag", "missing", "weak"):
            assert finding["title"] in summary
            for line in finding["suggestion"].split("\n"):
                assert line in summary
    assert by_id  # clauses exist
    if name.startswith("jissi"):
        assert 'w:eastAsia="MS Mincho"' in xml or 'w:eastAsia="MS Gothic"' in xml


@pytest.mark.parametrize("name", ["technology_licence.pdf", "jissi_kyodaku.pdf"])
def test_reports_docx_rebuilt_from_pdf(name):
    report = with_findings(reviewed(name))
    data = render_docx(report)
    result = docx.Document(io.BytesIO(data))
    text = "\n".join(_paragraph_texts(result))
    numbered = [c for c in report["clauses"] if c["number"] and c["text"]]
    assert all(c["number"] in text for c in numbered)
    assert all(c["text"].split("\n")[0] in text for c in numbered)
    comments = list(result.comments)
    assert len(comments) >= 5
    anchors = _comment_anchors(data)
    assert len(anchors) == len(comments)
    normal = result.styles["Normal"].element.rPr.find(W + "rFonts")
    assert normal.get(W + "eastAsia") == "MS Mincho"
    if name.startswith("jissi"):
        assert "第1条" in text and "リスク（レッドフラグ）" in text


def test_reports_docx_maps_every_clause_of_the_examples():
    for name in ("technology_licence.docx", "jissi_kyodaku.docx"):
        report = reviewed(name)
        found = map_clauses(docx.Document(str(EXAMPLES / name)), report["clauses"])
        assert len(found) == len(report["clauses"]), name


@pytest.mark.data
def test_reports_docx_maps_clauses_of_real_word_contracts(jpo_files):
    data_dir("jpo_model_contracts")
    for path in jpo_files[:4]:
        report = json.loads(dumps(review(path)))
        found = map_clauses(docx.Document(str(path)), report["clauses"])
        wanted = [c for c in report["clauses"] if re.search(r"\w", c["text"] + c["heading"])]
        assert len(found) >= 0.97 * len(wanted), path.name


def test_reports_docx_falls_back_when_the_original_changed(tmp_path):
    report = with_findings(reviewed("technology_licence.docx"))
    moved = tmp_path / "changed.docx"
    moved.write_bytes((EXAMPLES / "jissi_kyodaku.docx").read_bytes())
    result = docx.Document(io.BytesIO(render_docx(report, moved)))  # another file: the sha256 differs
    text = "\n".join(_paragraph_texts(result))
    assert "changed since it was reviewed" in text and "TECHNOLOGY LICENSE AGREEMENT" in text
    assert len(list(result.comments)) >= 5


# --------------------------------------------------------------------------------------------------------------
# Hostile text


@pytest.fixture
def hostile_report(tmp_path) -> dict:
    path = tmp_path / "hostile.txt"
    path.write_bytes(("HOSTILE LICENSE AGREEMENT\n\n1. Definitions. " + HOSTILE + " controls \x00\x0b\x1b here.\n\n"
                      "2. License. Licensor grants Licensee a licence " + HOSTILE + "\n\n"
                      "3. Confidentiality. Licensee shall keep the Confidential Information secret for three years.\n"
                      "4. Term. This Agreement continues for five years unless terminated earlier by either party.\n"
                      ).encode("utf-8"))
    report = json.loads(dumps(review(path)))  # the JSON report is valid JSON ...
    schema = json.loads((EXAMPLES.parent / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)  # ... of the documented shape
    assert "\x00" not in dumps(report) and "\x1b" not in dumps(report)
    report = with_findings(report, extra=" " + HOSTILE + " \x00\x0b\x1b lone \ud800 surrogate")
    report["contract"]["title"] += " <script>alert(2)</script>\ud800"
    report["contract"]["side_evidence"] = HOSTILE
    report["warnings"].append(HOSTILE + "\x00")
    report["clauses"][1]["text"] += "\ud800\x00"  # a crafted report: the writers must clean what they show
    return report


def test_reports_hostile_text_is_escaped_in_html(hostile_report):
    html = render_html(hostile_report)
    html.encode("utf-8")  # no lone surrogate left
    assert "\x00" not in html and "\x1b" not in html and "\x0b" not in html
    tree = _parse(html)
    assert not tree.xpath("//script | //img | //iframe | //*[@onerror] | //*[@src]")
    assert not [el for el in tree.iter() if any(a.startswith("on") for a in el.attrib)]
    text = tree.text_content().replace(hostile_report["reviewer"]["rules"], "")  # a hex fingerprint may hold "49"
    assert "<script>alert(1)</script>" in text and "{{ 7*7 }}" in text and "{% if %}" in text and "49" not in text
    assert '"double"' in text and "'single'" in text and "</div></body>" in text
    assert tree.xpath("//main") and tree.xpath("//footer")  # "</div></body>" in the text closed nothing


def test_reports_hostile_text_in_markdown_and_docx(hostile_report):
    text = render_markdown(hostile_report)
    text.encode("utf-8")
    assert "\x00" not in text and "\ud800" not in text
    prose = re.sub(r"(`{3,})text\n.*?\n\1", "", text, flags=re.S)  # fenced suggested wording is shown verbatim
    assert HOSTILE in text  # ... inside a fence
    assert "<script>" not in prose and "\\<script\\>" in prose
    assert "[link](javascript" not in prose
    data = render_docx(hostile_report)  # a text file: the contract is rebuilt
    result = docx.Document(io.BytesIO(data))
    body = "\n".join(_paragraph_texts(result))
    assert "<script>alert(1)</script>" in body and "{{ 7*7 }}" in body
    assert "\ud800" not in body and "\x00" not in body
    assert any("<img src=x" in c.text for c in result.comments)


# --------------------------------------------------------------------------------------------------------------
# Command line


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "reviewer", *args], capture_output=True, text=True, env=env, timeout=300)


def test_reports_cli_format_all_writes_four_reports(tmp_path):
    copy_dir = tmp_path / "other"
    copy_dir.mkdir()
    twin = copy_dir / "jissi_kyodaku.docx"
    twin.write_bytes((EXAMPLES / "jissi_kyodaku.docx").read_bytes())
    out = tmp_path / "out"
    result = run("review", str(EXAMPLES / "jissi_kyodaku.pdf"), str(twin), "--format", "all", "--out", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"jissi_kyodaku{s}.{e}" for s in ("", "-2") for e in ("json", "html", "md", "docx"))
    assert json.loads((out / "jissi_kyodaku.json").read_text(encoding="utf-8"))["source"]["format"] == "pdf"
    _parse((out / "jissi_kyodaku.html").read_text(encoding="utf-8"))
    assert (out / "jissi_kyodaku-2.docx").read_bytes()[:2] == b"PK"
    original = _paragraph_texts(docx.Document(str(twin)))
    assert _paragraph_texts(docx.Document(str(out / "jissi_kyodaku-2.docx")))[: len(original)] == original
    # Every report says what made it: the version and the fingerprint of the rules, as in the JSON report.
    made = json.loads((out / "jissi_kyodaku.json").read_text(encoding="utf-8"))["reviewer"]
    closing = f"reviewer {made['version']} (ルール {made['rules']})"
    assert closing in (out / "jissi_kyodaku.html").read_text(encoding="utf-8")
    assert closing in (out / "jissi_kyodaku.md").read_text(encoding="utf-8")
    assert closing in "\n".join(_paragraph_texts(docx.Document(str(out / "jissi_kyodaku.docx"))))


def test_reports_cli_text_formats_go_to_stdout():
    result = run("review", str(EXAMPLES / "technology_licence.pdf"), "--format", "html")
    assert result.returncode == 0, result.stderr
    assert _parse(result.stdout).get_element_by_id("contract-text") is not None
    result = run("review", str(EXAMPLES / "jissi_kyodaku.docx"), "--format", "md", "--lang", "en")
    assert result.returncode == 0 and result.stdout.startswith("# Contract review")


@pytest.mark.parametrize("fmt", ["docx", "all"])
def test_reports_cli_binary_formats_need_out(fmt):
    result = run("review", str(EXAMPLES / "jissi_kyodaku.docx"), "--format", fmt)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--out" in lines[0] and lines[0].startswith("reviewer: ")
    assert result.stdout == ""


def test_reports_cli_never_overwrites_the_input(tmp_path):
    source = tmp_path / "contract.docx"
    source.write_bytes((EXAMPLES / "technology_licence.docx").read_bytes())
    before = source.read_bytes()
    result = run("review", str(source), "--format", "all", "--out", str(tmp_path))
    assert result.returncode == 2 and "overwrite the input" in result.stderr
    assert source.read_bytes() == before
    assert (tmp_path / "contract.html").exists() and (tmp_path / "contract.json").exists()
