"""The fast extraction (syndicate/extract/fast.py) on real pages, beside article.extract, and on hostile input.

Real pages: the six of tests/data/pages (with their true article text),
every page of sample_corpus/ (its README says what each one is), and real
articles of tests/data/origins put into the real host pages of
tests/data/hosts as benchmarks/accuracy.py's corpus puts them.
"""

from __future__ import annotations

from dataclasses import replace

import gzip
import json
import random
import re
import sys
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings as hsettings, strategies as st
from resiliparse.parse.html import HTMLTree

from conftest import DATA, PAGES, ROOT, SAMPLE_CORPUS, load_truth, page_html, token_f1
from syndicate import scan
from syndicate.extract import article, fast
from syndicate.extract.article import Article, ExtractionError, _clean_text, parse_html
from syndicate.extract.evidence import CANONICAL, CREDIT, LINK, publisher_key, source_links
from syndicate.read.files import read_paths
from syndicate.read.page import Page

TRUTH = load_truth()
CNN_PAGE = "ef4e67b66d63b5facef55c06a94d85f2ae01a0a1a4a3a1bcfe2499c8c8a7dacf"
CNN_ORIGIN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
BODY = " ".join(["The council met on Tuesday to weigh the plan, which would widen the road through the old town."] * 3)


def real_page(key: str) -> Page:
    return Page(source=str(PAGES / f"{key}.html.gz"), record="", html=page_html(key), fallback_url="file:///x.html")


def sample_pages() -> dict[str, Page]:
    """Every page of sample_corpus/, by its file name (JSONL lines as "crawl line N")."""
    out = {}
    for page in read_paths([SAMPLE_CORPUS]):
        name = Path(page.source).name
        out[f"crawl {page.record}" if name.endswith(".jsonl") else str(Path(page.source).relative_to(SAMPLE_CORPUS))] = page
    return out


SAMPLE = sample_pages()
REAL = {**{key[:12]: real_page(key) for key in sorted(TRUTH)}, **SAMPLE}


@lru_cache(maxsize=None)
def both(name: str) -> tuple[Article, Article]:
    """(fast.extract, article.extract) of a real page."""
    page = REAL[name]
    return fast.extract(page), article.extract(page)


def html_page(body: str, head: str = "", url: str = "https://news.example/2024/03/01/story") -> Page:
    return Page(source="t.html", record="", url=url,
                html=f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode())


# --- the body ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(TRUTH))
def test_body_matches_the_true_article(key):
    found = fast.extract(real_page(key))
    assert found.has_article and found.word_count > 50
    assert token_f1(found.text, TRUTH[key]["articleBody"]) >= 0.95


@pytest.mark.parametrize("name", sorted(SAMPLE))
def test_body_is_the_one_article_extract_finds_on_the_sample_corpus(name):
    quick, slow = both(name)
    assert quick.has_article == slow.has_article
    assert token_f1(quick.text, slow.text) >= 0.85  # 0.855 at worst (inexhibit.com: a gallery's captions), most 0.98-1.0


def test_the_sample_copies_are_extracted_whole():
    """The reposts carry the CNN article: each keeps the paragraphs article.extract finds (README: 'Expected result')."""
    origin, _ = both("cnn.com/hostage-deal-negotiations.html")
    for name in ["worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause.html", "crawl line 2",
                 "nypost.com/hostage-negotiators-discussing-days-long-fighting-pause.html",
                 "albawaba.com/israel-and-hamas-weigh-days-long-truce.html"]:
        quick, slow = both(name)
        assert token_f1(quick.text, slow.text) >= 0.98, name
        shared = set(quick.text.split("\n")) & set(origin.text.split("\n"))
        assert len(shared) >= 5, name


@pytest.mark.parametrize("name", sorted(REAL))
def test_text_is_one_clean_paragraph_a_line_without_markup(name):
    text = both(name)[0].text
    assert text == _clean_text(text)
    assert "<a " not in text and "</p>" not in text and "&amp;" not in text and "](" not in text


def test_links_inside_the_article_are_absolute_with_their_anchor_text():
    found = fast.extract(real_page(CNN_PAGE))
    assert "https://www.cnn.com/2018/05/01/politics/harold-bornstein-trump-letter/index.html" in [l.url for l in found.links]
    assert any(link.text == "Bornstein told CNN in 2018" for link in found.links)
    for key in sorted(TRUTH):
        quick, slow = both(key[:12])
        assert {link.url for link in slow.links} <= {link.url for link in quick.links}, key
        assert all(re.match(r"(https?|file):///?[^/]", link.url) for link in quick.links), key


