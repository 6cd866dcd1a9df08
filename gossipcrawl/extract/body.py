"""The article text of a page: paragraphs and subheadings in order, boilerplate left out.

Three steps, none of which changes the shared tree:

1. Weigh: every paragraph-like piece of text (a `<p>`, a `<pre>`, a run of text written
   directly in a `<div>` or `<td>`) gets a weight, its non-link text length, and each
   element is credited with the weight of the text it contains.
2. Choose the container: walk down from `<body>` into the child that holds most of the
   remaining weight while it holds nearly all of it; page regions (navigation, sidebars,
   comment threads, footers) do not count. A container the CMS names as the article body
   (`itemprop=articleBody`, `entry-content`, `article-body`, ...) is preferred when it holds
   most of the chosen text, and JSON-LD `articleBody` breaks ties.
3. Collect blocks inside the container, skipping boilerplate subtrees by tag and by
   class/id words, then drop blocks that are boilerplate by their text (link lists,
   "Also read:", pull quotes repeating the text, a repeated headline) and split the rest
   into sections at the subheadings.
"""

from __future__ import annotations

import re

from lxml import etree

from gossipcrawl.extract.boilerplate import (
    ARTICLE,
    BOILERPLATE_LINE,
    DATELINE,
    END_HEADING,
    HARD,
    REGION_SKIP_TAGS,
    SOFT,
    WEAK,
    SKIP_TAGS,
    attr_kind,
    is_hidden,
)

__all__ = ["extract_sections", "sections_to_text"]

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that end a line of text: everything else is inline and joins its neighbours.
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "dl",
    "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "caption", "figure", "address",
    "center", "details", "summary", "hr", "body", "html", "hgroup", "h1", "h2", "h3", "h4",
    "h5", "h6", "td", "th",
}) | SKIP_TAGS
# Elements whose own text (not through a child block) makes a paragraph-like unit.
_TEXT_HOLDERS = "div", "td", "section", "article", "main", "center", "font", "span", "dd"

# The container is the deepest element holding this share of its parent's content weight.
DOMINANCE = 0.8
# A CMS-named article container must hold this share of the generic container's weight.
CMS_SHARE = 0.6
MIN_UNIT_CHARS = 25

_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_BREAK = "\x00"  # marks a <br> in collected text


def _clean(text: str) -> str:
    return " ".join(text.translate(_INVISIBLE).split())


# --- step 1: weigh ----------------------------------------------------------------------

def _unit_weight(text_len: int, link_len: int) -> float:
    own = text_len - link_len
    if own <= 0 or link_len > 0.5 * text_len:
        return 0.0
    if text_len < MIN_UNIT_CHARS:
        return own * 0.2
    return float(own)


_LINK_TEXT = etree.XPath("string-length(normalize-space(string(.)))")
_DIRECT_TEXT = etree.XPath(
    "./text()[string-length(normalize-space(.)) >= $n]", smart_strings=False)


def _teaser_factor(el) -> float:
    """How much a unit counts given where it sits: text in list items and in boxes headed
    by a link (teasers of other stories) counts little."""
    factor = 1.0
    depth = 0
    for anc in el.iterancestors():
        depth += 1
        if depth > 4:
            break
        if anc.tag == "li":
            return 0.25
        if depth <= 2 and _has_linked_heading(anc):
            factor = 0.25
    return factor


_linked_heading_cache: dict = {}


def _has_linked_heading(el) -> bool:
    known = _linked_heading_cache.get(el)
    if known is None:
        known = False
        for child in el:
            tag = child.tag
            if tag in HEADINGS:
                if child.find("a") is not None and len(child) == 1 and \
                        not (child.text or "").strip():
                    known = True
                    break
            elif tag == "a" and any(c.tag in HEADINGS for c in child):
                known = True
                break
        _linked_heading_cache[el] = known
    return known


