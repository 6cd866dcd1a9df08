"""The article's authors: JSON-LD, else the visible byline, else author meta tags.

Whatever the source, a name is a person's (or, alone, the agency's): image credits,
handles, dates, job titles and degrees are cut out of bylines; "Doe, Jane" is one person;
the publication or a wire agency printed beside a writer ("Jane Doe, CNN") is not an
author; bylines of other stories (teasers at the foot of the page) are not this article's.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from gossipcrawl.extract.dom import clean_text, innermost
from gossipcrawl.extract.headline import article_scope, headline_element, site_name
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.self_links import page_urls
from gossipcrawl.extract.signals import in_chrome, signals
from gossipcrawl.extract.structured import (
    is_article_itemtype,
    node_types,
    parsely_page,
    text_value,
)

_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|net|org|co\.uk)(?:/|$)",
                       re.IGNORECASE)
# "By", and its words in the languages dateparser reads ("Von", "Par", "Por", "Di", "Από
# τον"); "Author:" and "Text:" labels, with a full-width colon in CJK ("作者：", "文：").
_BYLINE_PREFIX = re.compile(r"^\s*(?:(?:written|posted|published|reported|words|story|text)"
                            r"\s+)?(?:by|von|par|por|door|przez|di(?=\s+\S+\s+\S)|"
                            r"από(?:\s+τ(?:ον|ην|ο))?)\b"
                            r"[:\s]*|^\s*(?:autor(?:in)?|author|auteur|texto?|автор|авторы|"
                            r"yazar|författare|forfatter)\s*[:：]\s*"
                            r"|^\s*(?:作者|文|記者|记者|撰文|編集|编辑|責任編輯|责任编辑|기자)\s*[:：|\s]\s*",
                            re.IGNORECASE)
# Between two people: "and" in the languages above, and "with" ("Jean Dupont avec AFP").
# "With" only between two names: "Con Coughlin" is one person.
# "and" in the languages of bylines is a word between spaces: "e" of "Horka e.V." is not.
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|、)\s*|\s+(?:and|und|et|y|e|en|og|и)\s+"
                           r"|(?<=\S)\s+(?:avec|con|com|mit|with)\s+(?=\S)",
                           re.IGNORECASE)
# What follows the names: a job title, a date, the publication written for ("for The
# Guardian", "Special to CNN"), a reading time ("5 min read").
_BYLINE_NOISE = re.compile(r"\s*(?:[|,•·]\s*)?(?:staff writer|contributor|editor|"
                           r"(?:edited|reviewed|fact[-\s]checked)\s+by\b|"
                           r"senior\s+\w+|updated|published|posted|on\s+\w+\s+\d|"
                           r"\bspecial\s+to\b|\bfor\s+(?:the\s+)?\w|\b\d+\s*min(?:ute)?s?\b"
                           r"|\breading\s+time).*$",
                           re.IGNORECASE)
# An image credit ("(Image: Getty Images)", "Photo: Reuters"), a handle, a date: no name.
_CREDIT = re.compile(r"\(?\s*(?:image|images|photo|photos|photograph|picture|pic|credit|"
                     r"source|foto|bild|video)s?\s*(?:credit)?\s*:[^)]*\)?", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w.])@\w+")
_DATE_START = re.compile(
    # after an optional "on" of the byline's language ("von Jana am 20.06.2018")
    r"\s*(?:[|,•·-]\s*)?(?:\b(?:on|am|le|el|il|op|em|den|dne)\s+)?"
    r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"\.?\s+\d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec)[a-z]*\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|\b(?:19|20)\d{2}\b).*$",
    re.IGNORECASE)
# Degrees and post-nominals printed after a name ("Brenda Goodman, MA").
_CREDENTIALS = frozenset({"ma", "ms", "msc", "mba", "md", "phd", "rn", "do", "dds", "mph",
                          "ba", "bsc", "jd", "llm", "esq", "cpa", "rd", "lpn", "np", "pa-c",
                          "facs", "facp", "mfa", "med", "edd"})
# Wire agencies, named beside a writer ("Jane Doe, AP") or alone.
_AGENCIES = frozenset({"ap", "associated press", "the associated press", "reuters", "afp",
                       "agence france-presse", "agence france presse", "pa", "pa media",
                       "press association", "dpa", "ansa", "efe", "upi", "bloomberg",
                       "aap", "cp", "the canadian press", "kyodo", "xinhua", "tass",
                       "europa press", "apa", "sda", "ntb", "tt", "anp", "belga", "epa"})
# A one-word acronym beside a writer ("Jane Doe, CNN") is the writer's outlet.
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,5}")
_NOT_A_NAME = re.compile(r"\bcomments?\b|\breplies\b|\bshare\b|\bview all\b|\bposts? by\b"
                         r"|\bfollow\b|\bsubscribe\b|\bmore\b", re.IGNORECASE)
# The accounts a CMS installs with: whoever posts through one is not named by it.
_CMS_ACCOUNTS = frozenset({"super user", "superuser", "administrator", "admin", "webmaster",
                           "site admin", "site administrator", "root", "wordpress", "editor"})
# A job title after the name ("Seattle Times business reporter", "Redakteurin").
_JOB_TITLE = re.compile(r"\b(?:reporter|correspondent|columnist|writer|editor|contributor"
                        r"|photographer|journalist|producer|critic|redakteur(?:in)?"
                        r"|korrespondent(?:in)?|journaliste|correspondante?|rédact(?:eur|rice)"
                        r"|periodista|corresponsal|redactora?|giornalista|corrispondente"
                        r"|redatt(?:ore|rice)|verslaggever|redacteur)s?$", re.IGNORECASE)


# A company's legal form: the publisher's name (and its address after it), not a writer's
# ("Süddeutsche.de GmbH, Munich, Germany").
_COMPANY = re.compile(r"\b(?:GmbH|AG|KG|Inc|Ltd|LLC|LLP|PLC|S\.?A\.?S?|S\.?L|S\.?p\.?A|SRL|B\.?V"
                      r"|N\.?V|Pty|Corp|Co\.\s*KG|e\.\s?V)\b\.?(?:,|$)")
# The author of the article, post, entry or story, in any of the ways class names join
# words: `post-author`, `entry_author`, BEM's `article__author` and `c-story__author`.
_BYLINE_CLASS = re.compile(r"author-name|byline|(?:^|\s)author(?:\s|$)|(?:^|\s)fn(?:\s|$)|"
                           r"entry-author|post-author|(?:entry|post|article|story)(?:-|_|__)authors?(?![\w-])"
                           # a BEM element or modifier: `sharekit__contributors--author`
                           r"|(?:__|--)authors?(?![\w-])"
                           # other languages' words: `dig-autoren`, `article-auteur`
                           r"|(?:^|[\s_-])(?:autor|autoren|autorin|auteurs?|autore|autori|autora"
                           r"|autores|forfatter|författare|yazar)(?:[\s_-]|$)",
                           re.IGNORECASE)
# hCard's `fn` names an author only inside a card or an author box: on its own it is as
# often an atomic-CSS class (`class="fn cc ga"`).
_CARD_CLASS = re.compile(r"vcard|h-card|author|byline", re.IGNORECASE)
_MEDIA_ITEM = re.compile(r"ImageObject|VideoObject|MediaObject|AudioObject|Photograph|"
                         r"\b(?:image|video|photo|associatedMedia|thumbnail)\b")
_SOCIAL_HOSTS = ("twitter.com", "x.com", "facebook.com", "instagram.com", "linkedin.com",
                 "threads.net", "tiktok.com", "bsky.app", "youtube.com")
# What sets a byline's name off from a date or a section: "Jane Doe — 2013-09-29".
_SEPARATORS = " :|•·-–—"
_MAX_BYLINE_CHARS = 120
_MAX_AUTHORS = 6

Author = dict[str, Any]  # {"name": str, "url": str | None}


def _plausible_name(name: str) -> bool:
    words = name.split()
    lowercase = sum(1 for word in words if word[:1].islower())
    return (1 < len(name) <= 60 and not _URL_LIKE.search(name) and len(words) <= 6
            and bool(re.search(r"[^\W\d_]", name))
            and not (" " in name and re.search(r"\d", name))
            and not _NOT_A_NAME.search(name) and ":" not in name
            and not _JOB_TITLE.search(name) and name.casefold() not in _CMS_ACCOUNTS
            # "Suivre ce journaliste sur twitter" is a sentence; "Ludwig van Beethoven" a name
            and not (len(words) >= 3 and 2 * lowercase > len(words)))


# An account name rather than a person's: one word with a digit or in lower case.
_HANDLE_LIKE = re.compile(r"\S*\d\S*|[a-z0-9_.-]+")

_PARTICLES = frozenset({"de", "da", "di", "du", "del", "della", "der", "den", "van", "von",
                        "la", "le", "dos", "das", "ten", "ter", "bin", "al"})
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*\.?")


def _last_first(text: str) -> str | None:
    """"Doe, Jane", "Kooman, F.", "Jong, Michiel de" (library order: citation_author,
    Dublin Core) -> "Jane Doe", "F. Kooman", "Michiel de Jong"; None for anything else,
    such as two people ("Jane Doe, Bob Roe") or a name and a degree ("Jane Doe, MA")."""
    if text.count(",") != 1:
        return None
    last, first = (part.split() for part in text.split(","))
    if not last or not first or len(first) > 3 or not all(
            _NAME_WORD.fullmatch(word) for word in last + first):
        return None
    # The surname: one word, after any particles ("de Jong").
    if sum(1 for word in last if word.lower() not in _PARTICLES) != 1 or last[-1][0].islower():
        return None
    if first[0][0].islower() or first[0].lower().strip(".") in _CREDENTIALS \
            or first[0].lower() in _AGENCIES:
        return None
    return " ".join(first + last)


def clean_author_names(raw: str) -> list[str]:
    """The person names in a byline's text: "By A and B, Staff Writer" -> A, B; image
    credits, handles, dates and degrees dropped; "Doe, Jane" is one person."""
    text = _CREDIT.sub(" ", clean_text(raw))
    text = _HANDLE.sub(" ", text)
    text = _BYLINE_PREFIX.sub("", clean_text(text))
    text = _BYLINE_NOISE.sub("", text)
    text = _DATE_START.sub("", text).strip(_SEPARATORS + ",;")
    if not text or _URL_LIKE.search(text) or _COMPANY.search(text):
        return []
    whole = _last_first(text)
    if whole:
        return [whole]
    names = [part.strip(_SEPARATORS + "()") for part in _AUTHOR_SPLIT.split(text)]
    names = [name for name in names if name.lower().strip(".") not in _CREDENTIALS]
    if any(len(name) == 1 for name in names) and _plausible_name(text):
        return [text]  # "Mac & i": one name with a conjunction in it, not two people
    return [name for name in names if _plausible_name(name)]


def _person_url(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((member for member in value if isinstance(member, str)), None)
    if isinstance(value, str) and value.startswith("http") and "#" not in value:
        return value
    return None


def _profile_link(link: HtmlElement, base: str) -> str | None:
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    absolute = urljoin(base, href)
    return absolute if absolute.startswith(("http://", "https://")) else None


def _names_an_author(page: ParsedPage, link: HtmlElement) -> bool:
    """A byline's link to a person, not to a tag, a social profile or a part of the page
    itself ("42 comments" linking to `#comments`)."""
    if " tag " in f" {(link.get('rel') or '').lower()} ":
        return False
    href = link.get("href") or ""
    if href and page_urls(page).is_self(href):
        return False
    host = (urlsplit(href).hostname or "").lower().removeprefix("www.")
    return not host.endswith(_SOCIAL_HOSTS)


def _is_byline_element(element: HtmlElement, value: str) -> bool:
    """An element whose class (`value`, which `_BYLINE_CLASS` finds) marks a byline."""
    if element.tag in ("body", "html", "meta", "link", "article", "button"):
        return False
    if re.search(r"(?:^|\s)fn(?:\s|$)", value, re.IGNORECASE) and not re.search(
            r"author|byline|vcard", value, re.IGNORECASE):
        return any(_CARD_CLASS.search(ancestor.get("class") or "")
                   for _, ancestor in zip(range(3), element.iterancestors()))
    return True


def _credits_media(element: HtmlElement) -> bool:
    """An image's or a video's credit: inside a `<figure>` or `<figcaption>`, or the author
    of an ImageObject/VideoObject in the microdata (`<figure itemprop="image" itemscope>
    ... <span itemprop="author">Getty Images</span>`)."""
    scoped = False
    for ancestor in (element, *element.iterancestors()):
        if ancestor.tag in ("figure", "figcaption"):
            return True
        if ancestor.tag in ("body", "article"):
            return False
        if not scoped and ancestor.get("itemscope") is not None and ancestor is not element:
            scoped = True  # the nearest item is the one this element describes
            kind = f"{ancestor.get('itemtype') or ''} {ancestor.get('itemprop') or ''}"
            if _MEDIA_ITEM.search(kind):
                return True
    return False


def _authors_article_item(page: ParsedPage, element: HtmlElement,
                          scope: frozenset[HtmlElement]) -> bool:
    """Microdata says whose author this is: the `itemprop="author"` of an article item
    (`<article itemscope itemtype=".../BlogPosting">`) that is not itself in page chrome
    names the article's author, even from an `<aside>` inside the article."""
    if element.get("itemprop") != "author":
        return False
    item = next((ancestor for ancestor in element.iterancestors()
                 if ancestor.get("itemscope") is not None), None)
    if item is None:
        return False
    return is_article_itemtype(item.get("itemtype") or "") and not in_chrome(page, item, scope)


