"""Shared test data: real articles from tests/data (see its README for provenance)."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
PAGES = DATA / "pages"
ROOT = Path(__file__).parent.parent
SAMPLE_CORPUS = ROOT / "sample_corpus"


def load_truth() -> dict[str, dict]:
    return json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def truth() -> dict[str, dict]:
    """File key -> {url, articleBody} of the real pages in tests/data/pages."""
    return load_truth()


@pytest.fixture(scope="session")
def english_bodies(truth) -> list[tuple[str, list[str]]]:
    """(url, paragraphs) of the English articles with at least 8 paragraphs, longest first."""
    out = []
    for item in truth.values():
        paras = [p.strip() for p in item["articleBody"].split("\n") if p.strip()]
        text = " ".join(paras)
        if len(paras) >= 8 and sum(c.isascii() for c in text) > 0.97 * len(text):
            out.append((item["url"], paras))
    out.sort(key=lambda x: -len(" ".join(x[1])))
    assert len(out) >= 3, "tests/data/pages needs three long English articles"
    return out


def page_html(key: str) -> bytes:
    return gzip.decompress((PAGES / f"{key}.html.gz").read_bytes())


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def token_f1(predicted: str, truth: str) -> float:
    """Bag-of-tokens F1, as the article-extraction benchmark scores bodies."""
    tok = lambda s: Counter(re.findall(r"\w+", s.lower()))
    p, t = tok(predicted), tok(truth)
    common = sum((p & t).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(t.values())
    return 2 * precision * recall / (precision + recall)
