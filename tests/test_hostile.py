"""Hostile and broken input: every file bounded, refused with its reason or reviewed, nothing lost, no network.

The corpus (``tests/hostile.py``) is generated once per run: zip and FlateDecode bombs, XXE and billion laughs,
deep nesting, truncated and random files, encrypted and image-only PDFs, OLE .doc and encrypted .docx, markup,
template syntax and control characters in contract text, Shift_JIS and UTF-16 text, empty files, a looping page
tree. ``reviewer review`` and ``reviewer batch`` run over all of it as subprocesses, under an audit hook that
records any use of the network by any Python process (the command, the fork server and every worker).
"""

from __future__ import annotations

import html.parser
import io
import json
import os
import re
import resource
import socket
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import hostile
import pytest
from conftest import EXAMPLES, REPO

from reviewer.cli import main
from reviewer.errors import ReviewerError
from reviewer.ingest import docx as docx_reader
from reviewer.ingest import pdf as pdf_reader
from reviewer.ingest import read_document

LIMITS = ("--time-limit", "60", "--memory-limit", "1500")
PEAK_MB = 2048  # what the whole corpus may take at most, in any one process
REFUSED = {name for name, expectation in hostile.EXPECTED.items() if expectation != "ok"}

# Installed as sitecustomize.py for the subprocesses below, so it runs in every Python process they start: any
# Internet-family socket, name lookup or URL request is written to $REVIEWER_SOCKET_LOG and refused. One exception:
# spaCy imports requests, and urllib3's import probes for IPv6 by binding a socket to ::1 port 0 (loopback, no
# traffic, at import time in the fork server, not while a contract is reviewed).
AUDIT_HOOK = '''
import os
import sys


def _urllib3_ipv6_probe():
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "_has_ipv6" and "urllib3" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def _network_audit(event, args, _log=os.environ.get("REVIEWER_SOCKET_LOG")):
    if not _log or not event.startswith(("socket.", "urllib.Request")):
        return
    if event == "socket.__new__":
        import socket

        if args[1] == socket.AF_UNIX:
            return  # multiprocessing's own pipes and the fork server
    elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        if not isinstance(args[1], tuple):
            return  # a Unix socket's path
    elif not event.startswith(("socket.getaddrinfo", "socket.gethost", "socket.getnameinfo", "urllib.Request")):
        return
    if _urllib3_ipv6_probe():
        return
    with open(_log, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {event} {args[1:]!r}\\n")
    raise OSError(f"network use during a review: {event}")


sys.addaudithook(_network_audit)
'''


@dataclass
class Corpus:
    folder: Path
    listener: socket.socket  # where the XXE's network entity points: nothing may ever connect


@dataclass
class Run:
    """One command over the whole corpus."""

    result: subprocess.CompletedProcess
    out: Path
    seconds: float
    peak_mb: int  # largest resident size of any process started so far (RUSAGE_CHILDREN)
    socket_log: Path

    @property
    def lines(self) -> list[str]:
        return [line for line in self.result.stderr.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    root = tmp_path_factory.mktemp("hostile")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    folder = root / "corpus"
    started = time.monotonic()
    assert hostile.make_corpus(folder, f"http://127.0.0.1:{listener.getsockname()[1]}/xxe") == hostile.EXPECTED
    assert time.monotonic() - started < 30  # the gigabyte bombs cost a megabyte and a moment each
    assert sorted(p.name for p in folder.iterdir()) == sorted(hostile.EXPECTED)
    yield Corpus(folder, listener)
    listener.close()


def run_command(root: Path, *args: str) -> Run:
    """``python -m reviewer ARGS`` with the network audit hook in every Python process it starts."""
    hook = root / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    log = root / "sockets.log"
    pythonpath = os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=pythonpath, REVIEWER_SOCKET_LOG=str(log))
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "reviewer", *args], capture_output=True, text=True, env=env,
                            timeout=900)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # kilobytes on Linux
    return Run(result, Path(args[args.index("--out") + 1]), seconds, peak, log)


