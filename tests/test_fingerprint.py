"""Fingerprints: datasketch compatibility, shingling laws, estimate accuracy."""

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings as hsettings, strategies as st

from syndicate.fingerprint import band_hashes, fingerprint, minhash, overlap, shingle_hashes
from syndicate.settings import Settings, lsh_params
from syndicate.text import tokens

ARTICLE = (
    "The parties involved in the ongoing negotiations to secure the release of hostages that Hamas is "
    "holding in Gaza are working toward a deal that would entail a sustained, days-long pause in fighting "
    "in exchange for a large group of hostages being freed, a senior US official familiar with the talks "
    "told CNN Friday. “It’s been close before. There’s no certainty at all.”"
)


def datasketch_minhash(hashes, num_perm=128, seed=1):
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda x: x)
    m.update_batch([int(h) for h in hashes])
    return m


@pytest.mark.parametrize("num_perm,seed", [(128, 1), (64, 7), (256, 42)])
def test_signature_is_bit_identical_to_datasketch(num_perm, seed):
    hashes = shingle_hashes(ARTICLE)
    ours = minhash(hashes, num_perm, seed)
    theirs = datasketch_minhash(hashes, num_perm, seed)
    assert ours.dtype == np.uint32
    assert np.array_equal(ours, theirs.hashvalues)
    # and a stored signature loads into datasketch as a working MinHash
    loaded = MinHash(num_perm=num_perm, seed=seed, hashvalues=ours, scheme="affine32")
    assert loaded.jaccard(theirs) == 1.0


def test_empty_set_matches_empty_datasketch_minhash():
    assert np.array_equal(minhash(np.array([], dtype=np.uint32)), MinHash(num_perm=128).hashvalues)


@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), min_size=1, max_size=300))
@hsettings(max_examples=50, deadline=None)
def test_any_hash_set_matches_datasketch(values):
    hashes = np.unique(np.array(values, dtype=np.uint32))
    assert np.array_equal(minhash(hashes), datasketch_minhash(hashes).hashvalues)


def test_bands_and_rows_are_datasketch_choice():
    for threshold in (0.3, 0.5, 0.8):
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        assert lsh_params(threshold, 128) == (lsh.b, lsh.r)
        s = Settings(candidate_threshold=threshold)
        assert (s.bands, s.rows) == (lsh.b, lsh.r)


words = st.lists(st.sampled_from("alpha beta gamma delta epsilon zeta eta theta iota kappa".split()), min_size=1, max_size=60)


@given(words)
@hsettings(max_examples=60, deadline=None)
def test_similarity_to_itself_is_one(ws):
    h = shingle_hashes(" ".join(ws))
    sim, cont, _ = overlap(h, h)
    assert sim == 1.0 and cont == 1.0


@given(words, st.sampled_from([" ", "  ", "\n", "\t", " \n "]))
@hsettings(max_examples=60, deadline=None)
def test_shingles_ignore_whitespace_case_and_quote_style(ws, sep):
    plain = " ".join(ws)
    varied = sep.join(f"“{w.upper()}”" if i % 3 == 0 else f"'{w}'" for i, w in enumerate(ws))
    assert np.array_equal(shingle_hashes(plain), shingle_hashes(varied))


def test_unicode_normalisation_folds_compatibility_forms():
    assert tokens("ﬁnancial ＦＵＬＬＷＩＤＴＨ Straße") == ["financial", "fullwidth", "strasse"]


def test_scripts_without_spaces_get_character_shingles():
    text = "香港示威者与警方在理工大学对峙"
    assert tokens(text) == list(text)
    # one character changed alters only the shingles that cover it
    changed = text[:7] + "X" + text[8:]
    sim, _, _ = overlap(shingle_hashes(text), shingle_hashes(changed))
    assert 0.0 < sim < 1.0


def test_text_shorter_than_shingle_is_one_shingle():
    assert len(shingle_hashes("two words", 5)) == 1
    assert len(shingle_hashes("", 5)) == 0


def test_estimate_tracks_exact_jaccard_within_minhash_error():
    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(5000)]
    base = list(rng.choice(vocab, 800))
    errors = []
    for keep in (0.3, 0.5, 0.7, 0.9):
        other = base[: int(len(base) * keep)] + list(rng.choice(vocab, 200))
        a, b = shingle_hashes(" ".join(base)), shingle_hashes(" ".join(other))
        exact, _, _ = overlap(a, b)
        estimate = float(np.mean(minhash(a) == minhash(b)))
        errors.append(abs(estimate - exact))
    # Standard error of a 128-permutation estimate is at most 0.5/sqrt(128) = 0.044;
    # 3.5 standard errors bound each of the four estimates.
    assert max(errors) < 3.5 * 0.5 / np.sqrt(128)


def test_fingerprint_bands_cover_full_text_and_lead_passage():
    s = Settings()
    long_text = " ".join(f"word{i}" for i in range(400))
    half = " ".join(f"word{i}" for i in range(200))
    fa, fb = fingerprint(long_text, s), fingerprint(half, s)
    assert len(fa.bands) == 2 * s.bands
    assert np.array_equal(fa.bands[: s.bands], band_hashes(fa.signature, s.bands, s.rows))
    # the truncated copy shares the opening passage, so every lead band agrees
    assert np.array_equal(fa.bands[s.bands :], fb.bands[s.bands :])
    assert not np.array_equal(fa.bands[: s.bands], fb.bands[: s.bands])


@pytest.mark.parametrize("num_perm,seed", [(128, 1), (16, 3), (512, 99)])
def test_permutations_are_datasketch_permutations(num_perm, seed):
    from syndicate.fingerprint import permutations

    a, b = permutations(num_perm, seed)
    theirs = MinHash(num_perm=num_perm, seed=seed).permutations
    assert np.array_equal(a, theirs[0]) and np.array_equal(b, theirs[1])


@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_lsh_params_agree_with_datasketch_across_thresholds(num_perm):
    for threshold in (0.15, 0.3, 0.45, 0.5, 0.65, 0.8, 0.9):
        lsh = MinHashLSH(threshold=float(threshold), num_perm=num_perm)
        assert lsh_params(float(threshold), num_perm) == (lsh.b, lsh.r), threshold
