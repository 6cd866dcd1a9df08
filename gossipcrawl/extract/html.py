"""Bytes -> text -> lxml tree, the same way for a crawl and for `gossipcrawl extract`."""

from __future__ import annotations

import lxml.html
from lxml import etree
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
)

from gossipcrawl.extract.index import PageIndex

# Bytes that never occur in text: a body full of them is binary served as HTML.
_BINARY_BYTES = bytes(range(9)) + bytes(range(14, 32))


class NotHtml(ValueError):
    """The body cannot be read as an HTML document (empty, binary, unparseable)."""


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode a response body: BOM, then HTTP charset, then `<meta charset>`, then a guess.

    UTF-16 without a BOM and mislabelled pages are the cases that matter in practice;
    w3lib.encoding does the ordering and the windows-1252-for-latin-1 mapping.
    """
    _check_text(body)
    return _decode(body, content_type)


def _decode(body: bytes, content_type: str | None) -> str:
    """`decode_html` of a body `_check_text` has passed."""
    if read_bom(body)[0] is None:
        sample = body[:4096]
        if sample.count(b"\x00") > len(sample) // 4:
            # UTF-16 without a BOM: every other byte of ASCII markup is NUL, and no
            # declared charset can be right about it.
            codec = _utf16_codec(sample)
            if codec is None:
                raise NotHtml("binary data, not text")
            return body[: len(body) // 2 * 2].decode(codec, errors="replace")
    encoding, text = html_to_unicode(content_type, body)
    if encoding.replace("_", "-").lower().startswith(("utf-16", "utf-32")) and \
            read_bom(body)[0] is None:
        # Declared UTF-16/32, yet ASCII markup without NUL bytes: the HTML standard reads a
        # declared UTF-16 as UTF-8, and so do browsers.
        text = body.decode("utf-8", errors="replace")
    return text


def _check_text(body: bytes) -> None:
    """Raise NotHtml for an empty body or binary data (not UTF-16, which has NULs)."""
    if not body or not body.strip():
        raise NotHtml("empty body")
    sample = body[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        return   # UTF-16 without a BOM, or binary: `decode_html` tells them apart
    controls = sum(sample.count(bytes([byte])) for byte in _BINARY_BYTES)
    if controls > len(sample) // 10:
        raise NotHtml("binary data, not text")


def parse_document(body: bytes, content_type: str | None = None) -> lxml.html.HtmlElement:
    """`parse_html(decode_html(body, content_type))`, for a page's bytes. A body that is
    UTF-8 (declared so, or not declared at all) and valid goes to the parser as it is: the
    text `decode_html` would give is those very bytes, decoded only to be encoded again."""
    _check_text(body)
    declared = read_bom(body)[0] or http_content_type_encoding(content_type or "") \
        or html_body_declared_encoding(body)
    if declared not in (None, "utf-8") or b"\x00" in body:
        return parse_html(_decode(body, content_type))
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return parse_html(_decode(body, content_type))
    return _parse(body, _UTF8_PARSER)


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
    data: bytes | str
    try:
        data, parser = text.encode("utf-8"), _UTF8_PARSER
    except UnicodeEncodeError:  # lone surrogates: only lxml's own str path takes them
        data, parser = text, _PARSER
    return _parse(data, parser)


def _parse(data: bytes | str, parser: etree.HTMLParser) -> lxml.html.HtmlElement:
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise NotHtml(f"unparseable HTML: {exc}") from None
    if root is None:
        raise NotHtml("no HTML document")
    return root


def page_index(root: lxml.html.HtmlElement) -> PageIndex:
    """A new `PageIndex` of this tree. Extractors share the one their page's `ParsedPage`
    holds (`gossipcrawl.extract.page`); this builds another, for callers without one."""
    return PageIndex(root)
