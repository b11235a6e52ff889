"""Verification rules and connected components."""

import numpy as np
from hypothesis import given, strategies as st

from syndicate.cluster import components
from syndicate.match import DUPLICATE, PARTIAL, classify
from syndicate.settings import Settings

S = Settings()


def ids(lo, hi):
    return np.arange(lo, hi, dtype=np.uint32)


def test_same_set_is_a_duplicate():
    m = classify(ids(0, 300), ids(0, 300), S)
    assert m.kind == DUPLICATE and m.similarity == 1.0 and m.containment == 1.0


def test_edited_copy_above_threshold_is_a_duplicate():
    m = classify(ids(0, 300), ids(30, 320), S)  # 270 shared of 320
    assert m.kind == DUPLICATE and abs(m.similarity - 270 / 320) < 1e-6


def test_first_half_is_partial_even_below_threshold():
    m = classify(ids(0, 400), ids(0, 150), S)
    assert m.kind == PARTIAL and m.containment == 1.0 and m.similarity < S.threshold


def test_low_overlap_is_no_match():
    assert classify(ids(0, 300), ids(200, 500), S) is None


def test_tiny_set_contained_in_large_one_is_not_a_match():
    assert classify(ids(0, 1000), ids(0, S.min_shingles - 1), S) is None


def test_empty_sets_never_match():
    assert classify(ids(0, 0), ids(0, 0), S) is None


def test_components_label_each_node_with_smallest_member():
    comps = components([(5, 9), (9, 2), (7, 8), (2, 5)])
    assert comps == {5: 2, 9: 2, 2: 2, 7: 7, 8: 7}


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=80))
def test_components_agree_with_breadth_first_search(edges):
    comps = components(edges)
    adj = {}
    for a, b in edges:
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    for start in adj:
        seen, todo = {start}, [start]
        while todo:
            for nxt in adj[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        assert comps[start] == min(seen)
