"""Measure ``is_template_pair`` on the template cases here and on real copies (see README.md).

    .venv/bin/python benchmarks/template_pairs.py [ground-truth.json]

- template pairs: every two cases of one frame (same template, other fill),
  with and without their titles, whole and with the frame's constant lines
  set aside (as verification does for pages of one site); also whether
  syndicate's verification (``classify``, default settings) takes them for
  one article, which is when ``is_template_pair`` is asked;
- copies of template stories: each case with each edit of ``edits.py``;
- real copies: every body of the article-extraction benchmark (default
  ../shared/corpora/article-extraction-benchmark/ground-truth.json, beside the clone) with
  each edit of ``edits.py`` (the edits syndicators make), against the
  original, under the page's real <title> (or another page's title);
- different real articles: every two bodies of the benchmark.

Prints counts, every wrong call, the margins of the rule's measures, and the
time per pair (best of 5 runs, nothing cached).
"""

from __future__ import annotations

import collections
import gzip
import itertools
import json
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "tests" / "data" / "templates"  # the cases and edits.py
sys.path.insert(0, str(HERE))

from edits import EDITS  # noqa: E402

from syndicate.fingerprint.minhash import overlap, shingle_hashes  # noqa: E402
from syndicate.match import templates  # noqa: E402
from syndicate.match.candidates import classify  # noqa: E402
from syndicate.match.templates import _read, template_features  # noqa: E402
from syndicate.settings import Settings  # noqa: E402

BENCH = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "article-extraction-benchmark" / "ground-truth.json"
MEASURES = ("slots", "distinct", "spread", "filler_share")


def page_title(html_gz: Path) -> str | None:
    if not html_gz.exists():
        return None
    html = gzip.decompress(html_gz.read_bytes()).decode("utf-8", "replace")
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.S | re.I)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else None


def features(ta: str, tb: str, tia: str | None = None, tib: str | None = None):
    _read.cache_clear()
    return template_features(ta, tb, tia, tib)


def best_ms(ta: str, tb: str, tia: str | None = None, tib: str | None = None, runs: int = 5) -> float:
    spent = []
    for _ in range(runs):
        _read.cache_clear()  # the whole work: no text read before
        start = time.perf_counter()
        template_features(ta, tb, tia, tib)
        spent.append(time.perf_counter() - start)
    return 1000 * min(spent)


