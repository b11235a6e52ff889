#!/usr/bin/env python3
"""Build ``sample_corpus/`` from the shared real data, deterministically.

Usage::

    python benchmarks/build_sample_corpus.py --shared /work/shared/corpora --out sample_corpus
    python benchmarks/build_sample_corpus.py --shared /work/shared/corpora --out sample_corpus --check

Inputs (read-only):

* ``<shared>/article-extraction-benchmark/html/<sha256>.html.gz`` -- 131 real
  news pages, ``ground-truth.json`` maps ``<sha256>`` to ``{url, articleBody}``
  (Scrapinghub/Zyte article-extraction-benchmark, MIT License);
* ``<shared>/000_ac21ed3f2fa6be03.txt`` -- a real repost of a CNN article on an
  aggregator site, as text (the "seed").

The corpus mixes an origin page, reposts of it on other sites' real page
chrome, template twins (the unmodified host pages of those reposts), pages on
the same aggregator template carrying *different* articles, and unrelated real
pages.  Reposts are made with :func:`transplant`, which puts an article into a
real host page in place of the host's own article; it is meant to be reused by
a benchmark generator.

The output is fully determined by the inputs (no randomness, no clock; gzip
files are written with ``mtime=0``), so re-running the script reproduces the
committed files byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import gzip
import html as html_lib
import json
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import quote, quote_plus, urlsplit

import lxml.html

__all__ = [
    "TransplantError",
    "transplant",
    "ensure_og_url",
    "visible_text",
    "build",
    "main",
]

# --------------------------------------------------------------------------
# transplant(): put an article into a real host page
# --------------------------------------------------------------------------


class TransplantError(ValueError):
    """The host page could not be rewritten cleanly."""


#: Tags whose text is never rendered.
_INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "textarea", "svg", "head", "title"})
#: Inline tags: a paragraph match on one of these is promoted to its block parent.
_INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "em", "font",
        "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
        "time", "tt", "u", "var", "wbr",
    }
)
_META_DATE_NAME = re.compile(r"(date|time|publish|modified|updated|created|issued)", re.I)
_META_DATE_EXCLUDE = re.compile(r"(expir|timezone|time_?zone|ttl|refresh|reading|duration|viewport)", re.I)
_DATEISH_ATTR = re.compile(r"(date|time|stamp|publish|posted|updated|dateline)", re.I)
_DATE_PREFIX = re.compile(r"^\s*(published|posted|updated|last updated|first published|date)\b", re.I)
_JSONLD_DATE_KEYS = frozenset({"datePublished", "dateModified", "dateCreated", "uploadDate", "dateline"})
_JSONLD_DROP_KEYS = frozenset({"articleBody", "text", "keywords", "wordCount", "speakable"})
_JSONLD_TITLE_KEYS = frozenset({"headline", "alternativeHeadline"})
_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report|WebPage|NewsArticle|Posting)$")
_TITLE_METAS = frozenset(
    {"og:title", "twitter:title", "twitter:text:title", "title", "headline", "alternativeheadline",
     "sailthru.title", "parsely-title"}
)
_TOPIC_METAS = frozenset({"keywords", "news_keywords", "article:tag", "parsely-tags", "sailthru.tags"})
_VERIFY_MIN_CHARS = 80

_MONTHS_FULL = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY_RE = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\.?,?"
# "Mon November 18, 2019", "Nov 20 2019", "November 20th, 2019", "18 November 2019",
# "2019-11-18", "11/18/2019", then an optional time "10:18am" / "1909 GMT (0309 HKT)".
_DATE_TEXT_RE = re.compile(
    rf"(?:{_WEEKDAY_RE}\s+)?"
    rf"(?:{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{4}})",
    re.I,
)
_TIME_TEXT_RE = re.compile(
    r"\b(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|ET|EST|EDT|PT|IST|HKT))?"
    r"|\d{4}\s+(?:GMT|UTC)(?:\s*\(\d{4}\s+[A-Z]{2,4}\))?)",
    re.I,
)
_DATE_OR_TIME_RE = re.compile(rf"(?P<date>{_DATE_TEXT_RE.pattern})|(?P<time>{_TIME_TEXT_RE.pattern})", re.I)


def _key(text: str) -> str:
    """Whitespace-free form of a text (also without soft hyphens and zero-width
    characters), used to find paragraphs in the DOM."""
    return re.sub(r"[\s\u00ad\u200b-\u200d\u2060\ufeff]+", "", text)


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def _norm_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _parse(html: str) -> lxml.html.HtmlElement:
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
    return lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)


def _serialize(doc: lxml.html.HtmlElement) -> str:
    doctype = doc.getroottree().docinfo.doctype or "<!DOCTYPE html>"
    # lxml adds a legacy HTML 4 doctype to documents that had none; use the modern one then.
    if "REC-html40/loose.dtd" in doctype:
        doctype = "<!DOCTYPE html>"
    out = lxml.html.tostring(doc, encoding="unicode", method="html")
    return doctype + "\n" + out + "\n"


def _compute_keys(root: lxml.html.HtmlElement) -> dict[Any, str]:
    """Visible text key (whitespace removed) of every element, bottom-up."""
    keys: dict[Any, str] = {}

    def visit(el: Any) -> str:
        if not isinstance(el.tag, str) or el.tag in _INVISIBLE_TAGS:
            keys[el] = ""
            return ""
        parts = [_key(el.text or "")]
        for child in el:
            parts.append(visit(child))
            parts.append(_key(child.tail or ""))
        k = "".join(parts)
        keys[el] = k
        return k

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    visit(root)
    return keys


def visible_text(html_or_doc: str | lxml.html.HtmlElement) -> str:
    """Text a browser would render (roughly): body text without scripts, styles etc."""
    doc = _parse(html_or_doc) if isinstance(html_or_doc, str) else html_or_doc
    body = doc.find("body")
    root = body if body is not None else doc
    chunks: list[str] = []

    def visit(el: Any) -> None:
        if isinstance(el.tag, str) and el.tag not in _INVISIBLE_TAGS:
            chunks.append(el.text or "")
            for child in el:
                visit(child)
                chunks.append(child.tail or "")
        # comments / processing instructions / invisible tags: skip content

    visit(root)
    return _norm_space(" ".join(chunks))


def _doc_order(root: Any) -> dict[Any, int]:
    return {el: i for i, el in enumerate(root.iter())}


def _minimal_containers(el: Any, kp: str, keys: dict[Any, str], out: list[Any]) -> None:
    """Deepest elements whose visible text contains ``kp`` (all occurrences)."""
    hits = [c for c in el if isinstance(c.tag, str) and kp in keys.get(c, "")]
    if not hits:
        out.append(el)
        return
    covered = sum(keys[c].count(kp) for c in hits)
    for c in hits:
        _minimal_containers(c, kp, keys, out)
    if keys[el].count(kp) > covered:  # one more occurrence spans several children
        out.append(el)


def _promote(el: Any, kp: str, keys: dict[Any, str]) -> Any:
    """Climb from an inline match to the block element that holds (mostly) the paragraph."""
    while el.tag in _INLINE_TAGS:
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        if len(keys[parent]) > len(kp) * 1.15 + 15:
            break
        el = parent
    return el


def _is_ancestor(a: Any, b: Any) -> bool:
    p = b.getparent()
    while p is not None:
        if p is a:
            return True
        p = p.getparent()
    return False


@dataclass
class _Slot:
    el: Any
    host_keys: list[str] = field(default_factory=list)

    def pure(self, keys: dict[Any, str]) -> bool:
        total = sum(len(k) for k in self.host_keys)
        return len(self.host_keys) == 1 and len(keys[self.el]) <= total * 1.15 + 15


def _find_slots(doc: Any, host_paragraphs: Sequence[str]) -> tuple[list[_Slot], list[Any], list[str]]:
    """Locate the host article's paragraphs in the DOM.

    Returns ``(slots, duplicates, missing)``: slots in document order, pure
    duplicate occurrences elsewhere on the page (pull quotes, highlights) and
    the host paragraphs that could not be found.
    """
    body = doc.find("body")
    root = body if body is not None else doc
    keys = _compute_keys(root)
    order = _doc_order(root)
    per_para: list[tuple[str, list[Any]]] = []
    missing: list[str] = []
    for para in host_paragraphs:
        kp = _key(para)
        if len(kp) < 3 or kp not in keys.get(root, ""):
            if len(kp) >= 3:
                missing.append(para)
            continue
        found: list[Any] = []
        _minimal_containers(root, kp, keys, found)
        cands = []
        for el in found:
            el = _promote(el, kp, keys)
            if len(kp) < 25 and keys[el] != kp:  # short paragraphs: exact matches only
                continue
            if el not in cands:
                cands.append(el)
        if cands:
            per_para.append((kp, sorted(cands, key=order.__getitem__)))
        else:
            missing.append(para)

    # For paragraphs found several times, prefer a pure occurrence (an element holding
    # just that paragraph) next to the other paragraphs; drop the other occurrences
    # when they are pure duplicates (pull quotes, highlights) or text dumps of the article.
    def is_pure(el: Any, kp: str) -> bool:
        return len(keys[el]) <= len(kp) * 1.15 + 15

    parent_votes: Counter[Any] = Counter()
    for kp, cands in per_para:
        pure = [el for el in cands if is_pure(el, kp)] or cands
        for el in pure:
            parent_votes[el.getparent()] += 1.0 / len(pure)
    all_keys = [kp for kp, _ in per_para]
    slots: dict[Any, _Slot] = {}
    duplicates: list[Any] = []
    for kp, cands in per_para:
        pure = [el for el in cands if is_pure(el, kp)] or cands
        primary = max(pure, key=lambda el: (parent_votes[el.getparent()], -order[el]))
        slots.setdefault(primary, _Slot(primary)).host_keys.append(kp)
        for el in cands:
            if el is primary or el in duplicates:
                continue
            if is_pure(el, kp):
                duplicates.append(el)
            else:
                covered = sum(len(k) for k in all_keys if k in keys[el])
                if covered >= 0.5 * len(keys[el]) and not any(_is_ancestor(el, c) for c in pure):
                    duplicates.append(el)

    # Merge nested slots into their outermost ancestor.
    ordered = sorted(slots.values(), key=lambda s: order[s.el])
    merged: list[_Slot] = []
    for slot in ordered:
        outer = next((m for m in merged if _is_ancestor(m.el, slot.el)), None)
        if outer is not None:
            outer.host_keys.extend(slot.host_keys)
        else:
            merged.append(slot)
    # Host paragraphs inside figures are captions/credits: remove them, do not fill them.
    def in_figure(el: Any) -> bool:
        for a in [el, *el.iterancestors()]:
            if a.tag in ("body", "html"):
                break
            if a.tag in ("figure", "figcaption") or _is_caption_class(a):
                return True
        return False

    duplicates.extend(s.el for s in merged if in_figure(s.el))
    merged = [s for s in merged if not in_figure(s.el)]
    duplicates = [
        d for d in duplicates if not any(d is s.el or _is_ancestor(s.el, d) or _is_ancestor(d, s.el) for s in merged)
    ]
    return merged, duplicates, missing


def _clear(el: Any) -> None:
    for child in list(el):
        el.remove(child)
    el.text = None


def _fill_mixed(el: Any, paragraphs: Sequence[str], host_keys: Sequence[str], keys: dict[Any, str]) -> None:
    """Replace the host text inside ``el`` (paragraphs separated by <br>), keep its other blocks."""
    for child in list(el):
        ck = keys.get(child, "")
        keep = (
            isinstance(child.tag, str)
            and child.tag not in _INLINE_TAGS
            and child.tag != "br"
            and not any(hk in ck or (len(ck) > 30 and ck in hk) for hk in host_keys)
        )
        if keep:
            child.tail = None
        else:
            el.remove(child)
    el.text = None
    if not paragraphs:
        return
    el.text = paragraphs[0]
    pos = 0
    for para in paragraphs[1:]:
        for n in range(2):
            br = el.makeelement("br", {})
            if n == 1:
                br.tail = para
            el.insert(pos, br)
            pos += 1


def _shallow_clone(el: Any) -> Any:
    attrib = {k: v for k, v in el.attrib.items() if k != "id"}
    return el.makeelement(el.tag, attrib)


def _block_of(el: Any) -> Any:
    while el.tag in _INLINE_TAGS and el.getparent() is not None:
        el = el.getparent()
    return el


def _fill_slots(slots: list[_Slot], paragraphs: Sequence[str], keys: dict[Any, str]) -> tuple[Any, list[Any]]:
    """Distribute ``paragraphs`` over ``slots``.

    Returns the element after which to append (``None`` if nothing was filled)
    and the elements now holding the new paragraphs.

    Slots get one paragraph each, in order, up to the last slot of the main
    article container (the parent holding most slots), which gets all the
    remaining paragraphs (as clones of it).  Slots left over are removed.
    """
    parents = Counter(s.el.getparent() for s in slots)
    main_parent = parents.most_common(1)[0][0]
    last_main = max(i for i, s in enumerate(slots) if s.el.getparent() is main_parent)
    last_el = None
    filled: list[Any] = []
    n = len(paragraphs)
    for i, slot in enumerate(slots):
        if i >= n or i > last_main:  # surplus host elements: drop them
            if slot.pure(keys):
                slot.el.drop_tree()
            else:
                _fill_mixed(slot.el, [], slot.host_keys, keys)
            continue
        assigned = list(paragraphs[i:]) if i == last_main else [paragraphs[i]]
        if slot.pure(keys):
            _clear(slot.el)
            slot.el.text = assigned[0]
            last_el = slot.el
            filled.append(slot.el)
            anchor = _block_of(slot.el)
            for para in assigned[1:]:
                clone = _shallow_clone(anchor)
                clone.text = para
                anchor.addnext(clone)
                anchor = clone
                last_el = clone
                filled.append(clone)
        else:
            _fill_mixed(slot.el, assigned, slot.host_keys, keys)
            last_el = slot.el
            filled.append(slot.el)
    return (_block_of(last_el) if last_el is not None else None), filled


def _lca(elements: Sequence[Any]) -> Any:
    chains = []
    for el in elements:
        chain = [el]
        while chain[-1].getparent() is not None:
            chain.append(chain[-1].getparent())
        chains.append(chain[::-1])
    common = None
    for level in zip(*chains):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _article_region(slots: Sequence[_Slot], keys: dict[Any, str]) -> Any:
    """The host's article area: the slots' common ancestor, widened to include its header/figure."""
    region = _lca([s.el for s in slots])
    total = sum(len(k) for s in slots for k in s.host_keys)
    while region is not None and region.getparent() is not None and region.tag not in ("body", "html"):
        parent = region.getparent()
        if parent.tag in ("body", "html") or len(keys.get(parent, "")) > total * 1.6 + 2000:
            break
        region = parent
    return region


_CAPTION_TOKEN = re.compile(r"(?:^|[-_])(?:caption|credits?|figcaption)(?:$|[-_])", re.I)


def _is_caption_class(el: Any) -> bool:
    tokens = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return any(_CAPTION_TOKEN.search(t) for t in tokens)


def _remove_captions(region: Any, keep: Sequence[Any] = ()) -> int:
    """Remove figure captions/credits (host-specific text) from the article area."""
    n = 0
    if region is None or region.tag in ("body", "html"):
        return 0
    for el in list(region.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if any(el is k or _is_ancestor(el, k) for k in keep):
            continue
        if el.tag == "figcaption" or _is_caption_class(el):
            if _norm_space(el.text_content()):
                el.drop_tree()
                n += 1
    return n


def _similar(a: str, b: str) -> bool:
    a, b = _norm_space(html_lib.unescape(a)).lower(), _norm_space(html_lib.unescape(b)).lower()
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 15 and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


def _replace_title_text(text: str, headlines: Sequence[str], title: str) -> str:
    """Replace the headline part of ``text`` (a <title> or og:title) keeping a site suffix."""
    for h in sorted(headlines, key=len, reverse=True):
        if h and h in text:
            return text.replace(h, title)
    parts = re.split(r"(\s+[|\-\u2013\u2014:]{1,2}\s+)", text)
    if len(parts) > 1:
        idx = max(range(0, len(parts), 2), key=lambda i: len(parts[i]))
        if any(_similar(parts[idx], h) for h in headlines) or len(parts[idx]) > 25:
            parts[idx] = title
            return "".join(parts)
    return title


def _meta_name(el: Any) -> str:
    return el.get("property") or el.get("name") or el.get("itemprop") or ""


def _parse_published(published: str) -> dt.datetime:
    return dt.datetime.fromisoformat(published.replace("Z", "+00:00"))


def _format_like(old: str, when: dt.datetime) -> str:
    """Render ``when`` in the style of the date string ``old``."""
    s = old.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return when.strftime("%Y-%m-%d")
    m = re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?", s)
    if m:
        return when.strftime("%Y-%m-%d %H:%M" + (":%S" if m.group(1) else ""))
    if re.match(r"\d{4}-\d{2}-\d{2}", s):
        return when.isoformat().replace("+00:00", "Z")
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", s):
        return f"{when.month}/{when.day}/{when.year}"
    weekday = ""
    wm = re.match(_WEEKDAY_RE, s, re.I)
    if wm:
        w = wm.group(0)
        full = when.strftime("%A")
        weekday = (full if len(w.rstrip(".,")) > 3 else full[:3]) + ("," if w.endswith(",") else "") + " "
        s = s[wm.end():].strip()
    mm = re.search(_MONTH_RE, s, re.I)
    month_tok = mm.group(0) if mm else "November"
    month = _MONTHS_FULL[when.month - 1]
    if len(month_tok.rstrip(".")) <= 4 and month_tok.rstrip(".").lower() != month.lower():
        month = month[:3] + ("." if month_tok.endswith(".") else "")
    suffix = ""
    if re.search(r"\d(st|nd|rd|th)\b", s, re.I):
        d = when.day
        suffix = "th" if 11 <= d % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    comma = "," if "," in s else ""
    if re.match(r"\d", s):  # day first
        return f"{weekday}{when.day}{suffix} {month}{comma} {when.year}"
    return f"{weekday}{month} {when.day}{suffix}{comma} {when.year}"


def _format_time_like(old: str, when: dt.datetime) -> str:
    s = old.strip()
    m = re.fullmatch(r"(\d{4})\s+(GMT|UTC)(?:\s*\(\d{4}\s+([A-Z]{2,4})\))?", s, re.I)
    if m:
        return f"{when:%H%M} {m.group(2)}"
    tz = re.search(r"(GMT|UTC|ET|EST|EDT|PT|IST|HKT)$", s, re.I)
    ampm = re.search(r"([ap])\.?m\.?", s, re.I)
    if ampm:
        h = when.hour % 12 or 12
        marker = ("am" if when.hour < 12 else "pm")
        if ampm.group(0)[0].isupper():
            marker = marker.upper()
        if "." in ampm.group(0):
            marker = marker[0] + "." + marker[1] + "."
        out = f"{h}:{when:%M}" + (" " if re.search(r"\d\s+[ap]", s, re.I) else "") + marker
    else:
        out = f"{when:%H:%M}"
    return out + (" " + tz.group(1) if tz else "")


def _rewrite_date_text(text: str, when: dt.datetime | None) -> str:
    if when is None:
        return ""
    return _DATE_OR_TIME_RE.sub(
        lambda m: _format_like(m.group(0), when) if m.group("date") else _format_time_like(m.group(0), when), text
    )


def _date_elements(doc: Any) -> list[Any]:
    """Visible elements that show the host's publication / update date."""
    body = doc.find("body")
    if body is None:
        return []
    found: list[Any] = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in _INVISIBLE_TAGS:
            continue
        text = _norm_space(el.text_content())
        if not text or len(text) > 120 or not _DATE_TEXT_RE.search(text):
            continue
        attrs = " ".join(filter(None, [el.get("class"), el.get("id"), el.get("itemprop")]))
        if el.tag == "time" or _DATEISH_ATTR.search(attrs) or _DATE_PREFIX.match(text):
            found.append(el)
    # keep outermost only
    return [el for el in found if not any(_is_ancestor(o, el) for o in found)]


