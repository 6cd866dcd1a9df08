"""Which links point at the page itself: its canonical URL, og:url, AMP twin, or a bare
fragment. Comment counts ("View all 5 comments" to `#comments`) and bylines ("42
comments" is no author) ask it, once per page through `ParsedPage.shared`."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from gossipcrawl.extract.dom import in_document_order
from gossipcrawl.extract.page import ParsedPage


def page_urls(page: ParsedPage) -> PageUrls:
    return page.shared(PageUrls)


class PageUrls:
    """Which links point at this page (canonical, og:url, amphtml, or a bare fragment);
    the page's own URLs are read on the first question."""

    def __init__(self, page: ParsedPage):
        self.index = page.index  # not the page, which keeps this object: no cycle
        self._keys: set[str] | None = None
        self._base = ""

    def _read(self) -> None:
        self._keys = set()
        index = self.index
        # `<link rel=canonical|amphtml href>` and `<meta property=og:url content>`.
        found = [el for el in index.tagged("link")
                 if el.get("rel") in ("canonical", "amphtml") and el.get("href") is not None]
        found += [el for el in index.tagged("meta")
                  if el.get("property") == "og:url" and el.get("content") is not None]
        for el in in_document_order(found):
            value = (el.get("href") or el.get("content") or "").strip()
            if value:
                self._keys.add(_url_key(value))
                self._base = self._base or value

    @property
    def keys(self) -> set[str]:
        if self._keys is None:
            self._read()
        return self._keys or set()

    @property
    def base(self) -> str:
        if self._keys is None:
            self._read()
        return self._base

    def is_self(self, href: str) -> bool:
        target = href.strip().split("#", 1)[0]
        if not target:
            return True
        return _url_key(urljoin(self.base, target)) in self.keys

    def links_elsewhere(self, el: HtmlElement) -> bool:
        links = [a for a in el.iter("a")] + [a for a in el.iterancestors("a")]
        return any(a.get("href") and not self.is_self(a.get("href")) for a in links)


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")).lower()