def _byline_elements(page: ParsedPage) -> list[HtmlElement]:
    """The innermost author elements outside page chrome and captions, in page order; when
    the headline is known, only those nearest it (the least of its ancestors that holds
    one): a teaser's byline further down the page is another story's."""
    found = signals(page)
    elements = [element for element, rel in found.rels if " author " in rel]
    elements += [element for element, attribute, value in found.markup
                 if (attribute == "itemprop" and value == "author")
                 or (attribute == "property" and "foaf:name" in value.split())]
    # Each distinct class value is searched once per process (`PageIndex.matching`).
    elements += [element for element, _, value in page.index.matching(_BYLINE_CLASS, "class")
                 if _is_byline_element(element, value)]
    elements = sorted(dict.fromkeys(elements), key=lambda element: element.sourceline or 0)
    scope = article_scope(page)
    elements = innermost([element for element in elements
                          if not _credits_media(element)
                          and (not in_chrome(page, element, scope)
                               or _authors_article_item(page, element, scope))])
    heading = headline_element(page)[0]
    if heading is None or len(elements) < 2:
        return elements
    candidates = set(elements)
    for ancestor in heading.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        inside = [element for element in elements if element in candidates
                  and any(parent is ancestor for parent in element.iterancestors())]
        if inside:
            return inside
    return elements


