"""The article's headline (and its standfirst): the visible heading that agrees with the
page's structured titles, else the best structured title without the site's name."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from gossipcrawl.extract.dom import clean_text, element_text, text_within
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.signals import Signals, marker_words, signals
from gossipcrawl.extract.structured import by_type, first_meta, parsely_page, text_value

# Separators between a headline and the site name in <title> and og:title; a bar needs no
# spaces ("Headline|Site", the full-width "見出し｜サイト"), nor does an underscore between
# CJK words ("标题_频道_网站"), where titles are written without spaces.
_TITLE_SEPARATORS = re.compile(r"\s+(?:-|–|—|::|»|«|›|‹|·|•|~|/|@)\s+|\s*[|｜︱│]\s*"
                               r"|(?<=[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef])\s*_\s*"
                               r"(?=[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef])")
_DANGLING_SEPARATORS = re.compile(r"^\s*(?:\||::|»|·|•|~)\s*|\s*(?:\||::|«|·|•|~)\s*$")
# Title segments that are never the headline (WordPress' old default theme, archives).
_NOISE_SEGMENTS = frozenset({"blog archive", "archives", "home", "blog"})
_HEADLINE_CLASS = re.compile(r"(?:^|\s)entry-title(?:\s|$)|post-title|article-title|headline",
                             re.IGNORECASE)
_DEK_CLASS = re.compile(r"standfirst|\bdek\b|[-_]dek\b|\bdek[-_]|subtitle|subheadline|"
                        r"article-summary|entry-summary|excerpt|\bsummary\b", re.IGNORECASE)
# A heading's own class word that makes it the site's brand, not a headline.
_LOGO_WORD = "logo"
# Ancestors' class words that put a heading in another story's box, a comment or the logo.
_HEADING_CHROME_WORDS = frozenset({"related", "relatedposts", "comment", "comments", "recirc",
                                   "sidebar", _LOGO_WORD})
# A reference title this long may match a heading that is its prefix or suffix.
_MIN_PARTIAL_REFERENCE = 20
_MIN_PARTIAL_SHARE = 0.6
_MAX_HEADLINE_CHARS = 300
# A bare <h2>/<h3> agrees with the title when it is at least this share of it.
_MIN_BARE_SHARE = 0.5
_DEK_TAGS = frozenset({"p", "div", "h2", "h3", "span"})
_MIN_DEK_CHARS, _MAX_DEK_CHARS = 20, 600

Headline = tuple[HtmlElement | None, str | None]


def normalized(text: str) -> str:
    """A comparison key: words only, case-folded."""
    return _NOT_WORDS.sub(" ", text).strip().casefold()


_NOT_WORDS = re.compile(r"[\W_]+")


# --- the site's name ----------------------------------------------------------------------

def site_name(page: ParsedPage) -> str | None:
    name = first_meta(page.meta, "og:site_name", "application-name",
                      "apple-mobile-web-app-title")
    if name:
        return clean_text(html.unescape(name))
    for kind in ("WebSite", "Organization", "NewsMediaOrganization"):
        node = by_type(page.jsonld, kind)
        if node and text_value(node.get("name")):
            return text_value(node.get("name"))
    return None


def host_keys(host: str) -> set[str]:
    """Comparison keys of the host's name, with and without its domain: "heimicke de" and
    "heimicke" for www.heimicke.de."""
    bare = host.removeprefix("www.")
    return {normalized(bare), normalized(bare.rsplit(".", 1)[0])} - {""}


def strip_site_name(title: str, site: str | None, host: str) -> str:
    """`Headline | Site Name` -> `Headline` (also `Site Name: Headline`, `- Site`)."""
    title = _DANGLING_SEPARATORS.sub("", title)   # ":: Portal ::" decorations
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_key = normalized(site) if site else ""
    hosts = {key.replace(" ", "") for key in host_keys(host)}

    def is_site(part: str) -> bool:
        key = normalized(part)
        return bool(key) and (key == site_key
                              or key.removeprefix("www ").replace(" ", "") in hosts
                              or key in _NOISE_SEGMENTS
                              or (bool(site_key) and len(key) > 3 and (
                                  key in site_key
                                  # "Site Name Blog", not "Headline @ Site Name"
                                  or (site_key in key and len(key) <= 2 * len(site_key)))))

    count = len(parts)
    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    # No site name known: the shortest trailing segment of a long title is the site (when
    # the host did not name it already), and short segments before it are its sections
    # ("Headline_Channel_Portal", "Headline - GH - Soaps"), unless they hold a number
    # ("Story - Part 2", "Volume 14 / Chapter 121").
    if not site_key and len(parts) == count > 1 and len(parts[-1]) < 30 \
            and len(parts[-1]) < len(" - ".join(parts[:-1])) / 2:
        parts.pop()
    if not site_key and len(parts) < count:
        while len(parts) > 1 and len(parts[-1]) < len(parts[0]) / 2 \
                and not any(char.isdigit() for char in parts[-1]):
            parts.pop()
    # Re-join with the original separators of the kept span.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else " - ".join(parts)


def _segment_keys(title: str) -> set[str]:
    """Normalized keys of every run of consecutive segments of a title: one of them is the
    headline whatever side the site name (or "Blog Archive") sits on."""
    parts = _TITLE_SEPARATORS.split(title)[:8]
    keys = set()
    for start in range(len(parts)):
        for end in range(start + 1, len(parts) + 1):
            key = normalized(" ".join(parts[start:end]))
            if key:
                keys.add(key)
    return keys


# --- the headline -------------------------------------------------------------------------

# A CMS's name for the page left in a title field ("adac-kindersitztest-herbst-2018").
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)+")


class _References:
    """The titles the page gives in its structured data and `<title>`, as the headline
    finder compares headings with them."""

    def __init__(self, page: ParsedPage, site: str | None):
        host = urlsplit(page.url).hostname or ""
        node, meta = page.article_node, page.meta
        self.titles: list[str] = []   # best first
        exact: set[str] = set()       # keys a heading may equal
        structured = text_value(node.get("headline") or node.get("name")) if node else None
        if structured and not _SLUG.fullmatch(structured):
            self.titles.append(structured)
        parsely = first_meta(meta, "parsely-title") or text_value(
            parsely_page(meta).get("title"))
        if parsely and not _SLUG.fullmatch(parsely):
            self.titles.append(clean_text(html.unescape(parsely)))
        cut: set[str] = set()   # title segments cut off as the site's name or section
        for key in ("og:title", "twitter:title", "dc.title", "dc:title", "dcterms.title",
                    "citation_title"):
            value = first_meta(meta, key)
            if value and not _SLUG.fullmatch(value.strip()):
                value = clean_text(html.unescape(value))
                self.titles.append(self._stripped(value, site, host, cut))
                exact |= _segment_keys(value)
        titles = page.index.tagged("title")
        if titles:
            title_text = element_text(titles[0])
            if title_text:
                self.titles.append(self._stripped(title_text, site, host, cut))
                exact |= _segment_keys(title_text)
        self.site_key = normalized(site) if site else None
        # The host's name ("threatpost" of threatpost.com, "carta info") is the site's,
        # never a headline; nor is a title that is only the site's name (themes that title
        # every page so): the page's headings tell its headline then.
        site_names = host_keys(host) | ({self.site_key} if self.site_key else set())
        titled = bool(self.titles)
        self.titles = [title for title in self.titles if normalized(title) not in site_names]
        self.only_site_names = titled and not self.titles
        self.keys = [normalized(title) for title in self.titles if title]
        exact |= set(self.keys)
        self.exact = exact - site_names - cut - _NOISE_SEGMENTS

    @staticmethod
    def _stripped(title: str, site: str | None, host: str, cut: set[str]) -> str:
        """`strip_site_name`, noting the keys of the segments it cut off in `cut`."""
        stripped = strip_site_name(title, site, host)
        kept = normalized(stripped)
        cut.update(key for part in _TITLE_SEPARATORS.split(title)
                   if (key := normalized(part)) and key not in kept)
        return stripped

    def partly_matches(self, key: str) -> bool:
        """A heading that is the start or the end of a long title (a truncated JSON-LD
        headline, a title with a site suffix) and covers most of it."""
        return any(len(ref) >= _MIN_PARTIAL_REFERENCE
                   and (ref.startswith(key) or key.startswith(ref) or ref.endswith(key))
                   and len(key) >= _MIN_PARTIAL_SHARE * len(ref) for ref in self.keys)


# A site's (or a documentation set's) home: its root, or a folder's index page.
_HOME_PATH = re.compile(r"^/?$|/(?:index|default)\.(?:html?|php|aspx?|shtml)$", re.IGNORECASE)


def _links_home(heading: HtmlElement, url: str) -> bool:
    """A heading whose text is a link to the site's home page: the blog name of old themes
    (`<h1><a href="/">Daytime Dish</a></h1>`), a documentation set's name linking to its
    `index.html`."""
    links = heading.findall(".//a") if heading.tag != "a" else [heading]
    if len(links) != 1:
        return False
    target = urlsplit(urljoin(url, links[0].get("href", "")))
    # `rel="home"` says so whatever the address (`spip.php?page=sommaire`)
    home = "home" in (links[0].get("rel") or "").lower().split()
    if not home and (not _HOME_PATH.search(target.path) or target.query):
        return False
    return links[0] is heading or element_text(links[0]) == element_text(heading)


def _heading_in_chrome(heading: HtmlElement) -> bool:
    """A heading of the page's frame: the site's logo (a portal's name in the top bar, a
    blog hosting service's brand), or a heading in a sidebar, related-posts or comments box."""
    if _LOGO_WORD in marker_words(heading):
        return True
    for ancestor in heading.iterancestors():
        if ancestor.tag in ("aside", "nav"):
            return True
        if ancestor.tag not in ("body", "html") and \
                not _HEADING_CHROME_WORDS.isdisjoint(marker_words(ancestor)):
            return True
    return False


def _heading_elements(found: Signals) -> list[HtmlElement]:
    """`<h1>`s, title-classed `<h2>`/`<h3>`s and `itemprop=headline` elements."""
    headings = [heading for heading in found.headings if heading.tag == "h1" or (
        heading.tag in ("h2", "h3") and _HEADLINE_CLASS.search(heading.get("class") or "")) or (
        heading.tag == "h2" and "title" in (heading.get("class") or "").lower())]
    seen = set(headings)
    for element, attribute, value in found.markup:
        if attribute == "itemprop" and value == "headline" and element not in seen \
                and element.tag not in ("meta", "link"):
            headings.append(element)
            seen.add(element)
    return headings


def _classed_headings(found: Signals) -> list[HtmlElement]:
    """`<div>`/`<span>` headlines (`<div class="headline">`): tried only when no heading
    element agrees with the structured title."""
    return [element for element, value in found.classed
            if element.tag in ("div", "span") and _HEADLINE_CLASS.search(value)]


def _plain_headings(found: Signals) -> list[HtmlElement]:
    """`<h2>`/`<h3>`s without a headline class: old themes and hand-made sites title a
    post with a bare `<h2>` under the site's `<h1>`. Tried last, and only to agree with the
    structured title: a bare subheading is never a guess."""
    return [heading for heading in found.headings if heading.tag in ("h2", "h3")
            and not _HEADLINE_CLASS.search(heading.get("class") or "")]


# (finder, whether its headings are bare subheadings: agreeing with most of the title only,
# and standing in for a missing title only when the page's titles are all its site's name)
_FINDERS: tuple[tuple[Callable[[Signals], list[HtmlElement]], bool], ...] = (
    (_heading_elements, False), (_classed_headings, False), (_plain_headings, True))


def find_headline(page: ParsedPage) -> Headline:
    """`(element, text)`: the visible heading that agrees with the page's structured title
    (JSON-LD, Parse.ly, og:title, `<title>` or one of its segments), or `(None, text)` with
    the best structured title when no heading agrees."""
    references = _References(page, site_name(page))
    verdicts: dict[HtmlElement, bool] = {}

    def usable(heading: HtmlElement) -> bool:
        # Asked only of headings that would win (walking the ancestors costs the most).
        verdict = verdicts.get(heading)
        if verdict is None:
            verdict = verdicts[heading] = not (_links_home(heading, page.url)
                                               or _heading_in_chrome(heading))
        return verdict

    first: Headline | None = None
    longest = max(map(len, references.keys), default=0)
    for finder, bare in _FINDERS:
        may_stand_in = not bare or references.only_site_names
        if not may_stand_in and not references.keys:
            break
        candidates = _candidates(finder(signals(page)), references.site_key, page.url)
        for heading, text, key in candidates:
            # A bare subheading agrees only with most of the title, not with one short
            # segment of it (a section's or a site's name: "Putsch at the radio - CRIC").
            if key in references.exact and usable(heading) and not (
                    bare and len(key) < _MIN_BARE_SHARE * longest):
                return heading, _spaced_as_title(text, references.titles)
        for heading, text, key in candidates:
            if references.partly_matches(key) and usable(heading):
                return heading, text
        if may_stand_in:
            first = first or next(((heading, text) for heading, text, _ in candidates
                                   if usable(heading)), None)
    if references.titles:
        return None, references.titles[0]
    return first or (None, None)


def _spaced_as_title(text: str, titles: list[str]) -> str:
    """The heading's words spaced as a structured title that has the very same characters:
    a heading joined from parts (a kicker, a visually hidden ": ", the headline) reads
    "Kicker : Headline" where the title says "Kicker: Headline"."""
    bare = "".join(text.split())
    return next((title for title in titles if "".join(title.split()) == bare), text)


def _permalink_sign(link: HtmlElement) -> bool:
    """A link to a place in the page printed as a sign ("¶", "#", "§"), not as words."""
    return (link.get("href") or "").startswith("#") and len(element_text(link)) <= 2


def _site_parts(heading: HtmlElement, url: str, site_key: str | None) -> list[HtmlElement]:
    """The parts of a heading that are the site's, not the headline's: a link to the home
    page, a logo, the site's name (`<h1><span>Headline</span><a href="/">Site</a></h1>`),
    and the heading's own permalink sign (`<a href="#intro">¶</a>`)."""
    parts = []
    for element in heading.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        if "logo" in (element.get("class") or "").lower() or (
                element.tag == "a" and (_links_home(element, url) or _permalink_sign(element))):
            parts.append(element)
    if site_key:
        parts += [child for child in heading if isinstance(child.tag, str)
                  and normalized(child.text_content()) == site_key]
    return parts


def _candidates(headings: list[HtmlElement], site_key: str | None,
                url: str) -> list[tuple[HtmlElement, str, str]]:
    """`(heading, text, key)` of the headings that could be a headline at all; a heading's
    text leaves out the site's name or logo printed inside it."""
    found = []
    for heading in headings:
        site_parts = _site_parts(heading, url, site_key) if len(heading) else []
        # Read only as far as a headline's length: a "headline" box may hold a whole story.
        text = text_within(heading, _MAX_HEADLINE_CHARS, skip=site_parts)
        if not text:
            continue
        key = normalized(text)
        if key and key != site_key:
            found.append((heading, text, key))
    return found


def headline_element(page: ParsedPage) -> Headline:
    """`find_headline`, once per page."""
    return page.shared(find_headline)


def headline(page: ParsedPage) -> str | None:
    """The article's own headline: a visible heading that agrees with the structured title
    wins (it is what readers see, never truncated); otherwise structured data, Parse.ly,
    og:title, then `<title>`, each without the site-name suffix."""
    return headline_element(page)[1]


def article_scope(page: ParsedPage) -> frozenset[HtmlElement]:
    """The ancestors of the article's headline: never page chrome, whatever their class."""
    heading = headline_element(page)[0]
    return frozenset(heading.iterancestors()) if heading is not None else frozenset()


# --- the standfirst -----------------------------------------------------------------------

def description(page: ParsedPage) -> str | None:
    """The standfirst printed next to the headline, else JSON-LD/meta descriptions."""
    dek = _standfirst(page)
    if dek:
        return dek
    node = page.article_node
    value = (text_value(node.get("description")) if node else None) or first_meta(
        page.meta, "og:description", "description", "twitter:description")
    value = clean_text(html.unescape(value)) if value else None
    return value or None


def _standfirst(page: ParsedPage) -> str | None:
    """A dek/standfirst/subheadline element in the headline's neighbourhood (its parent's
    or grandparent's subtree): searching there, not the whole page, keeps excerpts of other
    stories out and costs almost nothing."""
    heading = headline_element(page)[0]
    if heading is None:
        return None
    area = heading.getparent()
    if area is not None and area.getparent() is not None and area.tag not in ("body", "main"):
        area = area.getparent()
    if area is None:
        return None
    # The page's classed elements are indexed already: look at the few whose class names a
    # standfirst, not at every element of the area.
    for element, _, _ in page.index.matching(_DEK_CLASS, "class"):
        if element is heading or element.tag not in _DEK_TAGS:
            continue
        if not any(ancestor is area for ancestor in element.iterancestors()):
            continue
        text = text_within(element, _MAX_DEK_CHARS)
        if text and len(text) >= _MIN_DEK_CHARS:
            return text
    return None
