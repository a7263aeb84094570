"""``reviewer serve`` over real HTTP: a uvicorn server on a loopback port, its worker processes, httpx as the client."""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import jsonschema
import pytest
from conftest import EXAMPLES, REPO
from live_server import running

from reviewer.serve_job import review_upload
from reviewer.server import Settings, display_name, download_disposition
from reviewer.workers import Limits

PDF = EXAMPLES / "technology_licence.pdf"
DOCX = EXAMPLES / "technology_licence.docx"
TOKEN = "test-token-" + "0123456789abcdef"
SECURITY_HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "SAMEORIGIN"}


# Run by the worker processes (pickled by name): a review that takes a while, and one that never ends.
def slow_review(upload):
    time.sleep(1.5)
    return review_upload(upload)


def stuck_review(upload):
    time.sleep(120)


def broken_review(upload):
    raise KeyError("a bug")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(Settings(jobs=1, temp_parent=str(tmp_path_factory.mktemp("serve")))) as live:
        yield live


def multipart(filename: str, data: bytes, fields: list[tuple[str, str]] = (), after: list[tuple[str, str]] = ()):
    """A multipart/form-data body built by hand: ``fields``, then the file, then ``after``."""
    boundary = "reviewer-test-" + secrets.token_hex(8)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'.encode() for n, v in fields]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'.encode() for n, v in after]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def post(url: str, path: str, name: str, data: bytes, headers=None, **fields) -> httpx.Response:
    return httpx.post(f"{url}{path}", files={"file": (name, data)}, data=fields, headers=headers or {}, timeout=120)


def report_schema() -> dict:
    return json.loads((REPO / "docs" / "report.schema.json").read_text(encoding="utf-8"))


def test_healthz_answers_with_security_headers(server):
    response = httpx.get(f"{server.url}/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    for key, value in SECURITY_HEADERS.items():
        assert response.headers[key] == value
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_api_review_gives_the_json_report(server):
    response = post(server.url, "/api/review", "technology_licence.pdf", PDF.read_bytes(), side="licensor")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    report = response.json()
    jsonschema.validate(report, report_schema())
    assert report["source"]["path"] == "technology_licence.pdf"  # the client's name, never the temporary path
    assert report["contract"]["side"] == "licensor"
    assert report["findings"]
    assert os.listdir(server.folder) == []


def test_api_review_report_language(server):
    report = post(server.url, "/api/review", "licence.pdf", PDF.read_bytes(), lang="ja").json()
    assert report["source"]["language"] == "en" and report["report_language"] == "ja"


def test_review_page_links_download_word_markdown_and_json(server):
    import docx

    response = post(server.url, "/review", "technology_licence.docx", DOCX.read_bytes())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    report_id = response.headers["x-report-id"]
    links = dict(re.findall(r'<a href="(/reports/[^"]+)" download data-format="(\w+)"', page))
    assert {v: k for k, v in links.items()} == {fmt: f"/reports/{report_id}.{fmt}" for fmt in ("docx", "md", "json", "html")}
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "style-src 'sha256-" in csp
    assert "unsafe-inline" not in csp and "script-src" not in csp  # the report runs no script at all

    got = {fmt: httpx.get(f"{server.url}/reports/{report_id}.{fmt}") for fmt in ("docx", "md", "json", "html")}
    assert all(r.status_code == 200 for r in got.values())
    document = docx.Document(io.BytesIO(got["docx"].content))
    assert any(p.text.strip() for p in document.paragraphs)
    assert got["docx"].headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert 'filename="technology_licence-review.docx"' in got["docx"].headers["content-disposition"]
    report = got["json"].json()
    jsonschema.validate(report, report_schema())
    assert report["source"]["path"] == "technology_licence.docx"
    assert got["md"].headers["content-type"].startswith("text/markdown")
    assert report["findings"][0]["title"] in got["md"].text
    assert got["html"].headers["content-disposition"].startswith("attachment;")
    assert "rv-bar" not in got["html"].text  # the download is the plain report

    view = httpx.get(f"{server.url}/reports/{report_id}")
    assert view.status_code == 200 and view.text == page
    assert view.headers["content-security-policy"] == csp
    assert os.listdir(server.folder) == []


def test_unknown_report_is_a_json_404(server):
    for name in ("A" * 32, "A" * 32 + ".docx", "../../etc/passwd", "x.exe"):
        response = httpx.get(f"{server.url}/reports/{name}")
        assert response.status_code == 404
        assert "error" in response.json()


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "file is empty"),
    (bytes(range(256)) * 40, ""),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, ""),
])
def test_a_file_that_cannot_be_reviewed_gets_a_one_line_422(server, data, reason):
    response = post(server.url, "/api/review", "draft.pdf", data)
    assert response.status_code == 422
    message = response.json()["error"]
    assert message.startswith("draft.pdf: ") and "\n" not in message and "Traceback" not in message
    assert reason in message
    assert server.folder not in message  # the temporary path is never shown
    assert os.listdir(server.folder) == []


