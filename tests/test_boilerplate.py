"""Site template lines: set aside when verifying, counted correctly as pages come and go."""

from __future__ import annotations

import duckdb
from hypothesis import given, strategies as st

from conftest import write_jsonl
from syndicate import scan
from syndicate.match.boilerplate import PageLines, line_hash, without_template
from syndicate.extract.evidence import site_of
from syndicate.text import token_stream

ARTICLE = ["First paragraph of the story that was copied.", "Second paragraph with more of the story."]
CHROME = ["Sign up for our newsletter today!", "DON'T MISS: another story"]


def counts(site: str, *pages: list[str]) -> dict:
    out: dict = {}
    for lines in pages:
        for h in {line_hash(x) for x in lines}:
            out[(site, h)] = out.get((site, h), 0) + 1
    return out


def test_line_hash_ignores_case_spacing_and_punctuation():
    assert line_hash("DON'T  miss: this!") == line_hash("don t miss this")


@given(lines=st.lists(st.text(alphabet="aB é漢.,' \t—", max_size=12), max_size=8))
def test_line_hashes_from_the_token_stream_equal_hashing_each_line(lines):
    """With the stream the workers computed, no line is tokenised again; blank lines fall back to hashing each line."""
    text = "\n".join(lines)
    assert PageLines.of("s.com", text, token_stream(text)) == PageLines.of("s.com", text)


def test_cross_site_chrome_absent_from_the_other_page_is_set_aside():
    copy = PageLines.of("copier.com", "\n".join(ARTICLE + CHROME))
    original = PageLines.of("origin.com", "\n".join(ARTICLE))
    pages = counts("copier.com", ARTICLE + CHROME, CHROME)  # the chrome recurs on another copier.com page
    a, b = without_template(copy, original, pages)
    assert a.split("\n") == ARTICLE and b.split("\n") == ARTICLE
    # a line the other page shares is kept even when it recurs on its own site
    shared = PageLines.of("origin.com", "\n".join(ARTICLE + CHROME[:1]))
    a, _ = without_template(copy, shared, pages)
    assert a.split("\n") == ARTICLE + CHROME[:1]


def test_chrome_two_sites_share_on_many_pages_is_not_shared_article_text(english_bodies):
    """A consent notice (real wording, tests/data/walls) on every page of two sites, beside two different real articles."""
    notice = ["We use cookies and other tracking technologies to improve your browsing experience on our site.",
              "By choosing I Accept, you consent to our use of cookies and other tracking technologies."]
    (_, story_a), (_, story_b) = english_bodies[:2]
    a = PageLines.of("one.com", "\n".join(notice + story_a[:1]))
    b = PageLines.of("two.com", "\n".join(notice + story_b[:1]))
    on_many = {**counts("one.com", *[notice] * 3), **counts("two.com", *[notice] * 3)}
    assert without_template(a, b, on_many) == (story_a[0], story_b[0])
    # on two pages of one site only (an article and its AMP copy), the shared lines are an article's, and stay
    on_few = {**counts("one.com", *[notice] * 2), **counts("two.com", *[notice] * 3)}
    assert without_template(a, b, on_few)[0].split("\n") == notice + story_a[:1]


def test_same_site_lines_on_a_third_page_are_template():
    one = PageLines.of("site.com", "\n".join(["Story one is about apples.", *CHROME]))
    two = PageLines.of("site.com", "\n".join(["Story two is about pears.", *CHROME]))
    only_two_pages = counts("site.com", one.lines, two.lines)
    assert without_template(one, two, only_two_pages)[0].split("\n") == list(one.lines)  # cannot tell yet
    third = counts("site.com", one.lines, two.lines, CHROME)
    a, b = without_template(one, two, third)
    assert (a, b) == ("Story one is about apples.", "Story two is about pears.")


def test_pages_without_a_site_keep_every_line():
    a = PageLines.of("", "\n".join(ARTICLE + CHROME))
    b = PageLines.of("", "\n".join(ARTICLE))
    assert without_template(a, b, {})[0] == "\n".join(ARTICLE + CHROME)


def test_site_line_counts_follow_the_stored_pages(tmp_path, english_bodies):
    (_, p1), (_, p2), (_, p3) = english_bodies[:3]
    chrome = ["More from The Example Times: local news, sports and weather, every morning in your inbox."]
    night1 = [{"url": f"https://www.example-times.com/{i}", "text": "\n".join(p + chrome)} for i, p in enumerate((p1, p2))]
    db = tmp_path / "s.duckdb"
    scan([write_jsonl(tmp_path / "n1.jsonl", night1)], db, workers=1)
    night2 = [{"url": "https://www.example-times.com/1", "text": "\n".join(p3)}]  # page 1 changes, loses the chrome
    scan([write_jsonl(tmp_path / "n2.jsonl", night2)], db, workers=1)
    with duckdb.connect(str(db), read_only=True) as con:
        stored = dict(((s, h), n) for s, h, n in con.execute("SELECT site, line_hash, pages FROM site_lines").fetchall())
        texts = con.execute("SELECT domain, text FROM documents WHERE status = 'article'").fetchall()
    expected: dict = {}
    for domain, text in texts:
        page = PageLines.of(site_of(domain), text)
        for h in page.distinct():
            expected[(page.site, h)] = expected.get((page.site, h), 0) + 1
    assert stored == expected
    assert stored[("example-times.com", line_hash(chrome[0]))] == 1


def test_short_articles_on_one_template_do_not_match_through_their_chrome(tmp_path, english_bodies):
    chrome = [
        "The Example Times is your trusted source for news from around the world, every single day of the year.",
        "Sign up for our morning newsletter and get the day's most important stories delivered to your inbox.",
        "Advertisement",
        "Most read: Ten things you need to know before the markets open on Monday morning in New York.",
        "Our journalists cover politics, business, science, culture and sport from bureaus on every continent.",
        "Support independent reporting: subscribe now and read without limits on the web and in our apps.",
        "Follow us on social media for breaking news alerts, live coverage and behind-the-scenes stories.",
        "Terms of use, privacy policy and cookie settings can be changed at any time from your account page.",
    ]
    shorts = [{"url": f"https://www.example-times.com/brief-{i}", "text": "\n".join([paras[0], *chrome])}
              for i, (_, paras) in enumerate(english_bodies[:4])]
    db = tmp_path / "s.duckdb"
    scan([write_jsonl(tmp_path / "c.jsonl", shorts[:2])], db, workers=1)
    with duckdb.connect(str(db), read_only=True) as con:  # two pages alone cannot tell template from article
        assert con.execute("SELECT count(*) FROM matches").fetchall()[0][0] == 1
    scan([write_jsonl(tmp_path / "d.jsonl", shorts[2:])], db, workers=1)
    with duckdb.connect(str(db), read_only=True) as con:  # a third page shows the chrome; the match is dropped
        assert con.execute("SELECT count(*) FROM matches").fetchall()[0][0] == 0
        assert con.execute("SELECT count(*) FROM clusters").fetchall()[0][0] == 0
