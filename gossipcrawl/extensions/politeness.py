"""A site's download delay kept between requests on the wire, not only in Scrapy's queue.

Scrapy keeps `DOWNLOAD_DELAY` between the moments a site's requests leave its download slot's
queue. A request leaves on time, but it reaches the wire only when the reactor gets to it; a
crawl that is busy (extracting another site's page, which takes tens of milliseconds, in a
crawl of several sites) sends it late, and when the next request leaves the queue on time the
site sees two requests far closer together than its delay (measured with the kernel's receive
times: 36 ms apart with a 100 ms delay, 200 sites in one process).

`WireDelayExtension` counts a site's delay from the moment a request's answer arrived: the
site received that request before it answered, so the next request reaches it at least a
full delay later, however late the reactor was. A site's requests are then spaced by its
delay plus its answer time, never less than the delay.
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
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            # Fired before the slot sends its next request: that one waits a full delay.
            slot.lastseen = max(slot.lastseen, time.monotonic())
