"""Walls and notices told from stories, on real texts (tests/data/walls; its README says where each comes from)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from syndicate.extract import walls
from syndicate.extract.walls import REASONS, WallVerdict, judge_text, wall_reason

DATA = Path(__file__).parent / "data" / "walls"
CASES = json.loads((DATA / "texts.json").read_text(encoding="utf-8"))
LINES = json.loads((DATA / "lines.json").read_text(encoding="utf-8"))
BY_ID = {case["id"]: case for case in CASES}


def cases(kind: str) -> list:
    return [pytest.param(case, id=case["id"]) for case in CASES if case["kind"] == kind]


@pytest.mark.parametrize("case", cases("wall"))
def test_a_wall_is_judged_a_wall_of_its_kind(case):
    assert judge_text(case["text"], case["title"]).reason == case["expect"]["reason"]


def test_every_reason_has_a_real_wall():
    assert {case["expect"]["reason"] for case in CASES if case["kind"] == "wall"} == set(REASONS)


@pytest.mark.parametrize(
    "language, case_id",
    [
        ("fr", "wall-paywall-fr"), ("pt", "wall-paywall-pt"), ("es", "wall-registration-es"), ("es", "wall-error-es"),
        ("fr", "wall-error-fr"), ("de", "wall-consent-de"), ("nl", "wall-consent-nl"), ("it", "wall-consent-it"),
        ("de", "wall-javascript-faz-de"), ("ja", "wall-javascript-yahoo-ja"), ("de", "wall-age-de"),
    ],
)
def test_walls_in_other_languages(language, case_id):
    case = BY_ID[case_id]
    assert judge_text(case["text"], case["title"]).reason == case["expect"]["reason"]


@pytest.mark.parametrize("case", cases("article"))
def test_a_real_article_is_never_a_wall_and_keeps_every_line(case):
    assert judge_text(case["text"], case["title"]) == WallVerdict(case["text"], None, 0)


@pytest.mark.parametrize("case", cases("edge"))
def test_walls_at_the_edges_go_and_the_article_stays(case):
    verdict = judge_text(case["text"], case["title"])
    gone = case["expect"]["dropped_lines"]
    assert verdict.reason is None
    assert verdict.dropped == len(gone)
    assert verdict.text == "\n".join(line for line in case["text"].split("\n") if line not in gone)


def test_a_headline_above_the_wall_stays():
    case = BY_ID["edge-lemonde-fr"]
    verdict = judge_text(case["text"], case["title"])
    assert verdict.text.split("\n")[0] == case["title"]
    assert verdict.dropped == 2


@pytest.mark.parametrize("article", cases("article"))
def test_a_real_article_between_real_walls_loses_none_of_its_lines(article):
    """Every wall of the data before and after every real article: never a wall, the article all kept."""
    for wall in (case for case in CASES if case["kind"] == "wall"):
        verdict = judge_text(wall["text"] + "\n" + article["text"] + "\n" + wall["text"], article["title"])
        assert verdict.reason is None, wall["id"]
        assert article["text"] in verdict.text, wall["id"]


@pytest.mark.parametrize("item", [pytest.param(item, id=item["line"][:40]) for item in LINES])
def test_a_real_line_is_a_notice_or_not(item):
    assert wall_reason(item["line"]) == item["reason"]


def test_a_long_paragraph_is_never_a_notice_even_when_its_words_are():
    """A 65-word paragraph saying "you have to log in" is an article's; the same words as a short line are a prompt."""
    paragraph = next(item["line"] for item in LINES if "have to log in from another machine" in item["line"])
    assert len(paragraph.split()) > walls.MAX_WALL_LINE_WORDS
    assert wall_reason(paragraph) is None
    assert wall_reason("You have to log in to continue reading.") == "registration"


def test_a_bare_topic_word_makes_a_notice_only_of_a_short_line():
    """"Ad Blocking" alone is a banner's heading; in a 22-word line it is the IAB working group's name."""
    assert wall_reason("Ad Blocking software") == "adblock"
    iab = next(item["line"] for item in LINES if "Ad Blocking Working Group" in item["line"])
    assert len(iab.split()) > walls.MAX_WEAK_LINE_WORDS
    assert wall_reason(iab) is None


