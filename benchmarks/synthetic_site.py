"""A synthetic soap-news site on 127.0.0.1 for the crawl benchmarks, and the plain spider
they compare gossipcrawl with.

The site: `/` and `/page/K/` are listings of `per_page` article links each, newest first,
with `rel=next` pagination; `/story-N/` are article pages of realistic weight (~40 KB: head with
JSON-LD, OpenGraph, an inline style and script; a menu of 40 links (to pages that answer
404); 10 paragraphs of their own words naming a show; a byline; links to the three previous
articles; five comments and a WordPress comment form; a
footer). Pages are rendered from the URL on request, so a 100,000-page site costs no memory.
robots.txt allows everything and names no sitemap, so both spiders find the articles the
same way: through the listings.

The server is a small asyncio HTTP/1.1 server (keep-alive, no parsing beyond the request
line) in its own process, so it does not share the crawler's CPU core or interpreter; it
answered ~1,200 article requests per second to an 8-thread Python client on the 2-core
benchmark machine, many times what either spider asks for
(`python benchmarks/synthetic_site.py serve --articles 1000` and hit it with anything).

The plain spider (`python benchmarks/synthetic_site.py plain URL --stats STATS.json -s ...`)
is Scrapy's own `CrawlSpider` with one `Rule(LinkExtractor(), follow=True)` and
`allowed_domains` set to the site: it follows every same-site link and extracts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import re
import sys
import time

WORDS = (["secret", "wedding", "hospital", "twin", "baby", "paternity", "test", "lawyer", "prison", "escape", "affair", "fortune", "company", "boardroom", "takeover", "betrayal", "revenge", "amnesia", "kidnapping", "ransom", "island", "yacht", "storm", "fire", "explosion", "coma", "recovery", "diagnosis", "surgeon", "nurse", "detective", "police", "chief", "mayor", "casino", "mansion", "penthouse", "diner", "bar", "nightclub", "gala", "charity", "auction", "painting", "necklace", "diamond", "letter", "diary", "recording", "video", "photo", "phone", "call", "voicemail", "text", "message", "confession", "apology", "divorce", "custody", "battle", "inheritance", "will", "trust", "fund", "heir", "stepmother", "cousin", "uncle", "nephew", "godfather", "mentor", "rival", "partner", "fiance", "bride", "groom", "best", "man", "bridesmaid", "guest", "toast", "speech", "dance", "kiss", "slap", "argument", "shouting", "tears", "hug", "reunion", "farewell", "funeral", "memorial", "ghost", "dream", "vision", "flashback", "hallucination", "poison", "antidote", "pills", "bottle", "glass", "champagne", "wine", "coffee", "breakfast", "lunch", "dinner", "reservation", "cancellation", "flight", "airport", "passport", "border", "train", "station", "bus", "road", "crash", "ambulance", "emergency", "room", "waiting", "room", "chapel", "garden", "cemetery", "beach", "cabin", "lake", "mountain", "ski", "lodge", "hotel", "suite", "elevator", "stairs", "balcony", "rooftop", "basement", "attic", "garage", "vault", "safe", "key", "lock", "door", "window", "curtain", "mirror", "portrait", "statue", "clock", "watch", "ring", "bracelet"])
SHOWS = ("General Hospital", "The Young and the Restless", "Days of Our Lives",
         "The Bold and the Beautiful", "Coronation Street", "EastEnders")
PEOPLE = ("Sonny", "Carly", "Victor", "Nikki", "Marlena", "John", "Brooke", "Ridge")
MENU = "".join(f'<li class="menu-item"><a href="/category/section-{i}/">Section {i}</a></li>'
               for i in range(40))
SCRIPT = "window.__config = " + json.dumps({f"key{i}": "v" * 40 for i in range(300)}) + ";"
STYLE = "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px}}" for i in range(300))


def article_html(n: int, total: int) -> bytes:
    show = SHOWS[n % len(SHOWS)]
    person = PEOPLE[n % len(PEOPLE)]
    headline = f"{show} spoilers: {person} faces the truth in story {n}"
    day = n % 28 + 1
    # Each article its own words (as real articles are), so that near-duplicate detection
    # (storyId) sees distinct stories, not one template repeated.
    rng = random.Random(n)
    paragraphs = "".join(
        f"<p>Part {i} of story {n}. On {show} this week, {person} "
        + " ".join(rng.choice(WORDS) for _ in range(45)) + ".</p>"
        for i in range(1, 11))
    # "Previous stories": links to older articles, as on a real site.
    related = "".join(f'<li><a href="/story-{n - k}/">Earlier: story {n - k}</a></li>'
                      for k in range(1, 4) if n - k >= 1)
    comments = "".join(
        f'<li id="comment-{n}-{c}" class="comment"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">Viewer {c}</b> <time datetime="2024-07-'
        f'{day:02d}T1{c}:00:00+00:00">July {day}, 2024</time></footer><div class="comment-'
        f'content"><p>Comment {c}: I cannot believe what {person} did!</p></div></article></li>'
        for c in range(1, 6))
    jsonld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
        "datePublished": f"2024-07-{day:02d}T10:00:00+00:00",
        "dateModified": f"2024-07-{day:02d}T12:00:00+00:00",
        "author": {"@type": "Person", "name": "Jane Writer", "url": "/author/jane/"},
        "image": {"@type": "ImageObject", "url": f"/img/{n}.jpg"},
        "publisher": {"@type": "Organization", "name": "Synthetic Soaps"},
        "commentCount": 5})
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8">
<title>{headline} - Synthetic Soaps</title>
<meta name="description" content="{person} faces the truth on {show}.">
<meta property="og:type" content="article"><meta property="og:title" content="{headline}">
<meta property="og:image" content="/img/{n}.jpg"><meta property="og:site_name" content="Synthetic Soaps">
<meta property="article:published_time" content="2024-07-{day:02d}T10:00:00+00:00">
<link rel="canonical" href="/story-{n}/">
<script type="application/ld+json">{jsonld}</script>
<style>{STYLE}</style><script>{SCRIPT}</script>
</head><body class="post-template-default single single-post">
<header class="site-header"><a class="logo" href="/">Synthetic Soaps</a>
<nav class="main-navigation"><ul class="menu">{MENU}</ul></nav></header>
<div class="site-content"><main id="main" class="site-main">
<article id="post-{n}" class="post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{headline}</h1>
<div class="entry-meta">By <a href="/author/jane/" rel="author">Jane Writer</a>
<time class="entry-date published" datetime="2024-07-{day:02d}T10:00:00+00:00">July {day}, 2024</time></div>
</header>
<div class="entry-content">{paragraphs}</div>
<footer class="entry-footer"><span class="tags-links"><a href="/tag/{show.lower().replace(' ', '-')}/" rel="tag">{show}</a></span>
<div class="sharedaddy"><a href="https://twitter.com/share">Share</a></div></footer>
</article>
<section class="related-posts"><h3>Related</h3><ul>{related}</ul></section>
<div id="comments" class="comments-area"><h2 class="comments-title">5 thoughts on &ldquo;{headline}&rdquo;</h2>
<ol class="comment-list">{comments}</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes">Your email address will not be published. Required fields are marked *</p>
<p class="comment-form-comment"><label for="comment">Comment *</label><textarea id="comment" name="comment" required></textarea></p>
<p class="comment-form-author"><label for="author">Name *</label><input id="author" name="author" type="text" required></p>
<p class="comment-form-email"><label for="email">Email *</label><input id="email" name="email" type="email" required></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" value="Post Comment">
<input type="hidden" name="comment_post_ID" value="{n}" id="comment_post_ID"><input type="hidden" name="comment_parent" id="comment_parent" value="0"></p>
</form></div></div>
</main><aside class="widget-area"><section class="widget"><h2>Newsletter</h2>
<form action="/subscribe" method="post"><input type="email" name="email"><button>Subscribe</button></form></section></aside></div>
<footer class="site-footer"><p>&copy; 2024 Synthetic Soaps. All rights reserved.</p></footer>
</body></html>""".encode()


