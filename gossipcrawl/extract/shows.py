"""Show mentions: which TV shows an article is about, by title and abbreviation.

`find_shows(headline, paragraphs)` fills the item's `shows` field. The caller passes only
the article's own text (headline, body paragraphs): tagline, menus, sidebars, related links
and comments never reach this module. `explain()` lists every candidate title with its
decision and the rule that made it, for tuning.

The titles are data (`gossipcrawl/data/shows.toml`), compiled once into one regular
expression; every title the scan finds is judged by the ten rules of docs/shows.md, whose
numbers the functions below cite (docs/shows.md says which function applies which rule).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from collections.abc import Iterable
from typing import Any

__all__ = ["find_shows", "explain", "load_gazetteer", "Gazetteer"]

# Curly quotes, dashes, no-break spaces and accented letters are folded one character for
# one character, so offsets in the folded text are offsets in the original text.
_FOLD_MAP = {
    "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "‐": "-", "‑": "-",
    "–": "-", "—": "-", "…": ".",
    "á": "a", "à": "a", "â": "a", "ä": "a", "ã": "a", "å": "a",
    "é": "e", "è": "e", "ê": "e", "ë": "e", "í": "i", "ì": "i", "î": "i", "ï": "i",
    "ó": "o", "ò": "o", "ô": "o", "ö": "o", "õ": "o", "ú": "u", "ù": "u", "û": "u",
    "ü": "u", "ñ": "n", "ç": "c",
    "Á": "A", "À": "A", "Â": "A", "Ä": "A", "É": "E", "È": "E", "Ê": "E", "Í": "I",
    "Ó": "O", "Ö": "O", "Ú": "U", "Ü": "U", "Ñ": "N", "Ç": "C",
}
# Only non-ASCII characters are folded (ASCII text is returned as it is, "`" included).
_FOLDED = tuple((char, folded) for char, folded in _FOLD_MAP.items() if not char.isascii())

# Context tokens: a possessive, a word (hyphens, "&" and "+" inside; "E!", "Paramount+"),
# or one punctuation character. A leading hyphen keeps "-based" in "Dallas-based".
_TOKEN = re.compile(r"'s\b|'|-?\w+(?:[-&+.]\w+)*[!+]?|[^\w\s]", re.ASCII)
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[A-Za-z][\w'-]*")
_DIGITS = re.compile(r"\d{1,2}$")
_COORDINATION = re.compile(r"\s*(?:,\s*(?:and|or|&)?|and|or|&|/|\+|plus)\s*", re.I)
_SENTENCE_END = set(".!?:;|-•*\n\x00")
_OPENERS = set("\"'([{")

SAFE, CAPITALISED, AMBIGUOUS, STRICT = "safe", "capitalised", "ambiguous", "strict"
_LEVEL_ORDER = {SAFE: 0, CAPITALISED: 1, AMBIGUOUS: 2, STRICT: 3}
# Words that may stand between a title and the cue word after it.
_BRIDGE_WORDS = frozenset((
    "has", "have", "had", "is", "was", "were", "been", "be", "will", "would", "could", "may",
    "might", "new", "head", "former", "final", "first", "last", "latest", "original",
    "longtime", "long-time", "veteran", "very", "most", "officially", "finally", "already",
    "also", "just", "now", "set", "to"))
_WINDOW = 32  # characters of context read on each side of a title that needs it


def _fold(text: str) -> str:
    """Same length, same offsets: "’" -> "'", "é" -> "e", "–" -> "-"."""
    if text.isascii():
        return text
    # A scan of the text per character (in C) beats str.translate and a regex, whose cost
    # grows with every non-ASCII character of the text (a whole page in Cyrillic).
    for char, folded in _FOLDED:
        if char in text:
            text = text.replace(char, folded)
    return text


def _key(text: str) -> str:
    return _SPACES.sub(" ", _fold(text).strip()).lower()


def _phrase(text: str) -> tuple[tuple[str, ...], bool]:
    """A context phrase as tokens; compared case-sensitively when it has a capital."""
    tokens = tuple(_TOKEN.findall(_fold(text)))
    sensitive = any(ch.isupper() for ch in text)
    return (tokens if sensitive else tuple(t.lower() for t in tokens)), sensitive


@dataclass(frozen=True, slots=True)
class Show:
    id: str
    name: str
    country: str
    kind: str
    franchise: str
    place: bool = False
    proper_noun: bool = False
    guard_names: bool = False
    strict_article: bool = False


@dataclass(slots=True)
class Form:
    """One title as matched: every show that uses it, and how cautiously to treat it."""

    surface: str
    words: tuple[str, ...]
    abbreviation: bool
    level: str
    show_ids: list[str] = field(default_factory=list)
    place: bool = False
    proper_noun: bool = False
    guard_names: bool = False
    strict_article: bool = False
    not_before: _PhraseSet = field(default_factory=lambda: _PhraseSet())
    not_after: _PhraseSet = field(default_factory=lambda: _PhraseSet())
    cue_before: _PhraseSet = field(default_factory=lambda: _PhraseSet())
    small: tuple[bool, ...] = ()
    plain: bool = False  # safe, no vetoes: only capitalisation is checked
    spellings: set[str] = field(default_factory=set)  # abbreviations: "TOWIE", "Towie"
    plural: bool = False  # ends like a plural noun ("Passions", "The Kardashians")


class _PhraseSet:
    """Phrases indexed by their last and first token, for "do the tokens right before
    (after) the title end (start) with one of them"."""

    def __init__(self, phrases: Iterable[str] = ()):
        self.by_last: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
        self.by_first: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
        for text in phrases:
            self.add(text)

    def extend(self, phrases: Iterable[str]) -> None:
        for text in phrases:
            self.add(text)

    def add(self, text: str) -> None:
        tokens, sensitive = _phrase(text)
        if tokens:
            self.by_last.setdefault(tokens[-1].lower(), []).append((tokens, sensitive))
            self.by_first.setdefault(tokens[0].lower(), []).append((tokens, sensitive))

    def ends(self, tokens: list[str], lowered: list[str]) -> bool:
        if not lowered:
            return False
        for phrase, sensitive in self.by_last.get(lowered[-1], ()):
            n = len(phrase)
            if len(tokens) >= n and tuple((tokens if sensitive else lowered)[-n:]) == phrase:
                return True
        return False

    def starts(self, tokens: list[str], lowered: list[str]) -> bool:
        if not lowered:
            return False
        for phrase, sensitive in self.by_first.get(lowered[0], ()):
            n = len(phrase)
            if len(tokens) >= n and tuple((tokens if sensitive else lowered)[:n]) == phrase:
                return True
        return False

    def __bool__(self) -> bool:
        return bool(self.by_last)


