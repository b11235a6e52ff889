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
from numba import njit

from ..settings import Settings
from ..text import token_stream
from .xxh3 import xxh3_64

_U32 = np.uint32
_U64 = np.uint64
_MASK32 = (1 << 32) - 1
_M32 = _U64(_MASK32)
_SHINGLE_MUL = _U64(0x9E3779B97F4A7C15)


@njit(cache=True)
def _fmix64(h):
    h ^= h >> _U64(33)
    h *= _U64(0xFF51AFD7ED558CCD)
    h ^= h >> _U64(33)
    h *= _U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> _U64(33))


@njit(cache=True)
def _fmix32(h):
    h ^= h >> _U64(16)
    h = (h * _U64(0x85EBCA6B)) & _M32
    h ^= h >> _U64(13)
    h = (h * _U64(0xC2B2AE35)) & _M32
    return h ^ (h >> _U64(16))


@njit(cache=True)
def _minhash_into(values, a, b, out):
    """datasketch affine32: min over the set of (a * fmix32(h) + b) mod 2**32, per permutation.

    Permutation-outer, values-inner: the inner loop is a 32-bit multiply-add
    and min over a contiguous array, which LLVM turns into SIMD.
    """
    mixed = np.empty(len(values), dtype=np.uint32)
    for t in range(len(values)):
        mixed[t] = np.uint32(_fmix32(_U64(values[t])))
    for p in range(len(a)):
        ap, bp = a[p], b[p]
        low = np.uint32(_MASK32)
        for t in range(len(mixed)):
            low = min(low, np.uint32(mixed[t] * ap + bp))
        out[p] = low


@njit(cache=True)
def _distinct(sorted_values, out, at):
    """Copy the distinct values of a sorted array to ``out[at:]``; return the new end."""
    n = at
    for i in range(len(sorted_values)):
        if i == 0 or sorted_values[i] != sorted_values[i - 1]:
            out[n] = sorted_values[i]
            n += 1
    return n


@njit(cache=True)
def _sorted_u32(values, scratch):
    """``values`` sorted (uint32), by a 4-pass radix sort; ``scratch`` as long as ``values``.

    Returns ``values`` itself, sorted in place. A few times faster than numba's
    np.sort (a quicksort) on the few hundred shingles of an article.
    """
    n = len(values)
    counts = np.empty(256, dtype=np.int64)
    src, dst = values, scratch[:n]
    for shift in range(0, 32, 8):
        counts[:] = 0
        for i in range(n):
            counts[(src[i] >> shift) & 0xFF] += 1
        total = 0
        for c in range(256):
            count = counts[c]
            counts[c] = total
            total += count
        for i in range(n):
            digit = (src[i] >> shift) & 0xFF
            dst[counts[digit]] = src[i]
            counts[digit] += 1
        src, dst = dst, src
    return src  # four passes: back in ``values``


@njit(cache=True)
def _band_hashes_into(sig, bands, rows, out, at):
    scratch = np.empty(rows * 4, dtype=np.uint8)
    for band in range(bands):
        for r in range(rows):
            v = sig[band * rows + r]
            for byte in range(4):
                scratch[r * 4 + byte] = (v >> np.uint32(8 * byte)) & np.uint32(0xFF)
        out[at + band] = xxh3_64(scratch, 0, rows * 4)


@njit(cache=True)
def _hash_tokens(buf, lo, hi, para_n, token_hash, paras, n_pa):
    """xxh3 of each token of ``buf[lo:hi]`` into ``token_hash``; returns (tokens, new end of ``paras``).

    With ``para_n`` > 0, the hash of the first ``para_n`` tokens of each line
    that has that many is appended to ``paras`` (0: no paragraph hashes).
    """
    n_tok = 0
    line_tokens = 0
    line_start = lo
    i = lo
    while i < hi:
        c = buf[i]
        if c == 10:
            line_tokens = 0
            i += 1
            continue
        if c == 32:
            i += 1
            continue
        j = i
        while j < hi and buf[j] != 32 and buf[j] != 10:
            j += 1
        token_hash[n_tok] = xxh3_64(buf, i, j - i)
        n_tok += 1
        if line_tokens == 0:
            line_start = i
        line_tokens += 1
        if line_tokens == para_n:
            paras[n_pa] = xxh3_64(buf, line_start, j - line_start)
            n_pa += 1
        i = j
    return n_tok, n_pa


@njit(cache=True)
def _shingle_sequence(token_hash, n_tok, k, seq):
    """32-bit hash of every k-token shingle, in text order, into ``seq``; returns how many.

    Token hashes are combined arithmetically, mixed and folded to 32 bits; a
    text shorter than k tokens is one shingle.
    """
    width = min(k, n_tok)
    n_seq = n_tok - width + 1 if n_tok > 0 else 0
    for s in range(n_seq):
        acc = token_hash[s]
        for j in range(1, width):
            acc = acc * _SHINGLE_MUL + token_hash[s + j]
        seq[s] = np.uint32(_fmix64(acc) >> _U64(32))
    return n_seq