def test_malformed_requests_get_400(server):
    assert httpx.post(f"{server.url}/api/review", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 400
    response = httpx.post(f"{server.url}/api/review", data={"side": "licensor"}, files={"other": ("a.txt", b"x")})
    assert response.status_code == 400 and "file" in response.json()["error"]
    response = post(server.url, "/api/review", "a.pdf", PDF.read_bytes(), side="everyone")
    assert response.status_code == 400 and "side must be one of" in response.json()["error"]
    body, headers = multipart("a.pdf", PDF.read_bytes())
    response = httpx.post(f"{server.url}/api/review", content=body[: len(body) // 2], headers=headers)
    assert response.status_code == 400 and "cut short" in response.json()["error"]
    assert httpx.get(f"{server.url}/api/review").status_code == 405
    assert os.listdir(server.folder) == []


def test_a_browser_form_gets_an_html_error_page(server):
    response = post(server.url, "/review", "empty.pdf", b"", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "empty.pdf: file is empty" in response.text


def test_hostile_file_names_are_only_shown_escaped(server):
    name = '<img src=x onerror=alert(1)>"\r\nSet-Cookie: a=b.pdf'
    body, headers = multipart(name.replace('"', "%22"), PDF.read_bytes())
    response = httpx.post(f"{server.url}/review", content=body, headers=headers, timeout=120)
    assert response.status_code == 200, response.text
    assert "<img src=x" not in response.text
    assert "set-cookie" not in response.headers
    download = httpx.get(f"{server.url}/reports/{response.headers['x-report-id']}.docx")
    assert "\r" not in download.headers["content-disposition"] and "<" not in download.headers["content-disposition"]


def test_a_japanese_file_name_is_kept(server):
    report = post(server.url, "/api/review", "技術ライセンス契約書.pdf", PDF.read_bytes()).json()
    assert report["source"]["path"] == "技術ライセンス契約書.pdf"


def test_display_names():
    assert display_name("../../x.pdf") == "x.pdf"
    assert display_name("..\\..\\x.pdf") == "x.pdf"
    assert display_name("/etc/passwd") == "passwd"
    assert display_name("..") == "upload"
    assert display_name("") == "upload"
    assert display_name("a\x00b\r\nc.pdf") == "abc.pdf"
    assert len(display_name("a" * 500 + ".pdf")) <= 120 and display_name("a" * 500 + ".pdf").endswith(".pdf")
    assert download_disposition("契約書.docx", "md") == (
        "attachment; filename=\"review.md\"; filename*=UTF-8''%E5%A5%91%E7%B4%84%E6%9B%B8-review.md")


# --------------------------------------------------------------------------------------------------------
# Upload size limit


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    with running(Settings(jobs=1, max_upload_bytes=1000, temp_parent=str(tmp_path_factory.mktemp("small")))) as live:
        yield live


def test_an_upload_one_byte_over_the_limit_gets_413(small):
    at_limit = post(small.url, "/api/review", "a.txt", b"x" * 1000)
    assert at_limit.status_code != 413
    over = post(small.url, "/api/review", "a.txt", b"x" * 1001)
    assert over.status_code == 413
    assert over.json()["error"] == "the upload is larger than this server's limit of 1000 bytes"
    assert os.listdir(small.folder) == []


def test_a_chunked_upload_is_counted_as_it_arrives(small):
    body, headers = multipart("a.txt", b"x" * 1001)
    response = httpx.post(f"{small.url}/api/review", content=iter([body[:500], body[500:]]), headers=headers)
    assert "content-length" not in response.request.headers  # sent chunked: only counting can stop it
    assert response.status_code == 413
    assert os.listdir(small.folder) == []


def test_a_declared_length_over_the_limit_is_refused_before_the_body(small):
    assert post(small.url, "/api/review", "big.pdf", b"x" * 200_000).status_code == 413
    with socket.create_connection(("127.0.0.1", int(small.url.rsplit(":", 1)[1]))) as sock:
        sock.sendall(b"POST /api/review HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: 900000000\r\nExpect: 100-continue\r\n\r\n")
        sock.settimeout(10)
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")  # not "100 Continue": the body is never asked for


def test_a_client_that_goes_away_mid_upload_leaves_nothing(server):
    body, headers = multipart("gone.pdf", PDF.read_bytes())
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1]))) as sock:
        sock.sendall(f"POST /api/review HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {headers['Content-Type']}\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body[: len(body) // 2])
        deadline = time.monotonic() + 10
        while not os.listdir(server.folder) and time.monotonic() < deadline:  # the file part has begun
            time.sleep(0.01)
        assert os.listdir(server.folder)
    deadline = time.monotonic() + 10
    while os.listdir(server.folder) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.listdir(server.folder) == []
    assert server.state.active == 0


# --------------------------------------------------------------------------------------------------------
# Where uploads go


@pytest.mark.parametrize("name", ["../../x.pdf", "..\\..\\x.pdf"])
def test_an_upload_is_stored_under_a_random_name_in_the_private_folder(tmp_path, name):
    parent = tmp_path / "a" / "b"
    parent.mkdir(parents=True)
    with running(Settings(jobs=1, temp_parent=str(parent), review_fn=slow_review)) as live:
        folder = Path(live.folder)
        assert folder.parent == parent and (folder.stat().st_mode & 0o777) == 0o700
        result = {}
        thread = threading.Thread(target=lambda: result.update(r=post(live.url, "/api/review", name, PDF.read_bytes())))
        thread.start()
        seen: list[str] = []
        deadline = time.monotonic() + 30
        while not seen and time.monotonic() < deadline:
            seen = os.listdir(folder)
            time.sleep(0.02)
        mode = (folder / seen[0]).stat().st_mode & 0o777 if seen else None  # the review sleeps 1.5 s first
        thread.join(120)
        assert len(seen) == 1 and re.fullmatch(r"[0-9a-f]{32}", seen[0]), seen
        assert mode == 0o600
        response = result["r"]
        assert response.status_code == 200, response.text
        assert response.json()["source"]["path"] == "x.pdf"
        assert os.listdir(folder) == []  # deleted once reviewed
    assert not any(p.name == "x.pdf" for p in tmp_path.rglob("*"))
    assert not (Path.cwd() / name).exists()
    assert not folder.exists()  # the private folder goes with the server


# --------------------------------------------------------------------------------------------------------
# A review in progress does not hold the server up; limits per document


def test_healthz_answers_while_a_long_review_runs(tmp_path):
    settings = Settings(jobs=1, limits=Limits(seconds=4, memory_mb=0), max_pending=1, temp_parent=str(tmp_path),
                        review_fn=stuck_review)
    with running(settings) as live:
        result = {}
        thread = threading.Thread(target=lambda: result.update(r=post(live.url, "/api/review", "slow.pdf", PDF.read_bytes())))
        thread.start()
        deadline = time.monotonic() + 30
        while live.state.active == 0 or not os.listdir(live.folder):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)  # the worker is busy now
        started = time.monotonic()
        health = httpx.get(f"{live.url}/healthz", timeout=5)
        assert health.status_code == 200 and time.monotonic() - started < 1.0
        page = httpx.get(f"{live.url}/", timeout=5)
        assert page.status_code == 200
        busy = post(live.url, "/api/review", "second.pdf", PDF.read_bytes())
        assert busy.status_code == 503 and busy.headers["retry-after"]
        thread.join(60)
        response = result["r"]
        assert response.status_code == 422
        assert response.json()["error"] == "slow.pdf: took longer than the time limit of 4 s"
        assert os.listdir(live.folder) == []


