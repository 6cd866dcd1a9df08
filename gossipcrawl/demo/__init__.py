"""The bundled offline demo site: "The Daytime Dish", a fictional WordPress soap-news site.

`DemoSite` (server.py) serves it on 127.0.0.1, on a free port by default; `content` holds
the articles and the manifest of facts a crawl of it must produce; `render.py` documents
the URL layout. `gossipcrawl demo --serve [--port N]` serves it in the foreground.
"""

from __future__ import annotations

__all__ = ["DemoSite", "load_articles", "manifest", "non_article_paths"]


def __getattr__(name: str):
    # Lazy, so `python -m gossipcrawl.demo.server` does not import the module twice.
    if name == "DemoSite":
        from .server import DemoSite

        return DemoSite
    if name in ("load_articles", "manifest", "non_article_paths"):
        from . import content

        return getattr(content, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
