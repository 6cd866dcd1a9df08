"""The demo site's content, loaded from `articles.toml`, and the facts a crawl must find.

The data file is read with importlib.resources, so this works from a source checkout, a
wheel or an egg (as long as the package data is declared: `articles.toml`, `templates/*`).

The *manifest* is what the end-to-end tests compare a crawl of the demo against: for each
article, the fields of the contract's Article item that the page states unambiguously
(`manifest(base_url)`), plus the paths of pages that are not articles
(`non_article_paths()`).
"""

from __future__ import annotations

import html
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, UTC
from functools import cached_property, lru_cache
from importlib.resources import files

PACKAGE = "gossipcrawl.demo"
DATA_FILE = "articles.toml"

POSTS_PER_PAGE = 10  # home page and its /page/N/
ARCHIVE_PER_PAGE = 5  # category, tag and author archives
NEWS_SITEMAP_SIZE = 10
FEED_SIZE = 10

# Shows the demo's articles may mention: id -> (official title, names and abbreviations as
# written on the pages). Matching is case-sensitive on word boundaries, longest name first,
# so "in recent days" or "a bold move" are not mentions. The ids follow the slug of the
# official title; the project's gazetteer (gossipcrawl/data/shows.toml) is the authority
# for a crawl, this table only checks and describes the demo's own text.
SHOWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "general-hospital": ("General Hospital", ("General Hospital", "GH")),
    "the-young-and-the-restless": (
        "The Young and the Restless",
        ("The Young and the Restless", "The Young and The Restless",
         "Young and the Restless", "Y&R"),
    ),
    "the-bold-and-the-beautiful": (
        "The Bold and the Beautiful",
        ("The Bold and the Beautiful", "Bold and the Beautiful", "B&B"),
    ),
    "days-of-our-lives": ("Days of Our Lives", ("Days of Our Lives", "Days of our Lives", "DOOL")),
    "coronation-street": ("Coronation Street", ("Coronation Street", "Corrie")),
    "eastenders": ("EastEnders", ("EastEnders",)),
    "emmerdale": ("Emmerdale", ("Emmerdale",)),
    "keeping-up-with-the-kardashians": (
        "Keeping Up with the Kardashians",
        ("Keeping Up with the Kardashians", "Keeping Up With The Kardashians", "KUWTK"),
    ),
    "the-kardashians": ("The Kardashians", ("The Kardashians",)),
    "vanderpump-rules": ("Vanderpump Rules", ("Vanderpump Rules", "Pump Rules", "VPR")),
}

_INLINE = re.compile(r"\*([^*]+)\*|\[([^\]]+)\]\(([^)\s]+)\)")


def slugify(text: str) -> str:
    """WordPress-style slug: `Y&R Spoilers` -> `yr-spoilers`, `Nurses' Ball` -> `nurses-ball`."""
    text = text.lower().replace("&", "").replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def to_utc(raw: str) -> str:
    """`2024-07-12T09:15:00-04:00` -> `2024-07-12T13:15:00Z`."""
    moment = datetime.fromisoformat(raw)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def inline_text(source: str) -> str:
    """A block's text as a reader sees it (markup markers removed)."""
    return _INLINE.sub(lambda m: m.group(1) or m.group(2), source)


def inline_html(source: str, base_url: str = "") -> str:
    """A block's HTML: escaped text, `*x*` as <em>, `[x](/path/)` as a link."""
    out, pos = [], 0
    for match in _INLINE.finditer(source):
        out.append(html.escape(source[pos:match.start()], quote=False))
        if match.group(1) is not None:
            out.append(f"<em>{html.escape(match.group(1), quote=False)}</em>")
        else:
            href = match.group(3)
            if href.startswith("/"):
                href = base_url + href
            out.append(f'<a href="{html.escape(href)}">{html.escape(match.group(2), quote=False)}</a>')
        pos = match.end()
    out.append(html.escape(source[pos:], quote=False))
    return "".join(out)


