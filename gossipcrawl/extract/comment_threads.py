"""Comment threads and comment counts, read from the HTML (never from a comment service).

A comment is found by what marks it as one in any theme: a `comment` class name, a
`comment-123` id, a `data-comment-id`, schema.org `Comment` microdata, or being an item of
a comment list (`ol.comment-list > li`). Wrappers that belong to the same comment
(`li#comment-5 > article#div-comment-5`) are merged; a comment inside another is a reply
to it. Author, date and text come from what the theme labels as such, with the reply links,
metadata and avatars left out of the text.

Read-only: the tree is shared with the other extractors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeAlias

from gossipcrawl.extract.comment_forms import page_marks
from gossipcrawl.extract.dates import has_zone, parse_date, shift_from_offset
from gossipcrawl.extract.dom import (
    class_tokens,
    clean_text,
    element_text,
    in_document_order,
)
from gossipcrawl.extract.headline import article_scope
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.published import page_offset
from gossipcrawl.extract.self_links import page_urls
from gossipcrawl.extract.signals import LAYOUT_CLASS

__all__ = ["extract_comment_count", "extract_comments"]

# lxml has no type information here: an element is whatever lxml gives.
El: TypeAlias = Any
Comment: TypeAlias = dict[str, Any]  # {"id", "author", "datePublished", "text", "parentId"}

# --------------------------------------------------------------------------------------
# finding comments

_COMMENT_CLASS = re.compile(
    r"^(comment|comments?[-_]?(item|entry|node|single|card|post)|single[-_]comment"
    r"|wpd-comment|c-comment|js-comment|user-comment|commentlist-item|comment__item"
    r"|comment-thread-item|reader-comment|kommentar|commentaire|comentario|commento)$"
)
_COMMENT_ID = re.compile(r"^(?:li-|div-)?comments?[-_]?(\d+)$")
_WPDISCUZ_ID = re.compile(r"^wpd-comm-(\d+)_(\d+)$")
_COMMENT_LIST = re.compile(r"^(comment-?list|comments?-list|commentlist|wpd-thread-list)$")
_EXCLUDED_AREA = re.compile(r"\b(widget|sidebar|recent[-_]?comments|related|most[-_]commented"
                            r"|popular)\b")
_EXCLUDED_TAGS = frozenset({"aside", "nav", "form", "header", "template", "noscript",
                            "script", "style"})
# a comment is a block; links and buttons carrying comment ids are its reply links
_BLOCK_CANDIDATES = frozenset({"li", "div", "article", "section", "dd", "blockquote", "tr",
                               "td", "p", "dl", "details"})


def _is_candidate(el: El) -> bool:
    if not isinstance(el.tag, str) or el.tag not in _BLOCK_CANDIDATES:
        return False
    classes = (el.get("class") or "").lower().split()
    if any(_COMMENT_CLASS.match(c) for c in classes):
        return True
    if _COMMENT_ID.match(el.get("id") or "") or _WPDISCUZ_ID.match(el.get("id") or ""):
        return True
    if el.get("data-comment-id") or el.get("data-commentid"):
        return True
    if "schema.org/comment" in (el.get("itemtype") or "").lower() or \
            el.get("itemprop") == "comment":
        return True
    parent = el.getparent()
    return el.tag == "li" and parent is not None and parent.tag in ("ol", "ul") and \
        any(_COMMENT_LIST.match(c) for c in class_tokens(parent))


def _possible_candidates(page: ParsedPage) -> list[El]:
    """Every element `_is_candidate` can accept, and a few more, in page order: those whose
    class or id says comment, those with a comment id or comment microdata, and the items of
    lists whose class or id says comment. A page without comment markup gets none, cheaply."""
    marks = page_marks(page)
    found = marks.marked + marks.with_attribute("data-comment-id", "data-commentid")
    found += [el for el, name, value in marks.attributes
              if (name == "itemtype" and "schema.org/comment" in value.lower())
              or (name == "itemprop" and value == "comment")]
    found += [item for el in marks.marked if el.tag in ("ol", "ul") for item in el
              if item.tag == "li"]
    return in_document_order(found)


def _area_tokens(el: El) -> str:
    """An element's class and id names that name a box: layout and state names
    (`right-sidebar`, `content-sidebar-wrap`, `one-sidebar` on `<body>`) left out."""
    return " ".join(token for token in class_tokens(el) if not LAYOUT_CLASS.search(token))


def _excluded_area(parent: El, keep: frozenset[El]) -> bool:
    """A sidebar, a widget, a box of recent or popular comments; never an ancestor of the
    article's headline (Blogger's post column is a `widget Blog`)."""
    return parent not in keep and bool(_EXCLUDED_AREA.search(_area_tokens(parent)))


def _excluded(el: El, keep: frozenset[El] = frozenset(),
              known: dict[El, bool] | None = None) -> bool:
    """Comments in sidebars, navigation and forms are not this article's comments.
    `known` keeps each ancestor's verdict for the next candidate (comments share them)."""
    if next(el.iter("form"), None) is not None:
        return True
    for parent in el.iterancestors():
        verdict = known.get(parent) if known is not None else None
        if verdict is None:
            verdict = parent.tag in _EXCLUDED_TAGS or _excluded_area(parent, keep)
            if known is not None:
                known[parent] = verdict
        if verdict:
            return True
    return False


