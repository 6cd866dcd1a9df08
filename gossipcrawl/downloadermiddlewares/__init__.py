"""Downloader middlewares of gossipcrawl: the GET-only guard (`getonly`) and 429/503 handling
by Retry-After (`retryafter`)."""
