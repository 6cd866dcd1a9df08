"""The article text of a page: paragraphs and subheadings in order, boilerplate left out.

Three steps; none changes the shared tree (boilerplate is skipped while walking, never
removed):

1. Weigh. Every paragraph-like unit (a `<p>` or `<pre>`, a run of text written straight
   into a `<div>`/`<td>`, as old themes do with `<br><br>`) weighs its non-link text length;
   link-heavy units weigh nothing, units in list items, in boxes headed by a link or in an
   `<article>` nested in another weigh a quarter (teasers of other stories), units inside a
   link nothing. Each element is credited with the weight under it.
2. Choose the container. From `<body>`, step into the child holding most of the weight
   while it holds at least DOMINANCE of what its level holds; page regions (nav, aside,
   footer, ARIA landmarks, class/id words such as sidebar, related, share, ad, comments)
   do not count, unless a region outweighs everything beside it (a wrapper with a bad
   name); a data table is never stepped into (the text around it goes with it). Then an
   element the CMS names as the article body (itemprop=articleBody, entry-content,
   article-body, ...) wins if it holds CMS_SHARE of that weight, the deepest such one
   when they nest. JSON-LD articleBody, when given, overrules a container that
   lacks its opening words. Same-class siblings (a body cut in several blocks, each maybe
   in its own wrapper, classes numbered part by part) are merged.
3. Collect blocks. One recursive walk cuts the container's text into blocks at block
   elements and at double `<br>`, skipping boilerplate subtrees by tag, by ARIA role,
   hidden styles and class/id words, nested teaser articles and listings of linked boxes.
   Blocks are then dropped by their text: link lists (not the linked items of a list
   written mostly in plain words), "Also read:"/"Related:" lines, calls to subscribe or
   follow, datelines, control labels, a repeated title, pull quotes repeating the text,
   and everything after a closing heading ("Related stories", "Comments", ...). Headings
   (and `<div>`s classed as headings) split the rest into sections.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeAlias

from lxml import etree
from w3lib.html import remove_tags

from gossipcrawl.extract.boilerplate import (
    ARTICLE,
    CONTENT,
    NEUTRAL,
    BOILERPLATE_LINE,
    DATELINE,
    TIMESTAMP_LINE,
    END_HEADING,
    READ_MORE_END,
    HARD,
    LAYER,
    REGION_SKIP_TAGS,
    SKIP_TAGS,
    SOFT,
    UI_LABELS,
    WEAK,
    attr_kind,
    classify_attr,
    is_hidden,
    overlay_kind,
    overlay_name_kind,
)
from gossipcrawl.extract.dom import clean_text, contains, name_words

__all__ = ["extract_sections", "sections_to_text", "with_jsonld_body"]

# lxml has no type information here: an element is whatever lxml gives.
El: TypeAlias = Any
Weights: TypeAlias = dict[El, float]   # element -> weight of the text under it
Cache: TypeAlias = dict[El, bool]
Section: TypeAlias = dict[str, Any]    # {"heading": str | None, "paragraphs": [str]}

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that end a line of text: everything else is inline and joins its neighbours.
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "dl",
    "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "caption", "figure", "address",
    "center", "details", "summary", "hr", "body", "html", "hgroup", "h1", "h2", "h3", "h4",
    "h5", "h6", "td", "th",
}) | SKIP_TAGS

# The walk down steps into a child holding at least this share of its level's weight.
DOMINANCE = 0.6
# A CMS-named article container must hold this share of the generic container's weight.
CMS_SHARE = 0.6
MIN_UNIT_CHARS = 25

_BREAK = "\x00"  # marks a <br> in collected text
# Inline elements whose neighbours are separate words: MathML's identifiers, numbers and
# operators (`<mi>a</mi><mo>+</mo><mi>b</mi>` reads "a + b", not "a+b" as one word).
_SPACED_INLINE = frozenset({"td", "th", "mi", "mn", "mo", "ms", "mtext"})

_TEXT_LEN = etree.XPath("string-length(normalize-space(.))")


# --- step 1: weigh ----------------------------------------------------------------------

def _unit_weight(text_len: int, link_len: int) -> float:
    own = text_len - link_len
    if own <= 0 or link_len > 0.5 * text_len:
        return 0.0
    if text_len < MIN_UNIT_CHARS:
        return own * 0.2
    return float(own)


# Long text nodes anywhere; those directly in containers (not in a paragraph, list item,
# heading or link) are the paragraphs of old themes separated by <br><br>.
_LONG_TEXT = etree.XPath(".//text()[string-length(normalize-space(.)) >= $n]")
_NOT_DIRECT = frozenset({"p", "pre", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6", "script",
                         "style", "noscript", "button", "select", "option", "textarea",
                         "template", "title", "label", "figcaption", "caption", "dt"})


def _teaser_factor(el: El, chain: list[El], cache: Cache) -> float:
    """How much a unit counts given where it sits: text in list items, in boxes headed by
    a link and in articles nested in an article (teasers of other stories) counts little;
    text inside a link not at all."""
    if el.tag == "li":
        return 0.25
    factor = 1.0
    articles = 0
    for depth, anc in enumerate(chain, 1):
        tag = anc.tag
        if depth <= 4:
            if tag == "a":
                return 0.0  # a whole teaser wrapped in a link
            if tag == "li":
                return 0.25
            if depth <= 2 and _has_linked_heading(anc, cache):
                factor = 0.25
        if tag == "article":
            articles += 1
    if articles > 1:
        return 0.25
    return factor


def _drop_layers(body: El, total: Weights, unit: Weights) -> set[El]:
    """Take the text of layers drawn over the page (`boilerplate.overlay_kind`: dialogs,
    consent and login popups, hidden lightboxes, fixed banners) out of the weights, so that
    none is chosen as the article. A box that is only maybe a layer (hidden, named "modal"
    or "overlay", fixed) and holds most of the page's text is the page itself when it holds
    the page's `<h1>` (a theme's `body_overlay` wrapper, an app shell) or is merely hidden
    (content a script would un-hide). Named a modal or fixed over the page, with the `<h1>`
    outside, it is a layer however much it says (a login popup and its form's messages, a
    newsletter popup, an "update your browser" banner). Returns the layers taken out,
    which the text is not collected from either."""
    page_weight = total.get(body, 0.0)
    kinds = {el: overlay_kind(el) for el in total if el is not body and el.tag != "html"}
    layers = [el for el, kind in kinds.items() if kind]
    dropped: set[El] = set()
    if not layers:
        return dropped
    chosen = set(layers)
    for layer in layers:
        if any(ancestor in chosen for ancestor in layer.iterancestors()):
            continue  # inside another layer, dropped with it
        weight = total.get(layer, 0.0)
        # A page region (an <aside> gallery, a <nav>) hidden or named a lightbox is a
        # layer however much text it holds: it is never the page.
        if kinds[layer] != LAYER and weight > 0.5 * page_weight \
                and layer.tag not in REGION_SKIP_TAGS and (_holds_the_heading(body, layer) or (
                    is_hidden(layer) and not overlay_name_kind(layer))):
            continue
        dropped.add(layer)
        for ancestor in layer.iterancestors():
            if ancestor in total:
                total[ancestor] -= weight
        for inner in layer.iter():
            total.pop(inner, None)
            unit.pop(inner, None)
    return dropped


def _holds_the_heading(body: El, box: El) -> bool:
    """`box` holds the page's `<h1>`, or the page has none outside it."""
    return all(contains(box, h1) for h1 in body.iter("h1"))


