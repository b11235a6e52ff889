"""Retention: forget pages not seen for a while, keeping matches, clusters and origins consistent."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ..match.cluster import recluster
from ..errors import SyndicateError
from .lock import WriteLock
from ..match.origin import refresh as refresh_origins
from ..sqlutil import ids, registered
from .database import Store

_AGE_RE = re.compile(r"^\s*(\d+)\s*([dwh])\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "w": "weeks", "h": "hours"}


def parse_age(text: str) -> timedelta:
    """"90d", "12w" or "36h" as a timedelta."""
    m = _AGE_RE.match(text)
    if not m:
        raise SyndicateError(f"cannot read age {text!r}; write it like 90d, 12w or 36h")
    return timedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})


@dataclass(frozen=True)
class PruneSummary:
    pages: int
    matches: int
    clusters_before: int
    clusters_after: int
    cutoff: datetime

    def line(self) -> str:
        return (f"removed {self.pages} pages last seen before {self.cutoff:%Y-%m-%d %H:%M} UTC and their "
                f"{self.matches} matches; clusters {self.clusters_before} -> {self.clusters_after}")


def prune(db: str | os.PathLike[str], older_than: timedelta, now: datetime | None = None) -> PruneSummary:
    """Remove pages whose last_seen is older than ``older_than``, with everything that refers to them.

    Their bands, signatures, links, evidence, site line counts and matches go;
    the clusters they were in are recomputed (they may split or vanish) and so
    are those clusters' origins. One transaction: all or nothing.
    """
    cutoff = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None) - older_than
    with WriteLock(db, "prune"), Store.open(db) as store:
        con = store.con
        old = [r[0] for r in con.execute("SELECT doc_id FROM documents WHERE last_seen < ? ORDER BY 1", [cutoff]).fetchall()]
        clusters_before = con.execute("SELECT count(DISTINCT cluster_id) FROM clusters").fetchall()[0][0]
        with registered(con, old_docs=ids(old)):
            n_matches = con.execute(
                "SELECT count(*) FROM matches WHERE doc_a IN (SELECT doc_id FROM old_docs) OR doc_b IN (SELECT doc_id FROM old_docs)"
            ).fetchall()[0][0]
            partners = [r[0] for r in con.execute(
                """SELECT doc_b FROM matches WHERE doc_a IN (SELECT doc_id FROM old_docs)
                   UNION SELECT doc_a FROM matches WHERE doc_b IN (SELECT doc_id FROM old_docs)"""
            ).fetchall()]
        with store.transaction():
            store.delete_documents(old)
            touched = sorted(set(old) | set(partners))
            affected, assignment = recluster(con, touched, kinds=store.settings.kinds)
            old_clusters = store.cluster_ids(affected)
            store.replace_clusters(affected, assignment)
            dropped, origins = refresh_origins(con, affected, assignment, old_clusters, [])
            store.replace_origins(dropped, origins)
            # outside origins resolved to a removed page keep their URL, not the page
            with registered(con, old_docs=ids(old)):
                con.execute("UPDATE origins SET origin_doc_id = NULL WHERE origin_doc_id IN (SELECT doc_id FROM old_docs)")
        clusters_after = con.execute("SELECT count(DISTINCT cluster_id) FROM clusters").fetchall()[0][0]
    return PruneSummary(len(old), n_matches, clusters_before, clusters_after, cutoff)