@dataclass
class _Unit:
    outer: El              # the element that holds the comment and its replies
    body: El               # the element that holds the comment's own content
    parent: _Unit | None = None
    children: list[_Unit] = field(default_factory=list)


def _normalized_id(el: El) -> str | None:
    for attr in ("data-comment-id", "data-commentid", "data-id"):
        value = el.get(attr)
        if value:
            return str(value).strip()
    ident = el.get("id") or ""
    match = _COMMENT_ID.match(ident) or _WPDISCUZ_ID.match(ident)
    return match.group(1) if match else None


def _own_text(el: El, nested: list[El]) -> str:
    return element_text(el, skip=set(nested))


def _in_reply_list(el: El, outer: El) -> bool:
    """Is `el` in a list of replies below `outer` (`ul.children`, `.replies`…)?"""
    for parent in el.iterancestors():
        if parent is outer:
            return False
        if parent.tag in ("ul", "ol") or re.search(
                r"children|replies|reply|responses|sub[-_]?comments|thread",
                " ".join(class_tokens(parent))):
            return True
    return False


def _build_units(candidates: list[El]) -> list[_Unit]:
    """Group candidate elements into comments: merge wrappers, nest replies."""
    index = {el: i for i, el in enumerate(candidates)}
    kids: dict[El, list[El]] = {el: [] for el in candidates}
    roots: list[El] = []
    for el in candidates:
        parent = next((a for a in el.iterancestors() if a in index), None)
        (kids[parent] if parent is not None else roots).append(el)

    units: list[_Unit] = []
    for el in roots:
        _visit(el, None, kids, units)
    units.sort(key=lambda u: index[u.outer])
    return units


def _visit(el: El, parent_unit: _Unit | None, kids: dict[El, list[El]],
           units: list[_Unit]) -> None:
    """One candidate of `_build_units` and those below it. (A module function, not a
    recursive closure: those are reference cycles, left to the cyclic garbage collector
    with the elements they hold.)"""
    children = kids[el]
    body = el
    own_id = _normalized_id(el)
    same = next((c for c in children if own_id and _normalized_id(c) == own_id), None)
    if same is not None:
        body = same
    elif children and not _own_text(el, children):
        content = [c for c in children if not _in_reply_list(c, el)]
        if len(content) == 1:
            body = content[0]
        else:
            # a container of comments, not a comment: its children hang on our parent
            for child in children:
                _visit(child, parent_unit, kids, units)
            return
    unit = _Unit(el, body, parent_unit)
    units.append(unit)
    if parent_unit is not None:
        parent_unit.children.append(unit)
    rest = [c for c in children if c is not body] + (kids[body] if body is not el else [])
    for child in rest:
        _visit(child, unit, kids, units)