def test_lists_in_the_article_are_kept_and_menus_are_not():
    """Resiliparse's main-content rules drop every <ul>; in the article, a list that is not mostly links stays."""
    body = (f"<nav><ul>{''.join(f'<li><a href=/s{i}>Section {i}</a></li>' for i in range(8))}</ul></nav>"
            f"<article><h1>Road plan</h1><p>{BODY}</p><ul><li>Widen Main Street by two metres</li>"
            f"<li>Close Bridge Lane to lorries</li></ul><p>{BODY}</p></article>")
    text = fast.extract(html_page(body)).text.split("\n")
    assert "Widen Main Street by two metres" in text and "Close Bridge Lane to lorries" in text
    assert not any(line.startswith("Section") for line in text)
    assert "Road plan" not in text  # the headline is the title, not a paragraph


def test_link_lines_and_ad_placeholders_between_paragraphs_go():
    body = (f"<article><p>{BODY}</p><p>Advertisement</p><p><a href='/other'>MORE: An unrelated headline</a></p>"
            f"<p>{BODY} <a href='/more'>with a link inside a long paragraph that stays in the text</a></p></article>")
    text = fast.extract(html_page(body)).text.split("\n")
    assert "Advertisement" not in text and "MORE: An unrelated headline" not in text
    assert len(text) == 2 and text[1].endswith("that stays in the text")


def test_the_container_leaves_out_blurbs_after_the_article():
    """Long text outside the article's container (a site blurb, a related post) is not the article."""
    blurb = "Our newsroom has covered the valley since 1921 and answers to its readers, not to its advertisers, every day."
    body = (f"<div class='story'><p>{BODY}</p><p>{BODY}</p><p>{BODY}</p></div>"
            f"<div class='about'><p>{blurb}</p></div>")
    text = fast.extract(html_page(body)).text
    assert BODY in text and blurb not in text


def test_an_article_outside_paragraphs_is_not_lost_to_a_container_of_teasers():
    """Text in <br>-separated spans (appleinsider.com, entermedia.co.kr): the long <p>s elsewhere are teasers."""
    story = "<br>".join([BODY] * 6)
    teasers = "".join(f"<p>Teaser {i}: {BODY[:90]}</p>" for i in range(3))
    text = fast.extract(html_page(f"<div class='story'><span>{story}</span></div><div class='more'>{teasers}</div>")).text
    assert text.count(BODY) == 6


BODIES = json.loads(gzip.decompress((DATA / "origins" / "benchmark-bodies.json.gz").read_bytes()))
CALENDAR = "cc03ddb5"  # autoracing.com.br: a race calendar, lines of a few words and no sentence
HOSTS = {"billboard.com": "9cb8224b", "thesun.co.uk": "8b194530", "bgr.com": "e7d77f18"}  # tests/data/hosts


def real_body(prefix: str) -> tuple[str, list[str]]:
    """(url, paragraphs) of a real article of the extraction benchmark (tests/data/origins)."""
    (key,) = [k for k in BODIES if k.startswith(prefix)]
    return BODIES[key]["url"], [p.strip() for p in BODIES[key]["articleBody"].split("\n") if p.strip()]


def copied_into(site: str, article: str) -> tuple[Page, list[str]]:
    """A real article put into a real page of another site in place of its own, with a link back, as the copies of
    benchmarks/accuracy.py's corpus are made (benchmarks/transplant.py); the page and the article's paragraphs."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from transplant import transplant

    (key,) = [k for k in BODIES if k.startswith(HOSTS[site])]
    host_url, host_paragraphs = real_body(key)
    origin, paragraphs = real_body(article)
    html = gzip.decompress((DATA / "hosts" / f"{key}.html.gz").read_bytes()).decode("utf-8")
    url = f"https://www.{site}/syndicated/copy"
    copy = transplant(html, host_paragraphs=host_paragraphs, host_url=host_url, title="Calendário Stock Car 2018",
                      paragraphs=paragraphs, url=url, canonical=url, published=None,
                      extra_after=[f'<p><a href="{origin}">Read the full article here</a></p>'])
    return Page(source=f"{site}.html", record="", url=url, html=copy.encode()), paragraphs


@pytest.mark.parametrize("site", ["billboard.com", "thesun.co.uk"])
def test_a_calendar_copied_into_another_sites_chrome_is_read_whole(site):
    """Lines of a few words (no long line for the container to be judged by) and <br>-separated lines in one <p>:
    the copy was read as the <p> holding its last lines (billboard) or a site blurb (thesun) and judged no article."""
    page, paragraphs = copied_into(site, CALENDAR)
    quick, precise = fast.extract(page), article.extract(page)
    assert quick.has_article and precise.has_article
    assert token_f1(quick.text, "\n".join(paragraphs)) >= 0.95
    assert set(paragraphs) <= set(quick.text.split("\n"))


def test_one_paragraph_of_chrome_is_not_taken_for_the_article():
    """On bgr.com's template one long <p> of chrome ("Follow @BGRDeals on Twitter ...") outweighs the copied article's
    paragraphs, which the host sets in headings, lists and product boxes: the article's lines are kept, not the blurb."""
    page, paragraphs = copied_into("bgr.com", CALENDAR)
    kept = lambda found: sum(p in set(found.text.split("\n")) for p in paragraphs)
    quick, precise = fast.extract(page), article.extract(page)
    assert kept(quick) >= kept(precise) and kept(quick) >= len(paragraphs) // 2