@pytest.fixture(scope="module")
def review_run(corpus, tmp_path_factory) -> Run:
    """``reviewer review`` over every corpus file at once, with every report format."""
    root = tmp_path_factory.mktemp("review")
    files = [str(corpus.folder / name) for name in sorted(hostile.EXPECTED)]
    return run_command(root, "review", *files, "--out", str(root / "out"), "--format", "all", *LIMITS)


def reports_by_source(out: Path) -> dict[str, str]:
    """Input path -> report stem, read from the JSON reports (two inputs may share a stem)."""
    found = {}
    for path in out.glob("*.json"):
        found[json.loads(path.read_text(encoding="utf-8"))["source"]["path"]] = path.stem
    return found


def everything_written(out: Path) -> str:
    """Every report's text, Word reports unzipped."""
    parts = []
    for path in sorted(out.rglob("*")):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        elif path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


class _Elements(html.parser.HTMLParser):
    """Start tags and attributes of an HTML page."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs


def injected(page: str) -> list[str]:
    """What an HTML page has that only contract text smuggled in could have put there."""
    parser = _Elements()
    parser.feed(page)
    parser.close()
    bad = [t for t in parser.tags if t in ("script", "img", "iframe", "object", "embed", "svg", "math", "base", "form")]
    bad += [name for name, _ in parser.attributes if name.startswith("on")]
    bad += [value for _, value in parser.attributes if value and value.strip().lower().startswith("javascript:")]
    return bad


def strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# --------------------------------------------------------------------------------------------------------------
# reviewer review over the corpus


def test_hostile_review_finishes_without_traceback_or_network(review_run, corpus):
    run = review_run
    assert run.result.returncode == 2, run.result.stderr  # some files could not be reviewed
    assert "Traceback" not in run.result.stderr and "Error:" not in run.result.stderr
    assert all(line.startswith("reviewer: ") for line in run.lines), run.result.stderr
    assert run.result.stdout == ""
    assert not run.socket_log.exists(), run.socket_log.read_text(encoding="utf-8")
    with pytest.raises(BlockingIOError):
        corpus.listener.accept()  # nobody fetched the XXE's network entity
    assert run.peak_mb < PEAK_MB, f"{run.peak_mb} MB"
    # One error line per refused file, and nothing else but warnings.
    errors = [line for line in run.lines if ": warning: " not in line]
    assert len(errors) == len(REFUSED), "\n".join(errors)
    written = everything_written(run.out)
    assert hostile.SECRET not in written and "lollollol" not in written


@pytest.mark.parametrize("name", sorted(hostile.EXPECTED))
def test_hostile_file_gets_its_outcome(name, review_run, corpus):
    expectation = hostile.EXPECTED[name]
    source = str(corpus.folder / name)
    mine = [line[len(f"reviewer: {source}: "):] for line in review_run.lines if line.startswith(f"reviewer: {source}: ")]
    errors = [line for line in mine if not line.startswith("warning: ")]
    stems = reports_by_source(review_run.out)
    if expectation != "ok":
        assert len(errors) == 1 and expectation in errors[0], mine
        assert source not in stems
        return
    assert not errors, errors
    stem = stems[source]
    report = json.loads((review_run.out / f"{stem}.json").read_text(encoding="utf-8"))
    assert report["clauses"] and report["findings"]
    assert not [s for s in strings(report) if CONTROL.search(s)]
    text = json.dumps(report, ensure_ascii=False)
    assert "TECHNOLOGY LICENCE AGREEMENT" in text or "技術ライセンス契約書" in text
    page = (review_run.out / f"{stem}.html").read_text(encoding="utf-8")
    assert not injected(page)
    assert not CONTROL.search(page)
    markdown = (review_run.out / f"{stem}.md").read_text(encoding="utf-8")
    assert not CONTROL.search(markdown)
    document = docx.Document(str(review_run.out / f"{stem}.docx"))
    words = "\n".join(p.text for p in document.paragraphs)
    # A Word input comes back as itself (its text untouched, C1 characters and all); what reviewer writes is clean.
    own = 0
    if report["source"]["format"] == "docx":  # a .docm is opened as ingestion opens it: a copy without macros
        _, plain, _ = docx_reader.open_word_package(Path(source).read_bytes(), source)
        own = len(docx.Document(io.BytesIO(plain)).paragraphs)
    added = [p.text for p in document.paragraphs[own:]] + [c.text for c in document.comments]
    assert added and not [t for t in added if CONTROL.search(t)]
    if name.startswith("markup"):
        # The markup is contract text: shown as written, never run, rendered or evaluated.
        for shown in (text, page, words):
            assert "{{ 7*7 }} {% raw %} ${7*7}" in shown
        assert "<script>alert(1)</script>" in words and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        prose = re.sub(r"(`{3,})text\n.*?\n\1", "", markdown, flags=re.S)  # suggested wording is fenced, verbatim
        assert "<script" not in prose.replace("\\<script", "")
    if name == "markup.docx":  # a right-to-left override would show the clause in another order than it reads
        for shown in (text, page, markdown, "\n".join(added)):
            assert "\u202e" not in shown
        assert any("bidirectional control" in warning for warning in report["warnings"])
    if name == "owner_restricted.pdf":
        assert any("restricts copying or printing" in note for note in report["notes"])
    if name == "macro.docm":
        assert any("macros were not run" in note for note in report["notes"])
    if name in ("shift_jis.txt", "utf16.txt"):
        assert report["source"]["language"] == "ja"
        assert any("text decoded as" in note for note in report["notes"])


def test_hostile_password_pdf_opens_with_password(corpus, tmp_path, capsys):
    path = str(corpus.folder / "encrypted.pdf")
    assert main(["review", path, "--password", "wrong", "--out", str(tmp_path), *LIMITS]) == 2
    assert "the PDF password given is not correct" in capsys.readouterr().err
    assert main(["review", path, "--password", hostile.PASSWORD, "--out", str(tmp_path), *LIMITS]) == 0
    report = json.loads((tmp_path / "encrypted.json").read_text(encoding="utf-8"))
    assert report["source"]["format"] == "pdf" and report["findings"]


# --------------------------------------------------------------------------------------------------------------
# reviewer batch over the corpus


def test_hostile_batch_reviews_or_refuses_every_file(corpus, tmp_path):
    run = run_command(tmp_path, "batch", str(corpus.folder), "--out", str(tmp_path / "out"), "--jobs", "2", *LIMITS)
    assert run.result.returncode == 2, run.result.stderr
    assert "Traceback" not in run.result.stderr
    assert not run.socket_log.exists(), run.socket_log.read_text(encoding="utf-8")
    rows = json.loads((run.out / "summary.json").read_text(encoding="utf-8"))
    by_name = {Path(row["file"]).name: row for row in rows}
    assert sorted(by_name) == sorted(hostile.EXPECTED) and len(rows) == len(hostile.EXPECTED)
    for name, expectation in hostile.EXPECTED.items():
        row = by_name[name]
        if expectation == "ok":
            assert row["status"] == "ok" and not row["error"], row
        else:
            assert row["status"] == "error" and expectation in row["error"] and "\n" not in row["error"], row
    peaks = [row.get("peak_mb") or 0 for row in rows]
    assert max(peaks) < PEAK_MB and run.peak_mb < PEAK_MB, (max(peaks), run.peak_mb)
    assert hostile.SECRET not in everything_written(run.out)


# --------------------------------------------------------------------------------------------------------------
# XML: the parsers' configuration, pinned by what they do


def _xml_parsers():
    import docx.opc.oxml
    import docx.oxml.parser

    return {"reviewer": docx_reader._SAFE_PARSER, "python-docx": docx.oxml.parser.oxml_parser,
            "python-docx opc": docx.opc.oxml.oxml_parser}


@pytest.mark.parametrize("which", ["reviewer", "python-docx", "python-docx opc"])
def test_xml_parsers_resolve_no_entity_load_no_dtd_and_keep_limits(which, tmp_path):
    from lxml import etree

    parser = _xml_parsers()[which]
    secret = tmp_path / "secret.txt"
    secret.write_text(hostile.SECRET, encoding="utf-8")
    dtd = tmp_path / "defaults.dtd"
    dtd.write_text('<!ATTLIST r leaked CDATA "FROM-THE-DTD"><!ENTITY ext "FROM-THE-DTD">', encoding="utf-8")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        # External entity (a local file), internal entity, external DTD subset, network entity and DTD.
        documents = [
            f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]><r>&xxe;</r>',
            '<!DOCTYPE r [<!ENTITY inner "EXPANDED">]><r>&inner;</r>',
            f'<!DOCTYPE r SYSTEM "{dtd.as_uri()}"><r>x</r>',
            f'<!DOCTYPE r [<!ENTITY net SYSTEM "{url}/entity">]><r>&net;</r>',
            f'<!DOCTYPE r SYSTEM "{url}/doc.dtd"><r>x</r>',
        ]
        for xml in documents:
            try:
                root = etree.fromstring(xml.encode(), parser)
            except etree.XMLSyntaxError:
                continue  # refusing is as good as not resolving
            shown = etree.tostring(root, encoding="unicode") + "".join(root.itertext()) + repr(dict(root.attrib))
            assert hostile.SECRET not in shown and "EXPANDED" not in shown and "FROM-THE-DTD" not in shown, shown
        with pytest.raises(BlockingIOError):
            listener.accept()  # no_network: nothing was fetched
    finally:
        listener.close()
    # Billion laughs: refused or left unexpanded, never a gigabyte of "lol".
    laughs = hostile.document_xml(hostile.paragraph_xml("&lol9;"), hostile.billion_laughs_prolog())
    try:
        root = etree.fromstring(laughs, parser)
        assert len(etree.tostring(root)) < 10_000
    except etree.XMLSyntaxError:
        pass
    # huge_tree off: libxml2 keeps its depth limit of 256 levels.
    with pytest.raises(etree.XMLSyntaxError, match="depth"):
        etree.fromstring(("<a>" * 300 + "</a>" * 300).encode(), parser)


def test_xml_attacks_harmless_even_without_the_doctype_check(corpus, monkeypatch):
    """Second line of defence: with the DOCTYPE refusal switched off, the parsers still leak and expand nothing."""
    monkeypatch.setattr(docx_reader, "_has_doctype", lambda *args: False)
    for name in ("xxe.docx", "xxe_utf16.docx", "billion_laughs.docx", "doctype_in_renamed_part.docx"):
        try:
            document = read_document(corpus.folder / name)
        except ReviewerError as exc:
            assert "\n" not in str(exc)
            continue
        text = "\n".join(b.text for b in document.blocks)
        assert hostile.SECRET not in text and "lol" not in text and len(text) < 5_000
    with pytest.raises(BlockingIOError):
        corpus.listener.accept()


def test_doctype_scan_covers_parts_declared_as_xml_but_not_images(tmp_path):
    with pytest.raises(ReviewerError, match="DOCTYPE"):
        read_document(tmp_path / "x.docx", hostile.renamed_part_doctype_docx())
    # An SVG picture may carry a DOCTYPE; python-docx never parses pictures, so it is no reason to refuse.
    data = hostile.docx_bytes(hostile.EN_CONTRACT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    data = hostile.replace_members(data, {
        "word/media/image1.svg": svg,
        "[Content_Types].xml": types.replace("</Types>", '<Default Extension="svg" ContentType="image/svg+xml"/></Types>')
        .encode()})
    assert read_document(tmp_path / "svg.docx", data).blocks


# --------------------------------------------------------------------------------------------------------------
# PDF decompression bombs


def _pdf_with_streams(*megabytes: int, image: bool = False, entries: bytes = b"/Filter /FlateDecode ") -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [%s] >>"
               % b" ".join(b"%d 0 R" % (4 + i) for i in range(len(megabytes)))]
    kind = b"/Subtype /Image /Width 1024 /Height 1024 " if image else b""
    objects += [hostile.pdf_stream(hostile.deflate_zeros(mb, 15), kind + entries) for mb in megabytes]
    return hostile.pdf_from_objects(objects)


def test_flate_bomb_refused_before_any_pdf_parser(monkeypatch):
    started = time.monotonic()
    with pytest.raises(ReviewerError, match=r"expands to more than 256 MB \(decompression bomb\?\)"):
        pdf_reader.check_streams(hostile.flate_bomb_pdf(), "bomb.pdf")
    assert time.monotonic() - started < 10
    monkeypatch.setattr(pdf_reader, "MAX_STREAM_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(pdf_reader, "MAX_INFLATED_BYTES", 5 * 1024 * 1024)
    pdf_reader.check_streams(_pdf_with_streams(2), "ok.pdf")  # exactly at the limit
    pdf_reader.check_streams(_pdf_with_streams(3, image=True), "picture.pdf")  # images are never decoded for text
    with pytest.raises(ReviewerError, match="a compressed stream in the PDF expands to more than 2 MB"):
        pdf_reader.check_streams(_pdf_with_streams(3), "one.pdf")
    with pytest.raises(ReviewerError, match="the PDF's compressed streams expand to more than 5 MB"):
        pdf_reader.check_streams(_pdf_with_streams(2, 2, 2), "many.pdf")
    damaged = _pdf_with_streams(1).replace(b"stream\n\x78\xda", b"stream\n\x78\xdb")  # a broken zlib header
    pdf_reader.check_streams(damaged, "damaged.pdf")


@pytest.mark.parametrize("entries", [
    b"/Filter /Fl#61teDecode ",  # a name escape that pdfium decodes
    b"/Filter /FlateDecode " + b" " * 5000,  # padding beyond the window read before the stream
    b"/Filter /FlateDecode /Resources << /ProcSet [/PDF /ImageB] >> ",  # "Image" without being an image
    b"/Filter 9 0 R ",  # the filter given by reference
])
def test_flate_bomb_in_disguise_is_refused(entries, monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_STREAM_BYTES", 2 * 1024 * 1024)
    with pytest.raises(ReviewerError, match="a compressed stream in the PDF expands to more than 2 MB"):
        pdf_reader.check_streams(_pdf_with_streams(3, entries=entries), "disguised.pdf")


@pytest.mark.parametrize("name", ["technology_licence.pdf", "jissi_kyodaku.pdf"])
def test_flate_check_passes_real_contracts(name):
    pdf_reader.check_streams((EXAMPLES / name).read_bytes(), name)


def test_corpus_bombs_are_real(corpus):
    """The generated bombs are what they claim: valid deflate data of the announced size."""
    import zlib

    assert zlib.decompress(hostile.deflate_zeros(3, 15)) == bytes(3 << 20)
    raw = zlib.decompressobj(-15)
    assert raw.decompress(hostile.deflate_zeros(3, -15)) == bytes(3 << 20) and raw.eof
    assert zlib.crc32(bytes(3 << 20)) == hostile.crc32_zeros(3)
    with zipfile.ZipFile(corpus.folder / "zip_bomb.docx") as archive:
        info = archive.getinfo("word/media/image1.png")
        assert info.file_size == hostile.BOMB_MB << 20 and info.compress_size < 2 << 20
        with archive.open(info) as member:
            assert member.read(1 << 20) == bytes(1 << 20)


# --------------------------------------------------------------------------------------------------------------
# No network, in this process (--debug reviews without a worker)


def test_no_socket_is_opened_during_a_review(corpus, tmp_path, monkeypatch):
    from reviewer.library import load_library
    from reviewer.library.engine import warm_up

    warm_up(load_library(()))  # imports first, as the workers' fork server does (urllib3 probes IPv6 at import)
    calls = []

    def refuse(name):
        def fail(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"network used during a review: {name}")
        return fail

    for name in ("__init__", "connect", "connect_ex", "bind", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "socketpair", "fromfd"):
        monkeypatch.setattr(socket, name, refuse(name))
    import urllib.request

    monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))
    files = [EXAMPLES / "technology_licence.pdf", EXAMPLES / "technology_licence.docx", EXAMPLES / "jissi_kyodaku.pdf",
             corpus.folder / "macro.docm", corpus.folder / "markup.txt", corpus.folder / "xxe.docx"]
    status = main(["review", *map(str, files), "--out", str(tmp_path), "--format", "all", "--debug"])
    assert status == 2 and not calls  # 2: xxe.docx is refused
    assert len(list(tmp_path.glob("*.docx"))) == len(files) - 1


# --------------------------------------------------------------------------------------------------------------
# Output safety: templates, atomic writes, version floors


def test_html_autoescape_is_on_explicitly_and_suggestions_stay_plain_text():
    from reviewer.library import load_library
    from reviewer.library.judge import _environment as suggestion_environment
    from reviewer.library.judge import _suggestion_renderer
    from reviewer.report.html import environment as html_environment

    assert html_environment().autoescape is True  # select_autoescape() would miss "report.html.j2"
    page = html_environment().from_string("{{ x }}").render(x="<script>{{ 7*7 }}</script>")
    assert page == "&lt;script&gt;{{ 7*7 }}&lt;/script&gt;"
    # Suggested wording is plain text for JSON, Markdown fences and Word: explicitly not escaped there, and a
    # party name full of markup or template syntax is inserted as it is, never evaluated.
    assert suggestion_environment().autoescape is False
    rule = next(r for r in load_library(()).protections.values() if r.data.get("suggestion") == "confidentiality")
    evil = "{{ 7*7 }} <script>alert(1)</script> & Co."
    text = _suggestion_renderer({"reviewed": evil, "other": "Acme", "title": evil})(rule, "en")
    assert evil in text and "49" not in text


def test_reports_are_written_atomically(tmp_path, monkeypatch):
    from reviewer import jobs

    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        replaced.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(jobs.os, "replace", spy)
    outcome = jobs.run_job(jobs.Job(source=str(EXAMPLES / "jissi_kyodaku.pdf"), formats=jobs.REPORT_FORMATS,
                                    out_dir=str(tmp_path)))
    assert outcome["status"] == "ok"
    assert {dst.name for _, dst in replaced} == {f"jissi_kyodaku.{fmt}" for fmt in jobs.REPORT_FORMATS}
    assert all(src.parent == dst.parent and src.name.startswith(f".{dst.name}.") for src, dst in replaced)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(dst.name for _, dst in replaced)  # no temp file left
    # A write that fails half-way leaves the old report whole and no temporary file behind.
    target = tmp_path / "jissi_kyodaku.json"
    before = target.read_bytes()

    class Full(io.BytesIO):
        def write(self, data):
            super().write(data[:10])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(jobs.os, "fdopen", lambda fd, mode: (os.close(fd), Full())[1])
    with pytest.raises(OSError):
        jobs.write_atomic(target, "{}")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(dst.name for _, dst in replaced)


# From ../shared/SECURITY.md: the releases that fixed the advisories that matter for untrusted contracts.
VERSION_FLOORS = {"pdfminer.six": "20251230", "lxml": "6.1.0", "jinja2": "3.1.6", "python-multipart": "0.0.32",
                  "starlette": "1.3.1"}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text)[:4])


def test_version_floors_in_pyproject():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M).group(1)
    declared = {}
    for requirement in re.findall(r'"([^"]+)"', block):
        name, _, floor = re.match(r"([A-Za-z0-9_.-]+)\s*(>=\s*([0-9.]+))?", requirement).groups()
        declared[name.lower()] = floor
    for name, floor in VERSION_FLOORS.items():
        assert declared.get(name), f"{name} has no >= floor in pyproject.toml"
        assert _version(declared[name]) >= _version(floor), f"{name}>={declared[name]} is below {floor}"


def test_installed_versions_meet_the_floors():
    from importlib.metadata import PackageNotFoundError, version

    for name, floor in VERSION_FLOORS.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # an optional server dependency not installed here
        assert _version(installed) >= _version(floor), f"{name} {installed} is below {floor}"


def test_bidirectional_controls_leave_text_and_numbering():
    """A Word numbering label carries them as well as the text; a block that held nothing else goes."""
    from reviewer.ingest import _without_bidi_controls
    from reviewer.model import Block

    blocks, removed = _without_bidi_controls([Block(text="\u202eLicensee shall pay", label="\u202e1.\u202c"),
                                               Block(text="\u2066\u2069"), Block(text="plain")])
    assert removed == 5
    assert [(b.text, b.label) for b in blocks] == [("Licensee shall pay", "1."), ("plain", "")]
