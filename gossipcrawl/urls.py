"""URL hygiene shared by discovery and extraction: one canonical form per article."""

from __future__ import annotations

import functools
import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string, url_query_cleaner

# Parameters that identify a campaign or a click, never the content.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "rb_clickid", "s_cid", "vero_conv", "vero_id", "wickedid", "cmpid",
    "ncid", "ocid", "sr_share", "smid", "ito", "ref_src", "ref_url", "share", "amp",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__s")


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """Remove tracking parameters and the fragment; keep the rest of the URL as it is."""
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    if parts.query:
        names = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
        tracking = [name for name in names if is_tracking_parameter(name)]
        if tracking:
            url = url_query_cleaner(urlunsplit(parts._replace(fragment="")), tracking,
                                    remove=True, keep_fragments=False)
            parts = urlsplit(url)
    return urlunsplit(parts._replace(fragment=""))


def site_of(url: str) -> str:
    """Host without a leading `www.`: the `site` field and the dedupe/politeness key."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def host_in_domains(url: str, domains) -> bool:
    """True when the URL's host is one of `domains` or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in domains)


# --- one URL per article: what discovery requests ----------------------------------------

# AMP copies of an article: `/slug/amp/`, `/amp/slug/` is too ambiguous to undo safely.
_AMP_SUFFIX = ("/amp/", "/amp")
_AMP_QUERY = frozenset({"amp", "outputtype"})


def de_amp(url: str) -> str:
    """The non-AMP URL of an AMP copy (`/slug/amp/`, `?amp=1`, `?outputType=amp`)."""
    parts = urlsplit(url)
    path = parts.path
    for suffix in _AMP_SUFFIX:
        if path.endswith(suffix) and len(path) > len(suffix):
            path = path[: -len(suffix)] + "/"
            break
    query = parts.query
    if query:
        kept = [(name, value) for name, value in parse_qsl(query, keep_blank_values=True)
                if not (name.lower() in _AMP_QUERY
                        and (name.lower() == "amp" or value.lower() == "amp"))]
        query = urlencode(kept)
    return urlunsplit(parts._replace(path=path, query=query))


# Pages of one site link to the same menus, sections and stories over and over, and one
# URL costs ~50 µs to canonicalize: the latest URLs' forms are kept (a few MB at most).
CANONICAL_CACHE_SIZE = 16_384


@functools.lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def canonicalize(url: str) -> str:
    """The one form under which a discovered URL is requested and remembered.

    Tracking parameters and the fragment go, an AMP copy becomes its article, the host is
    lowercased, a default port dropped, percent-escapes normalized and query arguments
    sorted (w3lib's `canonicalize_url`), so every route to an article yields one request.
    """
    url = de_amp(strip_tracking(url))
    parts = urlsplit(url)
    netloc = (parts.hostname or "").lower()
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        netloc += f":{parts.port}"
    if parts.username:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    return canonicalize_url(urlunsplit(parts._replace(netloc=netloc)))


def url_key(url: str) -> bytes:
    """20-byte key of a canonical URL: the state's `lastmod` table is keyed by it."""
    return hashlib.sha1(canonicalize(url).encode("utf-8")).digest()
