"""URL hygiene shared by discovery and extraction: one canonical form per article."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit, urlunsplit

from w3lib.url import safe_url_string, url_query_cleaner

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
