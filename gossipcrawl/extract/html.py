"""Bytes -> text -> lxml tree, the same way for a crawl and for `gossipcrawl extract`."""

from __future__ import annotations

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


_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False,
                               collect_ids=False, default_doctype=False)


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse decoded HTML into an lxml tree; raises NotHtml when nothing usable comes out."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    # lxml refuses str input with an XML encoding declaration; a declaration at the top is
    # meaningless once decoded.
    if text.lstrip().startswith("<?xml"):
        text = text[text.find("?>") + 2:]
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise NotHtml(f"unparseable HTML: {exc}") from None
    if root is None:
        raise NotHtml("no HTML document")
    return root
