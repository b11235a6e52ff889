"""Hostile input on the reading side (issue 19): every case is written by code into real files, real gzip and real
WARC, and scanned with the real ``scan`` beside real syndicated pages from ``sample_corpus/``.

Each must end as an ``errors`` row naming its cause (or a stored page with an empty value and a row saying so),
never as a traceback, a hang or a run out of memory; and the good pages beside it are stored and matched.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import SAMPLE_CORPUS, load_truth, page_html
from warc_files import Response, tiny_png, write_warc

import syndicate
from syndicate import scan
from syndicate.cli import cli

TRUTH = load_truth()
KEY = {TRUTH[k]["url"].split("/")[2].removeprefix("www."): k for k in TRUTH}  # site -> tests/data/pages key
FETCHED = datetime(2023, 11, 12, 6, 0, tzinfo=timezone.utc)

ORIGIN = SAMPLE_CORPUS / "cnn.com" / "hostage-deal-negotiations.html"
GOOD = {  # real pages carrying one article: the origin and three of its copies
    "origin": ORIGIN,
    "repost": SAMPLE_CORPUS / "worldnewsroundup.com" / "hostage-negotiators-discussing-days-long-fighting-pause.html",
    "truncated": SAMPLE_CORPUS / "nypost.com" / "hostage-negotiators-discussing-days-long-fighting-pause.html",
    "edited": SAMPLE_CORPUS / "albawaba.com" / "israel-and-hamas-weigh-days-long-truce.html",
}
ORIGIN_URL = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
REPOST_URL = ("https://worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-"
              "hamas-in-exchange-for-freeing-large-group/")
TRUNCATED_URL = ("https://nypost.com/2023/11/12/hostage-negotiators-discussing-days-long-fighting-pause-between-israel-"
                 "and-hamas/")
EDITED_URL = ("https://www.albawaba.com/news/israel-and-hamas-weigh-days-long-truce-exchange-large-hostage-release-"
              "1538214")


# --- writing the cases ------------------------------------------------------------------------------------------

def copy_good(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(GOOD[name], folder / f"{name}.html")


def article(title: str, paragraphs: list[str], url: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:url" content="{url}"></head><body><nav><a href="/">Home</a></nav>'
            f"<article><h1>{title}</h1>{body}</article><footer>Example Media</footer></body></html>")


def paragraphs(key: str) -> list[str]:
    return [p for p in TRUTH[key]["articleBody"].split("\n") if len(p.split()) > 8]


CAFE = [
    "Le Café de la Gare a rouvert ses portes mardi matin après huit mois de travaux, a annoncé la mairie du "
    "quartier.",
    "Les habitués ont retrouvé le comptoir en zinc, les banquettes rouges et la grande fresque peinte en 1932, "
    "restaurée pièce par pièce par une équipe d'artisans venus de toute la région.",
    "« Nous avons voulu garder l'âme du lieu », explique la gérante, qui a repris l'établissement l'été dernier "
    "et promet des prix inchangés pour le café crème et le croissant du matin.",
    "La rénovation a coûté près de deux cent mille euros, financés en partie par une aide de la ville "
    "destinée aux commerces de proximité les plus anciens du centre historique.",
    "Le café accueillera de nouveau les concerts du jeudi soir dès le mois prochain, ainsi qu'une exposition de "
    "photographies consacrée à l'histoire de la gare et de ses employés.",
]


def real_pdf() -> bytes:
    """A small but complete PDF: one page, one line of text, a correct cross-reference table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>"]
    text = b"BT /F1 12 Tf 20 50 Td (Not a web page) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (i, obj))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def real_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("index.html", article("Zipped", CAFE, "https://zip.example/"))
    return out.getvalue()


