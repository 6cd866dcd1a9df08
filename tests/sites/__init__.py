"""Local test sites on 127.0.0.1 for discovery and crawl-policy tests and benchmarks."""