def _has_linked_heading(el: El, cache: Cache) -> bool:
    """A box headed by a link (`<h3><a>Title</a></h3>` or `<a><h3>Title</h3></a>`)."""
    known = cache.get(el)
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
        cache[el] = known
    return known


def _teaser_children(el: El, cache: Cache) -> set[El] | None:
    """Children of a listing: three or more boxes, each headed by a link to its story."""
    boxes = [child for child in el if isinstance(child.tag, str)
             and child.tag not in HEADINGS and _has_linked_heading(child, cache)]
    return set(boxes) if len(boxes) >= 3 else None


def _weigh(body: El) -> tuple[Weights, Weights]:
    """(total weight under each element, weight of units that are the element itself)."""
    total: Weights = {}
    unit: Weights = {}
    cache: Cache = {}

    def credit(el: El, weight: float) -> None:
        chain = list(el.iterancestors())
        weight *= _teaser_factor(el, chain, cache)
        if not weight:
            return
        unit[el] = unit.get(el, 0.0) + weight
        total[el] = total.get(el, 0.0) + weight
        for anc in chain:
            total[anc] = total.get(anc, 0.0) + weight

    for p in body.iter("p", "pre"):
        text_len = int(_TEXT_LEN(p))
        if not text_len:
            continue
        link_len = 0
        for a in p.iter("a"):
            if not _writes_an_address(a):
                link_len += int(_TEXT_LEN(a))
        weight = _unit_weight(text_len, link_len)
        if weight:
            credit(p, weight)

    # Text written straight into containers, credited to the nearest block element.
    runs: dict[El, int] = {}
    for text in _LONG_TEXT(body, n=MIN_UNIT_CHARS):
        holder = text.getparent()
        if text.is_tail:
            holder = holder.getparent()
        while holder is not None:
            tag = holder.tag
            if tag in _NOT_DIRECT:
                holder = None
            elif tag in BLOCK_TAGS and tag != "span":
                break
            else:
                holder = holder.getparent()
        if holder is not None:
            runs[holder] = runs.get(holder, 0) + len(text.strip())
    for holder, length in runs.items():
        credit(holder, float(length))
    return total, unit


