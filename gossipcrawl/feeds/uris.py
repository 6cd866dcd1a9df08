"""What the command line's OUT becomes in `FEEDS`, and the URI parameters of partitioned
feeds (`%(site)s`, `%(day)s`)."""

from __future__ import annotations

import os
import re
from datetime import datetime, UTC
from urllib.parse import quote, urlsplit

from gossipcrawl.urls import site_of


def feed_settings(out: str | None) -> dict:
    """The FEEDS entry for an OUT of the CLI: `.jsonl` or `.jsonl.gz` paths, or any URI;
    None is standard output.

    A path may hold Scrapy's URI placeholders (`%(batch_id)d`, `%(time)s`) and those of
    `uri_params` (`%(site)s`, `%(day)s`): they are kept as they are in the file URI."""
    options: dict = {"format": "jsonlines", "encoding": "utf-8", "store_empty": True,
                     "overwrite": True}
    if out is None:
        # Scrapy warns that stdout cannot be overwritten: appending is what it does.
        return {"stdout:": {**options, "overwrite": False}}
    if out.endswith(".gz"):
        options["postprocessing"] = ["scrapy.extensions.postprocessing.GzipPlugin"]
        options["gzip_mtime"] = 0
    uri = out if "://" in out else _file_uri(out)
    return {uri: options}


_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def _file_uri(path: str) -> str:
    """`Path.as_uri()` that leaves `%(name)s` placeholders unquoted (symbolic links are
    not resolved: the path may be another machine's, as the scheduler's are)."""
    absolute = os.path.abspath(path)
    pieces, last = [], 0
    for match in _PLACEHOLDER.finditer(absolute):
        pieces.append(quote(absolute[last:match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(quote(absolute[last:]))
    return "file://" + "".join(pieces)


def uri_params(params: dict, spider) -> dict:
    """`FEED_URI_PARAMS` (the default): adds `%(site)s` (the crawled site: its host without
    `www.`, as in the items' `site`, with a port that is not the scheme's own) and `%(day)s`
    (UTC date when the file was started, `YYYY-MM-DD`; each batch of
    `FEED_EXPORT_BATCH_ITEM_COUNT` gets its own) to Scrapy's `%(time)s`, `%(batch_time)s`,
    `%(batch_id)d` and the spider's attributes."""
    return {**params, "site": site_param(spider),
            "day": datetime.now(UTC).strftime("%Y-%m-%d")}


def site_param(spider) -> str:
    """The `%(site)s` of a crawl: file-name safe, one per site."""
    profile = getattr(spider, "profile", None)
    start_urls = getattr(profile, "start_urls", None) or getattr(spider, "start_urls", None)
    if not start_urls:
        return spider.name
    site = site_of(start_urls[0])
    port = urlsplit(start_urls[0]).port
    if port not in (None, 80, 443):
        site += f"-{port}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", site) or spider.name
