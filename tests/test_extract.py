"""Extraction on real crawled pages (tests/data/pages) against their true article bodies."""

from __future__ import annotations

import pickle
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from lxml import etree
from trafilatura.utils import load_html

from conftest import PAGES, SAMPLE_CORPUS, load_truth, page_html, token_f1
from syndicate.extract.article import (
    LIST_ARTICLE_WORDS, MIN_ARTICLE_WORDS, MIN_PARAGRAPH_WORDS, Article, ExtractionError, _unrepaired_utf8_prefix,
    domain_of, extract, head_urls, page_url, parse_html,
)
from syndicate.read.page import Page
from syndicate.read.files import read_paths
from syndicate.text import tokens

TRUTH = load_truth()
CNN = "ef4e67b66d63b5facef55c06a94d85f2ae01a0a1a4a3a1bcfe2499c8c8a7dacf"
KOREAN = "9da36ae4714bfccc72374c6c146e9d1cd3cca39e2110bd67ccdbcc806f4cf139"


def page(key: str) -> Page:
    return Page(source=str(PAGES / f"{key}.html.gz"), record="", html=page_html(key), fallback_url="file:///x.html")


@pytest.mark.parametrize("key", sorted(TRUTH))
def test_body_matches_the_true_article(key):
    article = extract(page(key))
    assert article.has_article
    assert token_f1(article.text, TRUTH[key]["articleBody"]) > 0.9
    assert article.title
    assert article.word_count > 50


@pytest.mark.parametrize("key", sorted(k for k in TRUTH if k != KOREAN))
def test_url_comes_from_the_page_itself(key):
    article = extract(page(key))
    assert article.url == TRUTH[key]["url"]
    assert article.domain == domain_of(TRUTH[key]["url"])


def test_page_without_own_url_falls_back_to_its_file():
    article = extract(page(KOREAN))
    assert article.url == "file:///x.html" and article.domain == ""


def test_metadata_and_links_of_a_real_cnn_page():
    article = extract(page(CNN))
    assert article.title == "Why you just can't trust the White House on Donald Trump's health"
    assert article.sitename == "CNN"
    assert article.published_at == datetime(2019, 11, 18, tzinfo=timezone.utc)
    assert article.canonical_url == TRUTH[CNN]["url"]
    assert "[" not in article.text and "](" not in article.text  # link markup removed from the text
    targets = [link.url for link in article.links]
    assert "https://www.cnn.com/2018/05/01/politics/harold-bornstein-trump-letter/index.html" in targets
    assert any(link.text == "Bornstein told CNN in 2018" for link in article.links)


def test_og_url_wins_over_a_canonical_pointing_elsewhere():
    html = (b'<html><head><link rel="canonical" href="https://origin.example/story">'
            b'<meta property="og:url" content="https://copier.example/story"></head><body></body></html>')
    assert head_urls(html) == ("https://copier.example/story", "https://origin.example/story")
    url, canonical = page_url(Page(source="f.html", record="", html=html))
    assert (url, canonical) == ("https://copier.example/story", "https://origin.example/story")
    # the crawl's own URL beats both
    crawled = Page(source="c.jsonl", record="line 1", url="https://crawl.example/x", html=html)
    assert page_url(crawled)[0] == "https://crawl.example/x"


def test_relative_canonical_and_attribute_variants():
    html = "<head><LINK href='/a/b' REL='canonical'><meta content=\"https://s.example/c\" name=og:url></head>"
    assert head_urls(html) == ("https://s.example/c", None)  # a relative canonical is not an identity
    url, canonical = page_url(Page(source="f.html", record="", url="https://s.example/c", html=html))
    assert canonical is None


def test_already_extracted_text_records(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"url": "https://t.example/a", "text": "  First   line\\n\\n second line ", "title": "T"}\n')
    (p,) = list(read_paths([path]))
    article = extract(p)
    assert article.text == "First line\nsecond line" and article.title == "T"
    assert not article.has_article  # too short to be an article


def test_non_pages_are_extraction_errors():
    with pytest.raises(ExtractionError, match="empty page"):
        extract(Page(source="e.html", record="", html=b"  \n "))
    with pytest.raises(ExtractionError, match="binary"):
        extract(Page(source="b.html", record="", html=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50))


def test_word_count_counts_characters_of_scripts_without_spaces():
    japanese = [k for k in TRUTH if "lhpat-tm" in TRUTH[k]["url"]][0]
    article = extract(page(japanese))
    assert article.has_article and article.word_count > 300  # whitespace split would find ~20


# Lines of words in several scripts, with punctuation, ligatures and blank lines.
WORD = st.text(alphabet="abcÉéﬁ漢字タ\u0e01.,'-— ", min_size=1, max_size=6)
TEXT = st.lists(st.lists(WORD, max_size=30).map(" ".join), max_size=8).map("\n".join)


@given(text=TEXT)
def test_counts_read_from_the_token_stream_equal_counting_tokens(text):
    """word_count and has_article read the article's token stream (tokenised once, in the worker)."""
    article = Article(url="u", domain="", content_hash="h", source="s", record="", text=text)
    words = len(tokens(text))
    paragraph = any(len(tokens(line)) >= MIN_PARAGRAPH_WORDS for line in text.split("\n"))
    assert article.word_count == words
    assert article.has_article == (words >= MIN_ARTICLE_WORDS and (words >= LIST_ARTICLE_WORDS or paragraph))


def test_the_token_stream_travels_with_the_article():
    article = extract(page(next(iter(TRUTH))))
    assert article.has_article
    copy = pickle.loads(pickle.dumps(article))  # as the worker hands it to the main process
    assert copy.__dict__["stream"] == article.stream and copy == article


def same_tree(html: bytes) -> bool:
    ours, theirs = parse_html(html), load_html(html)
    if ours is None or theirs is None:
        return ours is theirs
    return etree.tostring(ours.getroottree()) == etree.tostring(theirs.getroottree())


def test_parsing_the_bytes_gives_trafilaturas_tree_on_real_pages():
    pages = [page_html(key) for key in TRUTH] + [p.read_bytes() for p in sorted(SAMPLE_CORPUS.rglob("*.html"))]
    assert sum(_unrepaired_utf8_prefix(html) is not None for html in pages) == len(pages)  # the fast path, every one
    assert all(same_tree(html) for html in pages)


# Page starts and bodies with what load_html decodes, repairs or rejects: doctypes it rewrites, a
# self-closing <html/>, control characters, U+FFFE, a byte-order mark, Unicode spaces, bytes that are not UTF-8.
START = st.sampled_from(["", "<!DOCTYPE html>\n", "<!doctype html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">\n",
                         "<!DOCTYPE html/>", "\ufeff", "\u00a0\u2003", "  \n", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"])
HTML = st.sampled_from(["<html>", "<html lang=\"x\"/>", "<HTML>", "", "<p>", "<body>"])
BODY = st.lists(st.sampled_from(["<p>Text é 漢</p>", "<div>x\x07y</div>", "\ufffe", "\u2028", "<br/>", "\n", "</html>",
                                 "<script>1<2</script>", "plain words", "<p>unclosed", "&amp; &#xfffe;"]), max_size=6)


@hsettings(max_examples=300, deadline=None)
@given(start=START, html=HTML, body=BODY, tail=st.binary(max_size=4))
def test_parsing_the_bytes_gives_trafilaturas_tree_on_generated_pages(start, html, body, tail):
    page = (start + html + "".join(body)).encode("utf-8") + tail  # the tail may make it invalid UTF-8
    assert same_tree(page)
