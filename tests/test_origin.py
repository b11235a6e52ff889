"""Origin attribution: evidence on real page chrome, precedence, external origins, incremental updates."""

from __future__ import annotations

import gzip
import html as html_lib
import json
import shutil
from datetime import datetime

import duckdb
import pytest
from click.testing import CliRunner

from conftest import DATA, SAMPLE_CORPUS, write_jsonl
from syndicate import scan
from syndicate.cli import cli
from syndicate.match.origin import (Member, Reputation, SiteRecord, attribute, load_members, site_reputation, url_date,
                                    url_key)
from syndicate.store.database import Store

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
    # published 2023-11-11 08:05 minus the origin's datePublished, 2023-11-10 21:30 (precise mode takes the bare day of
    # its URL, 2023-11-10, as htmldate does: 32.08 hours)
    assert lag == pytest.approx(10.58, abs=0.01)
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
    top = json.loads(runner.invoke(cli, ["top", "--db", str(db), "--format", "json"]).stdout)["origins"]
    assert top[0] == {"origin": "cnn.com", "articles": 1, "copies": 4}
    table = runner.invoke(cli, ["top", "--db", str(db)]).stdout
    assert "Most copied origins" in table and "Most active reposters" in table
    assert "worldnewsroundup.com  4" in table
    copies = json.loads(runner.invoke(cli, ["copies", AGGREGATOR, "--db", str(db), "--format", "json"]).stdout)
    assert [c["url"] for c in copies if c["is_origin"]] == [CNN]


# --- wire copy, reposting sites and dates that lie ------------------------------------------------------

BODIES = json.loads(gzip.decompress((DATA / "origins" / "benchmark-bodies.json.gz").read_bytes()))
HITLER_FILE = "worldnewsroundup.com/house-where-hitler-was-born-will-become-a-police-station.html"
HITLER_SLUG = "house-where-hitler-was-born-will-become-a-police-station-austria-says"
DECCAN_FILE = "deccanherald.com/impeachment-sham-completely-debunked-white-house.html"
DECCAN = "https://www.deccanherald.com/international/impeachment-sham-completely-debunked-white-house-777897.html"


def real_body(prefix: str) -> tuple[str, list[str]]:
    """(url, paragraphs) of a real article body of the extraction benchmark (tests/data/origins)."""
    (key,) = [k for k in BODIES if k.startswith(prefix)]
    return BODIES[key]["url"], [p.strip() for p in BODIES[key]["articleBody"].split("\n") if p.strip()]


def article_html(paras: list[str], published: str | None = None, publisher: str | None = None) -> str:
    head = f"<meta property='article:published_time' content='{published}'>" if published else ""
    if publisher:  # as the JSON-LD of a member paper's AP story names it (sfgate.com: "Associated Press")
        head += ('<script type="application/ld+json">' + json.dumps(
            {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Story",
             "publisher": {"@type": "NewsMediaOrganization", "name": publisher}}) + "</script>")
    body = "".join(f"<p>{html_lib.escape(p)}</p>" for p in paras)
    return f"<html><head><title>Story</title>{head}</head><body><article><h1>Story</h1>{body}</article></body></html>"


def scan_pages(tmp_path, pages: list[dict]):
    db = tmp_path / "s.duckdb"
    scan([write_jsonl(tmp_path / "c.jsonl", pages)], db, workers=1)
    return db


