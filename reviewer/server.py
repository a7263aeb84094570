"""``reviewer serve``: the upload page and the HTTP API (SPEC section 1), safe by default.

- Listens on 127.0.0.1 unless told otherwise; a host other than loopback needs ``--token``.
- An upload is streamed to a file with a random name inside a private temporary folder (mode 0700),
  counted as it arrives (413 as soon as it passes the limit) and deleted when its review ends, however
  it ends. The client's file name is only ever shown, never used as a path.
- Reviews run in ``reviewer.workers.Pool`` worker processes, with a time and memory limit per document;
  the event loop only waits for them, so the server keeps answering (``/healthz`` too) during a review.
- Reports are kept in memory only (the last 32, for an hour) for their download links; nothing of a
  contract is written anywhere but the upload's temporary file.
- Every response carries a strict Content-Security-Policy and the usual hardening headers; pages use
  no CDN, no external asset, and only inline code the policy names by nonce or hash.

Only the ``serve`` command imports this module, so ``reviewer --version`` never loads FastAPI.
"""

from __future__ import annotations

import argparse
import asyncio
import html as htmlmod
import ipaddress
import os
import re
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from reviewer import __version__
from reviewer.cli import SIDES
from reviewer.errors import describe
from reviewer.pipeline import Options
from reviewer.report.html import csp_hash
from reviewer.serve_job import Upload, ping, review_upload
from reviewer.workers import Limits, Pool, PoolClosed, PoolFailed, WorkerLost, cores

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_MB = 25
LANGS = ("auto", "en", "ja")
# What a multipart body may carry besides the file itself: boundaries, part headers, side, lang, token.
FORM_OVERHEAD = 64 * 1024
MAX_PARTS = 8
MAX_FIELD_BYTES = 1024
SESSION_COOKIE = "reviewer_session"
SESSION_SECONDS = 12 * 3600
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DOWNLOADS = ("docx", "md", "json", "html")
FAVICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="2" y="1" width="12" height="14" rx="2" '
           b'fill="#1a56c4"/><path d="M5 5h6M5 8h6M5 11h4" stroke="#fff" stroke-width="1.4"/></svg>')
REPORT_NAME = re.compile(r"^([A-Za-z0-9_-]{32})(?:\.(html|json|md|docx))?$")
# Headers every response gets unless the route chose its own.
BASE_HEADERS = {
    "content-security-policy": "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "SAMEORIGIN",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cache-control": "no-store",
}


@dataclass(frozen=True)
class Settings:
    """How the server runs. ``review_fn`` is what a worker runs per upload (a test may slow it down)."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * MB
    token: str | None = None
    jobs: int = 2
    limits: Limits = Limits()
    max_pending: int | None = None  # uploads and reviews at once before 503 (default: 4 per worker)
    report_count: int = 32
    report_seconds: float = 3600.0
    report_memory_bytes: int = 256 * MB
    temp_parent: str | None = None  # where the private folder is made (default: the system's)
    upload_seconds: float = 600.0  # the whole upload must arrive within this (a slow client cannot hold a slot)
    review_fn: Callable[[Upload], dict[str, Any]] = review_upload

    @property
    def report_minutes(self) -> int:
        return round(self.report_seconds / 60)


class ApiError(Exception):
    """An answer other than 200: ``{"error": message}`` with a 4xx or 5xx status."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, " ".join(message.split()), headers or {}


# ----------------------------------------------------------------------------------------------------------
# Uploads: streamed to a random name in the private folder, counted, never named by the client


def display_name(raw: str | None) -> str:
    """The client's file name as shown in the report: last path component, no control characters, short."""
    name = PurePosixPath((raw or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 110] + "…" + dot + ext[:8]) if dot and len(ext) <= 8 else name[:120]
    return name or "upload"


def limit_text(limit: int) -> str:
    """``25 MB`` or ``1000 bytes``."""
    return f"{limit / MB:g} MB" if limit >= MB / 10 else f"{limit} bytes"


@dataclass
class Received:
    """An upload on disk and the form fields that came with it."""

    path: str
    name: str
    fields: dict[str, str]