def _trie_regex(keys: Iterable[str]) -> str:
    """One alternation per trie node: the engine follows a single branch per character."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            atom = r"\s+" if ch == " " else re.escape(ch)
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            body = "(?:" + body + ")?" if len(branches) > 1 else "(?:" + body + ")?"
        return body

    return emit(trie)


class Gazetteer:
    """The compiled gazetteer: shows, title forms, context word lists and the scanner."""

    def __init__(self, data: dict[str, Any]):
        context = data.get("context", {})
        self.small_words = frozenset(w.lower() for w in context.get("small_words", []))
        self.cue_after = frozenset(w.lower() for w in context.get("cue_after", []))
        self.cue_before = _PhraseSet(context.get("cue_before", []))
        self.cue_before_strict = _PhraseSet(context.get("cue_before_strict", []))
        self.networks = _PhraseSet(context.get("networks", []))
        self.network_words = frozenset(
            t for n in context.get("networks", []) for t in _phrase(n)[0])
        self.number_words = frozenset(w.lower() for w in context.get("number_words", []))
        self.place_before = frozenset(w.lower() for w in context.get("place_before", []))
        self.place_after = frozenset(w.lower() for w in context.get("place_after", []))
        self.guard_exempt = frozenset(context.get("guard_exempt", []))
        self.genre_after = frozenset(tuple(_key(g).split()) for g in context.get("genre_after", []))
        self.singular_verbs = frozenset(w.lower() for w in context.get("singular_verbs", []))

        self.shows: dict[str, Show] = {}
        self.forms: dict[str, Form] = {}
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        self._regex_ci: re.Pattern[str] | None = None
        for entry in data.get("show", []):
            self._add_show(entry)
        self._compile()

    # -- loading ---------------------------------------------------------------------

    def _add_show(self, entry: dict[str, Any]) -> None:
        show_id: str = entry["id"]
        if show_id in self.shows:
            raise ValueError(f"duplicate show id {show_id!r}")
        show = Show(
            id=show_id, name=entry["name"], country=entry.get("country", ""),
            kind=entry.get("kind", ""), franchise=entry.get("franchise", show_id),
            place=entry.get("place", False), proper_noun=entry.get("proper_noun", False),
            guard_names=entry.get("guard_names", False),
            strict_article=entry.get("strict_article", False))
        self.shows[show_id] = show

        levels: dict[str, tuple[str, str, bool]] = {}  # key -> (surface, level, abbr)
        spellings: dict[str, set[str]] = {}
        for level in (STRICT, AMBIGUOUS, CAPITALISED):
            for surface in entry.get(level, []):
                levels.setdefault(_key(surface), (surface, level, _looks_abbreviated(surface)))
        for surface in entry.get("abbreviations", []):
            levels.setdefault(_key(surface), (surface, SAFE, True))
        for surface in [entry["name"], *entry.get("aliases", [])]:
            levels.setdefault(_key(surface), (surface, SAFE, _looks_abbreviated(surface)))
        for level in (STRICT, AMBIGUOUS, CAPITALISED, "abbreviations", "aliases"):
            for surface in entry.get(level, []):
                spellings.setdefault(_key(surface), set()).add(_SPACES.sub(" ", _fold(surface)))

        for key, (surface, level, abbreviation) in levels.items():
            form = self.forms.get(key)
            if form is None:
                form = self.forms[key] = Form(
                    surface=surface, words=tuple(_fold(surface).split()),
                    abbreviation=abbreviation, level=level)
            elif _LEVEL_ORDER[level] > _LEVEL_ORDER[form.level]:
                form.level = level
            form.show_ids.append(show_id)
            form.spellings.update(spellings.get(key, ()))
            form.spellings.add(_SPACES.sub(" ", _fold(surface)))
            form.place |= show.place
            form.proper_noun |= show.proper_noun
            form.guard_names |= show.guard_names
            form.strict_article |= show.strict_article
            if level != SAFE:
                # Vetoes are written for a show's ambiguous forms ("Days later"); its full
                # title and abbreviations are unambiguous ("DOOL In The Conversation").
                form.not_before.extend(entry.get("not_before", []))
                form.not_after.extend(entry.get("not_after", []))
            form.cue_before.extend(entry.get("cue_before", []))

        for pattern in entry.get("patterns", []):
            self.patterns.append((re.compile(pattern), show_id))

    def _compile(self) -> None:
        small = self.small_words
        for form in self.forms.values():
            form.small = tuple(w.lower() in small for w in form.words)
            last = form.words[-1].lower() if form.words else ""
            form.plural = last.endswith("s") and not last.endswith("ss")
            form.plain = (form.level == SAFE and not form.guard_names
                          and not form.not_before and not form.not_after)
        for pattern, show_id in self.patterns:
            self.forms["\0" + pattern.pattern] = Form(
                surface=pattern.pattern, words=(), abbreviation=True, level=SAFE,
                show_ids=[show_id], not_before=_PhraseSet(), not_after=_PhraseSet(),
                cue_before=_PhraseSet(), plain=True)
        trie = _trie_regex(sorted(k for k in self.forms if not k.startswith("\0")))
        # Scanned over the lower-cased text, case-sensitively: much faster in `re` than
        # IGNORECASE. Capitalisation is judged afterwards on the original text.
        self.regex = re.compile(r"(?<![\w&])(?:" + trie + r")(?![\w&])")
        # Numbered forms start with a literal ("BB26"), which `re` finds fast; the word
        # boundary before them is checked by the caller.
        self.pattern_regex = re.compile("|".join(
            f"(?P<p{i}>{p.pattern})" for i, (p, _) in enumerate(self.patterns)
        ) + r"(?![\w&])") if self.patterns else None

    @property
    def regex_ignorecase(self) -> re.Pattern[str]:
        """For the rare text whose lower-casing changes its length ("İ")."""
        if self._regex_ci is None:
            self._regex_ci = re.compile(self.regex.pattern, re.IGNORECASE)
        return self._regex_ci


def _looks_abbreviated(surface: str) -> bool:
    """"AMC", "BH90210", "B&B", "Y & R"; not "EastEnders" or "MasterChef"."""
    letters = [c for c in surface if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return ("&" in surface and len(surface.replace(" ", "")) <= 5) or (
        " " not in surface.strip() and upper >= 2 and upper * 2 >= len(letters))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, parsed and compiled once per process."""
    raw = files("gossipcrawl.data").joinpath("shows.toml").read_text(encoding="utf-8")
    return Gazetteer(tomllib.loads(raw))


