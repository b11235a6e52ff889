"""Article body and metadata from a crawled page, with trafilatura."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import xxhash

from .walls import LIST_ARTICLE_WORDS, MIN_ARTICLE_WORDS, MIN_PARAGRAPH_WORDS, judge_text
from .evidence import Evidence, canonical_elsewhere, clean_publisher, credits, site_of, source_links
from ..read.page import Page, parse_timestamp
from ..read.sniff import binary_reason
from ..read.urls import normalize_url, same_article_url_key
from ..text import token_stream, tokens


_HEAD_BYTES = 262_144
_LONG_HEAD_BYTES = 2 << 20
"""The head is read to its end when that is within this many bytes (pages that inline their scripts and styles
put the canonical link past 1 MB: cnn.com), else its first _HEAD_BYTES."""
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
    modified_at: datetime | None = None
    language: str | None = None
    links: tuple[Link, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    crawled_url: str | None = None
    status_reason: str | None = None
    """Why the page carries no article when its text says so (``paywall``, ``consent``, ...; see walls.py)."""
    extract_mode: str = "precise"
    """``precise`` (trafilatura, this module) or ``fast`` (Resiliparse, fast.py)."""

    @cached_property
    def stream(self) -> bytes:
        """The text's token stream (:func:`syndicate.text.token_stream`), the input of fingerprints and line hashes.

        Computed once, in the worker that extracted the page; it is pickled
        with the article, so the main process does not tokenise the text again.
        """
        return token_stream(self.text)

    @property
    def word_count(self) -> int:
        """Words, counting each character of scripts without spaces (Chinese, Japanese, Thai) as one."""
        return len(self.stream.split())

    @property
    def article_key(self) -> str:
        """Equal for the URLs of one article on its own site (www./amp./m. hosts, AMP and print paths, a same-site canonical)."""
        return article_key(self.url, self.canonical_url)

    @property
    def has_article(self) -> bool:
        if self.status_reason:
            return False
        words = self.word_count
        if words < MIN_ARTICLE_WORDS:
            return False
        return words >= LIST_ARTICLE_WORDS or any(line.count(b" ") + 1 >= MIN_PARAGRAPH_WORDS
                                                  for line in self.stream.split(b"\n"))


class ExtractionError(ValueError):
    """A page that cannot be read as HTML at all; the message is the one-line reason."""


def domain_of(url: str) -> str:
    """Host of a URL, lower-cased, without a leading ``www.``; '' for file URLs."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def article_key(url: str, canonical: str | None) -> str:
    """The key of the article at ``url``: its same-site canonical's, else its own (see ``same_article_url_key``)."""
    if canonical and canonical.startswith(("http://", "https://")) and site_of(canonical) == site_of(url):
        return same_article_url_key(canonical)
    return same_article_url_key(url)


def content_hash(page: Page) -> str:
    """Hash of the bytes as crawled: an unchanged page is never extracted twice."""
    data = page.html if page.html is not None else page.text or ""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return xxhash.xxh3_128_hexdigest(data)


def head_urls(html: str | bytes) -> tuple[str | None, str | None]:
    """The page's own ``og:url`` and ``<link rel=canonical>``, read from the head."""
    og, canonical, _ = head_meta(html)
    return og, canonical


_MODIFIED_META = {"article:modified_time", "og:updated_time", "dateModified".lower(), "last-modified", "lastmod"}
_WANTED_META = ("og:url", *_MODIFIED_META)
_MODIFIED_JSONLD = re.compile(r'"dateModified"\s*:\s*"([^"]{8,40})"')