def test_an_article_written_in_divs_is_read_from_its_article_body_mark():
    """jpost.com: the story is in <div itemprop="articleBody">, no long <p> anywhere; the marked element is the
    container, so the "BREAKING NEWS" label beside it is not read as the first paragraph."""
    quick, precise = both("jpost.com/son-of-former-german-president-stabbed-to-death-in-berlin.html")
    assert quick.text == precise.text and not quick.text.startswith("BREAKING NEWS")


def test_an_h1_in_the_article_that_is_not_the_headline_stays():
    """remember8090.it: a second <h1> inside the article (a "Leggi anche" heading of the true text) is kept; the
    headline <h1> is the title, not a paragraph."""
    quick, _ = both("remember8090.it/remake-serie-animata-de-i-cavalieri-dello-zodiaco-per-netflix.html")
    lines = quick.text.split("\n")
    assert any(line.startswith("I Cavalieri dello Zodiaco diventeranno un film") for line in lines)
    assert quick.title not in lines
    assert token_f1(quick.text, "\n".join(real_body("b6fb53e9")[1])) >= 0.95


def test_a_page_nested_deeper_than_the_limit_is_read_without_the_main_content_rules(monkeypatch):
    """Their cost grows with the square of the depth: 2 s at 10,000 levels (tests/hostile.py's deep.html)."""
    calls = []
    real = fast.extract_plain_text
    monkeypatch.setattr(fast, "extract_plain_text", lambda tree, **kw: calls.append(kw["main_content"]) or real(tree, **kw))
    for levels in (fast.MAX_DEPTH - 10, fast.MAX_DEPTH + 10):
        calls.clear()
        nested = "<div>" * levels + f"<p>{BODY}</p>" + "</div>" * levels
        assert fast.extract(html_page(nested)).text == BODY
        assert calls and all(calls) == (levels < fast.MAX_DEPTH), levels


def test_a_wall_is_judged_as_article_extract_judges_it():
    cases = [c for c in json.loads((DATA / "walls" / "texts.json").read_text(encoding="utf-8")) if c["kind"] == "wall"]
    judged = {}
    for case in cases:
        paragraphs = "".join(f"<p>{line}</p>" for line in case["text"].split("\n"))
        head = f'<meta property="og:title" content="{case["title"]}">'
        found = fast.extract(html_page(f"<article>{paragraphs}</article>", head))
        judged[case["id"]] = (found.status_reason, case["expect"]["reason"])
    wrong = {k: v for k, v in judged.items() if v[0] != v[1]}
    assert not wrong and len(judged) >= 20


def test_text_records_are_taken_as_they_are():
    page = Page(source="t.jsonl", record="line 1", url="https://t.example/a", text="  First   line\n\n second line ", title="T")
    quick, precise = fast.extract(page), article.extract(page)
    assert (quick.extract_mode, precise.extract_mode) == ("fast", "precise")  # recorded per page
    assert replace(quick, extract_mode="precise") == precise


def test_wrong_declared_encodings_are_read_from_the_bytes():
    html = (f"<html><head><meta charset='iso-8859-1'><title>記事</title></head><body><article>"
            f"<p>{'東京で新しい展示会が開かれ、多くの人が訪れました。' * 4}</p></article></body></html>")
    found = fast.extract(Page(source="t.html", record="", url="https://sjis.example/a", html=html.encode("shift_jis")))
    assert "東京で新しい展示会が開かれ" in found.text and found.title == "記事"


# --- metadata ----------------------------------------------------------------------------------------


IDENTITY = ("url", "domain", "content_hash", "source", "record", "crawled_url", "canonical_url", "modified_at", "fetched_at")