def extract_comments(page: ParsedPage) -> list[Comment]:
    """The comments present in the HTML, in page order, replies pointing at their parent."""
    keep = article_scope(page)
    known: dict[El, bool] = {}
    candidates = [el for el in _possible_candidates(page)
                  if _is_candidate(el) and not _excluded(el, keep, known)]
    units = _build_units(candidates)
    _attach_flat_replies(units)
    hints = _date_hints(page)
    comments = []
    ids: dict[int, str | None] = {}
    for unit in units:
        nested = [child.outer for child in unit.children]
        reading = _read_comment(unit, nested, hints)
        if reading is None:
            continue
        ids[id(unit)] = reading["id"]
        parent = unit.parent
        while parent is not None and id(parent) not in ids:
            parent = parent.parent
        reading["parentId"] = ids[id(parent)] if parent is not None else \
            _explicit_parent(unit)
        comments.append(reading)
    for unit in units:
        # `parent` and `children` make cycles: undone, the units and the elements they
        # hold go with this call instead of waiting for the cyclic garbage collector.
        unit.parent = None
    return comments


_REPLY_BOX = re.compile(r"(children|replies|indented|reply-?list|responses|sub-?comments"
                        r"|antworten|reponses|respuestas|risposte)")


def _attach_flat_replies(units: list[_Unit]) -> None:
    """Replies printed after their parent rather than inside it (Drupal's
    `article#comment-12` + `div.indented > article#comment-13`) get that parent."""
    by_outer = {u.outer: u for u in units}
    for unit in units:
        if unit.parent is not None:
            continue
        for box in unit.outer.iterancestors():
            if box.tag in ("body", "html"):
                break
            if not _REPLY_BOX.search(" ".join(class_tokens(box))):
                continue
            previous = box.getprevious()
            while previous is not None and not isinstance(previous.tag, str):
                previous = previous.getprevious()
            if previous in by_outer:
                unit.parent = by_outer[previous]
                unit.parent.children.append(unit)
            break


def _is_descendant(el: El, ancestor: El) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _explicit_parent(unit: _Unit) -> str | None:
    for el in (unit.outer, unit.body):
        parent_id = el.get("data-parent-id")
        if parent_id:
            return str(parent_id)
        match = _WPDISCUZ_ID.match(el.get("id") or "")
        if match and match.group(2) != "0":
            return match.group(2)
    return None


# --------------------------------------------------------------------------------------
# reading one comment

_NOT_AUTHOR_PART = re.compile(r"avatar|link-|url|img")
_AUTHOR_CLASS = re.compile(r"(^|[-_])(fn|author|authors|username|user-?name|commenter|nickname"
                           r"|display-?name|byline|name|user|autor|auteur)($|[-_])")
_DATE_CLASS = re.compile(r"(date|time|published|timestamp|posted|meta|datum|fecha)")
_NOT_TEXT_CLASS = re.compile(
    r"(^|[-_])(reply|replies|avatar|actions?|vote|votes|voting|like|likes|share|report|flag"
    r"|edit-link|says|meta|metadata|commentmetadata|awaiting-moderation|moderation|footer"
    r"|header|head|toolbar|permalink|rating|badge|author|fn|date|time|count)($|[-_])"
)
_CONTENT_CLASS = re.compile(
    r"^(comment[-_]?(content|text|message|entry|body-text|copy|html)|wpd-comment-text"
    r"|comment__(body|text|content)|commenttext|commentcontent|comment-body-content"
    r"|(text|content|message|body)|kommentar-text)$"
)
_SAYS = re.compile(r"\s*(says|said|writes|wrote|sagt|schreibt|dice|dit|escribe|scrive)\s*:?\s*$",
                   re.IGNORECASE)


def _class_parts(el: El) -> list[str]:
    """Class names with BEM blocks dropped: `reply-card__body` says `body`; the block name
    (`reply-card`) says nothing about the part."""
    out = []
    for token in (el.get("class") or "").lower().split():
        if "__" in token:
            token = token.rsplit("__", 1)[1].split("--")[0]
        out.append(token)
    return out