def head_meta(html: str | bytes) -> tuple[str | None, str | None, datetime | None]:
    """``og:url``, ``<link rel=canonical>`` and the modification time the page declares."""
    end = html.find(b"</head>" if isinstance(html, bytes) else "</head>", 0, _LONG_HEAD_BYTES)
    head = html[:end if end > _HEAD_BYTES else _HEAD_BYTES]
    if isinstance(head, bytes):
        head = head.decode("utf-8", "replace")
    og = canonical = None
    modified = None
    for tag, attrs_text in _TAG_RE.findall(head):
        lower = attrs_text.lower()
        if not (any(key in lower for key in _WANTED_META) if tag.lower() == "meta" else "canonical" in lower):
            continue  # none of the tags wanted; reading every tag's attributes was most of the cost
        attrs = {m[0].lower(): html_lib.unescape(m[1] or m[2] or m[3]) for m in _ATTR_RE.findall(attrs_text)}
        if tag.lower() == "meta":
            key = attrs.get("property", attrs.get("name", attrs.get("itemprop", ""))).lower()
            if key == "og:url" and og is None and attrs.get("content"):
                og = attrs["content"].strip()
            elif key in _MODIFIED_META and modified is None:
                modified = _published(attrs.get("content"))
        elif tag.lower() == "link" and canonical is None:
            if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
                canonical = attrs["href"].strip()
    if modified is None and '"dateModified"' in head:
        m = _MODIFIED_JSONLD.search(head)
        if m:
            modified = _published(m.group(1))
    return _absolute(og), _absolute(canonical), modified


def _absolute(url: str | None) -> str | None:
    """An http(s) URL the page declares, or None when it is none or not a URL (see ``parsable_url``)."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    return parsable_url(url)


def parsable_url(url: str) -> str | None:
    """``url`` when it can be taken apart into a host and a port, else None.

    A page's own ``og:url`` or canonical link such as ``http://[oops/page``,
    ``http://host:99999/`` or a host with a full-width solidus is not a URL:
    the page is stored without it, as without an ``og:url`` that is not http(s).
    Other odd hosts (spaces, full-width letters) are kept as given.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return None
    return url if parts.hostname else None


MAX_ATTRIBUTES = 10_000
"""A page with an element holding more attributes is refused before it is parsed. lxml and Resiliparse (lexbor)
both read an element's attributes in quadratic time (each new one is compared with those before it): 40,000
distinct ones take 1.6 s in lxml and 2.7 s in lexbor, and extraction parses a page more than once, so 80,000 took
71 s (precise) and 31 s (fast). The real pages of the tests carry at most 64 on one element."""
LONG_TAG_CHARS = 1_000
"""Start tags at least this long count towards the limit (shorter ones hold too few attributes to matter)."""

_ATTRIBUTE_PATTERN = r"""[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?"""
_START_TAG_PATTERN = r"""<[a-zA-Z][^\s/>]*((?:\s*""" + _ATTRIBUTE_PATTERN + r"""|\s*/)*)"""
_LONG_TAG_PATTERN = r"<[a-zA-Z][a-zA-Z0-9:-]*[\s/][^<>]{%d}" % LONG_TAG_CHARS  # "/" too: <div/a/b/c> has 3
_GUARDS = {kind: (re.compile(convert(_START_TAG_PATTERN)), re.compile(convert(_ATTRIBUTE_PATTERN)),
                  re.compile(convert(_LONG_TAG_PATTERN)), convert("="))
           for kind, convert in ((str, str), (bytes, lambda text: text.encode("ascii")))}


def attribute_bomb(html: str | bytes) -> bool:
    """Whether parsing ``html`` would cost more than one element of MAX_ATTRIBUTES attributes (quadratic: the sum of
    the squares of the long start tags' attribute counts over MAX_ATTRIBUTES squared).

    Cheap on real pages (about 3 ms a MB): every start tag is read only on a
    page holding more than MAX_ATTRIBUTES "=" (attributes with values), else
    only start tags followed by LONG_TAG_CHARS characters without ``<`` or
    ``>`` (attributes without values: ``<div a b c ...>``, ``<div/a/b/c>``).
    """
    start_tag, attribute, long_tag, equals = _GUARDS[type(html)]
    if html.count(equals) > MAX_ATTRIBUTES:
        found = (m.start() for m in start_tag.finditer(html))
    else:
        found = _long_tag_starts(html, long_tag)
    work = 0
    for start in found:
        m = start_tag.match(html, start)
        attributes = m.group(1) if m is not None else ""
        if len(attributes) >= LONG_TAG_CHARS:
            work += len(attribute.findall(attributes)) ** 2
            if work > MAX_ATTRIBUTES ** 2:
                return True
    return False