def _walk_jsonld(node: Any, fn: Any) -> Any:
    if isinstance(node, dict):
        node = fn(node)
        return {k: _walk_jsonld(v, fn) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk_jsonld(v, fn) for v in node]
    return node


def _rewrite_jsonld(
    text: str,
    *,
    title: str,
    description: str,
    url: str,
    host_urls: Sequence[str],
    published: str | None,
    host_keys: Sequence[str] = (),
) -> str:
    """Rewrite one JSON-LD block for the new article (see :func:`transplant`)."""

    def has_host_text(value: str) -> bool:
        vk = _key(html_lib.unescape(value))
        return any(hk in vk for hk in host_keys)

    def fix(obj: dict[str, Any]) -> dict[str, Any]:
        obj = {k: v for k, v in obj.items() if not (isinstance(v, str) and has_host_text(v))}
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        is_article = any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in types)
        for k in list(obj):
            if k in _JSONLD_DROP_KEYS and (is_article or k == "articleBody"):
                del obj[k]
            elif k in _JSONLD_DATE_KEYS and is_article:
                if published is None:
                    del obj[k]
                else:
                    obj[k] = published
            elif k in _JSONLD_TITLE_KEYS and is_article:
                obj[k] = title
            elif k == "name" and is_article:
                obj[k] = title
            elif k == "description" and is_article:
                obj[k] = description
        return obj

    def swap_urls(node: Any) -> Any:
        if isinstance(node, str):
            for hu in host_urls:
                node = node.replace(hu, url)
            return node
        if isinstance(node, dict):
            return {k: swap_urls(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap_urls(v) for v in node]
        return node

    try:
        data = json.loads(text)
    except ValueError:
        # Invalid JSON (it happens): neutralise the article text with regexes.
        text = re.sub(r'"articleBody"\s*:\s*"(?:\\.|[^"\\])*"\s*,?', "", text)
        text = re.sub(
            r'"\w+"\s*:\s*"((?:\\.|[^"\\])*)"\s*,?',
            lambda m: "" if has_host_text(m.group(1)) else m.group(0),
            text,
        )
        for k in _JSONLD_DATE_KEYS:
            repl = "" if published is None else f'"{k}": "{published}",'
            text = re.sub(rf'"{k}"\s*:\s*"[^"]*"\s*,?', repl, text)
        for hu in host_urls:
            text = text.replace(hu, url).replace(hu.replace("/", "\\/"), url.replace("/", "\\/"))
        return text
    data = swap_urls(_walk_jsonld(data, fix))
    return json.dumps(data, ensure_ascii=False, indent=2)


def _host_urls(doc: Any, host_url: str | None) -> list[str]:
    urls = set()
    if host_url:
        urls.add(host_url)
    for xp in ('//meta[@property="og:url"]/@content', '//link[@rel="canonical"]/@href', '//meta[@name="twitter:url"]/@content'):
        for u in doc.xpath(xp):
            u = u.strip()
            if u.startswith("http"):
                urls.add(u)
    return sorted(urls, key=len, reverse=True)


def _set_head_link(head: Any, rel: str, href: str | None) -> None:
    for link in head.getroottree().getroot().xpath(f'//link[@rel="{rel}"]'):
        link.drop_tree()
    if href is not None:
        head.append(head.makeelement("link", {"rel": rel, "href": href}))


def _set_meta(head: Any, key: str, value: str, *, attr: str = "property") -> None:
    root = head.getroottree().getroot()
    metas = root.xpath(f'//meta[@property="{key}" or @name="{key}"]')
    if metas:
        for m in metas:
            m.set("content", value)
    else:
        head.append(head.makeelement("meta", {attr: key, "content": value}))


def _string_swaps(
    host_urls: Sequence[str], url: str, title_pairs: Sequence[tuple[str, str]], *, in_script: bool = False
) -> list[tuple[str, str]]:
    """(old, new) replacements for the host's URL, path and headline as they appear in
    attributes and inline scripts: plain, percent-encoded, form-encoded, JSON-escaped."""
    pairs: list[tuple[str, str]] = []
    new_path = urlsplit(url).path
    for hu in host_urls:
        pairs.append((hu, url))
        path = urlsplit(hu).path
        if len(path) > 20 and path != new_path:
            pairs.append((path, new_path))
    pairs += list(title_pairs)
    out: list[tuple[str, str]] = []
    for old, new in pairs:
        plain = json.dumps(new, ensure_ascii=False)[1:-1] if in_script else new
        for o, n in (
            (old, plain),
            (quote(old, safe=""), quote(new, safe="")),
            (quote_plus(old), quote_plus(new)),
            (quote(old), quote(new)),
            (old.replace("/", "\\/"), plain.replace("/", "\\/")),
        ):
            if o and o != n and (o, n) not in out:
                out.append((o, n))
    return sorted(out, key=lambda p: len(p[0]), reverse=True)


def _apply_swaps(value: str, swaps: Sequence[tuple[str, str]]) -> str:
    for old, new in swaps:
        if old in value:
            value = value.replace(old, new)
    return value


def _script_has_host_text(text: str, signatures: Sequence[str]) -> bool:
    decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    decoded = html_lib.unescape(decoded.replace("\\n", " ").replace('\\"', '"').replace("\\/", "/"))
    flat = _alnum(decoded)
    return any(sig in flat for sig in signatures)


def _default_description(paragraphs: Sequence[str]) -> str:
    first = next((p for p in paragraphs if len(p) > 40), paragraphs[0] if paragraphs else "")
    first = _norm_space(first)
    if len(first) <= 160:
        return first
    cut = first[:160].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"


def transplant(
    host_html: str,
    *,
    host_paragraphs: Sequence[str],
    title: str,
    paragraphs: Sequence[str],
    url: str,
    published: str | None,
    extra_after: Sequence[str] = (),
    canonical: str | None = None,
    description: str | None = None,
    host_url: str | None = None,
    remove_xpath: Sequence[str] = (),
) -> str:
    """Put an article into a real host page in place of the host's own article.

    The host's chrome (navigation, sidebars, related links, comments, footer,
    scripts) stays; what identifies the host's *article* is replaced:

    * the DOM elements holding the host's article paragraphs
      (``host_paragraphs``, e.g. the benchmark's ``articleBody`` split on
      newlines) get the new ``paragraphs``, one per element, keeping the
      host's tags and classes (extra paragraphs are clones of the last one;
      surplus host elements are removed); pure duplicates of host paragraphs
      elsewhere (pull quotes, highlights), captions in the article area, and
      inline scripts/noscripts quoting the host text are removed;
    * ``<title>``, ``og:title``/``twitter:title``, headline ``<h1>`` and
      ``itemprop=headline`` get ``title`` (a site suffix such as
      ``" | Deccan Herald"`` is kept);
    * description metas and visible standfirsts equal to the host description
      get ``description`` (default: start of the first paragraph);
    * ``og:url``/``twitter:url`` and every attribute holding the host URL get
      ``url``; ``amphtml``, ``shortlink`` and ``hreflang`` alternates are
      removed; ``<link rel=canonical>`` is set to ``canonical`` (pass ``url``
      for a self-canonical page, another URL for a cross-domain canonical, or
      ``None`` to have no canonical link);
    * publication/modification dates -- date metas, JSON-LD, microdata,
      ``<time>`` and visible date lines -- are set to ``published`` (ISO 8601,
      e.g. ``"2023-11-10T21:30:00Z"``), or removed when it is ``None``;
    * JSON-LD ``articleBody``/``text``/``keywords`` are removed and its
      headline, description, dates and URLs rewritten.

    ``remove_xpath`` selects further host elements to delete first (e.g. a
    credit line naming the host article's own source).

    ``extra_after`` are HTML snippets (e.g. ``'<p><a href="...">Read the full
    article here</a></p>'``) inserted right after the last new paragraph.

    The result is verified: every new paragraph must appear in the visible
    text, and no host paragraph longer than 80 characters may remain in it
    (nor in JSON-LD); otherwise :class:`TransplantError` is raised.

    Returns the new page as an HTML string (serialised by lxml).
    """
    if not paragraphs:
        raise TransplantError("no paragraphs to transplant")
    doc = _parse(host_html)
    head = doc.find("head")
    if head is None:
        head = doc.makeelement("head", {})
        doc.insert(0, head)
    for xp in remove_xpath:
        for el in doc.xpath(xp):
            if el.getparent() is not None:
                el.drop_tree()
    when = _parse_published(published) if published else None
    description = description or _default_description(paragraphs)
    host_urls = _host_urls(doc, host_url)
    host_keys_long = [_key(p) for p in host_paragraphs if len(p.strip()) > _VERIFY_MIN_CHARS]
    signatures = []
    for p in host_paragraphs:
        a = _alnum(p)
        if len(a) >= 60:
            signatures.extend([a[:40], a[len(a) // 2 : len(a) // 2 + 40]])

    # Host headline variants and description, before touching anything.
    headlines = [
        _norm_space(html_lib.unescape(x))
        for x in doc.xpath(
            '//meta[@property="og:title" or @name="twitter:title" or @name="title" or @itemprop="headline"'
            ' or @itemprop="alternativeHeadline"]/@content'
        )
        if _norm_space(x)
    ]
    page_title = _norm_space(doc.findtext(".//head/title") or "")
    if page_title:
        parts = re.split(r"\s+[|\-\u2013\u2014:]{1,2}\s+", page_title)
        headlines += [page_title, max(parts, key=len)]
    host_desc = [
        _norm_space(x)
        for x in doc.xpath('//meta[@name="description" or @property="og:description"]/@content')
        if len(_norm_space(x)) > 40
    ]

    # 1. Article paragraphs.
    slots, duplicates, _missing = _find_slots(doc, host_paragraphs)
    if not slots:
        raise TransplantError("none of the host paragraphs were found in the page")
    body = doc.find("body")
    keys = _compute_keys(body if body is not None else doc)
    region = _article_region(slots, keys)
    for el in duplicates:
        if el.getparent() is not None:
            el.drop_tree()
    # 2. A visible standfirst equal to the host description (not one of the slots).
    if host_desc and body is not None:
        dkeys = {_key(d) for d in host_desc}
        for el in list(body.iter()):
            if not isinstance(el.tag, str) or el.tag in _INVISIBLE_TAGS or el.getparent() is None:
                continue
            if keys.get(el) in dkeys and not any(
                el is s.el or _is_ancestor(el, s.el) or _is_ancestor(s.el, el) for s in slots
            ):
                _clear(el)
                el.text = description
    _remove_captions(region, keep=[sl.el for sl in slots])
    # 2b. Dates (before the new text goes in, so that it is never rewritten).
    for meta in doc.xpath("//meta[@content]"):
        name = _meta_name(meta)
        content = meta.get("content", "").strip()
        looks_like_date = bool(
            re.match(r"(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8}(\d{4,6})?$|\d{10}(\d{3})?$)", content)
            or _DATE_TEXT_RE.search(content)
        )
        if _META_DATE_NAME.search(name) and not _META_DATE_EXCLUDE.search(name) and looks_like_date:
            if published is None:
                meta.drop_tree()
            else:
                meta.set("content", published)
    for el in _date_elements(doc):
        if any(el is sl.el or _is_ancestor(el, sl.el) for sl in slots):
            continue
        if when is None:
            el.drop_tree()
            continue
        if el.get("datetime"):
            el.set("datetime", published or "")
        for node in el.iter():
            if not isinstance(node.tag, str):
                continue
            if node.get("datetime"):
                node.set("datetime", published or "")
            if node.text:
                node.text = _rewrite_date_text(node.text, when)
            if node is not el and node.tail:
                node.tail = _rewrite_date_text(node.tail, when)
    for t in doc.xpath("//time[@datetime]"):
        if when is None:
            t.drop_tree()
        elif t.get("datetime") != published:
            t.set("datetime", published or "")
    # short loose date lines in the article area ("기사입력 :[ 2018-09-28 17:32 ]")
    if region is not None and region.getparent() is not None:
        for node in region.iter():
            if not isinstance(node.tag, str) or node.tag in _INVISIBLE_TAGS:
                continue
            for attr in ("text", "tail"):
                value = getattr(node, attr)
                if value and len(value.strip()) <= 80 and _DATE_TEXT_RE.search(value):
                    setattr(node, attr, _rewrite_date_text(value, when) if when else _DATE_TEXT_RE.sub("", value))

    last, filled = _fill_slots(slots, paragraphs, keys)

    def holds_new_text(el: Any) -> bool:
        return any(el is f or _is_ancestor(el, f) or _is_ancestor(f, el) for f in filled)

    if last is not None and extra_after:
        anchor = last
        for snippet in extra_after:
            for frag in lxml.html.fragments_fromstring(snippet):
                if isinstance(frag, str):
                    raise TransplantError(f"extra_after snippet must be markup, got text: {frag!r}")
                anchor.addnext(frag)
                anchor = frag

    # 3. Titles.
    head_title = head.find("title")
    if head_title is None:
        head_title = head.makeelement("title", {})
        head.append(head_title)
    head_title.text = _replace_title_text(_norm_space(head_title.text_content()), headlines, title)
    for el in list(head_title):
        head_title.remove(el)
    for meta in doc.xpath("//meta[@content]"):
        name = _meta_name(meta).lower()
        if name in _TITLE_METAS:
            meta.set("content", _replace_title_text(_norm_space(meta.get("content")), headlines, title))
        elif name in ("description", "og:description", "twitter:description"):
            meta.set("content", description)
        elif name in _TOPIC_METAS:
            meta.drop_tree()
    replaced = 0
    heading_xpath = (
        "//body//*[self::h1 or self::h2 or self::h3 or @itemprop='headline'"
        " or contains(translate(@class, 'TITLEHADN', 'titlehadn'), 'title')"
        " or contains(translate(@class, 'TITLEHADN', 'titlehadn'), 'headline')]"
    )
    for h in doc.xpath(heading_xpath):
        if h.getparent() is None or h.tag in _INVISIBLE_TAGS or holds_new_text(h):
            continue
        text = _norm_space(h.text_content())
        if not (10 <= len(text) <= 300) or not any(_similar(text, x) for x in headlines):
            continue
        # descend through single-child wrappers (<dl class=title><dt>...</dt></dl>)
        while len(h) == 1 and isinstance(h[0].tag, str) and _key(h[0].text_content()) == _key(h.text_content()):
            h = h[0]
        _clear(h)
        h.text = title
        replaced += 1
    exact = {_key(h) for h in headlines if len(h) >= 15}
    if body is not None and exact:
        for el in list(body.iter()):
            if not isinstance(el.tag, str) or el.tag in _INVISIBLE_TAGS or el.getparent() is None:
                continue
            if (el.tag in _INLINE_TAGS or not len(el)) and not holds_new_text(el):  # leaf-ish elements
                if _key(el.text_content()) in exact:
                    _clear(el)
                    el.text = title
                    replaced += 1
    if not replaced and slots:
        order = _doc_order(doc)
        first = min(filled, key=lambda e: order.get(e, 0), default=None)
        before = [
            h for h in doc.xpath("//body//h1") if first is None or order.get(h, 0) < order.get(first, 0)
        ]
        if before:
            _clear(before[-1])
            before[-1].text = title

    # 4. URLs.
    for link in doc.xpath('//link[@rel="amphtml" or @rel="shortlink" or (@rel="alternate" and @hreflang)]'):
        link.drop_tree()
    for link in doc.xpath('//link[@rel="alternate"][contains(@href, "oembed")]'):
        link.drop_tree()
    _set_head_link(head, "canonical", canonical)
    _set_meta(head, "og:url", url)
    for meta in doc.xpath('//meta[@name="twitter:url" or @property="twitter:url" or @itemprop="url"]'):
        meta.set("content", url)
    title_pairs = [(h, _replace_title_text(h, headlines, title)) for h in headlines if len(h) >= 15]
    swaps = _string_swaps(host_urls, url, title_pairs)
    script_swaps = _string_swaps(host_urls, url, title_pairs, in_script=True)
    for el in doc.iter():
        if not isinstance(el.tag, str) or (el.tag == "link" and el.get("rel") == "canonical"):
            continue
        for attr, value in el.attrib.items():
            new = _apply_swaps(value, swaps)
            if new != value:
                el.set(attr, new)

    # 5. JSON-LD and scripts quoting the host article.
    for script in doc.xpath("//script"):
        stype = (script.get("type") or "").lower()
        text = script.text or ""
        if stype == "application/ld+json":
            script.text = _rewrite_jsonld(
                text,
                title=title,
                description=description,
                url=url,
                host_urls=host_urls,
                published=published,
                host_keys=host_keys_long,
            )
        elif text and signatures and _script_has_host_text(text, signatures):
            script.drop_tree()
        elif text:
            new = _apply_swaps(text, script_swaps)
            if new != text:
                script.text = new
    for el in doc.xpath("//noscript | //template | //textarea"):
        if signatures and _script_has_host_text(el.text_content() + " ".join(el.itertext()), signatures):
            el.drop_tree()

    out = _serialize(doc)

    # 6. Verify.
    check = _parse(out)
    vis = _key(visible_text(check))
    left = [p for p in host_paragraphs if len(p.strip()) > _VERIFY_MIN_CHARS and _key(p) in vis]
    if left:
        raise TransplantError(f"{len(left)} host paragraph(s) still visible, e.g. {left[0][:80]!r}")
    for script in check.xpath('//script[@type="application/ld+json"]'):
        sk = _key(script.text or "")
        if any(hk in sk for hk in host_keys_long):
            raise TransplantError("host article text left in JSON-LD")
    lost = [p for p in paragraphs if _key(p) not in vis]
    if lost:
        raise TransplantError(f"{len(lost)} new paragraph(s) missing from the output, e.g. {lost[0][:80]!r}")
    return out


def ensure_og_url(html: str, url: str) -> str:
    """Return ``html`` unchanged if it has an ``og:url`` meta, else with one added after ``<head>``.

    Works on the string so that the rest of the page stays byte-identical.
    """
    if re.search(r"""<meta\b[^>]*\bproperty\s*=\s*["']og:url["']""", html, re.I):
        return html
    tag = f'<meta property="og:url" content="{html_lib.escape(url, quote=True)}">'
    m = re.search(r"<head\b[^>]*>", html, re.I)
    if m is None:
        raise ValueError("page has no <head>")
    return html[: m.end()] + "\n" + tag + html[m.end() :]


# --------------------------------------------------------------------------
# The aggregator template (reconstructed from the seed repost's text)
# --------------------------------------------------------------------------

AGG_DOMAIN = "worldnewsroundup.com"
AGG_SITE = "World News Roundup"
AGG_LATEST_POLITICS = [
    "Speaker Johnson unveils two-step plan to avert a government shutdown",
    "Moody\u2019s lowers US credit outlook to negative, citing political polarization",
    "Biden and Xi set to meet on the sidelines of APEC summit in San Francisco",
    "Haley, DeSantis and Ramaswamy clash at third Republican debate in Miami",
    "Ohio voters enshrine abortion rights in state constitution",
]
AGG_NAV = ["World", "Politics", "Business", "Tech", "Entertainment", "Sports", "Health"]


@dataclass(frozen=True)
class AggregatorPost:
    """One post on the aggregator template."""

    title: str
    slug: str
    post_id: int
    paragraphs: tuple[str, ...]
    source_url: str
    published: str  # ISO 8601, UTC
    read_minutes: int
    views: int
    previous: str  # title of the "Previous Story"
    next: str  # title of the "Next Story"
    category: str = "Politics"

    @property
    def url(self) -> str:
        return f"https://{AGG_DOMAIN}/{self.slug}/"


def slugify(title: str) -> str:
    """WordPress-style slug: ``"D.R. Horton's Q3"`` -> ``"d-r-hortons-q3"``."""
    text = re.sub(r"['\u2019]", "", title.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _esc(text: str) -> str:
    return html_lib.escape(text, quote=True)


def render_aggregator_page(post: AggregatorPost) -> str:
    """A WordPress-like aggregator page: the article plus the chrome seen in the seed repost."""
    base = f"https://{AGG_DOMAIN}"
    when = _parse_published(post.published)
    iso = when.isoformat()
    human = f"{_MONTHS_FULL[when.month - 1]} {when.day}, {when.year}"
    desc = _default_description(post.paragraphs)
    nav = "\n".join(
        f'          <li id="menu-item-{100 + i}" class="menu-item menu-item-type-taxonomy menu-item-object-category'
        f'{" current-post-ancestor" if name == post.category else ""} menu-item-{100 + i}">'
        f'<a href="{base}/category/{name.lower()}/">{_esc(name)}</a></li>'
        for i, name in enumerate(AGG_NAV)
    )
    body = "\n".join(f"<p>{_esc(p)}</p>" for p in post.paragraphs)
    latest = "\n".join(
        f'            <li class="latest-post"><a href="{base}/{slugify(t)}/">{_esc(t)}</a></li>'
        for t in AGG_LATEST_POLITICS
    )
    jsonld = json.dumps(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "NewsArticle",
                    "@id": f"{post.url}#article",
                    "isPartOf": {"@id": post.url},
                    "author": {"@type": "Person", "name": "Roundup Desk"},
                    "headline": post.title,
                    "datePublished": iso,
                    "dateModified": iso,
                    "mainEntityOfPage": {"@id": post.url},
                    "publisher": {"@id": f"{base}/#organization"},
                    "articleSection": [post.category],
                    "inLanguage": "en-US",
                },
                {
                    "@type": "WebPage",
                    "@id": post.url,
                    "url": post.url,
                    "name": f"{post.title} - {AGG_SITE}",
                    "datePublished": iso,
                    "inLanguage": "en-US",
                },
                {
                    "@type": "Organization",
                    "@id": f"{base}/#organization",
                    "name": AGG_SITE,
                    "url": f"{base}/",
                },
            ],
        },
        ensure_ascii=False,
    )
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(post.title)} - {AGG_SITE}</title>
<meta name="description" content="{_esc(desc)}">
<meta name="robots" content="index, follow, max-image-preview:large">
<link rel="canonical" href="{post.url}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="{_esc(post.title)}">
<meta property="og:description" content="{_esc(desc)}">
<meta property="og:url" content="{post.url}">
<meta property="og:site_name" content="{AGG_SITE}">
<meta property="article:section" content="{post.category}">
<meta property="article:published_time" content="{iso}">
<meta property="article:modified_time" content="{iso}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:label1" content="Est. reading time">
<meta name="twitter:data1" content="{post.read_minutes} minutes">
<script type="application/ld+json" class="yoast-schema-graph">{jsonld}</script>
<link rel="alternate" type="application/rss+xml" title="{AGG_SITE} &raquo; Feed" href="{base}/feed/">
<link rel="stylesheet" id="wp-block-library-css" href="{base}/wp-includes/css/dist/block-library/style.min.css?ver=6.3.2" media="all">
<link rel="stylesheet" id="roundup-style-css" href="{base}/wp-content/themes/roundup/style.css?ver=2.4.1" media="all">
<link rel="https://api.w.org/" href="{base}/wp-json/">
<link rel="shortlink" href="{base}/?p={post.post_id}">
</head>
<body class="post-template-default single single-post postid-{post.post_id} single-format-standard">
<div id="page" class="site">
  <a class="skip-link screen-reader-text" href="#content">Skip to content</a>
  <div class="top-bar">
    <div class="container">
      <span class="top-bar-date">{when:%A}, {human}</span>
      <ul class="top-bar-links"><li><a href="{base}/about-us/">About Us</a></li><li><a href="{base}/contact/">Contact</a></li><li><a href="{base}/advertise/">Advertise</a></li></ul>
    </div>
  </div>
  <header id="masthead" class="site-header">
    <div class="container">
      <div class="site-branding">
        <p class="site-title"><a href="{base}/" rel="home">{AGG_SITE}</a></p>
        <p class="site-description">Top stories from around the world, all in one place</p>
      </div>
      <nav id="site-navigation" class="main-navigation" aria-label="Primary">
        <ul id="primary-menu" class="menu">
          <li id="menu-item-99" class="menu-item menu-item-home menu-item-99"><a href="{base}/">Home</a></li>
{nav}
        </ul>
      </nav>
      <form role="search" method="get" class="search-form" action="{base}/">
        <label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s"></label>
        <input type="submit" class="search-submit" value="Search">
      </form>
    </div>
  </header>
  <div id="content" class="site-content">
    <div class="container">
      <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="{base}/">Home</a> &raquo; <a href="{base}/category/{post.category.lower()}/">{post.category}</a></nav>
      <main id="primary" class="site-main">
        <article id="post-{post.post_id}" class="post-{post.post_id} post type-post status-publish format-standard hentry category-{post.category.lower()}">
          <header class="entry-header">
            <span class="cat-links"><a href="{base}/category/{post.category.lower()}/" rel="category tag">{post.category}</a></span>
            <h1 class="entry-title">{_esc(post.title)}</h1>
            <div class="entry-meta">
              <span class="posted-on"><time class="entry-date published" datetime="{iso}">{human}</time></span>
              <span class="reading-time">{post.read_minutes} mins read</span>
              <span class="post-views">{post.views} views</span>
            </div>
          </header>
          <div class="entry-content">
{body}
<p class="source-link"><a href="{_esc(post.source_url)}" target="_blank" rel="noopener">Read the full article here</a></p>
          </div>
          <footer class="entry-footer">
            <div class="share-buttons">
              <a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={quote(post.url, safe='')}" rel="nofollow noopener" target="_blank">Facebook</a>
              <a class="share-twitter" href="https://twitter.com/intent/tweet?url={quote(post.url, safe='')}" rel="nofollow noopener" target="_blank">Twitter</a>
              <a class="share-email" href="mailto:?subject={quote(post.title)}&amp;body={quote(post.url, safe='')}">Email</a>
            </div>
          </footer>
        </article>
        <div id="comments" class="comments-area">
          <div id="respond" class="comment-respond">
            <h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
            <form action="{base}/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>
              <p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>
              <p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>
              <p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required></p>
              <p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" autocomplete="email" required></p>
              <p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url"></p>
              <p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"> <input type="hidden" name="comment_post_ID" value="{post.post_id}" id="comment_post_ID"> <input type="hidden" name="comment_parent" id="comment_parent" value="0"></p>
            </form>
          </div>
        </div>
        <nav class="navigation post-navigation" aria-label="Posts">
          <h2 class="screen-reader-text">Post navigation</h2>
          <div class="nav-links">
            <div class="nav-previous"><a href="{base}/{slugify(post.previous)}/" rel="prev"><span class="meta-nav">Previous Story</span> <span class="post-title">{_esc(post.previous)}</span></a></div>
            <div class="nav-next"><a href="{base}/{slugify(post.next)}/" rel="next"><span class="meta-nav">Next Story</span> <span class="post-title">{_esc(post.next)}</span></a></div>
          </div>
        </nav>
        <section class="related-posts latest-from-category">
          <h3 class="widget-title">Latest from Politics</h3>
          <ul>
{latest}
          </ul>
        </section>
      </main>
      <aside id="secondary" class="widget-area">
        <section id="newsletter-2" class="widget widget_newsletter">
          <h2 class="widget-title">Newsletter</h2>
          <p>Get the day&rsquo;s top headlines delivered to your inbox every morning.</p>
          <form class="newsletter-form" action="{base}/subscribe/" method="post"><input type="email" name="email" placeholder="Your email address"> <button type="submit">Subscribe</button></form>
        </section>
        <section id="categories-2" class="widget widget_categories">
          <h2 class="widget-title">Categories</h2>
          <ul>
{chr(10).join(f'            <li class="cat-item"><a href="{base}/category/{n.lower()}/">{n}</a></li>' for n in AGG_NAV)}
          </ul>
        </section>
      </aside>
    </div>
  </div>
  <footer id="colophon" class="site-footer">
    <div class="container">
      <ul class="footer-menu">
        <li><a href="{base}/about-us/">About Us</a></li>
        <li><a href="{base}/contact/">Contact</a></li>
        <li><a href="{base}/privacy-policy/">Privacy Policy</a></li>
        <li><a href="{base}/terms-of-use/">Terms of Use</a></li>
      </ul>
      <p class="site-info">&copy; 2023 {AGG_SITE}. All Rights Reserved. All articles are the property of their respective owners.</p>
    </div>
  </footer>
</div>
<script src="{base}/wp-content/themes/roundup/js/navigation.js?ver=2.4.1" id="roundup-navigation-js"></script>
<script src="{base}/wp-includes/js/comment-reply.min.js?ver=6.3.2" id="comment-reply-js" async data-wp-strategy="async"></script>
</body>
</html>
"""


# --------------------------------------------------------------------------
# Corpus specification
# --------------------------------------------------------------------------

SEED_FILE = "000_ac21ed3f2fa6be03.txt"
BENCH_DIR = "article-extraction-benchmark"
SEED_FIRST = "The parties involved in the ongoing negotiations"
SEED_LAST = "CNN\u2019s Paul LeBlanc contributed to this report."

CNN_TITLE = (
    "Hostage negotiators discussing days-long fighting pause between Israel and Hamas "
    "in exchange for freeing large group"
)
CNN_URL = "https://www.cnn.com/2023/11/10/politics/hostage-deal-negotiations-israel-hamas/index.html"
CNN_PUBLISHED = "2023-11-10T21:30:00Z"
CNN_HOST = "ef4e67b66d63"  # real cnn.com page (Trump health analysis): chrome of the origin
# the host's byline names the host article's author: drop it rather than invent one
CNN_REMOVE_XPATH = (
    '//p[contains(@class, "metadata__byline")]',
    '//meta[@itemprop="author" or @name="author"]',
)

AGG_SEED_PUBLISHED = "2023-11-11T08:05:00Z"
FETCHED_AT = "2023-11-12T03:00:00Z"
JSONL_NAME = "crawl-2023-11-12.jsonl"
GENERATED_MARK = "<!-- generated by benchmarks/build_sample_corpus.py; do not edit by hand -->"


@dataclass(frozen=True)
class RepostSpec:
    """A repost of the CNN article built into a real host page with :func:`transplant`."""

    variant: str  # "full" | "truncated" | "edited"
    host: str  # sha256 prefix of the benchmark page whose chrome is used
    url: str  # invented URL of the repost on the host's site
    published: str | None
    role: str
    path: str | None  # output path, or None to put the page into the JSONL export
    remove_xpath: tuple[str, ...] = ()


REPOSTS = [
    RepostSpec(
        variant="full",
        host="c90731f051d0",
        url="https://www.deccanherald.com/international/"
        "hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas-1247312.html",
        published="2023-11-11T09:40:00Z",
        role="repost (full copy, 'Source: CNN' link)",
        path=None,
    ),
    RepostSpec(
        variant="truncated",
        host="a1fca19b884e",
        url="https://nypost.com/2023/11/12/"
        "hostage-negotiators-discussing-days-long-fighting-pause-between-israel-and-hamas/",
        published="2023-11-12T14:15:00Z",
        role="repost (truncated to the first half, 'Continue reading at CNN' link)",
        path="nypost.com/hostage-negotiators-discussing-days-long-fighting-pause.html",
    ),
    RepostSpec(
        variant="edited",
        host="833caf3bdba5",
        url="https://www.albawaba.com/news/israel-and-hamas-weigh-days-long-truce-exchange-large-hostage-release-1538214",
        published=None,
        role="repost (edited: new headline, intro sentence, a paragraph dropped, "
        "'Advertisement' lines, straight quotes; no date)",
        path="albawaba.com/israel-and-hamas-weigh-days-long-truce.html",
        # the host article's own syndication credit ("Via SyndiGate.info ... Copyright @ 2019 The New Arab")
        remove_xpath=(
            '//p[contains(@class, "syndigate-link")]/following-sibling::a[1]',
            '//p[contains(@class, "syndigate-link")]/following-sibling::br[1]',
            '//p[contains(@class, "syndigate")]',
        ),
    ),
]
EDITED_TITLE = "Israel and Hamas weigh days-long truce in exchange for large hostage release, US official says"
EDITED_INTRO = "A deal to free a large group of the hostages held in Gaza may be taking shape, according to a US official."
EDITED_DROP_INDEX = 10  # "The United States and its allies have urged Israel ..."
EDITED_AD_AFTER = (3, 12)  # an "Advertisement" line after these paragraphs (0-based, in the edited list)


def repost_text(variant: str, seed: Sequence[str]) -> tuple[str, list[str], list[str]]:
    """(title, paragraphs, extra_after snippets) of a repost variant of the seed article."""
    if variant == "full":
        return CNN_TITLE, list(seed), [f'<p class="source-credit">Source: <a href="{CNN_URL}">CNN</a></p>']
    if variant == "truncated":
        half = (len(seed) + 1) // 2
        more = f'<p class="continue-reading"><a href="{CNN_URL}">Continue reading at CNN</a></p>'
        return CNN_TITLE, list(seed[:half]), [more]
    if variant == "edited":
        edited = [_straight_quotes(p) for i, p in enumerate(seed) if i != EDITED_DROP_INDEX]
        edited.insert(0, EDITED_INTRO)
        for pos in sorted(EDITED_AD_AFTER, reverse=True):
            edited.insert(pos + 1, "Advertisement")
        return EDITED_TITLE, edited, []
    raise ValueError(f"unknown repost variant {variant!r}")


@dataclass(frozen=True)
class AggregatorSpec:
    """A post on the aggregator template carrying a benchmark page's article (page not in the corpus)."""

    source: str  # sha256 prefix of the benchmark page whose articleBody is used
    title: str
    post_id: int
    published: str
    read_minutes: int
    views: int
    previous: str
    next: str
    storage: str  # "html" | "jsonl"


AGG_OTHER = [
    AggregatorSpec(
        source="5a822960e9a2",
        title="House where Hitler was born will become a police station, Austria says",
        post_id=48211,
        published="2023-11-10T16:20:00Z",
        read_minutes=1,
        views=41,
        previous="Oil prices edge higher as traders weigh Middle East supply risks",
        next="How Home Builder D.R. Horton Beat the Housing Bust",
        storage="html",
    ),
    AggregatorSpec(
        source="7916ecca969f",
        title="US service members killed in Afghanistan helicopter crash",
        post_id=48237,
        published="2023-11-11T10:45:00Z",
        read_minutes=1,
        views=18,
        previous="DoubleDown Interactive Co., Ltd. (DDI) Q3 2023 Earnings Call Transcript",
        next="Stocks rally as Treasury yields retreat from recent highs",
        storage="jsonl",
    ),
    AggregatorSpec(
        source="d90bda7ed14d",
        title="Amnesty: More than 100 protesters killed in Iran unrest",
        post_id=48252,
        published="2023-11-11T13:10:00Z",
        read_minutes=2,
        views=33,
        previous="Stocks rally as Treasury yields retreat from recent highs",
        next="Apple supplier Foxconn posts higher quarterly profit",
        storage="html",
    ),
]

#: Real benchmark pages kept unmodified (except an added og:url when missing).
#: (sha prefix, file name, storage, role)
UNMODIFIED = [
    # template twins: the real pages whose chrome carries the origin / the reposts
    ("ef4e67b66d63", "donald-trump-health-walter-reed.html", "gz", "template twin (real cnn.com page whose chrome carries the CNN origin)"),
    ("c90731f051d0", "impeachment-sham-completely-debunked-white-house.html", "html", "template twin (real host page of the deccanherald.com repost)"),
    ("a1fca19b884e", "three-taliban-prisoners-flown-to-qatar-for-hostage-swap.html", "gz", "template twin (real host page of the nypost.com repost)"),
    ("833caf3bdba5", "world-community-lashes-out-us-no-longer-considering-israeli-settlements-illegal.html", "html", "template twin (real host page of the albawaba.com repost)"),
    # unrelated pages: one per site, at most one per same-story group
    ("9da36ae4714b", "news-view-8723.html", "gz", "unrelated (Korean)"),
    ("85439e26c41c", "index-2726.html", "html", "unrelated (Japanese)"),
    ("b3c19dd5f061", "quem-se-ama.html", "jsonl", "unrelated (Portuguese)"),
    ("b6fb53e9fb04", "remake-serie-animata-de-i-cavalieri-dello-zodiaco-per-netflix.html", "html", "unrelated (Italian)"),
    ("c4a3637c6696", "skajrim-skorost-bega-kak-uvelichit.html", "html", "unrelated (Russian)"),
    ("7837c9d66c81", "sejarah-pecahnya-islam-jadi-sunni-dan-syiah.html", "html", "unrelated (Indonesian)"),
    ("ba07d1e64775", "comwrap-auf-der-dmexco-2018.html", "html", "unrelated (German)"),
    ("c00962aabe7b", "article-3834-1.html", "jsonl", "unrelated"),
    ("e372e42c0a3d", "son-of-former-german-president-stabbed-to-death-in-berlin.html", "html", "unrelated"),
    ("e100c9612ad8", "stadia-destiny-2-1080p-medium-rdr2-1440p.html", "html", "unrelated (one of the Stadia pages)"),
    ("65ce3a4577a0", "tuesdays-college-football-eastern-michigan-routs-northern-illinois.html", "html", "unrelated"),
    ("94fbcc267720", "milan-design-week-2018-michael-anastassiades-light-installation-flos.html", "html", "unrelated"),
    ("bc13ff87b263", "thousands-of-wework-employees-to-be-laid-off-this-week.html", "html", "unrelated"),
    ("9e8c9f082a8d", "what-value-drugs-come-us-border.html", "html", "unrelated"),
    ("776a1c046798", "meth-were-on-it-south-dakota-campaign.html", "html", "unrelated (one of the 'Meth. We're on it' pages)"),
    ("612cd2982662", "clymer-workshop-manual-review.html", "html", "unrelated"),
    ("ad9e9e596f21", "a-grant-to-evidence-action-beta.html", "html", "unrelated (one of the GiveWell pages)"),
]


@dataclass(frozen=True)
class BenchPage:
    sha: str
    url: str
    article_body: str
    html: str

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.article_body.split("\n") if p.strip()]