def test_a_bug_in_a_review_is_a_one_line_json_500(tmp_path):
    with running(Settings(jobs=1, temp_parent=str(tmp_path), review_fn=broken_review)) as live:
        response = post(live.url, "/api/review", "a.pdf", PDF.read_bytes())
        assert response.status_code == 500
        assert response.json() == {"error": "a.pdf: the review failed unexpectedly (KeyError: 'a bug')"}
        assert os.listdir(live.folder) == []


def test_a_failed_worker_pool_is_a_503_and_healthz_says_so(tmp_path, monkeypatch):
    from reviewer import workers

    with running(Settings(jobs=1, temp_parent=str(tmp_path))) as live:
        dispatch = workers.Pool._dispatch

        def broken(self):
            if self._queue:  # the pool's own thread fails once a document waits
                raise OSError("no more file descriptors")
            dispatch(self)

        monkeypatch.setattr(workers.Pool, "_dispatch", broken)
        response = post(live.url, "/api/review", "a.pdf", PDF.read_bytes())
        assert response.status_code == 503
        assert response.json() == {"error": "the worker pool failed (OSError: no more file descriptors)"}
        health = httpx.get(f"{live.url}/healthz", timeout=5)
        assert health.status_code == 503 and health.json()["status"] == "error"
        assert os.listdir(live.folder) == []


