"""Bytes -> text -> lxml tree, the same way for a crawl and for `gossipcrawl extract`."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode, read_bom

# Bytes that never occur in text: a body full of them is binary served as HTML.
_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))


class NotHtml(ValueError):
    """The body cannot be read as an HTML document (empty, binary, unparseable)."""


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode a response body: BOM, then HTTP charset, then `<meta charset>`, then a guess.

    UTF-16 without a BOM and mislabelled pages are the cases that matter in practice;
    w3lib.encoding does the ordering and the windows-1252-for-latin-1 mapping.
    """
    if not body or not body.strip():
        raise NotHtml("empty body")
    if read_bom(body)[0] is None:
        sample = body[:4096]
        if sample.count(b"\x00") > len(sample) // 4:
            # UTF-16 without a BOM: every other byte of ASCII markup is NUL, and no
            # declared charset can be right about it.
            codec = _utf16_codec(sample)
            if codec is None:
                raise NotHtml("binary data, not text")
            return body[: len(body) // 2 * 2].decode(codec, errors="replace")
        controls = sum(sample.count(bytes([byte])) for byte in _BINARY_BYTES)
        if controls > len(sample) // 10:
            raise NotHtml("binary data, not text")
    encoding, text = html_to_unicode(content_type, body)
    if encoding.replace("_", "-").lower().startswith(("utf-16", "utf-32")) and \
            read_bom(body)[0] is None:
        # Declared UTF-16/32, yet ASCII markup without NUL bytes: the HTML standard reads a
        # declared UTF-16 as UTF-8, and so do browsers.
        text = body.decode("utf-8", errors="replace")
    return text


def _utf16_codec(sample: bytes) -> str | None:
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample[: len(sample) // 2 * 2].decode(codec)
        except UnicodeDecodeError:
            continue
        if "<" in text and sum(ch.isprintable() or ch.isspace() for ch in text) > 0.9 * len(text):
            return codec
    return None


def _html_parser(encoding: str | None = None) -> etree.HTMLParser:
    """lxml.html's parser, giving the same element classes (`HtmlElement`, `FormElement`,
    `InputElement`...), but looked up in C: lxml.html's own lookup is a Python method
    called for every element proxy, a large share of the cost of walking a tree."""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False,
                              collect_ids=False, default_doctype=False, encoding=encoding)
    lookup = etree.ElementNamespaceClassLookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    lookup.get_namespace(None).update({
        "form": lxml.html.FormElement, "input": lxml.html.InputElement,
        "select": lxml.html.SelectElement, "textarea": lxml.html.TextareaElement,
        "label": lxml.html.LabelElement})
    parser.set_element_class_lookup(lookup)
    return parser


_PARSER = _html_parser()
# The decoded text is handed to libxml2 as UTF-8 bytes: lxml passes a `str` with any
# character beyond Latin-1 (most pages: curly quotes) as UTF-16 or UCS-4, which libxml2
# converts more slowly than it reads UTF-8. Same document, same tree.
_UTF8_PARSER = _html_parser("utf-8")


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse decoded HTML into an lxml tree; raises NotHtml when nothing usable comes out."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    # lxml refuses str input with an XML encoding declaration; a declaration at the top is
    # meaningless once decoded.
    if text.lstrip().startswith("<?xml"):
        text = text[text.find("?>") + 2:]
    try:
        data, parser = text.encode("utf-8"), _UTF8_PARSER
    except UnicodeEncodeError:  # lone surrogates: only lxml's own str path takes them
        data, parser = text, _PARSER
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise NotHtml(f"unparseable HTML: {exc}") from None
    if root is None:
        raise NotHtml("no HTML document")
    return root


# --- what the extractors find once per page ---------------------------------------------

_pages: list = []  # (root, cache) of the last few pages, newest first


def page_cache(root) -> dict:
    """A dict that lives with the page's tree while it is one of the last few asked about:
    where extractors keep what they find once per page and share (a scan, an index).

    Extractors never modify the tree, so nothing in it goes stale.
    """
    for seen, cache in _pages:
        if seen is root:
            return cache
    cache: dict = {}
    _pages.insert(0, (root, cache))
    del _pages[2:]
    return cache


# What extractors look elements up by, gathered in one walk of the tree: libxml2 walks the
# whole document again for every `//…` XPath (about 0.2 ms a page each), and the dozen the
# extractors need cost several times this one walk.
_INDEXED_TAGS = frozenset({"title", "base", "meta", "link", "script", "form", "label", "a",
                           "fb:comments", "amp-facebook-comments"})
_INDEXED_ATTRIBUTES = frozenset({
    "class", "id",                        # metadata signals, comment marks, ids
    "itemprop", "property", "itemtype",   # microdata and RDFa
    "aria-label",                         # labelled breadcrumb trails
    # comment ids and counts, OpenWeb embeds (gossipcrawl.extract.comment_*)
    "data-comment-id", "data-commentid", "data-comments-count", "data-comment-count",
    "data-spotim-module", "data-openweb-module", "data-spot-id",
})


class PageIndex:
    """The elements of one page that extractors start from, in page order."""

    def __init__(self, root):
        tags: dict[str, list] = {tag: [] for tag in _INDEXED_TAGS}
        # Filtered by tag in C: only the elements asked for get a Python object here.
        for element in root.iter(*_INDEXED_TAGS):
            tags[element.tag].append(element)
        named: dict[str, list] = {name: [] for name in _INDEXED_ATTRIBUTES}
        attributes: list[tuple] = []
        for element in root.iter(etree.Element):
            for name, value in element.items():
                found = named.get(name)
                if found is not None:
                    entry = (element, name, value)
                    found.append(entry)
                    attributes.append(entry)
        self._tags = tags
        self._attributes = attributes
        self._by_names: dict[tuple, list] = {(name,): entries for name, entries in named.items()}
        self._matching: dict[tuple, list] = {}
        self._ids: dict[str, object] | None = None

    def tagged(self, tag: str) -> list:
        """Every element of one of `_INDEXED_TAGS`, in page order (callers never modify it)."""
        return self._tags[tag]

    def attributes(self, *names: str) -> list[tuple]:
        """`(element, name, value)` for each of these `_INDEXED_ATTRIBUTES` on the page, in
        page order (callers never modify it)."""
        found = self._by_names.get(names)
        if found is None:
            wanted = frozenset(names)
            found = self._by_names[names] = [entry for entry in self._attributes
                                             if entry[1] in wanted]
        return found

    def matching(self, pattern: re.Pattern, *names: str) -> list[tuple]:
        """The `attributes(*names)` whose lower-cased value `pattern` finds something in.

        Pages repeat their class names (half the values are repeats): each distinct value
        is searched once."""
        key = (pattern, names)
        found = self._matching.get(key)
        if found is None:
            search, verdicts = pattern.search, {}
            found = self._matching[key] = []
            for entry in self.attributes(*names):
                value = entry[2]
                hit = verdicts.get(value)
                if hit is None:
                    hit = verdicts[value] = search(value.lower()) is not None
                if hit:
                    found.append(entry)
        return found

    def by_id(self, ident: str):
        """The first element with this id, else None (the parser does not collect ids)."""
        if self._ids is None:
            self._ids = {}
            for element, _, value in self.attributes("id"):
                self._ids.setdefault(value, element)
        return self._ids.get(ident)


def page_index(root) -> PageIndex:
    """The page's `PageIndex`, built on the first question about the page."""
    cache = page_cache(root)
    index = cache.get("index")
    if index is None:
        index = cache["index"] = PageIndex(root)
    return index