def find_show_mentions(text: str) -> dict[str, int]:
    """Count show mentions in `text` with the SHOWS table: {show id: count}."""
    names = sorted(
        ((name, show_id) for show_id, (_, aliases) in SHOWS.items() for name in aliases),
        key=lambda pair: -len(pair[0]),
    )
    pattern = re.compile(
        r"(?<![\w&])(" + "|".join(re.escape(name) for name, _ in names) + r")(?![\w&])"
    )
    lookup = dict(names)
    counts: dict[str, int] = {}
    for match in pattern.finditer(text):
        show_id = lookup[match.group(1)]
        counts[show_id] = counts.get(show_id, 0) + 1
    return counts


@dataclass(frozen=True)
class Author:
    slug: str
    name: str
    bio: str

    @property
    def path(self) -> str:
        return f"/author/{self.slug}/"


@dataclass(frozen=True)
class Category:
    slug: str
    name: str

    @property
    def path(self) -> str:
        return f"/category/{self.slug}/"


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str

    @property
    def path(self) -> str:
        return f"/tag/{self.slug}/"


@dataclass(frozen=True)
class Block:
    """One block of an article body: `p`, `h2` or `h3`; `source` keeps the inline markup."""

    kind: str
    source: str

    @property
    def text(self) -> str:
        return inline_text(self.source)

    @property
    def is_heading(self) -> bool:
        return self.kind in ("h2", "h3")


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    author_url: str | None
    date: str  # as on the page, with its UTC offset
    text: str
    parent: int | None  # id of the parent comment
    by_post_author: bool = False

    @property
    def date_utc(self) -> str:
        return to_utc(self.date)