class _FormReader:
    """python-multipart callbacks: small fields kept in memory, the one file part written to disk."""

    def __init__(self, folder: str, max_file: int, check_token: Callable[[str], bool] | None):
        self.folder, self.max_file, self.check_token = folder, max_file, check_token
        self.fields: dict[str, str] = {}
        self.path: str | None = None
        self.filename: str | None = None
        self.size = 0
        self.ended = False
        self._fh = None
        self._parts = 0
        self._headers: dict[str, str] = {}
        self._hname = bytearray()
        self._hvalue = bytearray()
        self._current: str | None = None
        self._value = bytearray()

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self._part_begin, "on_header_field": self._header_field, "on_header_value": self._header_value,
            "on_header_end": self._header_end, "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
            "on_part_end": self._part_end, "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise ApiError(400, f"too many form fields (at most {MAX_PARTS})")
        self._headers, self._current = {}, None
        self._value = bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._hname += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._hvalue += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._hname.decode("latin-1").strip().lower()] = self._hvalue.decode("latin-1").strip()
        self._hname, self._hvalue = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        kind, params = parse_options_header(self._headers.get("content-disposition", ""))
        name = params.get(b"name")
        if kind != b"form-data" or name is None:
            raise ApiError(400, "a part of the form has no name (send multipart/form-data with a field named file)")
        self._current = name.decode("utf-8", "replace")
        if self._current != "file":
            return
        if self.path is not None:
            raise ApiError(400, "send one file per request")
        # the token must come before the file: no unauthenticated bytes on disk
        if self.check_token is not None and not self.check_token(self.fields.get("token", "")):
            raise needs_token("send Authorization: Bearer <token>, or the form field token before the file")
        filename = params.get(b"filename")
        self.filename = filename.decode("utf-8", "replace") if filename is not None else None
        path = os.path.join(self.folder, secrets.token_hex(16))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        self._fh = os.fdopen(os.open(path, flags, 0o600), "wb")
        self.path = path

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current == "file":
            self.size += end - start
            if self.size > self.max_file:
                raise _TooLarge()
            assert self._fh is not None
            self._fh.write(data[start:end])
            return
        self._value += data[start:end]
        if len(self._value) > MAX_FIELD_BYTES:
            raise ApiError(400, f"the form field {self._current!r} is too long")

    def _part_end(self) -> None:
        if self._current == "file":
            self.close()
        elif self._current is not None:
            self.fields[self._current] = self._value.decode("utf-8", "replace").strip()

    def _end(self) -> None:
        self.ended = True

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class _TooLarge(Exception):
    pass


async def receive_upload(request: Request, folder: str, max_file: int, check_token: Callable[[str], bool] | None) -> Received:
    """Stream a multipart upload into ``folder``; raises ``ApiError`` (400, 401, 413) and leaves no file behind."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise ApiError(400, "send the contract as multipart/form-data with a field named file")
    max_body = max_file + FORM_OVERHEAD
    too_large = ApiError(413, f"the upload is larger than this server's limit of {limit_text(max_file)}")
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise ApiError(400, "bad Content-Length header")
        if int(declared) > max_body:
            if "100-continue" not in request.headers.get("expect", "").lower():
                await _drain(request.stream(), int(declared))  # so that a browser sees the 413, not a reset
            raise too_large
    reader = _FormReader(folder, max_file, check_token)
    try:
        parser = MultipartParser(boundary, reader.callbacks())
    except (FormParserError, ValueError) as exc:
        raise ApiError(400, f"bad multipart boundary ({exc})") from None
    chunks = request.stream()
    received = 0
    try:
        try:
            async for chunk in chunks:
                received += len(chunk)
                if received > max_body:
                    raise _TooLarge()
                parser.write(chunk)
            parser.finalize()
        except _TooLarge:
            await _drain(chunks, 2 * max_body)
            raise too_large from None
        except FormParserError as exc:
            raise ApiError(400, f"the multipart form could not be read ({' '.join(str(exc).split())[:120]})") from None
        if reader.path is None:
            if check_token is not None and not check_token(reader.fields.get("token", "")):
                raise needs_token("send Authorization: Bearer <token>, or the form field token before the file")
            raise ApiError(400, "the form has no field named file (the contract to review)")
        if not reader.ended:
            raise ApiError(400, "the upload was cut short")
        if reader.size == 0 and not reader.filename:
            raise ApiError(400, "no file was chosen")
    except BaseException:  # any error, a disconnected client, a cancelled task: nothing stays on disk
        reader.close()
        if reader.path:
            Path(reader.path).unlink(missing_ok=True)
        raise
    return Received(reader.path, display_name(reader.filename), reader.fields)


async def _drain(chunks: AsyncIterator[bytes], budget: int, seconds: float = 10.0) -> None:
    """Read and drop what the client is still sending (up to ``budget`` bytes), so it can read our answer."""

    async def consume() -> None:
        left = budget
        async for chunk in chunks:
            left -= len(chunk)
            if left < 0:
                return

    try:
        await asyncio.wait_for(consume(), seconds)
    except (asyncio.TimeoutError, ClientDisconnect, RuntimeError):
        pass


# ----------------------------------------------------------------------------------------------------------
# Reports kept for their download links: in memory, bounded in number, bytes and time


@dataclass
class StoredReport:
    """One review's rendered reports."""

    id: str
    name: str
    lang: str
    created: float
    files: dict[str, bytes]
    view: bytes = b""
    view_csp: str = ""

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.files.values()) + len(self.view)


