"""The upload page in a real browser: Playwright driving Debian's ``chromium`` package (never a downloaded browser).

Skipped with the reason when chromium or Playwright is missing, unless ``REVIEWER_REQUIRE_BROWSER=1`` (set by
``.ci/run``, which installs chromium) turns the skip into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import httpx
import pytest
from conftest import EXAMPLES
from live_server import running

from reviewer.server import Settings

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "browser-test-token-0123456789"


def chromium_path() -> str | None:
    """Debian's chromium: on PATH, or where the package puts it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _unavailable(reason: str):
    if os.environ.get("REVIEWER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REVIEWER_REQUIRE_BROWSER=1: the browser tests must run here)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install '.[test]')")
    executable = chromium_path()
    if executable is None:
        _unavailable("Debian's chromium is not installed (apt-get install chromium); the tests never download a browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(Settings(jobs=1, temp_parent=str(tmp_path_factory.mktemp("browser")))) as live:
        yield live


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.problems = []  # console errors (a Content-Security-Policy violation among them) and page errors
    page.on("console", lambda m: page.problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def first_finding_title(report: dict) -> str:
    order = {"red_flag": 0, "missing": 1, "weak": 2, "present": 3}
    severity = {"high": 0, "medium": 1, "low": 2}
    findings = [f for f in report["findings"] if f["status"] != "not_applicable"]
    return min(findings, key=lambda f: (order[f["status"]], severity[f["severity"]]))["title"]


def test_upload_through_the_page_and_read_the_report(server, page, tmp_path):
    page.goto(f"{server.url}/")
    page.set_input_files("#file", str(EXAMPLES / "technology_licence.pdf"))
    assert "technology_licence.pdf" in page.inner_text("#chosen")
    page.select_option("#side", "licensor")
    page.click("#submit")
    page.wait_for_url("**/reports/*", timeout=120_000)
    title = page.inner_text("article.card h3")
    assert page.is_visible(".rv-bar")
    # the report's own stylesheet applies under the CSP (its hashes): badges are coloured, the bar sticks
    assert page.evaluate("getComputedStyle(document.querySelector('.rv-bar')).position") == "sticky"
    assert page.evaluate("getComputedStyle(document.querySelector('.badge')).backgroundColor") != "rgba(0, 0, 0, 0)"

    with page.expect_download() as download:
        page.click("a[data-format=json]")
    assert download.value.suggested_filename == "technology_licence-review.json"
    report = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert report["source"]["path"] == "technology_licence.pdf"
    assert report["contract"]["side"] == "licensor"
    assert title == first_finding_title(report)
    with page.expect_download() as download:
        page.click("a[data-format=docx]")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    assert not page.problems, page.problems
    assert os.listdir(server.folder) == []


def test_drag_and_drop_a_text_contract(server, page):
    text = (EXAMPLES / "tech_investment_agreement.md").read_text(encoding="utf-8")
    page.goto(f"{server.url}/")
    page.evaluate("""(text) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], "investment.txt", {type: "text/plain"}));
        const drop = document.getElementById("drop");
        drop.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        drop.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", text)
    assert "investment.txt" in page.inner_text("#chosen")
    page.select_option("#lang", "ja")
    page.click("#submit")
    page.wait_for_url("**/reports/*", timeout=120_000)
    assert page.inner_text(".rv-bar").startswith("← 別の契約書をレビュー")
    assert page.get_attribute("html", "lang") == "ja"
    assert not page.problems, page.problems


def test_an_error_is_shown_on_the_page(server, page, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    page.goto(f"{server.url}/")
    page.set_input_files("#file", str(empty))
    page.click("#submit")
    page.wait_for_selector("#error:not([hidden])", timeout=60_000)
    assert "empty.pdf: file is empty" in page.inner_text("#error")
    assert page.url == f"{server.url}/"
    assert page.is_enabled("#submit")


def test_the_page_works_without_script(server, browser):
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/")
        page.set_input_files("#file", str(EXAMPLES / "technology_licence.docx"))
        page.click("#submit")
        page.wait_for_selector("article.card h3", timeout=120_000)
        assert page.url == f"{server.url}/review"  # the POST's answer is the report itself
        with page.expect_download() as download:
            page.click("a[data-format=md]")
        assert download.value.suggested_filename == "technology_licence-review.md"
    finally:
        context.close()


def test_a_token_entered_on_the_page_opens_the_report_and_its_downloads(browser, tmp_path):
    with running(Settings(jobs=1, token=TOKEN, temp_parent=str(tmp_path))) as live:
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        try:
            page.goto(f"{live.url}/")
            page.fill("#token", "wrong")
            page.set_input_files("#file", str(EXAMPLES / "technology_licence.pdf"))
            page.click("#submit")
            page.wait_for_selector("#error:not([hidden])", timeout=60_000)
            assert "token" in page.inner_text("#error")
            page.fill("#token", TOKEN)
            page.click("#submit")
            page.wait_for_url("**/reports/*", timeout=120_000)
            with page.expect_download() as download:
                page.click("a[data-format=json]")
            assert json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["schema_version"] == 1
            assert httpx.get(page.url).status_code == 401  # the same link without the page's session
        finally:
            context.close()
