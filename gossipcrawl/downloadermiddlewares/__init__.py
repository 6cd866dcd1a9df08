"""Downloader middlewares of gossipcrawl: the GET-only guard (`getonly`), 429/503 handling
by Retry-After (`retryafter`), and giving up at once on a site that cannot be reached
(`unreachable`)."""