@njit(cache=True)
def _fingerprint_kernel(buf, doc_starts, k, lead_n, para_n, a, b, bands, rows):
    """Shingle sets, signatures, band hashes and paragraph hashes of a batch of token streams."""
    n_docs = len(doc_starts) - 1
    cap = len(buf) // 2 + 2  # most tokens a stream of len(buf) bytes can hold
    token_hash = np.empty(cap, dtype=np.uint64)
    seq = np.empty(cap, dtype=np.uint32)
    shingles = np.empty(cap + n_docs, dtype=np.uint32)
    shingle_ends = np.zeros(n_docs, dtype=np.int64)
    paras = np.empty(cap, dtype=np.uint64)
    para_ends = np.zeros(n_docs, dtype=np.int64)
    sigs = np.empty((n_docs, len(a)), dtype=np.uint32)
    band_out = np.empty((n_docs, 2 * bands), dtype=np.uint64)
    scratch = np.empty(cap, dtype=np.uint32)
    lead_sig = np.empty(len(a), dtype=np.uint32)
    n_sh = 0
    n_pa = 0
    for d in range(n_docs):
        lo, hi = doc_starts[d], doc_starts[d + 1]
        para_from = n_pa
        n_tok, n_pa = _hash_tokens(buf, lo, hi, para_n, token_hash, paras, n_pa)
        if n_pa > para_from:
            n_pa = _distinct(np.sort(paras[para_from:n_pa]), paras, para_from)
        para_ends[d] = n_pa

        n_seq = _shingle_sequence(token_hash, n_tok, k, seq)
        # the lead passage's signature first: the sort below reorders seq; a minimum
        # over repeated shingles is the minimum over the distinct ones
        _minhash_into(seq[: min(n_seq, lead_n)], a, b, lead_sig)
        start = n_sh
        n_sh = _distinct(_sorted_u32(seq[:n_seq], scratch), shingles, n_sh)
        shingle_ends[d] = n_sh
        _minhash_into(shingles[start:n_sh], a, b, sigs[d])
        _band_hashes_into(sigs[d], bands, rows, band_out[d], 0)
        _band_hashes_into(lead_sig, bands, rows, band_out[d], bands)
    return shingles[:n_sh].copy(), shingle_ends, sigs, band_out, paras[:n_pa].copy(), para_ends


@njit(cache=True)
def _shingle_kernel(buf, k):
    """Sorted distinct shingle hashes of one token stream (no signature)."""
    token_hash = np.empty(len(buf) // 2 + 2, dtype=np.uint64)
    n_tok, _ = _hash_tokens(buf, 0, len(buf), 0, token_hash, token_hash, 0)
    seq = np.empty(n_tok, dtype=np.uint32)
    n_seq = _shingle_sequence(token_hash, n_tok, k, seq)
    out = np.empty(n_seq, dtype=np.uint32)
    return out[: _distinct(_sorted_u32(seq[:n_seq], out), out, 0)]


def _as_buffer(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint8) if data else np.zeros(0, dtype=np.uint8)


def shingle_hashes(text: str, k: int = 5) -> np.ndarray:
    """Sorted distinct 32-bit shingle hashes of a text: the set that MinHash sketches.

    Each token is hashed once (xxh3-64); the hashes of k consecutive tokens are
    combined arithmetically, mixed and folded to 32 bits, the width of
    datasketch's affine32 scheme. A text shorter than k tokens is one shingle.
    """
    return _shingle_kernel(_as_buffer(token_stream(text)), k)


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
    out = np.empty(num_perm, dtype=_U32)
    _minhash_into(np.ascontiguousarray(hashes, dtype=_U32), a, b, out)
    return out


def band_hashes(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit hash per LSH band (xxh3-64 of the band's little-endian bytes)."""
    out = np.empty(bands, dtype=_U64)
    _band_hashes_into(np.ascontiguousarray(sig, dtype=_U32), bands, rows, out, 0)
    return out


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
    return _fmix64_array(wide)


def _fmix64_array(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xFF51AFD7ED558CCD)
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xC4CEB9FE1A85EC53)
        return h ^ (h >> np.uint64(33))
"""A paragraph is indexed by the hash of its first this many tokens; shorter lines are not indexed."""


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
    """Fingerprints of many articles in one compiled pass."""
    return fingerprint_streams([token_stream(t) for t in texts], settings)


def fingerprint_streams(streams: list[bytes], settings: Settings) -> list[Fingerprint]:
    """Fingerprints of many token streams (:func:`syndicate.text.token_stream`) in one compiled pass.

    ``paragraphs`` are the xxh3-64 hashes of the first ``PARAGRAPH_TOKENS``
    tokens of each line that has that many: syndicators keep paragraphs whole
    when they truncate, insert lines or add their own chrome, so two pages
    sharing paragraph openings are candidates even when their texts differ a lot.
    """
    starts = np.zeros(len(streams) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in streams], out=starts[1:])
    a, b = permutations(settings.num_perm, settings.seed)
    shingles, sh_ends, sigs, bands, paras, pa_ends = _fingerprint_kernel(
        _as_buffer(b"".join(streams)), starts, settings.shingle_size, settings.lead_words,
        PARAGRAPH_TOKENS, a, b, settings.bands, settings.rows,
    )
    out = []
    sh_start = pa_start = 0
    for i in range(len(streams)):
        out.append(Fingerprint(
            shingles=shingles[sh_start : sh_ends[i]], signature=sigs[i], bands=bands[i],
            paragraphs=paras[pa_start : pa_ends[i]],
        ))
        sh_start, pa_start = sh_ends[i], pa_ends[i]
    return out


def warm_up() -> None:
    """Load the compiled kernels (from numba's cache, or compile them the first time)."""
    fingerprint_streams([b"warm up"], Settings())
    shingle_hashes("warm up")


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