def _long_tag_starts(html: str | bytes, long_tag: re.Pattern) -> Iterator[int]:
    """Where ``long_tag`` matches: only the last ``<`` of a run of LONG_TAG_CHARS characters without ``>`` can start
    one, and splitting at ``>`` finds those runs 3x faster than the regular expression's scan of every tag."""
    gt, lt = (">", "<") if isinstance(html, str) else (b">", b"<")
    position = 0
    for run in html.split(gt):
        if len(run) > LONG_TAG_CHARS:
            start = position + run.rfind(lt)
            if start >= position and long_tag.match(html, start):
                yield start
        position += len(run) + 1


_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANGUAGE_META = {"og:locale", "content-language", "language", "dc.language"}


def language_code(values: Iterable[str | None]) -> str | None:
    """The first well-formed language tag among ``values`` (``<html lang>``, then the metadata), as its primary
    subtag: "en-US" and "en_GB" are "en"."""
    for value in values:
        if value:
            m = _LANGUAGE.match(value.strip().lower().split(",")[0].strip())
            if m:
                return m.group(1)
    return None


def _declared_language(tree: object) -> str | None:
    """The language an lxml page declares: ``<html lang>``, ``xml:lang``, then content-language/og:locale metas."""
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    values = [root.get("lang"), root.get(_XML_LANG), root.get("xml:lang")]
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").strip().lower()
        if key in _LANGUAGE_META:
            values.append(meta.get("content"))
    return language_code(values)


def page_url(page: Page) -> tuple[str, str | None]:
    """The page's URL and its canonical link.

    The crawl's URL wins; a bare file takes its own og:url, then its canonical
    link (og:url first: syndicators often point canonical at the original), then
    its file path.
    """
    url, canonical, _, _ = _identity(page)
    return url, canonical


def _identity(page: Page) -> tuple[str, str | None, datetime | None, str]:
    """The page's normalised URL, its canonical link, its modification time, and its URL as crawled."""
    og = canonical = modified = None
    if page.html is not None:
        og, canonical, modified = head_meta(page.html)
    crawled = page.crawled_url or page.url or og or canonical or page.fallback_url or f"{page.source}#{page.record}"
    url = page.url or normalize_url(crawled)
    if canonical:
        try:
            canonical = urljoin(url, canonical)
        except ValueError:  # the page's own URL is not one urllib reads (a crawl's "http://[oops"): as declared
            pass
    return url, canonical, modified, crawled