# --- step 2: choose the container -------------------------------------------------------

_REGION_ROLES = frozenset({"navigation", "complementary", "contentinfo", "banner", "search",
                           "dialog", "alertdialog", "menu", "menubar", "toolbar"})


def _region_level(el: El) -> int:
    """HARD or SOFT for a region of the page that is not the article, else NEUTRAL."""
    if el.tag in REGION_SKIP_TAGS or el.get("role") in _REGION_ROLES:
        return SOFT
    level = attr_kind(el)
    return level if level in (SOFT, HARD) else 0


def _descend(body: El, total: Weights, unit: Weights) -> El:
    """Walk down into the child holding nearly all the content weight of its level."""
    node = body
    while True:
        content: list[tuple[float, El]] = []
        soft: list[tuple[float, El]] = []
        for child in node:
            w = total.get(child)
            if not w:
                continue
            level = _region_level(child)
            if level == HARD:
                continue
            (soft if level == SOFT else content).append((w, child))
        # A region that outweighs all the content beside it is a wrapper with a bad name;
        # so are alike regions that do together (a page builder's boxes, each classed
        # `elementor-widget`, are the story told in parts).
        content_w = sum(w for w, _ in content)
        if soft:
            groups: dict[object, list[tuple[float, El]]] = {}
            for pair in soft:
                child = pair[1]
                key = (child.tag, box_kind(child.get("class") or "")) \
                    if child.get("class") else child
                groups.setdefault(key, []).append(pair)
            group = max(groups.values(), key=lambda pairs: sum(w for w, _ in pairs))
            group_w = sum(w for w, _ in group)
            if 4 * content_w < group_w:
                content.extend(group)
                content_w += group_w
        if not content:
            return node
        best_w, best = max(content, key=lambda pair: pair[0])
        keep = unit.get(node, 0.0) + content_w
        if best_w < DOMINANCE * keep or best.tag in ("p", "pre") or _is_data_table(best):
            return node
        node = best


def _is_data_table(el: El) -> bool:
    """A table of data (a caption or header cells, no table nested in it) is one block of
    the text, however long: the intro and notes around it belong with it. A table laying
    out an old page is walked into like any wrapper."""
    if el.tag != "table":
        return False
    has_header = el.find("caption") is not None or next(el.iter("th"), None) is not None
    return has_header and next(el.iterdescendants("table"), None) is None


def _names_article_body(el: El) -> bool:
    """Microdata (itemprop=articleBody), a test id or a class/id the CMS gives its body."""
    for attr in ("itemprop", "property", "data-testid", "data-component", "data-qa"):
        value = el.get(attr)
        if value and value.replace("-", "").replace("_", "").lower() in (
                "articlebody", "storybody", "articletext", "postbody"):
            return True
    return attr_kind(el) == ARTICLE


def _in_comments(el: El) -> bool:
    """Inside a comment thread: a comment's `entry-content` is not the article's."""
    return any(attr_kind(anc) == HARD for anc in el.iterancestors())