@dataclass
class Entry:
    """One page of the corpus, for the README table."""

    path: str  # relative to the corpus dir ("crawl-...jsonl#N" for JSONL rows)
    url: str
    role: str
    source: str


def load_benchmark(shared: Path) -> dict[str, BenchPage]:
    bench = shared / BENCH_DIR
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for sha, item in truth.items():
        raw = gzip.decompress((bench / "html" / f"{sha}.html.gz").read_bytes())
        pages[sha] = BenchPage(sha, item["url"], item["articleBody"], raw.decode("utf-8"))
    return pages


def _page(pages: dict[str, BenchPage], prefix: str) -> BenchPage:
    hits = [p for sha, p in pages.items() if sha.startswith(prefix)]
    if len(hits) != 1:
        raise KeyError(f"benchmark page prefix {prefix!r} matches {len(hits)} pages")
    return hits[0]


def load_seed(shared: Path) -> list[str]:
    """The article paragraphs of the seed repost, exactly as in the text file."""
    lines = [ln.strip() for ln in (shared / SEED_FILE).read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    start = next(i for i, ln in enumerate(lines) if ln.startswith(SEED_FIRST))
    end = lines.index(SEED_LAST)
    return lines[start : end + 1]


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or "unknown"
    return host[4:] if host.startswith("www.") else host


def _straight_quotes(text: str) -> str:
    return text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")


def _write(path: Path, text: str, *, gz: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if gz:
        with open(path, "wb") as fh:
            with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gzf:
                gzf.write(data)
    else:
        path.write_bytes(data)


def _short_name(slug: str, limit: int = 60) -> str:
    """A file name from a slug, cut at a word boundary."""
    if len(slug) <= limit:
        return slug
    return slug[: limit + 1].rsplit("-", 1)[0]


def _og_url(html: str) -> str | None:
    m = re.search(r"""<meta\b[^>]*\bproperty\s*=\s*["']og:url["'][^>]*>""", html, re.I)
    if not m:
        return None
    c = re.search(r"""content\s*=\s*["']([^"']*)["']""", m.group(0), re.I)
    return html_lib.unescape(c.group(1)) if c else None


def build(shared: Path, out: Path) -> list[Entry]:
    """Write the sample corpus into ``out``; return its entries (for the README)."""
    pages = load_benchmark(shared)
    seed = load_seed(shared)
    entries: list[Entry] = []
    jsonl_rows: list[tuple[str, str, str, str]] = []  # (url, html, role, source)

    def emit(rel: str | None, url: str, html: str, role: str, source: str, storage: str) -> None:
        if storage == "jsonl":
            jsonl_rows.append((url, html, role, source))
            return
        assert rel is not None
        gz = storage == "gz"
        rel_path = rel + (".gz" if gz else "")
        _write(out / rel_path, html, gz=gz)
        entries.append(Entry(rel_path, url, role, source))

    # a. The CNN origin on real cnn.com chrome.
    cnn_host = _page(pages, CNN_HOST)
    cnn_html = transplant(
        cnn_host.html,
        host_paragraphs=cnn_host.paragraphs,
        host_url=cnn_host.url,
        title=CNN_TITLE,
        paragraphs=seed,
        url=CNN_URL,
        published=CNN_PUBLISHED,
        canonical=CNN_URL,
        remove_xpath=CNN_REMOVE_XPATH,
    )
    emit(
        "cnn.com/hostage-deal-negotiations.html",
        CNN_URL,
        cnn_html,
        "**origin** (CNN article on real cnn.com chrome)",
        f"seed text in benchmark page `{cnn_host.sha[:12]}`",
        "html",
    )

    # b. The seed repost on the aggregator template.
    seed_post = AggregatorPost(
        title=CNN_TITLE,
        slug=slugify(CNN_TITLE),
        post_id=48229,
        paragraphs=tuple(seed),
        source_url=CNN_URL,
        published=AGG_SEED_PUBLISHED,
        read_minutes=2,
        views=25,
        previous="How Home Builder D.R. Horton Beat the Housing Bust",
        next="DoubleDown Interactive Co., Ltd. (DDI) Q3 2023 Earnings Call Transcript",
    )
    emit(
        f"{AGG_DOMAIN}/{_short_name(seed_post.slug)}.html",
        seed_post.url,
        render_aggregator_page(seed_post),
        "repost (aggregator, verbatim seed text, 'Read the full article here' link, no canonical to CNN)",
        f"`{SEED_FILE}`",
        "html",
    )

    # c. Same aggregator template, different articles.
    for spec in AGG_OTHER:
        src = _page(pages, spec.source)
        post = AggregatorPost(
            title=spec.title,
            slug=slugify(spec.title),
            post_id=spec.post_id,
            paragraphs=tuple(src.paragraphs),
            source_url=src.url,
            published=spec.published,
            read_minutes=spec.read_minutes,
            views=spec.views,
            previous=spec.previous,
            next=spec.next,
        )
        emit(
            f"{AGG_DOMAIN}/{_short_name(post.slug)}.html",
            post.url,
            render_aggregator_page(post),
            "same template, different article (must not match)",
            f"articleBody of benchmark page `{src.sha[:12]}` ({_domain(src.url)}, not in the corpus)",
            spec.storage,
        )

    # d. Reposts of the CNN article on other real sites' chrome.
    for rep in REPOSTS:
        host = _page(pages, rep.host)
        title, paras, extra = repost_text(rep.variant, seed)
        html = transplant(
            host.html,
            host_paragraphs=host.paragraphs,
            host_url=host.url,
            title=title,
            paragraphs=paras,
            url=rep.url,
            published=rep.published,
            canonical=rep.url,
            extra_after=extra,
            remove_xpath=rep.remove_xpath,
        )
        what = {
            "full": "seed text",
            "truncated": f"seed text (first {len(paras)} of {len(seed)} paragraphs)",
            "edited": "seed text, edited,",
        }[rep.variant]
        emit(rep.path, rep.url, html, rep.role, f"{what} in benchmark page `{host.sha[:12]}`",
             "jsonl" if rep.path is None else "html")

    # e + f. Real pages, unmodified.
    for prefix, name, storage, role in UNMODIFIED:
        page = _page(pages, prefix)
        html = ensure_og_url(page.html, page.url)
        url = _og_url(html) or page.url
        if storage == "jsonl":
            url = page.url
        emit(f"{_domain(page.url)}/{name}", url, html, role, f"benchmark page `{page.sha[:12]}`", storage)

    # g. The JSONL crawl export.
    lines = []
    for i, (url, html, role, source) in enumerate(jsonl_rows, start=1):
        lines.append(json.dumps({"url": url, "html": html, "fetched_at": FETCHED_AT}, ensure_ascii=False))
        entries.append(Entry(f"{JSONL_NAME} (line {i})", url, role, source))
    _write(out / JSONL_NAME, "\n".join(lines) + "\n")

    # h. LICENSE and README.
    shutil.copyfile(shared / BENCH_DIR / "LICENSE", out / "LICENSE")
    half = len(repost_text("truncated", seed)[1])
    _write(out / "README.md", render_readme(entries, half=half, total=len(seed)))
    return entries


def render_readme(entries: Sequence[Entry], *, half: int, total: int) -> str:
    rows = "\n".join(f"| `{e.path}` | {e.url} | {e.role} | {e.source} |" for e in entries)
    return f"""{GENERATED_MARK}
# Sample corpus

A small, realistic corpus for trying `syndicate` end to end: one news article
(CNN, 10 November 2023), the copies of it that other sites published, and
pages that share a copy's *template* or *topic* but not its text.

Expected result: the origin, the aggregator repost and the three reposts on
real news-site chrome form one syndication cluster, attributed to the CNN URL
{CNN_URL} . Nothing else should match: not the template twins (the real pages
whose chrome the reposts were built in), not the other pages on the aggregator
template, not the unrelated pages.

## Files

Folder input reads every `*.html` / `*.html.gz` and takes each page's URL from
`og:url` (every page has one) or its canonical link. `{JSONL_NAME}` is a crawl
export with one JSON object per line: `{{"url", "html", "fetched_at"}}`; pages
in it are not repeated as files.

| File | URL | Role | Made from |
|---|---|---|---|
{rows}

Notes on the synthetic pages:

- **Origin.** The article text is the seed repost's text (below). The page
  chrome is a real cnn.com article page from the benchmark (`ef4e67b66d63`,
  kept alongside as a template twin); its own article, headline, dates, URLs,
  description and JSON-LD were replaced, and its byline removed (rather than
  invent an author). CNN's related-video playlist, navigation and footer
  (from 2019) are left as they were.
- **Aggregator pages.** The seed file gives only the aggregator's visible
  chrome ("2 mins read", "25 views", "Read the full article here", "Leave a
  Reply", "Your email address will not be published.", "Previous Story" /
  "Next Story" with their titles, "Latest from Politics"); the WordPress-like
  markup around it is reconstructed from that text. `{AGG_DOMAIN}` stands in
  for the aggregator, whose real name the seed does not give. The three other
  posts on this template carry articles of benchmark pages that are *not* in
  the corpus; their "Read the full article here" links point to those absent
  originals. All four share the same navigation, comment form, "Latest from
  Politics" list and footer; only the article, title, dates and the
  "Previous Story" / "Next Story" titles differ.
- **Reposts on real chrome.** Made with `transplant()` in
  `benchmarks/build_sample_corpus.py`: the host's article paragraphs are
  replaced by the new ones (keeping the host's markup), the title, URL,
  canonical (self), dates and JSON-LD are rewritten, and the script checks that
  none of the host's own article paragraphs remain. The repost URLs on
  deccanherald.com, nypost.com and albawaba.com are invented.
  - deccanherald.com: full copy plus a "Source: CNN" link, published 2023-11-11;
  - nypost.com: the first {half} of the {total} paragraphs plus "Continue reading at
    CNN", published 2023-11-12;
  - albawaba.com: new headline, an added intro sentence, one middle paragraph
    dropped, two "Advertisement" lines, straight quotes, and no date at all.
- **Unmodified pages** are byte-identical to the benchmark files except for an
  `og:url` meta added right after `<head>` when the page had none. They are
  chosen so that no two share a site or a story (the benchmark has several
  same-story groups, e.g. four "feather duvet lung" pages; at most one page of
  any group is here).

## Extraction check

`--check` (below) runs trafilatura's `bare_extraction(html, with_metadata=True)`
on every page. With trafilatura 2.3.1 the origin, all reposts (the paragraphs
each one keeps) and all aggregator posts extract completely, without the
aggregator chrome, and with the intended dates. Known quirks:

- the albawaba.com repost has no date at all; trafilatura then reports
  `2000-01-01`, taken from the footer's "© 2000 - 2019";
- the mensagensreflexao.com.br page (JSONL) extracts about 4.5 times its short
  article (excerpts of the site's other posts come along);
- politifact.com misses one ground-truth paragraph, the "Our ruling" heading.

## Provenance and licence

- Real pages: the article-extraction benchmark published by Scrapinghub (now
  Zyte), <https://github.com/scrapinghub/article-extraction-benchmark>, MIT
  License, copied here as `LICENSE`. The pages were crawled in 2018-2019.
- Seed text: `{SEED_FILE}`, a real repost of the CNN article on a news
  aggregator, as text.

## Rebuilding

```
python benchmarks/build_sample_corpus.py --shared /work/shared/corpora --out sample_corpus
```

The build is deterministic; re-running it reproduces these files exactly.
Add `--check` to also run trafilatura on every page and report whether the
article text is extracted.
"""


# --------------------------------------------------------------------------
# Optional check with trafilatura
# --------------------------------------------------------------------------


def _iter_corpus(out: Path) -> Iterable[tuple[str, str, str | None]]:
    for path in sorted(out.rglob("*")):
        if path.name.endswith(".html"):
            yield str(path.relative_to(out)), path.read_text(encoding="utf-8"), None
        elif path.name.endswith(".html.gz"):
            yield str(path.relative_to(out)), gzip.decompress(path.read_bytes()).decode("utf-8"), None
        elif path.suffix == ".jsonl":
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                row = json.loads(line)
                yield f"{path.name} (line {i})", row["html"], row["url"]


def check(shared: Path, out: Path) -> int:
    """Extract every page with trafilatura and report how much of its expected article is found.

    Expected text: for the origin and the reposts, the seed paragraphs the page
    carries; for the other aggregator posts, their benchmark article; for real
    pages, their benchmark ``articleBody``.  A page is flagged POOR when a
    paragraph is missing or the extracted text is 1.5 times longer than
    expected.  Returns 1 if a synthetic page (origin, repost, aggregator post)
    is poor, else 0; poor real pages are only reported.
    """
    import trafilatura

    seed = load_seed(shared)
    pages = load_benchmark(shared)
    failed = 0
    for path, html, url in _iter_corpus(out):
        url = url or _og_url(html) or ""
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        text = (doc.text if doc is not None else "") or ""
        title = (doc.title if doc is not None else "") or ""
        date = (doc.date if doc is not None else "") or ""
        tkey = _key(_straight_quotes(text))
        synthetic = _domain(url) == AGG_DOMAIN or url == CNN_URL or url in {r.url for r in REPOSTS}
        if synthetic:
            vis = _key(_straight_quotes(visible_text(html)))
            want = [p for p in seed if _key(_straight_quotes(p)) in vis]
            if not want:  # other aggregator posts: their benchmark article
                want = next(
                    (p.paragraphs for p in pages.values() if all(_key(_straight_quotes(x)) in vis for x in p.paragraphs)),
                    [],
                )
        else:
            page = next((p for p in pages.values() if url in (p.url, _og_url(ensure_og_url(p.html, p.url)))), None)
            want = page.paragraphs if page else []
        found = sum(1 for p in want if _key(_straight_quotes(p)) in tkey)
        chars = sum(len(p) for p in want)
        ratio = len(text) / chars if chars else 0.0
        ok = bool(want) and found == len(want) and ratio < 1.5
        failed += int(synthetic and not ok)
        print(
            f"{'OK  ' if ok else 'POOR'} {path}\n"
            f"     paragraphs {found}/{len(want)}  extracted/expected chars {ratio:.2f}"
            f"  date={date!r}  title={title[:70]!r}"
        )
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/corpora"), help="shared corpora directory")
    ap.add_argument("--out", type=Path, default=Path("sample_corpus"), help="output directory")
    ap.add_argument("--check", action="store_true", help="run trafilatura on the result and report")
    args = ap.parse_args(argv)
    out: Path = args.out
    if out.exists():
        readme = out / "README.md"
        if any(out.iterdir()) and not (readme.exists() and readme.read_text(encoding="utf-8").startswith(GENERATED_MARK)):
            print(f"refusing to overwrite {out}: not a corpus made by this script", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    out.mkdir(parents=True)
    entries = build(args.shared, out)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {len(entries)} pages to {out} ({total / 1e6:.2f} MB)")
    if args.check:
        return check(args.shared, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
