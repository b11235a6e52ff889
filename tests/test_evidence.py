"""Evidence of origin read from real page chrome and credit lines."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from conftest import DATA, SAMPLE_CORPUS
from syndicate.extract.evidence import (_BY_WORDS, _BYLINE, _CREDIT_PATTERNS, _DATELINE, _DATELINE_GATE, _END, _END_AGENCIES,
                                        _END_REACH, _STANDALONE, _STANDALONE_CHARS, CANONICAL, CREDIT, LINK,
                                        canonical_elsewhere, clean_publisher, credit_form, credits, site_of, source_links)
from syndicate.extract.article import extract, parse_html
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


# --- datelines and bylines of agencies and wires, on real text -----------------------------------------

ORIGINS = DATA / "origins"
BODIES = json.loads(gzip.decompress((ORIGINS / "benchmark-bodies.json.gz").read_bytes()))  # the 131 benchmark bodies
PARAGRAPHS = json.loads((ORIGINS / "readability-paragraphs.json").read_text(encoding="utf-8"))


def body(prefix: str) -> str:
    (key,) = [k for k in BODIES if k.startswith(prefix)]
    return BODIES[key]["articleBody"]


# Every agency credit in the 131 real bodies of the article extraction benchmark, each read by hand: eleven
# AP and Reuters datelines of wire copy, CNN's own dateline on cnn.com, and PTI signing a story at its end
# (indiapost.com). The bodies that name an agency inside a sentence ("said in an email to The Associated Press",
# "according to Reuters", "According to AFP, one user on Weibo") credit nobody.
WIRE_CREDITS = {
    "57d46c9d751e": [("Reuters", "NEW YORK (Reuters) -", "dateline")],
    "5caf91b8a442": [("The Associated Press", "HAYWARD, Calif. (AP) —", "dateline")],
    "5f9c5ed5d64d": [("PTI", "PTI", "byline")],  # "... to sneak into the US. PTI" (indiapost.com)
    "82b6d780c792": [("The Associated Press", "WASHINGTON (AP) —", "dateline")],
    "a6968f427cdb": [("The Associated Press", "COLUMBIA, S.C. (AP) —", "dateline")],
    "aec5deeaada8": [("The Associated Press", "WASHINGTON (AP) —", "dateline")],
    "c467d507551a": [("The Associated Press", "ST. JOSEPH, Mich. (AP) —", "dateline")],
    "d0382c0d9573": [("The Associated Press", "SAN FRANCISCO (AP) —", "dateline")],
    "db6b0816c612": [("The Associated Press", "HANOI, Vietnam (AP) —", "dateline")],
    "e7994d550087": [("The Associated Press", "LONDON (AP) —", "dateline")],
    "ef4e67b66d63": [("CNN", "(CNN)", "dateline")],  # "(CNN) President Donald Trump ..." on cnn.com
    "eecd2575093b": [("The Associated Press", "LOS ANGELES (AP) —", "dateline")],
    "ef2b3f268a67": [("The Associated Press", "SANTA FE, N.M. (AP) —", "dateline")],
}


def test_agency_credits_in_the_131_real_benchmark_bodies():
    assert len(BODIES) == 131
    found = {}
    for key, item in BODIES.items():
        wire = [(e.publisher, e.text, credit_form(e.text)) for e in credits(item["articleBody"])
                if credit_form(e.text) != "credit"]
        if wire:
            found[key[:12]] = wire
    assert found == WIRE_CREDITS


def test_mentions_inside_sentences_are_not_credits():
    for prefix, mention in [("7a457a4f7173", "said in an email to The Associated Press"),
                            ("ea25dd7edff4", "according to Reuters"),
                            ("ba4dfe2d3e81", "According to AFP, one user on Weibo"),
                            ("b6906ca016bb", "Reuters reported")]:
        text = body(prefix)
        assert mention in text
        assert credits(text) == [], prefix
        # at the very start of the text, the mention is still a sentence, not a dateline
        start = text[text.index(mention):]
        assert [e.publisher for e in credits(start)] == [], prefix
    assert credits("according to an AP report, the vote (AP) — was close.") == []


def test_a_dateline_counts_only_at_the_start():
    paras = body("57e2e98887a1").split("\n\n")  # a real press release (my6sense.com)
    assert [e.publisher for e in credits("\n\n".join(["WASHINGTON (AP) — " + paras[0], *paras[1:]]))] == [
        "The Associated Press"]
    deep = paras[:6] + ["WASHINGTON (AP) — " + paras[6]] + paras[7:]
    assert credits("\n\n".join(deep)) == []


def test_a_sentence_about_something_else_that_first_appeared_is_not_a_credit():
    text = body("c467d507551a")  # AP copy on cbslocal.com: "Cases of ... first appeared in West Michigan at the end of August"
    assert "first appeared in West Michigan" in text
    assert [e.publisher for e in credits(text)] == ["The Associated Press"]


REAL_FORMS = [
    # (dateline or byline, how it is put on a real body, publisher)
    ("NEW YORK, Jan. 5, 2024 /PRNewswire/ -- ", "start", "PR Newswire"),
    ("NEW YORK, Jan. 5, 2024 /PRNewswire-PRWeb/ -- ", "start", "PRWeb"),
    ("BAAR, Switzerland--(BUSINESS WIRE)--", "start", "Business Wire"),
    ("NEW YORK, Jan. 05, 2024 (GLOBE NEWSWIRE) -- ", "start", "GlobeNewswire"),
    ("NEW YORK, NY / ACCESSWIRE / January 5, 2024 / ", "start", "ACCESSWIRE"),
    ("TORONTO, Jan. 5, 2024 /CNW/ - ", "start", "CNW"),
    ("WASHINGTON (AP) — ", "start", "The Associated Press"),
    ("LONDON, 12 March (Reuters) - ", "start", "Reuters"),
    ("OTTAWA (CP) - ", "start", "The Canadian Press"),
    ("NEW DELHI, Nov 20 (PTI) ", "start", "PTI"),
    ("New Delhi, Nov 20 (IANS) ", "start", "IANS"),
    ("New Delhi [India], November 20 (ANI): ", "start", "ANI"),
    ("BEIJING, Nov. 20 (Xinhua) -- ", "start", "Xinhua"),
    ("SEOUL, Nov. 20 (Yonhap) -- ", "start", "Yonhap"),
    ("TOKYO, Nov. 20 (Kyodo) -- ", "start", "Kyodo News"),
    ("SYDNEY, Nov 20 (AAP) - ", "start", "AAP"),
    ("WASHINGTON, Nov. 20 (UPI) -- ", "start", "UPI"),
    ("KUALA LUMPUR, Nov 20 (Bernama) -- ", "start", "Bernama"),
    ("MOSCOW, November 20. /TASS/. ", "start", "TASS"),
    ("By THE ASSOCIATED PRESS\n", "start", "The Associated Press"),
    ("By Reuters Staff\n", "start", "Reuters"),
    ("By STEVE PEOPLES AP National Political Writer\n", "start", "The Associated Press"),
    ("\nAssociated Press", "end", "The Associated Press"),
    (" — AFP", "end", "AFP"),
    ("\n(With inputs from PTI)", "end", "PTI"),
    ("\nThis report by The Canadian Press was first published Nov. 20, 2019.", "end", "The Canadian Press"),
]


@pytest.mark.parametrize("line,where,publisher", REAL_FORMS, ids=[f[0].strip() for f in REAL_FORMS])
def test_real_dateline_and_byline_forms_on_a_real_body(line, where, publisher):
    text = body("c69e539d689a").split("\n\n", 1)[1]  # a real Ascom press release, without its "BAAR, SWITZERLAND"
    assert credits(text) == []
    text = line + text if where == "start" else text + line
    found = credits(text)
    assert [e.publisher for e in found] == [publisher]
    assert credit_form(found[0].text) in ("dateline", "byline")


@pytest.mark.parametrize("name,dateline,publisher", [
    ("liberation-1", "Paris (AFP) – ", "AFP"),
    ("liberation-1", "KATMANDOU, 30 avr 2015 (AFP) - ", "AFP"),
    ("cnet-svg-classes", "Madrid, 5 ene (EFE).- ", "EFE"),
    ("cnet-svg-classes", "CIUDAD DE MÉXICO, 5 de enero (AP) — ", "The Associated Press"),
    ("heise", "Berlin (dpa) - ", "dpa"),
    ("heise", "Hamburg/Berlin (dpa/lno) - ", "dpa"),
    ("heise", "Frankfurt/Main (Reuters) - ", "Reuters"),
])
def test_datelines_in_the_agencies_languages(name, dateline, publisher):
    paras = PARAGRAPHS[name]["paragraphs"]
    assert credits("\n".join(paras)) == []
    assert [e.publisher for e in credits("\n".join([dateline + paras[0], *paras[1:]]))] == [publisher]


def test_italian_ansa_dateline_on_a_real_italian_body():
    text = body("b6fb53e9fb04")  # remember8090.it
    assert credits(text) == []
    assert [e.publisher for e in credits("(ANSA) - ROMA, 20 NOV - " + text)] == ["ANSA"]


def test_look_alikes_are_not_credits():
    text = body("c69e539d689a").split("\n\n", 1)[1]
    assert credits("Canadian Pacific (CP) — shares rose. " + text) == []  # a ticker
    assert credits(text + "\nPhoto: AFP") == []  # a photo credit
    assert credits(text + "\nThe deal was reported to Reuters") == []


@pytest.mark.parametrize("pattern,test", [
    (_DATELINE, lambda line: bool(_DATELINE_GATE.search(line))),
    (_BYLINE, lambda line: line.lstrip().startswith(_BY_WORDS)),
    (_STANDALONE, lambda line: len(line.lstrip()) <= _STANDALONE_CHARS),
], ids=["dateline", "byline", "standalone"])
@hsettings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_wire_pattern_is_skipped_only_where_it_cannot_match(pattern, test, data):
    """The cheap test before each pattern passes every line the pattern matches at its start."""
    line = data.draw(st.from_regex(pattern, fullmatch=True).filter(lambda s: "\n" not in s))
    assert pattern.match(line) and test(line)


@hsettings(max_examples=80, deadline=None)
@given(data=st.data())
def test_the_end_signature_is_searched_where_it_can_be(data):
    line = data.draw(st.from_regex(_END, fullmatch=True).filter(lambda s: "\n" not in s))
    assert _END.search(line)
    line = line.rstrip()
    assert line.rstrip(".").endswith(_END_AGENCIES) and _END.search(line, max(0, len(line) - _END_REACH))


# --- publisher names -----------------------------------------------------------------------------------

SITE_NAMES = json.loads((ORIGINS / "site-names.json").read_text(encoding="utf-8"))


def test_clean_publisher_on_the_real_site_names_of_the_readability_pages():
    names = SITE_NAMES["readability-test-pages"]
    assert len(names) == 130
    changed = {page: (name, clean_publisher(name)) for page, name in names.items() if name and clean_publisher(name) != name}
    assert changed == {
        "002": ("Mozilla Hacks – the Web developer blog", "Mozilla Hacks"),
        "simplyfound-1": ("SIMPLYFOUND.COM | BY: JOE WEE", "SIMPLYFOUND.COM"),
        "tmz-1": ("http://www.tmz.com", None),
    }
    assert clean_publisher(names["wikipedia-2"]) == "Wikimedia Foundation, Inc."  # the abbreviation keeps its period


def test_clean_publisher_on_the_site_names_trafilatura_read_from_the_benchmark_pages():
    names = SITE_NAMES["article-extraction-benchmark (trafilatura 2.3.1)"]
    changed = {key[:12]: (name, clean_publisher(name)) for key, name in names.items() if name and clean_publisher(name) != name}
    assert changed == {
        "b6fb53e9fb04": ("Remember 80/90 - Memorabilia anni 80/90", "Remember 80/90"),
        "c82b3d1d540b": ("Wday_", "Wday"),
        "cc03ddb5ef7d": ("Autoracing | F1 | Indy | MotoGP | StockCar", "Autoracing"),
        "f344ca5fb36e": ("https://www.hawaiinewsnow.com", None),
        "f6ac15a4d985": ("Copyright 2014", None),
        "ff0f958ade71": ("потеря веса до 10 кг. Отзывы", None),
    }


@pytest.mark.parametrize("name,cleaned", [
    ("The One to Watch: Logitech Harmony One Introduces…", None),  # a headline stored as a publisher (real crawl)
    ("© 2000 Rural Press Ltd.", "Rural Press Ltd."),  # a copyright line: its holder is the publisher
    ("Copyright 2019 by The Associated Press. All rights reserved.", "The Associated Press"),
    ("All rights reserved", None),
    ("Trump says impeachment inquiry is a sham, calls for vote | CNN", "CNN"),
    ("Is this the end of the news business?", None),
    ("Home", None),
    ("  The   Guardian ", "The Guardian"),
    ("St. Louis Post-Dispatch", "St. Louis Post-Dispatch"),
    ("Agence France-Presse (AFP)", "Agence France-Presse"),
    ("", None),
    (None, None),
])
def test_clean_publisher(name, cleaned):
    assert clean_publisher(name) == cleaned


def test_a_source_link_whose_text_is_a_headline_names_no_publisher():
    (page,) = [p for p in read_paths([SAMPLE_CORPUS / "crawl-2023-11-12.jsonl"]) if p.record == "line 2"]
    html = page.html if isinstance(page.html, str) else page.html.decode("utf-8")
    headline = "The One to Watch: Logitech Harmony One Introduces…"
    assert ">CNN</a>" in html
    (link,) = [e for e in source_links(parse_html(html.replace(">CNN</a>", f">{headline}</a>", 1)), page.url) if e.kind == LINK]
    assert (link.url, link.publisher) == (CNN, None)
