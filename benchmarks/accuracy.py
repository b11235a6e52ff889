"""Syndication accuracy: syndicate beside two hand-written baselines, on a corpus built from real pages.

Measures: syndicate runs as a user runs it (``syndicate scan`` into a fresh
database in a temporary folder) and is scored from the database through the
documented SQL (``clusters``, ``syndication``, ``documents``), not from
internals. Side by side, in the same run, on the same corpus:

(a) whole page: the page's whole text + datasketch ``MinHashLSH`` (what a user
    gets without article extraction); origin = first fetched;
(b) trafilatura + datasketch ``MinHashLSH(threshold=0.5)``, origin = earliest
    published date (what a user writes by hand).

Metrics: pair precision/recall/F1 over same-cluster pairs; the same per repost
kind; false pairs among template twins, same-story articles and short
articles; origin accuracy (share of reposts whose origin URL is the true one,
also for the clusters whose origin page was not crawled); extraction quality
(body text against the true article, shingle F1 as the article-extraction
benchmark computes it); seconds of each system.

Data: ``../shared/corpora/article-extraction-benchmark`` (131 real news pages
and their true article text, ``ground-truth.json``; Scrapinghub/Zyte's public
article-extraction benchmark, MIT License), beside the clone and not in the
repository. The syndication corpus (415 pages, 131 clusters for seed 1) is
built from it by ``corpus.py`` in a temporary folder, or read with
``--corpus`` from a folder ``corpus.py`` wrote.

A second table follows, from the same run: ``realcrawl.py``'s figures on a
crawl of real pages that are mostly not copies (false pairs among 361
independent real pages, walls, template stories, URL variants, origins when
an aggregator's dates lie, wire copy); see that script's docstring. It needs
the whole ``../shared/corpora`` (``--shared``, by default the folder holding
``--pages``); ``--no-realcrawl`` leaves it out. In ``--json`` its figures are
under the key ``"realcrawl"``, beside the systems' scores.

Time on 2 cores: about 2 minutes (1 min 51 s measured on a busy machine: about
30 s building the corpus, then syndicate, then the two baselines), plus about
45 s for the real-crawl table; with ``--corpus`` the build is skipped,
with ``--no-baselines`` only syndicate runs.

Run::

    python benchmarks/accuracy.py --pages ../shared/corpora/article-extraction-benchmark [--seed 1] [--json]
    python benchmarks/accuracy.py --corpus /tmp/bench          # a corpus already built by corpus.py

Options: ``--workers N`` (default: all CPUs), ``--extract fast,precise`` (the default: both)
(a column per extraction mode), ``--no-baselines``, ``--json``,
``--shared DIR`` and ``--no-realcrawl`` (the second table).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Iterable

HERE = Path(__file__).resolve().parent
KINDS = ("full", "truncated", "edited", "canonical")


@dataclass
class Prediction:
    """What one system says about the corpus."""

    name: str
    clusters: list[set[str]]
    origin: dict[str, str]  # copy URL -> origin URL
    text: dict[str, str]  # URL -> extracted article text
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


# --- scoring -----------------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def _shingle_counts(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN_RE.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def extraction_scores(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Body precision/recall/F1 over (true, predicted) texts, as the article-extraction benchmark computes them.

    Per page: 4-token shingle counts, tp/fp/fn normalised to sum 1; precision
    and recall averaged over pages; F1 of the averages.
    """
    precisions, recalls = [], []
    for true, pred in pairs:
        t, p = _shingle_counts(true), _shingle_counts(pred)
        tp = sum((t & p).values())
        fp = sum((p - t).values())
        fn = sum((t - p).values())
        total = tp + fp + fn
        if total:
            tp, fp, fn = tp / total, fp / total, fn / total
        if tp + fp > 0:
            precisions.append(1.0 if fp == fn == 0 else tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(1.0 if fp == fn == 0 else tp / (tp + fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in combinations(sorted(set(g)), 2)}


def _prf(true: set, pred: set) -> dict[str, float]:
    tp = len(true & pred)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": len(true), "predicted_pairs": len(pred)}


def _same_urls(pred: Prediction, truth: dict) -> tuple[Prediction, dict]:
    """Both sides with URLs as syndicate stores them (fragment and tracking parameters dropped), so one page
    is one URL whichever spelling each side kept (the benchmark's givewell URL carries a #comment fragment)."""
    from dataclasses import replace

    from syndicate.read.urls import normalize_url as n

    pages = [{**p, **{k: n(p[k]) for k in ("url", "origin_url", "host_url") if p.get(k)}} for p in truth["pages"]]
    clusters = [{**c, "members": [n(u) for u in c["members"]]} for c in truth["clusters"]]
    groups = [[n(u) for u in g] for g in truth.get("same_story_groups", [])]
    truth = {**truth, "pages": pages, "clusters": clusters, "same_story_groups": groups}
    pred = replace(pred, clusters=[{n(u) for u in c} for c in pred.clusters],
                   origin={n(k): (n(v) if v else v) for k, v in pred.origin.items()},
                   text={n(k): v for k, v in pred.text.items()})
    return pred, truth


def score(pred: Prediction, truth: dict) -> dict:
    """All metrics of one system against the truth file."""
    pred, truth = _same_urls(pred, truth)
    pages = {p["url"]: p for p in truth["pages"]}
    true_pairs = _pairs(c["members"] for c in truth["clusters"] if len(c["members"]) > 1)
    pred_pairs = _pairs(c for c in pred.clusters if len(c) > 1)
    out: dict = {"pairs": _prf(true_pairs, pred_pairs)}
    for kind in KINDS:
        urls = {u for u, p in pages.items() if p.get("role") == "repost" and p.get("kind") == kind}
        involved = lambda pairs: {x for x in pairs if x[0] in urls or x[1] in urls}
        out[kind] = _prf(involved(true_pairs), involved(pred_pairs))
    false_pairs = pred_pairs - true_pairs
    twins = {tuple(sorted((u, p["host_url"]))) for u, p in pages.items() if p.get("host_url")}
    same_story = _pairs(truth.get("same_story_groups", []))
    shorts = {u for u, p in pages.items() if p.get("role") == "short"}
    short_pairs = {pair for pair in false_pairs if pair[0] in shorts or pair[1] in shorts}
    out["false_pairs"] = {
        "template_twin": len(false_pairs & twins),
        "same_story": len(false_pairs & same_story),
        "short_article": len(short_pairs),
        "other": len(false_pairs - twins - same_story - short_pairs),
    }
    crawled = {c["id"]: c["origin_crawled"] for c in truth["clusters"]}
    hits = {True: [], False: []}
    for url, p in pages.items():
        if p.get("role") == "repost":
            hits[crawled[p["cluster"]]].append(pred.origin.get(url) == p["origin_url"])
    every = hits[True] + hits[False]
    out["origin"] = {
        "accuracy": sum(every) / len(every) if every else 0.0,
        "accuracy_crawled": sum(hits[True]) / len(hits[True]) if hits[True] else 0.0,
        "accuracy_not_crawled": sum(hits[False]) / len(hits[False]) if hits[False] else 0.0,
        "reposts": len(every),
    }
    out["extraction"] = extraction_scores((p["body"], pred.text.get(u, "")) for u, p in pages.items() if p.get("body"))
    out["seconds"] = pred.seconds
    return out


# --- systems -----------------------------------------------------------------


def run_syndicate(corpus: Path, workdir: Path, workers: int, mode: str = "precise") -> Prediction:
    """``syndicate scan`` into a fresh database, then read the answer back with the documented SQL."""
    import duckdb

    db = workdir / f"accuracy-{mode}.duckdb"
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "syndicate", "scan", str(corpus), "--db", str(db), "--workers", str(workers),
         "--extract", mode, "--quiet"],
        check=False,
    )
    seconds = time.perf_counter() - start
    with duckdb.connect(str(db), read_only=True) as con:
        clusters = [set(urls) for (urls,) in con.execute(
            "SELECT list(url) FROM clusters JOIN documents USING (doc_id) GROUP BY cluster_id").fetchall()]
        origin = dict(con.execute("SELECT copy_url, origin_url FROM syndication").fetchall())
        text = dict(con.execute("SELECT url, text FROM documents").fetchall())
    return Prediction(f"syndicate {mode}", clusters, origin, text, seconds)