def _choose_container(root: El, body: El, total: Weights, unit: Weights,
                      jsonld_body: str | None) -> El:
    chosen = _descend(body, total, unit)
    chosen_w = total.get(chosen, 0.0)
    if not chosen_w:
        return chosen
    # A container the CMS marks as the article body (itemprop=articleBody, entry-content,
    # article-body...) wins when it holds a good part of the text the generic walk found.
    floor = CMS_SHARE * chosen_w
    # Only elements holding text can be the container: look at those, not the whole tree.
    candidates = [(w, el) for el, w in total.items()
                  if w >= floor and w > 0 and el.tag not in ("body", "html")
                  and _names_article_body(el) and not _in_comments(el)]
    if not candidates:
        return _check_with_jsonld(chosen, unit, jsonld_body)
    best_w, best = max(candidates, key=lambda pair: pair[0])
    # Nested candidates (article-body > article-body__text): the deepest that holds nearly
    # all the weight is the most precise.
    for w, el in candidates:
        if w >= 0.9 * best_w and el is not best and contains(best, el):
            best, best_w = el, w
    return _check_with_jsonld(best, unit, jsonld_body)


_WORDS = re.compile(r"\w+")


def _phrase(text: str) -> str:
    return " ".join(_WORDS.findall(text))


def _check_with_jsonld(chosen: El, unit: Weights, jsonld_body: str | None) -> El:
    """The JSON-LD articleBody (often cut short, unformatted) as a check on the container:
    when the chosen one lacks its opening words, take the smallest element that holds both
    its opening and its closing words."""
    if not jsonld_body:
        return chosen
    words = _WORDS.findall(jsonld_body)
    if len(words) < 40:
        return chosen
    head = " ".join(words[:10])
    tail = " ".join(words[-9:-1])  # the last word may be cut in the middle
    if head in _phrase(chosen.text_content()):
        return chosen
    for el in unit:
        if head in _phrase(el.text_content()):
            for anc in el.iterancestors():
                if anc.tag in ("body", "html"):
                    break
                if tail in _phrase(anc.text_content()):
                    return anc
            break
    return chosen


# How many wrappers up a body cut in parts is looked for: the parts themselves, a grid
# cell around each, or a section and its inner column around each (Medium).
_SPLIT_DEPTH = 3
# A class name that numbers one box among alike ones: `story-body-2`, a page builder's
# `elementor-element-378b4908`.
_NUMBERED = re.compile(r"[-_](?=[0-9a-f]*\d)[0-9a-f]+$")


@lru_cache(maxsize=4096)  # a site's pages repeat their class strings; bounded for a long crawl
def box_kind(cls: str) -> frozenset[str]:
    """A box's class names without those that number it among alike boxes."""
    return frozenset(name for name in cls.split() if not _NUMBERED.search(name))


def _alike(el: El, model: El) -> bool:
    """Same tag and class, the numbers that tell parts apart aside: `story-body
    story-body-1` and `story-body story-body-2` are one kind of box; `col-8` and `col-4`,
    with nothing but a number to share, are not."""
    if el.tag != model.tag:
        return False
    cls, model_cls = el.get("class"), model.get("class")
    if cls == model_cls:
        return True
    names = box_kind(cls or "")
    return bool(names) and names == box_kind(model_cls or "")


def _with_siblings(container: El, total: Weights) -> tuple[list[El], El]:
    """The container and its same-class siblings holding text, and the element holding them
    all: an article body cut into several blocks (`<div class="article-body">` ×3 with ads
    between, or each block wrapped in its own same-class section) reads as one."""
    if container.tag == "article":
        return [container], container   # alike <article>s beside it are other stories
    chain = [container]  # the container, then the wrappers climbed, innermost first
    for _ in range(_SPLIT_DEPTH):
        wrapper = chain[-1]
        parent = wrapper.getparent()
        if parent is None or not wrapper.get("class"):
            break
        inside = chain[-2::-1]  # the path from the wrapper down to the container
        parts: list[El] = []
        level = attr_kind(wrapper)
        for sibling in parent:
            if sibling is wrapper:
                parts.append(container)
            elif _alike(sibling, wrapper) and total.get(sibling) and (
                    # an id names it otherwise (`id="author-box"` beside the story)
                    attr_kind(sibling) in (level, NEUTRAL, CONTENT, ARTICLE)):
                parts.extend(_follow(sibling, inside, total))
        if len(parts) > 1:
            return parts, parent
        chain.append(parent)
    return [container], container


def _follow(top: El, path: list[El], total: Weights) -> list[El]:
    """The elements under `top` reached by the same steps as `path` (alike boxes)."""
    nodes = [top]
    for model in path:
        nodes = [child for node in nodes for child in node
                 if _alike(child, model) and total.get(child)]
    return nodes


# --- step 3: collect blocks -------------------------------------------------------------

