#!/usr/bin/env python3
"""Rewritten wire copy: how many newspaper stories rewritten from an agency story syndicate finds.

What it measures: syndicate scans all 600 documents of the COUNTER development
half (agency stories and the newspaper stories written from them, judged by
annotators) into a fresh database, like any crawl; then, for each labelled
pair, whether syndicate reports it and as which kind. Figures per label
(``wholly_derived``, ``partially_derived``, ``non_derived`` = the same event
written up independently): found as each kind, found under the default
cluster kinds (the pair is in one cluster), and stored at all. Beside it, in
the same run, the baseline a user would write: word 3-gram Jaccard with the
cut-off that flags at most 2% of the non-derived pairs.

Data: ``../shared/corpora/counter-urdu-dev/`` beside the clone (``docs.jsonl``,
``pairs.jsonl``; Sharjeel, Nawab & Rayson 2016, CC BY-NC-SA 4.0: read from
there, never copied into the repository).

Time: about 20 s on 2 cores.

    python benchmarks/rewrites.py [--counter ../shared/corpora/counter-urdu-dev] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpora" / "counter-urdu-dev"
LABELS = ("wholly_derived", "partially_derived", "non_derived")
MAX_FALSE_SHARE = 0.02


def load(folder: Path) -> tuple[dict[str, dict], list[dict]]:
    docs_file, pairs_file = folder / "docs.jsonl", folder / "pairs.jsonl"
    if not docs_file.exists() or not pairs_file.exists():
        sys.exit(f"error: no COUNTER data at {folder} (docs.jsonl, pairs.jsonl): it lives in ../shared/corpora, "
                 "not in the repository; pass --counter FOLDER")
    docs = {d["id"]: d for d in map(json.loads, docs_file.open(encoding="utf-8"))}
    pairs = [json.loads(line) for line in pairs_file.open(encoding="utf-8")]
    return docs, pairs


def url_of(doc: dict) -> str:
    """A URL on the publisher's own site (the agency, or the newspaper), as a crawl would hold it."""
    site = doc.get("source", "unknown").lower().replace("_", "-")
    return f"https://www.{site}.example/{doc['id']}"


def body(doc: dict) -> str:
    parts = doc["text"].split("\n\n", 1)
    return parts[1] if len(parts) > 1 else parts[0]


def run_syndicate(docs: dict[str, dict], workdir: Path) -> tuple[dict[tuple[str, str], str], set[tuple[str, str]], float]:
    """Scan the documents as a crawl export; the stored kind of each pair, the same-cluster pairs, seconds."""
    corpus = workdir / "counter.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for doc_id, doc in docs.items():
            day = doc.get("date") or None
            f.write(json.dumps({"url": url_of(doc), "title": doc.get("headline"), "text": body(doc),
                                "published_at": day, "fetched_at": f"{day or '2015-01-01'}T12:00:00Z"},
                               ensure_ascii=False) + "\n")
    db = workdir / "counter.duckdb"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "syndicate", "scan", str(corpus), "--db", str(db), "--quiet"])
    if done.returncode not in (0, 3):  # 3: some records unreadable (listed on stderr), the rest scanned
        sys.exit(f"error: syndicate scan exited {done.returncode}")
    seconds = time.perf_counter() - started
    by_url = {url_of(doc): doc_id for doc_id, doc in docs.items()}
    with duckdb.connect(str(db), read_only=True) as con:
        kinds = {}
        for a, b, kind in con.execute(
                "SELECT da.url, db.url, m.kind FROM matches m JOIN documents da ON da.doc_id = m.doc_a "
                "JOIN documents db ON db.doc_id = m.doc_b").fetchall():
            kinds[tuple(sorted((by_url[a], by_url[b])))] = kind
        together = set()
        for (members,) in con.execute("SELECT list(d.url) FROM clusters c JOIN documents d USING (doc_id) GROUP BY c.cluster_id").fetchall():
            ids = sorted(by_url[u] for u in members)
            together.update((x, y) for i, x in enumerate(ids) for y in ids[i + 1:])
    return kinds, together, seconds


def trigram_jaccard(a: str, b: str) -> float:
    from syndicate.fingerprint.minhash import overlap, shingle_hashes

    return overlap(shingle_hashes(a, 3), shingle_hashes(b, 3))[0]


def score(docs: dict[str, dict], pairs: list[dict], kinds: dict, together: set) -> dict:
    by_label: dict[str, list[tuple[str, str]]] = {label: [] for label in LABELS}
    for p in pairs:
        by_label[p["classification"]].append(tuple(sorted((p["id1"], p["id2"]))))
    out: dict[str, dict] = {}
    for label, labelled in by_label.items():
        n = len(labelled)
        found = Counter(kinds.get(pair, "none") for pair in labelled)
        out[label] = {
            "pairs": n,
            "clustered (default kinds)": sum(pair in together for pair in labelled) / n,
            **{f"kind {k}": found[k] / n for k in ("duplicate", "partial", "rewrite", "related", "template", "alias", "none")},
        }
    # the baseline: word 3-gram Jaccard, cut-off flagging at most 2% of the non-derived pairs
    jac = {pair: trigram_jaccard(body(docs[pair[0]]), body(docs[pair[1]])) for pairs_ in by_label.values() for pair in pairs_}
    negatives = sorted((jac[p] for p in by_label["non_derived"]), reverse=True)
    allowed = int(MAX_FALSE_SHARE * len(negatives))
    cut = negatives[allowed] if allowed < len(negatives) else 0.0  # flag strictly above the (allowed+1)-th highest
    for label, labelled in by_label.items():
        out[label]["baseline: 3-gram Jaccard"] = sum(jac[p] > cut for p in labelled) / len(labelled)
    out["baseline cut-off"] = round(cut, 4)
    return out


def table(scores: dict, seconds: float) -> str:
    rows = [k for k in scores["wholly_derived"] if k != "pairs"]
    lines = [f"{'':32s}" + "".join(f"{label:>20s}" for label in LABELS),
             f"{'pairs':32s}" + "".join(f"{scores[label]['pairs']:>20d}" for label in LABELS)]
    for row in rows:
        lines.append(f"{row:32s}" + "".join(f"{scores[label][row]:>20.3f}" for label in LABELS))
    lines.append(f"baseline cut-off: Jaccard > {scores['baseline cut-off']} (at most {MAX_FALSE_SHARE:.0%} of non-derived)")
    lines.append(f"scan: {seconds:.1f} s")
    return "\n".join(lines)


def evaluate(folder: Path) -> tuple[dict, float]:
    docs, pairs = load(folder)
    with tempfile.TemporaryDirectory() as tmp:
        kinds, together, seconds = run_syndicate(docs, Path(tmp))
    return score(docs, pairs, kinds, together), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counter", type=Path, default=DEFAULT, help="the COUNTER development half (docs.jsonl, pairs.jsonl)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    scores, seconds = evaluate(args.counter)
    print(json.dumps({**scores, "seconds": round(seconds, 2)}, indent=2) if args.json else table(scores, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
