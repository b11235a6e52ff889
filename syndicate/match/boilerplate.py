"""Site template lines: text that recurs on several pages of one site is not the article.

Extraction keeps some of a site's chrome (newsletter pitches, "DON'T MISS"
teasers, cookie notices, bylines). Those lines recur across the site's pages,
so two articles on one template share them and a copy on a new template
gains them. When a pair is verified, such lines are set aside:

- same site: lines that also appear on a third page of the site are template,
  not shared article text;
- different sites: a line that recurs on its own site and is absent from the
  other page is chrome, not a difference between the articles; a line that
  recurs on three pages or more of *each* site is chrome both sites share (a
  network's footer, one consent platform's notice, a wall), not shared
  article text. A story syndicated to both sites is on one page of each (or
  two, with an AMP copy), so its lines are kept.

The table ``site_lines`` (site, line_hash, pages) counts, per site, the pages
on which each distinct line appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import xxhash

from ..text import tokens


SHARED_CHROME_PAGES = 3
"""A line on this many pages of each of two sites is chrome they share, not an article they share."""


def line_hash(line: str) -> int:
    """Hash of a line's tokens: case, punctuation and spacing do not matter."""
    return xxhash.xxh3_64_intdigest(" ".join(tokens(line)).encode("utf-8"))


@dataclass(frozen=True)
class PageLines:
    """A stored article as verification sees it: its site and its lines with their hashes."""

    site: str
    lines: tuple[str, ...]
    hashes: tuple[int, ...]
    title: str | None = None
    article_key: str = ""  # equal for the URL variants of one article on its site (Article.article_key)

    @classmethod
    def of(cls, site: str, text: str, stream: bytes | None = None, title: str | None = None,
           article_key: str = "") -> "PageLines":
        """The page's non-blank lines and their hashes.

        With the text's token stream (:attr:`Article.stream`), whose lines are
        the lines' tokens, the hashes come from it without tokenising again.
        """
        raw = (text or "").split("\n")
        lines = tuple(line for line in raw if line.strip())
        if stream is not None and len(lines) == len(raw):  # one stream line per text line
            tokenised = stream.split(b"\n")
            if len(tokenised) == len(lines):
                return cls(site, lines, tuple(map(xxhash.xxh3_64_intdigest, tokenised)), title, article_key)
        return cls(site, lines, tuple(line_hash(line) for line in lines), title, article_key)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def distinct(self) -> set[int]:
        return set(self.hashes)


def without_template(a: PageLines, b: PageLines, pages: Mapping[tuple[str, int], int]) -> tuple[str, str]:
    """The two texts with their site template lines set aside, for comparing a with b.

    ``pages`` maps (site, line_hash) to the number of stored pages of that site
    carrying the line. Pages without a known site keep all their lines.
    """
    ha, hb = a.distinct(), b.distinct()
    if a.site and a.site == b.site:
        def template(h: int) -> bool:  # also on a page other than these two
            return pages.get((a.site, h), 0) - (h in ha) - (h in hb) >= 1

        return _keep(a, lambda h: not template(h)), _keep(b, lambda h: not template(h))
    if not (a.site and b.site):
        keep_a = (lambda h: h in hb or pages.get((a.site, h), 0) < 2) if a.site else (lambda h: True)
        keep_b = (lambda h: h in ha or pages.get((b.site, h), 0) < 2) if b.site else (lambda h: True)
        return _keep(a, keep_a), _keep(b, keep_b)

    def chrome_of_both(h: int) -> bool:
        return pages.get((a.site, h), 0) >= SHARED_CHROME_PAGES and pages.get((b.site, h), 0) >= SHARED_CHROME_PAGES

    def keep_a(h: int) -> bool:
        return (h in hb and not chrome_of_both(h)) or pages.get((a.site, h), 0) < 2

    def keep_b(h: int) -> bool:
        return (h in ha and not chrome_of_both(h)) or pages.get((b.site, h), 0) < 2

    return _keep(a, keep_a), _keep(b, keep_b)


def _keep(page: PageLines, keep: Callable[[int], bool]) -> str:
    return "\n".join(line for line, h in zip(page.lines, page.hashes) if keep(h))