class _Block:
    __slots__ = ("box", "h1", "kind", "li", "link_len", "quote", "text")

    def __init__(self, kind: str, text: str, link_len: int, quote: bool, li: bool,
                 h1: bool = False, box: object = None):
        self.box = box        # the element holding the block's element
        self.kind = kind      # "h" for a subheading, "p" for a paragraph
        self.h1 = h1          # an <h1>: a title more often than a subheading
        self.text = text
        self.link_len = link_len
        self.quote = quote    # inside a <blockquote>
        self.li = li          # a list item


def _holds_its_block(el: El) -> bool:
    """An inline element holding most of its paragraph's text is the paragraph, whatever
    its class says (text pasted from another site keeps that site's classes:
    `<p><span class="…ContentTags">the paragraph</span></p>`); a small one inside it (an
    "Advertisement" label, screen-reader words) is not."""
    block = next((anc for anc in el.iterancestors() if anc.tag in BLOCK_TAGS), None)
    if block is None or block.tag != "p":
        return False
    # An image with its caption and credit, set in a paragraph, is no paragraph.
    if next(block.iter("img", "picture", "video", "iframe", "svg"), None) is not None:
        return False
    return bool(_TEXT_LEN(el) > 0.5 * _TEXT_LEN(block))


class _Collector:
    """Walks the container once, skipping boilerplate, and cuts its text into blocks."""

    def __init__(self, total: Weights, container_weight: float, container: El = None,
                 layers: set[El] | frozenset[El] = frozenset()):
        self.total = total
        self.layers = layers  # boxes drawn over the page (`_drop_layers`)
        self.container_weight = container_weight
        self.container = container
        self.alike: dict[tuple[str, frozenset[str]], float] = {}
        self.shared_words: dict[tuple[str, frozenset[str]], float] = {}
        self.blocks: list[_Block] = []
        self.parts: list[str] = []
        self.link_len = 0
        self.kinds: list[str] = ["p"]
        self.boxes: list[object] = [None]  # the parent of each open block element
        self.quote = 0
        self.li = 0
        self.in_link = 0
        self.in_article = False
        self.cache: Cache = {}
        self.bold_lines: set[str] = set()  # bold runs alone on their line between <br>s

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
            piece = clean_text(piece)
            if piece:
                share = min(len(piece), link_len) if len(pieces) == 1 else \
                    int(link_len * len(piece) / max(1, len(text)))
                # A bold line alone between <br><br> (Blogger's subheading) is a heading.
                piece_kind = "h" if len(pieces) > 1 and piece in self.bold_lines \
                    and not share else kind
                self.blocks.append(_Block(piece_kind, piece, share, quote, li, h1,
                                          self.boxes[-1]))

    def skip(self, el: El, tag: str) -> bool:
        if el in self.layers:
            return True
        if tag == "article" and self.in_article:
            # A teaser of another story inside this one; but an <article> holding most of
            # the text is the story itself, nested in its post's <article> by the theme.
            return self.total.get(el, 0.0) <= 0.5 * self.container_weight
        if tag in SKIP_TAGS:
            # A <header> or <aside> that holds most of the text is a wrapper, not a box
            # (unless hidden: then it is a layer, a lightbox gallery).
            return not (tag in ("header", "aside", "footer", "section")
                        and self.total.get(el, 0.0) > 0.5 * self.container_weight
                        and not is_hidden(el))
        if is_hidden(el):
            return True
        if el.get("role") in _REGION_ROLES:
            return True
        level = attr_kind(el)
        if level == HARD:
            return True
        if level in (WEAK, SOFT):
            if tag not in BLOCK_TAGS and not self.total.get(el):
                return not _holds_its_block(el)   # an inline box inside a paragraph
            # A class word lowers a box, never the story: boxes of one kind (every
            # paragraph classed "paywall") that together hold most of the text are the
            # text, and so are boxes of any kind that share the word and hold nearly all
            # of it (every section of a review "...--Ads", its conclusion "--Conclusion").
            cw = self.container_weight
            return self.total.get(el, 0.0) <= 0.5 * cw and self._alike_weight(el) <= 0.5 * cw \
                and self._word_weight(el) <= _SHARED_WORD_SHARE * cw
        return False

    def _word_weight(self, el: El) -> float:
        """The weight of the container's elements of `el`'s tag that share one of the class
        names giving it its verdict."""
        names = _marking_names(el.get("class") or "")
        if not names:
            return 0.0
        return self._weight_of(self.shared_words, el.tag, names,
                               lambda cls: not names.isdisjoint(cls.split()))

    def _alike_weight(self, el: El) -> float:
        """The weight of the container's boxes of `el`'s kind (`box_kind`): page builders
        number each box beside the classes it shares (`elementor-element-378b4908`)."""
        cls = el.get("class") or ""
        kind = box_kind(cls)
        if not kind or classify_attr(cls) not in (WEAK, SOFT):
            return self.total.get(el, 0.0)   # its id names it: it is alone of its kind
        return self._weight_of(self.alike, el.tag, kind, lambda other: box_kind(other) == kind)

    def _weight_of(self, cache: dict[tuple[str, frozenset[str]], float], tag: str,
                   names: frozenset[str], keep: Callable[[str], bool]) -> float:
        """The weight of the container's `tag` elements whose class `keep` accepts, summed
        once per `(tag, names)`."""
        found = cache.get((tag, names))
        if found is None:
            found = cache[(tag, names)] = sum(
                self.total.get(other, 0.0) for other in self.container.iter(tag)
                if keep(other.get("class") or ""))
        return found

    def walk(self, el: El) -> None:
        teasers = _teaser_children(el, self.cache) if len(el) >= 3 else None
        for child in el:
            if teasers and child in teasers:
                if child.tail:
                    self.add_text(child.tail)
                continue
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
            elif tag in ("b", "strong") and _alone_on_its_line(child):
                self.bold_lines.add(clean_text(child.text_content()))
                if child.text:
                    self.add_text(child.text)
                self.walk(child)
            elif tag in BLOCK_TAGS or (tag == "math" and child.get("display") == "block"):
                self.block(child, tag)
            else:
                # A heading's permalink is the heading's own text, not a link away.
                link = tag == "a" and not (self.kinds[-1] in ("h", "h1")
                                           and _in_page_link(child)) \
                    and not _writes_an_address(child)
                if link:
                    self.in_link += 1
                if child.text:
                    self.add_text(child.text)
                self.walk(child)
                if link:
                    self.in_link -= 1
                elif tag in _SPACED_INLINE:
                    self.parts.append(" ")
            if child.tail:
                self.add_text(child.tail)

    def block(self, el: El, tag: str) -> None:
        if tag in ("td", "th"):
            # Table cells: a row reads as one line, its cells separated by spaces.
            self.parts.append(" ")
            if el.text:
                self.add_text(el.text)
            self.walk(el)
            self.parts.append(" ")
            return
        if tag == "article" and not self.in_article:
            self.in_article = True
            self.block(el, "div")
            self.in_article = False
            return
        self.flush()
        self.boxes.append(el.getparent())
        heading = tag in HEADINGS or (tag == "div" and _styled_as_heading(el))
        if heading:
            self.kinds.append("h1" if tag == "h1" else "h")
        elif tag in ("li", "dt", "dd"):
            self.li += 1
        elif tag == "blockquote":
            self.quote += 1
        if el.text:
            self.add_text(el.text)
        self.walk(el)
        self.flush()
        self.boxes.pop()
        if heading:
            self.kinds.pop()
        elif tag in ("li", "dt", "dd"):
            self.li -= 1
        elif tag == "blockquote":
            self.quote -= 1

    def add_text(self, text: str) -> None:
        self.parts.append(text)
        if self.in_link:
            self.link_len += len(text.strip())


