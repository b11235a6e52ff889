"""Template pairs (syndicate/match/templates.py): one robo-news frame filled twice is not a copy;
an edited copy of a real article, or of a templated story, stays a copy.

Data: tests/data/templates/ (frames modelled on real robo-journalism, filled with
real names; see its README) and the real article bodies of tests/data/pages,
edited as syndicators edit them (tests/data/templates/edits.py). The same check
over all 131 bodies of the shared benchmark is benchmarks/template_pairs.py.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from conftest import DATA, load_truth, page_html
from syndicate.fingerprint.minhash import shingle_hashes
from syndicate.match.candidates import classify
from syndicate.match.templates import _read, align, is_template_pair, template_features
from syndicate.settings import Settings

TEMPLATES = DATA / "templates"
FRAMES = ("volatility", "gap", "earnings", "lottery", "recap", "weather")
# Same company (another quarter) or same lottery (another draw): only the headlines,
# which differ in a date or period, tell these apart from an updated copy.
SAME_ENTITY = {("earnings", "home-depot-q3", "home-depot-q2"), ("lottery", "ohio-0504", "ohio-0508")}
CREDIT = "This story was republished from our partner's site with permission. (c) 2024 Partner Media."


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"templates_{name}", TEMPLATES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


edits = _load("edits")
make = _load("make")


def frame_cases(frame: str) -> list[dict]:
    return json.loads((TEMPLATES / f"{frame}.json").read_text(encoding="utf-8"))["cases"]


def pairs(frame: str) -> list[tuple[dict, dict]]:
    return list(itertools.combinations(frame_cases(frame), 2))


def title_of(html: str) -> str | None:
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.S | re.I)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else None


@pytest.fixture(scope="module")
def real_pages() -> list[tuple[str, str, str | None]]:
    """(key, body, <title>) of the six real pages of tests/data/pages."""
    out = []
    for key, item in load_truth().items():
        out.append((key, item["articleBody"], title_of(page_html(key).decode("utf-8", "replace"))))
    assert len(out) == 6 and all(title for _, _, title in out)
    return out


# The stored cases


def test_stored_cases_are_what_make_py_writes():
    built = make.build()
    assert sorted(built) == sorted(FRAMES)
    for frame, data in built.items():
        assert json.loads((TEMPLATES / f"{frame}.json").read_text(encoding="utf-8")) == data, frame
        assert len(data["cases"]) >= 5
        assert len({c["id"] for c in data["cases"]}) == len(data["cases"])


# Same template, other fill: detected


@pytest.mark.parametrize("frame", FRAMES)
def test_template_pairs_of_each_frame_are_detected(frame):
    found = [a["id"] for a, b in pairs(frame) if is_template_pair(a["text"], b["text"], a["title"], b["title"])]
    assert len(found) == len(pairs(frame)) >= 10


@pytest.mark.parametrize("frame", FRAMES)
def test_template_pairs_with_other_names_are_detected_without_titles(frame):
    other_names = [(a, b) for a, b in pairs(frame) if (frame, a["id"], b["id"]) not in SAME_ENTITY]
    missed = [(a["id"], b["id"]) for a, b in other_names if not is_template_pair(a["text"], b["text"])]
    assert missed == []


@pytest.mark.parametrize("frame, id_a, id_b", sorted(SAME_ENTITY))
def test_same_company_or_lottery_other_period_needs_the_headlines(frame, id_a, id_b):
    cases = {c["id"]: c for c in frame_cases(frame)}
    a, b = cases[id_a], cases[id_b]
    assert is_template_pair(a["text"], b["text"], a["title"], b["title"])
    assert not is_template_pair(a["text"], b["text"])  # other figures, same names: could be an update
    assert not is_template_pair(a["text"], b["text"], a["title"], a["title"])  # one headline: an update
    # headlines that differ in a count, not a date or period: an updated story ("toll rises to 12" / "to 15")
    assert not is_template_pair(a["text"], b["text"], "Results: 6 games drawn", "Results: 7 games drawn")


def test_the_reported_case_is_a_match_of_verification_and_a_template_pair():
    """Two "Does X Have A Particularly Volatile Share Price?" notes on two companies:
    verification takes them for one article (the user's report: Jaccard 0.46,
    containment 0.64, "duplicate"); they are a template pair."""
    settings = Settings()
    cases = {c["id"]: c for c in frame_cases("volatility")}
    a, b = cases["adobe"], cases["tesla"]
    found = classify(shingle_hashes(a["text"], 5), shingle_hashes(b["text"], 5), settings)
    assert found is not None and found.kind == "duplicate"
    assert 0.4 < found.similarity < 0.6
    assert is_template_pair(a["text"], b["text"], a["title"], b["title"])
    verified = [(x, y) for x, y in pairs("volatility")
                if classify(shingle_hashes(x["text"], 5), shingle_hashes(y["text"], 5), settings) is not None]
    assert len(verified) == 15
    assert all(is_template_pair(x["text"], y["text"]) for x, y in verified)


def test_features_name_the_fill():
    cases = {c["id"]: c for c in frame_cases("volatility")}
    a, b = cases["adobe"], cases["tesla"]
    f = template_features(a["text"], b["text"], a["title"], b["title"])
    assert {"adobe", "adbe"} <= set(f.names_a) and {"tesla", "tsla"} <= set(f.names_b)
    assert f.frame and f.fill_differs and f.is_template
    assert f.slots >= 10 and f.distinct >= 4 and f.spread >= 5 and f.filler_share >= 0.8
    assert f.title_fill is False  # the headlines differ in names, not in a date or period


def test_template_pairs_are_detected_with_the_frame_lines_set_aside():
    """Pages of one site are verified without the lines the site repeats: the slots' lines remain."""
    for frame in ("volatility", "gap", "recap"):
        cases = frame_cases(frame)
        lines = [set(c["text"].split("\n")) for c in cases]
        common = set.intersection(*lines)
        assert common, frame
        strip = lambda text: "\n".join(line for line in text.split("\n") if line not in common)  # noqa: E731
        for a, b in pairs(frame):
            assert is_template_pair(strip(a["text"]), strip(b["text"])), (frame, a["id"], b["id"])