def letters(text: str | None) -> str:
    return "".join(c for c in (text or "").casefold() if c.isalnum())


@pytest.mark.parametrize("name", sorted(REAL))
def test_metadata_is_filled_and_agrees_with_article_extract(name):
    quick, slow = both(name)
    assert {f: getattr(quick, f) for f in IDENTITY} == {f: getattr(slow, f) for f in IDENTITY}
    assert quick.title and (letters(quick.title).startswith(letters(slow.title))
                            or letters(slow.title).startswith(letters(quick.title)))  # a " - Site" suffix at most
    if slow.published_at is None:
        assert quick.published_at is None
    else:
        assert quick.published_at is not None and quick.published_at.date() == slow.published_at.date()
    if slow.sitename:  # "JPost.com" for "jpost.com", "Inexhibit" for "Inexhibitmagazine"
        key, other = publisher_key(quick.sitename or ""), publisher_key(slow.sitename)
        assert key and (key.startswith(other) or other.startswith(key)), (quick.sitename, slow.sitename)


def test_canonical_and_title_of_the_real_pages():
    for key in sorted(TRUTH):
        quick = fast.extract(real_page(key))
        assert quick.title
        if key != "9da36ae4714bfccc72374c6c146e9d1cd3cca39e2110bd67ccdbcc806f4cf139":  # no og:url, no canonical
            assert quick.canonical_url == TRUTH[key]["url"] and quick.published_at is not None and quick.sitename


@pytest.mark.parametrize("key, language", [("833caf3bdba5", "en"), ("85439e26c41c", "ja"), ("9da36ae4714b", "ko"),
                                           ("c4a3637c6696", "ru"), ("c90731f051d0", "en")])
def test_language_from_the_html_element(key, language):
    assert both(key)[0].language == language


def test_metadata_of_a_real_cnn_page():
    found = fast.extract(real_page(CNN_PAGE))
    assert found.title == "Why you just can't trust the White House on Donald Trump's health"
    assert found.sitename == "CNN"
    assert found.published_at == datetime(2019, 11, 18, 16, 18, tzinfo=timezone.utc)
    assert found.author == "Chris Cillizza; CNN Editor-at-large"


@pytest.mark.parametrize(
    "head, body, url, expected",
    [
        ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-11-18T10:00:00-05:00"}</script>'
         '<meta property="article:published_time" content="2019-11-17T10:00:00Z">', "", None, datetime(2019, 11, 18, 15, 0)),
        ('<meta property="article:published_time" content="2019-11-17T10:00:00Z">', "", None, datetime(2019, 11, 17, 10, 0)),
        ('<meta name="pubdate" content="2019-11-16">', "", None, datetime(2019, 11, 16)),
        ('<meta name="dc.date" content="Tue, 19 Nov 2019 03:05:46 GMT">', "", None, datetime(2019, 11, 19, 3, 5, 46)),
        ("", '<span itemprop="datePublished" content="2019-11-15T08:00:00Z">Friday</span>', None, datetime(2019, 11, 15, 8, 0)),
        ("", '<time datetime="2019-11-14T09:30:00+00:00">Nov 14</time>', None, datetime(2019, 11, 14, 9, 30)),
        ("", "", "https://news.example/2019/11/13/story", datetime(2019, 11, 13)),
        ("", '<p class="date">Published November 12, 2019</p>', "https://news.example/story", datetime(2019, 11, 12)),
        ('<meta property="article:published_time" content="0001-01-01">', "", "https://news.example/story", None),
        ('<script type="application/ld+json">{"datePublished": "2019-11-11T10:00:00Z",}</script>', "", None,
         datetime(2019, 11, 11, 10, 0)),
    ],
    ids=["json-ld over meta", "article:published_time", "pubdate", "rfc 2822", "itemprop", "time in the article",
         "url", "htmldate on the text", "implausible", "json-ld with a trailing comma"],
)
def test_publication_date_sources(head, body, url, expected):
    page = html_page(f"<article>{body}<p>{BODY}</p></article>", head, url or "https://news.example/story")
    found = fast.extract(page).published_at
    assert found == (expected.replace(tzinfo=timezone.utc) if expected else None)


