"""URLs as they are read: one spelling per page, and a key that joins one article's URLs on its own site.

Crawls record the same page under several spellings
(``https://www.site.com/a?utm_source=x``, ``https://www.site.com/a#top``,
``https://WWW.SITE.com:443/a``). :func:`normalize_url` gives the one spelling
that such variants share, without changing which page the URL names: only the
case of scheme and host, a default port, the fragment and tracking parameters
go. Readers keep the URL as crawled next to it.

:func:`same_article_url_key` goes further and joins the forms a site serves
one article under (``www.``/``m.``/``amp.`` hosts, AMP and print renderings,
``http`` and ``https``, a trailing slash); it is a matching key, not a URL.

Both are pure string work (no network, no DNS, no IDNA codec): a few
microseconds a URL. Neither raises on any ``str``.

Which query parameters are tracking
-----------------------------------
A parameter is removed only when its name is used for tracking on every site
that sends it, never when some site uses it to choose what the page shows.
The global list (:data:`TRACKING_PARAMETERS`, :data:`TRACKING_PREFIXES`) is
the union of

- Brave's query filter (brave-core ``components/query_filter/utils.cc``,
  ``kSimpleQueryStringTrackers``): per-user, per-email and per-click ids that
  Brave strips on every site;
- the campaign parameters of the ClearURLs ``globalRules`` whose names belong
  to one vendor (``utm_*``, ``mc_cid``, ``_ga``, ``fb_action_ids``, ...);
- Firefox's query-stripping list (``mc_eid``, ``oly_anon_id``, ``__s``,
  ``vero_id``, ``_hsenc``, ``mkt_tok``, ``fbclid``), which the two above
  strip too;

less every generic word. ClearURLs' broad patterns are not taken: its
``[a-z]?mc`` would remove ``mc=`` (a category) from entermedia.co.kr's
article URLs in the sample corpus. Names that are tracking on the sites that made them
famous but select content elsewhere are removed on those sites only
(:data:`SITE_TRACKING_PARAMETERS`): ``CMP`` is the Guardian's share tag but a
company or comparison key on job, stock and ERP sites (``?cmp=K02``,
``stock?cmp=AAPL``); ``ncid``/``ocid`` tag Yahoo/HuffPost/TechCrunch and MSN
links but are record ids in other applications. ``cmpid`` (a stock-report id
on some sites), ``cid``, ``icid``, ``ref``, ``source``, ``share`` (Jetpack's
``?share=twitter`` is a share action), ``id``, ``p``, ``page``, ``story``,
``article`` and ``q`` are never removed.

Parameter names are compared case-insensitively (``UTM_Source``, ``FBCLID``),
and a name that an un-decoded ``&amp;`` left as ``amp;utm_medium`` counts as
``utm_medium``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_URL_LENGTH",
    "SITE_TRACKING_PARAMETERS",
    "TRACKING_PARAMETERS",
    "TRACKING_PREFIXES",
    "is_tracking_parameter",
    "normalize_url",
    "same_article_url_key",
]

#: Longer URLs are returned unchanged: servers refuse request lines past ~8 KB,
#: so such a "URL" is junk or an attack, and scanning it is wasted time.
MAX_URL_LENGTH = 8192

#: Removed from every http(s) URL (lower-case; names compare case-insensitively).
TRACKING_PARAMETERS: frozenset[str] = frozenset({
    # Google Ads / Analytics / Shopping click ids and cross-domain linker
    "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "srsltid", "_ga", "_gl",
    # Microsoft Advertising
    "msclkid",
    # Meta (Facebook, Instagram)
    "fbclid", "fb_action_ids", "fb_action_types", "fb_source", "fb_ref",
    "action_object_map", "action_type_map", "action_ref_map", "igshid", "igsh",
    # X / Twitter, TikTok, LinkedIn
    "twclid", "__twitter_impression", "ttclid", "li_fat_id",
    # Yandex
    "yclid", "ysclid", "ymclid",
    # e-mail and marketing automation: Mailchimp, HubSpot, Marketo, Omeda,
    # Vero, Drip, MailerLite, Klaviyo, beehiiv, Squarespace, Salesforce
    # Marketing Cloud, Blueshift, ActiveCampaign, Oracle Eloqua/Responsys
    "mc_cid", "mc_eid",
    "_hsenc", "_hsmi", "__hsfp", "__hssc", "__hstc", "hsctatracking",
    "mkt_tok",
    "oly_anon_id", "oly_enc_id",
    "vero_id", "vero_conv",
    "__s",
    "ml_subscriber", "ml_subscriber_hash",
    "_kx",
    "_bhlid",
    "ss_email_id",
    "et_rid",
    "bsft_clkid", "bsft_uid",
    "vgo_ee",
    "oft_c", "oft_ck", "oft_d", "oft_id", "oft_ids", "oft_k", "oft_lk", "oft_sk",
    "sc_customer", "sc_eh", "sc_uid",
    # analytics and attribution: Adobe, AT Internet / Piano, Matomo / Piwik,
    # Webtrekk, Openstat, Echobox, Branch, Impact, Rakuten, Wicked Reports
    "s_cid",
    "at_medium", "at_campaign", "at_recipient_id", "at_recipient_list",
    "pk_campaign", "pk_kwd", "pk_keyword", "pk_source", "pk_medium", "pk_content", "pk_cid",
    "wt_mc", "wt_zmc",
    "_openstat",
    "echobox",
    "_branch_match_id", "_branch_referrer",
    "irclickid",
    "rb_clickid",
    "wickedid",
    "unicorn_click_id",
    # internal-campaign tags (ClearURLs globalRules)
    "itm_source", "itm_medium", "itm_campaign",
    # Yahoo consent redirect
    "guce_referrer", "guce_referrer_sig",
})

#: Every parameter whose (lower-cased) name starts with one of these is removed:
#: Google Analytics campaign tags, Matomo campaign tags, HubSpot ads tags.
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "mtm_", "hsa_")

#: Removed only on these sites and their subdomains: generic names that are
#: tracking there and select content elsewhere.
SITE_TRACKING_PARAMETERS: dict[str, frozenset[str]] = {
    # The Guardian's share / campaign tag: ?CMP=share_btn_tw, ?CMP=fb_gu
    "theguardian.com": frozenset({"cmp"}),
    "guardian.co.uk": frozenset({"cmp"}),
    "gu.com": frozenset({"cmp"}),
    # The New York Times share tags: ?smid=tw-share&smtyp=cur
    "nytimes.com": frozenset({"smid", "smtyp"}),
    # MSN: ?ocid=msedgntp&cvid=..., ?srcref=rss
    "msn.com": frozenset({"ocid", "cvid", "srcref"}),
    # Yahoo / AOL / HuffPost / TechCrunch / Engadget: ?ncid=rss, ?guccounter=1
    "yahoo.com": frozenset({"ncid", "guccounter"}),
    "aol.com": frozenset({"ncid", "guccounter"}),
    "huffpost.com": frozenset({"ncid", "guccounter"}),
    "huffingtonpost.com": frozenset({"ncid", "guccounter"}),
    "huffingtonpost.co.uk": frozenset({"ncid", "guccounter"}),
    "engadget.com": frozenset({"ncid", "guccounter"}),
    "techcrunch.com": frozenset({"ncid", "guccounter", "sr_share"}),
    # Dow Jones: the module a link was clicked in, ?mod=hp_lead_pos1
    "wsj.com": frozenset({"mod"}),
    "barrons.com": frozenset({"mod"}),
    "marketwatch.com": frozenset({"mod"}),
}

_DEFAULT_PORT = {"http": "80", "https": "443"}
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")
# C0 and C1 control characters and DEL: no parser agrees on what they mean.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_AUTHORITY_END_RE = re.compile(r"[/?#]")
_ASCII_HOST_RE = re.compile(r"[a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*\.?")
_USERINFO_RE = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,;=:]*")
_IPV6_RE = re.compile(r"\[[0-9a-f:.]+\]")
_ASCII_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")


def is_tracking_parameter(name: str, host: str = "") -> bool:
    """Is the query parameter ``name`` tracking (on ``host``, lower-case, when given)?"""
    key = name.lower()
    if key.startswith("amp;"):
        key = key[4:]
    if key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES):
        return True
    return bool(host) and key in _site_parameters(host)


def _site_parameters(host: str) -> frozenset[str]:
    """The site-scoped tracking names that apply to ``host`` (a registered domain or a subdomain of one)."""
    found: frozenset[str] = frozenset()
    start = 0
    while True:
        names = SITE_TRACKING_PARAMETERS.get(host[start:].rstrip("."))
        if names:
            found = found | names
        start = host.find(".", start) + 1
        if start == 0 or start >= len(host):
            return found


def _valid_host(host: str) -> bool:
    """A lower-cased host we can vouch for: a DNS name, an IPv4 or a bracketed IPv6 literal.

    Non-ASCII (IDN) hosts are accepted as given when every non-ASCII character
    is a letter, mark or digit and the host is NFKC-normal: full-width letters
    and dots, which IDNA would silently map to other characters, are refused.
    """
    if host.startswith("["):
        return _IPV6_RE.fullmatch(host) is not None
    if host.isascii():
        return _ASCII_HOST_RE.fullmatch(host) is not None
    if host.startswith(".") or ".." in host:
        return False
    for ch in host:
        if ch in _ASCII_HOST_CHARS:
            continue
        if ch.isascii() or unicodedata.category(ch)[0] not in "LMN":
            return False
    return unicodedata.is_normalized("NFKC", host)


def _parse(s: str) -> tuple[str, str, str, str, str, list[str] | None, str] | None:
    """Split a stripped http(s) URL into normalised parts, or None when it is not a URL we can vouch for.

    Returns (scheme, userinfo, host, port, path, query pieces or None, fragment
    to keep), with the host lower-cased, a default or empty port as ``""``,
    an empty path as ``"/"``, empty and tracking query pieces removed, and the
    fragment kept only when it is a ``#!`` route.
    """
    m = _SCHEME_RE.match(s)
    if m is None:
        return None
    scheme = m.group(1).lower()
    if scheme not in _DEFAULT_PORT or len(s) > MAX_URL_LENGTH:
        return None
    if s.isascii():
        if not s.isprintable() and _CONTROL_RE.search(s):
            return None
    else:
        if _CONTROL_RE.search(s):
            return None
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            return None

    rest = s[m.end():]
    end = _AUTHORITY_END_RE.search(rest)
    cut = end.start() if end else len(rest)
    authority, rest = rest[:cut], rest[cut:]

    userinfo, at, hostport = authority.rpartition("@")
    if userinfo and _USERINFO_RE.fullmatch(userinfo) is None:
        return None  # e.g. a backslash, which browsers read as the end of the host
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            return None
        host, port = hostport[: close + 1], hostport[close + 1:]
        if port and not port.startswith(":"):
            return None
        port = port[1:]
    else:
        host, _, port = hostport.partition(":")
    host = host.lower()
    if not host or not _valid_host(host):
        return None
    if port:
        if not (port.isascii() and port.isdigit()) or len(port) > 5 or int(port) > 65535:
            return None
        port = str(int(port))
        if port == _DEFAULT_PORT[scheme]:
            port = ""

    fragment = ""
    hash_at = rest.find("#")
    if hash_at >= 0:
        if rest.startswith("#!", hash_at):  # an AJAX route (#!/story/123) names the page
            fragment = rest[hash_at:]
        rest = rest[:hash_at]
    query: list[str] | None = None
    q_at = rest.find("?")
    if q_at >= 0:
        rest, raw = rest[:q_at], rest[q_at + 1:]
        query = []
        site = None
        for piece in raw.split("&"):
            if not piece:
                continue
            name = piece.partition("=")[0].lower()
            if name.startswith("amp;"):
                name = name[4:]
            if name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES):
                continue
            if site is None:
                site = _site_parameters(host)
            if name in site:
                continue
            query.append(piece)
    path = rest or "/"
    return scheme, (userinfo + at), host, port, path, query, fragment


def _join(scheme: str, userinfo: str, host: str, port: str, path: str, query: list[str] | None, fragment: str) -> str:
    out = f"{scheme}://{userinfo}{host}{':' + port if port else ''}{path}"
    if query:
        out += "?" + "&".join(query)
    return out + fragment


def normalize_url(url: str) -> str:
    """The one spelling of an http(s) URL that its crawl variants share; anything else unchanged.

    - scheme and host lower-cased (an IDN host stays as given, Unicode or
      ``xn--``, only lower-cased);
    - the default port dropped (``:80`` for http, ``:443`` for https), and an
      empty one (``site.com:/a``); other ports kept;
    - the fragment dropped, except a ``#!`` route, which selects the page on
      sites built on the AJAX-crawling scheme;
    - tracking query parameters removed (see the module docstring for the
      list and why), and empty pieces (``&&``); the other parameters stay in
      their order and their encoding; an empty ``?`` goes;
    - the path kept exactly (case, encoding, trailing slash), except that an
      empty path becomes ``/``.

    Surrounding whitespace is stripped. A string whose scheme is not
    ``http:`` or ``https:`` (any case) is returned exactly as given: file
    paths, ``warc:`` record ids, ``source#record``. An http(s) URL that cannot be
    parsed with confidence is returned stripped but otherwise unchanged: a
    bad host (``http://[oops/page``, full-width characters, spaces), a bad
    port, control characters, lone surrogates, or more than
    :data:`MAX_URL_LENGTH` characters. Never raises; idempotent.
    """
    return _normalize(url)[0]


def _normalize(url: str) -> tuple[str, tuple | None]:
    """:func:`normalize_url` and the parts of its result (None when the input was left as it was)."""
    if not isinstance(url, str):
        return url, None
    s = url.strip()
    if not s[:6].lower().startswith(("http:/", "https:")):
        return url, None
    parts = _parse(s)
    if parts is None:
        return s, None
    out = _join(*parts)
    # A piece or path that ended in whitespace only before a removed parameter
    # or fragment now ends the URL: strip and settle, so the result is a fixed point.
    while out[-1].isspace():
        s = out.rstrip()
        parts = _parse(s)
        if parts is None:
            return s, None
        out = _join(*parts)
    return out, parts


_ALIAS_LABELS = ("www.", "m.", "mobile.", "amp.")
_ALTERNATE_SEGMENTS = frozenset({"amp", "print"})
_ALTERNATE_PARAMETERS = frozenset({"amp", "print", "hs_amp"})
# AMP hosts that also put a folder in front of the article's path.
_AMP_HOST_FOLDERS = {"amp.cnn.com": "/cnn/"}


def same_article_url_key(url: str) -> str:
    """A key under which the URLs of one article on its own site are equal.

    It is used to recognise one article published at several URLs of its own
    site (an AMP copy, a print view, the mobile host), not to compare
    different sites: it is a matching key, not a URL to open. Starting from
    :func:`normalize_url` (so tracking parameters, fragment, default port and
    host case are already gone), it joins exactly these variants:

    - ``http`` and ``https``: the scheme is dropped;
    - the host labels ``www.``, ``m.``, ``mobile.`` and ``amp.`` at the start
      of the host, repeatedly while a dot remains (``amp.theguardian.com``,
      ``m.cnn.com``, ``www.m.site.com`` are ``theguardian.com``, ``cnn.com``,
      ``site.com``);
    - AMP renderings: a path segment ``amp`` anywhere (``/a/amp``,
      ``/a/amp/``, ``/amp/a``, ``/news/amp/a``), ``.amp`` at the end of the
      last segment (``/a.amp``) or before its extension (``/a.amp.html``),
      the query parameters ``amp`` (``?amp``, ``?amp=1``, ``?amp=y``, any
      value), ``hs_amp`` (HubSpot's ``?hs_amp=true``) and ``outputType=amp``;
      and CNN's AMP host folder (``amp.cnn.com/cnn/2019/...`` is
      ``cnn.com/2019/...``);
    - print renderings: a path segment ``print`` anywhere (``/a/print``) and
      the query parameter ``print`` (``?print``, ``?print=1``, ``print=true``,
      any value);
    - trailing slashes: ``/a/`` and ``/a`` (and a bare host with ``/``);
    - letter case everywhere, path and query included.

    Everything else still tells URLs apart: other query parameters (``?id=1``
    and ``?id=2``, ``?p=2``) in their order, ports, other paths, other hosts
    and subdomains (``edition.cnn.com`` is not ``cnn.com``), ``index.html``
    against its folder. A string :func:`normalize_url` leaves unchanged
    because it is not an http(s) URL or cannot be parsed is its own key
    (stripped), so it joins nothing.
    """
    n, parts = _normalize(url)
    if parts is None:
        return n.strip() if isinstance(n, str) else n
    _, userinfo, host, port, path, query, fragment = parts

    folder = _AMP_HOST_FOLDERS.get(host)
    if folder and path.startswith(folder):
        path = path[len(folder) - 1:]
    while host.startswith(_ALIAS_LABELS):
        shorter = host.partition(".")[2]
        if "." not in shorter.rstrip("."):
            break
        host = shorter

    segments = [seg for seg in path.lower().split("/") if seg not in _ALTERNATE_SEGMENTS]
    for i in range(len(segments) - 1, -1, -1):
        if segments[i]:
            last = segments[i]
            if last.endswith(".amp") and len(last) > 4:
                segments[i] = last[:-4]
            elif ".amp." in last[1:]:
                head, _, ext = last.rpartition(".amp.")
                if head:
                    segments[i] = f"{head}.{ext}"
            break
    path = "/".join(segments).rstrip("/")

    kept = []
    for piece in query or ():
        piece = piece.lower()
        name, _, value = piece.partition("=")
        if name in _ALTERNATE_PARAMETERS or (name == "outputtype" and value == "amp"):
            continue
        kept.append(piece)
    key = f"{userinfo.lower()}{host}{':' + port if port else ''}{path}"
    if kept:
        key += "?" + "&".join(kept)
    return key + fragment.lower()


def is_rendering(url: str) -> bool:
    """Whether ``url`` is another rendering of a page (AMP, print, a mobile host), by the rules of
    :func:`same_article_url_key`: its key differs from its plain form (scheme and a leading ``www.``
    dropped, no trailing slash, lower case). The page itself and unparseable strings are not.
    """
    n, parts = _normalize(url)
    if parts is None:
        return False
    _, userinfo, host, port, path, query, fragment = parts
    if host.startswith("www.") and "." in host[4:].rstrip("."):
        host = host[4:]
    plain = f"{userinfo.lower()}{host}{':' + port if port else ''}{path.lower().rstrip('/')}"
    if query:
        plain += "?" + "&".join(piece.lower() for piece in query)
    return plain + fragment.lower() != same_article_url_key(url)
