"""A deterministic hostile crawl: what strangers' servers and broken crawlers produce.

``write_hostile_corpus(folder)`` writes the files and returns what each one is
expected to do to a scan:

- ``REJECTED``: not a page at all (binary, empty, over the size limit,
  truncated gzip/WARC, broken JSONL lines): each must become a row in
  ``errors`` with a one-line reason;
- ``SURVIVED``: a page, hostile but readable (deep nesting, mislabeled
  charsets, NUL bytes, control characters in URLs, one word repeated,
  boilerplate only): each must be stored (as an article or as no_article)
  without a crash.

Every byte comes from a seeded generator or from the real pages in
``tests/data`` and ``sample_corpus``, so two calls write identical files.
"""

from __future__ import annotations

import gzip
import json
import random
from datetime import datetime, timezone
from pathlib import Path

from conftest import load_truth, page_html
from warc_files import Response, write_warc

ROOT = Path(__file__).resolve().parent.parent
FETCHED = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)


def _article_html(title: str, paragraphs: list[str], url: str, charset: str = "utf-8", extra_head: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>'
            f'<meta property="og:url" content="{url}">{extra_head}</head>'
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>© Example Media</footer></body></html>")


def _real_paragraphs(rng: random.Random) -> list[str]:
    truth = load_truth()
    bodies = sorted(v["articleBody"] for v in truth.values())
    return [p for p in rng.choice(bodies).split("\n") if len(p.split()) > 8][:12]


def write_hostile_corpus(folder: Path, huge_mb: int = 50) -> tuple[dict[str, str], dict[str, str]]:
    """Write the hostile files under ``folder``; returns (REJECTED, SURVIVED): file name → what it is."""
    rng = random.Random(20240301)
    folder.mkdir(parents=True, exist_ok=True)
    rejected: dict[str, str] = {}
    survived: dict[str, str] = {}

    def put(name: str, data: bytes, what: str, bucket: dict[str, str]) -> None:
        (folder / name).write_bytes(data)
        bucket[name] = what

    put("binary.html", bytes(rng.getrandbits(8) for _ in range(64 * 1024)), "random bytes named .html", rejected)
    put("png-named.html", b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(4000)), "an image named .html", rejected)
    put("empty.html", b"", "zero bytes", rejected)
    put("blank.html", b" \n\t\r\n " * 100, "whitespace only", rejected)
    paragraph = ("<p>" + "All work and no play makes a long page. " * 40 + "</p>\n").encode()
    put("huge.html", b"<html><body>" + paragraph * (huge_mb * 2**20 // len(paragraph)) + b"</body></html>",
        f"a {huge_mb} MB page", rejected)
    real = gzip.compress(page_html(sorted(load_truth())[0]), mtime=0)
    put("truncated.html.gz", real[: len(real) // 2], "gzip cut in the middle", rejected)
    put("not-gzip.html.gz", b"<html>plain text behind a .gz name</html>", "not gzip at all", rejected)

    # WARC: two good records, the third cut in the middle of its body
    paras = _real_paragraphs(rng)
    records = [Response(f"https://warc-{i}.example/story", _article_html(f"Story {i}", paras[i:] + paras[:i],
                        f"https://warc-{i}.example/story").encode(), FETCHED, {"Content-Type": "text/html"})
               for i in range(3)]
    written = write_warc(folder / "truncated.warc.gz", records, gzip_mode="record", extras=False)
    whole = (folder / "truncated.warc.gz").read_bytes()
    last = [w for w in written if w.type == "response"][-1]
    (folder / "truncated.warc.gz").write_bytes(whole[: last.start + (last.end - last.start) // 2])
    rejected["truncated.warc.gz"] = "WARC file cut inside its last response record"
    survived["truncated.warc.gz#0"] = "the two records before the cut"

    # JSONL: good lines around broken ones
    good = {"url": "https://jsonl.example/fine", "html": _article_html("Fine", paras[:6], "https://jsonl.example/fine")}
    lines = [
        json.dumps(good),
        '{"url": "https://jsonl.example/cut", "html": "<p>unterminated',
        "[1, 2, 3]",
        json.dumps({"url": 12345, "html": ["not", "a", "string"]}),
        json.dumps({"url": "https://jsonl.example/nothing"}),
        json.dumps({"url": "https://jsonl.example/when", "html": "<p>x</p>", "fetched_at": "the day before yesterday"}),
        "\x00\x01\x02 binary junk in a JSONL file",
        json.dumps({"url": "https://jsonl.example/ctrl\u0000\u001b[2J\u202ename", "html": _article_html(
            "Control characters in the URL", paras[2:8], "https://jsonl.example/ctrl")}),
    ]
    put("broken.jsonl", ("\n".join(lines) + "\n").encode("utf-8"), "JSONL with broken lines, wrong types, missing fields", rejected)
    survived["broken.jsonl#ok"] = "its two readable records"

    # hostile but readable pages
    deep = "<div>" * 10_000 + "<p>" + " ".join(paras[:3]) + "</p>" + "</div>" * 10_000
    put("deep.html", f"<html><body>{deep}</body></html>".encode(), "10,000 nested elements", survived)
    cp1252 = _article_html("Café “quotes” – déjà vu", [p + " “Naïve” café – €5" for p in paras[:6]],
                           "https://cp1252.example/story", charset="utf-8")
    put("cp1252-declared-utf8.html", cp1252.encode("cp1252", errors="replace"), "Windows-1252 bytes declared UTF-8", survived)
    japanese = _article_html("日本語の記事", ["東京で新しい展示会が開かれ、多くの人が訪れました。" * 3] * 5,
                             "https://sjis.example/story", charset="iso-8859-1")
    put("shiftjis-declared-latin1.html", japanese.encode("shift_jis", errors="replace"), "Shift_JIS bytes declared ISO-8859-1", survived)
    chinese = _article_html("中文新闻报道", ["北京今天举行了新闻发布会，介绍了最新的经济数据和发展情况。" * 3] * 5,
                            "https://gb.example/story", charset="utf-8")
    put("gb18030-declared-utf8.html", chinese.encode("gb18030", errors="replace"), "GB18030 bytes declared UTF-8", survived)
    invalid = _article_html("Invalid UTF-8", paras[3:9], "https://invalid.example/story").encode()
    put("invalid-utf8.html", invalid.replace(b"</p>", b"\xff\xfe\xc3</p>"), "invalid UTF-8 sequences", survived)
    nul = _article_html("NUL bytes", paras[1:7], "https://nul.example/story").encode()
    put("nul-bytes.html", nul.replace(b" the ", b" the\x00 "), "NUL bytes inside the text", survived)
    odd = _article_html("Odd URL", paras[4:10], "https://exämple.example/a b\u0001c\u202e?q=<script>")
    put("odd-url.html", odd.encode(), "og:url with unicode, spaces and control characters", survived)
    put("repeated-word.html", _article_html("Buffalo", ["buffalo " * 5000], "https://buffalo.example/").encode(),
        "one word 5,000 times", survived)
    for i in range(3):
        chrome = ("<html><head><title>Example Portal</title><meta property='og:url' "
                  f"content='https://portal.example/section-{i}'></head><body><nav>" +
                  " ".join(f"<a href='/s{j}'>Section {j}</a>" for j in range(30)) +
                  "</nav><footer>About us · Contact · Privacy policy · Terms of use · © Example Portal</footer></body></html>")
        put(f"boilerplate-{i}.html", chrome.encode(), "navigation and footer only", survived)
    return rejected, survived