# -- matching -----------------------------------------------------------------------

_SEPARATOR = "\x00"  # between headline and paragraphs: no title or context crosses it


class _Page:
    """Headline and paragraphs joined into one folded text, scanned once."""

    def __init__(self, texts: list[str]):
        self.original = _SEPARATOR.join(texts)
        self.text = _fold(self.original)
        self.bounds: list[int] = []  # start offset of each segment
        offset = 0
        for text in texts:
            self.bounds.append(offset)
            offset += len(text) + 1
        self._title_mode: dict[int, bool] = {}

    def segment(self, pos: int) -> int:
        return bisect_right(self.bounds, pos) - 1

    def segment_text(self, index: int) -> str:
        start = self.bounds[index]
        end = self.bounds[index + 1] - 1 if index + 1 < len(self.bounds) else len(self.text)
        return self.text[start:end]

    def title_mode(self, index: int, small: frozenset[str]) -> bool:
        """A headline-like segment: Title Case or capitals, so case proves nothing in it."""
        mode = self._title_mode.get(index)
        if mode is None:
            mode = self._title_mode[index] = _is_title_like(self.segment_text(index), small)
        return mode


def _is_title_like(text: str, small: frozenset[str]) -> bool:
    stripped = text.rstrip(" \"')")
    if len(stripped) > 200 or stripped.endswith(".") or ". " in stripped:
        return False  # running text: several sentences, or one that ends with a full stop
    if text.isupper() and sum(c.isalpha() for c in text) >= 4:
        return True
    words = [w for w in _WORDS.findall(text) if w.lower() not in small]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


