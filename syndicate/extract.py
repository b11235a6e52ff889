"""Article body and metadata from a crawled page, with trafilatura."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import xxhash

from .readers import Page, parse_timestamp
from .text import tokens

MIN_ARTICLE_WORDS = 25
"""A page whose extracted body is shorter than this carries no article (stubs, empty bodies)."""

MIN_PARAGRAPH_WORDS = 15
"""An article has at least one paragraph this long; a list of headlines (an index page) has none."""

_HEAD_BYTES = 262_144
_TAG_RE = re.compile(r"<(meta|link)\b([^>]*)>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_MD_LINK_RE = re.compile(r"\[([^\]\n]*)\]\(([^()\s]*)\)")
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


@dataclass(frozen=True)
class Link:
    """A link inside the article body: its target and anchor text."""

    url: str
    text: str


@dataclass(frozen=True)
class Article:
    """What a page carries: its article text (empty when it has none) and metadata."""

    url: str
    domain: str
    content_hash: str
    source: str
    record: str
    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    canonical_url: str | None = None
    language: str | None = None
    links: tuple[Link, ...] = ()

    @property
    def word_count(self) -> int:
        """Words, counting each character of scripts without spaces (Chinese, Japanese, Thai) as one."""
        return len(tokens(self.text))

    @property
    def has_article(self) -> bool:
        if self.word_count < MIN_ARTICLE_WORDS:
            return False
        return any(len(tokens(line)) >= MIN_PARAGRAPH_WORDS for line in self.text.split("\n"))


class ExtractionError(ValueError):
    """A page that cannot be read as HTML at all; the message is the one-line reason."""


def domain_of(url: str) -> str:
    """Host of a URL, lower-cased, without a leading ``www.``; '' for file URLs."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def content_hash(page: Page) -> str:
    """Hash of the bytes as crawled: an unchanged page is never extracted twice."""
    data = page.html if page.html is not None else page.text or ""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return xxhash.xxh3_128_hexdigest(data)


def head_urls(html: str | bytes) -> tuple[str | None, str | None]:
    """The page's own ``og:url`` and ``<link rel=canonical>``, read from the head."""
    head = html[:_HEAD_BYTES]
    if isinstance(head, bytes):
        head = head.decode("utf-8", "replace")
    og = canonical = None
    for tag, attrs_text in _TAG_RE.findall(head):
        attrs = {m[0].lower(): html_lib.unescape(m[1] or m[2] or m[3]) for m in _ATTR_RE.findall(attrs_text)}
        if tag.lower() == "meta" and og is None:
            if attrs.get("property", attrs.get("name", "")).lower() == "og:url" and attrs.get("content"):
                og = attrs["content"].strip()
        elif tag.lower() == "link" and canonical is None:
            if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
                canonical = attrs["href"].strip()
    return _absolute(og), _absolute(canonical)


def _absolute(url: str | None) -> str | None:
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    return url


def _looks_binary(data: str | bytes) -> bool:
    sample = data[:4096]
    if isinstance(sample, str):
        sample = sample.encode("utf-8", "replace")
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control / len(sample) > 0.1


def page_url(page: Page) -> tuple[str, str | None]:
    """The page's URL and its canonical link.

    The crawl's URL wins; a bare file takes its own og:url, then its canonical
    link (og:url first: syndicators often point canonical at the original), then
    its file path.
    """
    og = canonical = None
    if page.html is not None:
        og, canonical = head_urls(page.html)
    url = page.url or og or canonical or page.fallback_url or f"{page.source}#{page.record}"
    if canonical:
        canonical = urljoin(url, canonical)
    return url, canonical


def extract(page: Page, fast: bool = False) -> Article:
    """The article a page carries; an Article with empty text when it has none.

    Raises ExtractionError for input that is not a web page (binary, empty).
    """
    chash = content_hash(page)
    url, canonical = page_url(page)
    base = dict(
        url=url,
        domain=domain_of(url),
        content_hash=chash,
        source=page.source,
        record=page.record,
        fetched_at=page.fetched_at,
        canonical_url=canonical,
    )
    if page.html is None:
        return Article(text=_clean_text(page.text or ""), title=page.title, **base)
    if not page.html or not (page.html.strip() if isinstance(page.html, str) else page.html.strip()):
        raise ExtractionError("empty page")
    if _looks_binary(page.html):
        raise ExtractionError("binary content, not HTML")

    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(
            page.html,
            url=url if url.startswith("http") else None,
            with_metadata=True,
            include_links=True,
            include_comments=False,
            fast=fast,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura raises many kinds on hostile input
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    if doc is None:
        return Article(text="", **base)
    text, links = _text_and_links(doc, url)
    return Article(
        text=text,
        title=_clean(doc.title),
        author=_clean(doc.author),
        sitename=_clean(doc.sitename),
        published_at=_published(doc.date),
        language=_clean(doc.language),
        links=links,
        **base,
    )


def _text_and_links(doc: object, base_url: str) -> tuple[str, tuple[Link, ...]]:
    """Plain text without link markup, and the article's links made absolute."""
    links: list[Link] = []
    body = getattr(doc, "body", None)
    if body is not None:
        for ref in body.iter("ref"):
            target = (ref.get("target") or "").strip()
            if target and not target.startswith(("#", "javascript:", "mailto:")):
                links.append(Link(url=urljoin(base_url, target), text=" ".join("".join(ref.itertext()).split())))
    text = _MD_LINK_RE.sub(r"\1", getattr(doc, "text", None) or "")
    return _clean_text(text), tuple(links)


def _clean_text(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _published(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_timestamp(value if "T" in value else f"{value}T00:00:00")
    except ValueError:
        try:
            return datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            return None
