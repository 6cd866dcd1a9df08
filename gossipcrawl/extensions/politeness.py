"""A site's download delay counted between requests on the wire, not only in Scrapy's queue.

Scrapy keeps `DOWNLOAD_DELAY` between the moments a site's requests leave its download slot's
queue. A request leaves on time, but it reaches the wire only when the reactor gets to it; a
crawl that is busy (extracting another site's page, which takes tens of milliseconds, in a
crawl of several sites) sends it late, and when its answer is quick the next request leaves
the queue at once: the site saw two requests far closer together than its delay (measured: 30
ms apart with a 100 ms delay, 16 sites in one process).

`WireDelayExtension` moves the slot's "last request" mark to when the answered request was
really sent (the moment its answer came, less its `download_latency`), so the next request
of the site leaves the queue a full delay after that.
"""

from __future__ import annotations

import time

from scrapy import signals


class WireDelayExtension:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        return extension

    def response_downloaded(self, response, request, spider=None):
        latency = request.meta.get("download_latency")
        if latency is None:
            return
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            # Sent at about now - latency: the slot counts its delay from there.
            slot.lastseen = max(slot.lastseen, time.monotonic() - latency)
