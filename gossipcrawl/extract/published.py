"""When the article was published and last modified, as the page says it.

Structured data first (JSON-LD, then meta tags: OpenGraph `article:`, Parse.ly, Sailthru,
Dublin Core), then machine-readable markup (`<time datetime>`, hAtom, microdata, RDFa),
then dates written as text in elements that say they are dates. `dates.parse_date` turns
each into UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from gossipcrawl.extract.dates import (
    has_zone,
    is_naive_iso,
    parse_date,
    parse_naive_with_offset,
    shift_from_offset,
    utc_offset,
    wall_clock,
)
from gossipcrawl.extract.dom import clean_text, element_text, innermost
from gossipcrawl.extract.headline import article_scope, headline_element
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.signals import in_chrome, signals
from gossipcrawl.extract.structured import first_meta, parsely_page

DAY_FIRST_LANGUAGES = ("en-gb", "en-ie", "en-au", "en-nz", "en-za", "en-in")
DAY_FIRST_SUFFIXES = (".uk", ".ie", ".au", ".nz", ".za", ".in")

_DATE_CLASS = re.compile(r"date|publish|posted|timestamp|updat|modif", re.IGNORECASE)
_UPDATE_CLASS = re.compile(r"updat|modif|edited", re.IGNORECASE)
# Words a page prints before its update date, in the languages dateparser reads.
UPDATE_WORDS = (r"updated|last\s+updated|modified|last\s+modified|edited|aktualisiert|"
                r"zuletzt\s+aktualisiert|(?:letzte\s+)?aktualisierung|dernière\s+mise\s+à\s+jour|"
                r"última\s+actualización|ultimo\s+aggiornamento|"
                r"geändert|mis\s+à\s+jour|modifié|actualizado|"
                r"actualizada|modificado|aggiornato|aggiornata|modificato|bijgewerkt|"
                r"gewijzigd|zaktualizowano|aktualizacja|atualizado|atualizada|uppdaterad|"
                r"opdateret|oppdatert|päivitetty|güncellendi|обновлено")
PUBLISH_WORDS = (r"published|posted|first\s+published|publiziert|veröffentlicht|erstellt|"
                 r"publié|publicado|publicada|pubblicato|pubblicata|gepubliceerd|"
                 r"geplaatst|opublikowano|publicerad|publiceret|publisert|julkaistu|"
                 r"yayınlandı|опубликовано")
_UPDATE_LABEL = re.compile(r"(?:^|\W)(?:" + UPDATE_WORDS + r")\W*(?:on|at|am|le|el|il|op)?"
                           r"\W*$", re.IGNORECASE)
_PUBLISH_LABEL = re.compile(r"(?:^|\W)(?:" + PUBLISH_WORDS + r")\W*(?:on|at|am|le|el|il|op)?"
                            r"\W*$", re.IGNORECASE)
# "10:12", "à 10h12", "às 10h12", "um 10.12", "alle 10:12", "at 10:12 pm" after a date.
_LOOSE_TIME = (r"(?:,?\s+(?:um\s+|à\s+|às\s+|a\s+las\s+|alle\s+|at\s+)?\d{1,2}[:.h]\d{2}"
               r"(?:\s*[ap]\.?m\.?)?)?")
# A date written under the headline without a telling class: "2023-11-17 20:52:15",
# "17.11.2023, 20:52", "November 17, 2023", "17 novembre 2023 à 10h12", "2023年11月17日",
# after an optional label.
_LOOSE_DATE = re.compile(
    r"\b(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}[./]\d{1,2}[./]\d{4}"
    + _LOOSE_TIME + r"|\d{1,2}\.?\s+[^\W\d_]{3,12}\.?\s+\d{4}" + _LOOSE_TIME
    + r"|[^\W\d_]{3,12}\.?\s+\d{1,2},?\s+\d{4}" + _LOOSE_TIME
    + r"|\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}[:時]\d{2}分?)?)",
    re.IGNORECASE)
_LABELLED = re.compile(r"^\W*(?P<label>(?:" + UPDATE_WORDS + "|" + PUBLISH_WORDS + r"))\b",
                       re.IGNORECASE)
_UPDATE_ONLY = re.compile(r"\W*(?:" + UPDATE_WORDS + r")\W*(?:on|at|am|le|el|il|op)?\W*",
                          re.IGNORECASE)
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})
# How far after the headline a date may be written (elements, and characters of text).
_NEAR_HEADLINE_ELEMENTS = 40
_NEAR_HEADLINE_CHARS = 600

Found = tuple[str | None, str | None]  # (UTC ISO 8601, the raw value as found)


def day_first(language: str | None, url: str) -> bool:
    """Numeric dates read day first: British-style English pages and hosts, and every
    language but English (month-first is the United States' habit)."""
    host = urlsplit(url).hostname or ""
    lang = (language or "").lower()
    return lang.startswith(DAY_FIRST_LANGUAGES) or host.endswith(DAY_FIRST_SUFFIXES) or (
        bool(lang) and not lang.startswith("en"))


def _structured_dates(page: ParsedPage, modified: bool) -> list[str]:
    """Dates from JSON-LD and `<meta>`: cheap, and enough for most pages."""
    node, meta = page.article_node, page.meta
    candidates: list[Any]
    if modified:
        candidates = [node.get("dateModified")] if node else []
        keys: tuple[str, ...] = ("article:modified_time", "og:updated_time", "datemodified",
                                 "dcterms.modified", "dc.date.modified", "last-modified",
                                 "article.updated", "cxenseparse:recs:articlemodifiedtime")
    else:
        candidates = [node.get("datePublished"), node.get("dateCreated")] if node else []
        keys = ("article:published_time", "og:published_time", "datepublished",
                "parsely-pub-date", "sailthru.date", "dc.date", "dcterms.created",
                "dc.date.issued", "dcterms.date", "publish-date", "publishdate",
                "publish_date", "pubdate", "date", "publication_date", "article.published",
                "cxenseparse:recs:publishtime", "citation_publication_date",
                "citation_online_date", "citation_date")
    candidates += [first_meta(meta, key) for key in keys]
    if not modified:
        candidates.append(parsely_page(meta).get("pub_date"))
    return [value for value in candidates if isinstance(value, str) and value.strip()]


def _markup_dates(page: ParsedPage, modified: bool) -> list[str]:
    """Machine-readable dates in the markup: `<time datetime>` with a telling class or
    itemprop, hAtom `<abbr class="published" title>`, microdata and RDFa (`dc:date`)."""
    found_signals = signals(page)
    wanted_prop = "dateModified" if modified else "datePublished"
    rdfa = ("dc:modified",) if modified else ("dc:date", "dc:created")
    found: list[str | None] = []
    for element in found_signals.times:
        value = element.get("datetime")
        marker = (element.get("class") or "").lower()
        if element.tag == "time" and value:
            label = _label_before(element)
            if modified:
                if element.get("itemprop") == "dateModified" or "updated" in marker \
                        or "modified" in marker or label == "updated":
                    found.append(value)
            elif (element.get("pubdate") is not None or element.get("itemprop") == wanted_prop
                  or "published" in marker or "entry-date" in marker or "post-date" in marker
                  or label == "published"):
                found.append(value)
        elif element.get("title") and (" updated " if modified else " published ") in \
                f" {marker} ":
            found.append(element.get("title"))
    for element, attribute, value in found_signals.markup:
        if (attribute == "itemprop" and value == wanted_prop) or (
                attribute == "property" and any(word in value.split() for word in rdfa)):
            found.append(element.get("datetime") or element.get("content"))
    if not modified:
        for element in found_signals.times:
            if element.tag == "time" and element.get("datetime") and any(
                    ancestor.tag in ("article", "main") for ancestor in element.iterancestors()
            ) and _label_before(element) != "updated":
                found.append(element.get("datetime"))
                break
    return [value for value in found if isinstance(value, str) and value.strip()]


def _visible_dates(page: ParsedPage, modified: bool) -> list[str]:
    """Dates written as text in elements whose class says so ("Published: 05/03/2024
    14:20"), then in a post's footer line ("Posted by Jane at 11:51, 03.05.2013"): the
    last resort of pages with no machine-readable date. A date labelled as an update
    ("Letzte Aktualisierung: 18.01.2018") is the modified one, whatever the class says."""
    found: list[HtmlElement] = []
    updates: set[HtmlElement] = set()
    for element, value in signals(page).classed:
        if element.tag in ("body", "html") or (element.tag == "time" and element.get("datetime")):
            continue
        if not _DATE_CLASS.search(value) and "dateline" not in value.lower():
            continue
        found.append(element)
        if _UPDATE_CLASS.search(value):
            updates.add(element)
    scope = article_scope(page)
    texts = []
    for element in innermost(found):
        text = element_text(element)
        if not (6 <= len(text) <= 80 and any(ch.isdigit() for ch in text)) or \
                in_chrome(page, element, scope):
            continue
        if (element in updates or bool(_UPDATE_START.match(text))) == modified:
            texts.append(text)
    if not texts and not modified:
        texts = _post_footer_lines(page)
    return texts


# Words that open an update date's line ("Letzte Aktualisierung: 18.01.2018").
_UPDATE_START = re.compile(r"^\W*(?:" + UPDATE_WORDS + r")\b", re.IGNORECASE)
# The line under an old theme's post that says when and by whom it was posted.
_POST_FOOTER_CLASS = re.compile(r"(?:post|entry|asset|article|blog)[-_]?(?:footer|meta|info"
                                r"|byline)|postmeta|submitted", re.IGNORECASE)
_MAX_FOOTER_LINE = 300


def _date_part(text: str) -> str:
    """The date written in a line of text, else the line."""
    match = _LOOSE_DATE.search(text)
    return match.group() if match else text


def _post_footer_lines(page: ParsedPage) -> list[str]:
    """Lines of a post's own footer or meta box that hold a written date."""
    lines = []
    for element, _, _ in page.index.matching(_POST_FOOTER_CLASS, "class"):
        text = element_text(element)
        if len(text) <= _MAX_FOOTER_LINE and _LOOSE_DATE.search(text):
            lines.append(text)
    return lines


def _label_before(element: HtmlElement) -> str | None:
    """"updated" or "published" when the text just before a date says so ("Updated
    <time>", "Aktualisiert am <time>"), else None."""
    previous = element.getprevious()
    if previous is not None:
        before = previous.tail or ""
        if not before.strip():
            before = (previous.text_content() or "") if len(previous) == 0 else ""
    else:
        parent = element.getparent()
        before = (parent.text or "") if parent is not None else ""
        if not before.strip() and parent is not None:
            uncle = parent.getprevious()
            before = uncle.text_content() if uncle is not None and len(uncle) == 0 else ""
    before = before[-40:]
    if not before.strip():
        return None
    if _UPDATE_LABEL.search(before):
        return "updated"
    if _PUBLISH_LABEL.search(before):
        return "published"
    return None


def _dates_near_headline(page: ParsedPage, modified: bool) -> list[str]:
    """Dates written as plain text just under the headline, before the story starts
    ("2023-11-17 20:52:15", "Aktualisiert: 11.04.2020, 10:27"); a date labelled as an
    update is the modified date, any other the published one."""
    heading = headline_element(page)[0]
    if heading is None:
        return []
    found: list[str] = []
    read = 0
    previous = ""
    for count, element in enumerate(_following(heading)):
        if count >= _NEAR_HEADLINE_ELEMENTS or read > _NEAR_HEADLINE_CHARS:
            break
        if not isinstance(element.tag, str) or element.tag in _NOT_TEXT:
            pieces = [element.tail]
        else:
            pieces = [element.text, element.tail]
        for piece in pieces:
            text = clean_text(piece)
            if not text:
                continue
            read += len(text)
            label = _LABELLED.match(text)
            label_text = label.group("label") if label else previous
            previous = text
            match = _LOOSE_DATE.search(text) if len(text) <= 80 else None
            if match is None:
                continue
            is_update = bool(label_text) and bool(_UPDATE_ONLY.fullmatch(label_text))
            if is_update == modified:
                found.append(match.group())
    return found


def _following(element: HtmlElement) -> Iterable[HtmlElement]:
    """The elements after `element` (and outside it) in page order."""
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        node = node.getparent()


def _first_date(candidates: Iterable[str], language: str | None, british: bool,
                page_offset: timedelta | None = None) -> Found:
    languages = (language.split("-")[0].lower(),) if language else None
    values = [raw.strip() for raw in candidates if isinstance(raw, str) and raw.strip()]
    for position, raw in enumerate(values):
        parsed = parse_date(raw, languages, british)
        if not parsed and len(raw) > 10:
            # dateparser reads a date, not the words around it ("Von Christian am
            # 03.05.2013, 11:51 | 0 Meinungen"); the raw value stays the line as found.
            part = _date_part(raw)
            parsed = parse_date(part, languages, british) if part != raw else None
        if not parsed:
            continue
        if is_naive_iso(raw):
            # A zone-less value: its zoned twin elsewhere on the page says what it means;
            # failing that, the offset the page's other dates carry; failing that, UTC.
            clock = wall_clock(raw)
            for other in values[position + 1:]:
                if utc_offset(other) is not None and wall_clock(other) == clock:
                    twin = parse_date(other, languages, british)
                    if twin:
                        return twin, other
            if page_offset is not None:
                return parse_naive_with_offset(raw, page_offset) or parsed, raw
        elif page_offset is not None and not has_zone(raw) and not raw.isdigit():
            # "17.11.2023, 20:52" as a reader sees it: in the page's own offset.
            return shift_from_offset(parsed, page_offset), raw
        return parsed, raw
    return None, None


def _page_offset(candidates: Iterable[str]) -> timedelta | None:
    for raw in candidates:
        offset = utc_offset(raw.strip()) if isinstance(raw, str) else None
        if offset is not None:
            return offset
    return None


def _date(page: ParsedPage, language: str | None, modified: bool) -> Found:
    british = day_first(language, page.url)
    structured = _structured_dates(page, modified)
    others = _structured_dates(page, not modified)
    offset = _page_offset(structured + others)
    found = _first_date(structured, language, british, offset)
    if found[0] is not None and not is_naive_iso(found[1]):
        return found
    markup = _markup_dates(page, modified)
    if offset is None:
        offset = _page_offset(markup + _markup_dates(page, not modified))
    # A naive structured date may have its zoned twin in the markup.
    better = _first_date(structured + markup, language, british, offset)
    if better[0] is not None:
        return better
    visible = _first_date(_visible_dates(page, modified), language, british, offset)
    if visible[0] is not None:
        return visible
    return _first_date(_dates_near_headline(page, modified), language, british, offset)


def page_offset(page: ParsedPage) -> timedelta | None:
    """The UTC offset the page's own dates are written in (structured data first, then
    the markup), for times the page writes without a zone (comments' times); None when
    no date of the page states one."""
    offset = _page_offset(_structured_dates(page, False) + _structured_dates(page, True))
    if offset is None:
        offset = _page_offset(_markup_dates(page, False) + _markup_dates(page, True))
    return offset


def date_published(page: ParsedPage, language: str | None) -> Found:
    """JSON-LD, meta tags (OpenGraph article:, Parse.ly, Sailthru, Dublin Core), then
    markup (`<time datetime>`, hAtom, microdata, RDFa), then dates written as text;
    `language` (the page's, BCP 47) says how to read the text."""
    return _date(page, language, modified=False)


def date_modified(page: ParsedPage, language: str | None) -> Found:
    return _date(page, language, modified=True)