def byline_names(page: ParsedPage) -> list[tuple[str, str | None]]:
    """`(name, url)` pairs from the page's byline; names from its links when it holds any
    (with the link as the URL)."""
    base = page.base_url
    pairs: list[tuple[str, str | None]] = []
    for element in _byline_elements(page):
        links = [element] if element.tag == "a" else element.findall(".//a")
        named = []
        for link in links:
            if not _names_an_author(page, link):
                continue
            names = clean_author_names(link.text_content())
            if len(names) == 1:
                named.append((names[0], _profile_link(link, base)))
        if named:
            pairs.extend(named)
            continue
        text = element.text_content()
        if len(clean_text(text)) > _MAX_BYLINE_CHARS:
            continue
        parent = element.getparent()
        url = _profile_link(parent, base) if parent is not None and parent.tag == "a" else None
        names = clean_author_names(text)
        pairs.extend((name, url if len(names) == 1 else None) for name in names)
        if len(pairs) >= _MAX_AUTHORS:
            break
    return pairs


_ONE_PERSON_KEYS = frozenset({"citation_author", "dc.creator", "dc:creator", "dcterms.creator"})


_ORGANIZATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation"})


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name).strip().casefold().removeprefix("the ")


class _Authors:
    """The list being built: each name once (case-insensitively), URLs made absolute."""

    def __init__(self, base: str):
        self.base = base
        self.found: list[Author] = []

    def add(self, name_text: str, url: str | None = None, split: bool = True) -> None:
        if split:
            names = clean_author_names(name_text)
        else:
            text = clean_text(name_text)
            names = [_last_first(text) or text]
        for name in names:
            if name and all(existing["name"].casefold() != name.casefold()
                            for existing in self.found):
                self.found.append({"name": name,
                                   "url": urljoin(self.base, url) if url else None})