def _records(corpus: Path) -> list[dict]:
    with corpus.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _whole_page(record: dict) -> tuple[str, str, str | None]:
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(record["html"])
        for bad in doc.xpath("//script|//style|//noscript"):
            bad.drop_tree()
        text = "\n".join(" ".join(t.split()) for t in doc.text_content().splitlines() if t.strip())
    except Exception:
        text = ""
    return record["url"], text, None


def _trafilatura(record: dict) -> tuple[str, str, str | None]:
    from trafilatura import bare_extraction

    doc = bare_extraction(record["html"], url=record["url"], with_metadata=True)
    if doc is None:
        return record["url"], "", None
    return record["url"], doc.text or "", doc.date


def _lsh_clusters(texts: dict[str, str]) -> list[set[str]]:
    """datasketch MinHashLSH at 0.5 over 5-word shingles; every candidate pair is taken as a match."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    sketches = {}
    for url, text in texts.items():
        words = text.lower().split()
        if not words:
            continue
        shingles = {" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=128)
        m.update_batch(list(shingles))
        sketches[url] = m
        lsh.insert(url, m)
    parent = {u: u for u in sketches}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for url, m in sketches.items():
        for other in lsh.query(m):
            parent[find(other)] = find(url)
    groups: dict[str, set[str]] = {}
    for u in sketches:
        groups.setdefault(find(u), set()).add(u)
    return [g for g in groups.values() if len(g) > 1]


def _earliest_origin(clusters: list[set[str]], when: dict[str, tuple]) -> dict[str, str]:
    origin = {}
    for c in clusters:
        first = min(c, key=lambda u: (when[u], u))
        origin.update({u: first for u in c if u != first})
    return origin


def run_baseline(name: str, corpus: Path, workers: int) -> Prediction:
    records = _records(corpus)
    fetched = {r["url"]: r.get("fetched_at") or "" for r in records}
    start = time.perf_counter()
    extract = _whole_page if name == "whole page" else _trafilatura
    with multiprocessing.get_context("forkserver").Pool(workers) as pool:
        rows = pool.map(extract, records, chunksize=4)
    texts = {url: text for url, text, _ in rows}
    clusters = _lsh_clusters(texts)
    if name == "whole page":
        when = {u: (fetched[u],) for u in texts}
    else:  # earliest published date; pages without one after all dated ones, then by fetch time
        dates = {url: date for url, _, date in rows}
        when = {u: (dates[u] is None, dates[u] or "", fetched[u]) for u in texts}
    origin = _earliest_origin(clusters, when)
    return Prediction(name, clusters, origin, texts, time.perf_counter() - start)


# --- report ------------------------------------------------------------------

ROWS = [
    ("pair precision", lambda s: s["pairs"]["precision"]),
    ("pair recall", lambda s: s["pairs"]["recall"]),
    ("pair F1", lambda s: s["pairs"]["f1"]),
    *[(f"{k} repost F1", (lambda k: lambda s: s[k]["f1"])(k)) for k in KINDS],
    *[(f"{k} repost recall", (lambda k: lambda s: s[k]["recall"])(k)) for k in KINDS],
    ("template twins matched", lambda s: s["false_pairs"]["template_twin"]),
    ("same-story pairs matched", lambda s: s["false_pairs"]["same_story"]),
    ("short-article pairs matched", lambda s: s["false_pairs"]["short_article"]),
    ("other false pairs", lambda s: s["false_pairs"]["other"]),
    ("origin accuracy", lambda s: s["origin"]["accuracy"]),
    ("origin acc., crawled", lambda s: s["origin"]["accuracy_crawled"]),
    ("origin acc., not crawled", lambda s: s["origin"]["accuracy_not_crawled"]),
    ("extraction F1", lambda s: s["extraction"]["f1"]),
    ("seconds", lambda s: s["seconds"]),
]


def table(scores: dict[str, dict]) -> str:
    names = list(scores)
    width = max(len(r[0]) for r in ROWS) + 2
    lines = [f"{'':<{width}}" + "".join(f"{n:>18}" for n in names)]
    for label, get in ROWS:
        cells = []
        for n in names:
            v = get(scores[n])
            cells.append(f"{v:>18.3f}" if isinstance(v, float) else f"{v:>18}")
        lines.append(f"{label:<{width}}" + "".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--pages", type=Path, help="real pages (html/*.html.gz + ground-truth.json) to build the corpus from")
    src.add_argument("--corpus", type=Path, help="a folder with corpus.jsonl and truth.json from corpus.py")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-baselines", action="store_true", help="score syndicate only")
    parser.add_argument("--extract", default="fast,precise",
                        help="syndicate's extraction modes to score: fast (the scan's default), precise, or both")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--shared", type=Path, default=None,
                        help="the shared corpora for the real-crawl table (default: the folder holding --pages, "
                             "else ../shared/corpora)")
    parser.add_argument("--no-realcrawl", action="store_true", help="leave out the real-crawl table (realcrawl.py)")
    parser.add_argument("--no-rewrites", action="store_true",
                        help="leave out the rewritten-wire-copy table (rewrites.py, COUNTER from ../shared)")
    args = parser.parse_args(argv)
    if args.pages and not (args.pages / "ground-truth.json").is_file():
        parser.error(f"no ground-truth.json in {args.pages}: the real pages are in ../shared/corpora, not in the repository "
                     "(see benchmarks/README.md)")
    sys.path.insert(0, str(HERE))
    realcrawl = None
    if not args.no_realcrawl:
        import realcrawl

        shared = args.shared or (args.pages.resolve().parent if args.pages else realcrawl.DEFAULT_SHARED)
        missing = [c for c in realcrawl.COLLECTIONS if not (shared / c).is_dir()]
        if missing:
            parser.error(f"no {', '.join(missing)} in {shared}: the real-crawl table needs ../shared/corpora "
                         "(give --shared, or --no-realcrawl)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus
        if folder is None:
            from corpus import build

            folder = Path(tmp) / "corpus"
            build(args.pages, folder, seed=args.seed)
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        corpus = folder / "corpus.jsonl"
        predictions = [run_syndicate(corpus, Path(tmp), args.workers, mode) for mode in args.extract.split(",")]
        if not args.no_baselines:
            predictions += [run_baseline("whole page", corpus, args.workers),
                            run_baseline("trafilatura+LSH", corpus, args.workers)]
        scores = {p.name: score(p, truth) for p in predictions}
        real = None
        if realcrawl is not None:  # the second table: a crawl of real pages that are mostly not copies
            real = realcrawl.run(shared, Path(tmp) / "realcrawl", seed=args.seed, workers=args.workers)
    rewritten = None
    if not args.no_rewrites:  # the third table: real wire copy rewritten by newspapers (COUNTER)
        import rewrites

        counter = (args.shared or (args.pages.resolve().parent if args.pages else rewrites.DEFAULT.parent)) / rewrites.DEFAULT.name
        rewritten = rewrites.evaluate(counter)
    if args.json:
        extra = {k: v for k, v in (("realcrawl", real), ("rewrites", rewritten and rewritten[0])) if v is not None}
        print(json.dumps({**scores, **extra}, indent=2, default=str))
    else:
        n_clusters = len(truth["clusters"])
        n_pages = len(truth["pages"])
        print(f"{n_pages} pages, {n_clusters} clusters (seed {truth.get('seed')})")
        print(table(scores))
        if real is not None:
            print()
            print(realcrawl.report(real))
        if rewritten is not None:
            print()
            print("Rewritten wire copy (COUNTER development half): share of the labelled pairs found")
            print(rewrites.table(*rewritten))
    return 0


if __name__ == "__main__":
    sys.exit(main())