class ReportStore:
    """The last ``count`` reviews, each for ``seconds``, at most ``max_bytes`` in all. Nothing on disk."""

    def __init__(self, count: int, seconds: float, max_bytes: int):
        self.count, self.seconds, self.max_bytes = count, seconds, max_bytes
        self._items: OrderedDict[str, StoredReport] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, entry: StoredReport) -> None:
        with self._lock:
            self._items[entry.id] = entry
            self._expire()
            total = sum(e.size for e in self._items.values())
            while self._items and (len(self._items) > self.count or total > self.max_bytes):
                _, old = self._items.popitem(last=False)
                total -= old.size

    def get(self, report_id: str) -> StoredReport | None:
        with self._lock:
            self._expire()
            return self._items.get(report_id)

    def _expire(self) -> None:
        cutoff = time.monotonic() - self.seconds
        for key in [k for k, e in self._items.items() if e.created < cutoff]:
            del self._items[key]


class Sessions:
    """Browser sessions of a server with a token: the page sends the token once, then a cookie carries on
    (a download link cannot send an Authorization header)."""

    def __init__(self, seconds: float = SESSION_SECONDS, count: int = 1000):
        self.seconds, self.count = seconds, count
        self._items: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def new(self) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._items[sid] = time.monotonic() + self.seconds
            while len(self._items) > self.count:
                self._items.popitem(last=False)
        return sid

    def valid(self, sid: str) -> bool:
        with self._lock:
            expires = self._items.get(sid)
            if expires is None:
                return False
            if expires < time.monotonic():
                del self._items[sid]
                return False
            return True


# ----------------------------------------------------------------------------------------------------------
# Pages


def render_page(template: str, **values: Any) -> str:
    """A page of ``templates/serve``, from the report's own (autoescaping, strict) template environment."""
    from reviewer.report.html import environment

    return environment().get_template(f"serve/{template}").render(**values)


def page_csp(nonce: str) -> str:
    """The policy of this server's own pages: only their own inline script and style run."""
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")


