"""WARC input: real pages written into real WARC files (tests/warc_files.py), read back with read_warc."""

from __future__ import annotations

import codecs
import gzip
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import load_truth, page_html
from warc_files import Response, tiny_png, warc_record, write_warc

from syndicate import scan
from syndicate.cli import cli
from syndicate.read.page import Page, ReadError
from syndicate.read.files import read_paths
from syndicate.read.warc import read_warc

TRUTH = load_truth()
KEYS = sorted(TRUTH)
CNN = next(k for k in KEYS if "cnn.com" in TRUTH[k]["url"])
SMALL = [k for k in KEYS if k != CNN]  # five pages, 380 KB: quick to write many times
JA = next(k for k in KEYS if "lhpat-tm.com" in TRUTH[k]["url"])
RU = next(k for k in KEYS if "gto-normativy.ru" in TRUTH[k]["url"])
EN = next(k for k in KEYS if "deccanherald.com" in TRUTH[k]["url"])
START = datetime(2023, 11, 10, 21, 30, tzinfo=timezone.utc)
HTML = b"<!DOCTYPE html><html><head><title>Short</title></head><body><p>A short page.</p></body></html>"
MODES = [("record", "crawl.warc.gz"), ("file", "crawl.warc.gz"), (None, "crawl.warc")]


def real_responses(keys: list[str], charset_every_other: bool = True) -> list[Response]:
    """The real pages as 200 responses fetched a minute apart; every other one names its charset."""
    out = []
    for i, key in enumerate(keys):
        ctype = "text/html; charset=utf-8" if charset_every_other and i % 2 == 0 else "text/html"
        out.append(Response(TRUTH[key]["url"], page_html(key), START + timedelta(minutes=i), {"Content-Type": ctype}))
    return out