def _weigh(body) -> tuple[dict, dict]:
    """(total weight under each element, weight of units that are the element itself)."""
    total: dict = {}
    unit: dict = {}
    _linked_heading_cache.clear()

    def credit(el, weight: float) -> None:
        weight *= _teaser_factor(el)
        unit[el] = unit.get(el, 0.0) + weight
        total[el] = total.get(el, 0.0) + weight
        for anc in el.iterancestors():
            total[anc] = total.get(anc, 0.0) + weight

    for p in body.iter("p", "pre"):
        text_len = len(_clean(p.text_content()))
        if not text_len:
            continue
        link_len = 0
        for a in p.iter("a"):
            link_len += len(_clean(a.text_content()))
        weight = _unit_weight(text_len, link_len)
        if weight:
            credit(p, weight)

    # Text written straight into containers (old themes: paragraphs split by <br><br>).
    for el in body.iter(_TEXT_HOLDERS):
        pieces = _DIRECT_TEXT(el, n=MIN_UNIT_CHARS)
        if pieces:
            holder = el
            while holder.tag not in BLOCK_TAGS or holder.tag in ("span", "font"):
                parent = holder.getparent()
                if parent is None:
                    break
                holder = parent
            credit(holder, float(sum(len(_clean(t)) for t in pieces)))
    _linked_heading_cache.clear()
    return total, unit


# --- step 2: choose the container -------------------------------------------------------

_REGION_ROLES = frozenset({"navigation", "complementary", "contentinfo", "banner", "search",
                           "dialog", "alertdialog", "menu", "menubar", "toolbar"})


def _region_level(el) -> int:
    """HARD or SOFT for a region of the page that is not the article, else NEUTRAL."""
    if el.tag in REGION_SKIP_TAGS or el.get("role") in _REGION_ROLES:
        return SOFT
    level = attr_kind(el)
    return level if level in (SOFT, HARD) else 0


def _descend(body, total: dict, unit: dict):
    """Walk down into the child holding nearly all the content weight of its level."""
    node = body
    while True:
        content, soft = [], []
        for child in node:
            w = total.get(child)
            if not w:
                continue
            level = _region_level(child)
            if level == HARD:
                continue
            (soft if level == SOFT else content).append((w, child))
        # A region that outweighs all the content beside it is a wrapper with a bad name.
        biggest_soft = max(soft, key=lambda pair: pair[0], default=(0.0, None))
        content_w = sum(w for w, _ in content)
        if biggest_soft[1] is not None and 4 * content_w < biggest_soft[0]:
            content.append(biggest_soft)
            content_w += biggest_soft[0]
        if not content:
            return node
        best_w, best = max(content, key=lambda pair: pair[0])
        keep = unit.get(node, 0.0) + content_w
        if best_w < DOMINANCE * keep or best.tag in ("p", "pre"):
            return node
        node = best


_CMS_CONTAINER = etree.XPath(
    "//*[@itemprop='articleBody' or @itemprop='articlebody' or @property='articleBody'"
    " or @data-testid='article-body' or @data-component='article-body']")


def _choose_container(root, body, total: dict, unit: dict, jsonld_body: str | None):
    chosen = _descend(body, total, unit)
    chosen_w = total.get(chosen, 0.0)
    # A container the CMS marks as the article body (itemprop=articleBody, entry-content,
    # article-body...) wins when it holds a good part of the text the generic walk found.
    candidates = [(total.get(el, 0.0), el) for el in _CMS_CONTAINER(root)]
    for el in body.iter("div", "section", "article", "main", "td", "span"):
        if attr_kind(el) == ARTICLE:
            candidates.append((total.get(el, 0.0), el))
    candidates = [(w, el) for w, el in candidates if w >= CMS_SHARE * chosen_w and w > 0]
    if not candidates:
        return chosen
    best_w, best = max(candidates, key=lambda pair: pair[0])
    # Nested candidates (article-body > article-body__text): the deepest that holds nearly
    # all the weight is the most precise.
    for w, el in candidates:
        if w >= 0.9 * best_w and el is not best and _contains(best, el):
            best, best_w = el, w
    return best