def test_chrome_with_a_comment_prompt_is_not_a_log_in_wall():
    """A page of headlines (no article) with "You must be logged in to post a comment." is no article, but not a wall."""
    chrome = BY_ID["wall-error-title-only"]["text"]
    prompt = next(item["line"] for item in LINES if item["line"].startswith("You must be logged in to post"))
    verdict = judge_text(chrome + "\n" + prompt)
    assert verdict.reason is None
    assert verdict.text == chrome and verdict.dropped == 1


def test_a_notice_that_makes_chrome_look_like_an_article_is_a_wall():
    """The same headlines with Slate's 18-word plea pass ``has_article`` only thanks to the plea: a wall, though a small share."""
    chrome = BY_ID["wall-error-title-only"]["text"]
    plea = "Slate relies on advertising to support our journalism. If you value our work, please disable your ad blocker."
    assert plea in BY_ID["wall-adblock-slate"]["text"]
    text = chrome + "\n" + plea
    assert len(plea.split()) / len(text.split()) < walls.WALL_SHARE
    assert judge_text(text).reason == "adblock"


def test_a_title_that_is_a_notice_makes_a_wall_of_a_text_without_paragraphs():
    case = BY_ID["wall-error-title-only"]
    assert judge_text(case["text"], case["title"]).reason == "error_page"
    assert judge_text(case["text"], None).reason is None
    assert judge_text(case["text"], "Milan Design Week 2018 | Inexhibit").reason is None


def test_empty_and_blank_texts_are_left_alone():
    assert judge_text("") == WallVerdict("", None, 0)
    assert judge_text("\n \n") == WallVerdict("\n \n", None, 0)


def test_an_article_is_decided_from_its_edges(monkeypatch):
    """Cost: an article with a long paragraph has only its first and last lines read by the patterns."""
    calls = []
    match = walls._match
    monkeypatch.setattr(walls, "_match", lambda low, size, rules: calls.append(low) or match(low, size, rules))
    case = BY_ID["bench-latimes"]
    assert judge_text(case["text"]).reason is None
    assert 0 < len(calls) <= 3 < len(case["text"].split("\n"))


def test_patterns_are_lower_case_since_lines_are():
    """Lines are lower-cased before matching: a pattern with a capital letter would never match."""
    sources = [pattern for groups in walls._GROUPS.values() for trigger, patterns in groups for pattern in [trigger, *patterns]]
    sources.append(walls._BUTTON.pattern)
    for source in sources:
        literal = re.sub(r"\\[A-Za-z]", "", source)
        assert literal == literal.lower(), source


def test_a_long_headline_repeated_on_the_first_line_is_not_the_story():
    """As extracted from a real gizmodo page carrying a real wall (benchmarks/realcrawl.py): the headline
    (16 words), a byline, "Advertisement" slots and the wall. The headline once made it 'an article'."""
    case = next(c for c in CASES if c["id"] == "wall-paywall-user-trial")
    wall = case["text"].split("\n")[-2:]  # TAKE A FREE TRIAL ..., SUBSCRIBE NOW
    headline = "Stadia Falls Short of 4K at Launch, Destiny 2 Runs at a Native 1080p and Medium Settings"
    text = "\n".join([headline, "Tom Davies", "Advertisement", "Associated Press", *wall, *["Advertisement"] * 5])
    assert judge_text(text, headline).reason == "paywall"
    # under another headline the first line is no headline, and it reads as the story's one paragraph
    assert judge_text(text, "Google Stadia review").reason is None


def test_every_rule_pattern_compiles():
    """The rules compile on first use (a worker's start compiled all 119 in 50 ms): a bad one must fail here."""
    patterns = [pattern for rule in walls._RULES for pattern in rule[2:] if pattern is not None]
    assert len(patterns) >= 100
    for pattern in patterns:
        assert re.compile(pattern.source).pattern == pattern.source
    reason = walls.wall_reason("Please enable JavaScript to view this page.")
    assert reason is not None
