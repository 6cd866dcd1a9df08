"""The JSON Schema of the article record, shipped as package data."""

import json
from functools import cache
from importlib.resources import files


@cache
def article_schema() -> dict:
    return json.loads(files(__name__).joinpath("article.json").read_text(encoding="utf-8"))
