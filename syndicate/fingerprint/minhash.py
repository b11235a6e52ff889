"""Normalise, shingle, MinHash and band-hash article text, with numpy and the xxhash binding.

Signatures are bit-identical to ``datasketch.MinHash(num_perm, seed, scheme="affine32")``
fed the 32-bit shingle hashes from :func:`shingle_hashes` with an identity hash
function, so stored signatures load straight into datasketch::

    MinHash(num_perm=128, hashvalues=sig, scheme="affine32")

No JIT: every step is a C call (xxhash per token, numpy per array), so the
first scan after ``pip install`` runs at the speed of the thousandth and no
process ever compiles or loads a compiled kernel. (The numba kernels this
replaced cost 10-14 s of compiling on a first scan, and twice crashed from
numba's cache.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from xxhash import xxh3_64_intdigest

from ..settings import Settings
from ..text import token_stream

_U32 = np.uint32
_U64 = np.uint64
_SHINGLE_MUL = _U64(0x9E3779B97F4A7C15)
_EMPTY_U32 = np.zeros(0, dtype=_U32)
_EMPTY_U64 = np.zeros(0, dtype=_U64)
_MINHASH_CHUNK = 1 << 13  # shingles per (num_perm x chunk) block: 4 MiB of uint32 at 128 permutations


def _fmix64(h: np.ndarray) -> np.ndarray:
    """murmur3's 64-bit finaliser, element-wise (a bijection that spreads every input bit)."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> _U64(33))
        h = h * _U64(0xFF51AFD7ED558CCD)
        h = h ^ (h >> _U64(33))
        h = h * _U64(0xC4CEB9FE1A85EC53)
        return h ^ (h >> _U64(33))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """murmur3's 32-bit finaliser, element-wise: datasketch's affine32 applies it before permuting."""
    h = h.astype(_U32)
    with np.errstate(over="ignore"):
        h ^= h >> _U32(16)
        h *= _U32(0x85EBCA6B)
        h ^= h >> _U32(13)
        h *= _U32(0xC2B2AE35)
        h ^= h >> _U32(16)
    return h


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values: np.unique without its per-call overhead (a few times faster on an article)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _minhash(values: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """datasketch affine32: min over the set of (a * fmix32(h) + b) mod 2**32, per permutation.

    Repeated values change nothing (a minimum over a multiset is the minimum
    over its distinct members), so the lead passage needs no deduplication.
    """
    out = np.full(len(a), np.iinfo(_U32).max, dtype=_U32)
    if len(values) == 0:
        return out
    mixed = _fmix32(values)
    a_col, b_col = a[:, None], b[:, None]
    with np.errstate(over="ignore"):
        for lo in range(0, len(mixed), _MINHASH_CHUNK):
            block = a_col * mixed[None, lo : lo + _MINHASH_CHUNK]
            block += b_col
            np.minimum(out, block.min(axis=1), out=out)
    return out


def _band_hashes(sig: np.ndarray, bands: int, rows: int) -> list[int]:
    data = np.ascontiguousarray(sig[: bands * rows], dtype="<u4").tobytes()
    width = rows * 4
    return [xxh3_64_intdigest(data[i * width : (i + 1) * width]) for i in range(bands)]


def _token_hashes(stream: bytes) -> np.ndarray:
    """xxh3-64 of each token of a token stream (tokens never hold a space or a newline)."""
    words = stream.split()
    if not words:
        return _EMPTY_U64
    return np.fromiter(map(xxh3_64_intdigest, words), dtype=_U64, count=len(words))


def _paragraph_hashes(stream: bytes, para_n: int) -> np.ndarray:
    """Sorted distinct xxh3-64 of the first ``para_n`` tokens of each line that has that many."""
    heads = []
    for line in stream.split(b"\n"):
        words = line.split(b" ", para_n)
        if len(words) > para_n or (len(words) == para_n and words[-1]):
            heads.append(b" ".join(words[:para_n]))
    if not heads:
        return _EMPTY_U64
    return _distinct(np.fromiter(map(xxh3_64_intdigest, heads), dtype=_U64, count=len(heads)))


def _shingle_sequence(token_hash: np.ndarray, k: int) -> np.ndarray:
    """32-bit hash of every k-token shingle, in text order.

    Token hashes are combined arithmetically, mixed and folded to 32 bits; a
    text shorter than k tokens is one shingle.
    """
    n = len(token_hash)
    if n == 0:
        return _EMPTY_U32
    width = min(k, n)
    count = n - width + 1
    acc = token_hash[:count].copy()
    with np.errstate(over="ignore"):
        for j in range(1, width):
            acc *= _SHINGLE_MUL
            acc += token_hash[j : j + count]
    return (_fmix64(acc) >> _U64(32)).astype(_U32)


def shingle_hashes(text: str, k: int = 5) -> np.ndarray:
    """Sorted distinct 32-bit shingle hashes of a text: the set that MinHash sketches.

    Each token is hashed once (xxh3-64); the hashes of k consecutive tokens are
    combined arithmetically, mixed and folded to 32 bits, the width of
    datasketch's affine32 scheme. A text shorter than k tokens is one shingle.
    """
    return _distinct(_shingle_sequence(_token_hashes(token_stream(text)), k))


@lru_cache(maxsize=None)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) affine32 permutations datasketch's ``MinHash(num_perm, seed)`` draws.

    Drawn here with the same generator calls rather than by importing
    datasketch (which costs a second per worker process).
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=_U32) * _U32(2) + _U32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=_U32)
    return a, b


