"""Scrapy extensions of gossipcrawl: process settling (`settle`), the terminal status line
(`progress`). The job's extension lives with the rest of pause/resume in `gossipcrawl.job`."""