def listing_html(page: int, total: int, per_page: int) -> bytes:
    pages = (total + per_page - 1) // per_page
    newest = total - (page - 1) * per_page  # newest first, as listings are
    links = "".join(f'<article class="post"><h2><a href="/story-{n}/">Story {n}</a></h2></article>'
                    for n in range(newest, max(0, newest - per_page), -1))
    nxt = (f'<link rel="next" href="/page/{page + 1}/">' if page < pages else "")
    more = (f'<a class="next page-numbers" rel="next" href="/page/{page + 1}/">Next</a>'
            if page < pages else "")
    return (f"<!DOCTYPE html><html lang=\"en\"><head><title>Synthetic Soaps - page {page}"
            f"</title>{nxt}</head><body><header><nav><ul>{MENU}</ul></nav></header><main>"
            f"<h1>Latest news</h1>{links}<nav class=\"pagination\">{more}</nav></main>"
            "</body></html>").encode()


_ARTICLE = re.compile(r"^/story-(\d+)/$")
_PAGE = re.compile(r"^/page/(\d+)/$")


def answer(path: str, total: int, per_page: int) -> tuple[int, bytes, str]:
    if path == "/robots.txt":
        return 200, b"User-agent: *\nAllow: /\n", "text/plain"
    match = _ARTICLE.match(path)
    if match and 1 <= int(match.group(1)) <= total:
        return 200, article_html(int(match.group(1)), total), "text/html; charset=utf-8"
    if path == "/":
        return 200, listing_html(1, total, per_page), "text/html; charset=utf-8"
    match = _PAGE.match(path)
    if match and 1 <= int(match.group(1)) <= (total + per_page - 1) // per_page:
        return 200, listing_html(int(match.group(1)), total, per_page), "text/html; charset=utf-8"
    return 404, b"<html><body><h1>Not found</h1></body></html>", "text/html; charset=utf-8"


