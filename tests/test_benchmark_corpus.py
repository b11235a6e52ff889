"""The syndication benchmark generator (benchmarks/corpus.py), on the small real pages of tests/data."""

from __future__ import annotations

import json
import math
import re
import shutil
import sys
from pathlib import Path

import lxml.html
import pytest

from conftest import PAGES, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus as bench  # noqa: E402  (benchmarks/corpus.py)
from transplant import visible_text  # noqa: E402

KINDS = ("full", "truncated", "edited", "canonical")


def _key(text: str) -> str:
    return re.sub(r"[\s\u00ad\u200b-\u200d\u2060\ufeff]+", "", text)


def _records(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "seed1"
    truth = bench.build(PAGES, out, seed=1)
    assert json.loads((out / "truth.json").read_text(encoding="utf-8")) == truth
    records = _records(out)
    return {
        "out": out,
        "truth": truth,
        "records": records,
        "html": {r["url"]: r["html"] for r in records},
        "pages": {p["url"]: p for p in truth["pages"]},
        "clusters": {c["id"]: c for c in truth["clusters"]},
    }


@pytest.fixture(scope="module")
def visible(built):
    cache: dict[str, str] = {}

    def get(url: str) -> str:
        if url not in cache:
            cache[url] = visible_text(built["html"][url])
        return cache[url]

    return get


@pytest.fixture(scope="module")
def paragraphs_by_url(truth):
    return {item["url"]: bench._paragraphs(item["articleBody"]) for item in truth.values()}


def _reposts(built, kind=None):
    return [p for p in built["truth"]["pages"] if p["role"] == "repost" and (kind is None or p["kind"] == kind)]


def _doc(built, url):
    return lxml.html.document_fromstring(built["html"][url])


def test_same_seed_same_files_other_seed_other_files(built, tmp_path):
    bench.build(PAGES, tmp_path / "again", seed=1)
    for name in ("corpus.jsonl", "truth.json"):
        assert (tmp_path / "again" / name).read_bytes() == (built["out"] / name).read_bytes()
    bench.build(PAGES, tmp_path / "other", seed=2)
    assert (tmp_path / "other" / "corpus.jsonl").read_bytes() != (built["out"] / "corpus.jsonl").read_bytes()
    assert (tmp_path / "other" / "truth.json").read_bytes() != (built["out"] / "truth.json").read_bytes()


def test_small_input_scales_down(built):
    truth = built["truth"]
    syndicated = [c for c in truth["clusters"] if c["type"] == "syndicated"]
    assert 3 <= len(syndicated) <= 6
    assert all(1 <= sum(built["pages"][u]["role"] == "repost" for u in c["members"]) <= 2 for c in syndicated)
    assert sum(not c["origin_crawled"] for c in syndicated) >= 1
    assert not any(p["role"] == "short" for p in truth["pages"])  # fewer than 12 pages: no short articles
    assert truth["same_story_groups"] == []  # no known group has 2 members in tests/data
    assert {p["kind"] for p in _reposts(built)} == set(KINDS)


def test_truth_matches_the_corpus(built):
    truth, records = built["truth"], built["records"]
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls))
    assert sorted(urls) == sorted(p["url"] for p in truth["pages"])
    assert set(records[0]) == {"url", "html", "fetched_at"}
    corpus_urls = set(urls)
    seen = []
    for c in truth["clusters"]:
        assert c["members"] and set(c["members"]) <= corpus_urls
        seen += c["members"]
        if c["origin_crawled"]:
            assert c["members"][0] == c["origin_url"]
        else:
            assert c["origin_url"] not in corpus_urls
            assert len(c["members"]) >= 2
    assert sorted(seen) == sorted(urls)  # every page is in exactly one cluster
    for p in truth["pages"]:
        cluster = built["clusters"][p["cluster"]]
        assert p["url"] in cluster["members"]
        assert p["origin_url"] == cluster["origin_url"]
        assert p["body"]
        if p["role"] == "repost":
            assert p["kind"] in KINDS and p["host_url"] in corpus_urls and p["date_mode"] in bench.DATE_MODES
            assert built["pages"][p["host_url"]]["role"] in ("origin", "host")
            assert (p["published"] is None) == (p["date_mode"] == "missing")
        else:
            assert p["kind"] is None
    # the page order is shuffled: origins are not all first
    roles = [built["pages"][u]["role"] for u in urls]
    assert roles.index("repost") < max(i for i, r in enumerate(roles) if r == "origin")
    # fetched after every published date
    fetched = sorted(r["fetched_at"] for r in records)
    assert fetched[0] > max(p["published"] for p in truth["pages"] if p["published"])
    assert len(set(fetched)) == len(fetched)


def test_origins_are_the_real_pages_unmodified(built):
    truth_pages = json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))
    for sha, item in truth_pages.items():
        page = built["pages"].get(item["url"])
        if page is None:  # a not-crawled origin
            continue
        assert page["role"] == "origin"
        html = bench.gzip.decompress((PAGES / f"{sha}.html.gz").read_bytes()).decode("utf-8")
        assert built["html"][item["url"]] == html
        assert page["body"] == "\n".join(bench._paragraphs(item["articleBody"]))