def _publications(page: ParsedPage) -> set[str]:
    """Keys of the names the publication goes by: og:site_name, JSON-LD publisher and
    WebSite/Organization names, the host's name."""
    names = {site_name(page) or ""}
    node = page.article_node
    if node:
        names.add(text_value(node.get("publisher")) or "")
    host = (urlsplit(page.url).hostname or "").removeprefix("www.")
    names.add(host.rsplit(".", 1)[0])
    return {_key(name) for name in names if name} - {""}


def _without_publications(page: ParsedPage, found: list[Author]) -> list[Author]:
    """The publication or a wire agency beside a writer is no author of the article."""
    if len(found) < 2:
        return found
    publications = {name.replace(" ", "") for name in _publications(page)}
    people = [author for author in found if _key(author["name"]) not in _AGENCIES
              and _key(author["name"]).replace(" ", "") not in publications
              and not _ACRONYM.fullmatch(author["name"])]
    return people or found[:1]


def authors(page: ParsedPage) -> list[Author]:
    """`[{"name", "url"}]`: JSON-LD authors, else the byline, else author meta tags
    (Parse.ly, Sailthru, `author`, Dublin Core, `citation_author`); never a URL as a
    name, nor the publication beside a writer."""
    return _without_publications(page, _authors(page))


def _byline_authors(page: ParsedPage, pairs: list[tuple[str, str | None]]) -> list[Author]:
    """The people of `byline_names`, each once."""
    people = _Authors(page.base_url)
    for name, url in pairs:
        people.add(name, url, split=False)
    return people.found