def extract(page: Page, fast: bool = False) -> Article:
    """The article a page carries, with the evidence of where it came from.

    An Article with empty text when the page has none. Raises ExtractionError
    for input that is not a web page (binary, empty, unparseable).
    """
    chash = content_hash(page)
    url, canonical, modified, crawled = _identity(page)
    base = dict(
        url=url,
        crawled_url=crawled,
        domain=domain_of(url),
        content_hash=chash,
        source=page.source,
        record=page.record,
        fetched_at=page.fetched_at,
        canonical_url=canonical,
        modified_at=modified,
    )
    if page.html is None:
        wall = judge_text(_clean_text(page.text or ""), page.title)
        return Article(text=wall.text, title=page.title, evidence=tuple(credits(wall.text)),
                       published_at=_plausible(page.published_at), status_reason=wall.reason, **base)
    if not page.html or not (page.html.strip() if isinstance(page.html, str) else page.html.strip()):
        raise ExtractionError("empty page")
    if (why := binary_reason(page.html)):
        raise ExtractionError(why)
    if attribute_bomb(page.html):
        raise ExtractionError(f"not parseable as HTML: an element with over {MAX_ATTRIBUTES:,} attributes")

    try:
        tree = parse_html(page.html)
        if tree is None:
            raise ExtractionError("not parseable as HTML")
        links_to_source = source_links(tree, url)
        doc = _body(tree, url, fast)
    except ExtractionError:
        raise
    except Exception as exc:  # trafilatura and lxml raise many kinds on hostile input
        detail = str(exc).splitlines()[0] if str(exc) else ""
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {detail}".rstrip(": ")) from None
    evidence = links_to_source + canonical_elsewhere(url, canonical)
    if doc is None:
        return Article(text="", evidence=tuple(evidence), **base)
    text, links = _text_and_links(doc, url)
    title = _clean(doc.title)
    wall = judge_text(text, title)  # a paywall, consent or error notice is not the article
    text = wall.text
    return Article(
        text=text,
        status_reason=wall.reason,
        title=title,
        author=_clean(doc.author),
        sitename=clean_publisher(_clean(doc.sitename)),
        published_at=_published(doc.date) or _plausible(page.published_at),
        language=language_code([_clean(doc.language)]) or _declared_language(tree),
        links=links,
        evidence=tuple(evidence + credits(text)),
        **base,
    )


# Control characters trafilatura removes before parsing (its INVALID_XML_CHARS below U+0080);
# deleting every other byte leaves only these.
_INVALID_XML_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
_ALL_BUT_INVALID = bytes(b for b in range(256) if b not in _INVALID_XML_BYTES)


def parse_html(html: str | bytes) -> object | None:
    """The tree trafilatura's ``load_html`` builds, in about half its time for UTF-8 pages.

    load_html decodes a page and hands lxml a Python string, which lxml
    converts back before parsing (1.8 ms a page, against 0.9 ms for the bytes
    on the real benchmark pages). Bytes that load_html would decode as UTF-8
    and leave unrepaired go to the same lxml parser as they are; everything
    else goes through load_html. The trees are the same (tested on real pages
    and generated ones).
    """
    from lxml.html import fromstring
    from trafilatura.utils import HTML_PARSER, is_dubious_html, load_html

    prefix = _unrepaired_utf8_prefix(html)
    if prefix is not None:
        try:
            tree = fromstring(html, parser=HTML_PARSER)
        except Exception:  # lxml raises many kinds on hostile input; load_html has its own fallbacks
            tree = None
        if tree is not None and len(tree) >= 1 and not (is_dubious_html(prefix[:50].lower()) and len(tree) < 2):
            return tree
    return load_html(html)


def _unrepaired_utf8_prefix(html: str | bytes) -> str | None:
    """The first 4,096 characters of a page that load_html would parse as its UTF-8 text unchanged, else None.

    Unchanged: not compressed, no byte-order mark, valid UTF-8, no control
    characters to remove, no doctype or self-closing ``<html/>`` to repair.
    """
    from trafilatura.utils import DOCTYPE_TAG, handle_compressed_file

    if not isinstance(html, bytes) or html.startswith(b"\xef\xbb\xbf") or handle_compressed_file(html) is not html:
        return None
    if html.translate(None, _ALL_BUT_INVALID) or b"\xef\xbf\xbe" in html or b"\xef\xbf\xbf" in html:
        return None
    try:
        text = html.decode("utf-8")
    except UnicodeDecodeError:
        return None
    prefix = text[:4096]
    start = prefix.lstrip()
    if not start or start != prefix.lstrip(" \t\n\r\x0b\x0c"):
        return None  # lxml tells a document from a fragment by its start, and skips Unicode spaces only in a string
    if "doctype" in prefix[:50].lower():
        first, newline, _ = text.partition("\n")
        if not newline or DOCTYPE_TAG.match(first):
            return None
    if any("<html" in line and line.endswith("/>") for line in prefix.splitlines()[:4]):
        return None
    return prefix


