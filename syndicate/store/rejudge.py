"""``syndicate recluster``: judge the stored pairs again under new verdict settings, without a rescan.

Verification stores every pair above the floor with its scores, so a new
threshold, new rewrite bars or other cluster kinds need no re-extraction: the
pairs' kinds are taken again from their scores (:func:`syndicate.match.scores.kind_of`),
then every cluster and origin is rebuilt. ``alias`` and ``template`` pairs were
judged on the texts and keep their kind; pairs stored before their scores were
(older databases) keep theirs too. A pair whose scores fall under a raised floor
stays stored as ``related``, so lowering the floor again loses nothing.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import pyarrow as pa

from ..errors import SettingsMismatchError
from ..match.cluster import recluster
from ..match.origin import refresh as refresh_origins
from ..match.scores import GRADED_KINDS, RELATED, Scores, kind_of
from ..settings import Settings
from ..sqlutil import registered
from .database import Store
from .snapshot import writing

SCORED_SQL = """
SELECT doc_a, doc_b, kind, similarity, containment, shared, trigram_containment, trigram_coverage,
       longest_run, shared_sentences, title_similarity
FROM matches
WHERE list_contains($graded, kind) AND shared IS NOT NULL
"""


@dataclass
class RejudgeSummary:
    """What a recluster changed."""

    pairs: int = 0  # pairs judged again
    changed: dict[str, int] = field(default_factory=dict)  # "old -> new" kind: pairs
    clusters_before: int = 0
    clusters_after: int = 0
    seconds: float = 0.0
    settings: dict[str, object] = field(default_factory=dict)

    def line(self) -> str:
        moves = ", ".join(f"{k}: {n}" for k, n in sorted(self.changed.items())) or "no kind changed"
        return (f"{self.pairs} pairs judged again ({moves}); clusters {self.clusters_before} -> "
                f"{self.clusters_after}, {self.seconds:.1f} s")


def rejudge(db: str | os.PathLike[str], changes: dict[str, object]) -> RejudgeSummary:
    """Apply new verdict settings (``changes``: verdict keys of :class:`Settings`) to a stored database.

    Takes the write lock like a scan; the new settings, kinds, clusters and
    origins are written in one transaction, so a failure leaves the database
    as it was.
    """
    fixed = sorted(set(changes) - set(Settings.VERDICT_KEYS))
    if fixed:  # refused before the database is opened
        raise SettingsMismatchError(f"{', '.join(fixed)} cannot change after the first scan (fingerprint settings)")
    started = time.monotonic()
    summary = RejudgeSummary()
    with writing(db, "recluster"), Store.open(db) as store:
        settings = store.settings.replace(**changes)
        con = store.con
        summary.settings = {k: getattr(settings, k) for k in Settings.VERDICT_KEYS}
        summary.clusters_before = con.execute("SELECT count(DISTINCT cluster_id) FROM clusters").fetchall()[0][0]
        rows = con.execute(SCORED_SQL, {"graded": list(GRADED_KINDS)}).fetchall()
        updates: dict[str, list] = {"a": [], "b": [], "kind": []}
        for a, b, old, *values in rows:
            new = kind_of(Scores(*values), settings) or RELATED
            summary.pairs += 1
            if new != old:
                key = f"{old} -> {new}"
                summary.changed[key] = summary.changed.get(key, 0) + 1
                updates["a"].append(a)
                updates["b"].append(b)
                updates["kind"].append(new)
        with store.transaction():
            store.set_verdict(settings)
            if updates["a"]:
                table = pa.table({"a": pa.array(updates["a"], pa.int64()), "b": pa.array(updates["b"], pa.int64()),
                                  "kind": pa.array(updates["kind"], pa.string())})
                with registered(con, new_kinds=table):
                    con.execute("UPDATE matches SET kind = n.kind FROM new_kinds n WHERE matches.doc_a = n.a AND matches.doc_b = n.b")
            everyone = sorted({r[0] for r in con.execute(
                "SELECT doc_a FROM matches UNION SELECT doc_b FROM matches UNION SELECT doc_id FROM clusters").fetchall()})
            old_clusters = store.cluster_ids(everyone)
            affected, assignment = recluster(con, everyone, kinds=settings.kinds)
            affected = sorted(set(affected) | set(everyone))
            store.replace_clusters(affected, assignment)
            dropped, origins = refresh_origins(con, affected, assignment, old_clusters, [])
            store.replace_origins(dropped, origins)
        summary.clusters_after = con.execute("SELECT count(DISTINCT cluster_id) FROM clusters").fetchall()[0][0]
    summary.seconds = time.monotonic() - started
    return summary
