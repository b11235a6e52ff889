"""Real crawls, end to end: one article at several URLs of its site, walls, and pages of one site that share only chrome.

Real pages from sample_corpus/ and tests/data/ (see their READMEs), scanned
into a real DuckDB file; each test also states what must still match.
"""

from __future__ import annotations

import json

import duckdb

from conftest import DATA, SAMPLE_CORPUS, write_jsonl
from syndicate import Store, scan
from syndicate.views import query

CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
CNN_HTML = (SAMPLE_CORPUS / "cnn.com" / "hostage-deal-negotiations.html").read_text(encoding="utf-8")
# a real copy of the CNN article in deccanherald's chrome ("Source: CNN"), from the sample crawl export
DECCAN = next(json.loads(line) for line in (SAMPLE_CORPUS / "crawl-2023-11-12.jsonl").open(encoding="utf-8")
              if "deccanherald.com" in line.split('"html"')[0])


def rows(db, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_one_article_at_several_urls_of_its_site_is_one_article(tmp_path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    write_jsonl(crawl / "cnn.jsonl", [
        {"url": CNN, "html": CNN_HTML, "fetched_at": "2023-11-10T12:00:00Z"},
        {"url": CNN + "?utm_source=twitter&utm_medium=social#comments", "html": CNN_HTML, "fetched_at": "2023-11-10T13:00:00Z"},
        {"url": CNN.replace("https://www.cnn.com/", "https://amp.cnn.com/cnn/"), "html": CNN_HTML,
         "fetched_at": "2023-11-10T14:00:00Z"},
        {"url": CNN.replace("www.cnn.com", "edition.cnn.com"), "html": CNN_HTML, "fetched_at": "2023-11-10T15:00:00Z"},
        DECCAN,
    ])
    db = tmp_path / "s.duckdb"
    scan([crawl], db, workers=1)
    docs = rows(db, "SELECT url, crawled_url, status FROM documents WHERE site = 'cnn.com' ORDER BY url")
    # the tracking parameters and the fragment are gone: that crawl is the same document, its URL kept as crawled
    assert [d[0] for d in docs] == sorted({CNN, CNN.replace("https://www.cnn.com/", "https://amp.cnn.com/cnn/"),
                                           CNN.replace("www.cnn.com", "edition.cnn.com")})
    crawled = {url: as_crawled for url, as_crawled, _ in docs}
    assert crawled[CNN] == CNN + "?utm_source=twitter&utm_medium=social#comments"  # the later crawl of the URL wins
    assert all(status == "article" for *_, status in docs)  # template lines did not eat the article
    kinds = rows(db, """SELECT m.kind FROM matches m JOIN documents a ON a.doc_id = m.doc_a
                        JOIN documents b ON b.doc_id = m.doc_b WHERE a.site = 'cnn.com' AND b.site = 'cnn.com'""")
    assert sorted(k for (k,) in kinds) == ["alias"] * 3
    # one cluster: the CNN URLs and the deccanherald copy; its origin is CNN's canonical page
    origin = rows(db, "SELECT origin_url FROM origins")
    assert origin == [(CNN,)]
    clusters = rows(db, "SELECT count(DISTINCT cluster_id), count(*) FROM clusters")
    assert clusters == [(1, 4)]
    # the syndication view lists the real copy, not the origin's own other URLs
    copies = rows(db, "SELECT copy_domain, kind FROM syndication ORDER BY 1")
    assert copies == [("deccanherald.com", "duplicate")]
    # asked about by the URL as shared, tracking parameters and all, the stored page answers
    with Store.open(db, read_only=True) as store:
        found = {c.domain for c in query.copies(store, CNN + "?utm_source=twitter#comments")}
    assert "deccanherald.com" in found


def walls() -> dict[str, str]:
    """Real wall texts (tests/data/walls, see its README) by reason."""
    cases = json.loads((DATA / "walls" / "texts.json").read_text(encoding="utf-8"))
    out = {}
    for case in cases:
        reason = case["expect"]["reason"]
        if case["kind"] == "wall" and reason not in out:
            out[reason] = case["text"]
    return out


def test_walls_are_stored_with_their_reason_and_never_matched(tmp_path):
    found = walls()
    assert {"paywall", "consent", "adblock", "registration"} <= set(found)
    records = []
    for reason, text in sorted(found.items()):
        for n, headline in enumerate(("Council approves new budget", "Storm closes schools across the region")):
            records.append({"url": f"https://www.example-gazette.com/{reason}/{n}", "title": f"{headline} ({reason})",
                            "text": text})
    db = tmp_path / "s.duckdb"
    scan([write_jsonl(tmp_path / "walls.jsonl", records)], db, workers=1)
    stored = rows(db, "SELECT url, status, status_reason FROM documents ORDER BY url")
    assert len(stored) == len(records)
    assert all(status == "no_article" for _, status, _ in stored)
    assert {url.split("/")[3]: reason for url, _, reason in stored} == {r: r for r in found}
    assert rows(db, "SELECT count(*) FROM matches") == [(0,)]


def test_same_text_under_different_headlines_on_one_site_is_the_sites_not_an_article(tmp_path):
    """Two pages of one site whose extracted text is the same block of chrome, under different headlines."""
    chrome = next(case["text"] for case in json.loads((DATA / "walls" / "texts.json").read_text(encoding="utf-8"))
                  if case["id"] == "bench-businessinsider")
    records = [
        {"url": "https://www.example-gazette.com/news/1", "title": "Council approves new budget for the harbour", "text": chrome},
        {"url": "https://www.example-gazette.com/news/2", "title": "Storm closes schools across the region", "text": chrome},
        # the same text on another site, same headline: a copy, as before
        {"url": "https://www.example-courier.com/world/9", "title": "Council approves new budget for the harbour",
         "text": chrome},
    ]
    db = tmp_path / "s.duckdb"
    scan([write_jsonl(tmp_path / "c.jsonl", records)], db, workers=1)
    pairs = rows(db, """SELECT a.url, b.url, m.kind FROM matches m JOIN documents a ON a.doc_id = m.doc_a
                        JOIN documents b ON b.doc_id = m.doc_b ORDER BY 1, 2""")
    same_site = [p for p in pairs if "example-gazette" in p[0] and "example-gazette" in p[1]]
    assert same_site == []
    assert len(pairs) == 2 and {kind for *_, kind in pairs} == {"duplicate"}
