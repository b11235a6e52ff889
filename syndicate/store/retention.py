"""Removing pages: those not seen for a while (prune), or named ones (forget), keeping matches, clusters and origins
consistent; each can be tried first (dry run)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Sequence

from ..match.cluster import recluster
from ..errors import SyndicateError
from .lock import WriteLock
from .snapshot import writing
from ..match.origin import refresh as refresh_origins
from ..sqlutil import ids, registered
from .database import Store
from .lookup import find_document

_AGE_RE = re.compile(r"^\s*(\d+)\s*([dwh])\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "w": "weeks", "h": "hours"}


def parse_age(text: str) -> timedelta:
    """"90d", "12w" or "36h" as a timedelta."""
    m = _AGE_RE.match(text)
    if not m:
        raise SyndicateError(f"cannot read age {text!r}; write it like 90d, 12w or 36h")
    return timedelta(**{_UNITS[m.group(2).lower()]: int(m.group(1))})


@dataclass(frozen=True)
class Removal:
    """What removing pages did, or would do (``dry_run``): pages and matches gone, clusters before and after."""

    pages: int
    matches: int
    clusters_before: int
    clusters_after: int
    what: str  # "last seen before 2026-09-06T03:12:00Z", "1 URL", "the domain nypost.com"
    dry_run: bool = False
    first_seen: datetime | None = None  # the range of the pages' first_seen, for a dry run to show
    last_seen: datetime | None = None

    def line(self) -> str:
        verb = "would remove" if self.dry_run else "removed"
        seen = (f" (last seen {self.first_seen:%Y-%m-%d} to {self.last_seen:%Y-%m-%d})"
                if self.dry_run and self.pages and self.first_seen and self.last_seen else "")
        tail = "; nothing changed (--dry-run)" if self.dry_run else ""
        return (f"{verb} {self.pages} pages, {self.what}{seen}, and their {self.matches} matches; "
                f"clusters {self.clusters_before} -> {self.clusters_after}{tail}")


PruneSummary = Removal  # the name prune's summary had


class _RollBack(Exception):
    """Ends a dry run's transaction: everything it did is rolled back."""


def prune(db: str | os.PathLike[str], older_than: timedelta, now: datetime | None = None,
          dry_run: bool = False, allow_all: bool = False) -> Removal:
    """Remove pages whose last_seen is older than ``older_than``, with everything that refers to them.

    Their bands, signatures, links, evidence, site line counts and matches go;
    the clusters they were in are recomputed (they may split or vanish) and so
    are those clusters' origins. One transaction: all or nothing. With
    ``dry_run`` the same work is done and rolled back: the figures are what the
    real run would do now, and the database is left as it was. A prune that
    would remove every stored page is refused unless ``allow_all`` (an age
    typed wrong, ``0d``, should not empty a month of history).
    """
    cutoff = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None) - older_than
    return _remove(db, "prune", "SELECT doc_id FROM documents WHERE last_seen < ?", [cutoff],
                   f"last seen before {cutoff:%Y-%m-%dT%H:%M:%SZ}", dry_run, refuse_all=not (allow_all or dry_run))


def forget(db: str | os.PathLike[str], urls: Sequence[str] = (), domains: Sequence[str] = (),
           dry_run: bool = False) -> Removal:
    """Remove the pages at ``urls`` (in any spelling ``copies`` accepts) and every page of ``domains``.

    Everything derived from them goes as with :func:`prune`, and their
    clusters and origins are recomputed. A URL that is not stored is a
    NotFoundError, and nothing is removed.
    """
    with Store.open(db, read_only=True) as store:
        doc_ids = []
        for url in urls:
            doc_ids.append(find_document(store, url))
    domains = [d.lower().removeprefix("www.") for d in domains]
    names = [f"{len(urls)} URL{'s' if len(urls) != 1 else ''}"] if urls else []
    names += [f"the domain{'s' if len(domains) != 1 else ''} {', '.join(domains)}"] if domains else []
    return _remove(db, "forget", "SELECT doc_id FROM documents WHERE list_contains(?, doc_id) "
                   "OR list_contains(?, lower(domain))", [doc_ids, domains], " and ".join(names), dry_run)


def _remove(db: str | os.PathLike[str], command: str, select: str, params: list, what: str,
            dry_run: bool, refuse_all: bool = False) -> Removal:
    with (WriteLock(db, command) if dry_run else writing(db, command)), Store.open(db) as store:
        con = store.con
        old = [r[0] for r in con.execute(f"{select} ORDER BY 1", params).fetchall()]
        total = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
        if refuse_all and old and len(old) == total:
            raise SyndicateError(f"this would remove every stored page ({total}, {what}); check the age, try "
                                 "--dry-run, or pass --all to empty the database")
        clusters_before = con.execute("SELECT count(DISTINCT cluster_id) FROM clusters").fetchall()[0][0]
        with registered(con, old_docs=ids(old)):
            n_matches = con.execute(
                "SELECT count(*) FROM matches WHERE doc_a IN (SELECT doc_id FROM old_docs) OR doc_b IN (SELECT doc_id FROM old_docs)"
            ).fetchall()[0][0]
            partners = [r[0] for r in con.execute(
                """SELECT doc_b FROM matches WHERE doc_a IN (SELECT doc_id FROM old_docs)
                   UNION SELECT doc_a FROM matches WHERE doc_b IN (SELECT doc_id FROM old_docs)"""
            ).fetchall()]
            seen = con.execute("SELECT min(last_seen), max(last_seen) FROM documents "
                               "WHERE doc_id IN (SELECT doc_id FROM old_docs)").fetchall()[0]
        clusters_after = clusters_before
        try:
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
                if dry_run:
                    raise _RollBack
        except _RollBack:
            pass
    return Removal(len(old), n_matches, clusters_before, clusters_after, what, dry_run, *seen)