@dataclass(frozen=True)
class Article:
    post_id: int
    slug: str
    old_slug: str | None
    category: Category
    theme: str  # "modern" (block theme, Yoast JSON-LD) or "classic" (OpenGraph only)
    authors: tuple[Author, ...]
    published: str  # as on the page, with its UTC offset
    modified: str | None
    headline: str
    description: str
    tags: tuple[Tag, ...]
    shows: tuple[str, ...]  # show ids the headline and body mention, as declared
    image_path: str
    caption: str | None
    trending: bool
    comments_open: bool
    comments: tuple[Comment, ...]  # in page order (threads depth-first)
    blocks: tuple[Block, ...]

    # -- URLs ---------------------------------------------------------------------------

    @property
    def path(self) -> str:
        return f"/{self.slug}/"

    @property
    def amp_path(self) -> str:
        return f"/{self.slug}/amp/"

    @property
    def old_path(self) -> str | None:
        return f"/{self.old_slug}/" if self.old_slug else None

    # -- dates --------------------------------------------------------------------------

    @cached_property
    def published_dt(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @cached_property
    def modified_dt(self) -> datetime:
        return datetime.fromisoformat(self.modified or self.published)

    @property
    def date_published_utc(self) -> str:
        return to_utc(self.published)

    @property
    def date_modified_utc(self) -> str | None:
        return to_utc(self.modified) if self.modified else None

    # -- body ---------------------------------------------------------------------------

    @property
    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if not block.is_heading]

    @property
    def article_body(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def sections(self) -> list[dict]:
        sections: list[dict] = [{"heading": None, "paragraphs": []}]
        for block in self.blocks:
            if block.is_heading:
                sections.append({"heading": block.text, "paragraphs": []})
            else:
                sections[-1]["paragraphs"].append(block.text)
        return sections

    @property
    def word_count(self) -> int:
        return len(self.article_body.split())

    @property
    def excerpt(self) -> str:
        words = self.paragraphs[0].split()
        return " ".join(words[:40]) + (" [\u2026]" if len(words) > 40 else "")

    @property
    def show_mentions(self) -> dict[str, int]:
        """Mentions in headline and body, counted with the SHOWS table."""
        return find_show_mentions(self.headline + "\n\n" + self.article_body)

    # -- comments -----------------------------------------------------------------------

    @property
    def comment_count(self) -> int:
        return len(self.comments)

    @property
    def has_comment_form(self) -> bool:
        return self.comments_open

    def comment_form(self, base_url: str) -> dict | None:
        """The comment form as the contract describes it, or None when comments are closed."""
        if not self.comments_open:
            return None
        hidden = {"comment_post_ID": str(self.post_id), "comment_parent": "0"}
        if self.theme == "modern":  # Akismet's honeypot and JS marker, as on real sites
            hidden.update({"ak_hp_textarea": "", "ak_js": "1720800000000"})
        return {
            "provider": "wordpress",
            "action": base_url + "/wp-comments-post.php",
            "method": "post",
            "title": "Leave A Reply",
            "notes": ["Your email address will not be published."],
            "fields": [
                {"name": "comment", "type": "textarea", "label": "Comment", "required": True},
                {"name": "author", "type": "text", "label": "Name", "required": True},
                {"name": "email", "type": "email", "label": "Email", "required": True},
                {"name": "url", "type": "url", "label": "Website", "required": False},
            ],
            "hiddenFields": hidden,
        }

    # -- the expected item --------------------------------------------------------------

    def expected(self, base_url: str) -> dict:
        """The facts a crawl of this article must produce, in the contract's field names.

        Extra keys (not item fields): `path`, `ampUrl`, `oldUrl`, `postId`, `theme`,
        `category`, `hasCommentForm`, `wordCount`.
        """
        url = base_url + self.path
        return {
            "path": self.path,
            "url": url,
            "canonicalUrl": url,
            "ampUrl": base_url + self.amp_path,
            "oldUrl": base_url + self.old_path if self.old_path else None,
            "site": base_url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0],
            "headline": self.headline,
            "description": self.description,
            "articleBody": self.article_body,
            "sections": self.sections,
            "authors": [{"name": a.name, "url": base_url + a.path} for a in self.authors],
            "datePublished": self.date_published_utc,
            "datePublishedRaw": self.published,
            "dateModified": self.date_modified_utc,
            "inLanguage": site_info()["language"],
            "mainImage": {"url": base_url + self.image_path},
            # The modern theme shows Yoast breadcrumbs (Home » Category » headline, the
            # last one unlinked); the classic theme has none.
            "breadcrumbs": (
                [{"name": "Home", "url": base_url + "/"},
                 {"name": self.category.name, "url": base_url + self.category.path}]
                if self.theme == "modern" else []
            ),
            "tags": [tag.name for tag in self.tags],
            "shows": [
                {"id": show_id, "name": SHOWS[show_id][0], "mentions": count}
                for show_id, count in sorted(self.show_mentions.items(),
                                             key=lambda kv: (-kv[1], SHOWS[kv[0]][0], kv[0]))
            ],
            "commentCount": self.comment_count,
            "comments": [
                {
                    "id": str(c.id),
                    "author": c.author,
                    "datePublished": c.date_utc,
                    "text": c.text,
                    "parentId": str(c.parent) if c.parent else None,
                }
                for c in self.comments
            ],
            "commentForm": self.comment_form(base_url),
            "hasCommentForm": self.has_comment_form,
            "postId": self.post_id,
            "theme": self.theme,
            "category": self.category.slug,
            "wordCount": self.word_count,
        }


# -- loading ------------------------------------------------------------------------------


def _parse_body(body: str) -> tuple[Block, ...]:
    blocks = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        text = " ".join(line.strip() for line in chunk.splitlines() if line.strip())
        if not text:
            continue
        if text.startswith("### "):
            blocks.append(Block("h3", text[4:].strip()))
        elif text.startswith("## "):
            blocks.append(Block("h2", text[3:].strip()))
        else:
            blocks.append(Block("p", text))
    return tuple(blocks)


def _thread_order(comments: list[Comment]) -> tuple[Comment, ...]:
    """Page order: each thread depth-first, replies after their parent (ids stay chronological)."""
    ordered: list[Comment] = []

    def visit(parent: int | None) -> None:
        for comment in comments:
            if comment.parent == parent:
                ordered.append(comment)
                visit(comment.id)

    visit(None)
    return tuple(ordered)