def _scope_nodes(body: El, nested: list[El]) -> Iterator[El]:
    """The elements of `body` that belong to this comment (not to a nested reply)."""
    skipped = set(nested)
    stack = [body]
    while stack:
        el = stack.pop()
        yield el
        for child in reversed(el):
            if isinstance(child.tag, str) and child not in skipped:
                stack.append(child)


def _read_comment(unit: _Unit, nested: list[El], hints: _DateHints) -> Comment | None:
    nodes = list(_scope_nodes(unit.body, nested))
    author_el = _find_author(nodes)
    author = None
    if author_el is not None:
        author = _SAYS.sub("", element_text(author_el)) or None
    date = _find_date(nodes, hints)
    text = _find_text(unit.body, nodes, nested, author_el)
    ident = _comment_id(unit, nodes)
    if not text or (author is None and date is None and ident is None):
        return None
    return {"id": ident, "author": author, "datePublished": date, "text": text,
            "parentId": None}


def _find_author(nodes: list[El]) -> El | None:
    ranked = []
    for el in nodes:
        if el.get("itemprop") == "author":
            names = [n for n in el.iter() if n.get("itemprop") == "name"]
            ranked.append((0, names[0] if names else el))
            continue
        for token in _class_parts(el):
            if token == "fn":
                ranked.append((1, el))
            elif _AUTHOR_CLASS.search(token) and not _NOT_AUTHOR_PART.search(token):
                ranked.append((2, el))
        if el.tag == "cite":
            ranked.append((3, el))
    for _, el in sorted(ranked, key=lambda pair: pair[0]):
        text = _SAYS.sub("", element_text(el))
        if 0 < len(text) <= 80:
            # a wrapper (`.comment-author` holding avatar + name + "says") may hold the name
            # in a more specific element; prefer that one
            return el
    return None


_TWELVE_HOUR = re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)


@dataclass(frozen=True)
class _DateHints:
    languages: tuple[str, ...] | None = None
    day_first: bool = False
    offset: timedelta | None = None   # of the page's own dates, for zone-less times


_MONTH_FIRST = frozenset({"en", "en-us", "en-ph", "en-ca"})


def _date_hints(page: ParsedPage) -> _DateHints:
    """The page's language decides how `03/04/2024` reads: day first outside the US."""
    root = page.root
    offset = page_offset(page)
    lang = (root.get("lang") or root.get("xml:lang") or "").strip().lower().replace("_", "-")
    if not lang:
        return _DateHints(offset=offset)
    primary = lang.split("-")[0]
    languages = (primary,) if primary == "en" else (primary, "en")
    return _DateHints(languages, lang not in _MONTH_FIRST, offset)


def _date(raw: str | None, hints: _DateHints = _DateHints()) -> str | None:
    """parse_date, with "9:04 pm" made "21:04" first: the RFC 2822 fast path in
    extract/dates.py reads "August 20, 2024 9:04 pm" as 09:04."""
    if not raw:
        return None

    def to_24h(match: re.Match[str]) -> str:
        hour = int(match.group(1)) % 12 + (12 if match.group(4).lower() == "p" else 0)
        return f"{hour:02d}:{match.group(2)}" + (f":{match.group(3)}" if match.group(3) else "")

    raw = _TWELVE_HOUR.sub(to_24h, raw.strip())
    # every date has a digit; strings without one only cost dateparser time
    if len(raw) > 60 or not any(ch.isdigit() for ch in raw):
        return None
    value = parse_date(raw, hints.languages, hints.day_first)
    if value and hints.offset is not None and not has_zone(raw) and not raw.isdigit():
        # "March 5, 2024 at 11:20 AM" is the page's wall-clock time, not UTC.
        value = shift_from_offset(value, hints.offset)
    return value