_REASONS = {200: b"OK", 404: b"Not Found"}


async def _handle(reader, writer, total: int, per_page: int, counter: list[int]):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].split()
            path = line[1].decode("latin-1").split("?")[0] if len(line) > 1 else "/"
            if path == "/__served__":  # the benchmarks' progress probe, not counted
                status, body, kind = 200, str(counter[0]).encode(), "text/plain"
            else:
                status, body, kind = answer(path, total, per_page)
                counter[0] += 1
            writer.write(b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                         % (status, _REASONS[status], kind.encode(), len(body)) + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


def _serve(port_queue, total: int, per_page: int) -> None:
    async def main():
        counter = [0]
        server = await asyncio.start_server(
            lambda r, w: _handle(r, w, total, per_page, counter), "127.0.0.1", 0, backlog=512)
        port_queue.put(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()
    asyncio.run(main())


class SyntheticSite:
    """`with SyntheticSite(total) as site:` serves it from a child process at site.base_url."""

    def __init__(self, total: int, per_page: int = 50):
        self.total, self.per_page = total, per_page

    @property
    def pages(self) -> int:
        """Every page a complete crawl fetches: the articles and the listings."""
        return self.total + (self.total + self.per_page - 1) // self.per_page

    def __enter__(self):
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        self.process = context.Process(target=_serve, args=(queue, self.total, self.per_page),
                                       daemon=True)
        self.process.start()
        self.port = queue.get(timeout=30)
        self.base_url = f"http://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.join(10)

    def served(self) -> int:
        """Requests answered so far (every page of both spiders, robots.txt, 404s)."""
        from urllib.request import urlopen

        with urlopen(self.base_url + "/__served__", timeout=10) as response:
            return int(response.read())


# --- the plain spider ------------------------------------------------------------------------

def run_plain(url: str, stats_path: str, overrides: list[str]) -> int:
    """Run the plain link-following spider in this process; write its stats as JSON."""
    from urllib.parse import urlsplit

    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor
    from scrapy.spiders import CrawlSpider, Rule

    host = urlsplit(url).hostname

    class PlainSpider(CrawlSpider):
        name = "plain"
        start_urls = [url]
        allowed_domains = [host]
        rules = (Rule(LinkExtractor(), follow=True),)  # allowed_domains keeps it on site

    settings = {"ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "INFO",
                "COOKIES_ENABLED": False}
    for pair in overrides:
        name, _, value = pair.partition("=")
        settings[name] = value
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PlainSpider)
    process.crawl(crawler)
    process.start()
    stats = {key: (value.isoformat() if hasattr(value, "isoformat") else value)
             for key, value in crawler.stats.get_stats().items()}
    with open(stats_path, "w", encoding="utf-8") as handle:
        json.dump(stats, handle)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the site in the foreground")
    serve.add_argument("--articles", type=int, default=1000)
    serve.add_argument("--per-page", type=int, default=50)
    plain = commands.add_parser("plain", help="run the plain link-following spider")
    plain.add_argument("url")
    plain.add_argument("--stats", required=True)
    plain.add_argument("-s", dest="settings", action="append", default=[])
    args = parser.parse_args(argv)
    if args.command == "plain":
        return run_plain(args.url, args.stats, args.settings)
    with SyntheticSite(args.articles, args.per_page) as site:
        print(f"serving {site.pages} pages at {site.base_url}/ (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