def write_encodings(folder: Path) -> dict[str, tuple[str, str]]:
    """Real pages in UTF-16 and UTF-32, one with NUL bytes, one UTF-8 page with a bad byte; name -> (url, phrase)."""
    folder.mkdir(parents=True)
    pages = {}

    def put(name: str, data: bytes, site: str | None, phrase: str, url: str | None = None) -> None:
        (folder / name).write_bytes(data)
        pages[name] = (url or TRUTH[KEY[site]]["url"], phrase)

    ko = page_html(KEY["entermedia.co.kr"]).decode("utf-8")  # no og:url, no canonical: its file URL
    put("korean-utf16le-bom.html", b"\xff\xfe" + ko.encode("utf-16-le"), "entermedia.co.kr", "남상미",
        (folder / "korean-utf16le-bom.html").resolve().as_uri())
    ja = page_html(KEY["lhpat-tm.com"]).decode("utf-8")
    put("japanese-utf16be-bom.html", b"\xfe\xff" + ja.encode("utf-16-be"), "lhpat-tm.com", "商標法違反")
    ru = page_html(KEY["gto-normativy.ru"]).decode("utf-8")
    put("russian-utf32-bom.html", ru.encode("utf-32"), "gto-normativy.ru", "Характеристики бега")
    en = page_html(KEY["deccanherald.com"]).decode("utf-8")
    put("english-utf16le-no-bom.html", en.encode("utf-16-le"), "deccanherald.com", "claimed victory")
    ar = page_html(KEY["albawaba.com"])
    head = ar.index(b"<title")  # NUL bytes in the first 4 KiB: a crawler's junk, not a binary
    put("nul-bytes.html", ar[:head] + b"\x00\x00" + ar[head:head + 200] + b"\x00" + ar[head + 200:], "albawaba.com",
        "stiff international and Palestinian criticism")
    cafe = article("Le Café de la Gare rouvre", CAFE, "https://cafe.example/gare").encode("utf-8")
    at = cafe.index(b"huit mois")
    put("cafe-utf8-one-bad-byte.html", cafe[:at] + b"\xff" + cafe[at:], None, "Le Café de la Gare a rouvert",
        "https://cafe.example/gare")
    return pages


