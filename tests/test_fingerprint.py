"""Fingerprints: datasketch compatibility, shingling laws, estimate accuracy."""

import json
from pathlib import Path

import numpy as np
import pytest
import xxhash
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings as hsettings, strategies as st

from syndicate.fingerprint.minhash import (
    _distinct, band_hashes, fingerprint, fingerprint_many, minhash, overlap, shingle_hashes,
)
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
    from syndicate.fingerprint.minhash import permutations

    a, b = permutations(num_perm, seed)
    theirs = MinHash(num_perm=num_perm, seed=seed).permutations
    assert np.array_equal(a, theirs[0]) and np.array_equal(b, theirs[1])


@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_lsh_params_agree_with_datasketch_across_thresholds(num_perm):
    for threshold in (0.15, 0.3, 0.45, 0.5, 0.65, 0.8, 0.9):
        lsh = MinHashLSH(threshold=float(threshold), num_perm=num_perm)
        assert lsh_params(float(threshold), num_perm) == (lsh.b, lsh.r), threshold


# --- the numpy implementation against plain-Python references ------------------------------

_MASK64 = (1 << 64) - 1


def _fmix64(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    return h ^ (h >> 33)


def reference_shingles(text: str, k: int = 5) -> list[int]:
    """The shingle set as documented, one Python step at a time."""
    th = [xxhash.xxh3_64_intdigest(w.encode()) for w in tokens(text)]
    k = min(k, len(th))
    seq = []
    for i in range(len(th) - k + 1 if th else 0):
        acc = th[i]
        for j in range(1, k):
            acc = (acc * 0x9E3779B97F4A7C15 + th[i + j]) & _MASK64
        seq.append(_fmix64(acc) >> 32)
    return seq


def reference_fingerprint(text: str, s: Settings):
    """Signature via datasketch itself, bands and paragraph hashes via the xxhash binding."""
    seq = reference_shingles(text, s.shingle_size)
    sig = datasketch_minhash(sorted(set(seq)), s.num_perm, s.seed).hashvalues.astype(np.uint32)
    lead = datasketch_minhash(sorted(set(seq[: s.lead_words])), s.num_perm, s.seed).hashvalues.astype(np.uint32)
    bands = [xxhash.xxh3_64_intdigest(v[i * s.rows : (i + 1) * s.rows].astype("<u4").tobytes())
             for v in (sig, lead) for i in range(s.bands)]
    paragraphs = sorted({xxhash.xxh3_64_intdigest(" ".join(tokens(line)[:8]).encode())
                         for line in text.split("\n") if len(tokens(line)) >= 8})
    return sorted(set(seq)), sig, bands, paragraphs


GROUND_TRUTH = Path(__file__).parent / "data" / "pages" / "ground-truth.json"


def _real_texts() -> list[str]:
    """The true bodies of the six real pages (six languages), and edge cases."""
    texts = [page["articleBody"] for page in json.loads(GROUND_TRUTH.read_text(encoding="utf-8")).values()]
    assert len(texts) == 6
    return texts + [ARTICLE, "", "one", "a b c", "日本語のテキストです。香港示威者", "x\n\n  y z\n" * 30, "word " * 500]


def test_fingerprints_are_bit_identical_to_datasketch_and_xxhash_references():
    s = Settings()
    texts = _real_texts()
    for text, fp in zip(texts, fingerprint_many(texts, s)):
        shingles, sig, bands, paragraphs = reference_fingerprint(text, s)
        assert fp.shingles.tolist() == shingles
        assert np.array_equal(fp.signature, sig) and fp.signature.dtype == np.uint32
        assert fp.bands.tolist() == bands
        assert fp.paragraphs.tolist() == paragraphs
        # and one at a time gives the same as the batch
        single = fingerprint(text, s)
        assert np.array_equal(single.signature, fp.signature) and np.array_equal(single.bands, fp.bands)


@given(st.text(alphabet=st.sampled_from(list("ab cdé\n香港 .,")), max_size=200))
@hsettings(max_examples=100, deadline=None)
def test_shingles_equal_reference_for_any_text(text):
    assert shingle_hashes(text).tolist() == sorted(set(reference_shingles(text)))


@given(st.lists(st.integers(0, 2**32 - 1), max_size=600))
@hsettings(max_examples=200, deadline=None)
def test_distinct_is_numpys_unique(values):
    data = np.array(values, dtype=np.uint32)
    assert _distinct(data).tolist() == np.unique(data).tolist()


def test_a_huge_article_is_sketched_in_chunks_like_a_small_one():
    """Past the chunk size the signature is still datasketch's (the minimum over every chunk)."""
    hashes = np.unique(np.random.default_rng(4).integers(0, 2**32, 50_000, dtype=np.uint64).astype(np.uint32))
    assert np.array_equal(minhash(hashes), datasketch_minhash(hashes).hashvalues.astype(np.uint32))


def test_anchors_sample_one_shingle_in_rate_the_same_way_in_every_text(truth):
    """Two texts keep the same sample of the shingles they share, so a rewrite shares anchors with its source."""
    from syndicate.fingerprint.minhash import anchors

    body = max((item["articleBody"] for item in truth.values()), key=len)
    a = shingle_hashes(body)
    half = shingle_hashes("\n".join(body.split("\n")[: len(body.split("\n")) // 2]))
    sample_a, sample_half = set(anchors(a, 8).tolist()), set(anchors(half, 8).tolist())
    assert 0.08 < len(sample_a) / len(a) < 0.17  # about one in eight
    assert sample_half <= sample_a and sample_half  # what the half shares, it shares in the sample too
    # the stored values are spread over 64 bits like other band hashes (the band index buckets by top bits)
    tops = anchors(np.arange(1, 200_000, dtype=np.uint32), 8) >> np.uint64(61)
    assert np.bincount(tops.astype(np.int64), minlength=8).min() > 2_500