def test_htmldate_reads_the_page_only_when_the_cheap_places_have_no_date(monkeypatch):
    calls = []
    real = fast._htmldate
    monkeypatch.setattr(fast, "_htmldate", lambda html, url: calls.append(url) or real(html, url))
    dated = [html_page(f"<p>{BODY}</p>", '<meta property="article:published_time" content="2019-11-17T10:00:00Z">'),
             html_page(f"<article><time datetime='2019-11-14'>Nov 14</time><p>{BODY}</p></article>"),
             html_page(f"<p>{BODY}</p>", url="https://news.example/2019/11/13/story")]
    assert [fast.extract(page).published_at.day for page in dated] == [17, 14, 13] and calls == []
    undated = html_page(f'<article><p class="date">Published November 12, 2019</p><p>{BODY}</p></article>',
                        url="https://news.example/story")
    assert fast.extract(undated).published_at == datetime(2019, 11, 12, tzinfo=timezone.utc)
    assert calls == ["https://news.example/story"]


def test_json_ld_with_a_trailing_comma_is_read():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Road plan approved",'
            ' "author": {"name": "Ana Lima"}, "publisher": {"name": "Valley News"},}</script>')
    found = fast.extract(html_page(f"<p>{BODY}</p>", head))
    assert (found.title, found.author, found.sitename) == ("Road plan approved", "Ana Lima", "Valley News")


@pytest.mark.parametrize(
    "head, h1s, title, sitename",
    [
        ('<meta property="og:title" content="Road plan approved | Valley News">'
         '<meta property="og:site_name" content="Valley News">'
         "<title>Road plan approved | Valley News</title>", 1, "Road plan approved | Valley News", "Valley News"),
        ("<title>Road plan approved - Valley News</title>", 0, "Road plan approved", "valley.example"),
        ("<title>Road plan approved - Valley News</title>", 2, "Road plan approved", "valley.example"),
        ('<title>Road plan approved</title><meta name="twitter:site" content="@ValleyNews">'
         '<script type="application/ld+json">{"@type": "Article", "publisher": {"name": "The Valley News"}}</script>',
         0, "Road plan approved", "The Valley News"),
        ('<meta name="twitter:site" content="@valleynews"><title>Valley News</title>', 1, "Road plan approved (h1)",
         "Valleynews"),
    ],
    ids=["og", "title suffix and host", "two h1s", "json-ld publisher", "the only h1 and a twitter handle"],
)
def test_title_and_site_name(head, h1s, title, sitename):
    headlines = "".join(f"<h1>Road plan approved (h1)</h1>" for _ in range(h1s))
    found = fast.extract(html_page(f"<article>{headlines}<p>{BODY}</p></article>", head, "https://www.valley.example/story"))
    assert (found.title, found.sitename) == (title, sitename)


@pytest.mark.parametrize("attrs, language", [('lang="en-US"', "en"), ('lang="pt_BR"', "pt"), ('xml:lang="DE"', "de"),
                                             ('lang="not a language"', None)])
def test_language_is_normalised(attrs, language):
    html = f"<html {attrs}><head></head><body><article><p>{BODY}</p></article></body></html>".encode()
    assert fast.extract(Page(source="t", record="", url="https://l.example/a", html=html)).language == language


def test_authors_from_json_ld_and_byline_metas():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle",'
            ' "author": [{"name": "Ana Lima"}, {"name": "Bo Chen"}]}</script>')
    assert fast.extract(html_page(f"<p>{BODY}</p>", head)).author == "Ana Lima; Bo Chen"
    head = '<meta name="author" content="By MEG KINNARD and ERRIN HAINES, Associated Press">'
    assert fast.extract(html_page(f"<p>{BODY}</p>", head)).author == "MEG KINNARD; ERRIN HAINES; Associated Press"
    head = '<meta property="article:author" content="https://www.facebook.com/someone">'
    assert fast.extract(html_page(f"<p>{BODY}</p>", head)).author is None


# --- evidence ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, publisher, text",
    [
        ("worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause.html", None, "Read the full article here"),
        ("crawl line 2", "CNN", "Source: CNN"),  # deccanherald.com chrome, in the JSONL export
        ("nypost.com/hostage-negotiators-discussing-days-long-fighting-pause.html", "CNN", "Continue reading at CNN"),
    ],
)
def test_source_links_of_the_sample_copies(name, publisher, text):
    links = [e for e in both(name)[0].evidence if e.kind == LINK]
    assert [(e.url, e.publisher, e.text) for e in links] == [(CNN_ORIGIN, publisher, text)]


def test_credit_line_of_the_edited_copy():
    credits = [e for e in both("albawaba.com/israel-and-hamas-weigh-days-long-truce.html")[0].evidence if e.kind == CREDIT]
    assert [(e.publisher, e.text) for e in credits] == [("CNN", "CNN's Paul LeBlanc contributed to this report")]