def read(path: Path) -> tuple[list[Page], list[ReadError]]:
    items = list(read_warc(path))
    pages = [i for i in items if isinstance(i, Page)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(pages) + len(errors) == len(items)
    return pages, errors


def label(gzip_mode: str | None) -> str:
    return "decompressed offset" if gzip_mode == "file" else "offset"


@pytest.mark.parametrize("gzip_mode,name", MODES)
def test_every_html_response_becomes_a_page_with_its_url_time_and_html(tmp_path, gzip_mode, name):
    responses = real_responses(KEYS)
    extra = [
        Response("https://img.example/logo.png", tiny_png(), START, {"Content-Type": "image/png"}),
        Response("https://gone.example/page", HTML, START, {"Content-Type": "text/html"}, 404, "Not Found"),
    ]
    path = tmp_path / name
    written = write_warc(path, responses[:3] + extra + responses[3:], gzip_mode)
    assert [w.type for w in written][:3] == ["warcinfo", "request", "response"]
    assert [w.type for w in written][-2:] == ["metadata", "revisit"]

    pages, errors = read(path)

    assert errors == []
    assert [p.url for p in pages] == [TRUTH[k]["url"] for k in KEYS]
    assert [p.fetched_at for p in pages] == [r.fetched_at for r in responses]
    assert all(p.fetched_at.tzinfo == timezone.utc for p in pages)
    # charset named: decoded to str; not named: the bytes, for the extractor to read the page's meta tag
    assert [p.html for p in pages] == [
        page_html(k).decode("utf-8") if i % 2 == 0 else page_html(k) for i, k in enumerate(KEYS)
    ]
    offsets = {w.url: w.start for w in written if w.type == "response"}
    assert [p.record for p in pages] == [f"{label(gzip_mode)} {offsets[p.url]}" for p in pages]
    assert all(p.source == str(path) and p.fallback_url is None and p.text is None for p in pages)


def test_only_2xx_html_responses_become_pages(tmp_path):
    responses = [
        Response("https://s.example/page", HTML, START, {"Content-Type": "text/html"}),
        Response("https://s.example/logo.png", tiny_png(), START, {"Content-Type": "image/png"}),
        Response("https://s.example/missing", HTML, START, {"Content-Type": "text/html"}, 404, "Not Found"),
        Response("https://s.example/moved", b"", START, {"Location": "https://s.example/page"}, 301, "Moved Permanently"),
        Response("https://s.example/broken", HTML, START, {"Content-Type": "text/html"}, 500, "Internal Server Error"),
        Response("https://s.example/data.json", b'{"a": 1}', START, {"Content-Type": "application/json"}),
        Response("https://s.example/xhtml", HTML, START, {"Content-Type": "application/xhtml+xml; charset=utf-8"}),
        Response("https://s.example/untyped", b"\n  " + HTML, START, {}),  # no Content-Type: sniffed as HTML
        Response("https://s.example/untyped.txt", b"just some text", START, {}),  # sniffed: not HTML
        Response("https://s.example/mirror", HTML, START, {"Content-Type": "TEXT/HTML"}, 203, "Non-Authoritative"),
    ]
    path = tmp_path / "mixed.warc.gz"
    written = write_warc(path, responses)
    assert {w.type for w in written} == {"warcinfo", "request", "response", "metadata", "revisit"}

    pages, errors = read(path)

    assert errors == []
    assert [p.url for p in pages] == [
        "https://s.example/page", "https://s.example/xhtml", "https://s.example/untyped", "https://s.example/mirror",
    ]
    assert pages[1].html == HTML.decode()  # charset named
    assert pages[2].html == b"\n  " + HTML


@pytest.mark.parametrize("gzip_mode", ["record", None])
def test_chunked_transfer_and_content_encodings_are_decoded(tmp_path, gzip_mode):
    body = page_html(RU)
    codings = {
        "gzip": {"Content-Encoding": "gzip"},
        "x-gzip": {"Content-Encoding": "x-gzip"},
        "deflate": {"Content-Encoding": "deflate"},
        "br": {"Content-Encoding": "br"},
        "chunked": {"Transfer-Encoding": "chunked"},
        "chunked-gzip": {"Content-Encoding": "gzip", "Transfer-Encoding": "chunked"},
        "chunked-br": {"Content-Encoding": "br", "Transfer-Encoding": "chunked"},
    }
    responses = [
        Response(f"https://enc.example/{name}", body, START, {"Content-Type": "text/html", **headers})
        for name, headers in codings.items()
    ]
    # after them, a plain page: FastWARC's own auto_decode loses every record after a chunked+gzip one
    responses.append(Response("https://enc.example/after", HTML, START, {"Content-Type": "text/html"}))
    path = tmp_path / ("enc.warc.gz" if gzip_mode else "enc.warc")
    written = write_warc(path, responses, gzip_mode)
    chunked = next(w for w in written if w.url == "https://enc.example/chunked-gzip" and w.type == "response")
    assert chunked.end - chunked.start < len(body) / 2 or gzip_mode  # really compressed on the wire

    pages, errors = read(path)

    assert errors == []
    assert [p.url for p in pages] == [r.url for r in responses]
    assert [p.html for p in pages] == [body] * len(codings) + [HTML]


def test_warc_1_1_dates_and_bracketed_target_uris(tmp_path):
    """WARC/1.1 allows up to nine digits of fraction in WARC-Date; early writers put the URI in <...>."""
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + HTML
    http = {"Content-Type": "application/http; msgtype=response"}
    path = tmp_path / "v11.warc"
    path.write_bytes(
        warc_record("response", block, START, {"WARC-Date": "2023-11-10T21:30:00.123456789Z",
                                                "WARC-Target-URI": "https://a.example/nano", **http})
        + warc_record("response", block, START, {"WARC-Target-URI": "<https://a.example/bracketed>", **http})
        + warc_record("response", block, START, {"WARC-Date": "yesterday", "WARC-Target-URI": "https://a.example/x", **http})
    )
    pages, errors = read(path)
    assert errors == []
    assert [(p.url, p.fetched_at) for p in pages] == [
        ("https://a.example/nano", START.replace(microsecond=123456)),
        ("https://a.example/bracketed", START),
        ("https://a.example/x", None),  # an unreadable date loses the time, not the page
    ]


def test_bodies_stored_already_decoded_are_kept_as_they_are(tmp_path):
    """Some archivers store the decoded body and keep the original Content-/Transfer-Encoding headers."""
    responses = [
        Response("https://d.example/gz", HTML, START, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, wire=HTML),
        Response("https://d.example/ch", HTML, START, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"}, wire=HTML),
    ]
    path = tmp_path / "decoded.warc.gz"
    write_warc(path, responses)
    pages, errors = read(path)
    assert errors == []
    assert [p.html for p in pages] == [HTML, HTML]


def test_charset_named_in_the_http_header_decodes_the_page(tmp_path):
    ja, ru, en = (page_html(k).decode("utf-8") for k in (JA, RU, EN))
    ja_sjis = ja.encode("shift_jis", "xmlcharrefreplace")  # the page's meta tag still says UTF-8
    assert '<meta charset="UTF-8">' in ja
    responses = [
        Response(TRUTH[JA]["url"], ja_sjis, START, {"Content-Type": 'text/html; charset="Shift_JIS"'}),
        Response(TRUTH[RU]["url"], ru.encode("windows-1251"), START, {"Content-Type": "text/html;charset=windows-1251"}),
        # labelled ISO-8859-1, written as windows-1252 (curly quotes): what browsers (WHATWG) read it as
        Response(TRUTH[EN]["url"], en.encode("cp1252"), START, {"Content-Type": "text/html; charset=ISO-8859-1"}),
        Response("https://x.example/unknown", ru.encode("windows-1251"), START, {"Content-Type": "text/html; charset=x-martian"}),
        Response("https://x.example/bom", codecs.BOM_UTF8 + en.encode(), START, {"Content-Type": "text/html; charset=windows-1252"}),
    ]
    path = tmp_path / "charsets.warc.gz"
    write_warc(path, responses)

    pages, errors = read(path)

    assert errors == []
    assert pages[0].html == ja_sjis.decode("cp932")
    assert "商品の改造が商標法違反に" in pages[0].html
    assert pages[1].html == ru
    assert pages[2].html == en and "’" in en
    assert pages[3].html == ru.encode("windows-1251")  # unknown charset: bytes, left to the extractor
    assert pages[4].html == en  # a byte order mark outranks the header


def test_a_record_that_cannot_be_decoded_is_one_error_and_reading_goes_on(tmp_path):
    junk_gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)) * 4
    responses = [
        Response("https://e.example/ok-1", HTML, START, {"Content-Type": "text/html"}),
        Response("https://e.example/bad-gzip", b"", START, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, wire=junk_gzip),
        Response("https://e.example/compress", b"", START, {"Content-Type": "text/html", "Content-Encoding": "compress"}, wire=b"\x1f\x9d\x90<"),
        Response("https://e.example/bad-chunks", b"", START, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"},
                 wire=b"10\r\n<html><body>this chunk is longer than 16 bytes</body></html>\r\n0\r\n\r\n"),
        Response("https://e.example/no-status", b"", START, block=b"garbage, no status line\r\nContent-Type: text/html\r\n\r\n" + HTML),
        Response("https://e.example/lf-only", b"", START, block=b"HTTP/1.1 200 OK\nContent-Type: text/html\n\n" + HTML),
        Response("https://e.example/ok-2", HTML, START, {"Content-Type": "text/html"}),
    ]
    path = tmp_path / "bad-records.warc.gz"
    written = write_warc(path, responses)
    offsets = {w.url: w.start for w in written if w.type == "response"}

    pages, errors = read(path)

    assert [p.url for p in pages] == ["https://e.example/ok-1", "https://e.example/lf-only", "https://e.example/ok-2"]
    assert pages[1].html == HTML
    assert [(e.record, e.reason.split(":")[0]) for e in errors] == [
        (f"offset {offsets['https://e.example/bad-gzip']}", "cannot decode Content-Encoding"),
        (f"offset {offsets['https://e.example/compress']}", "unsupported Content-Encoding"),
        (f"offset {offsets['https://e.example/bad-chunks']}", "bad chunked transfer coding at byte 20 of the body"),
        (f"offset {offsets['https://e.example/no-status']}", "bad HTTP status line"),
    ]
    assert all("\n" not in e.reason for e in errors)


