"""gossipcrawl reads the web; it never writes to it.

`GetOnlyDownloaderMiddleware` is the guarantee: every request passes it on its way to the
downloader, and any method outside `GOSSIPCRAWL_ALLOWED_METHODS` (GET and HEAD by default)
is dropped before a byte is sent: a `FormRequest.from_response()` on a comment form, a
POST built by hand, a redirect rewritten into a POST by another component. The refusal is
logged with the URL and counted in the stats as
`gossipcrawl/requests/refused_method/<METHOD>`.

Enable it first in the chain, so nothing earlier can act on a refused request:

    DOWNLOADER_MIDDLEWARES = {"gossipcrawl.downloadermiddlewares.getonly.GetOnlyDownloaderMiddleware": 50}
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest

from gossipcrawl.settings import GOSSIPCRAWL_ALLOWED_METHODS
from gossipcrawl.stats import refused_method

logger = logging.getLogger(__name__)

ALLOWED_METHODS_SETTING = "GOSSIPCRAWL_ALLOWED_METHODS"

# Methods that do not change anything on the server (RFC 9110 "safe" methods).
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class GetOnlyDownloaderMiddleware:
    """Refuse every request whose method is not explicitly allowed."""

    def __init__(self, allowed_methods, stats=None):
        self.allowed = frozenset(method.strip().upper() for method in allowed_methods
                                 if method and method.strip())
        self.stats = stats
        unsafe = sorted(self.allowed - _SAFE_METHODS)
        if unsafe:
            logger.warning("%s allows %s: gossipcrawl may now change data on the sites it "
                           "crawls", ALLOWED_METHODS_SETTING, ", ".join(unsafe))

    @classmethod
    def from_crawler(cls, crawler):
        # Enabled in a project without gossipcrawl's settings, the guard still holds to
        # gossipcrawl's default (GET and HEAD).
        methods = crawler.settings.getlist(ALLOWED_METHODS_SETTING, GOSSIPCRAWL_ALLOWED_METHODS)
        return cls(methods, crawler.stats)

    def process_request(self, request, spider=None):
        method = (request.method or "GET").upper()
        if method in self.allowed:
            return None
        if self.stats is not None:
            self.stats.inc_value(refused_method(method))
        logger.warning("Refused %s %s: gossipcrawl sends only %s requests", method,
                       request.url, "/".join(sorted(self.allowed)) or "no",
                       extra={"spider": spider})
        raise IgnoreRequest(f"{method} refused by GetOnlyDownloaderMiddleware: {request.url}")