# Boxes sharing a boilerplate class name (`Section--Ads`) that hold this share of the
# container's text are the text: the name marks every box of the page's body.
_SHARED_WORD_SHARE = 0.75


@lru_cache(maxsize=4096)  # a site's pages repeat their class strings; bounded for a long crawl
def _marking_names(cls: str) -> frozenset[str]:
    """The class names that alone make a box boilerplate (SOFT or WEAK)."""
    return frozenset(name for name in cls.split() if classify_attr(name) in (WEAK, SOFT))


# Class words of a `<div>` drawn as a subheading (`heading-h3`, `article-subhead`).
_HEADING_WORDS = frozenset({"heading", "subheading", "subhead", "h2", "h3", "h4", "h5", "h6"})


@lru_cache(maxsize=4096)  # a site's pages repeat their class strings; bounded for a long crawl
def _names_a_heading(cls: str) -> bool:
    return any(word in _HEADING_WORDS for name in cls.split() for word in name_words(name))


def _styled_as_heading(el: El) -> bool:
    """A `<div>` whose class names it a subheading and that holds only a line of plain
    text: it is a heading like an `<h3>` (and, like one, can close the article: "More
    stories"). One with links is a box's call to action ("<a>Subscribe</a> to ...")."""
    cls = el.get("class")
    return bool(cls) and _names_a_heading(cls) and el.find(".//a") is None and not any(
        isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in el)


