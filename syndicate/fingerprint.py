"""Normalise, shingle, MinHash and band-hash article text.

Signatures are bit-identical to ``datasketch.MinHash(num_perm, seed, scheme="affine32")``
fed the 32-bit shingle hashes from :func:`shingle_hashes` with an identity hash
function, so stored signatures load straight into datasketch::

    MinHash(num_perm=128, hashvalues=sig, scheme="affine32")
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import xxhash

from .settings import Settings
from .text import tokens

_U32 = np.uint32
_MASK32 = (1 << 32) - 1
_SHINGLE_MUL = np.uint64(0x9E3779B97F4A7C15)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    return h ^ (h >> _U32(16))


def token_hashes(words: list[str]) -> np.ndarray:
    """xxh3-64 of each token, each distinct token hashed once."""
    cache: dict[str, int] = {}
    out = np.empty(len(words), dtype=np.uint64)
    for i, w in enumerate(words):
        h = cache.get(w)
        if h is None:
            h = cache[w] = xxhash.xxh3_64_intdigest(w.encode("utf-8"))
        out[i] = h
    return out


def shingle_sequence(words: list[str], k: int) -> np.ndarray:
    """32-bit hash of every k-token shingle, in text order (duplicates kept).

    Token hashes are combined arithmetically (one xxhash per token, not per
    shingle), then mixed and folded to 32 bits, the width of datasketch's
    affine32 scheme. A text shorter than k tokens is one shingle.
    """
    th = token_hashes(words)
    n = len(th)
    if n == 0:
        return np.empty(0, dtype=_U32)
    k = min(k, n)
    with np.errstate(over="ignore"):
        acc = th[: n - k + 1].copy()
        for j in range(1, k):
            acc = acc * _SHINGLE_MUL + th[j : n - k + 1 + j]
        mixed = _fmix64(acc)
    return (mixed >> np.uint64(32)).astype(_U32)


def shingle_hashes(text: str, k: int = 5) -> np.ndarray:
    """Sorted distinct 32-bit shingle hashes of a text: the set that MinHash sketches."""
    return np.unique(shingle_sequence(tokens(text), k))


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
    if len(hashes) == 0:
        return np.full(num_perm, _MASK32, dtype=_U32)
    hv = _fmix32(np.asarray(hashes, dtype=_U32))
    with np.errstate(over="ignore"):
        # Chunked so a huge page never allocates len(hashes) x num_perm at once.
        sig = np.full(num_perm, _MASK32, dtype=_U32)
        for start in range(0, len(hv), 4096):
            chunk = hv[start : start + 4096, None]
            sig = np.minimum(sig, (chunk * a + b).min(axis=0))
    return sig


def band_hashes(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit hash per LSH band: equal band hashes make two documents candidates."""
    return np.array(
        [xxhash.xxh3_64_intdigest(sig[i * rows : (i + 1) * rows].tobytes()) for i in range(bands)],
        dtype=np.uint64,
    )


PARAGRAPH_BAND = -1
"""Band id of paragraph-start hashes in the ``bands`` table."""

PARAGRAPH_TOKENS = 8
"""A paragraph is indexed by the hash of its first this many tokens; shorter lines are not indexed."""


def paragraph_hashes(text: str) -> np.ndarray:
    """Distinct hashes of the opening tokens of each paragraph (line) long enough to be one.

    Syndicators keep paragraphs whole when they truncate, insert lines or add
    their own chrome, so two pages sharing several paragraph starts are
    candidates even when their whole texts differ a lot.
    """
    out = set()
    for line in text.split("\n"):
        words = tokens(line)
        if len(words) >= PARAGRAPH_TOKENS:
            out.add(xxhash.xxh3_64_intdigest(" ".join(words[:PARAGRAPH_TOKENS]).encode("utf-8")))
    return np.array(sorted(out), dtype=np.uint64)


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


def fingerprint(text: str, settings: Settings) -> Fingerprint:
    """Shingle set, MinHash signature and band hashes of an article's text."""
    words = tokens(text)
    seq = shingle_sequence(words, settings.shingle_size)
    shingles = np.unique(seq)
    sig = minhash(shingles, settings.num_perm, settings.seed)
    lead = np.unique(seq[: settings.lead_words])
    lead_sig = minhash(lead, settings.num_perm, settings.seed)
    bands = np.concatenate(
        [band_hashes(sig, settings.bands, settings.rows), band_hashes(lead_sig, settings.bands, settings.rows)]
    )
    return Fingerprint(shingles=shingles, signature=sig, bands=bands, paragraphs=paragraph_hashes(text))


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float, int]:
    """Exact Jaccard similarity, containment of the smaller set, and intersection size."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0, 0
    inter = int(len(np.intersect1d(a, b, assume_unique=True)))
    union = len(a) + len(b) - inter
    return inter / union, inter / min(len(a), len(b)), inter