_STYLE_ELEMENT = re.compile(r"<style(?:\s[^>]*)?>(.*?)</style>", re.S | re.I)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle="([^"]*)\"""", re.I)


def report_csp(page: str) -> str:
    """The policy of a report page: no script at all; exactly its own style blocks and style attributes.

    The report's text is escaped (``<`` and ``"`` never appear raw in it), so every ``<style>`` and
    ``style="`` the patterns find comes from the template, not from the contract.
    """
    hashes = {csp_hash(m.group(1)) for m in _STYLE_ELEMENT.finditer(page)}
    attributes = {csp_hash(htmlmod.unescape(m.group(1))) for m in _STYLE_ATTRIBUTE.finditer(page)}
    style = " ".join(sorted(hashes) + (["'unsafe-hashes'"] + sorted(attributes) if attributes else []))
    return (f"default-src 'none'; style-src {style or chr(39) + 'none' + chr(39)}; img-src 'self' data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")


BAR_CSS = """
.rv-bar { position: sticky; top: 0; z-index: 10; display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center;
  padding: 8px 16px; background: #1f1f1f; color: #fff; font: 14px/1.4 system-ui, sans-serif; }
.rv-bar a { color: #fff; }
.rv-bar .rv-dl a { display: inline-block; margin-right: 6px; padding: 2px 10px; border: 1px solid #9aa0a6; border-radius: 12px;
  text-decoration: none; }
.rv-bar .rv-dl a:hover, .rv-bar .rv-dl a:focus { background: #fff; color: #1f1f1f; }
.rv-bar .rv-note { color: #bdc1c6; font-size: 12px; }
@media print { .rv-bar { display: none; } }
"""

BAR_LABELS = {
    "en": {"again": "← Review another contract", "download": "Download", "docx": "Word (with comments)", "md": "Markdown",
           "json": "JSON", "html": "HTML", "note": "Kept in this server's memory for {minutes} minutes, never on disk."},
    "ja": {"again": "← 別の契約書をレビュー", "download": "ダウンロード", "docx": "Word（コメント付き）", "md": "Markdown",
           "json": "JSON", "html": "HTML",
           "note": "このレポートはサーバーのメモリに{minutes}分間だけ保持され、ディスクには保存されません。"},
}


def report_view(html: str, entry: StoredReport, root: str, minutes: int) -> str:
    """The HTML report with a bar of download links at the top (hidden when printed)."""
    labels = BAR_LABELS.get(entry.lang, BAR_LABELS["en"])
    links = [(fmt, f"{root}/reports/{entry.id}.{fmt}", labels[fmt]) for fmt in DOWNLOADS if fmt in entry.files]
    bar = render_page("bar.html.j2", L=labels, links=links, home=f"{root}/", note=labels["note"].format(minutes=minutes))
    head_end = html.find("</head>")
    if head_end >= 0:
        html = html[:head_end] + f"<style>{BAR_CSS}</style>\n" + html[head_end:]
    body = re.search(r"<body(?:\s[^>]*)?>", html)
    if body:
        return html[: body.end()] + "\n" + bar + html[body.end():]
    return bar + html


def download_disposition(name: str, fmt: str) -> str:
    """``attachment`` with the contract's name: ``<stem>-review.<ext>``, ASCII fallback plus RFC 6266 UTF-8."""
    stem = Path(name).stem
    full = f"{stem}-review.{fmt}" if stem else f"review.{fmt}"
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_.-")
    ascii_name = f"{ascii_stem}-review.{fmt}" if ascii_stem else f"review.{fmt}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full, safe='')}"


# ----------------------------------------------------------------------------------------------------------
# The app


class ServerState:
    """What the app holds while it runs: the worker pool, the private folder, reports and sessions."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.reports = ReportStore(settings.report_count, settings.report_seconds, settings.report_memory_bytes)
        self.sessions = Sessions()
        self.pool: Pool | None = None
        self.folder: str | None = None
        self.ready = False
        self.problem: str | None = None
        self.active = 0
        self.max_pending = settings.max_pending or 4 * max(1, settings.jobs)

    def start(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="reviewer-serve-", dir=self.settings.temp_parent)  # mode 0700
        os.chmod(self.folder, 0o700)
        self.pool = Pool(self.settings.jobs, self.settings.limits)
        warmups = [self.pool.submit(ping, None) for _ in range(self.pool.size)]
        remaining = [len(warmups)]
        lock = threading.Lock()

        def done(future) -> None:
            with lock:
                remaining[0] -= 1
                if future.exception() is not None and self.problem is None:
                    self.problem = f"the review workers could not start ({future.exception()})"
                if remaining[0] == 0 and self.problem is None:
                    self.ready = True

        for future in warmups:
            future.add_done_callback(done)

    def stop(self) -> None:
        self.ready = False
        if self.pool is not None:
            self.pool.close(cancel=True)
            self.pool = None
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    # -- authentication --------------------------------------------------------------------------------
    def token_matches(self, candidate: str) -> bool:
        token = self.settings.token
        return bool(token) and secrets.compare_digest(candidate.encode("utf-8"), token.encode("utf-8"))

    def authorized(self, request: Request) -> str | None:
        """How the request proved it may use the server: "open", "bearer", "cookie" or None.

        A wrong Authorization header is refused at once, whatever else the request carries."""
        if not self.settings.token:
            return "open"
        header = request.headers.get("authorization")
        if header is not None:
            scheme, _, credentials = header.partition(" ")
            if scheme.lower() == "bearer" and self.token_matches(credentials.strip()):
                return "bearer"
            raise ApiError(401, "wrong access token", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        sid = request.cookies.get(SESSION_COOKIE)
        if sid and self.sessions.valid(sid):
            return "cookie"
        return None


def needs_token(how: str = "send the header Authorization: Bearer <token>") -> ApiError:
    """The 401 of a request without the token (a new exception each time: a shared one would keep every
    traceback it was raised with, and the requests in them)."""
    return ApiError(401, f"this server needs its access token: {how}", {"WWW-Authenticate": "Bearer"})


ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}},
                "example": {"error": "contract.pdf: contains no text"}}


def _form_schema(max_bytes: int, with_token: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "file": {"type": "string", "format": "binary",
                 "description": f"the contract: DOCX, PDF or text, at most {limit_text(max_bytes)}. The format is read from "
                                "the bytes, not the name; the name is only shown in the report."},
        "side": {"type": "string", "enum": list(SIDES), "default": "auto",
                 "description": "whose interests the review protects (auto: inferred from the contract)"},
        "lang": {"type": "string", "enum": list(LANGS), "default": "auto",
                 "description": "language of the report's own words (auto: the contract's)"},
    }
    if with_token:
        properties["token"] = {"type": "string", "description": "the access token, for a browser form without script "
                                                               "(it must come before file); API clients send Authorization"}
    return {"type": "object", "required": ["file"], "properties": properties}


def _responses(ok: dict[str, Any], settings: Settings, *codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "a malformed request: not multipart, no file field, an unknown side or lang",
        401: "the server has a token and the request did not carry it (Authorization: Bearer <token>)",
        403: "a form posted from another site",
        404: "no such report: it expired (reports are kept in memory for a limited time) or never existed",
        413: f"the file is larger than the upload limit ({limit_text(settings.max_upload_bytes)})",
        422: "the contract could not be reviewed: the one-line reason names the file (empty, legacy .doc, encrypted, "
             "damaged, no text layer, over the time or memory limit for one document)",
        503: "the server is starting, stopping or busy (Retry-After says when to try again)",
    }
    out: dict[int | str, dict[str, Any]] = {200: ok}
    for code in codes:
        if code == 401 and not settings.token:
            continue
        out[code] = {"description": text[code], "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    return out


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application. Its lifespan starts the worker pool and the private folder, and removes both."""
    settings = settings or Settings()
    state = ServerState(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        await asyncio.to_thread(state.start)
        try:
            yield
        finally:
            await asyncio.to_thread(state.stop)

    app = FastAPI(
        title="reviewer",
        version=__version__,
        summary="Offline contract clause review: upload a contract, get its review.",
        description="Reviews a contract (DOCX, PDF or text; English or Japanese) on this machine and answers with the "
                    "report. Nothing leaves the machine; the upload is deleted when its review ends.",
        docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None, openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.reviewer = state
    app.add_middleware(Guard, allowed_hosts=None if not is_loopback(settings.host) else loopback_names(settings.host))
    form = _form_schema(settings.max_upload_bytes, bool(settings.token))
    body = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": form}}}}
    auth = "" if not settings.token else ' -H "Authorization: Bearer $REVIEWER_TOKEN"'

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        return error_response(request, exc.status_code, message, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:  # the traceback goes to the log only
        return error_response(request, 500, "internal error: see the server's log")

    @app.get("/", include_in_schema=False)
    async def upload_page(request: Request) -> Response:
        nonce = secrets.token_urlsafe(18)
        root = request.scope.get("root_path", "")
        page = render_page("upload.html.j2", nonce=nonce, root=root, version=__version__, sides=SIDES, langs=LANGS,
                           max_bytes=settings.max_upload_bytes, max_text=limit_text(settings.max_upload_bytes),
                           token_required=bool(settings.token), minutes=settings.report_minutes)
        return HTMLResponse(page, headers={"Content-Security-Policy": page_csp(nonce)})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @app.get("/healthz", summary="Whether the server is ready", tags=["server"],
             responses={200: {"description": "ready: the review workers are running",
                              "content": {"application/json": {"example": {"status": "ok", "version": __version__}}}},
                        503: {"description": "starting (the workers are loading) or failed",
                              "content": {"application/json": {"example": {"status": "starting"}}}}},
             openapi_extra={"x-codeSamples": [{"lang": "Shell", "source": "curl -fsS {base}/healthz"}]})
    async def healthz() -> Response:
        if state.ready:
            return JSONResponse({"status": "ok", "version": __version__})
        if state.problem:
            return JSONResponse({"status": "error", "error": state.problem}, status_code=503)
        return JSONResponse({"status": "starting"}, status_code=503, headers={"Retry-After": "2"})

    @app.post("/api/review", summary="Review a contract: the JSON report", tags=["review"],
              description="The JSON report of SPEC section 2 (schema: docs/report.schema.json in the source), with "
                          "`source.path` set to the uploaded file's name. Errors are JSON `{\"error\": \"...\"}`.",
              responses=_responses({"description": "the JSON report", "content": {"application/json": {
                  "schema": {"type": "object", "description": "the report (docs/report.schema.json)"}}}},
                  settings, 400, 401, 403, 413, 422, 503),
              openapi_extra={**body, "x-codeSamples": [{"lang": "Shell", "source":
                             f"curl -fsS{auth} -F file=@contract.pdf -F side=licensor {{base}}/api/review -o contract.json"}]})
    async def api_review(request: Request) -> Response:
        outcome, _received, _how, timing = await review_request(request, state, ("json",), browser=False)
        return Response(outcome["rendered"]["json"], media_type="application/json", headers={"Server-Timing": timing})

    @app.post("/review", summary="Review a contract: the HTML report with download links", tags=["review"],
              description="The HTML report, with links to download it as Word (the contract with review comments), "
                          "Markdown and JSON; the header `X-Report-Id` names it under `/reports/`. This is where the "
                          "upload page posts; errors are JSON unless the client asked for HTML first (a browser's form).",
              responses=_responses({"description": "the HTML report", "content": {"text/html": {}},
                                    "headers": {"X-Report-Id": {"description": "the report's id under /reports/",
                                                                "schema": {"type": "string"}}}},
                                   settings, 400, 401, 403, 413, 422, 503),
              openapi_extra={**body, "x-codeSamples": [{"lang": "Shell", "source":
                             f"curl -fsS{auth} -F file=@contract.docx -F lang=ja {{base}}/review -o review.html"}]})
    async def html_review(request: Request) -> Response:
        outcome, received, how, timing = await review_request(request, state, ("html", "json", "md", "docx"), browser=True)
        rendered = outcome["rendered"]
        report_id = secrets.token_urlsafe(24)
        lang = received.fields.get("lang")
        if lang not in ("en", "ja"):  # auto: the contract's
            lang = outcome.get("language") or "en"
        entry = StoredReport(report_id, received.name, lang, time.monotonic(),
                             {fmt: v.encode("utf-8") if isinstance(v, str) else v for fmt, v in rendered.items()})
        view = report_view(rendered["html"], entry, request.scope.get("root_path", ""), settings.report_minutes)
        entry.view, entry.view_csp = view.encode("utf-8"), report_csp(view)
        state.reports.add(entry)
        response = Response(entry.view, media_type=CONTENT_TYPES["html"],
                            headers={"X-Report-Id": report_id, "Content-Security-Policy": entry.view_csp, "Server-Timing": timing})
        if how in ("bearer", "form"):  # the links of the page must work without an Authorization header
            response.set_cookie(SESSION_COOKIE, state.sessions.new(), max_age=SESSION_SECONDS, httponly=True,
                                samesite="strict", path="/")
        return response

    @app.get("/reports/{name}", summary="A report of an earlier POST /review", tags=["review"],
             description="`/reports/{id}`: the HTML report page with its download bar; `/reports/{id}.docx`, `.md`, "
                         "`.json`, `.html`: downloads. Reports are kept in memory only, for "
                         f"{settings.report_minutes} minutes and at most the last {settings.report_count}.",
             responses=_responses({"description": "the report", "content": {
                 CONTENT_TYPES["html"]: {}, "application/json": {}, CONTENT_TYPES["md"]: {}, CONTENT_TYPES["docx"]: {}}},
                 settings, 401, 404),
             openapi_extra={"x-codeSamples": [{"lang": "Shell", "source": f"curl -fsS{auth} -OJ {{base}}/reports/ID.docx"}]})
    async def report(request: Request, name: str) -> Response:
        if state.authorized(request) is None:
            raise needs_token()
        match = REPORT_NAME.match(name)
        entry = state.reports.get(match.group(1)) if match else None
        if entry is None:
            raise ApiError(404, "no such report: reports are kept in memory for "
                                f"{settings.report_minutes} minutes; review the contract again")
        fmt = match.group(2)
        if fmt is None:
            return Response(entry.view, media_type=CONTENT_TYPES["html"], headers={"Content-Security-Policy": entry.view_csp})
        if fmt not in entry.files:
            raise ApiError(404, f"the {fmt} report of this review could not be written")
        return Response(entry.files[fmt], media_type=CONTENT_TYPES[fmt],
                        headers={"Content-Disposition": download_disposition(entry.name, fmt)})

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> Response:
        nonce = secrets.token_urlsafe(18)
        base = str(request.base_url).rstrip("/")
        page = render_page("docs.html.j2", nonce=nonce, api=app.openapi(), base=base, version=__version__,
                           token_required=bool(settings.token), max_text=limit_text(settings.max_upload_bytes),
                           root=request.scope.get("root_path", ""))
        return HTMLResponse(page, headers={"Content-Security-Policy": page_csp(nonce)})

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            if settings.token:
                schema.setdefault("components", {})["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
                for path, methods in schema["paths"].items():
                    if path != "/healthz":
                        for operation in methods.values():
                            operation["security"] = [{"bearer": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


async def review_request(request: Request, state: ServerState, formats: tuple[str, ...],
                         browser: bool) -> tuple[dict[str, Any], Received, str, str]:
    """Receive the upload, review it in a worker, delete it; returns (outcome, upload, how authorised, Server-Timing)."""
    settings = state.settings
    how = state.authorized(request)
    if how is None and not browser:
        raise needs_token()
    if cross_site(request):
        raise ApiError(403, "a form posted from another site is refused")
    if not state.ready or state.pool is None or state.folder is None:
        raise ApiError(503, state.problem or "the server is starting: try again in a moment", {"Retry-After": "2"})
    if state.active >= state.max_pending:
        raise ApiError(503, f"the server is busy ({state.active} contracts under review): try again shortly", {"Retry-After": "5"})
    state.active += 1
    received: Received | None = None
    try:
        started = time.perf_counter()
        check = state.token_matches if how is None else None
        try:
            received = await asyncio.wait_for(receive_upload(request, state.folder, settings.max_upload_bytes, check),
                                              settings.upload_seconds)
        except ClientDisconnect:
            raise ApiError(400, "the client closed the connection during the upload") from None
        except asyncio.TimeoutError:
            raise ApiError(408, f"the upload took longer than {settings.upload_seconds:g} s") from None
        if how is None:
            how = "form"
        uploaded = time.perf_counter()
        side, lang = received.fields.get("side") or "auto", received.fields.get("lang") or "auto"
        if side not in SIDES:
            raise ApiError(400, f"side must be one of {', '.join(SIDES)}")
        if lang not in LANGS:
            raise ApiError(400, f"lang must be one of {', '.join(LANGS)}")
        options = Options(side=None if side == "auto" else side, language=None if lang == "auto" else lang)
        task = Upload(path=received.path, name=received.name, options=options, formats=formats)
        try:
            outcome = await asyncio.wrap_future(state.pool.submit(settings.review_fn, task))
        except PoolFailed as exc:  # the pool's manager died: no review can run any more
            state.ready, state.problem = False, str(exc)  # /healthz says so: the server needs a restart
            raise ApiError(503, str(exc)) from None
        except WorkerLost as exc:
            if not state.ready:
                raise ApiError(503, "the server is stopping", {"Retry-After": "5"}) from None
            raise ApiError(422, f"{received.name}: {exc}") from None
        except PoolClosed as exc:  # the pool was closed under us
            raise ApiError(503, f"the server is stopping ({exc})", {"Retry-After": "5"}) from None
        except Exception as exc:  # noqa: BLE001 - run_job reports bad contracts itself; this is a bug: say it in one line
            raise ApiError(500, f"{received.name}: the review failed unexpectedly ({describe(exc)})") from None
        if outcome["status"] == "error" and not outcome.get("sha256"):
            raise ApiError(422, outcome["error"] or f"{received.name}: could not be reviewed")
        if formats[0] not in outcome["rendered"]:
            raise ApiError(500, outcome.get("error") or f"{received.name}: the report could not be written")
        reviewed = time.perf_counter()
        timing = (f'upload;dur={(uploaded - started) * 1000:.0f};desc="upload received", '
                  f'review;dur={(reviewed - uploaded) * 1000:.0f};desc="review in a worker"')
        return outcome, received, how, timing
    finally:
        state.active -= 1
        if received is not None:
            Path(received.path).unlink(missing_ok=True)


def cross_site(request: Request) -> bool:
    """A form another site made the browser post; API clients send neither header.

    ``Sec-Fetch-Site`` (set by the browser alone; sent to loopback and HTTPS origins) decides when present.
    Otherwise ``Origin``, when it names one: under ``Referrer-Policy: no-referrer`` a browser sends
    ``Origin: null`` even for this server's own form, so ``null`` proves nothing either way."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return False
    return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


def wants_html(request: Request) -> bool:
    """A browser navigating (a form post without script): its Accept header names text/html first."""
    accept = request.headers.get("accept", "")
    return accept.split(",")[0].split(";")[0].strip().lower() == "text/html" and not request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """``{"error": message}``, or a small HTML page for a browser's plain form post."""
    message = " ".join(str(message).split())
    headers = dict(headers or {})
    if wants_html(request):
        nonce = secrets.token_urlsafe(18)
        heading = "The contract could not be reviewed" if request.method == "POST" else f"Error {status}"
        page = render_page("error.html.j2", nonce=nonce, status=status, message=message, heading=heading,
                           root=request.scope.get("root_path", ""))
        headers["Content-Security-Policy"] = page_csp(nonce)
        return HTMLResponse(page, status_code=status, headers=headers)
    return JSONResponse({"error": message}, status_code=status, headers=headers)


# ----------------------------------------------------------------------------------------------------------
# Hardening for every response (pure ASGI: it also covers errors raised before a route runs)


def loopback_names(host: str) -> set[str]:
    """Host header names a loopback-only server answers to (anything else is DNS rebinding or a mistake)."""
    return {"localhost", "127.0.0.1", "::1", host.lower().strip("[]")}


class Guard:
    """Adds the security headers; on loopback, refuses requests whose Host is not a loopback name."""

    def __init__(self, app, allowed_hosts: set[str] | None = None):
        self.app, self.allowed_hosts = app, allowed_hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in BASE_HEADERS.items():
                    if key not in headers:
                        headers[key] = value
            await send(message)

        if self.allowed_hosts is not None and not self._host_allowed(scope):
            response = JSONResponse({"error": "unexpected Host header: this server answers on its loopback address only"},
                                    status_code=400)
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _host_allowed(self, scope) -> bool:
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        name = urlsplit(f"//{host}").hostname or ""
        if name in self.allowed_hosts:
            return True
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            return False


# ----------------------------------------------------------------------------------------------------------
# The command


def is_loopback(host: str) -> bool:
    """True when every address ``host`` stands for is a loopback address."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: any free port)."""
    family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the command line (``reviewer serve ...``)."""
    from reviewer.cli import limits_from

    token = args.token if args.token is not None else os.environ.get("REVIEWER_TOKEN")
    jobs = args.jobs if args.jobs is not None else min(4, cores())
    return Settings(host=args.host, port=args.port, max_upload_bytes=int(args.max_upload_mb * MB), token=token or None,
                    jobs=jobs, limits=limits_from(args))


def run_from_args(args: argparse.Namespace) -> int:
    """``reviewer serve``: check the options, bind, print the URL, serve until Ctrl-C."""
    def error(message: str) -> int:
        print(f"reviewer: {message}", file=sys.stderr)
        return 2

    if args.max_upload_mb <= 0:
        return error("--max-upload-mb must be more than 0")
    if args.jobs is not None and args.jobs < 1:
        return error("--jobs must be at least 1")
    if not 0 <= args.port <= 65535:
        return error("--port must be between 0 and 65535")
    settings = settings_from(args)
    if not is_loopback(settings.host):
        if not settings.token and not args.allow_remote_without_token:
            return error(f"refusing to listen on {settings.host} without an access token: anyone who can reach this machine "
                         "could upload contracts and read the reports. Give --token (or REVIEWER_TOKEN), or "
                         "--allow-remote-without-token if that is really meant")
        print(f"reviewer: warning: listening on {settings.host}, reachable from other machines; contracts and the token travel "
              "as plain HTTP: put a TLS reverse proxy in front", file=sys.stderr)
    if settings.token and len(settings.token) < 16:
        print("reviewer: warning: the access token is short; make one with: "
              "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'", file=sys.stderr)
    if args.token is not None:
        print("reviewer: warning: a token on the command line is visible to other users of this machine (ps); "
              "prefer the REVIEWER_TOKEN environment variable", file=sys.stderr)
    try:
        sock = bind_socket(settings.host, settings.port)
    except OSError as exc:
        return error(f"cannot listen on {settings.host} port {settings.port} ({exc.strerror or exc})")
    import uvicorn

    app = create_app(settings)
    config = uvicorn.Config(app, lifespan="on", log_level="info", server_header=False, proxy_headers=False,
                            timeout_graceful_shutdown=3, limit_concurrency=128, timeout_keep_alive=5)
    server = uvicorn.Server(config)
    url = url_of(sock)
    print(f"reviewer serve: {url}  (upload page; API documentation: {url}docs; Ctrl-C to stop)", flush=True)
    # uvicorn stops gracefully on Ctrl-C (open requests, then the workers and the private folder), then raises
    # the signal again with the handler it found: make that a KeyboardInterrupt, which ends the command cleanly.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    print("reviewer serve: stopped", file=sys.stderr)
    return 0

