"""The portfolio outputs of ``reviewer batch``: ``summary.json``, ``summary.csv``, ``summary.xlsx`` and ``portfolio.html``.

``write_summaries`` takes one outcome per input (``reviewer.jobs.run_job``'s dicts, plus ``report_html`` and
``duplicate_of`` from the batch) and writes the four files atomically. Every string of an outcome is untrusted:
file names come from folders nobody checked and error messages quote them. So every string is cleaned of control
characters and lone surrogates, the spreadsheet cells that a spreadsheet could take for a formula are neutralised,
and the HTML page is rendered with autoescape on under a Content-Security-Policy that only lets its own script run.
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
import json
import math
import os
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from reviewer.report.html import GAP_STATUSES, STATUS_ORDER, environment, labels, shorten
from reviewer.report.json_report import clean, cleaned

SUMMARY_FILES = ("summary.json", "summary.csv", "summary.xlsx", "portfolio.html")
SPEC_STATUSES = ("present", "weak", "missing", "red_flag")  # SPEC's order of the summary counts
GAP_ORDER = STATUS_ORDER[:4]  # most urgent first, for people
BASIS_ORDER = {"case1": 0, "case2": 1, "case3": 2, "case4": 3, "fefta": 4}
SYMBOL = {"red_flag": "!", "missing": "✕", "weak": "△", "present": "✓", "not_applicable": "–"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets may read as the start of a formula

# Spreadsheet colours (fill, font): red flag red, missing orange, weak yellow, present green.
XLSX_COLOURS = {
    "red_flag": ("F4A6A0", "7A0A00"),
    "missing": ("FFD19A", "7A3E00"),
    "weak": ("FFF0A0", "5E4B00"),
    "present": ("C6EFCE", "0B5A1E"),
    "not_applicable": ("EDEDED", "5F6368"),
    "error": ("D9D9D9", "7A0A00"),
}

PORTFOLIO_LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "page_title": "Portfolio review",
        "contracts": "Contracts",
        "contract": "Contract",
        "reviewed": "Reviewed",
        "not_reviewed": "Could not be reviewed",
        "with_red_flags": "Contracts with red flags",
        "findings": "Findings across the portfolio",
        "status_col": "Status",
        "type_col": "Type",
        "side_col": "Side",
        "language_col": "Language",
        "file_col": "File",
        "title_col": "Title",
        "error_col": "Error",
        "warnings_col": "Warnings",
        "duplicate_col": "Duplicate of",
        "protection_col": "Protection",
        "id_col": "Id",
        "basis_col": "From",
        "severity_col": "Severity",
        "applies_col": "Contracts judged",
        "row_status": {"ok": "Reviewed", "error": "Error", "skipped": "Skipped", "interrupted": "Interrupted",
                       "timeout": "Timed out", "cancelled": "Cancelled"},
        "filter_name": "Filter by file name",
        "filter_type": "Contract type",
        "filter_status": "Status",
        "all_types": "All types",
        "all_statuses": "All contracts",
        "only_ok": "Reviewed",
        "only_red": "With red flags",
        "only_gaps": "With red flags, missing or weak",
        "only_error": "Errors",
        "shown": "{n} of {total} contracts shown",
        "sort_hint": "Click a column header to sort (click again to reverse); hover over a cell for its protection.",
        "legend": "Key",
        "not_judged": "does not apply to this contract",
        "duplicate": "same file as {file}: reviewed once",
        "totals_row": "{status} (contracts)",
        "no_contracts": "No contract was given.",
        "generated": "Generated offline by reviewer {version} on {date}. This overview flags gaps for a lawyer to review; "
                     "it is not legal advice.",
    },
    "ja": {
        "page_title": "契約書ポートフォリオ・レビュー",
        "contracts": "契約書",
        "contract": "契約書",
        "reviewed": "レビュー済み",
        "not_reviewed": "レビューできなかったもの",
        "with_red_flags": "リスクのある契約書",
        "findings": "全契約書の判定",
        "status_col": "状態",
        "type_col": "種類",
        "side_col": "立場",
        "language_col": "言語",
        "file_col": "ファイル",
        "title_col": "表題",
        "error_col": "エラー",
        "warnings_col": "警告",
        "duplicate_col": "同一ファイル",
        "protection_col": "チェック項目",
        "id_col": "ID",
        "basis_col": "根拠",
        "severity_col": "重要度",
        "applies_col": "判定した契約書",
        "row_status": {"ok": "完了", "error": "エラー", "skipped": "スキップ", "interrupted": "中断",
                       "timeout": "時間切れ", "cancelled": "取消し"},
        "filter_name": "ファイル名で絞り込み",
        "filter_type": "契約の種類",
        "filter_status": "状態",
        "all_types": "すべての種類",
        "all_statuses": "すべての契約書",
        "only_ok": "レビュー済み",
        "only_red": "リスクあり",
        "only_gaps": "リスク・欠落・不十分あり",
        "only_error": "エラー",
        "shown": "{total}件中{n}件を表示",
        "sort_hint": "列見出しをクリックすると並べ替えます（もう一度クリックで逆順）。セルにカーソルを合わせるとチェック項目を表示します。",
        "legend": "凡例",
        "not_judged": "この契約書には適用されない項目",
        "duplicate": "{file} と同一のファイル（レビューは1回）",
        "totals_row": "{status}（契約書数）",
        "no_contracts": "契約書が指定されていません。",
        "generated": "reviewer {version} によりオフラインで{date}に作成。"
                     "本一覧は弁護士等による確認のための指摘であり、法的助言ではありません。",
    },
}

# Short status words for spreadsheet cells (the report's own Japanese label for a red flag is long).
CELL_STATUS = {
    "en": {"red_flag": "Red flag", "missing": "Missing", "weak": "Weak", "present": "Present", "not_applicable": "N/A"},
    "ja": {"red_flag": "リスク", "missing": "欠落", "weak": "不十分", "present": "充足", "not_applicable": "対象外"},
}


# --------------------------------------------------------------------------------------------------------------
# The entry point


def write_summaries(outcomes: list[dict[str, Any]], out_dir: Path, lang: str | None = "en", *,
                    playbooks: tuple[Path, ...] | list[Path] = ()) -> list[Path]:
    """Write ``summary.json``, ``summary.csv``, ``summary.xlsx`` and ``portfolio.html`` into ``out_dir``
    (each atomically) and return their paths in that order.

    ``lang`` is the language of the spreadsheet's and the page's own words (``en``/``ja``); None: the language
    most of the reviewed contracts are written in. ``playbooks`` (the batch's ``--playbook`` folders) give the
    titles of protections the bundled library does not have.
    """
    from reviewer.jobs import write_atomic, write_atomic_bytes

    out_dir = Path(out_dir)
    rows = [entry(o) for o in outcomes if isinstance(o, dict)]
    lang = portfolio_language(rows, lang)
    columns = protection_columns(rows, lang, playbooks)
    paths = [out_dir / name for name in SUMMARY_FILES]
    write_atomic(paths[0], summary_json(rows))
    write_atomic_bytes(paths[1], summary_csv(rows, columns))
    write_atomic_bytes(paths[2], summary_xlsx(rows, columns, lang))
    write_atomic(paths[3], render_portfolio(rows, columns, lang))
    return paths


# --------------------------------------------------------------------------------------------------------------
# Outcomes as rows


def entry(outcome: dict[str, Any]) -> dict[str, Any]:
    """One outcome, cleaned, with every field the outputs show present and of the expected shape."""
    o = cleaned({k: v for k, v in outcome.items() if k not in _BULKY})
    counts = o.get("counts") if isinstance(o.get("counts"), dict) else {}
    findings = o.get("findings") if isinstance(o.get("findings"), dict) else {}
    severities = o.get("severities") if isinstance(o.get("severities"), dict) else {}
    reports = o.get("reports") if isinstance(o.get("reports"), dict) else {}
    report_html = o.get("report_html")
    if report_html is None and reports.get("html"):
        report_html = reports["html"]
    status = _str(o.get("status")) or "error"
    error = _str(o.get("error")) or None
    errors = [_str(e) for e in o.get("errors") or [] if e] if isinstance(o.get("errors"), list) else []
    return {
        "file": _str(o.get("file")),
        "status": status,
        "error": error,
        "type": _str(o.get("type")) or None,
        "language": _str(o.get("language")) or None,
        "warnings": [_str(w) for w in o.get("warnings") or [] if w] if isinstance(o.get("warnings"), list) else [],
        "counts": {**{s: _int(counts.get(s)) for s in SPEC_STATUSES},
                   **{k: _int(v) for k, v in counts.items() if k not in SPEC_STATUSES and isinstance(k, str)}},
        "title": _str(o.get("title")) or None,
        "side": _str(o.get("side")) or None,
        "sha256": _str(o.get("sha256")) or None,
        "duplicate_of": _str(o.get("duplicate_of")) or None,
        "findings": {str(k): _str(v) for k, v in findings.items()},
        "severities": {str(k): _str(v) for k, v in severities.items()},
        "reports": {str(k): _str(v) for k, v in reports.items() if v},
        "report_html": _str(report_html) or None,
        "errors": errors,
        "interrupted": o.get("interrupted") is True,  # the batch stopped before this contract was reviewed
        "resumed": o.get("resumed") if isinstance(o.get("resumed"), bool) else None,  # reports kept from an earlier run
        "seconds": o.get("seconds") if isinstance(o.get("seconds"), (int, float)) and math.isfinite(o["seconds"]) else None,
        "peak_mb": o.get("peak_mb") if isinstance(o.get("peak_mb"), (int, float)) and math.isfinite(o["peak_mb"]) else None,
    }


_BULKY = ("rendered", "report")  # rendered reports and the report object: not summarised, not worth cleaning


def count_label(status: str, lang: str) -> str:
    """The heading of a count column: ``Red flags`` / ``リスク``."""
    return labels(lang)["status_plural"][status].capitalize() if lang == "en" else CELL_STATUS[lang][status]


def status_label(row: dict[str, Any], lang: str) -> str:
    """``Reviewed``, ``Error``, ``Interrupted`` (an error the batch gave because it was stopped), ``Skipped``..."""
    names = PORTFOLIO_LABELS[lang]["row_status"]
    return names["interrupted"] if row["interrupted"] else names.get(row["status"], row["status"])


def _str(value: Any) -> str:
    """A field as text: None is empty; anything else (a Path, a number) as its clean ``str``."""
    if value is None:
        return ""
    return value if isinstance(value, str) else clean(str(value))


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def portfolio_language(rows: list[dict[str, Any]], lang: str | None) -> str:
    """``lang`` when it is one the outputs speak; otherwise the language most reviewed contracts are in."""
    if lang in PORTFOLIO_LABELS:
        return lang
    seen = Counter(r["language"] for r in rows if r["language"] in PORTFOLIO_LABELS)
    return seen.most_common(1)[0][0] if seen else "en"


def protection_columns(rows: list[dict[str, Any]], lang: str, playbooks: tuple[Path, ...] | list[Path] = ()) -> list[dict[str, Any]]:
    """One column per protection judged in any contract, in the clause library's order grouped by playbook
    (ids the library does not know after, sorted), with its title in ``lang``, severity and basis."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row["findings"]))
    rules = _library_protections(tuple(Path(p) for p in playbooks))
    known = [pid for pid in rules if pid in seen]
    # Grouped by playbook (Case 1 licensing, Case 2 investment, people, FEFTA), the library's order within a group:
    # a portfolio of licences and investments then shows each kind's columns side by side.
    known.sort(key=lambda pid: BASIS_ORDER.get(rules[pid].data.get("basis"), len(BASIS_ORDER)))
    order = known + sorted(pid for pid in seen if pid not in rules)
    columns = []
    for pid in order:
        rule = rules.get(pid)
        severity = rule.data.get("severity", "") if rule else ""
        if not severity:
            severity = next((r["severities"][pid] for r in rows if r["severities"].get(pid)), "")
        title = (rule.text("title", lang) if rule else "") or pid.replace("_", " ").capitalize()
        columns.append({"id": pid, "title": title, "short": short_title(title), "severity": severity,
                        "basis": rule.data.get("basis", "") if rule else ""})
    return columns


def _library_protections(playbooks: tuple[Path, ...]) -> dict[str, Any]:
    from reviewer.library import LibraryError, load_library

    try:
        return dict(load_library(playbooks).protections)
    except (LibraryError, OSError):
        try:
            return dict(load_library(()).protections)
        except (LibraryError, OSError):  # the summaries are still written, with ids for titles
            return {}


def short_title(title: str, limit: int = 32) -> str:
    """A column heading: the title without its parenthesis, shortened."""
    for opening in (" (", "（", "("):
        head = title.split(opening, 1)[0].strip()
        if head:
            title = head
    return title if len(title) <= limit else title[: limit - 1].rstrip(" ,、・") + "…"


# --------------------------------------------------------------------------------------------------------------
# summary.json


def summary_record(row: dict[str, Any]) -> dict[str, Any]:
    """SPEC's summary fields first, then what tools find useful."""
    record = {key: row[key] for key in ("file", "status", "error", "type", "language", "warnings", "counts")}
    record.update({key: row[key] for key in ("title", "side", "sha256", "duplicate_of", "findings", "severities",
                                             "reports", "report_html")})
    if row["errors"]:
        record["errors"] = row["errors"]
    if row["interrupted"]:
        record["interrupted"] = True
    if row["resumed"] is not None:
        record["resumed"] = row["resumed"]
    record.update({"seconds": row["seconds"], "peak_mb": row["peak_mb"]})
    return record


def summary_json(rows: list[dict[str, Any]]) -> str:
    """``summary.json``: a list with one object per input, UTF-8 (non-ASCII kept readable)."""
    return json.dumps([summary_record(r) for r in rows], ensure_ascii=False, indent=2, allow_nan=False, default=str) + "\n"


# --------------------------------------------------------------------------------------------------------------
# summary.csv


def csv_safe(value: Any) -> Any:
    """A text that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) gets a leading
    apostrophe; numbers and other text are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_header(columns: list[dict[str, Any]]) -> list[str]:
    return (["file", "status", "type", "language", "side", *SPEC_STATUSES] + [c["id"] for c in columns]
            + ["error", "warnings", "duplicate_of", "report_html"])


def summary_csv(rows: list[dict[str, Any]], columns: list[dict[str, Any]]) -> bytes:
    """``summary.csv``: one row per contract, one column per protection (its status, empty where the protection
    does not apply). UTF-8 with a byte order mark so that Excel reads Japanese file names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_header(columns))
    for row in rows:
        cells = ([row["file"], row["status"], row["type"] or "", row["language"] or "", row["side"] or ""]
                 + [row["counts"][s] for s in SPEC_STATUSES]
                 + [row["findings"].get(c["id"], "") for c in columns]
                 + [shorten(row["error"] or "", 2000), " | ".join(shorten(w, 500) for w in row["warnings"]),
                    row["duplicate_of"] or "", row["report_html"] or ""])
        writer.writerow([csv_safe(c) for c in cells])
    return buffer.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------------------------------------------
