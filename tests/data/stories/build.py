"""Build `stories.jsonl`, the storyId test set, from the hand-written `sources.py`.

For every story: the original, a hand-paraphrased rewrite from another site, and three
machine-made copies of the original: a syndicated copy (partner intro and outro, last
paragraph cut), a light rewrite (synonyms swapped, two paragraphs reordered, new headline)
and an aggregator excerpt (the first two paragraphs). Distractors are one-article stories
about the same shows and characters. Deterministic: run `python tests/data/stories/build.py`
and the file comes out the same.

Each line: {"id", "url", "site", "headline", "articleBody", "story", "kind"}.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sources import DISTRACTORS, STORIES  # noqa: E402

SYNONYMS = {
    "reveals": "discloses", "revealed": "disclosed", "says": "states", "said": "stated",
    "shock": "surprise", "shocking": "surprising", "week": "week ahead", "fans": "viewers",
    "tells": "informs", "warns": "cautions", "new": "fresh", "finally": "at last",
    "big": "major", "stunned": "floored", "worried": "anxious", "help": "assistance",
    "insists": "maintains", "leaves": "leaves behind", "quickly": "swiftly",
    "begins": "starts", "soon": "shortly", "later": "afterwards", "wants": "would like",
    "announces": "declares", "announced": "declared", "promised": "pledged",
    "dramatic": "explosive", "secret": "hidden truth", "return": "comeback",
}
PARTNER_INTRO = "This story first appeared on {site} and is republished with permission."
PARTNER_OUTRO = ("For more soap spoilers, news and casting updates, sign up for our daily "
                 "newsletter and follow us on social media.")


def _url(site: str, slug: str) -> str:
    return f"https://{site}/news/{slug}/"


def _record(site, slug, headline, body, story, kind):
    url = _url(site, slug)
    return {"id": hashlib.sha1(url.encode()).hexdigest(), "url": url, "site": site,
            "headline": headline, "articleBody": body, "story": story, "kind": kind}


def _swap_synonyms(text: str) -> str:
    def replace(match):
        word = match.group(0)
        swapped = SYNONYMS.get(word.lower())
        if swapped is None:
            return word
        return swapped.capitalize() if word[0].isupper() else swapped
    return re.sub(r"[A-Za-z]+", replace, text)


def variants(story: dict) -> list[dict]:
    name = story["story"]
    original, rewrite = story["original"], story["rewrite"]
    paragraphs = original["body"].split("\n\n")
    rows = [
        _record(original["site"], name, original["headline"], original["body"], name,
                "original"),
        _record(rewrite["site"], f"{name}-rewrite", rewrite["headline"], rewrite["body"],
                name, "rewrite"),
    ]
    syndicated = [PARTNER_INTRO.format(site=original["site"]), *paragraphs[:-1],
                  PARTNER_OUTRO]
    rows.append(_record("syndication-partner.example", f"{name}-syndicated",
                        original["headline"], "\n\n".join(syndicated), name, "syndicated"))
    reordered = list(paragraphs)
    if len(reordered) >= 4:
        reordered[1], reordered[2] = reordered[2], reordered[1]
    rows.append(_record("content-farm.example", f"{name}-light",
                        "SPOILER ALERT: " + _swap_synonyms(original["headline"]),
                        _swap_synonyms("\n\n".join(reordered)), name, "light_rewrite"))
    rows.append(_record("aggregator.example", f"{name}-excerpt", original["headline"],
                        "\n\n".join(paragraphs[:2]) + "\n\nContinue reading on the source site.",
                        name, "excerpt"))
    return rows


def build() -> list[dict]:
    rows = []
    for story in STORIES:
        rows.extend(variants(story))
    for number, article in enumerate(DISTRACTORS):
        slug = f"distractor-{number:02d}"
        rows.append(_record(article["site"], slug, article["headline"], article["body"],
                            slug, "distractor"))
    return rows


def main() -> None:
    rows = build()
    with open(HERE / "stories.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} articles, {len(STORIES)} multi-article stories, "
          f"{len(DISTRACTORS)} distractors -> {HERE / 'stories.jsonl'}")


if __name__ == "__main__":
    main()