def _contains(outer, inner) -> bool:
    if outer is inner:
        return True
    for anc in inner.iterancestors():
        if anc is outer:
            return True
    return False


# --- step 3: collect blocks -------------------------------------------------------------

class _Block:
    __slots__ = ("kind", "text", "link_len", "quote", "li", "h1")

    def __init__(self, kind: str, text: str, link_len: int, quote: bool, li: bool,
                 h1: bool = False):
        self.kind = kind      # "h" for a subheading, "p" for a paragraph
        self.h1 = h1          # an <h1>: a title more often than a subheading
        self.text = text
        self.link_len = link_len
        self.quote = quote    # inside a <blockquote>
        self.li = li          # a list item


class _Collector:
    """Walks the container once, skipping boilerplate, and cuts its text into blocks."""

    def __init__(self, total: dict, container_weight: float):
        self.total = total
        self.container_weight = container_weight
        self.blocks: list[_Block] = []
        self.parts: list[str] = []
        self.link_len = 0
        self.kinds: list[str] = ["p"]
        self.quote = 0
        self.li = 0
        self.in_link = 0

    def flush(self) -> None:
        if not self.parts:
            return
        text = "".join(self.parts)
        self.parts = []
        link_len, self.link_len = self.link_len, 0
        kind = self.kinds[-1]
        h1 = kind == "h1"
        if h1:
            kind = "h"
        quote, li = self.quote > 0, self.li > 0
        pieces = text.split(_BREAK) if _BREAK in text else (text,)
        if len(pieces) > 1:
            pieces = _split_breaks(pieces)
        for piece in pieces:
            piece = _clean(piece)
            if piece:
                share = min(len(piece), link_len) if len(pieces) == 1 else \
                    int(link_len * len(piece) / max(1, len(text)))
                self.blocks.append(_Block(kind, piece, share, quote, li, h1))

    def skip(self, el, tag: str) -> bool:
        if tag in SKIP_TAGS:
            # A <header> or <aside> that holds most of the text is a wrapper, not a box.
            if tag in ("header", "aside", "footer", "section") and \
                    self.total.get(el, 0.0) > 0.5 * self.container_weight:
                return False
            return True
        if is_hidden(el):
            return True
        if el.get("role") in _REGION_ROLES:
            return True
        level = attr_kind(el)
        if level == HARD:
            return True
        if level in (WEAK, SOFT):
            return self.total.get(el, 0.0) <= 0.5 * self.container_weight
        return False

    def walk(self, el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):  # comment or processing instruction
                if child.tail:
                    self.add_text(child.tail)
                continue
            if self.skip(child, tag):
                if child.tail:
                    self.add_text(child.tail)
                continue
            if tag == "br":
                self.parts.append(_BREAK)
            elif tag in BLOCK_TAGS:
                self.block(child, tag)
            else:
                if tag == "a":
                    self.in_link += 1
                if child.text:
                    self.add_text(child.text)
                self.walk(child)
                if tag == "a":
                    self.in_link -= 1
                elif tag in ("td", "th"):
                    self.parts.append(" ")
            if child.tail:
                self.add_text(child.tail)

    def block(self, el, tag: str) -> None:
        self.flush()
        if tag in HEADINGS:
            self.kinds.append("h1" if tag == "h1" else "h")
        elif tag in ("li", "dt", "dd"):
            self.li += 1
        elif tag == "blockquote":
            self.quote += 1
        if el.text:
            self.add_text(el.text)
        if tag in ("td", "th"):
            self.walk(el)
            self.parts.append(" ")
            return
        self.walk(el)
        self.flush()
        if tag in HEADINGS:
            self.kinds.pop()
        elif tag in ("li", "dt", "dd"):
            self.li -= 1
        elif tag == "blockquote":
            self.quote -= 1

    def add_text(self, text: str) -> None:
        self.parts.append(text)
        if self.in_link:
            self.link_len += len(text.strip())