def write_binaries(folder: Path) -> dict[str, str]:
    """Real binary files named .html; name -> what the reason must say."""
    folder.mkdir(parents=True)
    files = {
        "image.html": (tiny_png(), "PNG image"),
        "document.html": (real_pdf(), "PDF document"),
        "archive.html": (real_zip(), "zip archive"),
        "random.html": (random.Random(19).randbytes(64 << 10), "control bytes"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: what for name, (_, what) in files.items()}


def write_jsonl(path: Path) -> dict[int, str]:
    """A JSONL export: a real copy of the article, then the hostile lines; line -> what the reason must say."""
    nest = 100_000
    lines = [
        json.dumps({"url": TRUNCATED_URL, "html": GOOD["truncated"].read_text(encoding="utf-8"),
                    "fetched_at": "2023-11-12T06:00:00Z"}),
        # a lone surrogate, as a JSON escape: json.loads gives a str that no UTF-8 (and no database) can hold
        '{"url": "https://example.org/caf\\ud800", "html": "<html><body><p>x</p></body></html>"}',
        '{"url": "https://example.org/deep", "html": "<p>x</p>", "extra": ' + "[" * nest + "]" * nest + "}",
        '{"url": "https://example.org/digits", "html": "<p>x</p>", "fetched_at": ' + "9" * 5000 + "}",
        json.dumps({"url": "https://surrogate.example/in-the-page",
                    "html": article("A title with a lone \ud800 surrogate", CAFE[:3], "https://surrogate.example/x")},
                   ensure_ascii=True),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return {2: "lone surrogate", 3: "nested too deeply", 4: "digits"}


def write_warc_cases(path: Path) -> dict[str, str]:
    """A WARC: a PNG served as text/html, a UTF-16 page without a charset, a page with NUL bytes; url -> expectation."""
    page = article("Gare de Lyon", CAFE[1:4], "https://warc.example/utf16")
    write_warc(path, [
        Response("https://warc.example/png", tiny_png(), FETCHED, {"Content-Type": "text/html"}),
        Response("https://warc.example/utf16", b"\xff\xfe" + page.encode("utf-16-le"), FETCHED,
                 {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        Response("https://warc.example/nul", article("Nul", CAFE[2:5], "https://warc.example/nul").encode().replace(
            b"<nav>", b"<nav>\x00"), FETCHED, {"Content-Type": "text/html; charset=utf-8"}),
    ])
    return {"https://warc.example/png": "PNG image"}


def fifo_guard(fifo: Path) -> threading.Timer:
    """If a scan ever opens the FIFO, a writer comes after 60 s and closes it: the test fails instead of hanging."""
    def unblock() -> None:
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass  # nobody is reading it: good

    timer = threading.Timer(60, unblock)
    timer.daemon = True
    timer.start()
    return timer


def deep_folder(root: Path, page: bytes) -> Path:
    """Folders nested past PATH_MAX (17 names of 250 bytes) with a page at the bottom: no path can reach it, not even
    root's. Built with directory file descriptors, as nothing else can."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(17):
            os.mkdir("d" * 250, dir_fd=fd)
            inner = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("unreachable.html", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, page)
        os.close(out)
    finally:
        os.close(fd)
    return root / ("d" * 250)


# --- reading the results -----------------------------------------------------------------------------------------

def query(db: Path, sql: str, *params) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def errors(db: Path) -> list[tuple[str, str, str, str]]:
    return query(db, "SELECT source, record, kind, reason FROM errors")


def error_for(db: Path, source_end: str, record: str | None = None) -> tuple[str, str]:
    rows = [(kind, reason) for source, rec, kind, reason in errors(db)
            if source.endswith(source_end) and (record is None or rec == record)]
    assert len(rows) == 1, (source_end, record, errors(db))
    assert "\n" not in rows[0][1]
    return rows[0]


def assert_good_pages_matched(db: Path, copies: list[str]) -> None:
    """The origin and each copy are stored, and each copy is matched to the origin."""
    urls = {u for (u,) in query(db, "SELECT url FROM documents")}
    assert ORIGIN_URL in urls
    matched = {u for (u,) in query(db, """
        SELECT CASE WHEN a.url = ? THEN b.url ELSE a.url END FROM matches m
        JOIN documents a ON a.doc_id = m.doc_a JOIN documents b ON b.doc_id = m.doc_b
        WHERE ? IN (a.url, b.url)""", ORIGIN_URL, ORIGIN_URL)}
    for url in copies:
        assert url in urls and url in matched, (url, matched)


def stored(db: Path, url: str) -> tuple:
    rows = query(db, "SELECT source, title, text, fetched_at, status FROM documents WHERE url = ?", url)
    assert len(rows) == 1, (url, query(db, "SELECT url, source FROM documents"))
    return rows[0]


# --- the tests ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One crawl folder holding every case that fits in a folder, scanned once (library ``scan``)."""
    root = tmp_path_factory.mktemp("hostile-read")
    crawl = root / "crawl"
    copy_good(crawl / "good", "origin", "repost")
    encodings = write_encodings(crawl / "encodings")
    binaries = write_binaries(crawl / "binaries")
    jsonl = write_jsonl(crawl / "export" / "export.jsonl")
    warc = write_warc_cases(crawl / "export" / "crawl.warc.gz")

    names = crawl / "names"  # a file name that is not UTF-8 (Latin-1 "é", then 0xff)
    names.mkdir()
    bad_name = os.path.join(os.fsencode(names), b"caf\xe9-\xff.html")
    with open(bad_name, "wb") as f:
        f.write(article("Trump health visit", paragraphs(KEY["cnn.com"])[:6], "https://names.example/latin1").encode())

    devices = crawl / "devices"
    devices.mkdir()
    os.mkfifo(devices / "pipe.html")
    os.symlink("/dev/zero", devices / "zero.html")
    guard = fifo_guard(devices / "pipe.html")

    elsewhere = root / "elsewhere"  # outside the crawl, reached by a link
    copy_good(elsewhere, "edited")
    links = crawl / "links"
    links.mkdir()
    os.symlink(elsewhere, links / "elsewhere")
    os.symlink(crawl / "good", links / "good-again")  # read already: adds nothing
    os.symlink(crawl, links / "loop")  # back to the crawl itself

    db = root / "scan.duckdb"
    try:
        summary = scan([crawl], db, workers=1)
    finally:
        guard.cancel()
    return dict(root=root, crawl=crawl, db=db, summary=summary, encodings=encodings, binaries=binaries, jsonl=jsonl,
                warc=warc)


def test_hostile_folder_scan_finishes_with_errors_and_the_good_pages_matched(hostile):
    summary, db = hostile["summary"], hostile["db"]
    assert summary.status == "completed_with_errors"
    assert_good_pages_matched(db, [REPOST_URL, TRUNCATED_URL, EDITED_URL])
    rows = errors(db)
    for source, record, kind, reason in rows:
        assert reason and "\n" not in reason and "Traceback" not in reason, (source, reason)
    expected = len(hostile["binaries"]) + len(hostile["warc"]) + len(hostile["jsonl"]) + 3  # FIFO, /dev/zero, loop
    assert len(rows) == summary.pages_failed == expected, rows


def test_jsonl_lone_surrogate_url_and_deep_nesting_are_error_rows(hostile):
    db = hostile["db"]
    for line, cause in hostile["jsonl"].items():
        kind, reason = error_for(db, "export.jsonl", f"line {line}")
        assert kind == "read" and cause in reason, reason
    kind, reason = error_for(db, "export.jsonl", "line 2")
    assert reason == "'url' is not valid Unicode: a lone surrogate (\\ud800) at character 24"
    # a lone surrogate inside the page is a bad character, not a bad page: U+FFFD, as for an invalid byte
    _, title, text, _, _ = stored(db, "https://surrogate.example/in-the-page")
    assert "\ufffd" in (title or "") + text


def test_a_file_name_that_is_not_utf8_is_stored_under_an_escaped_name(hostile):
    source, _, text, fetched_at, _ = stored(hostile["db"], "https://names.example/latin1")
    assert source == str(hostile["crawl"] / "names" / "caf\\xe9-\\xff.html")
    assert "Walter Reed" in text and fetched_at is not None


def test_fifos_and_devices_in_folders_are_skipped_with_a_reason(hostile):
    db = hostile["db"]
    assert error_for(db, "pipe.html") == ("read", "not a regular file: a named pipe (FIFO); skipped")
    assert error_for(db, "zero.html") == (
        "read", "not a regular file: a character device (a link to /dev/zero); skipped")


def test_symlinked_folders_are_followed_once_and_a_loop_is_an_error(hostile):
    db, crawl = hostile["db"], hostile["crawl"]
    source, *_ = stored(db, EDITED_URL)
    assert source == str(crawl / "links" / "elsewhere" / "edited.html")
    kind, reason = error_for(db, "links/loop")
    assert kind == "read" and reason == f"a link back to {crawl}, which contains it: not followed (it would loop)"
    assert not [s for (s,) in query(db, "SELECT source FROM documents") if "good-again" in s]
    assert not [e for e in errors(db) if "good-again" in e[0]]
    assert stored(db, ORIGIN_URL)[0] == str(crawl / "good" / "origin.html")


def test_utf16_utf32_nul_bytes_and_a_bad_utf8_byte_decode(hostile):
    db = hostile["db"]
    for name, (url, phrase) in hostile["encodings"].items():
        source, title, text, _, _ = stored(db, url)
        assert source.endswith(name)
        assert phrase in (title or "") + "\n" + text, (name, title, text[:200])
    _, title, text, _, _ = stored(db, "https://cafe.example/gare")
    assert "Café" in title and "Café" in text and "CafÃ©" not in text + title
    assert "\ufffd" in text  # the bad byte, in its place


def test_real_binaries_are_rejected_with_what_they_are(hostile):
    db = hostile["db"]
    for name, what in hostile["binaries"].items():
        kind, reason = error_for(db, f"binaries/{name}")
        assert kind == "extract" and reason.startswith("binary content, not HTML: ") and what in reason, reason
    [(record, kind, reason)] = [(r, k, why) for s, r, k, why in errors(db) if s.endswith("crawl.warc.gz")]
    assert record.startswith("offset ") and kind == "extract" and "PNG image" in reason
    assert "Gare de Lyon" in stored(db, "https://warc.example/utf16")[1]
    assert stored(db, "https://warc.example/nul")[1] == "Nul"


def test_a_modification_time_past_9999_is_stored_as_null_with_a_note(tmp_path):
    late = 253402300800 + 86400  # 10000-01-02
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    os.utime(probe, (late, late))
    if probe.stat().st_mtime == late:
        base, cleanup = tmp_path, None
    elif os.path.isdir("/dev/shm"):  # ext4 clamps times to 2446; tmpfs keeps them
        cleanup = tempfile.TemporaryDirectory(dir="/dev/shm")
        base = Path(cleanup.name)
    else:
        pytest.skip("no file system here keeps a modification time past the year 9999")
    try:
        crawl = base / "crawl"
        copy_good(crawl, "origin", "repost")
        os.utime(crawl / "repost.html", (late, late))
        if (crawl / "repost.html").stat().st_mtime != late:
            pytest.skip("no file system here keeps a modification time past the year 9999")
        summary = scan([crawl], tmp_path / "t.duckdb", workers=1)
    finally:
        if cleanup is not None:
            cleanup.cleanup()
    db = tmp_path / "t.duckdb"
    assert summary.status == "completed_with_errors"
    assert_good_pages_matched(db, [REPOST_URL])
    assert stored(db, REPOST_URL)[3] is None  # the fetch time: NULL
    kind, reason = error_for(db, "repost.html")
    assert kind == "read" and "modification time" in reason and "without a fetch time" in reason


@pytest.mark.parametrize("how", ["name-too-long", "no-permission"])
def test_cli_reports_an_unreadable_folder_and_exits_3(tmp_path, how):
    crawl = tmp_path / "crawl"
    copy_good(crawl / "good", "origin", "repost")
    if how == "no-permission":
        if os.geteuid() == 0:
            pytest.skip("root reads a folder whatever its mode (name-too-long is the case root cannot read)")
        locked = crawl / "locked"
        locked.mkdir()
        (locked / "page.html").write_bytes(GOOD["truncated"].read_bytes())
        locked.chmod(0)
        unreadable, why = locked, "Permission denied"
    else:
        unreadable, why = deep_folder(crawl, GOOD["truncated"].read_bytes()), "File name too long"
    db = tmp_path / "t.duckdb"
    try:
        result = CliRunner().invoke(cli, ["scan", str(crawl), "--db", str(db), "--workers", "1"])
    finally:
        if how == "no-permission":
            unreadable.chmod(stat.S_IRWXU)
    assert result.exit_code == 3, result.output
    assert "3 pages read (2 new" in result.stdout and "1 failed" in result.stdout  # an error row counts as read
    assert f"cannot read folder: {why}" in result.stderr
    assert_good_pages_matched(db, [REPOST_URL])
    [(source, record, kind, reason)] = errors(db)
    assert source.startswith(str(unreadable))  # too long: the first folder down the chain that no path reaches
    assert (record, kind, reason) == ("", "read", f"cannot read folder: {why}")
    if how == "name-too-long":
        shutil.rmtree(unreadable)  # fd-based: it can


def test_a_device_named_on_the_command_line_is_read_up_to_the_limit(tmp_path):
    crawl = tmp_path / "crawl"
    copy_good(crawl, "origin", "repost")
    os.symlink("/dev/zero", tmp_path / "zero.html")
    summary = scan([crawl, tmp_path / "zero.html"], tmp_path / "t.duckdb", workers=1)
    assert summary.status == "completed_with_errors"
    assert_good_pages_matched(tmp_path / "t.duckdb", [REPOST_URL])
    assert error_for(tmp_path / "t.duckdb", "zero.html") == ("too_large", "page larger than 10 MiB (--max-page-mb)")


# A child's ru_maxrss starts at its parent's footprint (the parent's peak, when started by vfork, as subprocess does):
# the scan runs as a grandchild of a small launcher, so it measures the scan alone, not this test process.
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.run([sys.executable, *sys.argv[1:]]).returncode)"
BOMB_SCAN = """
import json, resource, sys
from syndicate import scan
if __name__ == "__main__":
    summary = scan([sys.argv[1]], sys.argv[2], workers=1)
    print(json.dumps({"status": summary.status, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def test_decompression_bombs_cost_no_more_memory_than_the_page_limit(tmp_path):
    """1 MB of gzip (or 2 KB of brotli) that expands to 1 GiB, as .html.gz, .jsonl.gz and WARC bodies: read past
    the limit, never whole."""
    crawl = tmp_path / "crawl"
    copy_good(crawl, "origin", "repost")
    member = gzip.compress(b"<html><body><p>" + b" " * (64 << 20), 9)  # 64 MiB; 16 members make 1 GiB
    spaces = gzip.compress(b" " * (64 << 20), 9)
    (crawl / "bomb.html.gz").write_bytes(member * 16)
    (crawl / "bomb.jsonl.gz").write_bytes(gzip.compress(b'{"url": "https://bomb.example/", "html": "<p>') + spaces * 16
                                          + gzip.compress(b'"}\n'))
    brotli = pytest.importorskip("brotli")
    write_warc(crawl / "bomb.warc.gz", [
        Response("https://bomb.example/gzip", b"", FETCHED, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                 wire=member * 16),
        Response("https://bomb.example/br", b"", FETCHED, {"Content-Type": "text/html", "Content-Encoding": "br"},
                 wire=brotli.compress(b"<html><body><p>" + b" " * (1 << 30), quality=5)),
    ])
    assert sum(f.stat().st_size for f in crawl.glob("bomb.*")) < 4 << 20
    db = tmp_path / "t.duckdb"
    here = str(Path(syndicate.__file__).parent.parent)  # the syndicate under test, wherever it is imported from
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([here, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", LAUNCHER, "-c", BOMB_SCAN, str(crawl), str(db)], capture_output=True,
                          text=True, timeout=600, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["status"] == "completed_with_errors"
    assert result["maxrss_kib"] < 600 * 1024, f"peak RSS {result['maxrss_kib'] / 1024:.0f} MB"
    assert_good_pages_matched(db, [REPOST_URL])
    assert error_for(db, "bomb.html.gz") == ("too_large", "page larger than 10 MiB after decompression (--max-page-mb)")
    assert error_for(db, "bomb.jsonl.gz", "line 1") == (
        "too_large", "line of 1024.0 MiB is over the 60 MiB limit for a JSONL line (6 x --max-page-mb)")
    assert [(kind, reason) for source, _, kind, reason in errors(db) if source.endswith("bomb.warc.gz")] == [
        ("too_large", "page larger than 10 MiB after decompression (--max-page-mb)")] * 2  # gzip, brotli