def _find_date(nodes: list[El], hints: _DateHints) -> str | None:
    for el in nodes:
        if el.tag == "time" and el.get("datetime"):
            value = _date(el.get("datetime"), hints)
            if value:
                return value
    for el in nodes:
        prop = el.get("itemprop") or ""
        rdfa = (el.get("property") or "").split()
        if el.get("content") and ("dc:date" in rdfa or "dc:created" in rdfa):
            value = _date(el.get("content"), hints)  # Drupal's RDFa
            if value:
                return value
        if prop in ("dateCreated", "datePublished", "commentTime", "uploadDate"):
            value = _date(el.get("datetime") or el.get("content") or element_text(el), hints)
            if value:
                return value
    for el in nodes:
        tokens = " ".join(_class_parts(el))
        if not _DATE_CLASS.search(tokens):
            continue
        raws = [el.get("datetime"), el.get("title"), el.get("data-date"),
                el.get("data-timestamp"), element_text(el)]
        # "14 May 2024 at 19:32 (Edit)": the date alone is in a child
        raws += [element_text(child) for child in el.iterdescendants() if isinstance(child.tag, str)]
        for raw in raws:
            if raw and len(raw) <= 80:
                value = _date(raw, hints)
                if value:
                    return value
    return None


def _find_text(body: El, nodes: list[El], nested: list[El], author_el: El | None) -> str:
    skip = set(nested)
    for el in nodes:
        if el is body:
            continue
        if any(_CONTENT_CLASS.match(t) for t in _class_parts(el)) or \
                el.get("itemprop") in ("text", "commentText", "articleBody"):
            # content blocks that hold author or meta are whole-comment wrappers
            if author_el is not None and _is_descendant(author_el, el):
                continue
            return _block_text(el, skip | _noise(el, nodes, whole=False))
    return _block_text(body, skip | _noise(body, nodes, whole=True) | ({author_el} - {None}))


def _noise(scope: El, nodes: list[El], whole: bool) -> set[El]:
    """Reply links, metadata, avatars, vote buttons: everything in a comment that is not
    what the commenter wrote."""
    out = set()
    for el in nodes:
        if el is scope or not _is_descendant(el, scope):
            continue
        classes = [t for t in _class_parts(el) if not _CONTENT_CLASS.match(t)]
        if any(_NOT_TEXT_CLASS.search(t) for t in classes) or el.tag in ("button", "form", "img", "svg") or (
                whole and el.tag in ("footer", "header", "cite", "time")) or el.tag == "a" and re.fullmatch(r"\s*(reply|antworten|répondre|responder|rispondi"
                                            r"|report|edit)\s*", element_text(el), re.IGNORECASE):
            out.add(el)
    return out


_BLOCK_TAGS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4",
                         "h5", "h6", "pre", "section", "article", "figure", "table", "tr",
                         "dl", "dd", "dt", "header", "footer"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "button", "form", "input",
                        "select", "textarea", "svg", "iframe"})