def _split_breaks(pieces: list[str]) -> list[str]:
    """Text cut at every <br>: two breaks in a row (blank line) end a paragraph, one joins."""
    out: list[str] = []
    current: list[str] = []
    blank = False
    for piece in pieces:
        if piece.strip():
            current.append(piece)
            blank = False
        else:
            if blank or not current:
                if current:
                    out.append(" ".join(current))
                    current = []
            blank = True
    if current:
        out.append(" ".join(current))
    return out


# --- block filters ----------------------------------------------------------------------

_NORM = re.compile(r"\W+")


def _key(text: str) -> str:
    return _NORM.sub(" ", text).strip().lower()


def _filter(blocks: list[_Block], headline: str | None) -> list[_Block]:
    kept: list[_Block] = []
    seen: set[str] = set()
    headline_key = _key(headline) if headline else None
    for block in blocks:
        text = block.text
        n = len(text)
        if block.link_len > 0.5 * n and (n < 300 or block.li):
            continue  # a link or a list of links
        if n < 200 and BOILERPLATE_LINE.match(text):
            continue
        if n < 120 and DATELINE.search(text):
            continue
        key = _key(text)
        if not key:
            continue
        if len(kept) < 3 and (key == headline_key or (block.h1 and not any(
                b.kind == "p" for b in kept))):
            continue  # the title again at the top of the text
        if block.kind == "h" and END_HEADING.match(text):
            if kept and sum(len(b.text) for b in kept) > 200:
                break
            continue
        if len(key) > 30 and key in seen:
            continue  # the same block twice (responsive duplicates, repeated promos)
        seen.add(key)
        kept.append(block)
    # Pull quotes: a quoted block whose words all occur in another paragraph.
    if any(b.quote for b in kept):
        others = [b for b in kept if not b.quote]
        body_keys = " ".join(_key(b.text) for b in others)
        kept = [b for b in kept if not (b.quote and len(_key(b.text)) > 20
                                        and _key(b.text) in body_keys)]
    # Trailing headings without text under them are leftovers of removed boxes.
    while kept and kept[-1].kind == "h":
        kept.pop()
    return kept


# --- public API -------------------------------------------------------------------------

def extract_sections(root, *, headline: str | None = None,
                     jsonld_body: str | None = None) -> list[dict]:
    """The article body of a parsed page as sections: `[{"heading", "paragraphs"}]`.

    The first section's heading is None; each subheading starts a new section. `root` is
    not modified. `headline` drops a repeated title at the top; `jsonld_body` (JSON-LD
    `articleBody`) helps choose the container when the page has one.
    """
    body = root.find("body")
    if body is None:
        body = root
    total, unit = _weigh(body)
    container = _choose_container(root, body, total, unit, jsonld_body)
    collector = _Collector(total, total.get(container, 0.0))
    if container.text:
        collector.add_text(container.text)
    collector.walk(container)
    collector.flush()
    blocks = _filter(collector.blocks, headline)

    sections: list[dict] = [{"heading": None, "paragraphs": []}]
    for block in blocks:
        if block.kind == "h":
            sections.append({"heading": block.text, "paragraphs": []})
        else:
            sections[-1]["paragraphs"].append(block.text)
    if len(sections) == 1 and not sections[0]["paragraphs"]:
        return []
    # A body that opens with a subheading keeps a first section with no heading and no
    # paragraphs, so that the first section's heading is always None.
    return sections


def sections_to_text(sections: list[dict]) -> str:
    """Headings and paragraphs, each a block, joined by blank lines."""
    blocks: list[str] = []
    for section in sections:
        if section.get("heading"):
            blocks.append(section["heading"])
        blocks.extend(p for p in section.get("paragraphs", ()) if p)
    return "\n\n".join(blocks)
