"""A DNS resolver for crawls in tests: names under `.invalid` (RFC 2606: never resolvable)
fail at once, as a mistyped or dead domain does, without asking any name server; every
other name resolves as usual. `-s DNS_RESOLVER=sites.nodns.NoInvalidNamesResolver` with
`tests/` on PYTHONPATH."""

from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


class NoInvalidNamesResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout=()):
        if name.endswith(".invalid"):
            return defer.fail(DNSLookupError(f"no results for hostname lookup: {name}"))
        return super().getHostByName(name, timeout)