def minhash(hashes: np.ndarray, num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """MinHash signature (uint32[num_perm]) of a set of 32-bit hashes, datasketch affine32.

    An empty set gives all 2**32-1, as datasketch's empty MinHash does.
    """
    a, b = permutations(num_perm, seed)
    return _minhash(np.asarray(hashes, dtype=_U32), a, b)


def band_hashes(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit hash per LSH band (xxh3-64 of the band's little-endian bytes)."""
    return np.array(_band_hashes(np.asarray(sig), bands, rows), dtype=_U64)


PARAGRAPH_BAND = -1
"""Band id of paragraph-start hashes in the ``bands`` table."""

PARAGRAPH_TOKENS = 8
"""A paragraph is indexed by the hash of its first this many tokens; shorter lines are not indexed."""

ANCHOR_BAND = -2
"""Band id of anchor shingles in the ``bands`` table: a sample of each article's shingles, one in
``Settings.anchor_rate``, chosen by the shingle's hash, so two articles keep the same sample of
what they share whatever else they hold. A story rewritten from another keeps runs of its wording;
two that share two anchors are candidates even when their whole texts are far apart."""

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def anchors(shingles: np.ndarray, rate: int) -> np.ndarray:
    """The anchor sample of a set of shingle hashes: those whose mixed hash has its top log2(rate) bits zero.

    Returned as 64-bit mixes of the shingle hashes (murmur3's finaliser, a
    bijection), so anchor rows spread over the band index's key space like
    the other band hashes do, instead of all sharing 32 zero top bits.
    """
    wide = shingles.astype(_U64)
    if rate > 1:
        bits = np.uint64(64 - (rate.bit_length() - 1))
        with np.errstate(over="ignore"):
            wide = wide[(wide * _GOLDEN) >> bits == 0]
    return _fmix64(wide)


@dataclass(frozen=True)
class Fingerprint:
    """What matching needs of one article.

    ``bands`` holds the full-text band hashes followed by the lead-passage band
    hashes (band ids ``bands .. 2*bands-1``), so a truncated copy that keeps the
    opening of an article shares lead bands with the original; ``paragraphs``
    the paragraph-start hashes (band id ``PARAGRAPH_BAND``).
    """

    shingles: np.ndarray  # sorted distinct uint32 shingle hashes
    signature: np.ndarray  # uint32[num_perm]
    bands: np.ndarray  # uint64[2 * settings.bands]
    paragraphs: np.ndarray  # uint64, distinct

    @property
    def shingle_count(self) -> int:
        return int(len(self.shingles))


def fingerprint_many(texts: list[str], settings: Settings) -> list[Fingerprint]:
    """Fingerprints of many articles."""
    return fingerprint_streams([token_stream(t) for t in texts], settings)


def fingerprint_stream(stream: bytes, settings: Settings) -> Fingerprint:
    """Fingerprint of one token stream (:func:`syndicate.text.token_stream`).

    ``paragraphs`` are the xxh3-64 hashes of the first ``PARAGRAPH_TOKENS``
    tokens of each line that has that many: syndicators keep paragraphs whole
    when they truncate, insert lines or add their own chrome, so two pages
    sharing paragraph openings are candidates even when their texts differ a lot.
    """
    a, b = permutations(settings.num_perm, settings.seed)
    seq = _shingle_sequence(_token_hashes(stream), settings.shingle_size)
    shingles = _distinct(seq)
    signature = _minhash(shingles, a, b)
    lead = _minhash(seq[: settings.lead_words], a, b)
    bands = np.array(_band_hashes(signature, settings.bands, settings.rows)
                     + _band_hashes(lead, settings.bands, settings.rows), dtype=_U64)
    return Fingerprint(shingles=shingles, signature=signature, bands=bands,
                       paragraphs=_paragraph_hashes(stream, PARAGRAPH_TOKENS))


def fingerprint_streams(streams: list[bytes], settings: Settings) -> list[Fingerprint]:
    """Fingerprints of many token streams (see :func:`fingerprint_stream`)."""
    return [fingerprint_stream(s, settings) for s in streams]


def fingerprint(text: str, settings: Settings) -> Fingerprint:
    """Shingle set, MinHash signature, band hashes and paragraph hashes of one article."""
    return fingerprint_many([text], settings)[0]


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float, int]:
    """Exact Jaccard similarity, containment of the smaller set, and intersection size."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0, 0
    inter = int(len(np.intersect1d(a, b, assume_unique=True)))
    union = len(a) + len(b) - inter
    return inter / union, inter / min(len(a), len(b)), inter