@lru_cache(maxsize=1)
def _raw() -> dict:
    return tomllib.loads(files(PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8"))


def site_info() -> dict:
    """`{"name", "tagline", "language"}` of the demo site."""
    site = _raw()["site"]
    return {"name": site["name"], "tagline": site["tagline"], "language": site["language"]}


@lru_cache(maxsize=1)
def authors() -> dict[str, Author]:
    return {slug: Author(slug, a["name"], a["bio"]) for slug, a in _raw()["authors"].items()}


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    return {slug: Category(slug, c["name"]) for slug, c in _raw()["categories"].items()}


@lru_cache(maxsize=1)
def load_articles() -> tuple[Article, ...]:
    """All articles, newest first (by UTC publication time)."""
    raw = _raw()
    by_author, by_category = authors(), categories()
    entries = sorted(raw["articles"], key=lambda a: datetime.fromisoformat(a["published"]))
    next_comment_id = raw["site"]["first_comment_id"]
    articles = []
    for entry in entries:  # comment ids grow with time across the site, as in WordPress
        comments: list[Comment] = []
        for item in entry.get("comments", []):
            reply_to = item.get("reply_to")
            comments.append(Comment(
                id=next_comment_id,
                author=item["author"],
                author_url=item.get("url"),
                date=item["date"],
                text=item["text"],
                parent=comments[reply_to - 1].id if reply_to else None,
                by_post_author=item.get("post_author", False),
            ))
            next_comment_id += 1
        published = datetime.fromisoformat(entry["published"])
        articles.append(Article(
            post_id=entry["id"],
            slug=entry["slug"],
            old_slug=entry.get("old_slug"),
            category=by_category[entry["category"]],
            theme=entry["theme"],
            authors=tuple(by_author[slug] for slug in entry["authors"]),
            published=entry["published"],
            modified=entry.get("modified"),
            headline=entry["headline"],
            description=entry["description"],
            tags=tuple(Tag(slugify(name), name) for name in entry["tags"]),
            shows=tuple(entry["shows"]),
            image_path=entry.get("image")
            or f"/wp-content/uploads/{published:%Y/%m}/{entry['slug']}.jpg",
            caption=entry.get("caption"),
            trending=entry.get("trending", False),
            comments_open=entry.get("comments_open", True),
            comments=_thread_order(comments),
            blocks=_parse_body(entry["body"]),
        ))
    articles.sort(key=lambda a: a.published_dt, reverse=True)
    return tuple(articles)


def get_article(slug: str) -> Article | None:
    return _by_slug().get(slug)


@lru_cache(maxsize=1)
def _by_slug() -> dict[str, Article]:
    return {a.slug: a for a in load_articles()}


@lru_cache(maxsize=1)
def tags() -> dict[str, Tag]:
    found: dict[str, Tag] = {}
    for article in load_articles():
        for tag in article.tags:
            found.setdefault(tag.slug, tag)
    return found


# -- the manifest -------------------------------------------------------------------------

STATIC_PAGES = ("/about/", "/contact/", "/privacy-policy/")
PRIVATE_PATH = "/private/"  # disallowed by robots.txt: a polite crawl never fetches it


def pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def listing_paths() -> list[str]:
    """Every listing page: home, categories, tags and authors with their pagination."""
    articles = load_articles()

    def paged(prefix: str, count: int, per_page: int) -> list[str]:
        return [prefix] + [f"{prefix}page/{n}/" for n in range(2, pages(count, per_page) + 1)]

    paths = paged("/", len(articles), POSTS_PER_PAGE)
    for category in categories().values():
        count = sum(1 for a in articles if a.category == category)
        paths += paged(category.path, count, ARCHIVE_PER_PAGE)
    for tag in tags().values():
        count = sum(1 for a in articles if tag in a.tags)
        paths += paged(tag.path, count, ARCHIVE_PER_PAGE)
    for author in authors().values():
        count = sum(1 for a in articles if author in a.authors)
        paths += paged(author.path, count, ARCHIVE_PER_PAGE)
    return paths


def non_article_paths() -> list[str]:
    """Paths of HTML pages that are not articles (a crawl must emit no item for them)."""
    return listing_paths() + list(STATIC_PAGES) + [PRIVATE_PATH]


def manifest(base_url: str) -> list[dict]:
    """Expected facts for every article, newest first; see `Article.expected`."""
    base_url = base_url.rstrip("/")
    return [article.expected(base_url) for article in load_articles()]
