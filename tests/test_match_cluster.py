"""Verification rules and connected components."""

from pathlib import Path

import numpy as np
from hypothesis import given, strategies as st

from conftest import SAMPLE_CORPUS

from syndicate.match.cluster import components
from syndicate.match.candidates import DUPLICATE, PARTIAL, classify
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


def test_verification_with_worker_shingles_equals_recomputed():
    """The scan hands verification the shingle sets its workers computed; the verdicts must not change."""
    import json
    from pathlib import Path

    from syndicate.match.boilerplate import PageLines
    from syndicate.fingerprint.minhash import fingerprint_many
    from syndicate.match.candidates import verify

    truth = json.loads((Path(__file__).parent / "data" / "pages" / "ground-truth.json").read_text(encoding="utf-8"))
    body = next(p["articleBody"] for p in truth.values() if "cnn.com" in p["url"])
    lines = body.split("\n")
    texts = {1: body, 2: "\n".join(lines[: len(lines) // 2]), 3: body.replace("the", "a"), 4: "Unrelated words " * 40}
    pages = {d: PageLines.of(f"site{d}.example", t) for d, t in texts.items()}
    pairs = [(1, 2), (1, 3), (1, 4), (2, 3)]
    s = Settings()
    recomputed = verify(pairs, pages, {}, s)
    known = {d: fp.shingles for d, fp in zip(texts, fingerprint_many(list(texts.values()), s))}
    assert verify(pairs, pages, {}, s, known) == recomputed
    assert {(m.doc_a, m.doc_b) for m in recomputed} == {(1, 2), (1, 3), (2, 3)}


def test_worker_stage_imports_no_duckdb():
    """Extraction workers stay light: DuckDB loads only in the main process."""
    import subprocess
    import sys

    code = "import sys, syndicate.extract.worker; print('duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False"]


def test_a_scan_in_a_new_process_compiles_nothing(tmp_path):
    """No JIT: a first scan after install runs at full speed, and no cached kernel can crash a rerun.

    The scan runs in a fresh interpreter with a band index from the first page
    (lookups, sorts and merges all run), and must load neither numba nor llvmlite.
    """
    import os
    import subprocess
    import sys

    code = (
        "import sys; from syndicate import scan; "
        f"s = scan([{str(SAMPLE_CORPUS)!r}], {str(tmp_path / 'c.duckdb')!r}, workers=1); "
        "print(s.articles, s.new_matches, sorted(m for m in ('numba', 'llvmlite') if m in sys.modules))"
    )
    env = dict(os.environ, SYNDICATE_BAND_INDEX_MIN_ROWS="0")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    articles, matches, jit = out.split(maxsplit=2)
    assert int(articles) > 20 and int(matches) > 0
    assert jit.strip() == "[]"
    assert Path(str(tmp_path / "c.duckdb") + ".bands").is_dir()