SURE_WORDS = 150
"""A precise extraction this long that covers the headline is taken without a second opinion."""


def _body(tree: object, url: str, fast: bool) -> object | None:
    """trafilatura's article, precise first; a second, recall-oriented run when the first looks wrong.

    Precision mode keeps less page chrome (body F1 0.962 vs 0.959 on the real
    benchmark pages) but on some templates returns a scrap of chrome instead
    of the article. When its text is short or misses the headline's words,
    the default mode runs too and the text that covers the headline better
    wins (the longer one on a tie).
    """
    from trafilatura import bare_extraction

    def run(precise: bool) -> object | None:
        return bare_extraction(
            tree,
            url=url if url.startswith("http") else None,
            with_metadata=True,
            include_links=True,
            include_comments=False,
            favor_precision=precise,
            fast=fast,
            date_extraction_params=_DATE_PARAMS,
        )

    precise = run(True)
    words = len(tokens(getattr(precise, "text", None) or ""))
    title = getattr(precise, "title", None)
    if precise is not None and words >= SURE_WORDS and _headline_coverage(title, precise.text) >= 0.5:
        return precise
    broad = run(False)
    if precise is None or broad is None:
        return broad or precise
    cover_p, cover_b = _headline_coverage(title, precise.text), _headline_coverage(title, broad.text)
    if abs(cover_p - cover_b) > 0.2:
        return precise if cover_p > cover_b else broad
    return broad if len(tokens(broad.text or "")) > words else precise


def _headline_coverage(title: str | None, text: str | None) -> float:
    """Share of the headline's longer words found in the text (1.0 when there is no headline)."""
    wanted = {w for w in tokens(title or "") if len(w) >= 4}
    if not wanted:
        return 1.0
    found = set(tokens(text or ""))
    return len(wanted & found) / len(wanted)


def _text_and_links(doc: object, base_url: str) -> tuple[str, tuple[Link, ...]]:
    """Plain text without link markup, and the article's links made absolute."""
    links: list[Link] = []
    body = getattr(doc, "body", None)
    if body is not None:
        for ref in body.iter("ref"):
            target = (ref.get("target") or "").strip()
            if target and not target.startswith(("#", "javascript:", "mailto:")):
                try:
                    absolute = urljoin(base_url, target)
                except ValueError:  # a malformed link in a crawled page ("http://[::1"): not a link
                    continue
                links.append(Link(url=absolute, text=" ".join("".join(ref.itertext()).split())))
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


_EARLIEST = datetime(1995, 1, 1, tzinfo=timezone.utc)
LATEST_LEAD = timedelta(days=2)
"""A date more than this far ahead of now is implausible (time zones and clocks a little ahead excepted)."""


def _plausible(when: datetime | None) -> datetime | None:
    """A date the crawl export gave, unless implausible (before 1995, or in the future), as for the page's own."""
    if when is None or when < _EARLIEST or when - datetime.now(timezone.utc) > LATEST_LEAD:
        return None
    return when


def _published(value: object) -> datetime | None:
    """A date from page metadata, or None when absent, not a date, or implausible.

    Implausible: before 1995 (placeholders like 0001-01-01), more than
    LATEST_LEAD in the future (9999-12-31), or outside the years 1-9999 once
    its offset is applied (9999-12-31T23:00-05:00, 0001-01-01T00:00+01:00).
    """
    if not isinstance(value, str) or not value:
        return None
    try:
        when = parse_timestamp(value if "T" in value else f"{value}T00:00:00")
    except (ValueError, OverflowError):  # OverflowError: a time in range whose offset takes it out of range
        try:
            when = datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            return None
    return _plausible(when)