def _cut_gzip_stream(raw: bytes, at: int) -> bytes:
    """A gzip stream of ``raw[:at]`` that stops there, as a crawl killed mid-write leaves it (no end, no trailer)."""
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    return c.compress(raw[:at]) + c.flush(zlib.Z_SYNC_FLUSH)


@pytest.mark.parametrize("gzip_mode,name", MODES)
@pytest.mark.parametrize("where", ["body", "header", "request"])
def test_a_truncated_archive_keeps_every_record_before_the_cut(tmp_path, gzip_mode, name, where):
    responses = real_responses(SMALL)
    full = tmp_path / f"full-{name}"
    written = write_warc(full, responses, gzip_mode, extras=False)
    responses_written = [w for w in written if w.type == "response"]
    victim = responses_written[3]
    lost = victim if where != "request" else written[written.index(victim) - 1]
    cut_at = {"body": victim.start + (victim.end - victim.start) // 2, "header": victim.start + 40,
              "request": lost.start + (lost.end - lost.start) // 2}[where]
    data = full.read_bytes()
    path = tmp_path / name
    path.write_bytes(_cut_gzip_stream(gzip.decompress(data), cut_at) if gzip_mode == "file" else data[:cut_at])

    pages, errors = read(path)

    assert [p.url for p in pages] == [r.url for r in responses[:3]]
    assert [p.html for p in pages] == [r.body.decode() if i % 2 == 0 else r.body for i, r in enumerate(responses[:3])]
    assert len(errors) == 1
    where_label = f"{label(gzip_mode)} {lost.start}"
    assert errors[0].record == where_label
    assert errors[0].reason.startswith(f"archive ends in the middle of a record at {where_label}")


@pytest.mark.parametrize("gzip_mode", ["record", None])
@pytest.mark.parametrize("damage", ["overwritten", "inserted"])
def test_a_corrupt_stretch_is_reported_once_and_reading_resumes_after_it(tmp_path, gzip_mode, damage):
    """FastWARC itself stops for good at the first bad byte; read_warc finds the next intact record."""
    responses = real_responses(SMALL)
    full = tmp_path / "full.warc"
    written = write_warc(full, responses, gzip_mode, extras=False)
    data = full.read_bytes()
    victim = [w for w in written if w.type == "response"][2]
    garbage = bytes(range(256)) * 4
    if damage == "overwritten":  # 1 KB garbled inside the record: that record is lost, offsets unchanged
        path_bytes = data[: victim.start + 100] + garbage + data[victim.start + 100 + len(garbage) :]
        bad_at, resume_at = victim.start, written[written.index(victim) + 1].start
        expected = [r.url for i, r in enumerate(responses) if i != 2]
    else:  # 1 KB of junk between two records: nothing is lost
        path_bytes = data[: victim.end] + garbage + data[victim.end :]
        bad_at, resume_at = victim.end, victim.end + len(garbage)
        expected = [r.url for r in responses]
    path = tmp_path / ("damaged.warc.gz" if gzip_mode else "damaged.warc")
    path.write_bytes(path_bytes)

    pages, errors = read(path)

    assert [p.url for p in pages] == expected
    assert len(errors) == 1
    assert errors[0].record == f"offset {bad_at}"
    assert errors[0].reason.startswith(
        f"unreadable data at offset {bad_at} ({resume_at - bad_at} bytes), skipped to the next record at offset {resume_at}"
    )
    later = {w.url: w.start for w in written if w.type == "response"}
    assert [p.record for p in pages] == [
        f"offset {later[p.url] + (len(garbage) if damage == 'inserted' and later[p.url] > bad_at else 0)}" for p in pages
    ]


def test_a_corrupt_whole_file_gzip_keeps_the_records_before_the_damage(tmp_path):
    """One gzip stream cannot be resumed after a bad byte: the rest of the file is lost, and said so."""
    responses = real_responses(SMALL)
    full = tmp_path / "full.warc.gz"
    write_warc(full, responses, "file", extras=False)
    data = full.read_bytes()
    # garble the compressed stream somewhere in the fourth page's record
    raw = gzip.decompress(data)
    fourth = raw.index(responses[3].url.encode())
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    head = c.compress(raw[:fourth]) + c.flush(zlib.Z_FULL_FLUSH)
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(head + bytes(range(256)) * 8 + data[len(head) + 2048 :])

    pages, errors = read(path)

    assert [p.url for p in pages] == [r.url for r in responses[:3]]
    assert len(errors) == 1 and errors[0].record.startswith("decompressed offset ")
    assert "the rest of a whole-file gzip cannot be read" in errors[0].reason


def test_a_file_that_is_not_a_warc_is_one_error(tmp_path):
    path = tmp_path / "notes.warc"
    path.write_bytes(b"these are notes, not a web archive\n" * 50)
    assert list(read_warc(path)) == [ReadError(str(path), "offset 0", "not a WARC file: no WARC record at its start")]
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    assert list(read_warc(empty)) == []


def test_folders_read_warc_files_beside_html_files(tmp_path):
    crawl = tmp_path / "crawl"
    (crawl / "day2").mkdir(parents=True)
    write_warc(crawl / "day1.warc.gz", real_responses(SMALL[:2]))
    write_warc(crawl / "day2" / "more.warc", real_responses(SMALL[2:3]), None)
    (crawl / "day2" / "page.html").write_bytes(HTML)
    (crawl / "day2" / "notes.txt").write_text("skipped")

    items = list(read_paths([crawl]))

    assert all(isinstance(i, Page) for i in items)
    assert [(Path(p.source).name, p.url) for p in items] == [
        ("day1.warc.gz", TRUTH[SMALL[0]]["url"]),
        ("day1.warc.gz", TRUTH[SMALL[1]]["url"]),
        ("more.warc", TRUTH[SMALL[2]]["url"]),
        ("page.html", None),
    ]
    [unsupported] = read_paths([crawl / "day2" / "notes.txt"])
    assert ".warc" in unsupported.reason


@pytest.fixture(scope="module")
def crawl_warcs(tmp_path_factory):
    """A WARC of three real pages (one in Shift_JIS, said so only by HTTP) and a copy cut inside the third."""
    folder = tmp_path_factory.mktemp("warcs")
    ja = page_html(JA).decode("utf-8").encode("shift_jis", "xmlcharrefreplace")
    responses = [
        Response(TRUTH[EN]["url"], page_html(EN), START, {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        Response(TRUTH[RU]["url"], page_html(RU), START + timedelta(hours=1), {"Content-Type": "text/html", "Transfer-Encoding": "chunked"}),
        Response(TRUTH[JA]["url"], ja, START + timedelta(hours=2), {"Content-Type": "text/html; charset=Shift_JIS"}),
    ]
    good = folder / "crawl.warc.gz"
    written = write_warc(good, responses)
    third = [w for w in written if w.type == "response"][2]
    cut = folder / "cut.warc.gz"
    cut.write_bytes(good.read_bytes()[: third.start + (third.end - third.start) // 2])
    return good, cut, responses, third


def test_scan_stores_warc_pages_with_their_urls_and_fetch_times(tmp_path, crawl_warcs):
    good, cut, responses, third = crawl_warcs
    db = tmp_path / "s.duckdb"

    summary = scan([good], db, workers=1)

    assert summary.status == "ok" and summary.pages_read == 3 and summary.pages_failed == 0
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT url, fetched_at, source, record, title FROM documents ORDER BY fetched_at").fetchall()
    assert [r[0] for r in rows] == [r.url for r in responses]
    assert [r[1] for r in rows] == [r.fetched_at.replace(tzinfo=None) for r in responses]  # stored as naive UTC
    assert all(r[2] == str(good) and r[3].startswith("offset ") for r in rows)
    assert "商標" in rows[2][4]  # the Shift_JIS page, decoded by its HTTP charset despite its UTF-8 meta tag

    summary = scan([cut], tmp_path / "cut.duckdb", workers=1)

    assert summary.status == "completed_with_errors"
    assert summary.pages_read == 3 and summary.pages_failed == 1
    with duckdb.connect(str(tmp_path / "cut.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchall() == [(2,)]
        [(source, record, reason)] = con.execute("SELECT source, record, reason FROM errors").fetchall()
    assert (source, record) == (str(cut), f"offset {third.start}")
    assert reason.startswith(f"archive ends in the middle of a record at offset {third.start}")


def test_cli_scan_of_warc_files_exits_3_for_a_truncated_one(tmp_path, crawl_warcs):
    good, cut, _, third = crawl_warcs
    runner = CliRunner()

    ok = runner.invoke(cli, ["scan", str(good), "--db", str(tmp_path / "a.duckdb"), "--workers", "1"])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith("3 pages read (3 new")

    bad = runner.invoke(cli, ["scan", str(cut), "--db", str(tmp_path / "b.duckdb"), "--workers", "1"])
    assert bad.exit_code == 3, bad.output
    assert f"archive ends in the middle of a record at offset {third.start}" in bad.output
    assert "3 pages read (2 new" in bad.stdout


def test_written_warcs_are_valid_for_warcio_too(tmp_path):
    """The hand-written files read cleanly with an independent reader (warcio, a test extra), digests checked."""
    warcio = pytest.importorskip("warcio.archiveiterator")
    responses = real_responses(SMALL[:2]) + [
        Response("https://w.example/cg", HTML, START, {"Content-Type": "text/html", "Content-Encoding": "gzip", "Transfer-Encoding": "chunked"}),
        Response("https://w.example/png", tiny_png(), START, {"Content-Type": "image/png"}),
    ]
    for gzip_mode, name in MODES:
        path = tmp_path / name
        written = write_warc(path, responses, gzip_mode)
        # warcio refuses a whole-file gzip (it cannot seek into one); it reads the decompressed stream
        with gzip.open(path, "rb") if gzip_mode == "file" else open(path, "rb") as f:
            records = []
            for record in warcio.ArchiveIterator(f, check_digests="raise"):
                body = record.content_stream().read()
                records.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), body))
        assert [r[0] for r in records] == [w.type for w in written]
        assert [r[2] for r in records if r[0] == "response"] == [r.body for r in responses]