def _authors(page: ParsedPage) -> list[Author]:
    found = _Authors(page.base_url)
    node = page.article_node
    organizations: set[str] = set()
    if node:
        values = node.get("author") or node.get("creator") or []
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                name = text_value(value.get("name"))
                if name and not _URL_LIKE.search(name):
                    found.add(name, _person_url(value.get("url"))
                              or _person_url(value.get("@id")), split=False)
                    if _ORGANIZATION_TYPES & node_types(value):
                        organizations.add(_key(name))
            elif isinstance(value, str):
                found.add(value)
    if found.found:
        publications = _publications(page) | organizations
        # A CMS account ("CC7567", "admin") or the publication itself in the JSON-LD: the
        # byline, when it names people, names the writers.
        accounts = all(_HANDLE_LIKE.fullmatch(author["name"])
                       or _key(author["name"]) in publications for author in found.found)
        if accounts or any(author["url"] is None for author in found.found):
            pairs = byline_names(page)
            people = _byline_authors(page, pairs) if accounts else []
            if people and not any(_HANDLE_LIKE.fullmatch(person["name"])
                                  or _key(person["name"]) in publications for person in people):
                return people[:_MAX_AUTHORS]
            links = {name.casefold(): url for name, url in pairs if url}
            for author in found.found:
                author["url"] = author["url"] or links.get(author["name"].casefold())
        return found.found
    people = _byline_authors(page, byline_names(page))
    if people:
        return people[:_MAX_AUTHORS]
    parsely = parsely_page(page.meta)
    parsely_authors = parsely.get("authors") or parsely.get("author") or []
    for value in parsely_authors if isinstance(parsely_authors, list) else [parsely_authors]:
        if isinstance(value, str):
            found.add(value)
    if found.found:
        return found.found
    # Each meta key is another way of naming the same authors: the first that names any.
    for key in ("parsely-author", "dc:creator", "dc.creator", "dcterms.creator", "author",
                "sailthru.author", "article:author", "og:article:author", "citation_author",
                "byl"):
        for value in page.meta.get(key, ()):
            # One person per citation_author or Dublin Core creator ("Doe, Jane").
            found.add(value, split=key not in _ONE_PERSON_KEYS)
        if found.found:
            break
    return found.found
