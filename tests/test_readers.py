"""Readers: folders of HTML, JSONL exports; bad records become ReadErrors, never exceptions."""

import gzip
import json
from datetime import datetime, timezone

import pytest

from syndicate.errors import InputError
from syndicate.read.page import Page, ReadError, parse_timestamp
from syndicate.read.files import read_paths

HTML = b"<html><head><meta property='og:url' content='https://example.org/a'></head><body><p>Hi</p></body></html>"


def test_folder_tree_reads_html_htm_and_gz_and_skips_others(tmp_path):
    (tmp_path / "site" / "deep").mkdir(parents=True)
    (tmp_path / "site" / "a.html").write_bytes(HTML)
    (tmp_path / "site" / "b.HTM").write_bytes(HTML)
    (tmp_path / "site" / "deep" / "c.html.gz").write_bytes(gzip.compress(HTML))
    (tmp_path / "site" / "notes.txt").write_text("not a page")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.html").write_bytes(HTML)
    items = list(read_paths([tmp_path]))
    assert all(isinstance(i, Page) for i in items)
    assert sorted(p.source.split("/site/")[1] for p in items) == ["a.html", "b.HTM", "deep/c.html.gz"]
    assert all(p.html == HTML for p in items)
    assert all(p.url is None and p.fallback_url.startswith("file://") for p in items)
    assert all(isinstance(p.fetched_at, datetime) for p in items)


def test_jsonl_records_with_html_text_and_fetch_time(tmp_path):
    path = tmp_path / "crawl.jsonl"
    lines = [
        {"url": "https://a.example/1", "html": "<p>one</p>", "fetched_at": "2023-11-10T21:30:00Z"},
        {"url": "https://a.example/2", "text": "already extracted", "title": "T", "fetched_at": 1699651800},
        {"url": "https://a.example/3", "html": "<p>three</p>"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    pages = list(read_paths([path]))
    assert [p.url for p in pages] == ["https://a.example/1", "https://a.example/2", "https://a.example/3"]
    assert pages[0].html == "<p>one</p>" and pages[0].text is None
    assert pages[0].fetched_at == datetime(2023, 11, 10, 21, 30, tzinfo=timezone.utc)
    assert pages[1].text == "already extracted" and pages[1].html is None and pages[1].title == "T"
    assert pages[1].fetched_at == datetime(2023, 11, 10, 21, 30, tzinfo=timezone.utc)
    assert pages[2].fetched_at is None
    assert [p.record for p in pages] == ["line 1", "line 2", "line 3"]


def test_broken_jsonl_lines_are_reported_and_reading_goes_on(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join([
            '{"url": "https://a.example/ok", "html": "<p>fine</p>"}',
            '{"url": "https://a.example/cut", "html": "<p>no end',
            '["a", "list"]',
            '{"url": 42, "html": "<p>x</p>"}',
            '{"url": "https://a.example/none"}',
            '{"url": "https://a.example/t", "html": "<p>x</p>", "fetched_at": "yesterday"}',
            '{"text": "text without url"}',
            '{"url": "https://a.example/p", "text": "x", "published_at": "last week"}',
            '{"url": "https://a.example/ok2", "html": "<p>fine too</p>", "published_at": "2023-11-12T06:00:00+02:00"}',
        ])
    )
    items = list(read_paths([path]))
    assert [type(i).__name__ for i in items] == ["Page"] + ["ReadError"] * 7 + ["Page"]
    assert items[-1].published_at.isoformat() == "2023-11-12T04:00:00+00:00"
    reasons = [i.reason for i in items if isinstance(i, ReadError)]
    assert reasons[0].startswith("not valid JSON")
    assert "expected a JSON object" in reasons[1]
    assert "'url' must be a string" in reasons[2]
    assert "neither 'html' nor 'text'" in reasons[3]
    assert "bad 'fetched_at'" in reasons[4]
    assert "needs a 'url'" in reasons[5]
    assert "bad 'published_at'" in reasons[6]
    assert all("\n" not in r for r in reasons)


def test_truncated_gzip_files_are_reported(tmp_path):
    data = gzip.compress(HTML * 200)
    (tmp_path / "cut.html.gz").write_bytes(data[: len(data) // 2])
    lines = "".join(json.dumps({"url": f"https://a.example/{i}", "html": "<p>x</p>"}) + "\n" for i in range(2000))
    jz = gzip.compress(lines.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(jz[: len(jz) // 2])
    items = list(read_paths([tmp_path]))
    errors = [i for i in items if isinstance(i, ReadError)]
    pages = [i for i in items if isinstance(i, Page)]
    assert {e.source.rsplit("/", 1)[1] for e in errors} == {"cut.html.gz", "cut.jsonl.gz"}
    assert pages and all(p.source.endswith("cut.jsonl.gz") for p in pages)  # the good lines before the cut


def test_several_paths_in_order_and_missing_path_is_a_user_error(tmp_path):
    (tmp_path / "a.html").write_bytes(HTML)
    (tmp_path / "b.jsonl").write_text(json.dumps({"url": "https://b.example/", "html": "<p>b</p>"}) + "\n")
    items = list(read_paths([tmp_path / "b.jsonl", tmp_path / "a.html"]))
    assert [i.source.rsplit("/", 1)[1] for i in items] == ["b.jsonl", "a.html"]
    with pytest.raises(InputError, match="no such file"):
        list(read_paths([tmp_path / "a.html", tmp_path / "missing"]))


def test_readers_stream_lazily(tmp_path):
    for i in range(5):
        (tmp_path / f"{i}.html").write_bytes(HTML)
    stream = read_paths([tmp_path])
    first = next(stream)
    assert isinstance(first, Page)
    (tmp_path / "4.html").unlink()  # listed but not yet read: it vanishes mid-scan
    rest = list(stream)
    assert [type(i).__name__ for i in rest] == ["Page", "Page", "Page", "ReadError"]
    assert rest[-1].reason.startswith("cannot read file")


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2023-11-10T21:30:00Z", datetime(2023, 11, 10, 21, 30, tzinfo=timezone.utc)),
        ("2023-11-10T23:30:00+02:00", datetime(2023, 11, 10, 21, 30, tzinfo=timezone.utc)),
        ("2023-11-10", datetime(2023, 11, 10, tzinfo=timezone.utc)),
        (0, datetime(1970, 1, 1, tzinfo=timezone.utc)),
        (None, None),
    ],
)
def test_parse_timestamp(value, expected):
    assert parse_timestamp(value) == expected
