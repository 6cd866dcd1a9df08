"""Signals that a page is a listing (archive, tag, author, search, home) or a static page
rather than an article: the structured data's page type, WordPress' body classes, og:type,
and teasers (headings linking to other stories). `verdict.judge` weighs them."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml import etree

from gossipcrawl.extract.dom import element_text
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.signals import in_chrome, signals
from gossipcrawl.extract.structured import ARTICLE_TYPES, first_meta, node_types

_BODY_CLASS = etree.XPath("/html/body/@class")
# WordPress `body_class()` words of pages that are not a single post.
_WP_LISTING_CLASSES = ("archive", "category", "tag", "author", "search", "search-results",
                       "search-no-results", "home", "blog", "error404", "date", "paged",
                       "post-type-archive", "tax")
_WP_SINGLE_CLASSES = ("single", "single-post", "singular")
ARTICLE_OG_TYPES = ("article", "news", "newsarticle")


def page_types(page: ParsedPage) -> set[str]:
    """Every schema.org type the page's JSON-LD names."""
    return set().union(*(node_types(node) for node in page.jsonld))


# Schema.org types of pages that are not articles (a node of one of these describes the
# page itself); other LISTING_TYPES (ItemList, MediaGallery) may be a part of an article.
PAGE_KINDS = frozenset({"CollectionPage", "ProfilePage", "SearchResultsPage", "ContactPage",
                        "AboutPage", "QAPage", "FAQPage", "CheckoutPage"})


def page_kind_reason(page: ParsedPage) -> str | None:
    """Why the page's own markup says it is a listing or a static page rather than an
    article: a schema.org page type without an article node, WordPress' body classes,
    og:type profile. None when it says nothing of the kind."""
    types = page_types(page)
    has_article_node = bool(types & ARTICLE_TYPES)
    if types & PAGE_KINDS and not has_article_node:
        return f"listing page ({', '.join(sorted(types & PAGE_KINDS))})"
    body_classes = str((_BODY_CLASS(page.root) or [""])[0]).split()
    wordpress = any(word.startswith(("postid-", "page-id-", "wp-", "page-template",
                                     "post-template", "category-", "tag-", "author-"))
                    or word in ("search-results", "error404", "logged-in")
                    for word in body_classes)
    if wordpress and not any(word in _WP_SINGLE_CLASSES or word.startswith("postid-")
                             for word in body_classes):
        listing = [word for word in body_classes if word in _WP_LISTING_CLASSES]
        if listing:
            return f"listing page (WordPress {' '.join(listing)})"
        if not has_article_node and any(word == "page" or word.startswith("page-id-")
                                        for word in body_classes):
            return "static page (WordPress page)"
    og_type = (first_meta(page.meta, "og:type") or "").lower()
    if og_type == "profile" and not has_article_node:
        return "profile page (og:type profile)"
    return None


def teaser_count(page: ParsedPage) -> int:
    """Headings outside page chrome that link to another page of the same site: each is a
    teaser of another story. An article page has none (its own headline links to itself
    at most); a listing has one per story. The link must carry most of the heading's
    words: a heading with an "edit" or "share" link beside its own text is no teaser."""
    url = page.url
    here = urlsplit(url)
    own = (here.netloc, here.path.rstrip("/"))
    count = 0
    for heading in signals(page).headings:
        if heading.tag == "h1":
            continue
        links = heading.findall(".//a")
        target = urlsplit(urljoin(url, links[0].get("href", ""))) if links else None
        if target is None or target.scheme not in ("http", "https", "file"):
            continue
        if (target.netloc, target.path.rstrip("/")) == own or target.path in ("", "/"):
            continue
        if target.netloc and here.netloc and target.netloc != here.netloc:
            continue
        if 2 * len(element_text(links[0])) < len(element_text(heading)):
            continue
        if in_chrome(page, heading):
            continue
        count += 1
    return count