# Real copies: not template


def _copies(pages, names):
    out = []
    for n, (key, body, title) in enumerate(pages):
        other = pages[(n + 1) % len(pages)][2]
        for name in names:
            copy, copy_title = edits.EDITS[name](body, title, other)
            if copy is not None:
                assert copy != body or copy_title != title, (name, key)
                out.append((name, key, body, copy, title, copy_title))
    return out


@pytest.mark.parametrize("name", ["change_number", "change_name", "truncate_half", "add_intro"])
def test_real_copy_with_the_brief_edits_is_not_template(real_pages, name):
    copies = _copies(real_pages, [name])
    assert len(copies) >= 4
    for _, key, body, copy, title, copy_title in copies:
        assert not is_template_pair(body, copy, title, copy_title), key
        assert not is_template_pair(copy, body, copy_title, title), key


def test_changed_number_and_name_are_one_place_each(real_pages):
    """The edits the tests rely on do what they say: one figure, one name in one place."""
    _, body, _ = next(p for p in real_pages if p[0].startswith("c90731f051d0"))
    copy = edits.change_numbers(body, 1)
    blocks = align(_read(body).keys, _read(copy).keys)
    assert len(blocks) == 1 and blocks[0][1] - blocks[0][0] == 1
    copy = edits.change_name(body)
    blocks = align(_read(body).keys, _read(copy).keys)
    assert len(blocks) == 1 and blocks[0][1] - blocks[0][0] == 1


def test_real_copy_with_every_edit_is_not_template(real_pages):
    copies = _copies(real_pages, list(edits.EDITS))
    assert len(copies) >= 70
    wrong = [(name, key[:12]) for name, key, body, copy, ta, tb in copies if is_template_pair(body, copy, ta, tb)]
    assert wrong == []


def test_every_figure_updated_is_a_frame_but_not_another_fill(real_pages):
    """A copy whose figures all changed (an update) differs in many filler slots, but its names
    are the same: not template. The measure says why."""
    _, body, title = next(p for p in real_pages if p[0].startswith("ef4e67b66d63"))  # nine figures
    copy, _ = edits.EDITS["update_figures"](body, title, title)
    f = template_features(body, copy, title, title)
    assert f.frame and not f.fill_differs and not f.is_template


@pytest.mark.parametrize("frame", FRAMES)
def test_copy_of_a_templated_story_is_not_template(frame):
    """A verbatim repost of one filled template with a site's credit line, and every other edit."""
    settings = Settings()
    for case in frame_cases(frame):
        repost = case["text"] + "\n" + CREDIT
        assert classify(shingle_hashes(case["text"], 5), shingle_hashes(repost, 5), settings) is not None
        assert not is_template_pair(case["text"], repost, case["title"], case["title"] + " | Partner Media")
        for name, edit in edits.EDITS.items():
            copy, copy_title = edit(case["text"], case["title"], "Stocks to watch this week")
            if copy is not None:
                assert not is_template_pair(case["text"], copy, case["title"], copy_title), (case["id"], name)


def test_different_real_articles_are_not_template(real_pages):
    for (_, a, ta), (_, b, tb) in itertools.combinations(real_pages, 2):
        assert not is_template_pair(a, b, ta, tb)
    cases = frame_cases("volatility")
    for _, body, title in real_pages:
        assert not is_template_pair(body, cases[0]["text"], title, cases[0]["title"])


# Robustness and cost


@pytest.mark.parametrize("a, b, ta, tb", [
    ("", "", None, None),
    ("", "Some text here.", None, ""),
    ("One two three.", "One two three.", "A", "A"),
    ("東京で会議が開かれた。価格は100円。", "大阪で会議が開かれた。価格は200円。", None, None),
    ("Apple rose 5%.", "Tesla rose 7%.", "Apple", "Tesla"),
])
def test_degenerate_inputs_are_not_template(a, b, ta, tb):
    assert is_template_pair(a, b, ta, tb) is False


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("abcdefgh"), max_size=60), st.lists(st.tuples(
    st.integers(0, 59), st.integers(0, 4), st.lists(st.sampled_from("abcdxyz"), max_size=4)), max_size=6))
def test_alignment_blocks_turn_a_into_b(a, changes):
    b = list(a)
    for at, cut, new in changes:
        at = min(at, len(b))
        b[at : at + cut] = new
    blocks = align(a, b)
    out, i0, j0 = [], 0, 0
    for i1, i2, j1, j2 in blocks:
        assert i0 <= i1 <= i2 and j0 <= j1 <= j2 and (i1 < i2 or j1 < j2)
        assert a[i0:i1] == b[j0:j1]  # between blocks the texts agree
        out += a[i0:i1] + b[j1:j2]
        i0, j0 = i2, j2
    assert a[i0:] == b[j0:]
    assert out + a[i0:] == b