@pytest.mark.parametrize("name", sorted(REAL))
def test_evidence_equals_article_extract(name):
    quick, slow = both(name)
    assert quick.evidence == slow.evidence


def test_pages_without_syndication_have_no_link_evidence():
    for name in ["jpost.com/son-of-former-german-president-stabbed-to-death-in-berlin.html",
                 "cnn.com/donald-trump-health-walter-reed.html.gz",
                 "deccanherald.com/impeachment-sham-completely-debunked-white-house.html"]:
        assert [e for e in both(name)[0].evidence if e.kind in (LINK, CANONICAL)] == [], name


SOURCE_LINK_CASES = [
    'Source: <a href="https://wire.example/2024/story">Wire</a>',
    '<p>Originally published at <!-- note --> <a href="https://orig.example/a">Orig Daily</a>.</p>',
    '<p><b>Via</b> <a href="//cdn.orig.example/story?id=3">The Orig</a></p>',
    '<p><a href="https://other.example/x">Read the full story</a></p>',
    '<p><a href="https://other.example/">Read the original article on Other</a></p>',  # a home page: a credit
    '<nav>Source: <a href="https://nav.example/a">Nav</a></nav>',
    '<footer><p><span>Via</span><a href="https://foot.example/a">Foot</a></p></footer>',
    '<p>Share via <a href="https://share.example/a">Share</a></p>',
    '<p>Source: <a href="https://facebook.com/orig">Facebook</a></p>',
    '<p>Source: <a href="https://www.news.example/own">Own site</a></p>',
    '<p>Source: <a href="https://sub.news.example/own">Own subdomain</a></p>',
    '<p>Source: <a href="HTTPS://WWW.NEWS.EXAMPLE/shout">Own site, upper case</a></p>',
    '<p>Source: <a href=" https://spaced.example/a ">Spaced</a></p>',
    '<p>Source: <a href="https://dup.example/a">One</a> and Source: <a href="https://dup.example/a">Two</a></p>',
    '<p>Source:<br><a href="https://br.example/a">After a break</a></p>',
    '<p>Source: <a href="https://relative.example/a"><span>Nested</span> anchor</a></p>',
    '<p>Source: <a href="/relative">Relative</a></p>',
]


def test_source_links_on_resiliparse_equal_the_lxml_rules():
    """fast's reading of the DOM gives evidence.source_links' result: real pages and each rule's edge."""
    pages = [(p.url or "https://news.example/", p.html) for p in list(SAMPLE.values()) if p.html is not None]
    pages += [(TRUTH[k]["url"], page_html(k)) for k in sorted(TRUTH)]
    synthetic = "".join(f"<div>{case}</div>" for case in SOURCE_LINK_CASES)
    pages.append(("https://www.news.example/story", f"<html><body><article>{synthetic}</article></body></html>".encode()))
    found_any = 0
    for url, html in pages:
        expected = source_links(parse_html(html), url)
        assert fast._source_links(HTMLTree.parse(fast._decode(html)), url) == expected, url
        found_any += bool(expected)
    assert found_any >= 5


# --- hostile input -----------------------------------------------------------------------------------


def outcome(html: str | bytes) -> Article | ExtractionError:
    try:
        return fast.extract(Page(source="hostile", record="", url="https://hostile.example/a", html=html))
    except ExtractionError as exc:
        assert str(exc) and "\n" not in str(exc)
        return exc


RNG = random.Random(18)
REAL_HTML = page_html(sorted(TRUTH)[0])