def _block_text(el: El, skip: set[El]) -> str:
    """Text with paragraphs as blocks joined by a blank line and `<br>` as a line break."""
    blocks: list[list[str]] = [[]]
    _walk_blocks(el, skip, blocks)
    out = []
    for parts in blocks:
        lines = [clean_text(line) for line in "".join(parts).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append(text)
    return "\n\n".join(out)


def _walk_blocks(node: El, skip: set[El], blocks: list[list[str]]) -> None:
    """`_block_text`'s walk: text into `blocks`, a new one at each block element."""
    if node.text:
        blocks[-1].append(node.text)
    for child in node:
        if isinstance(child.tag, str) and child not in skip and child.tag not in _SKIP_TAGS:
            if child.tag == "br":
                blocks[-1].append("\n")
            elif child.tag in _BLOCK_TAGS:
                blocks.append([])
                _walk_blocks(child, skip, blocks)
                blocks.append([])
            else:
                _walk_blocks(child, skip, blocks)
        if child.tail:
            blocks[-1].append(child.tail)


def _comment_id(unit: _Unit, nodes: list[El]) -> str | None:
    for el in (unit.outer, unit.body):
        ident = _normalized_id(el)
        if ident:
            return ident
    # Drupal puts the id on an empty anchor just before the comment: <a id="comment-7781">.
    anchor = unit.outer.getprevious()
    while anchor is not None and not isinstance(anchor.tag, str):
        anchor = anchor.getprevious()
    if anchor is not None and anchor.tag == "a" and not anchor.text_content().strip():
        match = _COMMENT_ID.match(anchor.get("id") or anchor.get("name") or "")
        if match:
            return match.group(1)
    for el in nodes:
        for attr in ("data-commentid", "data-comment-id"):
            value = el.get(attr)
            if value:
                return str(value)
        href = el.get("href") or ""
        match = re.search(r"#comment[-_]?(\d+)$", href)
        if el.tag == "a" and match:
            return match.group(1)
    for el in (unit.outer, unit.body):
        ident = el.get("id")
        if ident:
            return str(ident)
    return None


# --------------------------------------------------------------------------------------
# comment count

_NUMBER_WORDS = {"no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "keine": 0,
                 "ein": 1, "einen": 1, "aucun": 0, "un": 1, "une": 1, "ningún": 0, "uno": 1,
                 "nessun": 0}
_COUNT_NOUN = (r"(comments?|responses?|replies|reply|thoughts?|reactions?|kommentare?"
               r"|commentaires?|comentarios?|commenti|commento|reacties|reactie|komentarzy"
               r"|antworten|réponses?|respuestas?)")
_NUMBER = r"(\d[\d,.\u00a0\u202f ]*\d|\d)\s*(k)?"
_COUNT_BEFORE = re.compile(_NUMBER + r"\s+(?:\w+\s+){0,1}" + _COUNT_NOUN + r"\b", re.IGNORECASE)
_COUNT_AFTER = re.compile(_COUNT_NOUN + r"\s*[:(\[]\s*" + _NUMBER + r"\s*[)\]]?", re.IGNORECASE)
_COUNT_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\s+" + _COUNT_NOUN + r"\b",
                         re.IGNORECASE)
_COUNT_ONLY = re.compile(r"^\s*" + _NUMBER + r"\s*$")
_NO_COMMENTS = re.compile(r"\bbe the first to comment\b|\bno comments yet\b", re.IGNORECASE)


def count_in_text(text: str) -> int | None:
    """`2 Comments`, `One thought on "…"`, `View all 5 comments`, `Comments (3)` -> int."""
    text = clean_text(text)
    if not text or len(text) > 200:
        return None
    found = []
    for pattern, kind in ((_COUNT_BEFORE, "num"), (_COUNT_AFTER, "after"), (_COUNT_WORD, "word")):
        for match in pattern.finditer(text):
            if kind == "num":
                value = _to_int(match.group(1), match.group(2))
            elif kind == "after":
                value = _to_int(match.group(2), match.group(3))
            else:
                value = _NUMBER_WORDS[match.group(1).lower()]
            if value is not None:
                found.append((match.start(), value))
    if found:
        return min(found)[1]
    if _NO_COMMENTS.search(text):
        return 0
    return None


def _to_int(digits: str, thousands: str | None) -> int | None:
    raw = re.sub(r"[\s\u00a0\u202f]", "", digits)
    if thousands:
        try:
            return int(float(raw.replace(",", ".")) * 1000)
        except ValueError:
            return None
    raw = raw.replace(",", "").replace(".", "")
    return int(raw) if raw.isdigit() else None


_AREA = re.compile(r"^(comments?|comments?[-_](area|section|wrap|wrapper|container|block|box"
                   r"|header|head|title|count|number|heading|info)|wpdcom|wpd-thread-(head|info)"
                   r"|disqus_thread|respond|discussion|kommentare|reactions)$")
_COUNT_LABEL = re.compile(r"(title|count|number|heading|header|head|info|total)")


def extract_comment_count(page: ParsedPage, comments: list[Comment] | None = None,
                          jsonld: list[dict[str, Any]] | None = None) -> int | None:
    """How many comments the article has: what the page states (markup, then JSON-LD:
    `jsonld`, by default the page's own), else how many it shows (`comments`)."""
    for finder in (_count_attribute, _count_in_comment_area, _count_in_self_links):
        value = finder(page)
        if value is not None:
            return value
    value = _count_in_jsonld(page.jsonld if jsonld is None else jsonld)
    if value is not None:
        return value
    if comments:
        return len(comments)
    return None


