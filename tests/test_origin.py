"""Origin attribution: evidence on real page chrome, precedence, external origins, incremental updates."""

from __future__ import annotations

import json
import shutil
from datetime import datetime

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_CORPUS, write_jsonl
from syndicate import scan
from syndicate.cli import cli
from syndicate.match.origin import Member, attribute, url_key

CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
CNN_FILE = "cnn.com/hostage-deal-negotiations.html"
AGGREGATOR_FILE = "worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause.html"
AGGREGATOR = ("https://worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause-between-"
              "israel-and-hamas-in-exchange-for-freeing-large-group/")
SOURCE_LINK = f'<p class="source-link"><a href="{CNN}" target="_blank" rel="noopener">Read the full article here</a></p>'


def corpus_without(tmp_path, *left_out: str):
    """A copy of sample_corpus/ without some files."""
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, folder)
    for name in left_out:
        (folder / name).unlink()
    return folder


def origin_rows(db) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT copy_url, origin_doc_id, origin_url, origin_domain, origin_publisher, method, links_back, lag_hours "
            "FROM syndication").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_seed_repost_goes_to_the_cnn_page_when_it_is_crawled(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    rows = origin_rows(db)
    origin_doc, url, domain, publisher, method, links_back, lag = rows[AGGREGATOR]
    assert (url, domain, publisher, method, links_back) == (CNN, "cnn.com", "CNN", "link", True)
    assert origin_doc is not None
    assert lag == pytest.approx(32.08, abs=0.01)  # published 2023-11-11 08:05 minus the origin's 2023-11-10
    with duckdb.connect(str(db), read_only=True) as con:
        (evidence, confidence), = con.execute(
            "SELECT evidence, confidence FROM origins WHERE origin_url = ?", [CNN]).fetchall()
    assert evidence == "linked as source by 3 pages" and confidence == 0.95


def test_seed_repost_goes_to_the_linked_cnn_url_when_cnn_was_not_crawled(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([corpus_without(tmp_path, CNN_FILE)], db, workers=1)
    origin_doc, url, domain, publisher, method, links_back, _ = origin_rows(db)[AGGREGATOR]
    assert (origin_doc, url, domain, publisher, method, links_back) == (None, CNN, "cnn.com", "CNN", "link", True)


def test_seed_repost_alone_without_link_is_credited_to_cnn(tmp_path):
    html = (SAMPLE_CORPUS / AGGREGATOR_FILE).read_text(encoding="utf-8")
    assert SOURCE_LINK in html
    (tmp_path / "repost.html").write_text(html.replace(SOURCE_LINK, ""), encoding="utf-8")
    db = tmp_path / "s.duckdb"
    scan([tmp_path / "repost.html"], db, workers=1)
    origin_doc, url, domain, publisher, method, links_back, _ = origin_rows(db)[AGGREGATOR]
    assert (origin_doc, url, domain, publisher, method) == (None, None, "cnn.com", "CNN", "publisher")
    result = CliRunner().invoke(cli, ["origin", AGGREGATOR, "--db", str(db)])
    assert "origin:     (no URL) (cnn.com, CNN) [not crawled]" in result.stdout
    assert "credited as CNN by 1 page" in result.stdout


def test_external_origin_becomes_the_crawled_page_on_a_later_scan(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([corpus_without(tmp_path, CNN_FILE)], db, workers=1)
    assert origin_rows(db)[AGGREGATOR][0] is None
    scan([SAMPLE_CORPUS / CNN_FILE], db, workers=1)
    rows = origin_rows(db)
    with duckdb.connect(str(db), read_only=True) as con:
        (cnn_doc,), = con.execute("SELECT doc_id FROM documents WHERE url = ?", [CNN]).fetchall()
        origins = con.execute("SELECT count(*) FROM origins WHERE origin_url = ?", [CNN]).fetchall()[0][0]
    assert rows[AGGREGATOR][:3] == (cnn_doc, CNN, "cnn.com")
    assert origins == 1  # the reposts' cluster now includes the CNN page and has one origin


def test_a_link_beats_an_earlier_date(tmp_path, english_bodies):
    url, paras = english_bodies[0]
    early_copy = "https://early.example/copied-story"
    pages = [
        {"url": url, "fetched_at": "2023-11-12T00:00:00Z",
         "html": f"<html><head><meta property='article:published_time' content='2023-11-10T12:00:00Z'></head>"
                 f"<body><article><h1>Story</h1>{''.join(f'<p>{p}</p>' for p in paras)}</article></body></html>"},
        {"url": early_copy, "fetched_at": "2023-11-12T00:00:00Z",
         "html": f"<html><head><meta property='article:published_time' content='2023-11-09T08:00:00Z'></head>"
                 f"<body><article><h1>Story</h1>{''.join(f'<p>{p}</p>' for p in paras)}"
                 f"<p>Source: <a href='{url}'>the original</a></p></article></body></html>"},
    ]
    db = tmp_path / "s.duckdb"
    scan([write_jsonl(tmp_path / "c.jsonl", pages)], db, workers=1)
    origin_doc, origin_url, _, _, method, links_back, lag = origin_rows(db)[early_copy]
    assert (origin_url, method, links_back) == (url, "link", True)
    assert lag == pytest.approx(-28.0)  # the copy claims to be older; the link says otherwise


def member(doc_id, url, published=None, fetched=None, pointers=(), credited=(), shingles=100, sitename=None):
    from syndicate.extract.article import domain_of

    return Member(doc_id, url, domain_of(url), sitename, published, fetched, shingles, list(pointers), list(credited))


def test_precedence_publisher_then_date_then_containment_then_fetch():
    d = datetime
    reuters = member(1, "https://www.reuters.com/a", published=d(2023, 1, 2, 9))
    copy = member(2, "https://copy.example/a", published=d(2023, 1, 1, 9), credited=["Reuters"])
    found = attribute(1, [reuters, copy], {})
    assert (found.origin_doc_id, found.method) == (1, "publisher")  # credit beats the copy's earlier date

    a = member(1, "https://a.example/x", published=d(2023, 1, 2, 9))
    b = member(2, "https://b.example/x", published=d(2023, 1, 1, 9))
    assert attribute(1, [a, b], {}).origin_doc_id == 2  # earliest date

    bare = member(1, "https://a.example/x", published=d(2023, 1, 1))
    precise = member(2, "https://b.example/x", published=d(2023, 1, 1, 15, 30))
    assert attribute(1, [bare, precise], {}).origin_doc_id == 2  # a bare date does not win its day

    whole = member(1, "https://a.example/x", fetched=d(2023, 1, 3))
    part = member(2, "https://b.example/x", fetched=d(2023, 1, 1))
    whole.contains.add(2)
    found = attribute(1, [whole, part], {})
    assert (found.origin_doc_id, found.method) == (1, "containment")

    first = member(1, "https://a.example/x", fetched=d(2023, 1, 3))
    second = member(2, "https://b.example/x", fetched=d(2023, 1, 1))
    assert attribute(1, [first, second], {}).method == "fetch_time"
    assert attribute(1, [first, second], {}).origin_doc_id == 2


def test_outside_url_pointed_to_by_members_and_publisher_only_when_all_agree():
    r1 = member(1, "https://a.example/x", pointers=[("link", "https://www.cnn.com/story")])
    r2 = member(2, "https://b.example/x", pointers=[("canonical", "https://cnn.com/story/")])
    found = attribute(1, [r1, r2], {})
    assert (found.origin_doc_id, found.origin_url, found.confidence) == (None, "https://www.cnn.com/story", 0.9)
    assert found.evidence == "linked as source by 1 page; canonical of 1 page; not crawled"
    stored = {url_key("https://www.cnn.com/story"): (42, "https://www.cnn.com/story", "CNN")}
    assert attribute(1, [r1, r2], stored).origin_doc_id == 42
    # one page naming an outside publisher does not outvote a crawled member's date
    credited = member(1, "https://a.example/x", published=datetime(2023, 1, 2), credited=["SyndiGate"])
    plain = member(2, "https://b.example/x", published=datetime(2023, 1, 1))
    assert attribute(1, [credited, plain], {}).origin_doc_id == 2
    # a page alone with no outside evidence has no origin
    assert attribute(1, [plain], {}) is None


def test_origin_top_and_copies_commands(tmp_path):
    db = tmp_path / "s.duckdb"
    scan([SAMPLE_CORPUS], db, workers=1)
    runner = CliRunner()
    out = runner.invoke(cli, ["origin", AGGREGATOR, "--db", str(db)]).stdout
    assert out.splitlines()[0] == f"origin:     {CNN} (cnn.com, CNN) [crawled]"
    assert "confidence: 0.95 (link)" in out and "5 stored pages carry" in out
    data = json.loads(runner.invoke(cli, ["origin", CNN, "--db", str(db), "--format", "json"]).stdout)
    assert data["page_is_origin"] and data["origin_url"] == CNN
    top = json.loads(runner.invoke(cli, ["top", "--db", str(db), "--format", "json"]).stdout.split("\n]\n")[0] + "]")
    assert top[0] == {"origin": "cnn.com", "articles": 1, "copies": 4}
    table = runner.invoke(cli, ["top", "--db", str(db)]).stdout
    assert "Most copied origins" in table and "Most active reposters" in table
    assert "worldnewsroundup.com  4" in table
    copies = json.loads(runner.invoke(cli, ["copies", AGGREGATOR, "--db", str(db), "--format", "json"]).stdout)
    assert [c["url"] for c in copies if c["origin"] == "origin"] == [CNN]
