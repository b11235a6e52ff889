"""Extraction speed and quality: syndicate's fast extraction beside trafilatura and syndicate's current one.

Measures, for four extractors run on the same pages in one process run:

- ``fast.extract``: ``syndicate.extract.fast.extract`` (one Resiliparse parse);
- ``trafilatura``: ``trafilatura.bare_extraction(html, url=url, with_metadata=True)``, defaults;
- ``trafilatura fast``: the same with ``fast=True`` (no fallback extractors);
- ``article.extract``: ``syndicate.extract.article.extract`` (trafilatura in
  precision mode, a second default-mode run where the first looks wrong):
  the extraction syndicate uses today;

milliseconds a page (each page's bytes in memory, decoding and parsing
included; the calls are interleaved page by page and the whole pass repeated,
the median pass reported), body precision, recall and F1 against the true
article text (``benchmarks/accuracy.py``'s ``extraction_scores``: 4-token
shingles, as the article-extraction benchmark scores them), how many pages
get a publication date, and how often the fast extraction agrees with
``article.extract``: the same day (UTC) when both have a date, the same
title after whitespace, the same site name. Also the targets of issue 18:
body F1 within 0.02 of ``article.extract``'s, dates found at least as often,
and at least 4 times trafilatura's speed.

Data: ``../shared/corpora/article-extraction-benchmark`` (131 real news and
blog pages in ``html/*.html.gz`` and their true article text in
``ground-truth.json``; Scrapinghub/Zyte's public article-extraction
benchmark, MIT License), beside the clone and not in the repository.

Time on 2 cores: about 30-40 s with the default 3 repeats (trafilatura's two
modes and ``article.extract`` take almost all of it), measured on a busy
machine.

Run::

    python benchmarks/extraction.py [--pages ../shared/corpora/article-extraction-benchmark] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from accuracy import extraction_scores  # noqa: E402  (benchmarks/accuracy.py)

DEFAULT_PAGES = HERE.parent.parent / "shared" / "corpora" / "article-extraction-benchmark"
SYSTEMS = ("fast.extract", "trafilatura", "trafilatura fast", "article.extract")
TARGET_F1_GAP = 0.02
TARGET_SPEEDUP = 4.0


def load(folder: Path) -> list[dict]:
    """The benchmark's pages: key, URL, HTML bytes and true body, in the truth file's order."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [{"key": key, "url": item["url"], "html": gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()),
             "body": item["articleBody"]} for key, item in truth.items()]


def extractors() -> dict[str, object]:
    """Each system as a function of (html, url, page) to (text, title, sitename, published date or None)."""
    from trafilatura import bare_extraction

    from syndicate.extract import article, fast

    def with_trafilatura(fast_mode: bool):
        def run(html: bytes, url: str, page: object) -> tuple:
            doc = bare_extraction(html, url=url, with_metadata=True, fast=fast_mode)
            if doc is None:
                return "", None, None, None
            return doc.text or "", doc.title, doc.sitename, article._published(doc.date)
        return run

    def syndicate(module):
        def run(html: bytes, url: str, page: object) -> tuple:
            try:
                a = module.extract(page)
            except article.ExtractionError:
                return "", None, None, None
            return a.text, a.title, a.sitename, a.published_at
        return run

    return {"fast.extract": syndicate(fast), "trafilatura": with_trafilatura(False),
            "trafilatura fast": with_trafilatura(True), "article.extract": syndicate(article)}


def measure(pages: list[dict], repeat: int) -> dict:
    """Interleaved timings (median pass) and the first pass's outputs, per system."""
    from syndicate.read.page import Page

    runs = extractors()
    for p in pages:  # built outside the timings, as a reader hands pages to the workers
        p["page"] = Page(source=p["key"], record="", url=p["url"], html=p["html"])
    for name, run in runs.items():  # imports and first-call setup outside the timings
        run(pages[0]["html"], pages[0]["url"], pages[0]["page"])
    seconds = {name: [0.0] * repeat for name in runs}
    outputs: dict[str, list[tuple]] = {name: [] for name in runs}
    names = list(runs)
    for r in range(repeat):
        for i, p in enumerate(pages):
            order = names[i % len(names):] + names[:i % len(names)]  # each system goes first as often as the others
            for name in order:
                start = time.perf_counter()
                out = runs[name](p["html"], p["url"], p["page"])
                seconds[name][r] += time.perf_counter() - start
                if r == 0:
                    outputs[name].append(out)
    return {"seconds": seconds, "outputs": outputs}


