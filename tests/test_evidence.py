"""Evidence of origin read from real page chrome and credit lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from conftest import SAMPLE_CORPUS
from syndicate.extract.evidence import _CREDIT_PATTERNS, CANONICAL, CREDIT, LINK, canonical_elsewhere, credits, site_of
from syndicate.extract.article import extract
from syndicate.read.files import read_paths

CNN = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"


def evidence_of(path_or_line):
    if isinstance(path_or_line, int):
        (page,) = [p for p in read_paths([SAMPLE_CORPUS / "crawl-2023-11-12.jsonl"]) if p.record == f"line {path_or_line}"]
    else:
        (page,) = list(read_paths([SAMPLE_CORPUS / path_or_line]))
    return extract(page).evidence


@pytest.mark.parametrize(
    "source,kind,publisher,text",
    [
        ("worldnewsroundup.com/hostage-negotiators-discussing-days-long-fighting-pause.html", LINK, None,
         "Read the full article here"),
        (2, LINK, "CNN", "Source: CNN"),  # deccanherald chrome, in the JSONL export
        ("nypost.com/hostage-negotiators-discussing-days-long-fighting-pause.html", LINK, "CNN", "Continue reading at CNN"),
    ],
)
def test_source_links_on_real_chrome(source, kind, publisher, text):
    links = [e for e in evidence_of(source) if e.kind == LINK]
    assert [(e.url, e.publisher, e.text) for e in links] == [(CNN, publisher, text)]


def test_credit_line_in_a_repost_names_cnn():
    found = [e for e in evidence_of("albawaba.com/israel-and-hamas-weigh-days-long-truce.html") if e.kind == CREDIT]
    assert [(e.publisher, e.text) for e in found] == [("CNN", "CNN's Paul LeBlanc contributed to this report")]


def test_pages_without_syndication_have_no_link_evidence():
    for name in ["jpost.com/son-of-former-german-president-stabbed-to-death-in-berlin.html",
                 "cnn.com/donald-trump-health-walter-reed.html.gz",
                 "deccanherald.com/impeachment-sham-completely-debunked-white-house.html"]:
        assert [e for e in evidence_of(name) if e.kind in (LINK, CANONICAL)] == [], name


@pytest.mark.parametrize(
    "text,publisher",
    [
        ("NEW YORK (Reuters) - Stocks rose on Monday.", "Reuters"),
        ("WASHINGTON (AP) — The Senate voted on Tuesday.", "The Associated Press"),
        ("The vote was close.\n© The Associated Press", "The Associated Press"),
        ("Copyright 2019 The Associated Press. All rights reserved.", "The Associated Press"),
        ("This story was originally published by The Texas Tribune.", "The Texas Tribune"),
        ("This article first appeared on The Conversation.", "The Conversation"),
        ("CNN’s Paul LeBlanc and Kevin Liptak contributed to this report.", "CNN"),
        ("Source: Bloomberg", "Bloomberg"),
    ],
)
def test_credit_lines(text, publisher):
    assert [e.publisher for e in credits(text)] == [publisher]


@pytest.mark.parametrize("needles,pattern", _CREDIT_PATTERNS, ids=lambda v: v[0] if isinstance(v, tuple) else "")
@hsettings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_credit_pattern_is_skipped_only_where_it_cannot_match(needles, pattern, data):
    """credits() runs a pattern only on texts holding one of its words: every text the pattern matches has one."""
    text = data.draw(st.from_regex(pattern))
    assert pattern.search(text) and any(needle in text for needle in needles)


def test_ordinary_text_credits_nobody():
    assert credits("The source said the White House contributed nothing. Officials were quoted via email.") == []


def test_canonical_elsewhere_ignores_the_same_publisher_under_another_suffix():
    assert canonical_elsewhere("https://copy.example/a", CNN)[0].kind == CANONICAL
    assert canonical_elsewhere("https://www.bbc.com/news/x", "https://www.bbc.co.uk/news/x") == []
    assert canonical_elsewhere("https://edition.cnn.com/x", CNN) == []
    assert site_of("https://news.bbc.co.uk/a") == "bbc.co.uk" and site_of("edition.cnn.com") == "cnn.com"


def test_canonical_to_another_site_in_a_real_page(tmp_path):
    html = (SAMPLE_CORPUS / "albawaba.com/israel-and-hamas-weigh-days-long-truce.html").read_text(encoding="utf-8")
    html = html.replace("<head>", f'<head><link rel="canonical" href="{CNN}">', 1)
    path = tmp_path / "canonical.html"
    path.write_text(html, encoding="utf-8")
    (page,) = list(read_paths([path]))
    found = [e for e in extract(page).evidence if e.kind == CANONICAL]
    assert [e.url for e in found] == [CNN]
