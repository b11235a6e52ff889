"""Evidence of where a page's article came from, read once at extraction time.

Three kinds, each a small fact a person would point at:

- ``link``: a link in or right after the article whose text or context says
  it is the source ("Read the full article here", "Source: CNN",
  "Originally published at ...", "Continue reading at ...", "via ...");
- ``canonical``: ``<link rel=canonical>`` pointing to another site;
- ``credit``: a credit line naming another publisher ("CNN's Paul LeBlanc
  contributed to this report", "(Reuters) -", "(AP) —", "© The Associated
  Press", "This story was originally published by ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

LINK = "link"
CANONICAL = "canonical"
CREDIT = "credit"


@dataclass(frozen=True)
class Evidence:
    """One pointer from a page to the place its article came from."""

    kind: str
    url: str | None = None
    publisher: str | None = None
    text: str = ""


# Publishers that credit lines name in many spellings: canonical name and home sites.
PUBLISHERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ap": ("The Associated Press", ("apnews.com", "ap.org")),
    "associatedpress": ("The Associated Press", ("apnews.com", "ap.org")),
    "theassociatedpress": ("The Associated Press", ("apnews.com", "ap.org")),
    "reuters": ("Reuters", ("reuters.com",)),
    "thomsonreuters": ("Reuters", ("reuters.com",)),
    "afp": ("AFP", ("afp.com",)),
    "agencefrancepresse": ("AFP", ("afp.com",)),
    "cnn": ("CNN", ("cnn.com",)),
    "bbc": ("BBC", ("bbc.com", "bbc.co.uk")),
    "bbcnews": ("BBC", ("bbc.com", "bbc.co.uk")),
    "bloomberg": ("Bloomberg", ("bloomberg.com",)),
    "upi": ("UPI", ("upi.com",)),
    "pti": ("PTI", ("ptinews.com",)),
    "presstrustofindia": ("PTI", ("ptinews.com",)),
    "ians": ("IANS", ("ians.in",)),
    "ani": ("ANI", ("aninews.in",)),
    "dpa": ("dpa", ("dpa.com",)),
    "thenewyorktimes": ("The New York Times", ("nytimes.com",)),
    "newyorktimes": ("The New York Times", ("nytimes.com",)),
    "thewashingtonpost": ("The Washington Post", ("washingtonpost.com",)),
    "washingtonpost": ("The Washington Post", ("washingtonpost.com",)),
    "theguardian": ("The Guardian", ("theguardian.com",)),
    "foxnews": ("Fox News", ("foxnews.com",)),
    "nbcnews": ("NBC News", ("nbcnews.com",)),
    "cbsnews": ("CBS News", ("cbsnews.com",)),
}

# Sites that links point to for other reasons than the article's source: sharing, photos, video.
_NOT_SOURCES = ("gettyimages.com", "gettyimages.co.uk", "shutterstock.com", "alamy.com", "flickr.com", "wikimedia.org",
                "wikipedia.org", "imgur.com", "unsplash.com", "pexels.com", "apimages.com", "vimeo.com",
                "facebook.com", "twitter.com", "x.com", "linkedin.com", "reddit.com", "whatsapp.com", "pinterest.com",
           "t.me", "telegram.me", "instagram.com", "youtube.com", "tumblr.com", "flipboard.com", "mix.com",
           "getpocket.com", "google.com", "news.google.com")
_SKIP_ANCESTORS = {"nav", "header", "footer", "aside", "form", "select", "button"}

_NAME = r"([A-Z][\w&'’.\-]*(?:\s+(?:[A-Z][\w&'’.\-]*|of|the|and|de|du|la|le)){0,6})"
_SOURCE_ANCHOR = re.compile(
    r"^(?:read (?:the )?(?:full|original|entire|complete|whole|rest of the) (?:article|story|report|post)\b.*"
    r"|continue reading\b.*|keep reading\b.*|read more (?:at|on)\b.*|read (?:it|this|the story) (?:at|on)\b.*"
    r"|(?:the )?original (?:article|story|post|report)\b.*|view (?:the )?original\b.*|full (?:article|story)\b.*"
    r"|sources?\s*:?.*|originally (?:published|posted|appeared)\b.*|this (?:article|story|post) (?:first |originally )?appeared\b.*"
    r"|first (?:published|appeared)\b.*|republished (?:from|with)\b.*|reprinted (?:from|with)\b.*)$",
    re.IGNORECASE,
)
_SOURCE_CONTEXT = re.compile(
    r"(?:\bsources?|\bvia|originally (?:published|posted|appeared) (?:at|on|by|in)|first (?:appeared|published) (?:on|in|at|by)"
    r"|continue reading (?:at|on)|read (?:the )?(?:full|original|whole|complete|rest of the) (?:article|story|report) (?:at|on)"
    r"|read more (?:at|on)|courtesy(?: of)?|republished (?:from|with permission (?:from|of))"
    r"|reprinted (?:from|with permission (?:from|of))|this (?:article|story) (?:first )?appeared (?:on|in))\s*:?\s*$",
    re.IGNORECASE,
)
_ANCHOR_PUBLISHER = re.compile(r"(?:\b(?:at|on|in|by|from)\s+|^sources?\s*:\s*)" + _NAME + r"\s*\.?$", re.IGNORECASE)
_WIRES = ("Reuters", "AP", "AFP", "UPI", "CNN", "Bloomberg", "PTI", "IANS", "ANI", "dpa")
# Credit line patterns, each with the words it cannot match without: most texts have none of them,
# and testing for a word costs a fraction of running a pattern that may start at every capital letter.
_CREDIT_PATTERNS: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    (("contributed to this",), re.compile(_NAME + r"['’]s\s+[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+)*(?:,?\s+(?:and\s+)?[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+)*)*\s+contributed to this (?:report|story|article)")),
    (tuple(f"({name})" for name in _WIRES), re.compile(r"\((" + "|".join(_WIRES) + r")\)\s*[-–—:]")),
    (("©", "(c)", "Copyright"), re.compile(r"(?:©|\(c\)|Copyright)\s*(?:\d{4}\s+)?(The Associated Press|Associated Press|Reuters|AFP|Agence France-Presse|Bloomberg|Thomson Reuters)")),
    (tuple(f"{when} {verb}" for when in ("originally", "first") for verb in ("published", "posted", "appeared")),
     re.compile(r"(?:[Tt]his (?:story|article|post) (?:was|is) )?(?:originally|first) "
                r"(?:published|posted|appeared) (?:by|on|in|at)\s+" + _NAME)),
    (("appeared",), re.compile(r"[Tt]his (?:story|article|post) (?:first |originally )?appeared (?:on|in)\s+" + _NAME)),
    (("Source", "Courtesy of"), re.compile(r"(?m)^\s*(?:Source|Sources|Courtesy of)\s*:\s*" + _NAME + r"\s*\.?\s*$")),
    (("reading at", "reading on"), re.compile(r"(?:[Cc]ontinue|[Kk]eep) reading (?:at|on)\s+" + _NAME)),
]


def publisher_key(name: str) -> str:
    """Letters and digits of a publisher's name, lower-case: "The Associated Press" -> "theassociatedpress"."""
    return re.sub(r"[\W_]+", "", name.casefold())