def test_a_slow_upload_is_cut_off(tmp_path):
    with running(Settings(jobs=1, temp_parent=str(tmp_path), upload_seconds=1)) as live:
        body, headers = multipart("slow.pdf", PDF.read_bytes())

        def trickle():
            yield body[:1000]
            time.sleep(3)
            yield body[1000:]

        try:
            response = httpx.post(f"{live.url}/api/review", content=trickle(), headers=headers, timeout=30)
            assert response.status_code == 408
        except httpx.TransportError:  # the answer came while the client was still sending
            pass
        deadline = time.monotonic() + 10
        while os.listdir(live.folder) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert os.listdir(live.folder) == [] and live.state.active == 0


# --------------------------------------------------------------------------------------------------------
# Access token


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    with running(Settings(jobs=1, token=TOKEN, temp_parent=str(tmp_path_factory.mktemp("guarded")))) as live:
        yield live


def test_a_token_is_required_when_set(guarded):
    data = PDF.read_bytes()
    missing = post(guarded.url, "/api/review", "a.pdf", data)
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    assert "token" in missing.json()["error"]
    assert post(guarded.url, "/api/review", "a.pdf", data, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert post(guarded.url, "/api/review", "a.pdf", data, headers={"Authorization": TOKEN}).status_code == 401
    ok = post(guarded.url, "/api/review", "a.pdf", data, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and ok.json()["schema_version"] == 1
    assert httpx.get(f"{guarded.url}/healthz").status_code == 200
    assert httpx.get(f"{guarded.url}/reports/{'A' * 32}.json").status_code == 401
    assert os.listdir(guarded.folder) == []


def test_the_page_session_cookie_opens_the_download_links(guarded):
    response = post(guarded.url, "/review", "a.pdf", PDF.read_bytes(), headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    link = f"{guarded.url}/reports/{response.headers['x-report-id']}.json"
    assert httpx.get(link).status_code == 401
    assert httpx.get(link, cookies=response.cookies).json()["source"]["path"] == "a.pdf"
    assert httpx.get(link, cookies={"reviewer_session": "forged"}).status_code == 401


def test_the_form_without_script_sends_the_token_before_the_file(guarded):
    data = PDF.read_bytes()
    body, headers = multipart("a.pdf", data, fields=[("token", TOKEN), ("side", "licensee")])
    response = httpx.post(f"{guarded.url}/review", content=body, headers=headers, timeout=120)
    assert response.status_code == 200 and "reviewer_session=" in response.headers["set-cookie"]
    for fields, after in (([("token", "wrong")], []), ([], [("token", TOKEN)])):
        body, headers = multipart("a.pdf", data, fields=fields, after=after)
        assert httpx.post(f"{guarded.url}/review", content=body, headers=headers).status_code == 401
    assert httpx.post(f"{guarded.url}/review", data={"side": "licensor"}, files={"x": ("a", b"1")}).status_code == 401
    body, headers = multipart("a.pdf", data, fields=[("token", TOKEN)])
    assert httpx.post(f"{guarded.url}/api/review", content=body, headers=headers).status_code == 401  # API: header only
    assert os.listdir(guarded.folder) == []


# --------------------------------------------------------------------------------------------------------
# Browser-facing protections and documentation


def test_cross_site_posts_and_foreign_host_names_are_refused(server):
    data = PDF.read_bytes()
    assert post(server.url, "/api/review", "a.pdf", data, headers={"Origin": "http://evil.example"}).status_code == 403
    assert post(server.url, "/review", "a.pdf", data, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    sandboxed = {"Origin": "null", "Sec-Fetch-Site": "cross-site"}
    assert post(server.url, "/review", "a.pdf", data, headers=sandboxed).status_code == 403
    # this server's own form: no-referrer makes the browser send "Origin: null"; Fetch Metadata says same-origin
    own_form = {"Origin": "null", "Sec-Fetch-Site": "same-origin", "Accept": "text/html"}
    assert post(server.url, "/review", "a.pdf", data, headers=own_form).status_code == 200
    rebound = httpx.get(f"{server.url}/healthz", headers={"Host": "attacker.example:80"})
    assert rebound.status_code == 400 and rebound.headers["x-frame-options"] == "SAMEORIGIN"
    assert httpx.get(f"{server.url}/healthz", headers={"Host": "localhost"}).status_code == 200


def test_the_upload_page_is_self_contained(server):
    response = httpx.get(f"{server.url}/")
    assert response.status_code == 200
    page = response.text
    nonce = re.search(r"script-src 'nonce-([^']+)'", response.headers["content-security-policy"]).group(1)
    assert f'<script nonce="{nonce}">' in page and f'<style nonce="{nonce}">' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert 'name="file"' in page and 'name="side"' in page and 'name="lang"' in page
    assert 'action="/review"' in page and 'enctype="multipart/form-data"' in page
    assert 'name="token"' not in page  # no token on this server


def test_openapi_and_docs_describe_the_api(server):
    api = httpx.get(f"{server.url}/openapi.json").json()
    operation = api["paths"]["/api/review"]["post"]
    schema = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["required"] == ["file"] and schema["properties"]["file"]["format"] == "binary"
    assert set(schema["properties"]["side"]["enum"]) >= {"auto", "licensor", "licensee", "company", "investor"}
    assert {"200", "400", "413", "422"} <= set(operation["responses"])
    assert "/healthz" in api["paths"] and "/review" in api["paths"]
    docs = httpx.get(f"{server.url}/docs")
    assert docs.status_code == 200
    assert "swagger" not in docs.text.lower() and "cdn" not in docs.text.lower() and "<script" not in docs.text
    assert f"curl -fsS -F file=@contract.pdf -F side=licensor {server.url}/api/review" in docs.text
    assert httpx.get(f"{server.url}/redoc").status_code == 404


# --------------------------------------------------------------------------------------------------------
# The command


def test_serve_listens_on_loopback_by_default():
    from reviewer.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8000 and args.max_upload_mb == 25
    assert Settings().host == "127.0.0.1"


def test_the_command_line_loads_the_web_stack_only_to_serve():
    code = ("import sys, reviewer.cli as c; c.build_parser(); "
            "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_serve_refuses_a_remote_host_without_a_token(capsys, monkeypatch):
    from reviewer.cli import main

    monkeypatch.delenv("REVIEWER_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "without an access token" in capsys.readouterr().err


def _outside_address() -> str | None:
    """This machine's address on its main network interface (no packet is sent), or None offline."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_serve_command_prints_its_url_and_stops_on_ctrl_c(tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONIOENCODING="utf-8")
    env.pop("REVIEWER_TOKEN", None)
    process = subprocess.Popen([sys.executable, "-m", "reviewer", "serve", "--port", "0", "--jobs", "1"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line + process.stderr.read()
        port = int(match.group(1))
        deadline = time.monotonic() + 120
        while httpx.get(f"http://127.0.0.1:{port}/healthz").status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        folders = list(tmp_path.glob("reviewer-serve-*"))
        assert len(folders) == 1 and (folders[0].stat().st_mode & 0o777) == 0o700
        outside = _outside_address()
        if outside:
            with pytest.raises(OSError):
                socket.create_connection((outside, port), timeout=2).close()
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
        assert not list(tmp_path.glob("reviewer-serve-*"))  # the private folder is removed on the way out
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