@dataclass(slots=True)
class _Candidate:
    segment: int
    start: int
    end: int
    form: Form
    strong: bool
    state: str  # "accept", "reject" or "wait"
    via: str = ""


def _case_ok(form: Form, matched: str) -> bool:
    """Rule 2: abbreviations exactly, titles in Title Case."""
    if form.abbreviation:
        if not form.words:
            return True
        squeezed = _SPACES.sub(" ", matched) if " " in matched else matched
        return squeezed in form.spellings or (
            squeezed.isupper() and squeezed.lower() == _SPACES.sub(" ", form.surface.lower()))
    words = matched.split()
    for index, got in enumerate(words):
        first = got[0]
        if not first.isalpha() or first.isupper():
            continue
        if form.small[index] and not (index == 0 and form.strict_article):
            continue
        return False
    return True


def _sentence_start(text: str, start: int) -> bool:
    """Does a sentence (or a quotation, or a segment) begin right before `start`?"""
    pos = start - 1
    while pos >= 0 and text[pos] in " \t\r\n":
        pos -= 1
    if pos < 0:
        return True
    return text[pos] in _SENTENCE_END or text[pos] in _OPENERS


def _strong_case(form: Form, matched: str, at_start: bool, title_mode: bool,
                 small: frozenset[str]) -> bool:
    """Rule 4: do the title's capitals say it is a title?"""
    if title_mode:
        return False
    if form.abbreviation:
        return True
    if not at_start and form.words and form.words[0].lower() == "the" \
            and matched.startswith("T"):
        return True
    if form.proper_noun:
        return False
    if not all(form.small[1:]):
        return True  # "The Bachelor", "Home and Away": a capital inside the title
    return not at_start


def _clause_before(text: str, start: int) -> list[str]:
    """Tokens right before the title, back to the nearest punctuation mark."""
    window = text[max(0, start - _WINDOW):start]
    tokens = _TOKEN.findall(window)
    if start > _WINDOW and tokens:
        tokens = tokens[1:]  # the first token may be cut
    index = len(tokens)
    while index > 0:
        token = tokens[index - 1]
        if token[0].isalnum() or token in ("'s", "'") or (token[0] == "-" and len(token) > 1):
            index -= 1
        else:
            break
    return tokens[index:]


def _is_name_word(gz: Gazetteer, token: str) -> bool:
    """A capitalised word that would make the title part of a longer proper name."""
    if not token[:1].isupper() or token in gz.guard_exempt:
        return False
    if "-" in token and not token.split("-")[-1][:1].isupper():
        return False  # "Emmy-winning"
    return token not in gz.network_words and token.lower() not in gz.cue_after