def canonical_publisher(name: str) -> str:
    """The usual spelling of a publisher named in a credit line ("AP" -> "The Associated Press")."""
    name = " ".join(name.split()).strip(" .,:;-–—")
    known = PUBLISHERS.get(publisher_key(name))
    return known[0] if known else name


def publisher_sites(name: str) -> tuple[str, ...]:
    """Home sites of a well-known publisher; () when it is not in the table."""
    known = PUBLISHERS.get(publisher_key(name))
    return known[1] if known else ()


_ABSOLUTE_HOST = re.compile(r"^(?:https?:)?//([^/:?#\s]+)", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _site_of_host(host: str) -> str:
    return site_of(host)


def site_of(url_or_domain: str) -> str:
    """The registered site of a host: "edition.cnn.com" -> "cnn.com", "news.bbc.co.uk" -> "bbc.co.uk"."""
    host = url_or_domain
    if "/" in host:
        try:
            host = urlsplit(host).hostname or ""
        except ValueError:
            return ""
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"}:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@lru_cache(maxsize=65536)
def _not_a_source(site: str) -> bool:
    return any(site == s or site.endswith("." + s) for s in _NOT_SOURCES)


def same_publisher(site_a: str, site_b: str) -> bool:
    """Sites of one publisher: the same site, or the same name under another suffix (bbc.com, bbc.co.uk)."""
    return bool(site_a) and bool(site_b) and (site_a == site_b or site_a.split(".")[0] == site_b.split(".")[0])


def source_links(tree: object, page_url: str) -> list[Evidence]:
    """Links whose text or context says they lead to the article's source, to another site."""
    own = site_of(page_url)
    found: list[Evidence] = []
    seen: set[str] = set()
    for a in tree.iter("a"):  # type: ignore[attr-defined]
        href = (a.get("href") or "").strip()
        host = _ABSOLUTE_HOST.match(href)
        if host is None:  # relative links stay on the page's own site
            continue
        site = _site_of_host(host.group(1).lower())
        if not site or same_publisher(site, own) or _not_a_source(site):
            continue
        anchor = " ".join(a.text_content().split())
        before = _text_before(a)
        if not (_SOURCE_ANCHOR.match(anchor) or (_SOURCE_CONTEXT.search(before) and "share" not in before.lower())):
            continue
        if any(anc.tag in _SKIP_ANCESTORS for anc in a.iterancestors() if isinstance(anc.tag, str)):
            continue
        target = href if href.startswith("http") else urljoin(page_url, href)
        if target in seen:
            continue
        seen.add(target)
        publisher = None
        m = _ANCHOR_PUBLISHER.search(anchor)
        if m:
            publisher = canonical_publisher(m.group(1))
        elif _SOURCE_CONTEXT.search(before) and anchor and len(anchor) <= 60 and not _SOURCE_ANCHOR.match(anchor):
            publisher = canonical_publisher(anchor)
        context = f"{before} {anchor}".strip()[-200:]
        parts = urlsplit(target)
        if parts.path in ("", "/") and not parts.query:
            # a link to a site's home page credits a publisher, not an article
            found.append(Evidence(CREDIT, publisher=publisher or site, text=context))
        else:
            found.append(Evidence(LINK, url=target, publisher=publisher, text=context))
    return found


def _text_before(a: object) -> str:
    """The text right before the anchor in its block ("Source: ", "Originally published at "), at most 80 characters."""
    prev = a.getprevious()  # type: ignore[attr-defined]
    if prev is None:
        parent = a.getparent()  # type: ignore[attr-defined]
        text = (parent.text or "") if parent is not None else ""
    else:
        text = (prev.text_content() if isinstance(prev.tag, str) else "") + (prev.tail or "")
    return " ".join(text.split())[-80:]


def credits(text: str) -> list[Evidence]:
    """Publishers named in credit lines of the article text."""
    found: list[Evidence] = []
    seen: set[str] = set()
    for needles, pattern in _CREDIT_PATTERNS:
        if not any(needle in text for needle in needles):
            continue
        for m in pattern.finditer(text):
            name = canonical_publisher(m.group(1))
            key = publisher_key(name)
            if len(key) < 2 or key in seen or key in {"the", "our", "this", "his", "her", "their"}:
                continue
            seen.add(key)
            found.append(Evidence(CREDIT, publisher=name, text=" ".join(m.group(0).split())[:200]))
    return found


def canonical_elsewhere(page_url: str, canonical: str | None) -> list[Evidence]:
    """The page's canonical link when it names another site."""
    if canonical and canonical.startswith(("http://", "https://")) and not same_publisher(site_of(canonical), site_of(page_url)):
        return [Evidence(CANONICAL, url=canonical, text=f"canonical: {canonical}"[:200])]
    return []