@pytest.mark.parametrize(
    "html, expected",
    [
        (b"", "empty page"),
        (b" \n\t\r\n " * 100, "empty page"),
        (bytes(RNG.getrandbits(8) for _ in range(64 * 1024)), "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(RNG.getrandbits(8) for _ in range(4000)), "binary"),
        (gzip.compress(REAL_HTML), "binary"),
        (b"just a line of plain text, no markup at all", "not parseable"),
        (b'{"url": "https://x.example", "text": null, "n": [1, 2]}', "not parseable"),
        (b"<", "not parseable"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>", "binary content, not HTML: a PDF document"),
        (b"<html><body><div " + b" ".join(b'a%d="x"' % i for i in range(100_000)) + b"><p>text</p></div></body></html>",
         "attributes"),
    ],
    ids=["empty", "blank", "random bytes", "png", "gzip", "plain text", "json", "lone bracket", "pdf", "100,000 attributes"],
)
def test_what_is_not_a_page_is_an_extraction_error(html, expected):
    result = outcome(html)
    assert isinstance(result, ExtractionError) and expected in str(result)


@pytest.mark.parametrize(
    "html, expected",
    [
        (REAL_HTML[: len(REAL_HTML) // 2], "article"),
        (REAL_HTML[: len(REAL_HTML) // 3] + b"<a href='https://cut.example/", "article"),
        (b"<html><head><meta property='og:title' content='cut", "article"),
        (("<html><body>" + "<div>" * 10_000 + f"<p>{BODY}</p>" + "</div>" * 10_000 + "</body></html>").encode(), "article"),
        (("<html><body>" + "<div><p>x</p>" * 3_000 + f"<p>{BODY}</p></body></html>").encode(), "article"),
        (b"<html><body><div " + b" ".join(b'data-%d="x"' % i for i in range(3_000))
         + f"><p>{BODY}</p></div></body></html>".encode(), "article"),
        (b"<html><head><meta " + b" ".join(b'a%d="x"' % i for i in range(3_000)) + b' property="og:title" content="T"></head>'
         + f"<body><p>{BODY}</p></body></html>".encode(), "article"),
        (('<html><head><script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000
          + f"</script></head><body><p>{BODY}</p></body></html>").encode(), "article"),
        (('<html><head><script type="application/ld+json">{"@type": [1, {"x": 2}, null],'
          ' "author": {"name": [1, null, {"x": []}]}, "datePublished": 7, "publisher": "https://x.example",'
          ' "headline": ["a"], "@graph": {"@type": "Article"}}</script>'
          '<script type="application/ld+json">[{"@type": "NewsArticle", "author": [null, 3, {"name": {"x": 1}}],'
          ' "publisher": [{"name": null}], "dateCreated": ["x"]}]</script></head>'
          + f"<body><p>{BODY}</p></body></html>").encode(),
         "article"),
        (f"<html><body><p>A lone surrogate \ud800 in a str page. {BODY}</p></body></html>", "article"),
        (("<html><body>" + f"<p>{BODY}</p>".replace("council", "coun\x00cil") + "</body></html>").encode(), "article"),  # a few NULs: a page (read.sniff)
        (f"<html><body><p>{BODY}</p></body></html>".encode().replace(b"road", b"ro\xff\xfe\xc3ad"), "article"),
        (b"<html><frameset><frame src='a.html'></frameset></html>", "article"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><text>html</text></svg>", "article"),
        (f"<html><body><a href='http://[::1'>Source: broken</a><p>{BODY} <a href='http://[::1/x'>in the text</a>"
         f"<a href='https://x.example:99999/'>port</a></p></body></html>".encode(), "article"),
    ],
    ids=["truncated page", "cut inside a link", "cut inside the head", "10,000 levels deep", "3,000 unclosed divs",
         "3,000 attributes", "3,000 attributes on a meta", "JSON-LD nested 100,000 deep", "JSON-LD of wrong types",
         "lone surrogate", "NUL bytes", "invalid UTF-8", "frameset", "svg", "broken link URLs"],
)
def test_hostile_pages_give_an_article_or_an_extraction_error(html, expected):
    """Each as article.extract takes it, except a broken link URL, which article.extract lets escape as a ValueError."""
    result = outcome(html)
    if expected != "article":
        assert isinstance(result, ExtractionError) and expected in str(result)
        return
    assert isinstance(result, Article)
    if BODY.encode() in (html if isinstance(html, bytes) else html.encode("utf-8", "replace")):
        assert BODY in result.text


def test_a_truncated_real_page_keeps_what_it_has():
    result = outcome(REAL_HTML[: len(REAL_HTML) // 2])
    assert isinstance(result, Article) and result.title


@given(st.binary(max_size=2000))
@hsettings(max_examples=150, deadline=None)
def test_any_bytes_give_an_article_or_an_extraction_error(data):
    assert isinstance(outcome(data), (Article, ExtractionError))


MARKUP = st.lists(st.sampled_from([
    "<html>", "<head>", "</head>", "<body>", "<p>", "</p>", "<div class='comments'>", "</div>", "<article>", "<ul>", "<li>",
    "<a href='https://src.example/a'>", "</a>", "Source: ", "Read the full article here", "<h1>", "<title>", "<br>",
    "<meta property='og:title' content='T'>", "<script type='application/ld+json'>{\"datePublished\": \"2019-",
    "</script>", "<time datetime='2019-11-18'>", "&amp;", "&#0;", "\x00", "\ud800", "é", "東京", BODY, " ", "\n", "<",
    ">", "\"", "=", "<!--", "-->", "<![CDATA[", "<nav>", "<table><tr><td>", "<header>", "<figcaption>",
]), max_size=60).map("".join)


@given(MARKUP, st.booleans())
@hsettings(max_examples=200, deadline=None)
def test_any_markup_gives_an_article_or_an_extraction_error(markup, as_bytes):
    result = outcome(markup.encode("utf-8", "surrogatepass") if as_bytes else markup)
    assert isinstance(result, (Article, ExtractionError))


def test_one_database_mixes_modes_and_copies_match_across_them(tmp_path):
    """The CNN original scanned precisely one night, its copies the next in the default mode (fast): the mode is
    stored per page."""
    import shutil

    night1, night2 = tmp_path / "n1", tmp_path / "n2"
    shutil.copytree(SAMPLE_CORPUS / "cnn.com", night1 / "cnn.com")
    for site in ("worldnewsroundup.com", "nypost.com"):
        shutil.copytree(SAMPLE_CORPUS / site, night2 / site)
    db = tmp_path / "s.duckdb"
    scan([night1], db, workers=1, fast=False)
    scan([night2], db, workers=1)
    with duckdb.connect(str(db), read_only=True) as con:
        modes = dict(con.execute("SELECT site, list_distinct(list(extract_mode)) FROM documents GROUP BY site").fetchall())
        copies = con.execute("SELECT copy_domain, kind FROM syndication WHERE origin_domain = 'cnn.com' ORDER BY 1").fetchall()
    assert modes == {"cnn.com": ["precise"], "worldnewsroundup.com": ["fast"], "nypost.com": ["fast"]}
    assert copies == [("nypost.com", "partial"), ("worldnewsroundup.com", "duplicate")]


@pytest.fixture(scope="module")
def both_modes(tmp_path_factory) -> dict[str, dict[str, dict]]:
    """sample_corpus/ and tests/data/pages scanned once in each mode: mode -> url -> the document's columns and evidence."""
    folder = tmp_path_factory.mktemp("modes")
    out = {}
    for mode in ("precise", "fast"):
        db = folder / f"{mode}.duckdb"
        scan([SAMPLE_CORPUS, PAGES], db, workers=2, fast=mode == "fast")
        with duckdb.connect(str(db), read_only=True) as con:
            con.execute("SELECT * FROM documents")
            names = [d[0] for d in con.description]
            docs = {row[1]: dict(zip(names, row)) for row in con.fetchall()}
            found = con.execute("""SELECT d.url, list((e.kind, e.url, e.publisher, e.text) ORDER BY e.kind, e.url, e.text)
                                   FROM evidence e JOIN documents d USING (doc_id) GROUP BY d.url""").fetchall()
        for url, evidence in found:
            docs[url]["evidence"] = evidence
        out[mode] = docs
    return out


def test_both_modes_fill_the_same_document_columns(both_modes):
    """The same real pages in each mode: the same documents, each recording its mode, the same verdict (article or
    not), the same columns filled, the same source links, canonical evidence and credit lines; dates, authors and
    languages found at least as often in fast mode (article.extract leaves the language empty: trafilatura sets it
    only when asked for a target language)."""
    precise, quick = both_modes["precise"], both_modes["fast"]
    assert quick.keys() == precise.keys() and len(quick) >= 30
    for url, slow in precise.items():
        found = quick[url]
        assert (found["extract_mode"], slow["extract_mode"]) == ("fast", "precise")
        assert (found["status"], found["status_reason"]) == (slow["status"], slow["status_reason"]), url
        for column in ("title", "published_at", "sitename", "canonical_url", "modified_at"):
            assert (found[column] is None) == (slow[column] is None), (url, column)
        assert found.get("evidence") == slow.get("evidence"), url
    filled = lambda docs, column: sum(doc[column] is not None for doc in docs.values())
    for column in ("published_at", "author", "language"):
        assert filled(quick, column) >= filled(precise, column), column
    assert filled(quick, "language") >= 0.8 * len(quick) and filled(quick, "author") >= 0.7 * len(quick)
    assert sum(bool(doc.get("evidence")) for doc in quick.values()) >= 8



@pytest.mark.parametrize("folder, language", [("therealdeal.com", "en"), ("gto-normativy.ru", "ru"),
                                              ("remember8090.it", "it"), ("jpost.com", None)])
def test_both_modes_take_the_language_the_page_declares(folder, language):
    """<html lang="en-US"> is "en" in either mode; a page that declares none has none."""
    page = next(iter(read_paths([SAMPLE_CORPUS / folder])))
    assert fast.extract(page).language == language
    assert article.extract(page).language == language