@dataclass(slots=True)
class _Context:
    """One candidate title in its page: the case evidence and the words around it (the
    tokens of its clause before it, `_WINDOW` characters after it), read once for rules
    4 to 7. `after_words` is `after` without a possessive right after the title."""

    text: str
    start: int
    end: int
    title_mode: bool
    strong: bool
    before: list[str]
    before_low: list[str]
    after: list[str]
    after_low: list[str]
    possessive: bool
    after_words: list[str]
    after_words_low: list[str]


def _context(gz: Gazetteer, page: _Page, form: Form, start: int, end: int, matched: str,
             segment: int) -> _Context:
    text = page.text
    title_mode = page.title_mode(segment, gz.small_words)
    strong = _strong_case(form, matched, _sentence_start(text, start), title_mode,
                          gz.small_words)
    before = _clause_before(text, start)
    after = _TOKEN.findall(text, end, end + _WINDOW)
    after_low = [t.lower() for t in after]
    possessive = bool(after) and after[0] in ("'s", "'")
    return _Context(text, start, end, title_mode, strong, before, [t.lower() for t in before],
                    after, after_low, possessive, after[1:] if possessive else after,
                    after_low[1:] if possessive else after_low)


def _judge(gz: Gazetteer, page: _Page, form: Form, start: int, end: int, matched: str,
           segment: int) -> tuple[str, bool, str]:
    """Rules 4 to 7 for one candidate: (state, strong case, the rule that decided)."""
    context = _context(gz, page, form, start, end, matched, segment)
    strong = context.strong
    via = _overriding_cue(gz, form, context)
    if via:
        return "accept", strong, via
    via = _veto(gz, form, context)
    if via:
        return "reject", strong, via
    if form.level == SAFE:
        return "accept", strong, "safe"
    via = _strong_cue(gz, form, context)
    if not via and form.level != STRICT:  # strict titles take only the strong cues
        via = _other_cue(gz, context)
    if not via and form.level == CAPITALISED and strong:
        via = "capitalised"  # rule 7
    return ("accept", strong, via) if via else ("wait", strong, "")


def _overriding_cue(gz: Gazetteer, form: Form, c: _Context) -> str | None:
    """The show's own cue before the title beats the vetoes ("starred in Dallas"), and so
    does a network ("Hulu's The Kardashians", "The Kardashians on Hulu")."""
    if form.cue_before and form.cue_before.ends(c.before, c.before_low):
        return "own cue"
    if len(c.before) >= 2 and c.before[-1] == "'s" and gz.networks.ends(c.before[:-1],
                                                                        c.before_low[:-1]):
        return "network"
    if len(c.after_words) >= 2 and c.after_words_low[0] in ("on", "airs") \
            and gz.networks.starts(c.after_words[1:], c.after_words_low[1:]):
        return "on network"
    return None


def _veto(gz: Gazetteer, form: Form, c: _Context) -> str | None:
    """Rule 5: the words right around the title make it something else."""
    if form.not_before and form.not_before.ends(c.before, c.before_low):
        return "not_before"
    if form.not_after and (form.not_after.starts(c.after, c.after_low)
                           or form.not_after.starts(c.after_words, c.after_words_low)):
        return "not_after"
    if form.place:
        via = _place_veto(gz, c)
        if via:
            return via
    needs_context = form.level != SAFE
    if needs_context and c.before_low and (c.before_low[-1] in gz.number_words
                                           or c.before_low[-1].isdigit()):
        return "number before"
    if (needs_context or form.guard_names) and not c.title_mode and _in_longer_name(gz, c):
        return "longer name"
    return None


def _place_veto(gz: Gazetteer, c: _Context) -> str | None:
    """"flew from Dallas", "Dallas police", "Dallas-based"."""
    if c.before_low and c.before_low[-1] in gz.place_before:
        return "place before"
    if c.after_words_low and c.after_words_low[0].lstrip("-") in gz.place_after:
        return "place after"
    return None


def _in_longer_name(gz: Gazetteer, c: _Context) -> bool:
    """A capitalised word glued to the title: "Survivor Series", "Massachusetts General
    Hospital" (unless that word only starts the sentence)."""
    text, start, end = c.text, c.start, c.end
    if c.after and end + 1 < len(text) and text[end] == " " and _is_name_word(gz, c.after[0]):
        return True
    return bool(c.before) and start >= 2 and text[start - 1] == " " \
        and text[start - 2].isalnum() and _is_name_word(gz, c.before[-1]) \
        and not _sentence_start(text, start - 1 - len(c.before[-1]))