def same_title(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def report(pages: list[dict], measured: dict) -> dict:
    n = len(pages)
    result: dict = {"pages": n, "systems": {}}
    for name in SYSTEMS:
        outs = measured["outputs"][name]
        scores = extraction_scores((p["body"], out[0]) for p, out in zip(pages, outs))
        ms = statistics.median(measured["seconds"][name]) / n * 1000
        result["systems"][name] = {**scores, "ms_per_page": ms, "dates": sum(out[3] is not None for out in outs)}
    fast, ref = measured["outputs"]["fast.extract"], measured["outputs"]["article.extract"]
    both_dated = [(f[3], a[3]) for f, a in zip(fast, ref) if f[3] is not None and a[3] is not None]
    result["agreement"] = {
        "both_dated": len(both_dated),
        "same_day": sum(f.date() == a.date() for f, a in both_dated),
        "same_title": sum(same_title(f[1], a[1]) for f, a in zip(fast, ref)),
        "same_sitename": sum((f[2] or None) == (a[2] or None) for f, a in zip(fast, ref)),
    }
    s = result["systems"]
    result["targets"] = {
        "f1_gap": s["article.extract"]["f1"] - s["fast.extract"]["f1"],
        "dates_found": (s["fast.extract"]["dates"], s["article.extract"]["dates"]),
        "speedup_vs_trafilatura": s["trafilatura"]["ms_per_page"] / s["fast.extract"]["ms_per_page"],
        "speedup_vs_article_extract": s["article.extract"]["ms_per_page"] / s["fast.extract"]["ms_per_page"],
    }
    return result


def table(result: dict) -> str:
    s = result["systems"]
    base = s["trafilatura"]["ms_per_page"]
    lines = [f"{result['pages']} pages; ms/page: median of the interleaved passes; body scores as accuracy.py computes them",
             f"{'':<18}{'ms/page':>9}{'vs trafilatura':>16}{'body P':>8}{'body R':>8}{'body F1':>9}{'dated':>7}"]
    for name in SYSTEMS:
        row = s[name]
        lines.append(f"{name:<18}{row['ms_per_page']:>9.2f}{base / row['ms_per_page']:>15.1f}x{row['precision']:>8.3f}"
                     f"{row['recall']:>8.3f}{row['f1']:>9.3f}{row['dates']:>7}")
    a, t, n = result["agreement"], result["targets"], result["pages"]
    lines += [
        "",
        f"fast.extract against article.extract: same day {a['same_day']}/{a['both_dated']} pages both dated, "
        f"same title {a['same_title']}/{n}, same site name {a['same_sitename']}/{n}",
        f"targets: body F1 within {TARGET_F1_GAP} of article.extract: {t['f1_gap']:+.3f} "
        f"({'met' if t['f1_gap'] <= TARGET_F1_GAP else 'NOT met'}); "
        f"dates found at least as often: {t['dates_found'][0]} vs {t['dates_found'][1]} "
        f"({'met' if t['dates_found'][0] >= t['dates_found'][1] else 'NOT met'}); "
        f"at least {TARGET_SPEEDUP:.0f}x trafilatura: {t['speedup_vs_trafilatura']:.1f}x "
        f"({'met' if t['speedup_vs_trafilatura'] >= TARGET_SPEEDUP else 'NOT met'}); "
        f"{t['speedup_vs_article_extract']:.1f}x article.extract",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES,
                        help="the article-extraction benchmark (html/*.html.gz + ground-truth.json)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the pages; the median pass is reported")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not (args.pages / "ground-truth.json").is_file():
        parser.error(f"no ground-truth.json in {args.pages}: the benchmark pages are in ../shared/corpora, "
                     "not in the repository (see benchmarks/README.md)")
    pages = load(args.pages)
    result = report(pages, measure(pages, max(1, args.repeat)))
    print(json.dumps(result, indent=2, default=str) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
