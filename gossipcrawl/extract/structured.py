"""Structured data of a page: JSON-LD nodes and `<meta>` values.

Real pages break JSON-LD in every way: several blocks, `@graph` arrays, nested lists,
HTML and JavaScript comments, trailing commas and raw control characters inside the
script, entities encoded twice. Each block is parsed on its own (the standard `json`
module, non-strict; a repaired copy when that fails) so that one broken block loses only
itself.
"""

from __future__ import annotations

import html
import json
import logging
import re
from typing import Any

from lxml.html import HtmlElement

from gossipcrawl.extract.index import PageIndex

logger = logging.getLogger(__name__)

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What a broken block's repair looks at: strings (kept whole), comments, CDATA markers,
# trailing commas.
# An unclosed string or comment runs to the end, so that no character is scanned twice.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|//[^\n]*|/\*.*?(?:\*/|\Z)|<!--|-->|<!\[CDATA\[|\]\]>|,(?=\s*[}\]])',
                          re.DOTALL)

# schema.org's Article and all its subtypes (https://schema.org/Article, "More specific
# Types", recursively), and "Posting", which some CMSs write.
ARTICLE_TYPES = frozenset({
    "Article", "AdvertiserContentArticle", "Report", "SatiricalArticle", "TechArticle",
    "APIReference", "ScholarlyArticle", "MedicalScholarlyArticle",
    "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle", "BackgroundNewsArticle",
    "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle",
    "SocialMediaPosting", "BlogPosting", "LiveBlogPosting", "DiscussionForumPosting",
    "Posting",
})
LISTING_TYPES = frozenset({
    "CollectionPage", "ProfilePage", "SearchResultsPage", "ContactPage", "AboutPage",
    "ItemList", "QAPage", "FAQPage", "CheckoutPage", "MediaGallery",
})


def jsonld_nodes(root: HtmlElement, index: PageIndex | None = None) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, flattened: `@graph` members and list members are
    separate nodes, in page order. `index`, the page's when there is one, spares a walk."""
    nodes: list[dict[str, Any]] = []
    scripts = index.tagged("script") if index is not None else root.iter("script")
    for script in scripts:
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        for item in _parse_block(script):
            _flatten(item, nodes)
    return nodes


def _parse_block(script: HtmlElement) -> list[Any]:
    text = script.text or ""
    try:
        data = json.loads(text, strict=False)
    except (ValueError, RecursionError):
        try:
            data = json.loads(repair_json(text), strict=False)
        except (ValueError, RecursionError) as exc:
            logger.debug("unreadable JSON-LD block skipped: %s", exc)
            return []
    return data if isinstance(data, list) else [data]


def _repair_token(match: re.Match[str]) -> str:
    token = match.group()
    return token if token.startswith('"') else ""


def repair_json(text: str) -> str:
    """What CMSs wrap or leave in JSON-LD, taken out: HTML comment and CDATA markers,
    JavaScript comments, trailing commas, control characters, a final `;`. Strings stay as written
    (`"https://..."` holds `//`)."""
    text = _JSON_TOKENS.sub(_repair_token, _CONTROL_CHARS.sub(" ", text))
    return text.strip().rstrip("; ,\t\r\n")


# Lists and @graphs nested deeper than this hold no real metadata (and hostile pages nest
# them thousands deep to exhaust the stack).
MAX_NESTING = 20


def _flatten(item: Any, nodes: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > MAX_NESTING:
        return
    if isinstance(item, list):
        for member in item:
            _flatten(member, nodes, depth + 1)
    elif isinstance(item, dict):
        graph = item.get("@graph")
        if isinstance(graph, (list, dict)):
            _flatten(graph, nodes, depth + 1)
        if any(key != "@graph" and key != "@context" for key in item):
            nodes.append(item)


def node_types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {value.rsplit("/", 1)[-1] for value in kinds if isinstance(value, str)}


def is_article_itemtype(itemtype: str) -> bool:
    """Whether a microdata `itemtype` ("http://schema.org/BlogPosting") is an article's."""
    return any(url.rstrip("/").rsplit("/", 1)[-1] in ARTICLE_TYPES for url in itemtype.split())


def find_article_node(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The JSON-LD node that describes the article itself (the one with most fields when a
    page carries several, e.g. an Article and a stub NewsArticle), with its `@id`
    references resolved: Yoast and Rank Math name the author and the image only as
    `{"@id": ...}` pointing at another node of the `@graph`."""
    articles = [node for node in nodes if node_types(node) & ARTICLE_TYPES]
    if not articles:
        return None
    best = max(articles, key=lambda node: ("headline" in node, len(node)))
    return resolve_references(best, nodes)


def resolve_references(node: dict[str, Any],
                       nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """A shallow copy of `node` whose `{"@id": ...}` values (alone or in lists) are merged
    with the node of that `@id`; the reference's own keys win. One level deep: enough for
    author, image and publisher, and no risk of cycles."""
    index = {other["@id"]: other for other in nodes
             if isinstance(other.get("@id"), str) and other is not node}
    if not index:
        return node

    return {key: _resolve(value, index) if key not in ("@id", "@context") else value
            for key, value in node.items()}


def _resolve(value: Any, index: dict[Any, dict[str, Any]]) -> Any:
    # A module function, not a recursive closure: a closure that calls itself is a
    # reference cycle, left with all it holds to the cyclic garbage collector.
    if isinstance(value, dict):
        target = index.get(value.get("@id"))
        return {**target, **value} if target is not None else value
    if isinstance(value, list):
        return [_resolve(member, index) for member in value]
    return value


def by_type(nodes: list[dict[str, Any]], type_name: str) -> dict[str, Any] | None:
    return next((node for node in nodes if type_name in node_types(node)), None)


def text_value(value: Any) -> str | None:
    """A JSON-LD value as clean text: first of a list, `name`/`@value` of an object, HTML
    entities decoded (twice, since many plugins encode them twice)."""
    if isinstance(value, list):
        value = next((member for member in value if member), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html.unescape(html.unescape(value))
    value = " ".join(value.split())
    return value or None


def meta_values(root: HtmlElement, index: PageIndex | None = None) -> dict[str, list[str]]:
    """`<meta>` contents keyed by lower-cased property/name/itemprop, in page order.
    `index`, the page's when there is one, spares a walk."""
    values: dict[str, list[str]] = {}
    metas = index.tagged("meta") if index is not None else root.iter("meta")
    for meta in metas:
        if meta.get("content") is None:
            continue
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if not key:
            continue
        content = meta.get("content", "").strip()
        if content:
            # RDFa lets one tag carry several properties: `property="og:title dc:title"`.
            for name in key.lower().split():
                values.setdefault(name, []).append(content)
    return values


def first_meta(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        found = meta.get(key)
        if found:
            return found[0]
    return None


def parsely_page(meta: dict[str, list[str]]) -> dict[str, Any]:
    """Parse.ly's `<meta name="parsely-page">` JSON (older integrations put title, authors,
    pub_date and tags there instead of separate `parsely-*` tags); {} when absent/broken."""
    raw = first_meta(meta, "parsely-page")
    if not raw:
        return {}
    try:
        data = json.loads(raw, strict=False)
    except ValueError:
        try:
            data = json.loads(html.unescape(raw), strict=False)
        except ValueError:
            return {}
    return data if isinstance(data, dict) else {}