def _in_page_link(a: El) -> bool:
    """A link to a named place on the same page (`#section-2`). On a heading it is the
    heading's permalink or its way back to the table of contents, not a teaser's title:
    such a heading is the text's own. (Elsewhere `#share` or `#comments` are controls.)"""
    href = a.get("href")
    return bool(href) and len(href) > 1 and href[0] == "#"


def _writes_an_address(a: El) -> bool:
    """A `mailto:`/`tel:` link prints an address, which is the text's own words (a call for
    testimonies and its mailbox), not a way to another page."""
    return (a.get("href") or "").startswith(("mailto:", "tel:"))


_MAX_BOLD_HEADING = 100


def _alone_on_its_line(el: El) -> bool:
    """A short `<b>`/`<strong>` with a `<br>` (or the start of its box) before it and a
    `<br>` after it, nothing else on the line, not ending like a sentence."""
    text = clean_text(el.text_content())
    if not text or len(text) > _MAX_BOLD_HEADING or text.endswith((".", ",", ";")):
        return False
    if (el.tail or "").strip():
        return False
    following = el.getnext()
    if following is None or following.tag != "br":
        return False
    before = el.getprevious()
    if before is None:
        parent = el.getparent()
        return parent is not None and not (parent.text or "").strip() and \
            parent.tag not in ("p", "li", "span", "a", "td")
    return before.tag == "br" and not (before.tail or "").strip()


def _split_breaks(pieces: list[str]) -> list[str]:
    """Text cut at every <br>: a blank piece (two breaks in a row) ends a paragraph, a single
    break only joins lines."""
    out: list[str] = []
    current: list[str] = []
    for piece in pieces:
        if piece.strip():
            current.append(piece)
        elif current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


# --- block filters ----------------------------------------------------------------------

_NORM = re.compile(r"\W+")


def _key(text: str) -> str:
    return _NORM.sub(" ", text).strip().lower()


def _variant_of(first: object, box: object) -> bool:
    """Whether a block repeated in `box` is another rendering of the one in `first`: a
    mobile and a desktop copy sit in boxes of different classes ("hidden-xs",
    "visible-xs"). A text repeated in alike boxes (a refrain, a placeholder paragraph) is
    the text."""
    if first is box or first is None or box is None:
        return False
    return _marker(first) != _marker(box)


def _marker(el: El) -> tuple[str | None, str | None]:
    return el.get("class"), el.get("id")


def _prose_lists(blocks: list[_Block]) -> set[object]:
    """Lists written mostly in plain words (a changelog, notes, references): an item there
    that is mostly a link ("Gijs fixed <a>a hang at startup</a>") is a point of the text,
    not the entry of a link list it would be among items that are all links."""
    text_len: dict[object, int] = {}
    link_len: dict[object, int] = {}
    for block in blocks:
        if block.li and block.box is not None:
            text_len[block.box] = text_len.get(block.box, 0) + len(block.text)
            link_len[block.box] = link_len.get(block.box, 0) + block.link_len
    return {box for box, n in text_len.items() if link_len[box] <= 0.5 * n}


def _filter(blocks: list[_Block], headline: str | None) -> list[_Block]:
    kept: list[_Block] = []
    seen: dict[str, object] = {}  # a long block's key -> the element holding it
    headline_key = _key(headline) if headline else None
    prose_lists = _prose_lists(blocks)
    for block in blocks:
        text = block.text
        n = len(text)
        if block.link_len > (0.5 if block.li else 0.7) * n and (n < 300 or block.li) \
                and not (block.li and block.box in prose_lists):
            continue  # a link or a list of links
        if n < 200 and BOILERPLATE_LINE.match(text):
            continue
        if n < 600 and READ_MORE_END.search(text) and not block.quote:
            continue  # a teaser of another story: its summary, then "Read more"
        if n < 120 and (DATELINE.search(text) or TIMESTAMP_LINE.match(text)):
            continue
        key = _key(text)
        if not key or (n < 40 and key in UI_LABELS):
            continue
        if len(kept) < 3 and (key == headline_key or (block.h1 and not any(
                b.kind == "p" for b in kept))):
            continue  # the title again at the top of the text
        if block.kind == "h" and END_HEADING.match(text):
            if kept and sum(len(b.text) for b in kept) > 200:
                break
            continue
        if len(key) > 150 and _variant_of(seen.setdefault(key, block.box), block.box):
            continue  # the same block in a differently marked box: a responsive duplicate
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


