"""The real-crawl benchmark in small (benchmarks/realcrawl.py): built from the repository's own real pages only.

The corpus (about 90 pages for seed 1) is made from the six real pages of
tests/data/pages, the real pages of sample_corpus/ (their true text from
tests/data/origins), the walls of tests/data/walls and the template stories of
tests/data/templates; nothing is read from ../shared. It is scanned with
``syndicate scan`` and scored through the documented SQL, like the full run,
once in each extraction mode (``--extract fast``, the default, and
``precise``): every test runs on both.

Floors sit at today's figures on this corpus: no false pair among the 19
independent pages, no wall pair matched (wall pages detected with their
reason: 13 of 20 fast, 14 precise; stored as no article: 18 fast, 14
precise), no template pair reported as a copy (27 of 27 stored as
``template``) and every verbatim copy matched, every URL variant group joined
with its canonical page as origin, 2 of 3 origins right where the
aggregator's copy is dated earlier (the third origin page, blog.comwrap.com,
has no date syndicate reads), every wire cluster attributed to its agency.
About 10 s a mode on 2 cores.
"""

from __future__ import annotations

import copy
import os
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import realcrawl  # noqa: E402

SMALL = realcrawl.Scale(wire=2, dates=3, variants=3, edge=2, walls=8, walls_multi=2, frames=3, fills=4)


@pytest.fixture(scope="module", params=["fast", "precise"])
def small(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"realcrawl-{request.param}")
    sources = realcrawl.load_repository(ROOT)
    truth = realcrawl.build(sources, folder, seed=1, scale=SMALL)
    with pytest.MonkeyPatch.context() as env:
        env.setitem(os.environ, "SYNDICATE_EXTRACT", request.param)  # the scan runs `syndicate scan` as a user does
        db, _seconds = realcrawl.run_scan(folder / "corpus.jsonl", folder, workers=2)
    return {"sources": sources, "truth": truth, "db": db, "scores": realcrawl.score(db, truth), "mode": request.param}


def test_the_corpus_holds_every_case_from_repository_pages(small):
    truth, sources = small["truth"], small["sources"]
    known = {p.url for p in sources.pages}
    assert all(u in known for u in truth["independent"])  # the real pages, none from ../shared
    assert len(truth["independent"]) >= 15
    assert len(truth["walls"]) == 8 and sum(len(w["urls"]) > 2 for w in truth["walls"]) == 2
    assert len(truth["templates"]) == 3 and all(f["copies"] for f in truth["templates"])
    assert len(truth["variants"]) == 3 and len(truth["dates"]) == 3 and len(truth["wire"]) == 2
    assert len(truth["edge"]) == 2
    scores = small["scores"]
    assert not scores["pages"]["unmapped"]  # every crawl record is a document


def test_independent_real_pages_never_match(small):
    s = small["scores"]["independent"]
    assert s["pages"] >= 15
    assert s["false_pairs"] == 0, s["details"]


def test_walls_are_never_matched(small):
    s = small["scores"]["walls"]
    assert s["pairs"] >= 15
    assert s["matched"] == 0, s["details"]
    assert s["in_clusters"] == 0
    assert s["detected"] >= 12 and s["expected_reason"] >= 12, s["missed"]
    assert s["no_article"] >= 14, s["missed"]  # recognised as no article, whatever the reason
    # a wall page is no copy, even when its chrome credits someone ("Associated Press", "SyndiGate.info")
    assert s["in_syndication"] == 0, s["syndication_rows"]
    edge = small["scores"]["wall_edge"]
    assert edge["articles"] == 2 and edge["matched"] == 2, edge["missed"]


def test_template_stories_are_not_copies(small):
    s = small["scores"]["templates"]
    assert s["pairs"] >= 20
    assert s["as_copies"] == 0, s["details"]
    assert s["as_template"] >= s["pairs"] // 3
    assert s["copies"] == 3 and s["copies_matched"] == 3, s["copies_missed"]


def test_url_variants_are_one_article(small):
    s = small["scores"]["variants"]
    assert s["groups"] == 3
    assert s["joined"] == 3, s["details"]
    assert s["syndication_rows"] == 0, s["details"]
    assert s["origin_canonical"] == 3, s["details"]


def test_origins_when_dates_lie_and_wire_copy(small):
    s = small["scores"]
    assert s["dates"]["clusters"] == 3 and s["dates"]["clustered"] == 3
    assert s["dates"]["accuracy"] >= 0.6, s["dates"]["details"]
    assert s["background"]["reposts"] >= 10 and s["background"]["origin_right"] == s["background"]["reposts"]
    assert s["wire"]["clusters"] == 2 and s["wire"]["attributed"] == 2, s["wire"]["details"]


def test_nothing_else_matches_and_nothing_expected_is_missed(small):
    s = small["scores"]
    assert s["other"]["unexpected_pairs"] == 0, s["other"]["details"]
    assert s["expected"]["pairs"] >= 20 and s["expected"]["found"] == s["expected"]["pairs"], s["expected"]["missed"]


def test_the_scorer_counts_what_it_is_shown(small):
    """The same database scored against a truth that calls matched pages unrelated: the figures move."""
    truth = copy.deepcopy(small["truth"])
    group = truth["variants"][0]
    truth["independent"].append(group["urls"][1])  # the AMP variant of a page, now "independent" of it
    date_case = truth["dates"][0]
    truth["walls"].append({"id": "fake", "reason": "paywall", "urls": [date_case["origin"], date_case["aggregator_copy"]],
                           "sites": [], "hosts": []})
    frame = truth["templates"][0]
    copy_ = frame["copies"][0]
    frame["copies"][0] = {**copy_, "fill": "another fill"}  # a verbatim copy, now a template pair with its original
    scores = realcrawl.score(small["db"], truth)
    assert scores["independent"]["false_pairs"] == 1
    assert scores["walls"]["matched"] == 1
    assert scores["templates"]["as_copies"] == 1


def test_duplicates_in_the_data_are_found_from_true_texts():
    text = " ".join(f"word{i} and more words about item {i}." for i in range(60))
    other = " ".join(f"different{i} text on another subject number {i}." for i in range(60))
    found = realcrawl.duplicates_in_data({"a": text, "b": text[: len(text) // 2], "c": other})
    assert [(a, b) for a, b, _c in found] == [("a", "b")]


def test_url_variants_are_spelled_as_crawls_spell_them():
    url = "https://www.example.com/news/story-1/?id=7"
    assert realcrawl._amp_url(url, host_form=True) == "https://amp.example.com/news/story-1/?id=7"
    assert realcrawl._amp_url(url, host_form=False) == "https://www.example.com/news/story-1/amp?id=7"
    assert realcrawl._with_query(url, realcrawl.UTM) == f"https://www.example.com/news/story-1/?id=7&{realcrawl.UTM}"


def test_missing_shared_data_is_one_clear_error(tmp_path, capsys):
    assert realcrawl.main(["--shared", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "../shared/corpora" in err