def _count_attribute(page: ParsedPage) -> int | None:
    marks = page_marks(page)
    for el in in_document_order(
            marks.with_attribute("data-comments-count", "data-comment-count")
            + [el for el, name, value in marks.attributes
               if name == "itemprop" and value == "commentCount"]):
        if _excluded_for_count(el, article_scope(page)):
            continue
        raw = el.get("data-comments-count") or el.get("data-comment-count") or \
            el.get("content") or element_text(el)
        match = _COUNT_ONLY.match(raw or "")
        if match:
            return _to_int(match.group(1), match.group(2))
    return None


def _excluded_for_count(el: El, keep: frozenset[El] = frozenset()) -> bool:
    """Counts in sidebars, navigation and the site footer belong to other articles."""
    for parent in el.iterancestors():
        if parent.tag in ("aside", "nav"):
            return True
        if parent.tag == "footer" and next(parent.iterancestors("article"), None) is None:
            return True
        if _excluded_area(parent, keep):
            return True
    return False


def _count_in_comment_area(page: ParsedPage) -> int | None:
    """The heading of the comments section: `2 thoughts on "…"`, `Comments (3)`."""
    urls = page_urls(page)
    for area in page_marks(page).marked:  # every element `_AREA` can match, page order
        if not isinstance(area.tag, str) or area.tag in ("script", "style", "form"):
            continue
        if not any(_AREA.match(t) for t in class_tokens(area)) or \
                _excluded_for_count(area, article_scope(page)):
            continue
        for el in area.iter():
            if not isinstance(el.tag, str) or el.tag in ("li", "form", "textarea"):
                continue
            heading = el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or \
                any(_COUNT_LABEL.search(t) for t in class_tokens(el)) or el is area
            if not heading or any(c.get("class") and _is_candidate(c) for c in el.iter()):
                continue
            if urls.links_elsewhere(el):
                continue  # "12 Comments" on a teaser for another article
            value = count_in_text(element_text(el))
            if value is not None:
                return value
    return None


_SELF_FRAGMENT = re.compile(r"^(comments?|respond|disqus_thread|reply-title|comments?[-_]"
                            r"(section|area|container|wrap)|spot-?im.*|fb-comments|discussion)$",
                            re.IGNORECASE)


def _count_in_self_links(page: ParsedPage) -> int | None:
    """`<a href="…/this-article/#comments">View all 5 comments</a>`."""
    urls = page_urls(page)
    for link in page.index.tagged("a"):
        href = (link.get("href") or "").strip()
        if "#" not in href or not _SELF_FRAGMENT.match(href.split("#", 1)[1]):
            continue  # the cheap tests first: most links are not "#comments" links
        if _excluded_for_count(link, article_scope(page)) or not urls.is_self(href):
            continue
        value = count_in_text(element_text(link) or link.get("title") or "")
        if value is not None:
            return value
    return None


_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Posting|WebPage|Report|CreativeWork)$")


def _count_in_jsonld(jsonld: list[dict[str, Any]]) -> int | None:
    ranked = []
    for obj in jsonld:
        if not isinstance(obj, dict):
            continue
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        rank = 0 if any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in types) else 1
        value = _jsonld_int(obj.get("commentCount"))
        if value is None:
            value = _interaction_count(obj.get("interactionStatistic"))
        if value is not None:
            ranked.append((rank, value))
    return min(ranked)[1] if ranked else None


def _jsonld_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value >= 0 and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _interaction_count(stats: Any) -> int | None:
    for stat in stats if isinstance(stats, list) else [stats]:
        if not isinstance(stat, dict):
            continue
        kind = stat.get("interactionType")
        if isinstance(kind, dict):
            kind = kind.get("@type")
        if isinstance(kind, str) and kind.endswith("CommentAction"):
            value = _jsonld_int(stat.get("userInteractionCount"))
            if value is not None:
                return value
    return None