def cases():
    for path in sorted(HERE.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        yield data["frame"], data["cases"]


def frame_lines_aside(all_cases: list[dict], text: str) -> str:
    """The text without the lines found in three or more cases of its frame."""
    seen = collections.Counter(line for c in all_cases for line in set(c["text"].split("\n")))
    return "\n".join(line for line in text.split("\n") if seen[line] < 3)


def main() -> None:
    bench = Path(sys.argv[1]) if len(sys.argv) > 1 else BENCH
    settings = Settings()
    k = settings.shingle_size
    template_feats = []

    print("== template pairs (same frame, other fill)")
    print(f"  {'frame':11s} {'pairs':>5s} {'detected':>8s} {'no titles':>9s} {'lines aside':>11s} "
          f"{'verified':>8s} {'Jaccard':>12s} {'ms':>5s}")
    for frame, group in cases():
        n = hit = bare = aside = verified = 0
        jaccards, ms = [], []
        for a, b in itertools.combinations(group, 2):
            n += 1
            f = features(a["text"], b["text"], a["title"], b["title"])
            template_feats.append(f)
            hit += f.is_template
            if not f.is_template:
                print(f"  MISSED {frame} {a['id']}/{b['id']}: {f}")
            g = features(a["text"], b["text"])
            bare += g.is_template
            if not g.is_template:
                print(f"  missed without titles {frame} {a['id']}/{b['id']}: {g}")
            la, lb = frame_lines_aside(group, a["text"]), frame_lines_aside(group, b["text"])
            aside += features(la, lb, a["title"], b["title"]).is_template
            sa, sb = shingle_hashes(a["text"], k), shingle_hashes(b["text"], k)
            verified += classify(sa, sb, settings) is not None
            jaccards.append(overlap(sa, sb)[0])
            ms.append(best_ms(a["text"], b["text"], a["title"], b["title"]))
        print(f"  {frame:11s} {n:5d} {hit:8d} {bare:9d} {aside:11d} {verified:8d} "
              f"{min(jaccards):5.2f}-{max(jaccards):4.2f} {statistics.median(ms):5.2f}")

    print("== copies of template stories (each case x each edit)")
    n = wrong = 0
    for frame, group in cases():
        for case in group:
            for name, edit in EDITS.items():
                copy, copy_title = edit(case["text"], case["title"], "Stocks to watch this week")
                if copy is None:
                    continue
                n += 1
                f = features(case["text"], copy, case["title"], copy_title)
                if f.is_template:
                    wrong += 1
                    print(f"  WRONG {frame}/{case['id']} {name}: {f}")
    print(f"  called template {wrong}/{n}")

    if not bench.exists():
        print(f"(no {bench}: real copies not measured)")
        return
    truth = json.loads(bench.read_text(encoding="utf-8"))
    docs = [(key, item["articleBody"], page_title(bench.parent / "html" / f"{key}.html.gz"))
            for key, item in truth.items()]

    print(f"== real copies ({len(docs)} bodies x {len(EDITS)} edits; some edits do not apply to every body)")
    per_edit: dict[str, list[int]] = {}
    copy_feats = []
    ms_by_size: dict[str, list[float]] = {"<400": [], "400-1000": [], ">1000": []}
    for n, (key, body, title) in enumerate(docs):
        other_title = docs[(n + 1) % len(docs)][2]
        words = len(body.split())
        size = "<400" if words < 400 else ("400-1000" if words <= 1000 else ">1000")
        for name, edit in EDITS.items():
            copy, copy_title = edit(body, title, other_title)
            if copy is None:
                continue
            f = features(body, copy, title, copy_title)
            copy_feats.append(f)
            row = per_edit.setdefault(name, [0, 0])
            row[0] += 1
            row[1] += f.is_template
            if f.is_template:
                print(f"  WRONG {name} {key[:12]}: {f}")
            if name in ("change_number", "change_name", "advertisement"):
                ms_by_size[size].append(best_ms(body, copy, title, copy_title, runs=3))
    for name, (n, wrong) in per_edit.items():
        print(f"  {name:24s} called template {wrong}/{n}")
    print(f"  in all {sum(w for _, w in per_edit.values())}/{sum(n for n, _ in per_edit.values())}")

    print("== margins: the rule's measures, template pairs (lowest) / real copies (highest)")
    for m in MEASURES:
        print(f"  {m:13s} templates min {min(getattr(f, m) for f in template_feats)}, "
              f"copies max {max(getattr(f, m) for f in copy_feats)}")
    frames = [f for f in copy_feats if f.frame]
    print(f"  copies meeting every frame condition: {len(frames)}; with a fill that differs as well: "
          f"{sum(f.fill_differs for f in frames)}")

    print("== different real articles (every two bodies)")
    wrong = 0
    for (ka, a, ta), (kb, b, tb) in itertools.combinations(docs, 2):
        f = features(a, b, ta, tb)
        if f.is_template:
            wrong += 1
            print(f"  WRONG {ka[:12]}/{kb[:12]}: {f}")
    print(f"  called template {wrong}/{len(docs) * (len(docs) - 1) // 2}")

    print("== time a pair (ms, best of runs, nothing cached; median over pairs)")
    for size, ms in ms_by_size.items():
        if ms:
            print(f"  real copy (changed figure / name / Advertisement lines), body {size} words: "
                  f"median {statistics.median(ms):.2f}, max {max(ms):.2f} ({len(ms)} pairs)")
    long = [d for d in docs if 750 <= len(d[1].split()) <= 850]
    for name in ("change_number", "change_name", "advertisement", "truncate_half"):
        ms = [best_ms(body, EDITS[name](body, title, title)[0] or body) for _, body, title in long]
        print(f"  800-word real copy, {name}: median {statistics.median(ms):.2f}, max {max(ms):.2f} "
              f"({len(ms)} pairs)")
    ms = [best_ms(a[1], b[1]) for a, b in zip(long, long[1:])]
    print(f"  two different 800-word articles: median {statistics.median(ms):.2f}, max {max(ms):.2f}")
    print(f"  (thresholds: MIN_SLOTS {templates.MIN_SLOTS}, MIN_DISTINCT {templates.MIN_DISTINCT}, "
          f"MIN_SPREAD {templates.MIN_SPREAD}, MIN_FILLER_SHARE {templates.MIN_FILLER_SHARE}, "
          f"MIN_NUMERIC {templates.MIN_NUMERIC}, MAX_SLOT {templates.MAX_SLOT}, MIN_CONTEXT {templates.MIN_CONTEXT})")


if __name__ == "__main__":
    main()
