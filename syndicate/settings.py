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


CLUSTERABLE = ("duplicate", "partial", "rewrite", "alias", "related", "template")
DEFAULT_CLUSTER_KINDS = ("duplicate", "partial", "rewrite", "alias")
"""The kinds that join clusters, and that queries show, unless a setting says otherwise."""
"""Kinds a user may let join clusters (``cluster_kinds``); the defaults leave ``related`` and ``template`` out."""


@dataclass(frozen=True)
class Settings:
    """What a fingerprint means, and how verified pairs are judged.

    Two kinds of setting (see ``FINGERPRINT_KEYS`` and ``VERDICT_KEYS``):

    - **fingerprint settings** decide what is stored for every page (shingles,
      signatures, band rows). They are fixed at a database's first scan: a
      different value would make new fingerprints incomparable with the stored
      ones, so a scan with other values is refused;
    - **verdict settings** decide which kind a verified pair gets from its
      stored scores. Every verified pair above the floor is kept with its
      scores, so these can change at any time: ``syndicate recluster`` applies
      new ones to the stored pairs, clusters and origins without a rescan.

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
    anchor_rate: int = 8
    rewrite_containment: float = 0.4
    rewrite_coverage: float = 0.2
    floor: float = 0.2
    cluster_kinds: str = ",".join(DEFAULT_CLUSTER_KINDS)
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
        if self.anchor_rate < 1 or self.anchor_rate & (self.anchor_rate - 1):
            raise SettingsMismatchError("anchor_rate must be a power of two")
        unknown = set(self.kinds) - set(CLUSTERABLE)
        if unknown or not self.kinds:
            raise SettingsMismatchError(
                f"--kinds takes a comma-separated list of {', '.join(CLUSTERABLE)} (got {self.cluster_kinds!r})")
        for name in ("rewrite_containment", "rewrite_coverage", "floor"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise SettingsMismatchError(f"{name.replace('_', '-')} must be in [0, 1]")
        bands, rows = lsh_params(self.candidate_threshold, self.num_perm)
        object.__setattr__(self, "bands", bands)
        object.__setattr__(self, "rows", rows)

    # These define a fingerprint (bands/rows follow from them): fixed at a database's first scan.
    FINGERPRINT_KEYS = ("shingle_size", "num_perm", "candidate_threshold", "lead_words", "seed", "scheme", "anchor_rate")
    # These judge stored scores: changed at any time by `syndicate recluster`.
    VERDICT_KEYS = ("threshold", "containment", "min_shingles", "min_shared", "min_shared_containment",
                    "rewrite_containment", "rewrite_coverage", "floor", "cluster_kinds")
    KEYS = FINGERPRINT_KEYS + VERDICT_KEYS

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of match that join clusters (``cluster_kinds`` as a tuple)."""
        return tuple(k.strip() for k in self.cluster_kinds.split(",") if k.strip())

    def to_json(self) -> str:
        return json.dumps({k: getattr(self, k) for k in self.KEYS}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Settings":
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"settings are a JSON {type(data).__name__}, not an object")
        return cls(**{k: data[k] for k in cls.KEYS if k in data})

    def differences(self, other: "Settings", keys: tuple[str, ...] | None = None) -> list[str]:
        """Human-readable list of settings that differ, e.g. ``threshold 0.5 != 0.7``."""
        return [
            f"{k} {getattr(self, k)} != {getattr(other, k)}"
            for k in (keys or self.KEYS)
            if getattr(self, k) != getattr(other, k)
        ]

    def replace(self, **changes: object) -> "Settings":
        values = {k: getattr(self, k) for k in self.KEYS}
        values.update(changes)
        return dataclasses.replace(self, **values)  # type: ignore[arg-type]


CONFIG_FILE = "syndicate.toml"
"""Read from the working directory when no ``--config`` is given (and ``SYNDICATE_CONFIG`` is unset)."""


@dataclass(frozen=True)
class QueryDefaults:
    """Defaults of the query-time filters (``copies``, ``top``, ``report``, ``export``): which matches to show."""

    kinds: tuple[str, ...] = DEFAULT_CLUSTER_KINDS
    min_similarity: float = 0.0


@dataclass(frozen=True)
class Config:
    """What ``syndicate.toml`` says: verdict settings (``[verdict]``) and query defaults (``[query]``).

    ``verdict`` holds only the keys the file sets, so a database's stored
    settings fill in the rest.
    """

    verdict: dict
    query: QueryDefaults
    path: str | None = None


def load_config(path: str | None = None) -> Config:
    """The configuration in ``path`` (or ``syndicate.toml`` here, if present); built-in defaults otherwise.

    Example::

        [verdict]                      # how pairs are judged; `syndicate recluster` applies changes
        threshold = 0.5
        rewrite_containment = 0.4
        cluster_kinds = ["duplicate", "partial", "rewrite", "alias"]

        [query]                        # what copies/top/report/export show by default
        kinds = ["duplicate", "partial", "rewrite"]
        min_similarity = 0.0
    """
    import os
    import tomllib

    chosen = path or os.environ.get("SYNDICATE_CONFIG") or (CONFIG_FILE if os.path.exists(CONFIG_FILE) else None)
    if chosen is None:
        return Config({}, QueryDefaults())
    try:
        with open(chosen, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise SettingsMismatchError(f"no configuration file at {chosen}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsMismatchError(f"cannot read {chosen}: {exc}") from None
    unknown = set(data) - {"verdict", "query"}
    verdict = dict(data.get("verdict", {}))
    query = dict(data.get("query", {}))
    unknown |= {f"verdict.{k}" for k in verdict if k not in Settings.VERDICT_KEYS}
    unknown |= {f"query.{k}" for k in query if k not in ("kinds", "min_similarity")}
    if unknown:
        raise SettingsMismatchError(f"{chosen}: unknown setting(s) {', '.join(sorted(unknown))}; "
                                    f"[verdict] takes {', '.join(Settings.VERDICT_KEYS)}, [query] takes kinds, min_similarity")
    if isinstance(verdict.get("cluster_kinds"), (list, tuple)):
        verdict["cluster_kinds"] = ",".join(verdict["cluster_kinds"])
    kinds = query.get("kinds", QueryDefaults.kinds)
    if isinstance(kinds, str):
        kinds = [k.strip() for k in kinds.split(",") if k.strip()]
    if not isinstance(kinds, (list, tuple)) or not all(isinstance(k, str) for k in kinds):
        raise SettingsMismatchError(f"{chosen}: [query] kinds must be a list of kinds (got {kinds!r})")
    if list(kinds) == ["all"]:
        kinds = list(CLUSTERABLE)
    bad = set(kinds) - set(CLUSTERABLE)
    if bad or not kinds:
        raise SettingsMismatchError(f"{chosen}: [query] kinds takes {', '.join(CLUSTERABLE)} (got {kinds!r})")
    min_similarity = query.get("min_similarity", 0.0)
    if not isinstance(min_similarity, (int, float)) or not 0 <= min_similarity <= 1:
        raise SettingsMismatchError(f"{chosen}: [query] min_similarity must be a number in [0, 1]")
    try:
        Settings().replace(**verdict)  # checks the values now, naming the file
    except (TypeError, ValueError) as exc:
        raise SettingsMismatchError(f"{chosen}: [verdict] has a value of the wrong type ({exc})") from None
    except SettingsMismatchError as exc:
        raise SettingsMismatchError(f"{chosen}: {exc}") from None
    return Config(verdict, QueryDefaults(tuple(kinds), float(min_similarity)), chosen)