def cluster_origin(db, url: str) -> tuple:
    """(origin_doc_id, origin_url, origin_domain, publisher, confidence, method, evidence) of the page's cluster."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT o.origin_doc_id, o.origin_url, o.origin_domain, o.publisher, o.confidence, o.method, o.evidence "
            "FROM documents d JOIN clusters c USING (doc_id) JOIN origins o USING (cluster_id) WHERE d.url = ?",
            [url]).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def doc_id_of(db, url: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT doc_id FROM documents WHERE url = ?", [url]).fetchall()[0][0]


def test_press_release_copies_go_to_business_wire_not_to_the_earliest_copy(tmp_path):
    _, paras = real_body("c69e539d689a")  # a real Ascom press release: "BAAR, SWITZERLAND", then the release
    assert paras[0] == "BAAR, SWITZERLAND"
    release = ["BAAR, Switzerland--(BUSINESS WIRE)--" + paras[1], *paras[2:]]  # as Business Wire sends it out
    copies = {  # the copy on reuters.com carries the earliest date
        "https://www.reuters.com/article/brief-ascom-draeger-clinical-alarm-management-idUSFWN27Z0K1": "2019-11-19T06:05:00Z",
        "https://www.streetinsider.com/Business_Wire/Ascom_and_Draeger_introduce_clinical_alarm_management/16129931.html":
            "2019-11-19T07:00:00Z",
        "https://finance.yahoo.com/news/ascom-draeger-introduce-integrated-clinical-070000512.html": "2019-11-19T07:00:00Z",
    }
    db = scan_pages(tmp_path, [{"url": u, "fetched_at": "2019-11-20T00:00:00Z", "html": article_html(release, p)}
                               for u, p in copies.items()])
    for url in copies:
        assert cluster_origin(db, url) == (
            None, None, "businesswire.com", "Business Wire", 0.7, "publisher",
            'dateline "BAAR, Switzerland--(BUSINESS WIRE)--" (Business Wire) on 3 of 3 pages; businesswire.com not crawled')


def test_ap_story_goes_to_ap_when_a_copy_dropped_the_dateline_and_another_claims_an_earlier_date(tmp_path):
    sfgate, paras = real_body("aec5deeaada8")  # real AP copy on sfgate.com: "WASHINGTON (AP) — New uncertainty ..."
    assert paras[0].startswith("WASHINGTON (AP) — ")
    komo = "https://komonews.com/news/nation-world/7-key-questions-heading-into-the-2020-democratic-debate"
    chron = "https://www.chron.com/news/politics/article/7-key-questions-heading-into-Wednesday-s-14848177.php"
    pages = [
        {"url": sfgate, "fetched_at": "2019-11-21T00:00:00Z", "html": article_html(paras, "2019-11-20T11:15:49Z")},
        {"url": komo, "fetched_at": "2019-11-21T00:00:00Z", "html": article_html(paras, "2019-11-20T06:00:00Z")},
        {"url": chron, "fetched_at": "2019-11-21T00:00:00Z",
         "html": article_html([paras[0].removeprefix("WASHINGTON (AP) — "), *paras[1:]], "2019-11-20T12:00:00Z")},
    ]
    db = scan_pages(tmp_path, pages)
    assert cluster_origin(db, komo) == (
        None, None, "apnews.com", "The Associated Press", 0.6, "publisher",
        'dateline "WASHINGTON (AP) —" (The Associated Press) on 2 of 3 pages; apnews.com not crawled')
    assert origin_rows(db)[komo][2:5] == ("apnews.com", "The Associated Press", "publisher")


def test_the_agencys_own_page_is_the_origin_when_it_is_stored(tmp_path):
    hosted, paras = real_body("82b6d780c792")  # real AP story on hosted.ap.org: "WASHINGTON (AP) — Ambassador ..."
    sfgate = "https://www.sfgate.com/news/article/Unpredictable-Sondland-set-to-testify-14849010.php"
    komo = "https://komonews.com/news/nation-world/unpredictable-sondland-set-to-testify-in-impeachment-probe"
    pages = [
        {"url": hosted, "fetched_at": "2019-11-21T00:00:00Z", "html": article_html(paras, "2019-11-20T14:30:00Z")},
        # the earliest date, on a member paper whose JSON-LD names AP as the publisher
        {"url": sfgate, "fetched_at": "2019-11-21T00:00:00Z",
         "html": article_html(paras, "2019-11-20T09:00:00Z", publisher="The Associated Press")},
        {"url": komo, "fetched_at": "2019-11-21T00:00:00Z", "html": article_html(paras, "2019-11-20T10:00:00Z")},
    ]
    db = scan_pages(tmp_path, pages)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT sitename FROM documents WHERE url = ?", [sfgate]).fetchall() == [("The Associated Press",)]
    assert cluster_origin(db, komo) == (
        doc_id_of(db, hosted), hosted, "hosted.ap.org", "The Associated Press", 0.75, "publisher",
        'dateline "WASHINGTON (AP) —" (The Associated Press) on 2 of 3 pages; hosted.ap.org is its site')


def aggregator_post(paras: list[str], slug: str, published: str, source: str | None = None) -> str:
    """A post on the sample corpus's aggregator template (worldnewsroundup.com) carrying ``paras``, with its
    "Read the full article here" link to ``source`` (none: no source link)."""
    html = (SAMPLE_CORPUS / HITLER_FILE).read_text(encoding="utf-8")
    start = html.index('<div class="entry-content">') + len('<div class="entry-content">')
    end = html.index("</div>", start)
    link = (f'<p class="source-link"><a href="{source}" target="_blank" rel="noopener">Read the full article here</a></p>\n'
            if source else "")
    html = html[:start] + "\n" + "".join(f"<p>{html_lib.escape(p)}</p>\n" for p in paras) + link + html[end:]
    return html.replace(HITLER_SLUG, slug).replace("2023-11-10T16:20:00+00:00", published)


def test_a_reposting_site_with_an_older_date_is_not_the_origin(tmp_path, truth):
    (paras,) = [[p for p in item["articleBody"].split("\n") if p.strip()]
                for item in truth.values() if item["url"] == DECCAN]
    repost_url = "https://worldnewsroundup.com/impeachment-sham-completely-debunked-white-house/"
    repost = tmp_path / "repost.html"
    repost.write_text(aggregator_post(paras, "impeachment-sham-completely-debunked-white-house",
                                      "2019-11-19T22:00:00+00:00"), encoding="utf-8")  # before the original's 2019-11-20 04:48
    # the aggregator's four posts in sample_corpus/ and two more, each linking to its source
    posts = tmp_path / "posts"
    posts.mkdir()
    for prefix in ("686bb170effe", "785affa2c34e"):  # space.com and theverge.com articles (benchmark bodies)
        source, body = real_body(prefix)
        slug = source.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        (posts / f"{slug}.html").write_text(aggregator_post(body, slug, "2023-11-11T09:00:00+00:00", source),
                                            encoding="utf-8")
    db = tmp_path / "s.duckdb"
    scan([SAMPLE_CORPUS, posts, repost], db, workers=1)
    origin_doc, url, domain, _, confidence, method, evidence = cluster_origin(db, repost_url)
    assert (origin_doc, url, domain, method, confidence) == (doc_id_of(db, DECCAN), DECCAN, "deccanherald.com",
                                                              "earliest_date", 0.4)
    assert evidence == ("earliest published date; earlier date on worldnewsroundup.com ignored: "
                        "100% of its 6 other stored pages are copies or name another source")
    assert origin_rows(db)[repost_url][1] == DECCAN
    # alone with the original, nothing is known of the site: the older date wins, as before
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(SAMPLE_CORPUS / DECCAN_FILE, alone / "deccan.html")
    shutil.copy(repost, alone / "repost.html")
    db2 = tmp_path / "alone.duckdb"
    scan([alone], db2, workers=1)
    assert cluster_origin(db2, repost_url)[1:] == (repost_url, "worldnewsroundup.com", "World News Roundup", 0.5,
                                                    "earliest_date", "earliest published date")


def test_site_reputation_counts_copies_and_pages_that_point_elsewhere(tmp_path):
    db = tmp_path / "r.duckdb"
    with Store.open(db) as store:
        con = store.con
        docs = [  # doc_id, url, sitename
            (1, "https://reposter.example/a", "Reposter"), (2, "https://reposter.example/b", "Reposter"),
            (3, "https://reposter.example/c", "Reposter"), (4, "https://reposter.example/d", "Reposter"),
            (5, "https://www.apnews.com/article/x", "AP News"), (6, "https://apnews.com/article/y", "AP News"),
            (7, "https://news.example/one", "News Example"), (8, "https://origin.example/story", "Origin"),
            (9, "https://www.texastribune.org/2019/11/20/x/", "The Texas Tribune"),
        ]
        for doc_id, url, sitename in docs:
            domain = url.split("/")[2].removeprefix("www.")
            con.execute("INSERT INTO documents (doc_id, url, domain, site, sitename) VALUES (?, ?, ?, ?, ?)",
                        [doc_id, url, domain, ".".join(domain.split(".")[-2:]), sitename])
        con.executemany("INSERT INTO evidence (doc_id, kind, url, publisher, text) VALUES (?, ?, ?, ?, ?)", [
            (1, "link", "https://origin.example/other", None, "Read the full article here"),
            (2, "credit", None, "The Associated Press", "WASHINGTON (AP) —"),  # wire copy: credits another publisher
            (5, "credit", None, "The Associated Press", "WASHINGTON (AP) —"),  # AP's own dateline on apnews.com
            (9, "credit", None, "The Texas Tribune", "This story was originally published by The Texas Tribune"),
        ])
        # 3 is a copy in a cluster whose origin is origin.example; 7 is the origin of its own cluster
        con.executemany("INSERT INTO clusters (doc_id, cluster_id) VALUES (?, ?)", [(3, 8), (8, 8), (7, 7), (4, 7)])
        con.executemany("INSERT INTO origins (cluster_id, origin_doc_id, origin_url, origin_domain, publisher, confidence,"
                        " method, evidence) VALUES (?, ?, ?, ?, ?, 0.5, 'earliest_date', '')",
                        [(8, 8, "https://origin.example/story", "origin.example", "Origin"),
                         (7, 7, "https://news.example/one", "news.example", "News Example")])
        members = load_members(con, range(1, 10)).values()
        reputation = site_reputation(con, members)
    assert reputation.records["reposter.example"].pages == 4
    assert reputation.records["reposter.example"].reposts == 4  # 1 links, 2 credits AP, 3 and 4 are copies
    assert (reputation.records["apnews.com"].pages, reputation.records["apnews.com"].reposts) == (2, 0)
    assert (reputation.records["texastribune.org"].reposts, reputation.records["news.example"].reposts) == (0, 0)
    assert reputation.records["origin.example"].reposts == 0
    # the cluster's own pages are left out: a site is judged on its other pages, five at least
    cluster = [m for m in members if m.doc_id in (4, 7)]
    four = next(m for m in cluster if m.doc_id == 4)
    assert reputation.others(four, cluster) == (3, 3)
    assert reputation.reposter(four, cluster) is None and reputation.of_originals(four, cluster)  # too few to judge
    judged = Reputation({"reposter.example": SiteRecord(6, 6, frozenset({4}))})
    assert judged.reposter(four, cluster) == (5, 5) and not judged.of_originals(four, cluster)


def test_dates_that_lie_are_not_trusted():
    d = datetime
    # a copy whose published date contradicts the date in its own URL
    original = member(1, "https://www.cnn.com/2023/11/10/politics/story/index.html", published=d(2023, 11, 10, 15))
    copy = member(2, "https://copy.example/2023/11/12/story", published=d(2023, 11, 9, 8))
    found = attribute(1, [original, copy], {})
    assert (found.origin_doc_id, found.method, found.confidence) == (1, "earliest_date", 0.4)
    assert found.evidence == ("earliest published date; "
                              "published date 2023-11-09 on copy.example contradicts its URL's 2023-11-12")
    # a date months before every other member's, which its URL does not confirm
    pages = [member(1, "https://a.example/x", published=d(2023, 11, 10, 15)),
             member(2, "https://b.example/x", published=d(2023, 11, 11, 9)),
             member(3, "https://c.example/x", published=d(2023, 11, 10, 20)),
             member(4, "https://d.example/x", published=d(2023, 6, 1, 8))]
    found = attribute(1, pages, {})
    assert (found.origin_doc_id, found.confidence) == (1, 0.4)
    assert "published date 2023-06-01 on d.example precedes the other 3 pages' by 162 days" in found.evidence
    # ... unless its URL confirms it: an old original reposted years later
    pages[3] = member(4, "https://d.example/2023/06/01/x", published=d(2023, 6, 1, 8))
    assert (attribute(1, pages, {}).origin_doc_id, attribute(1, pages, {}).confidence) == (4, 0.5)
    # a date after the page was fetched gives way to the fetch time
    late = member(1, "https://a.example/x", published=d(2023, 12, 1, 9), fetched=d(2023, 11, 10, 6))
    other = member(2, "https://b.example/x", published=d(2023, 11, 11, 9), fetched=d(2023, 11, 12))
    found = attribute(1, [late, other], {})
    assert found.origin_doc_id == 1 and found.evidence == (
        "earliest date (its fetch time); published date 2023-12-01 on a.example is after it was fetched; "
        "dated by its fetch (2023-11-10)")
    # a page without a published date is dated by its URL
    dated_by_url = member(1, "https://a.example/2023/11/09/x")
    assert attribute(1, [dated_by_url, other], {}).evidence == "earliest date (from its URL)"


def test_url_dates():
    assert url_date("https://www.cnn.com/2023/11/10/politics/x/index.html") == (datetime(2023, 11, 10).date(), True)
    assert url_date("https://www.latimes.com/business/story/2019-11-19/x") == (datetime(2019, 11, 19).date(), True)
    assert url_date("https://www.politifact.com/west-virginia/statements/2019/nov/18/x/") == (datetime(2019, 11, 18).date(), True)
    assert url_date("https://example.com/news/20231110-story") == (datetime(2023, 11, 10).date(), True)
    assert url_date("https://dealbreaker.com/2019/11/opening-bell-11-18") == (datetime(2019, 11, 1).date(), False)
    assert url_date("https://www.usatoday.com/story/news/4236383002/") is None
    assert url_date("https://2023.example.com/20231345/") is None  # not a date; hosts are not read


def test_most_pages_naming_one_publisher_and_the_members_of_a_known_publisher():
    d = datetime
    pages = [member(1, "https://a.example/x", published=d(2023, 1, 2), credited=["Bloomberg"]),
             member(2, "https://b.example/x", published=d(2023, 1, 3), credited=["Bloomberg"]),
             member(3, "https://c.example/x", published=d(2023, 1, 1))]
    found = attribute(1, pages, {})
    assert (found.origin_domain, found.publisher, found.confidence, found.evidence) == (
        "bloomberg.com", "Bloomberg", 0.6, "credited as Bloomberg by 2 pages of 3; bloomberg.com not crawled")
    # a member paper whose site name reads like the agency's is not the agency's page; its home site is
    assert not member(1, "https://www.sfgate.com/x", sitename="The Associated Press").is_publisher("The Associated Press")
    assert member(1, "https://hosted.ap.org/berkshireeagle/x").is_publisher("AP")
    assert member(1, "https://uk.reuters.com/x").is_publisher("Reuters")
    # a publisher without known sites is its site name's
    assert member(1, "https://www.texastribune.org/x", sitename="The Texas Tribune").is_publisher("The Texas Tribune")
    # a page crediting another publisher is set aside while a page that credits nobody remains
    copy = member(1, "https://a.example/x", published=d(2023, 1, 1, 9), credited=["SyndiGate"])
    plain = member(2, "https://b.example/x", published=d(2023, 1, 2, 9))
    found = attribute(1, [copy, plain], {})
    assert (found.origin_doc_id, found.evidence) == (
        2, "earliest published date; earlier date on a.example ignored: a.example credits SyndiGate")


def test_reputation_sets_a_reposter_aside_only_while_a_page_of_another_site_remains():
    d = datetime
    original = member(1, "https://origin.example/x", published=d(2023, 1, 2, 9))
    repost = member(2, "https://reposter.example/x", published=d(2023, 1, 1, 9))
    reputation = Reputation({"reposter.example": SiteRecord(26, 24, frozenset({2})),
                             "origin.example": SiteRecord(40, 2, frozenset())})
    found = attribute(1, [original, repost], {}, reputation)
    assert (found.origin_doc_id, found.confidence) == (1, 0.4)
    assert found.evidence == ("earliest published date; earlier date on reposter.example ignored: "
                              "92% of its 25 other stored pages are copies or name another source")
    assert attribute(1, [original, repost], {}).origin_doc_id == 2  # without reputation, the older date
    other_repost = member(1, "https://reposter.example/y", published=d(2023, 1, 2, 9))
    assert attribute(1, [other_repost, repost], {}, reputation).origin_doc_id == 2  # both on the reposter
    # a site that reposts more than it writes is no site of originals: it does not set the reposter aside
    halfway = Reputation({"reposter.example": SiteRecord(26, 24, frozenset({2})),
                          "origin.example": SiteRecord(11, 6, frozenset())})
    assert attribute(1, [original, repost], {}, halfway).origin_doc_id == 2
    # a precise time beats a bare date of the same day; set aside, it is said so
    precise_repost = member(2, "https://reposter.example/x", published=d(2023, 1, 2, 6))
    bare_original = member(1, "https://origin.example/x", published=d(2023, 1, 2))
    found = attribute(1, [bare_original, precise_repost], {}, reputation)
    assert found.origin_doc_id == 1 and "earlier date on reposter.example ignored" in found.evidence


def test_the_confidence_of_guesses_stays_low():
    d = datetime
    clear = attribute(1, [member(1, "https://a.example/x", published=d(2023, 1, 1, 9)),
                          member(2, "https://b.example/x", published=d(2023, 1, 1, 12))], {})
    assert (clear.method, clear.confidence) == ("earliest_date", 0.5)  # ahead of every other page by an hour or more
    close = attribute(1, [member(1, "https://a.example/x", published=d(2023, 1, 1, 9)),
                          member(2, "https://b.example/x", published=d(2023, 1, 1, 9, 20))], {})
    undated = attribute(1, [member(1, "https://a.example/x", published=d(2023, 1, 1, 9)),
                            member(2, "https://b.example/x")], {})
    assert (close.confidence, undated.confidence) == (0.4, 0.4)
    whole = member(1, "https://a.example/x", fetched=d(2023, 1, 3))
    whole.contains.add(2)
    contained = attribute(1, [whole, member(2, "https://b.example/x", fetched=d(2023, 1, 1))], {})
    fetched = attribute(1, [member(1, "https://a.example/x", fetched=d(2023, 1, 3)),
                            member(2, "https://b.example/x", fetched=d(2023, 1, 1))], {})
    assert (contained.method, contained.confidence, fetched.method, fetched.confidence) == (
        "containment", 0.35, "fetch_time", 0.3)