def test_reposts_carry_the_article_not_the_host_article(built, visible, paragraphs_by_url):
    for p in _reposts(built):
        vis = _key(visible(p["url"]))
        host_paras = paragraphs_by_url[p["host_url"]]
        left = [h for h in host_paras if len(h) > 80 and _key(h) in vis]
        assert not left, (p["url"], left[:1])
        assert all(_key(b) in vis for b in p["body"].split("\n")), p["url"]
        assert p["host_url"] != p["origin_url"]
        # the host's chrome is still there: it is the host page with another article
        assert urlnetloc(p["url"]) == urlnetloc(p["host_url"])
        og = _doc(built, p["url"]).xpath('//meta[@property="og:url"]/@content')
        assert og and set(og) == {p["url"]}  # (some host pages have two og:url metas)


def urlnetloc(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).split("/")[0]


def _links_to(doc, url: str) -> list:
    return [a for a in doc.iter("a") if a.get("href") == url]


def _canonical(doc) -> list[str]:
    return doc.xpath('//link[@rel="canonical"]/@href')


def test_full_copy_links_to_the_origin(built, paragraphs_by_url):
    for p in _reposts(built, "full"):
        origin = p["origin_url"]
        article = paragraphs_by_url[origin]
        assert p["body"].split("\n") == article
        doc = _doc(built, p["url"])
        links = _links_to(doc, origin)
        assert len(links) == 1
        assert p["credit"] and _key(p["credit"]) in _key(links[0].getparent().text_content())
        assert _canonical(doc) == [p["url"]]


def test_truncated_keeps_half_and_continue_reading_link(built, paragraphs_by_url):
    reposts = _reposts(built, "truncated")
    assert reposts
    for p in reposts:
        origin = p["origin_url"]
        article = paragraphs_by_url[origin]
        kept = p["body"].split("\n")
        assert kept == article[: len(kept)]
        assert len(kept) == max(2, math.ceil(len(article) / 2)) < len(article)
        doc = _doc(built, p["url"])
        links = _links_to(doc, origin)
        assert len(links) == 1 and links[0].text_content().startswith("Continue reading at ")
        assert _canonical(doc) == [p["url"]]


def test_canonical_repost_points_to_the_origin_without_visible_link(built, paragraphs_by_url):
    reposts = _reposts(built, "canonical")
    assert reposts
    for p in reposts:
        doc = _doc(built, p["url"])
        assert _canonical(doc) == [p["origin_url"]]
        assert not _links_to(doc, p["origin_url"])
        assert p["body"].split("\n") == paragraphs_by_url[p["origin_url"]]


def test_edited_repost(built, visible, paragraphs_by_url):
    reposts = _reposts(built, "edited")
    assert reposts
    for p in reposts:
        article = paragraphs_by_url[p["origin_url"]]
        body = p["body"].split("\n")
        assert body[0] in bench.EDIT_INTROS and _key(body[0]) in _key(visible(p["url"]))
        assert len(body) - 1 == len(article) - (1 if len(article) >= 5 else 0)
        assert not any(q in p["body"] for q in "\u201c\u201d\u2018\u2019")
        assert p["title"] != built["clusters"][p["cluster"]]["title"]
        doc = _doc(built, p["url"])
        assert not _links_to(doc, p["origin_url"]) and p["origin_url"] not in _canonical(doc)
        # two "Advertisement" lines among the article's paragraphs, in reading order
        vis = _key(visible(p["url"]))
        pos, spans = vis.index(_key(body[0])), []
        for para in body[1:]:
            nxt = vis.index(_key(para), pos)
            spans.append(vis[pos:nxt])
            pos = nxt
        assert sum(span.count("Advertisement") for span in spans) >= 2, p["url"]


def test_max_clusters_and_html_subfolder_layout(tmp_path):
    pages = tmp_path / "pages"
    (pages / "html").mkdir(parents=True)
    shutil.copy(PAGES / "ground-truth.json", pages / "ground-truth.json")
    for f in PAGES.glob("*.html.gz"):
        shutil.copy(f, pages / "html" / f.name)
    assert [p.sha for p in bench.load_pages(pages)] == [p.sha for p in bench.load_pages(PAGES)]
    truth = bench.build(pages, tmp_path / "out", seed=3, max_clusters=2)
    assert sum(c["type"] == "syndicated" for c in truth["clusters"]) == 2
    urls = {r["url"] for r in _records(tmp_path / "out")}
    assert urls == {p["url"] for p in truth["pages"]}
    for p in truth["pages"]:
        if p["role"] == "repost":
            assert p["host_url"] in urls
        if p["role"] == "host":  # a page used only as a host is a singleton
            assert truth["clusters"][[c["id"] for c in truth["clusters"]].index(p["cluster"])]["members"] == [p["url"]]


def test_short_article_cut():
    paras = ["one two three four " * 6, "five six seven eight " * 5, "nine " * 200]
    cut = bench._short_paragraphs(paras, 140)
    assert cut == paras[:2]
    assert bench.SHORT_MIN_WORDS <= sum(len(p.split()) for p in cut) <= bench.SHORT_MAX_WORDS
    assert bench._short_paragraphs(["a b c"], 140) is None  # too short to make one
    assert bench._short_paragraphs(["word " * 300], 140) is None  # first paragraph alone too long
