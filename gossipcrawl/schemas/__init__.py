"""The JSON Schema of the article record, shipped as package data."""

import json
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=None)
def article_schema() -> dict:
    return json.loads(files(__name__).joinpath("article.json").read_text(encoding="utf-8"))
