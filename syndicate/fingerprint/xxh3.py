"""XXH3-64 (seed 0) compiled with numba, so hashing runs inside the fingerprint kernel.

Bit-identical to ``xxhash.xxh3_64_intdigest`` for every input length (the
tests compare them from 0 to 1,000 bytes); a port of the scalar path of the
reference implementation (xxHash, BSD-2-Clause, Yann Collet). Calling the
Python binding once per token costs ~150 ns of interpreter time; here a
token costs a few nanoseconds.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_U64 = np.uint64
_P32_1 = _U64(0x9E3779B1)
_P32_2 = _U64(0x85EBCA77)
_P32_3 = _U64(0xC2B2AE3D)
_P64_1 = _U64(0x9E3779B185EBCA87)
_P64_2 = _U64(0xC2B2AE3D27D4EB4F)
_P64_3 = _U64(0x165667B19E3779F9)
_P64_4 = _U64(0x85EBCA77C2B2AE63)
_P64_5 = _U64(0x27D4EB2F165667C5)
_MX1 = _U64(0x165667919E3779F9)
_MX2 = _U64(0x9FB21C651E98DF25)
_M32 = _U64(0xFFFFFFFF)

SECRET = np.frombuffer(
    bytes.fromhex(
        "b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f"
        "cb79e64eccc0e578825ad07dccff7221b8084674f743248ee03590e6813a264c"
        "3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8"
        "a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364"
        "eac5ac8334d3ebc3c581a0fffa1363eb170ddd51b7f0da49d316552629d4689e"
        "2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e"
    ),
    dtype=np.uint8,
)
"""The default 192-byte secret of XXH3."""


@njit(cache=True)
def _r32(buf, i):
    return (
        _U64(buf[i]) | (_U64(buf[i + 1]) << _U64(8)) | (_U64(buf[i + 2]) << _U64(16)) | (_U64(buf[i + 3]) << _U64(24))
    )


@njit(cache=True)
def _r64(buf, i):
    return _r32(buf, i) | (_r32(buf, i + 4) << _U64(32))


@njit(cache=True)
def _swap64(x):
    r = _U64(0)
    for _ in range(8):
        r = (r << _U64(8)) | (x & _U64(0xFF))
        x >>= _U64(8)
    return r


@njit(cache=True)
def _rotl(x, r):
    return (x << _U64(r)) | (x >> _U64(64 - r))


@njit(cache=True)
def _mul128_fold(a, b):
    """Low 64 bits XOR high 64 bits of the 128-bit product a * b."""
    a_lo, a_hi = a & _M32, a >> _U64(32)
    b_lo, b_hi = b & _M32, b >> _U64(32)
    lo_lo = a_lo * b_lo
    hi_lo = a_hi * b_lo
    lo_hi = a_lo * b_hi
    hi_hi = a_hi * b_hi
    cross = (lo_lo >> _U64(32)) + (hi_lo & _M32) + lo_hi
    upper = (hi_lo >> _U64(32)) + (cross >> _U64(32)) + hi_hi
    lower = (cross << _U64(32)) | (lo_lo & _M32)
    return lower ^ upper


@njit(cache=True)
def _avalanche64(h):
    h ^= h >> _U64(33)
    h *= _P64_2
    h ^= h >> _U64(29)
    h *= _P64_3
    return h ^ (h >> _U64(32))


@njit(cache=True)
def _avalanche3(h):
    h ^= h >> _U64(37)
    h *= _MX1
    return h ^ (h >> _U64(32))


@njit(cache=True)
def _mix16(buf, i, secret, s):
    return _mul128_fold(_r64(buf, i) ^ _r64(secret, s), _r64(buf, i + 8) ^ _r64(secret, s + 8))


@njit(cache=True)
def _long(buf, start, n, secret):
    acc = np.empty(8, dtype=np.uint64)
    acc[0], acc[1], acc[2], acc[3] = _P32_3, _P64_1, _P64_2, _P64_3
    acc[4], acc[5], acc[6], acc[7] = _P64_4, _P32_2, _P64_5, _P32_1
    stripes_per_block = (192 - 64) // 8
    block_len = 64 * stripes_per_block
    blocks = (n - 1) // block_len
    for blk in range(blocks):
        for s in range(stripes_per_block):
            _accumulate(acc, buf, start + blk * block_len + s * 64, secret, s * 8)
        for lane in range(8):  # scramble
            a = acc[lane]
            a ^= a >> _U64(47)
            a ^= _r64(secret, 192 - 64 + lane * 8)
            acc[lane] = a * _P32_1
    stripes = ((n - 1) - block_len * blocks) // 64
    for s in range(stripes):
        _accumulate(acc, buf, start + blocks * block_len + s * 64, secret, s * 8)
    _accumulate(acc, buf, start + n - 64, secret, 192 - 64 - 7)
    h = _U64(n) * _P64_1
    for i in range(4):
        h += _mul128_fold(acc[2 * i] ^ _r64(secret, 11 + 16 * i), acc[2 * i + 1] ^ _r64(secret, 11 + 16 * i + 8))
    return _avalanche3(h)


@njit(cache=True)
def _accumulate(acc, buf, p, secret, s):
    for lane in range(8):
        data = _r64(buf, p + lane * 8)
        key = data ^ _r64(secret, s + lane * 8)
        acc[lane ^ 1] += data
        acc[lane] += (key & _M32) * (key >> _U64(32))


@njit(cache=True)
def xxh3_64(buf, start, n):
    """XXH3-64 with seed 0 of ``buf[start:start+n]`` (``buf`` a uint8 array)."""
    secret = SECRET
    if n <= 16:
        if n > 8:
            lo = _r64(buf, start) ^ (_r64(secret, 24) ^ _r64(secret, 32))
            hi = _r64(buf, start + n - 8) ^ (_r64(secret, 40) ^ _r64(secret, 48))
            return _avalanche3(_U64(n) + _swap64(lo) + hi + _mul128_fold(lo, hi))
        if n >= 4:
            in1 = _r32(buf, start)
            in2 = _r32(buf, start + n - 4)
            keyed = (in2 + (in1 << _U64(32))) ^ (_r64(secret, 8) ^ _r64(secret, 16))
            h = keyed ^ (_rotl(keyed, 49) ^ _rotl(keyed, 24))
            h *= _MX2
            h ^= (h >> _U64(35)) + _U64(n)
            h *= _MX2
            return h ^ (h >> _U64(28))
        if n > 0:
            c1 = _U64(buf[start])
            c2 = _U64(buf[start + (n >> 1)])
            c3 = _U64(buf[start + n - 1])
            combined = (c1 << _U64(16)) | (c2 << _U64(24)) | c3 | (_U64(n) << _U64(8))
            return _avalanche64(combined ^ (_r32(secret, 0) ^ _r32(secret, 4)))
        return _avalanche64(_r64(secret, 56) ^ _r64(secret, 64))
    if n <= 128:
        acc = _U64(n) * _P64_1
        if n > 32:
            if n > 64:
                if n > 96:
                    acc += _mix16(buf, start + 48, secret, 96)
                    acc += _mix16(buf, start + n - 64, secret, 112)
                acc += _mix16(buf, start + 32, secret, 64)
                acc += _mix16(buf, start + n - 48, secret, 80)
            acc += _mix16(buf, start + 16, secret, 32)
            acc += _mix16(buf, start + n - 32, secret, 48)
        acc += _mix16(buf, start, secret, 0)
        acc += _mix16(buf, start + n - 16, secret, 16)
        return _avalanche3(acc)
    if n <= 240:
        acc = _U64(n) * _P64_1
        for i in range(8):
            acc += _mix16(buf, start + 16 * i, secret, 16 * i)
        acc_end = _mix16(buf, start + n - 16, secret, 136 - 17)
        acc = _avalanche3(acc)
        for i in range(8, n // 16):
            acc_end += _mix16(buf, start + 16 * i, secret, 16 * (i - 8) + 3)
        return _avalanche3(acc + acc_end)
    return _long(buf, start, n, secret)