# summary.xlsx


def summary_xlsx(rows: list[dict[str, Any]], columns: list[dict[str, Any]], lang: str) -> bytes:
    """``summary.xlsx`` for lawyers: sheets Contracts (the matrix, coloured, filterable, header and file column
    frozen, file names linked to their reports), Protections (totals per protection) and Errors."""
    from openpyxl import Workbook

    book = Workbook()
    book.properties.creator = "reviewer"
    book.properties.title = PORTFOLIO_LABELS[lang]["page_title"]
    _contracts_sheet(book.active, rows, columns, lang)
    _protections_sheet(book.create_sheet("Protections"), rows, columns, lang)
    _errors_sheet(book.create_sheet("Errors"), rows, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _put(ws, row: int, col: int, value: Any):
    """A cell whose text is always text: openpyxl would store a string starting with "=" as a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = value[:32767]  # Excel's limit for one cell
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # shown as typed; editing the cell keeps it text
    else:
        cell.value = value
    return cell


def _header(ws, names: list[str], widths: list[float], wrap_from: int | None = None) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fill = PatternFill(fill_type="solid", start_color="FFE8EAED", end_color="FFE8EAED")
    line = Border(bottom=Side(style="thin", color="FF9AA0A6"))
    for col, name in enumerate(names, start=1):
        cell = _put(ws, 1, col, name)
        cell.font, cell.fill, cell.border = bold, fill, line
        wrap = wrap_from is not None and col >= wrap_from
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="center" if wrap else "left")
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def text_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _contracts_sheet(ws, rows: list[dict[str, Any]], columns: list[dict[str, Any]], lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lab, P, short = labels(lang), PORTFOLIO_LABELS[lang], CELL_STATUS[lang]
    ws.title = "Contracts"
    fixed = [P["file_col"], P["status_col"], P["type_col"], P["language_col"], P["side_col"]]
    counts = [count_label(s, lang) for s in GAP_ORDER]
    tail = [P["title_col"], P["error_col"], P["warnings_col"], P["duplicate_col"]]
    names = fixed + counts + [c["title"] for c in columns] + tail
    file_width = min(60, max([text_width(P["file_col"])] + [text_width(r["file"]) for r in rows]) + 2)
    widths = ([file_width, 12, 16, 10, 14] + [10] * len(counts) + [15] * len(columns) + [36, 50, 40, 30])
    first_matrix = len(fixed) + 1
    _header(ws, names, widths, wrap_from=first_matrix)
    longest = max([text_width(n) for n in counts + [c["title"] for c in columns]] or [10])
    ws.row_dimensions[1].height = min(150, 15 * (1 + math.ceil(longest / 13)))
    fills = {k: PatternFill(fill_type="solid", start_color="FF" + f, end_color="FF" + f) for k, (f, _) in XLSX_COLOURS.items()}
    fonts = {k: Font(color="FF" + c, bold=k == "red_flag") for k, (_, c) in XLSX_COLOURS.items()}
    centre = Alignment(horizontal="center", vertical="center")
    top = Alignment(vertical="top", wrap_text=False)
    styles = _Styles()

    def coloured(cell, key: str, align: Alignment | None = None) -> None:
        def make(c):
            if key in fills:
                c.fill, c.font = fills[key], fonts[key]
            if align is not None:
                c.alignment = align
        styles.apply(cell, (key, align is not None), make)

    for r, row in enumerate(rows, start=2):
        link = _put(ws, r, 1, row["file"])
        if row["report_html"]:
            link.hyperlink = relative_url(row["report_html"])
            quoted = link.quotePrefix

            def hyperlink_style(c, quoted=quoted):
                c.style = "Hyperlink"
                c.font = Font(underline="single", color="FF0563C1")  # what Excel shows a link as, in every application
                c.quotePrefix = quoted
            styles.apply(link, ("link", quoted), hyperlink_style)
        status = _put(ws, r, 2, status_label(row, lang))
        if row["status"] != "ok":
            coloured(status, "error")
        _put(ws, r, 3, lab["type"].get(row["type"], row["type"] or ""))
        _put(ws, r, 4, lab["language"].get(row["language"], row["language"] or ""))
        _put(ws, r, 5, lab["side"].get(row["side"], row["side"] or ""))
        for i, s in enumerate(GAP_ORDER):
            cell = _put(ws, r, 6 + i, row["counts"][s] if row["status"] == "ok" else None)
            if s == "red_flag" and row["counts"][s]:
                coloured(cell, "red_flag")
        for i, column in enumerate(columns):
            value = row["findings"].get(column["id"])
            cell = _put(ws, r, first_matrix + len(counts) + i, short.get(value, value) if value else None)
            coloured(cell, value or "", centre)
        base = first_matrix + len(counts) + len(columns)
        _put(ws, r, base, row["title"] or "")
        _put(ws, r, base + 1, shorten(row["error"] or "", 2000)).alignment = top
        _put(ws, r, base + 2, " | ".join(shorten(w, 500) for w in row["warnings"]))
        _put(ws, r, base + 3, row["duplicate_of"] or "")
    last = get_column_letter(len(names))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(rows)) + 1}"
    ws.freeze_panes = "B2"


class _Styles:
    """Cell styles built once and copied onto each cell: openpyxl hashes every style object on every assignment,
    which is most of the time a large workbook takes."""

    def __init__(self) -> None:
        self.arrays: dict[Any, Any] = {}

    def apply(self, cell, key: Any, make) -> None:
        array = self.arrays.get(key)
        if array is None:
            make(cell)
            self.arrays[key] = copy.copy(cell._style)
        else:
            cell._style = copy.copy(array)


def _protections_sheet(ws, rows: list[dict[str, Any]], columns: list[dict[str, Any]], lang: str) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    lab, P, short = labels(lang), PORTFOLIO_LABELS[lang], CELL_STATUS[lang]
    statuses = list(STATUS_ORDER)
    names = [P["protection_col"], P["id_col"], P["basis_col"], P["severity_col"], P["applies_col"]] + [short[s] for s in statuses]
    title_width = min(70, max([20] + [text_width(c["title"]) for c in columns]) + 2)
    _header(ws, names, [title_width, 28, 34, 10, 12] + [10] * len(statuses))
    for r, column in enumerate(columns, start=2):
        tally = Counter(row["findings"].get(column["id"]) for row in rows if row["status"] == "ok")
        _put(ws, r, 1, column["title"])
        _put(ws, r, 2, column["id"])
        _put(ws, r, 3, lab["basis"].get(column["basis"], column["basis"]))
        _put(ws, r, 4, lab["severity"].get(column["severity"], column["severity"]))
        _put(ws, r, 5, sum(n for s, n in tally.items() if s))
        for i, s in enumerate(statuses):
            cell = _put(ws, r, 6 + i, tally.get(s, 0))
            if s != "not_applicable" and tally.get(s, 0):
                fill, font = XLSX_COLOURS[s]
                cell.fill = PatternFill(fill_type="solid", start_color="FF" + fill, end_color="FF" + fill)
                cell.font = Font(color="FF" + font)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{max(1, len(columns)) + 1}"
    ws.freeze_panes = "B2"


def _errors_sheet(ws, rows: list[dict[str, Any]], lang: str) -> None:
    P = PORTFOLIO_LABELS[lang]
    _header(ws, [P["file_col"], P["status_col"], P["error_col"]], [50, 14, 120])
    r = 2
    for row in rows:
        if row["status"] == "ok":
            continue
        messages = row["errors"] or [row["error"] or ""]
        for message in messages:
            _put(ws, r, 1, row["file"])
            _put(ws, r, 2, status_label(row, lang))
            _put(ws, r, 3, shorten(message or "", 2000))
            r += 1
    ws.auto_filter.ref = f"A1:C{max(2, r - 1)}"
    ws.freeze_panes = "A2"


# --------------------------------------------------------------------------------------------------------------
# portfolio.html

# ASCII characters left as they are in a link to a report; anything else of ASCII is percent-encoded (":" too,
# so that a crafted name can never become a "javascript:" link); non-ASCII letters stay readable.
_URL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/!$&'()*+,;=@")


def relative_url(path: str) -> str:
    """A report's path relative to the output folder as a relative URL (``a b#1.html`` -> ``a%20b%231.html``)."""
    path = path.replace("\\", "/").lstrip("/")
    out = []
    for ch in path:
        if ord(ch) < 128 and ch not in _URL_SAFE:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def portfolio_view(rows: list[dict[str, Any]], columns: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """What the page shows, computed once."""
    from reviewer import __version__

    lab, P = labels(lang), PORTFOLIO_LABELS[lang]
    ok = [r for r in rows if r["status"] == "ok"]
    totals = {s: sum(r["counts"][s] for r in ok) for s in GAP_ORDER}
    items = []
    display = display_names([row["file"] for row in rows])
    for i, row in enumerate(rows, start=1):
        cells = []
        for column in columns:
            status = row["findings"].get(column["id"])
            if status:
                label = lab["status"].get(status, status)
                cells.append({"status": status, "symbol": SYMBOL.get(status, "?"), "label": label,
                              "tip": f"{label}{lab['colon']}{column['title']}"})
            else:
                cells.append({"status": "none", "symbol": "", "label": "", "tip": f"{column['title']}{lab['colon']}{P['not_judged']}"})
        gaps = sum(row["counts"][s] for s in GAP_STATUSES)
        items.append({
            "i": i,
            "row": row,
            "name": display[i - 1],
            "href": relative_url(row["report_html"]) if row["report_html"] else "",
            "status_label": status_label(row, lang),
            "type_label": lab["type"].get(row["type"], row["type"] or ""),
            "side_label": lab["side"].get(row["side"], row["side"] or ""),
            "reason": shorten(row["error"] or "", 500),
            "duplicate": P["duplicate"].format(file=row["duplicate_of"]) if row["duplicate_of"] else "",
            "cells": cells,
            "gaps": gaps,
        })
    column_totals = [{s: sum(1 for r in ok if r["findings"].get(c["id"]) == s) for s in GAP_ORDER} for c in columns]
    types = sorted({r["type"] for r in rows if r["type"]}, key=lambda t: lab["type"].get(t, t))
    other_statuses = sorted({r["status"] for r in rows} - {"ok"})
    return {
        "lang": lang,
        "L": lab,
        "P": P,
        "columns": columns,
        "items": items,
        "count_statuses": GAP_ORDER,
        "count_labels": {s: count_label(s, lang) for s in GAP_ORDER},
        "legend": list(STATUS_ORDER),
        "symbols": SYMBOL,
        "totals": totals,
        "n_contracts": len(rows),
        "n_ok": len(ok),
        "n_not_ok": len(rows) - len(ok),
        "n_red": sum(1 for r in ok if r["counts"]["red_flag"]),
        "column_totals": column_totals,
        "types": [(t, lab["type"].get(t, t)) for t in types],
        "other_statuses": [(s, P["only_error"] if s == "error" else P["row_status"].get(s, s)) for s in other_statuses],
        "generated": P["generated"].format(version=__version__, date=datetime.date.today().isoformat()),
    }


def display_names(files: list[str]) -> list[str]:
    """File names as shown on the page: the paths below the folder all the inputs share (a full path when
    only one file is given would say nothing more than its name)."""
    try:
        common = os.path.commonpath([os.path.dirname(f) for f in files]) if files else ""
    except ValueError:  # absolute and relative paths mixed
        common = ""
    if not common:
        return list(files)
    return [os.path.relpath(f, common) if f.startswith(common) else f for f in files]


def render_portfolio(rows: list[dict[str, Any]], columns: list[dict[str, Any]], lang: str) -> str:
    """``portfolio.html``: one self-contained page (inline CSS and script, nothing fetched)."""
    return environment().get_template("portfolio.html.j2").render(**portfolio_view(rows, columns, lang))