def _strong_cue(gz: Gazetteer, form: Form, c: _Context) -> str | None:
    """Rule 6, the cues that count even for `strict` titles: genre before or after, a
    singular verb after a plural-looking title, a possessive and a person's name."""
    if gz.cue_before_strict.ends(c.before, c.before_low):
        return "genre cue"
    if c.after_words_low and _genre_follows(gz, c.after_words_low):
        return "genre after"
    if not c.possessive and c.after_words_low and c.after_words_low[0] in gz.singular_verbs \
            and form.plural:
        return "singular verb"
    if c.possessive and not form.proper_noun and len(c.after_words) >= 2 \
            and _is_name_word(gz, c.after_words[0]) and _is_name_word(gz, c.after_words[1]):
        return "possessive name"  # "Neighbours' Jackie Woodburne"
    return None


def _other_cue(gz: Gazetteer, c: _Context) -> str | None:
    """Rule 6, the other cues: a generic cue before, a season number, a subtitle, a cue
    word after the title (or after bridge words)."""
    if gz.cue_before.ends(c.before, c.before_low):
        return "cue before"
    if not c.after_words:
        return None
    first = c.after_words[0]
    if not c.possessive and _DIGITS.match(first):
        return "season number"
    if not c.possessive and first == ":" and len(c.after) > 1 and c.after[1][:1].isupper() \
            and not c.title_mode:
        return "subtitle"
    for token in c.after_words_low[:3]:
        if token in gz.cue_after:
            return "cue after"
        if token not in _BRIDGE_WORDS:
            break  # "Days' new head writer", "Neighbours has been axed"
    return None


def _genre_follows(gz: Gazetteer, after: list[str]) -> bool:
    """"Doctors, the BBC soap, ...", "Generations was the first daytime soap"."""
    words: list[str] = []
    for index, token in enumerate(after):
        if token in ("'s", "'"):
            continue
        if not (token[0].isalnum() or token[0] == "-"):
            if index == 0 and token == ",":
                continue
            break
        words.append(token)
        if len(words) == 6:
            break
    for index, word in enumerate(words):
        if (word,) in gz.genre_after or tuple(words[index:index + 2]) in gz.genre_after:
            return True
    return False


def _scan(gz: Gazetteer, page: _Page) -> list[_Candidate]:
    """Rules 1 to 7: every title in the page, judged on its own context."""
    candidates: list[_Candidate] = []
    text = page.text
    lowered = text.lower()
    if len(lowered) == len(text):
        search, haystack = gz.regex.search, lowered
    else:
        search, haystack = gz.regex_ignorecase.search, text
    forms = gz.forms
    found: list[tuple[int, int, Form]] = []
    pos = 0
    while True:
        match = search(haystack, pos)
        if match is None:
            break
        start, end = match.span()
        key = match.group()
        form = forms.get(key) or forms[_SPACES.sub(" ", key.lower())]
        if not _case_ok(form, text[start:end]):
            shorter = _shorter_form(gz, text, start, end)
            if shorter is None:
                pos = start + 1  # let a title inside this one match
                continue
            form, end = shorter
        found.append((start, end, form))
        pos = end
    if gz.pattern_regex is not None:
        for match in gz.pattern_regex.finditer(text):
            pattern, _ = gz.patterns[int((match.lastgroup or "_0")[1:])]
            start, end = match.span()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_&"):
                continue
            if not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, forms["\0" + pattern.pattern]))
        found.sort(key=lambda item: item[0])

    for start, end, form in found:
        segment = page.segment(start)
        if form.plain:
            candidates.append(_Candidate(segment, start, end, form, True, "accept", "safe"))
            continue
        state, strong, via = _judge(gz, page, form, start, end, text[start:end], segment)
        candidates.append(_Candidate(segment, start, end, form, strong, state, via))
    return candidates


def _shorter_form(gz: Gazetteer, text: str, start: int, end: int) -> tuple[Form, int] | None:
    """A shorter title at the same place whose capitalisation is right ("Love Island"
    in "Love Island usa")."""
    matched = text[start:end]
    cut = matched.rfind(" ")
    while cut > 0:
        matched = matched[:cut].rstrip()
        form = gz.forms.get(_SPACES.sub(" ", matched.lower()))
        if form is not None and _case_ok(form, matched):
            return form, start + len(matched)
        cut = matched.rfind(" ")
    return None


