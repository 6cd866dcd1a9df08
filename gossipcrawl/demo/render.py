"""Pages of the demo site, rendered from `templates/` for one base URL.

`Site(base_url).handle(method, target)` maps a request to a `Response`; the HTTP server in
`server.py` only moves bytes. Everything is computed per request from `content.py`, so
canonical links, OpenGraph, JSON-LD, sitemaps and the feed carry the real base URL.

URL layout (WordPress-like):

    /robots.txt, /sitemap_index.xml, /post-sitemap.xml, /page-sitemap.xml,
    /category-sitemap.xml, /news-sitemap.xml, /feed/
    /  and /page/N/                      newest posts, 10 per page
    /category/<slug>/[page/N/]           5 per page; likewise /tag/<slug>/ and /author/<slug>/
    /<slug>/                             article;  /<slug>/amp/  its AMP copy
    /old-<slug>/                         301 to /<slug>/ (one article was renamed)
    /?p=<post id>                        301 to the article (WordPress shortlink)
    /?s=<words>                          search results
    /about/, /contact/, /privacy-policy/ pages;  /private/ (disallowed by robots.txt)
    anything else                        404 page (images under /wp-content/ included)
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, UTC
from email.utils import format_datetime
from functools import cache
from importlib.resources import files
from string import Template
from urllib.parse import parse_qs, quote, urlsplit

from . import content
from .content import (
    ARCHIVE_PER_PAGE, FEED_SIZE, NEWS_SITEMAP_SIZE, POSTS_PER_PAGE, Article, inline_html,
)

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"

AD_CLIENT = "ca-pub-0000000000000000"


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@cache
def template(name: str) -> Template:
    return Template(files(content.PACKAGE).joinpath("templates", name).read_text(encoding="utf-8"))


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def human_date(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def human_time(moment: datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"


def iso_utc(moment: datetime) -> str:
    """Yoast's sitemap style: `2024-07-12T20:40:00+00:00`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def json_script(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=None).replace("</", "<\\/")


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class Site:
    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.info = content.site_info()
        self.articles = content.load_articles()
        self.by_id = {a.post_id: a for a in self.articles}
        self.by_slug = {a.slug: a for a in self.articles}
        self.old_slugs = {a.old_slug: a for a in self.articles if a.old_slug}

    # ===================================================================== routing =====

    def handle(self, method: str, target: str) -> Response:
        parts = urlsplit(target)
        path = parts.path or "/"
        query = parse_qs(parts.query)
        if method == "POST":
            if path == "/wp-comments-post.php":
                return self.error(403, "Comments cannot be posted to the demo site.")
            return self.error(405, "Method not allowed.")
        if path == "/" and "p" in query:
            article = self.by_id.get(int(query["p"][0])) if query["p"][0].isdigit() else None
            return self.redirect(article.path) if article else self.not_found()
        if path == "/" and "s" in query:
            return self.search(query["s"][0])
        response = self.route(path)
        if (response is None and not path.endswith("/")
                and "." not in path.rsplit("/", 1)[-1]
                and self.route(path + "/") is not None):  # WordPress adds the trailing slash
            return self.redirect(path + "/")
        return response or self.not_found()

    def route(self, path: str) -> Response | None:
        fixed = {
            "/robots.txt": self.robots,
            "/sitemap_index.xml": self.sitemap_index,
            "/post-sitemap.xml": self.post_sitemap,
            "/page-sitemap.xml": self.page_sitemap,
            "/category-sitemap.xml": self.category_sitemap,
            "/news-sitemap.xml": self.news_sitemap,
            "/feed/": self.feed,
            "/about/": self.about,
            "/contact/": self.contact,
            "/privacy-policy/": self.privacy,
            "/private/": self.private,
        }
        if path in fixed:
            return fixed[path]()
        if path.startswith(("/wp-admin/", "/private/")):
            return self.error(403, "You do not have permission to view this page.")
        if path == "/":
            return self.home(1)
        match = re.fullmatch(r"/page/(\d+)/", path)
        if match:
            return self.paged_redirect("/", match) or self.home(int(match.group(1)))
        match = re.fullmatch(r"/(category|tag|author)/([a-z0-9-]+)/(?:page/(\d+)/)?", path)
        if match:
            return self.archive(match.group(1), match.group(2), match)
        match = re.fullmatch(r"/([a-z0-9-]+)/(amp/)?", path)
        if match:
            slug, amp = match.groups()
            if slug in self.by_slug:
                article = self.by_slug[slug]
                return self.amp_page(article) if amp else self.article_page(article)
            if slug in self.old_slugs and not amp:
                return self.redirect(self.old_slugs[slug].path)
        return None

    def paged_redirect(self, prefix: str, match: re.Match) -> Response | None:
        if match.group(match.lastindex or 0) == "1":  # /page/1/ is the first page itself
            return self.redirect(prefix)
        return None

    # ================================================================ responses ======

    def redirect(self, path: str, status: int = 301) -> Response:
        location = self.base + path
        body = f'<html><body>Moved to <a href="{esc(location)}">{esc(location)}</a></body></html>'
        return Response(status, HTML, body.encode(), {"Location": location})

    def error(self, status: int, message: str) -> Response:
        page = self.modern_page(
            title=f"{message} &#8211; {esc(self.info['name'])}",
            head='<meta name="robots" content="noindex, follow">',
            body_class="error",
            main=f'<section class="error-page"><h1 class="page-title">{esc(message)}</h1></section>',
        )
        return Response(status, HTML, page.encode())

    def not_found(self) -> Response:
        main = (
            '<section class="error-404 not-found">'
            '<header class="page-header"><h1 class="page-title">Oops! That page can&rsquo;t be found.</h1></header>'
            '<div class="page-content"><p>It looks like nothing was found at this location. '
            'Maybe try one of the links below or a search?</p>'
            f'{self.search_form("search-404")}</div></section>'
        )
        page = self.modern_page(
            title=f"Page not found &#8211; {esc(self.info['name'])}",
            head='<meta name="robots" content="noindex, follow">',
            body_class="error404 hfeed",
            main=main,
        )
        return Response(404, HTML, page.encode())

    # ============================================================ shared chrome =====

    def nav_items(self, indent: str = "      ") -> str:
        items = [
            f'{indent}<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
            f'<a href="{self.base}{c.path}">{esc(c.name)}</a></li>'
            for c in content.categories().values()
        ]
        items.append(f'{indent}<li class="menu-item"><a href="{self.base}/about/">About</a></li>')
        items.append(f'{indent}<li class="menu-item"><a href="{self.base}/contact/">Contact</a></li>')
        return "\n".join(items)

    def tracked(self, article: Article, source: str, medium: str) -> str:
        """Links some widgets and the feed add campaign parameters to, as plugins do."""
        return (f"{self.base}{article.path}?utm_source={source}&utm_medium={medium}"
                f"&utm_campaign={article.slug}")

    def trending(self, exclude: Article | None) -> list[tuple[Article, str]]:
        links = []
        for n, article in enumerate(a for a in self.articles if a.trending and a is not exclude):
            if article.old_path:  # the sidebar was never updated after the rename
                url = self.base + article.old_path
            elif n % 2 == 0:
                url = self.tracked(article, "trending", "sidebar")
            else:
                url = self.base + article.path
            links.append((article, url))
        return links[:6]

    def search_form(self, form_id: str = "search-form-1") -> str:
        return (
            f'<form role="search" method="get" class="search-form" id="{form_id}" action="{self.base}/">'
            '<label><span class="screen-reader-text">Search for:</span>'
            '<input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s"></label>'
            '<input type="submit" class="search-submit" value="Search"></form>'
        )

    def newsletter_form(self, form_id: str, list_name: str) -> str:
        return (
            f'<form class="newsletter-form" id="{form_id}" action="{self.base}/newsletter/subscribe/" method="post">'
            f'<label for="{form_id}-email">Email address</label>'
            f'<input type="email" id="{form_id}-email" name="email" placeholder="you@example.com" required>'
            f'<input type="hidden" name="list" value="{list_name}">'
            '<button type="submit">Sign Up</button></form>'
        )

    def ad(self, slot: str, kind: str = "ad-inline") -> str:
        return (
            f'<div class="ad {kind} code-block" style="margin:8px auto;text-align:center;">'
            '<span class="ad-label">Advertisement</span>'
            f'<ins class="adsbygoogle" style="display:block" data-ad-client="{AD_CLIENT}" '
            f'data-ad-slot="{slot}" data-ad-format="auto" data-full-width-responsive="true"></ins>'
            '<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>'
        )

    def modern_sidebar(self, current: Article | None) -> str:
        trending = "\n".join(
            f'<li><a href="{esc(url)}">{esc(a.headline)}</a></li>' for a, url in self.trending(current)
        )
        latest = "\n".join(
            f'<li><a href="{self.base}{a.path}">{esc(a.headline)}</a>'
            f'<span class="post-date">{human_date(a.published_dt)}</span></li>'
            for a in [a for a in self.articles if a is not current][:5]
        )
        return f"""<aside id="secondary" class="widget-area" aria-label="Sidebar">
<section id="search-2" class="widget widget_search">{self.search_form()}</section>
<section id="trending-3" class="widget widget_trending"><h2 class="widget-title">Trending</h2>
<ul>
{trending}
</ul></section>
<section id="custom_html-4" class="widget widget_custom_html">{self.ad("3000000001", "ad-sidebar")}</section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Latest News</h2>
<ul>
{latest}
</ul></section>
<section id="newsletter-5" class="widget widget_newsletter"><h2 class="widget-title">Daily Spoilers Newsletter</h2>
<p>The day's biggest soap headlines, every weekday morning.</p>
{self.newsletter_form("newsletter-sidebar", "daily-spoilers")}</section>
</aside>"""

    def classic_sidebar(self, current: Article) -> str:
        trending = "\n".join(
            f'<li><a href="{esc(url)}" title="{esc(a.headline)}">{esc(a.headline)}</a></li>'
            for a, url in self.trending(current)
        )
        archives = "\n".join(
            f'<li class="cat-item"><a href="{self.base}{c.path}">{esc(c.name)}</a></li>'
            for c in content.categories().values()
        )
        return f"""<ul>
<li id="search" class="widget widget_search">{self.search_form("searchform")}</li>
<li class="widget widget_trending"><h2 class="widgettitle">Trending</h2>
<ul>
{trending}
</ul></li>
<li class="widget">{self.ad("2000000002", "ad-sidebar")}</li>
<li class="widget widget_categories"><h2 class="widgettitle">Categories</h2>
<ul>
{archives}
</ul></li>
<li class="widget widget_newsletter"><h2 class="widgettitle">Get Our Newsletter</h2>
{self.newsletter_form("newsletter-classic", "daily-spoilers")}</li>
</ul>"""

    def modern_page(self, *, title: str, head: str, body_class: str, main: str,
                    current: Article | None = None, home: bool = False) -> str:
        return template("modern_layout.html").substitute(
            title=title,
            head=head,
            base=self.base,
            site_name=esc(self.info["name"]),
            tagline=esc(self.info["tagline"]),
            site_title_tag="h1" if home else "p",
            nav=self.nav_items(),
            body_class=body_class,
            main=main,
            sidebar=self.modern_sidebar(current),
        )

    # ================================================================ articles =======

    def related(self, article: Article, count: int = 3) -> list[Article]:
        same = [a for a in self.articles if a.category == article.category and a is not article]
        others = [a for a in self.articles if a.category != article.category]
        return (same + others)[:count]

    def also_read(self, article: Article) -> Article:
        """The in-body "ALSO READ" link points at a story about another show."""
        index = self.articles.index(article)
        for candidate in self.articles[index + 1:] + self.articles[:index]:
            if not set(candidate.shows) & set(article.shows):
                return candidate
        return self.articles[index - 1]

    def body_html(self, article: Article, theme: str) -> str:
        """The body blocks with the traps real sites put between them."""
        out: list[str] = []
        paragraphs_seen = 0
        total = len(article.paragraphs)
        image = self.base + article.image_path
        for block in article.blocks:
            if block.is_heading:
                out.append(f"<{block.kind} class=\"wp-block-heading\">{inline_html(block.source, self.base)}</{block.kind}>"
                           if theme == "modern" else
                           f"<{block.kind}>{inline_html(block.source, self.base)}</{block.kind}>")
                continue
            if paragraphs_seen == total - 1 and theme in ("modern", "classic"):
                out.append(self.newsletter_box(theme))
            out.append(f"<p>{inline_html(block.source, self.base)}</p>")
            paragraphs_seen += 1
            if paragraphs_seen == 1 and article.caption and theme != "amp":
                out.append(self.figure(article, theme, image))
            elif paragraphs_seen == 2:
                out.append(self.ad("1000000002") if theme != "amp" else
                           '<amp-ad width="300" height="250" type="adsense" '
                           f'data-ad-client="{AD_CLIENT}" data-ad-slot="1000000003"></amp-ad>')
            elif paragraphs_seen == 3:
                other = self.also_read(article)
                link = f'<a href="{self.base}{other.path}">{esc(other.headline)}</a>'
                out.append(f'<p class="also-read"><strong>ALSO READ:</strong> {link}</p>'
                           if theme == "modern" else f"<p><strong>ALSO READ: </strong>{link}</p>")
        return "\n".join("    " + line for line in out)

    def figure(self, article: Article, theme: str, image: str) -> str:
        alt = esc(article.headline)
        caption = esc(article.caption or "")
        if theme == "modern":
            return (f'<figure class="wp-block-image size-large"><img src="{image}" alt="{alt}" '
                    f'width="1024" height="576" loading="lazy">'
                    f'<figcaption class="wp-element-caption">{caption}</figcaption></figure>')
        return (f'<div id="attachment_{article.post_id + 1}" style="width: 610px" class="wp-caption aligncenter">'
                f'<img src="{image}" alt="{alt}" width="600" height="338" class="size-large" />'
                f'<p class="wp-caption-text">{caption}</p></div>')

    def newsletter_box(self, theme: str) -> str:
        if theme == "modern":
            return (
                '<div class="newsletter-box wp-block-group">'
                '<h3 class="newsletter-title">Never Miss a Spoiler</h3>'
                '<p>Get daily General Hospital, Y&amp;R, B&amp;B and DOOL spoilers delivered straight '
                'to your inbox. It is free, and you can unsubscribe anytime.</p>'
                f'{self.newsletter_form("newsletter-inline", "daily-spoilers")}</div>'
            )
        return (
            '<div class="optin-box" style="border:1px solid #ccc;padding:12px;margin:12px 0">'
            '<p><strong>Love soap spoilers?</strong> Join 40,000 readers who get our free daily email '
            'with the latest from Genoa City, Port Charles, Salem and Los Angeles.</p>'
            f'{self.newsletter_form("newsletter-optin", "daily-spoilers")}</div>'
        )

    def byline(self, article: Article, classic: bool = False) -> str:
        rel = ' rel="author"' if classic else ""
        names = [
            f'<span class="author vcard"><a class="url fn n" href="{self.base}{a.path}"{rel}>{esc(a.name)}</a></span>'
            for a in article.authors
        ]
        return " and ".join(names)

    def tag_links(self, article: Article) -> str:
        return ", ".join(f'<a href="{self.base}{t.path}" rel="tag">{esc(t.name)}</a>' for t in article.tags)

    def comments_link_text(self, article: Article, classic: bool = False) -> str:
        n = article.comment_count
        if classic:
            return "No Comments &#187;" if n == 0 else ("1 Comment &#187;" if n == 1 else f"{n} Comments &#187;")
        if n == 0:
            return "Leave a Comment" if article.comments_open else "Comments Off"
        return "1 Comment" if n == 1 else f"{n} Comments"

    def comment_items(self, article: Article, parent: int | None, depth: int, classic: bool = False) -> str:
        out = []
        children_of = [c for c in article.comments if c.parent == parent]
        for index, comment in enumerate(children_of):
            kids = [c for c in article.comments if c.parent == comment.id]
            parity = "even" if index % 2 == 0 else "odd"
            classes = f"comment {parity} thread-{parity} depth-{depth}" + (" parent" if kids else "")
            if comment.by_post_author:
                classes += " bypostauthor"
            moment = datetime.fromisoformat(comment.date)
            name = esc(comment.author)
            if comment.author_url:
                href = (self.base + comment.author_url) if comment.author_url.startswith("/") else comment.author_url
                name = f'<a href="{esc(href)}" rel="external nofollow ugc" class="url">{name}</a>'
            reply = (
                f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="#comment-{comment.id}" '
                f'data-commentid="{comment.id}" data-postid="{article.post_id}" '
                f'data-belowelement="div-comment-{comment.id}" data-respondelement="respond" '
                f'aria-label="Reply to {esc(comment.author)}">Reply</a></div>'
                if article.comments_open else ""
            )
            children = (f'\n<ol class="children">\n{self.comment_items(article, comment.id, depth + 1, classic)}\n</ol>'
                        if kids else "")
            when = f'<time datetime="{comment.date}">{human_date(moment)} at {human_time(moment)}</time>'
            if classic:  # the pre-HTML5 comment markup older themes still print
                out.append(
                    f'<li class="{classes}" id="comment-{comment.id}">\n'
                    f'<div id="div-comment-{comment.id}" class="comment-body">\n'
                    f'<div class="comment-author vcard"><img alt="" src="{self.base}/wp-content/uploads/avatars/default-32.png" '
                    f'class="avatar avatar-32 photo" height="32" width="32" /><cite class="fn">{name}</cite> '
                    '<span class="says">says:</span></div>\n'
                    f'<div class="comment-meta commentmetadata"><a href="{self.base}{article.path}#comment-{comment.id}">'
                    f'{when}</a></div>\n'
                    f'<div class="comment-content"><p>{esc(comment.text)}</p></div>\n'
                    f'{reply}\n</div>{children}\n</li>'
                )
                continue
            out.append(
                f'<li id="comment-{comment.id}" class="{classes}">\n'
                f'<article id="div-comment-{comment.id}" class="comment-body">\n'
                '<footer class="comment-meta">\n'
                f'<div class="comment-author vcard"><img alt="" src="{self.base}/wp-content/uploads/avatars/default-60.png" '
                f'class="avatar avatar-60 photo" height="60" width="60" loading="lazy"><b class="fn">{name}</b> '
                '<span class="says">says:</span></div>\n'
                f'<div class="comment-metadata"><a href="{self.base}{article.path}#comment-{comment.id}">'
                f'{when}</a></div>\n'
                '</footer>\n'
                f'<div class="comment-content"><p>{esc(comment.text)}</p></div>\n'
                f'{reply}\n</article>{children}\n</li>'
            )
        return "\n".join(out)

    def comments_area(self, article: Article, classic: bool) -> str:
        n = article.comment_count
        parts = []
        if n:
            if classic:
                label = "One Response" if n == 1 else f"{n} Responses"
                parts.append(f'<h3 id="comments">{label} to &#8220;{esc(article.headline)}&#8221;</h3>')
            else:
                parts.append(f'<h2 class="comments-title">{"1 Comment" if n == 1 else f"{n} Comments"}</h2>')
            parts.append(f'<ol class="comment-list{" commentlist" if classic else ""}">\n'
                         f'{self.comment_items(article, None, 1, classic)}\n</ol>')
        if article.comments_open:
            antispam = ""
            if article.theme == "modern":
                antispam = (
                    '<p style="display: none !important;" class="akismet-fields-container" data-prefix="ak_">'
                    '<label>&#916;<textarea name="ak_hp_textarea" cols="45" rows="8" maxlength="100"></textarea></label>'
                    '<input type="hidden" id="ak_js_1" name="ak_js" value="1720800000000"/></p>'
                )
            parts.append(template("comment_form.html").substitute(
                base=self.base, url=self.base + article.path, post_id=article.post_id, antispam=antispam,
            ))
        else:
            parts.append('<p class="nocomments">Comments are closed.</p>' if classic
                         else '<p class="no-comments">Comments are closed.</p>')
        inner = "\n".join(parts)
        if classic:
            return f'<div id="comments-wrap">\n{inner}\n</div>'
        return f'<div id="comments" class="comments-area">\n{inner}\n</div>'

    def author_boxes(self, article: Article, classic: bool) -> str:
        boxes = []
        for author in article.authors:
            avatar = (f'<img alt="" src="{self.base}/wp-content/uploads/avatars/{author.slug}-96.jpg" '
                      'class="avatar avatar-96 photo" height="96" width="96">')
            if classic:
                boxes.append(f'<div class="authorbox">{avatar}<h4>About {esc(author.name)}</h4>'
                             f'<p>{esc(author.bio)} <a href="{self.base}{author.path}">'
                             f'View all posts by {esc(author.name)} &rarr;</a></p></div>')
            else:
                boxes.append(f'<div class="author-box">{avatar}<div class="author-box-text">'
                             f'<h4 class="author-box-title">About <a href="{self.base}{author.path}">'
                             f'{esc(author.name)}</a></h4><p class="author-box-bio">{esc(author.bio)}</p></div></div>')
        return "\n".join(boxes)

    def related_html(self, article: Article, classic: bool) -> str:
        items = self.related(article)
        if classic:
            lis = "\n".join(f'<li><a href="{self.base}{a.path}" rel="bookmark" title="{esc(a.headline)}">'
                            f'{esc(a.headline)}</a></li>' for a in items)
            return f'<div class="yarpp-related"><h3>Related posts:</h3>\n<ol>\n{lis}\n</ol>\n</div>'
        cards = "\n".join(
            f'<article class="related-post"><a href="{self.base}{a.path}">'
            f'<img src="{self.base}{a.image_path}" alt="" width="300" height="169" loading="lazy"></a>'
            f'<h3 class="related-post-title"><a href="{self.base}{a.path}">{esc(a.headline)}</a></h3>'
            f'<time datetime="{a.published}">{human_date(a.published_dt)}</time></article>'
            for a in items
        )
        return (f'<section class="related-posts"><h2 class="related-title">You May Also Like</h2>\n'
                f'<div class="related-grid">\n{cards}\n</div></section>')

    def share_bar(self, article: Article) -> str:
        url = quote(self.base + article.path, safe="")
        title = quote(article.headline, safe="")
        return (
            '<div class="share-bar social-share" aria-label="Share this article"><span class="share-label">Share:</span> '
            f'<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={url}" target="_blank" rel="noopener nofollow">Facebook</a> '
            f'<a class="share-x" href="https://twitter.com/intent/tweet?url={url}&amp;text={title}" target="_blank" rel="noopener nofollow">X</a> '
            f'<a class="share-pinterest" href="https://pinterest.com/pin/create/button/?url={url}" target="_blank" rel="noopener nofollow">Pinterest</a> '
            f'<a class="share-email" href="mailto:?subject={title}&amp;body={url}">Email</a></div>'
        )

    def og_meta(self, article: Article, classic: bool) -> list[str]:
        url = self.base + article.path
        title = article.headline if classic else f"{article.headline} - {self.info['name']}"
        meta = [
            ("og:locale", "en_US"), ("og:type", "article"), ("og:title", title),
            ("og:description", article.description), ("og:url", url),
            ("og:site_name", self.info["name"]),
            ("article:published_time", article.published),
        ]
        if article.modified:
            meta.append(("article:modified_time", article.modified))
        meta += [("og:image", self.base + article.image_path), ("og:image:width", "1200"),
                 ("og:image:height", "675"), ("og:image:type", "image/jpeg")]
        if classic:
            meta.append(("article:section", article.category.name))
            meta += [("article:tag", t.name) for t in article.tags]
            meta += [("article:author", self.base + a.path) for a in article.authors]
        lines = [f'<meta property="{p}" content="{esc(v)}" />' for p, v in meta]
        if not classic:
            lines += [
                '<meta name="author" content="' + esc(", ".join(a.name for a in article.authors)) + '" />',
                '<meta name="twitter:card" content="summary_large_image" />',
                '<meta name="twitter:label1" content="Written by" />',
                '<meta name="twitter:data1" content="' + esc(", ".join(a.name for a in article.authors)) + '" />',
                '<meta name="twitter:label2" content="Est. reading time" />',
                f'<meta name="twitter:data2" content="{max(1, article.word_count // 200)} minutes" />',
            ]
        return lines

    def yoast_graph(self, article: Article) -> dict:
        url = self.base + article.path
        site, org = self.base + "/#website", self.base + "/#organization"
        people = [
            {"@type": "Person", "@id": f"{self.base}/#/schema/person/{a.slug}", "name": a.name,
             "description": a.bio, "url": self.base + a.path,
             "image": {"@type": "ImageObject", "inLanguage": "en-US",
                       "url": f"{self.base}/wp-content/uploads/avatars/{a.slug}-96.jpg", "caption": a.name}}
            for a in article.authors
        ]
        news: dict = {
            "@type": "NewsArticle",
            "@id": url + "#article",
            "isPartOf": {"@id": url},
            "author": [{"name": a.name, "@id": p["@id"]} for a, p in zip(article.authors, people)],
            "headline": article.headline,
            "datePublished": article.published,
        }
        if article.modified:
            news["dateModified"] = article.modified
        news.update({
            "mainEntityOfPage": {"@id": url},
            "wordCount": article.word_count,
            "commentCount": article.comment_count,
            "publisher": {"@id": org},
            "image": {"@id": url + "#primaryimage"},
            "thumbnailUrl": self.base + article.image_path,
            "keywords": [t.name for t in article.tags],
            "articleSection": [article.category.name],
            "inLanguage": "en-US",
        })
        if article.comments_open:
            news["potentialAction"] = [{"@type": "CommentAction", "name": "Comment", "target": [url + "#respond"]}]
        page = {
            "@type": "WebPage", "@id": url, "url": url,
            "name": f"{article.headline} - {self.info['name']}",
            "isPartOf": {"@id": site},
            "primaryImageOfPage": {"@id": url + "#primaryimage"},
            "image": {"@id": url + "#primaryimage"},
            "thumbnailUrl": self.base + article.image_path,
            "datePublished": article.published,
            "description": article.description,
            "breadcrumb": {"@id": url + "#breadcrumb"},
            "inLanguage": "en-US",
            "potentialAction": [{"@type": "ReadAction", "target": [url]}],
        }
        if article.modified:
            page["dateModified"] = article.modified
        graph = [
            news, page,
            {"@type": "ImageObject", "inLanguage": "en-US", "@id": url + "#primaryimage",
             "url": self.base + article.image_path, "contentUrl": self.base + article.image_path,
             "width": 1200, "height": 675},
            {"@type": "BreadcrumbList", "@id": url + "#breadcrumb", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": self.base + "/"},
                {"@type": "ListItem", "position": 2, "name": article.category.name,
                 "item": self.base + article.category.path},
                {"@type": "ListItem", "position": 3, "name": article.headline},
            ]},
            self.website_node(), self.organization_node(),
        ] + people
        return {"@context": "https://schema.org", "@graph": graph}

    def website_node(self) -> dict:
        return {
            "@type": "WebSite", "@id": self.base + "/#website", "url": self.base + "/",
            "name": self.info["name"], "description": self.info["tagline"],
            "publisher": {"@id": self.base + "/#organization"},
            "potentialAction": [{"@type": "SearchAction",
                                 "target": {"@type": "EntryPoint", "urlTemplate": self.base + "/?s={search_term_string}"},
                                 "query-input": "required name=search_term_string"}],
            "inLanguage": "en-US",
        }

    def organization_node(self) -> dict:
        return {
            "@type": "Organization", "@id": self.base + "/#organization", "name": self.info["name"],
            "url": self.base + "/",
            "logo": {"@type": "ImageObject", "inLanguage": "en-US", "@id": self.base + "/#/schema/logo/image/",
                     "url": self.base + "/wp-content/uploads/2023/01/daytime-dish-logo.png",
                     "width": 512, "height": 512, "caption": self.info["name"]},
            "image": {"@id": self.base + "/#/schema/logo/image/"},
        }

    def article_links_head(self, article: Article) -> list[str]:
        url = self.base + article.path
        return [
            f'<link rel="canonical" href="{url}" />',
            f'<link rel="amphtml" href="{self.base}{article.amp_path}" />',
            f"<link rel='shortlink' href='{self.base}/?p={article.post_id}' />",
            f'<meta name="description" content="{esc(article.description)}" />',
            '<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1" />',
        ]

    def article_page(self, article: Article) -> Response:
        if article.theme == "classic":
            page = self.classic_article(article)
        else:
            page = self.modern_article(article)
        headers = {"Last-Modified": format_datetime(article.modified_dt.astimezone(UTC), usegmt=True),
                   "Link": f"<{self.base}/?p={article.post_id}>; rel=shortlink"}
        return Response(200, HTML, page.encode(), headers)

    def common_fields(self, article: Article, classic: bool) -> dict:
        updated = ""
        if article.modified:
            moment = datetime.fromisoformat(article.modified)
            updated = (f' (updated <abbr class="updated" title="{article.modified}">{human_date(moment)}</abbr>)'
                       if classic else
                       f'<time class="updated" datetime="{article.modified}">{human_date(moment)}</time>')
        return dict(
            base=self.base,
            site_name=esc(self.info["name"]),
            post_id=article.post_id,
            url=self.base + article.path,
            headline=esc(article.headline),
            category_url=self.base + article.category.path,
            category_name=esc(article.category.name),
            category_slug=article.category.slug,
            byline=self.byline(article, classic),
            published=article.published,
            published_human=human_date(article.published_dt),
            updated=updated,
            comments_link_text=self.comments_link_text(article, classic),
            image_url=self.base + article.image_path,
            tag_links=self.tag_links(article),
            content=self.body_html(article, "classic" if classic else "modern"),
            author_boxes=self.author_boxes(article, classic),
            related=self.related_html(article, classic),
            comments=self.comments_area(article, classic),
        )

    def modern_article(self, article: Article) -> str:
        head = self.article_links_head(article) + self.og_meta(article, classic=False)
        head.append(f'<script type="application/ld+json" class="yoast-schema-graph">{json_script(self.yoast_graph(article))}</script>')
        main = template("modern_article.html").substitute(
            **self.common_fields(article, classic=False),
            tag_classes=" ".join(f"tag-{t.slug}" for t in article.tags),
            share_bar=self.share_bar(article),
        )
        return self.modern_page(
            title=f"{esc(article.headline)} - {esc(self.info['name'])}",
            head="\n".join(head),
            body_class=f"post-template-default single single-post postid-{article.post_id} single-format-standard",
            main=main,
            current=article,
        )

    def classic_article(self, article: Article) -> str:
        head = self.article_links_head(article) + self.og_meta(article, classic=True)
        index = self.articles.index(article)
        older = self.articles[index + 1] if index + 1 < len(self.articles) else None
        newer = self.articles[index - 1] if index > 0 else None
        return template("classic_article.html").substitute(
            **self.common_fields(article, classic=True),
            head="\n".join(head),
            tagline=esc(self.info["tagline"]),
            nav=self.nav_items("    ").replace("menu-item menu-item-type-taxonomy menu-item-object-category", "cat-item")
                                       .replace('class="menu-item"', 'class="page_item"'),
            previous_link=(f'&laquo; <a href="{self.base}{older.path}" rel="prev">{esc(older.headline)}</a>'
                           if older else ""),
            next_link=(f'<a href="{self.base}{newer.path}" rel="next">{esc(newer.headline)}</a> &raquo;'
                       if newer else ""),
            url_quoted=quote(self.base + article.path, safe=""),
            headline_quoted=quote(article.headline, safe=""),
            sidebar=self.classic_sidebar(article),
        )

    def amp_page(self, article: Article) -> Response:
        url = self.base + article.path
        data = {
            "@context": "http://schema.org", "@type": "NewsArticle",
            "mainEntityOfPage": url, "headline": article.headline,
            "datePublished": article.published,
            "dateModified": article.modified or article.published,
            "author": [{"@type": "Person", "name": a.name} for a in article.authors],
            "publisher": {"@type": "Organization", "name": self.info["name"]},
            "image": {"@type": "ImageObject", "url": self.base + article.image_path, "width": 1200, "height": 675},
        }
        page = template("amp_article.html").substitute(
            base=self.base,
            site_name=esc(self.info["name"]),
            url=url,
            headline=esc(article.headline),
            jsonld=json_script(data),
            author_names=" and ".join(esc(a.name) for a in article.authors),
            published=article.published,
            published_human=human_date(article.published_dt),
            image_url=self.base + article.image_path,
            content=self.body_html(article, "amp"),
            category_url=self.base + article.category.path,
            category_name=esc(article.category.name),
            tag_links=self.tag_links(article),
            comments_link_text="Leave a Comment" if article.comments_open else "View Comments",
        )
        return Response(200, HTML, page.encode())

    # ================================================================ listings =======

    def card(self, article: Article) -> str:
        url = self.base + article.path
        authors = " and ".join(
            f'<a href="{self.base}{a.path}">{esc(a.name)}</a>' for a in article.authors
        )
        return (
            f'<article id="post-{article.post_id}" class="post-{article.post_id} post type-post status-publish '
            f'format-standard has-post-thumbnail hentry category-{article.category.slug} entry-card">\n'
            f'<a class="entry-card-thumb" href="{url}" aria-hidden="true" tabindex="-1">'
            f'<img src="{self.base}{article.image_path}" alt="" width="400" height="225" loading="lazy"></a>\n'
            '<div class="entry-card-body">\n'
            f'<span class="cat-links"><a href="{self.base}{article.category.path}" rel="category tag">'
            f'{esc(article.category.name)}</a></span>\n'
            f'<h2 class="entry-title"><a href="{url}" rel="bookmark">{esc(article.headline)}</a></h2>\n'
            f'<div class="entry-meta">By {authors} &middot; <time class="entry-date published" '
            f'datetime="{article.published}">{human_date(article.published_dt)}</time></div>\n'
            f'<div class="entry-summary"><p>{esc(article.excerpt)}</p></div>\n'
            f'<a class="more-link" href="{url}">Read More<span class="screen-reader-text"> '
            f'&#8220;{esc(article.headline)}&#8221;</span></a>\n'
            '</div>\n</article>'
        )

    def pagination(self, prefix: str, page: int, last: int) -> str:
        if last == 1:
            return ""

        def href(n: int) -> str:
            return f"{self.base}{prefix}" if n == 1 else f"{self.base}{prefix}page/{n}/"

        links = []
        if page > 1:
            links.append(f'<a class="prev page-numbers" href="{href(page - 1)}">&laquo; Previous</a>')
        for n in range(1, last + 1):
            if n == page:
                links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            else:
                links.append(f'<a class="page-numbers" href="{href(n)}">{n}</a>')
        if page < last:
            links.append(f'<a class="next page-numbers" href="{href(page + 1)}">Next &raquo;</a>')
        return ('<nav class="navigation pagination" aria-label="Posts">\n'
                '<h2 class="screen-reader-text">Posts navigation</h2>\n'
                f'<div class="nav-links">{"".join(links)}</div>\n</nav>')

    def listing(self, *, prefix: str, page: int, per_page: int, items: list[Article], title: str,
                description: str = "", page_title: str | None = None, home: bool = False,
                body_class: str = "archive", robots: str = "index, follow") -> Response | None:
        last = content.pages(len(items), per_page)
        if page < 1 or page > last:
            return None
        shown = items[(page - 1) * per_page: page * per_page]
        url = f"{self.base}{prefix}" + ("" if page == 1 else f"page/{page}/")
        head = [f'<meta name="robots" content="{robots}" />', f'<link rel="canonical" href="{url}" />']
        if page > 1:
            prev = f"{self.base}{prefix}" + ("" if page == 2 else f"page/{page - 1}/")
            head.append(f'<link rel="prev" href="{prev}" />')
        if page < last:
            head.append(f'<link rel="next" href="{self.base}{prefix}page/{page + 1}/" />')
        full_title = (page_title or title) + (f" - Page {page} of {last}" if page > 1 else "")
        head += [
            '<meta property="og:locale" content="en_US" />',
            '<meta property="og:type" content="website" />',
            f'<meta property="og:title" content="{esc(full_title)} - {esc(self.info["name"])}" />',
            f'<meta property="og:url" content="{url}" />',
            f'<meta property="og:site_name" content="{esc(self.info["name"])}" />',
        ]
        graph = {"@context": "https://schema.org", "@graph": [
            {"@type": "CollectionPage", "@id": url, "url": url, "name": full_title,
             "isPartOf": {"@id": self.base + "/#website"}, "inLanguage": "en-US"},
            self.website_node(), self.organization_node(),
        ]}
        head.append(f'<script type="application/ld+json" class="yoast-schema-graph">{json_script(graph)}</script>')
        main = template("listing.html").substitute(
            title=esc(title),
            description=f'<div class="archive-description"><p>{esc(description)}</p></div>' if description else "",
            cards="\n".join(self.card(a) for a in shown),
            pagination=self.pagination(prefix, page, last),
        )
        body = self.modern_page(
            title=f"{esc(full_title)} - {esc(self.info['name'])}",
            head="\n".join(head), body_class=f"{body_class} paged-{page}", main=main, home=home and page == 1,
        )
        return Response(200, HTML, body.encode())

    def home(self, page: int) -> Response | None:
        return self.listing(prefix="/", page=page, per_page=POSTS_PER_PAGE, items=list(self.articles),
                            title="Latest Soap News", page_title=self.info["name"], home=True,
                            body_class="home blog")

    def archive(self, kind: str, slug: str, match: re.Match) -> Response | None:
        prefix = f"/{kind}/{slug}/"
        if match.group(3) == "1":
            return self.redirect(prefix)
        page = int(match.group(3) or 1)
        if kind == "category":
            category = content.categories().get(slug)
            if category is None:
                return None
            items = [a for a in self.articles if a.category == category]
            return self.listing(prefix=prefix, page=page, per_page=ARCHIVE_PER_PAGE, items=items,
                                title=category.name,
                                description=f"The latest {category.name} spoilers, recaps and casting news.",
                                body_class=f"archive category category-{slug}")
        if kind == "tag":
            tag = content.tags().get(slug)
            if tag is None:
                return None
            items = [a for a in self.articles if tag in a.tags]
            return self.listing(prefix=prefix, page=page, per_page=ARCHIVE_PER_PAGE, items=items,
                                title=f"Tag: {tag.name}", body_class=f"archive tag tag-{slug}",
                                robots="noindex, follow")
        author = content.authors().get(slug)
        if author is None:
            return None
        items = [a for a in self.articles if author in a.authors]
        return self.listing(prefix=prefix, page=page, per_page=ARCHIVE_PER_PAGE, items=items,
                            title=f"Author: {author.name}", description=author.bio,
                            body_class=f"archive author author-{slug}")

    def search(self, words: str) -> Response:
        needle = words.strip().lower()
        items = [a for a in self.articles
                 if needle and (needle in a.headline.lower() or needle in a.article_body.lower())]
        title = f"Search Results for: {words}"
        if items:
            response = self.listing(prefix="/", page=1, per_page=len(items), items=items, title=title,
                                    body_class="search search-results", robots="noindex, follow")
            assert response is not None
            return response
        main = (f'<header class="page-header"><h1 class="page-title">{esc(title)}</h1></header>'
                '<section class="no-results not-found"><p>Sorry, but nothing matched your search terms. '
                f'Please try again with some different keywords.</p>{self.search_form("search-again")}</section>')
        body = self.modern_page(title=f"{esc(title)} - {esc(self.info['name'])}",
                                head='<meta name="robots" content="noindex, follow" />',
                                body_class="search search-no-results", main=main)
        return Response(200, HTML, body.encode())

    # ============================================================ static pages ======

    def static_page(self, path: str, page_id: int, title: str, body: str,
                    head_extra: str = "", body_class: str = "page") -> Response:
        url = self.base + path
        graph = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "@id": url, "url": url, "name": f"{title} - {self.info['name']}",
             "isPartOf": {"@id": self.base + "/#website"}, "inLanguage": "en-US"},
            self.website_node(), self.organization_node(),
        ]}
        head = "\n".join([
            f'<link rel="canonical" href="{url}" />',
            '<meta property="og:locale" content="en_US" />',
            '<meta property="og:type" content="website" />',
            f'<meta property="og:title" content="{esc(title)} - {esc(self.info["name"])}" />',
            f'<meta property="og:url" content="{url}" />',
            f'<script type="application/ld+json" class="yoast-schema-graph">{json_script(graph)}</script>',
            head_extra,
        ])
        main = template("page.html").substitute(page_id=page_id, title=esc(title), content=body)
        page = self.modern_page(title=f"{esc(title)} - {esc(self.info['name'])}", head=head,
                                body_class=f"page-template-default {body_class} page-id-{page_id}", main=main)
        return Response(200, HTML, page.encode())

    def about(self) -> Response:
        shows = ", ".join(c.name for c in content.categories().values())
        body = f"""    <p>{esc(self.info['name'])} is an independent soap opera news site. Our small team of writers watches every episode so you do not have to miss a thing, and we cover {esc(shows)}.</p>
    <p>We publish daily spoilers, weekly recaps, casting news and the occasional long read about the history of daytime television. We never publish leaked scripts, and we correct our mistakes in public.</p>
    <h2>Our Writers</h2>
    <ul>
{chr(10).join(f'      <li><a href="{self.base}{a.path}">{esc(a.name)}</a></li>' for a in content.authors().values())}
    </ul>
    <p>Have a tip? <a href="{self.base}/contact/">Get in touch</a>.</p>"""
        return self.static_page("/about/", 2, "About Us", body)

    def contact(self) -> Response:
        body = f"""    <p>Questions, corrections or a tip about an upcoming storyline? Send us a message and a member of the team will get back to you within two working days.</p>
    <div class="wpcf7 no-js" id="wpcf7-f120-p3-o1" lang="en-US" dir="ltr">
    <form action="{self.base}/contact/#wpcf7-f120-p3-o1" method="post" class="wpcf7-form init" aria-label="Contact form" novalidate="novalidate" data-status="init">
      <div style="display: none;"><input type="hidden" name="_wpcf7" value="120" /><input type="hidden" name="_wpcf7_version" value="5.9.6" /><input type="hidden" name="_wpcf7_unit_tag" value="wpcf7-f120-p3-o1" /></div>
      <p><label> Your name<br /><span class="wpcf7-form-control-wrap" data-name="your-name"><input size="40" class="wpcf7-form-control wpcf7-text wpcf7-validates-as-required" aria-required="true" value="" type="text" name="your-name" /></span></label></p>
      <p><label> Your email<br /><span class="wpcf7-form-control-wrap" data-name="your-email"><input size="40" class="wpcf7-form-control wpcf7-email wpcf7-validates-as-required" aria-required="true" value="" type="email" name="your-email" /></span></label></p>
      <p><label> Subject<br /><span class="wpcf7-form-control-wrap" data-name="your-subject"><input size="40" class="wpcf7-form-control wpcf7-text" value="" type="text" name="your-subject" /></span></label></p>
      <p><label> Your message (optional)<br /><span class="wpcf7-form-control-wrap" data-name="your-message"><textarea cols="40" rows="10" class="wpcf7-form-control wpcf7-textarea" name="your-message"></textarea></span></label></p>
      <p><input class="wpcf7-form-control wpcf7-submit has-spinner" type="submit" value="Send Message" /></p>
      <div class="wpcf7-response-output" aria-hidden="true"></div>
    </form>
    </div>"""
        return self.static_page("/contact/", 3, "Contact Us", body)

    def privacy(self) -> Response:
        body = f"""    <h2>Who we are</h2>
    <p>Our website address is {esc(self.base)}/. This is a demo site: nothing you type into its forms is stored or sent anywhere.</p>
    <h2>Comments</h2>
    <p>When visitors leave comments on a real site like this one, the site collects the data shown in the comments form, and also the visitor's IP address and browser user agent string to help spam detection.</p>
    <h2>Cookies</h2>
    <p>If you leave a comment, you may opt in to saving your name, email address and website in cookies. These are for your convenience so that you do not have to fill in your details again when you leave another comment.</p>
    <h2>Embedded content from other websites</h2>
    <p>Articles may include embedded content such as videos, images and social posts. Embedded content behaves in the exact same way as if the visitor had visited the other website.</p>"""
        return self.static_page("/privacy-policy/", 4, "Privacy Policy", body, body_class="privacy-policy")

    def private(self) -> Response:
        """Disallowed by robots.txt and marked up like an article: fetching it is a bug."""
        url = self.base + "/private/"
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline":
                "Staff Notes: Embargoed Spoilers for Next Month", "datePublished": "2024-07-12T08:00:00-04:00",
                "author": [{"@type": "Person", "name": "Editorial Desk"}], "mainEntityOfPage": url}
        head = "\n".join([
            '<meta name="robots" content="noindex, nofollow" />',
            f'<link rel="canonical" href="{url}" />',
            '<meta property="og:type" content="article" />',
            '<meta property="og:title" content="Staff Notes: Embargoed Spoilers for Next Month" />',
            f'<script type="application/ld+json">{json_script(data)}</script>',
        ])
        body = ("    <p>Internal only. These notes collect embargoed storylines that must not be published "
                "before the networks lift the embargo. Do not share this page outside the editorial team.</p>\n"
                "    <p>Everything on this page is placeholder text for the demo: a crawler that respects "
                "robots.txt never reads it, and a crawl that emits it as an article has ignored robots.txt.</p>")
        main = template("page.html").substitute(page_id=5, title="Staff Notes: Embargoed Spoilers for Next Month",
                                                content=body)
        page = self.modern_page(title=f"Staff Notes - {esc(self.info['name'])}", head=head,
                                body_class="single single-post private", main=main)
        return Response(200, HTML, page.encode())

    # ============================================================ machine files =====

    def robots(self) -> Response:
        text = template("robots.txt").substitute(site_name=self.info["name"], base=self.base)
        return Response(200, TEXT, text.encode())

    def newest_moment(self) -> datetime:
        return max(a.modified_dt for a in self.articles)

    def sitemap_index(self) -> Response:
        lastmod = iso_utc(self.newest_moment())
        news = iso_utc(max(a.modified_dt for a in self.articles[:NEWS_SITEMAP_SIZE]))
        entries = [("post-sitemap.xml", lastmod), ("page-sitemap.xml", "2024-01-02T10:00:00+00:00"),
                   ("category-sitemap.xml", lastmod), ("news-sitemap.xml", news)]
        body = "\n".join(f"\t<sitemap>\n\t\t<loc>{self.base}/{name}</loc>\n\t\t<lastmod>{mod}</lastmod>\n\t</sitemap>"
                         for name, mod in entries)
        return self.xml('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                        f"{body}\n</sitemapindex>")

    def xml(self, document: str, content_type: str = XML) -> Response:
        return Response(200, content_type, ('<?xml version="1.0" encoding="UTF-8"?>\n' + document + "\n").encode())

    def post_sitemap(self) -> Response:
        urls = [f"\t<url>\n\t\t<loc>{self.base}/</loc>\n\t\t<lastmod>{iso_utc(self.newest_moment())}</lastmod>\n\t</url>"]
        for article in sorted(self.articles, key=lambda a: a.modified_dt):
            urls.append(
                f"\t<url>\n\t\t<loc>{self.base}{article.path}</loc>\n"
                f"\t\t<lastmod>{iso_utc(article.modified_dt)}</lastmod>\n"
                f"\t\t<image:image>\n\t\t\t<image:loc>{self.base}{article.image_path}</image:loc>\n\t\t</image:image>\n"
                "\t</url>"
            )
        return self.xml('<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
                        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(urls) + "\n</urlset>")

    def page_sitemap(self) -> Response:
        urls = "\n".join(f"\t<url>\n\t\t<loc>{self.base}{path}</loc>\n\t\t<lastmod>2024-01-02T10:00:00+00:00</lastmod>\n\t</url>"
                         for path in content.STATIC_PAGES)
        return self.xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>')

    def category_sitemap(self) -> Response:
        urls = []
        for category in content.categories().values():
            newest = max(a.modified_dt for a in self.articles if a.category == category)
            urls.append(f"\t<url>\n\t\t<loc>{self.base}{category.path}</loc>\n\t\t<lastmod>{iso_utc(newest)}</lastmod>\n\t</url>")
        return self.xml('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(urls) + "\n</urlset>")

    def news_sitemap(self) -> Response:
        urls = []
        for article in self.articles[:NEWS_SITEMAP_SIZE]:
            urls.append(
                f"\t<url>\n\t\t<loc>{self.base}{article.path}</loc>\n"
                "\t\t<news:news>\n"
                "\t\t\t<news:publication>\n"
                f"\t\t\t\t<news:name>{esc(self.info['name'])}</news:name>\n"
                "\t\t\t\t<news:language>en</news:language>\n"
                "\t\t\t</news:publication>\n"
                f"\t\t\t<news:publication_date>{article.published}</news:publication_date>\n"
                f"\t\t\t<news:title>{esc(article.headline)}</news:title>\n"
                f"\t\t\t<news:keywords>{esc(', '.join(t.name for t in article.tags))}</news:keywords>\n"
                "\t\t</news:news>\n"
                f"\t\t<image:image>\n\t\t\t<image:loc>{self.base}{article.image_path}</image:loc>\n\t\t</image:image>\n"
                "\t</url>"
            )
        return self.xml('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
                        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n'
                        + "\n".join(urls) + "\n</urlset>")

    def feed(self) -> Response:
        items = []
        for article in self.articles[:FEED_SIZE]:
            body = "\n".join(
                f"<{b.kind}>{inline_html(b.source, self.base)}</{b.kind}>" for b in article.blocks
            )
            creators = "\n".join(f"\t\t<dc:creator>{cdata(a.name)}</dc:creator>" for a in article.authors)
            categories = "\n".join(
                f"\t\t<category>{cdata(name)}</category>"
                for name in [article.category.name] + [t.name for t in article.tags]
            )
            items.append(
                "\t<item>\n"
                f"\t\t<title>{esc(article.headline)}</title>\n"
                f"\t\t<link>{esc(self.tracked(article, 'rss', 'rss'))}</link>\n"
                f"\t\t<comments>{self.base}{article.path}#respond</comments>\n"
                f"{creators}\n"
                f"\t\t<pubDate>{format_datetime(article.published_dt.astimezone(UTC))}</pubDate>\n"
                f"{categories}\n"
                f'\t\t<guid isPermaLink="false">{self.base}/?p={article.post_id}</guid>\n'
                f"\t\t<description>{cdata(article.excerpt)}</description>\n"
                f"\t\t<content:encoded>{cdata(body)}</content:encoded>\n"
                f"\t\t<slash:comments>{article.comment_count}</slash:comments>\n"
                "\t</item>"
            )
        build = format_datetime(self.newest_moment().astimezone(UTC))
        document = (
            '<rss version="2.0"\n\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n\txmlns:atom="http://www.w3.org/2005/Atom"\n'
            '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
            '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/">\n\n<channel>\n'
            f"\t<title>{esc(self.info['name'])}</title>\n"
            f'\t<atom:link href="{self.base}/feed/" rel="self" type="application/rss+xml" />\n'
            f"\t<link>{self.base}/</link>\n"
            f"\t<description>{esc(self.info['tagline'])}</description>\n"
            f"\t<lastBuildDate>{build}</lastBuildDate>\n"
            "\t<language>en-US</language>\n"
            "\t<sy:updatePeriod>hourly</sy:updatePeriod>\n\t<sy:updateFrequency>1</sy:updateFrequency>\n"
            "\t<generator>https://wordpress.org/?v=6.5.5</generator>\n"
            + "\n".join(items) + "\n</channel>\n</rss>"
        )
        return self.xml(document, RSS)
