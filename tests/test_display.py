"""Crawled text reaches the user escaped: control characters and text-hiding Unicode made visible."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from syndicate import scan
from syndicate.cli import cli
from syndicate.views.display import html_text, printable

ROOT_TITLE = "<script>alert(1)</script>\" onmouseover=\"x' \x1b]0;pwned\x07 \x1b[2J Hostage talks"
EVIL_URL = "https://evil.example/a\u202egpj.exe\x1b[31m?q=<b>\"'"


@pytest.mark.parametrize("raw,shown", [
    ("\x1b[2J", "\\x1b[2J"),
    ("a\u202eb", "a\\u202eb"),
    ("zero\u200bwidth", "zero\\u200bwidth"),
    ("bell\x07", "bell\\x07"),
    ("csi\x9b", "csi\\x9b"),
    ("tab\there", "tab here"),
    ("line\nbreak", "line break"),
    ("naïve café 日本", "naïve café 日本"),
])
def test_printable_shows_controls_as_escapes(raw, shown):
    assert printable(raw) == shown


def test_html_text_escapes_markup_and_quotes():
    out = html_text(ROOT_TITLE)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert "&lt;script&gt;" in out and "&quot;" in out and "&#x27;" in out and "\\x1b" in out


@pytest.fixture(scope="module")
def db(tmp_path_factory, request):
    """A syndicated pair whose titles and URLs are hostile."""
    from conftest import load_truth

    body = next(p["articleBody"] for p in load_truth().values() if "cnn.com" in p["url"])
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip())
    # a hostile paragraph in the body: markup that survives extraction as text, and raw control characters
    paragraphs += "<p>Readers wrote &lt;script&gt;alert(1)&lt;/script&gt; and \" onload=\"x in the comments \x1b[2J\u202e here.</p>"
    root = tmp_path_factory.mktemp("display")
    records = [
        {"url": "https://origin.example/story", "title": "x",
         "html": f"<html><head><title>{ROOT_TITLE}</title></head><body><article><h1>Hostage talks</h1>"
                 f"{paragraphs}</article></body></html>", "fetched_at": "2024-01-01T00:00:00Z"},
        {"url": EVIL_URL, "title": "y",
         "html": f"<html><head><title>{ROOT_TITLE}</title></head><body><article>{paragraphs}"
                 f"<p>Read more at <a href='https://origin.example/story'>the original</a></p></article></body></html>",
         "fetched_at": "2024-01-02T00:00:00Z"},
    ]
    (root / "crawl.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    summary = scan([root / "crawl.jsonl"], root / "d.duckdb", workers=1)
    assert summary.new_matches == 1
    return root / "d.duckdb"


@pytest.mark.parametrize("args,shows_hostile", [
    (["copies", "https://origin.example/story"], True),
    (["origin", EVIL_URL], False),
    (["sql", "SELECT title, url FROM documents"], True),
    (["sql", "SELECT copy_url, copy_title, origin_url FROM syndication"], True),
    (["sql", "SELECT substr(text, strpos(text, 'Readers wrote')) FROM documents WHERE text LIKE '%Readers%'"], False),
])
def test_cli_output_never_carries_raw_control_characters(db, args, shows_hostile):
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    if shows_hostile:  # shown, not hidden
        assert "\\x1b" in out or "\\u202e" in out


def test_hostile_body_is_stored_as_text_and_printed_escaped(db):
    result = CliRunner().invoke(cli, ["sql", "SELECT text FROM documents WHERE text LIKE '%Readers wrote%'",
                                      "--db", str(db), "--format", "json"])
    texts = [r["text"] for r in json.loads(result.output)]
    assert texts and all("<script>alert(1)</script>" in t for t in texts)  # stored as the page's text, not markup
    assert not any(c in t for t in texts for c in "\x1b\u202e")  # extraction keeps no control characters
    table = CliRunner().invoke(cli, ["sql", "SELECT substr(text, strpos(text, 'Readers wrote')) AS t FROM documents "
                                     "WHERE text LIKE '%Readers wrote%'", "--db", str(db)]).output
    assert "<script>alert(1)</script>" in table  # a terminal shows markup as the text it is
    assert "\x1b" not in table and "\u202e" not in table


def test_json_output_carries_the_exact_values(db):
    result = CliRunner().invoke(cli, ["sql", "SELECT url FROM documents ORDER BY doc_id", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0
    assert [r["url"] for r in json.loads(result.output)] == ["https://origin.example/story", EVIL_URL]
    assert "\x1b" not in result.output  # JSON escapes it as \\u001b