def _page_rules(gz: Gazetteer, page: _Page, candidates: list[_Candidate]) -> None:
    """Rules 8 and 9, repeated until nothing changes."""
    waiting = [c for c in candidates if c.state == "wait"]
    while waiting:
        changed = False
        franchises = {gz.shows[i].franchise for c in candidates if c.state == "accept"
                      for i in c.form.show_ids}
        for candidate in waiting:
            if candidate.state != "wait":
                continue
            partner = _coordinated(page, candidates, candidate)
            if partner is not None and (partner.state == "accept" or (
                    candidate.form.level != STRICT and partner.form.level != STRICT)):
                candidate.state, candidate.via = "accept", "coordination"
                if partner.state == "wait":
                    partner.state, partner.via = "accept", "coordination"
                changed = True
            elif (candidate.strong or candidate.form.level == CAPITALISED) and any(
                    gz.shows[i].franchise in franchises for i in candidate.form.show_ids):
                candidate.state, candidate.via = "accept", "page signal"
                changed = True
        waiting = [c for c in waiting if c.state == "wait"]
        if not changed:
            break
    for candidate in waiting:
        candidate.state = "reject"


def _coordinated(page: _Page, candidates: list[_Candidate],
                 candidate: _Candidate) -> _Candidate | None:
    text = page.text
    for other in candidates:
        if other is candidate or other.state == "reject" or other.segment != candidate.segment:
            continue
        if other.end <= candidate.start:
            gap = text[other.end:candidate.start]
        elif other.start >= candidate.end:
            gap = text[candidate.end:other.start]
        else:
            continue
        if len(gap) <= 8 and _COORDINATION.fullmatch(gap):
            return other
    return None


def _normalise_region(region: str | None) -> str | None:
    if not region:
        return None
    code = region.replace("_", "-").split("-")[-1].upper()
    return "GB" if code == "UK" else code


def _resolve_shared(gz: Gazetteer, ids: list[str], specific: Counter[str],
                    country: str | None) -> str:
    """Rule 10: the show the page names unambiguously, else the region's, else the first."""
    named = [i for i in ids if specific[i]]
    if named:
        return max(named, key=lambda i: specific[i])
    if country:
        for show_id in ids:
            if gz.shows[show_id].country == country:
                return show_id
    return ids[0]


def _candidates(headline: str | None, paragraphs: Iterable[str]) -> tuple[Gazetteer, _Page,
                                                                          list[_Candidate]]:
    gz = load_gazetteer()
    texts = [headline] if headline else []
    texts.extend(p for p in paragraphs if p)
    page = _Page(texts)
    candidates = _scan(gz, page)
    _page_rules(gz, page, candidates)
    return gz, page, candidates


def find_shows(headline: str | None, paragraphs: Iterable[str], *,
               region: str | None = None) -> list[dict[str, Any]]:
    """The shows an article mentions: `[{"id", "name", "mentions"}]`, most mentioned first.

    `headline` and `paragraphs` are the article's own text only (never navigation,
    sidebars, related links or comments). `region` (a country code such as "GB" or a
    language tag such as "en-GB") decides titles that several shows share when the page
    itself does not.
    """
    gz, _, candidates = _candidates(headline, paragraphs)
    accepted = [c for c in candidates if c.state == "accept"]
    if not accepted:
        return []
    specific = Counter(c.form.show_ids[0] for c in accepted if len(c.form.show_ids) == 1)
    country = _normalise_region(region)
    counts: Counter[str] = Counter()
    for candidate in accepted:
        ids = candidate.form.show_ids
        counts[ids[0] if len(ids) == 1 else _resolve_shared(gz, ids, specific, country)] += 1
    result: list[dict[str, Any]] = [{"id": i, "name": gz.shows[i].name, "mentions": n}
                                   for i, n in counts.items()]
    result.sort(key=lambda item: (-item["mentions"], item["name"], item["id"]))
    return result


def explain(headline: str | None, paragraphs: Iterable[str]) -> list[dict[str, Any]]:
    """Every candidate with its decision and the rule that made it (for tuning rules)."""
    _, page, candidates = _candidates(headline, paragraphs)
    return [{"text": page.original[c.start:c.end], "shows": list(c.form.show_ids),
             "level": c.form.level, "state": c.state, "via": c.via, "strong": c.strong}
            for c in candidates]