# An <article> holding this share of a container's weight is a story of its own in it.
_STORY_SHARE = 0.1


def _story_of_headline(container: El, total: Weights, headline: str | None) -> El:
    """Of several whole stories in the container (a page that loads the next stories as
    the reader scrolls), the one under the page's headline."""
    if not headline:
        return container
    floor = _STORY_SHARE * total.get(container, 0.0)
    stories = [el for el in container.iterdescendants("article") if total.get(el, 0.0) >= floor]
    if len(stories) < 2:
        return container
    key = _key(headline)
    for story in stories:
        if any(_key(heading.text_content()) == key for heading in story.iter("h1", "h2")):
            return story
    return container


def _blocks(root: El, body: El, total: Weights, unit: Weights, layers: set[El],
            headline: str | None, jsonld_body: str | None) -> list[_Block]:
    """The kept blocks of the chosen container. A container whose text is all teasers of
    other stories (a "next posts" box outweighing a one-paragraph post) gives nothing: it
    is taken out of the weights and the container chosen again, once."""
    for attempt in range(2):
        chosen = _choose_container(root, body, total, unit, jsonld_body)
        container = _story_of_headline(chosen, total, headline)
        # One story of several alike is read alone; anything else may be a body in parts.
        parts, scope = _with_siblings(container, total) if container is chosen \
            else ([container], container)
        collector = _Collector(total, sum(total.get(el, 0.0) for el in parts), scope, layers)
        collector.in_article = container.tag == "article" or any(
            anc.tag == "article" for anc in container.iterancestors())
        for part in parts:
            if part.text:
                collector.add_text(part.text)
            collector.walk(part)
            collector.flush()
        blocks = _filter(collector.blocks, headline)
        weight = total.get(container, 0.0)
        if blocks or attempt or not weight or container is body:
            return blocks
        for el in (container, *container.iterancestors()):
            total[el] = total.get(el, 0.0) - weight
    return []


# --- public API -------------------------------------------------------------------------

def extract_sections(root: El, *, headline: str | None = None,
                     jsonld_body: str | None = None) -> list[Section]:
    """The article body of a parsed page as sections: `[{"heading", "paragraphs"}]`.

    The first section's heading is None; each subheading starts a new section. `root` is
    not modified. `headline` drops a repeated title at the top; `jsonld_body` (JSON-LD
    `articleBody`) helps choose the container when the page has one.
    """
    body = root.find("body")
    if body is None:
        body = root
    total, unit = _weigh(body)
    layers = _drop_layers(body, total, unit)
    blocks = _blocks(root, body, total, unit, layers, headline, jsonld_body)

    sections: list[Section] = [{"heading": None, "paragraphs": []}]
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


# A JSON-LD `articleBody` more than this many times the text the page shows is the
# article: the page draws its text with a script (an app shell) and says it only there.
SCRIPTED_BODY_RATIO = 3
MIN_SCRIPTED_BODY_CHARS = 200


def with_jsonld_body(sections: list[Section], jsonld_body: Any) -> list[Section]:
    """`sections`, or the JSON-LD `articleBody` as one section of paragraphs (split at its
    line breaks, markup and entities removed) when it holds the text the page does not."""
    if not isinstance(jsonld_body, str) or len(jsonld_body) < MIN_SCRIPTED_BODY_CHARS:
        return sections
    shown = sum(len(p) for section in sections for p in section["paragraphs"])
    text = html.unescape(remove_tags(jsonld_body))
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    if SCRIPTED_BODY_RATIO * shown >= sum(map(len, paragraphs)):
        return sections
    return [{"heading": None, "paragraphs": paragraphs}]


def sections_to_text(sections: list[Section]) -> str:
    """Headings and paragraphs, each a block, joined by blank lines."""
    blocks: list[str] = []
    for section in sections:
        if section.get("heading"):
            blocks.append(section["heading"])
        blocks.extend(p for p in section.get("paragraphs", ()) if p)
    return "\n\n".join(blocks)
