"""Fingerprint and matching settings; stored in the database so every scan agrees."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .errors import SettingsMismatchError


def _simpson(y: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Simpson's rule along the last axis of samples ``y`` on [lo, hi]; the integrands are smooth polynomials."""
    if hi <= lo:
        return np.zeros(y.shape[:-1])
    h = (hi - lo) / (y.shape[-1] - 1)
    return h / 3 * (y[..., 0] + y[..., -1] + 4 * y[..., 1:-1:2].sum(axis=-1) + 2 * y[..., 2:-1:2].sum(axis=-1))


@lru_cache(maxsize=None)
def lsh_params(threshold: float, num_perm: int, points: int = 2001) -> tuple[int, int]:
    """Bands and rows per band for a Jaccard threshold, chosen the way datasketch chooses them.

    Like datasketch's ``MinHashLSH``, minimise the equally weighted probability
    of false positives (below the threshold) and false negatives (above it),
    so a user gets the same index from ``MinHashLSH(threshold, num_perm)``.
    Computed here rather than imported (importing datasketch costs a second),
    for every (bands, rows) at once.
    """
    below = np.linspace(0.0, threshold, points)
    above = np.linspace(threshold, 1.0, points)
    pairs, errors = [], []
    for r in range(1, num_perm + 1):
        most = num_perm // r  # bands 1..most; (1 - s**r) ** b for every b by running products
        miss_below = np.cumprod(np.broadcast_to(1 - below**r, (most, points)), axis=0)
        miss_above = np.cumprod(np.broadcast_to(1 - above**r, (most, points)), axis=0)
        fp = _simpson(1 - miss_below, 0.0, threshold)
        fn = _simpson(miss_above, threshold, 1.0)
        pairs.extend((b, r) for b in range(1, most + 1))
        errors.append(0.5 * fp + 0.5 * fn)
    flat = np.concatenate(errors)
    best = min(range(len(pairs)), key=lambda i: (flat[i], pairs[i]))  # of equal errors, the first (b, r)
    return pairs[best]


@dataclass(frozen=True)
class Settings:
    """What a fingerprint means; two databases compare only with equal settings.

    ``threshold`` is the Jaccard similarity a duplicate must reach;
    ``candidate_threshold`` the similarity the LSH bands are tuned for (lower
    than ``threshold``: at its own threshold an LSH index finds only about half
    of the pairs, so candidates are drawn wider and verified exactly);
    ``containment`` the share of the smaller article that must appear in the
    larger one for a partial copy (truncated repost); ``lead_words`` the size of
    the opening passage indexed separately so that truncated copies, whose
    Jaccard similarity to the original is low, still become candidates.
    """

    shingle_size: int = 5
    num_perm: int = 128
    threshold: float = 0.5
    candidate_threshold: float = 0.3
    containment: float = 0.8
    lead_words: int = 100
    min_shingles: int = 20
    min_shared: int = 100
    min_shared_containment: float = 0.4
    seed: int = 1
    scheme: str = "affine32"
    bands: int = field(init=False)
    rows: int = field(init=False)

    def __post_init__(self) -> None:
        if self.shingle_size < 1:
            raise SettingsMismatchError("--shingle-size must be at least 1")
        if not 0.0 < self.threshold <= 1.0:
            raise SettingsMismatchError("--threshold must be in (0, 1]")
        if not 0.0 < self.candidate_threshold <= 1.0:
            raise SettingsMismatchError("--candidate-threshold must be in (0, 1]")
        if not 0.0 < self.containment <= 1.0:
            raise SettingsMismatchError("--containment must be in (0, 1]")
        if self.num_perm < 2:
            raise SettingsMismatchError("--num-perm must be at least 2")
        bands, rows = lsh_params(self.candidate_threshold, self.num_perm)
        object.__setattr__(self, "bands", bands)
        object.__setattr__(self, "rows", rows)

    # Only these define a fingerprint; bands/rows follow from them.
    KEYS = ("shingle_size", "num_perm", "threshold", "candidate_threshold", "containment", "lead_words", "min_shingles", "min_shared",
            "min_shared_containment", "seed", "scheme")

    def to_json(self) -> str:
        return json.dumps({k: getattr(self, k) for k in self.KEYS}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Settings":
        data = json.loads(text)
        return cls(**{k: data[k] for k in cls.KEYS if k in data})

    def differences(self, other: "Settings") -> list[str]:
        """Human-readable list of settings that differ, e.g. ``threshold 0.5 != 0.7``."""
        return [
            f"{k} {getattr(self, k)} != {getattr(other, k)}"
            for k in self.KEYS
            if getattr(self, k) != getattr(other, k)
        ]

    def replace(self, **changes: object) -> "Settings":
        values = {k: getattr(self, k) for k in self.KEYS}
        values.update(changes)
        return dataclasses.replace(self, **values)  # type: ignore[arg-type]
