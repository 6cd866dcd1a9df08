"""Comment forms: tell the article's comment form from every other form and describe it.

Nothing here submits anything, and nothing modifies the tree: `page` is shared with the
other extractors, so these are read-only walks over it.

How it works: every `<form>` on the page gets a score per kind (comment, search, newsletter,
login, contact, poll) from what the form says about itself (id, class, action, hidden
inputs, controls, submit text, heading) and, more weakly, from its containers. The best
comment-kind form wins; when there is none, script- or iframe-loaded comment systems
(Disqus, OpenWeb/Spot.IM, Facebook) are looked for. A form that is described is split into
visible fields (page order, type, label, required) and hidden fields (hidden inputs and
honeypots).
"""

from __future__ import annotations


import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeAlias
from urllib.parse import parse_qs, urljoin, urlsplit

from gossipcrawl.extract.dom import (
    class_tokens,
    clean_text,
    element_text,
    in_document_order,
    is_inside,
    text_within,
)
from gossipcrawl.extract.page import ParsedPage

__all__ = ["PROVIDERS", "FormVerdict", "classify_forms", "extract_comment_form", "page_marks"]

# lxml has no type information here: an element is whatever lxml gives.
El: TypeAlias = Any
FormInfo: TypeAlias = dict[str, Any]   # the contract's commentForm
Scripts: TypeAlias = list[tuple[str, str, El]]  # (src, text, element) of each <script>

PROVIDERS = ("wordpress", "jetpack", "wpdiscuz", "disqus", "openweb", "facebook", "other")
FORM_KINDS = ("comment", "search", "newsletter", "login", "contact", "poll", "other")

# A kind needs at least this score to be named; below it a form is "other".
_MIN_SCORE = 5

# --------------------------------------------------------------------------------------
# small text helper

def _words(*values: str | None) -> str:
    """Lower-case text where `-`, `_`, `/`, `.` separate words, so `\\b` regexes see them."""
    return " ".join(_WORD_BREAKS.sub(" ", v.lower()) for v in values if v)


_WORD_BREAKS = re.compile(r"[-_/.#?=&:]+")


# --------------------------------------------------------------------------------------
# what a page holds, found once: a page pays only for the comment markup it has

# Words (in lower-cased class and id values) of everything the comment extractors look
# for: comments, comment lists and areas (`comment`, `kommentar`, `comentario`, wpDiscuz's
# `wpd-`), `#respond`, `#disqus_thread`, `.fb-comments`, discussion and reaction boxes.
_MARK_WORDS = re.compile(r"comment|kommentar|comentario|wpd|disqus|respond|discussion|reactions")
# Attributes that mark a comment, a comment count or an OpenWeb embed.
_DATA_ATTRS = ("data-comment-id", "data-commentid", "data-comments-count",
               "data-comment-count", "data-spotim-module", "data-openweb-module",
               "data-spot-id", "itemtype", "itemprop")
_COMMENT_ITEMPROPS = frozenset({"comment", "commentCount"})


class PageMarks:
    """The elements of one page that comment forms, threads and counts can start from."""

    def __init__(self, page: ParsedPage):
        self.index = page.index  # not the page, which keeps this object: no cycle

    @cached_property
    def marked(self) -> list[El]:
        """Elements whose class or id has one of `_MARK_WORDS`, in page order."""
        out: list[El] = []
        seen: set[El] = set()
        for el, _, _ in self.index.matching(_MARK_WORDS, "class", "id"):
            if el not in seen:
                seen.add(el)
                out.append(el)
        return out

    @cached_property
    def attributes(self) -> list[tuple[El, str, str]]:
        """`(element, attribute name, value)` of `_DATA_ATTRS`, in page order."""
        return [(el, name, value)
                for el, name, value in self.index.attributes(*_DATA_ATTRS)
                if name != "itemprop" or value in _COMMENT_ITEMPROPS]

    def with_attribute(self, *names: str) -> list[El]:
        """Elements that have any of these attributes (from `_DATA_ATTRS`), page order."""
        out: list[El] = []
        for el, name, _ in self.attributes:
            if name in names and (not out or out[-1] is not el):
                out.append(el)
        return out

    @cached_property
    def labels(self) -> dict[str, list[El]]:
        """`<label for>` by the id they name, in page order."""
        out: dict[str, list[El]] = {}
        for label in self.index.tagged("label"):
            if label.get("for") is None:
                continue
            out.setdefault(label.get("for"), []).append(label)
        return out


def page_marks(page: ParsedPage) -> PageMarks:
    """The page's `PageMarks`, made on the first question about it."""
    return page.shared(PageMarks)


# --------------------------------------------------------------------------------------
# vocabulary: what each kind of form calls itself, in several languages

_COMMENT_WORDS = re.compile(
    r"\b(comment|kommentar|commentaire|comentario|comentário|commento|komentarz|reactie"
    r"|reacci|respond\b|reply|replies|discussion|diskussion|discuss\b|antwort|réponse|risposta)"
)
_COMMENT_PHRASES = re.compile(
    r"(leave a (reply|comment)|add (a|your) comment|post (a|your) comment|write a comment"
    r"|join the (discussion|conversation)|what do you think|your (comment|thoughts)"
    r"|speak your mind|have your say|kommentar (schreiben|verfassen|abgeben|hinterlassen)"
    r"|deja (un|tu) comentario|laisser un commentaire|lascia un commento|reageer|comentar"
    r"|email address will not be published|e-mail-adresse wird nicht veröffentlicht"
    r"|post comment|submit comment|add comment|publish comment|send comment|comment$|^comment"
    r"|kommentar abschicken|publicar comentario|laisser un commentaire|commenter)"
)
_SEARCH_WORDS = re.compile(r"\b(search|suche|recherche|buscar|busca|cerca|zoek)")
_NEWSLETTER_WORDS = re.compile(
    r"\b(newsletter|subscri|sign ?up|signup|opt ?in|mc4wp|mailchimp|mc embedded|klaviyo"
    r"|convertkit|ck form|seva|sendinblue|brevo|mailerlite|mailpoet|tnp|jetpack subscri"
    r"|blog subscription|list manage|email signup|emailsignup|e ?mail ?list|abonn|inscri"
    r"|suscri|iscriviti|nieuwsbrief|digest|alerts?\b)"
)
_NEWSLETTER_SUBMIT = re.compile(
    r"(subscri|sign ?up|sign me up|join|count me in|get (it|the|our)|notify me|abonnieren"
    r"|anmelden|s'inscrire|inscri|suscrib|iscriviti|aanmelden|send me)"
)
_LOGIN_WORDS = re.compile(r"\b(wp login|login|log ?in|sign ?in|signin|anmelden|connexion|auth)")
_CONTACT_WORDS = re.compile(
    r"\b(wpcf7|contact|kontakt|gform|wpforms|ninja forms|nf form|frm |formidable|fluentform"
    r"|ff el|tips?\b|tipline|tip off|feedback|enquir|inquir|get in touch|write to us"
    r"|send us|correction)"
)
_POLL_WORDS = re.compile(
    r"\b(polls?\b|wp polls|pds |pds\b|crowdsignal|polldaddy|pd poll|totalpoll|vote|voting"
    r"|survey|quiz|umfrage|sondage|encuesta|sondaggio)"
)
_SEARCH_NAMES = frozenset({"s", "q", "query", "search", "keyword", "keywords", "term",
                           "k", "search_query", "searchterm", "search-term", "text"})
_NEWSLETTER_PROMISE = re.compile(r"\b(inbox|every (week|day|weekday|morning))")
_LOGIN_NAMES = frozenset({"log", "pwd", "username", "user_login", "password", "user_pass"})
_CONTACT_FIELDS = re.compile(r"\b(subject|phone|telephone|tel|betreff|sujet|asunto|oggetto)\b")
_SEND = re.compile(r"\b(send|senden|envoyer|enviar|invia)\b")
_VOTE = re.compile(r"\b(vote|abstimmen|voter|votar|vota)\b")

_NOT_FIELDS = frozenset({"submit", "button", "reset", "image"})

# Honeypot names used by anti-spam plugins and hand-made traps.
_HONEYPOT_NAME = re.compile(
    r"(^|[_\-\s])(hp|honeypot|honey|trap|ak_hp|bot|nobot|spam|antispam)([_\-\s]|$)"
    r"|honeypot|ak_hp_|^b_[0-9a-f]{10,}|_hp$|^hp_|akismet-fields"
)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|left\s*:\s*-\d{3,}|top\s*:\s*-\d{3,}"
    r"|clip\s*:\s*rect\(\s*[01]px|(?<![-\w])(height|width)\s*:\s*[01]px|opacity\s*:\s*0(?![.\d])"
)
_REQUIRED_WORDS = r"(required|obligatoire|erforderlich|obligatorio|obbligatorio|verplicht|pflichtfeld)"
_REQUIRED_MARK = re.compile(r"\s*\*+|\s*\(\s*" + _REQUIRED_WORDS + r"\s*\)"
                            r"|\s*\b" + _REQUIRED_WORDS + r"\s*:?\s*$", re.IGNORECASE)


# --------------------------------------------------------------------------------------
# classification

@dataclass
class FormVerdict:
    """What a `<form>` is, how sure we are, and the evidence."""

    form: El
    kind: str
    scores: dict[str, float]
    provider: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.scores.get(self.kind, 0.0)


@dataclass
class _Control:
    el: El
    type: str
    name: str | None


def _controls(form: El) -> list[_Control]:
    out = []
    for el in form.iter("input", "textarea", "select"):
        if el.tag == "input":
            kind = (el.get("type") or "text").strip().lower()
        else:
            kind = el.tag
        out.append(_Control(el, kind, el.get("name") or el.get("id")))
    return out


def _styled_hidden(el: El) -> bool:
    return bool(_HIDDEN_STYLE.search((el.get("style") or "").lower())) or el.get("hidden") is not None


def _is_honeypot(control: _Control, form: El) -> bool:
    """A field people never see but bots fill in."""
    el = control.el
    names = " ".join(filter(None, [el.get("name"), el.get("id"), el.get("class")])).lower()
    if _HONEYPOT_NAME.search(names):
        return True
    if _styled_hidden(el) or el.get("aria-hidden") == "true":
        return True
    parent = el.getparent()
    while parent is not None and parent is not form:
        tokens = " ".join(class_tokens(parent))
        if _HONEYPOT_NAME.search(tokens):
            return True
        if _styled_hidden(parent) and (
            parent.get("aria-hidden") == "true"
            or el.get("tabindex") == "-1"
            or (el.get("autocomplete") or "").lower() in ("off", "new-password", "nope")
        ):
            return True
        parent = parent.getparent()
    return False


def _submit_text(form: El) -> str:
    texts = []
    for el in form.iter("input", "button"):
        kind = (el.get("type") or ("submit" if el.tag == "button" else "text")).lower()
        if kind in ("submit", "image"):
            texts.append(el.get("value") or el.get("aria-label") or el.get("alt")
                         or element_text(el))
    return clean_text(" ".join(t for t in texts if t)).lower()


_NAMING_ATTRS = ("data-component", "data-module", "data-widget", "data-testid", "aria-label")


def _ancestor_words(el: El, levels: int = 6) -> str:
    out = []
    parent = el.getparent()
    while parent is not None and levels > 0 and parent.tag not in ("body", "html"):
        out.extend(class_tokens(parent))
        out.extend(parent.get(attr) for attr in _NAMING_ATTRS if parent.get(attr))
        if parent.get("role"):
            out.append("role " + parent.get("role"))
        parent = parent.getparent()
        levels -= 1
    return _words(*out)


def _box_text(form: El) -> str:
    """The words printed around the form in its box ("Get the gossip in your inbox")."""
    box = form
    for _ in range(2):
        box = box.getparent()
        if box is None or box.tag in ("body", "html", "article", "main"):
            return ""
        text = text_within(box, 400, skip={form})
        if text is None:
            return ""  # more than 400 characters: a page region, not the form's box
        if text:
            return text.lower()
    return ""


def _jetpack_iframe(form: El) -> El | None:
    for frame in form.iter("iframe"):
        src = frame.get("src") or frame.get("data-src") or ""
        names = " ".join(class_tokens(frame) + [frame.get("name") or ""])
        if "jetpack-comment" in src or "jetpack_remote_comment" in names:
            return frame
    return None


@dataclass
class FormSignals:
    """What one `<form>` says about itself, read once; the scorers below only look here.

    Words are lower-cased and space-joined (`_words`): `own` are the form's id, class, name,
    role, aria-label and action, `around` its containers' classes and names (six levels),
    `box` the text printed around it, `heading` its title.
    """

    form: El
    hidden: dict[str, str]        # hidden inputs by name
    visible: list[_Control]       # what a person fills in (no buttons, hidden or honeypots)
    textareas: list[_Control]
    action: str
    action_path: str
    own: str
    around: str
    hidden_words: str
    submit: str
    heading: str
    box: str
    labels: str                   # the visible fields' names and labels
    textarea_words: str           # the textareas' names, ids, placeholders and labels
    names: set[str]               # the visible fields' names, lower-cased
    types: list[str]              # the visible fields' types, in page order
    iframe: El | None         # Jetpack's comment iframe
    wpdiscuz: bool

    @classmethod
    def of(cls, form: El, page: ParsedPage) -> FormSignals:
        controls = _controls(form)
        visible = [c for c in controls if c.type not in _NOT_FIELDS and c.type != "hidden"
                   and not _is_honeypot(c, form)]
        textareas = [c for c in visible if c.type == "textarea"]
        hidden = {c.name: c.el.get("value") or "" for c in controls
                  if c.type == "hidden" and c.name}
        action = (form.get("action") or form.get("action-xhr") or "").strip()
        own = _words(form.get("id"), form.get("class"), form.get("name"), form.get("role"),
                     form.get("aria-label"), action)
        around = _ancestor_words(form)
        names = {(c.name or "").lower() for c in visible}
        return cls(
            form=form, hidden=hidden, visible=visible, textareas=textareas, action=action,
            action_path=urlsplit(action).path.lower(), own=own, around=around,
            hidden_words=_words(*hidden.keys(), *hidden.values()), submit=_submit_text(form),
            heading=(_title_for(form, page) or "").lower(), box=_box_text(form),
            labels=_words(*(f"{c.name or ''} {_label_for(c.el, page, form) or ''}"
                            for c in visible)),
            textarea_words=_words(*(f"{c.name} {c.el.get('id')} {c.el.get('placeholder')} "
                                    f"{c.el.get('aria-label')} {_label_for(c.el, page, form)}"
                                    for c in textareas)),
            names=names, types=[c.type for c in visible], iframe=_jetpack_iframe(form),
            wpdiscuz="wpd comm form" in own or "wc_comment" in names
            or "wpdcom" in around.split())

    @property
    def has_password(self) -> bool:
        return "password" in self.types


# One piece of evidence: points for a kind (negative against it) and why.
Evidence = tuple[float, str]


def _says_comment(text: str) -> bool:
    return bool(_COMMENT_PHRASES.search(text) or _COMMENT_WORDS.search(text))


def _comment_evidence(f: FormSignals) -> Iterator[Evidence]:
    yield from _comment_system_evidence(f)
    if _COMMENT_WORDS.search(f.own):
        yield 4, "form calls itself comment"
    if _COMMENT_WORDS.search(f.around):
        yield 2, "inside a comments area"
    yield from _textarea_evidence(f)
    if _says_comment(f.submit):
        yield 3, "submit button posts a comment"
    if _says_comment(f.heading):
        yield 3, "heading asks for a comment"
    if _COMMENT_PHRASES.search(f.box):
        yield 2, "the box around it asks for comments"
    if _asks_name_and_email(f.names):
        yield 1, "name and email fields"


def _asks_name_and_email(names: set[str]) -> bool:
    return any(re.search(r"(^|\s)(author|name)$", n) for n in names) and \
        any("mail" in n for n in names)


def _comment_system_evidence(f: FormSignals) -> Iterator[Evidence]:
    """The markup of a known comment system."""
    if f.action_path.endswith("wp-comments-post.php"):
        yield 10, "action wp-comments-post.php"
    if "comment_post_ID" in f.hidden or "comment_parent" in f.hidden:
        yield 6, "hidden comment_post_ID/comment_parent"
    if f.iframe is not None:
        yield 12, "jetpack comment iframe"
    if f.wpdiscuz:
        yield 10, "wpDiscuz form"


def _textarea_evidence(f: FormSignals) -> Iterator[Evidence]:
    """A comment is written in a textarea (Jetpack's is in its iframe)."""
    if f.textareas:
        yield 2, "has a textarea"
        if _says_comment(f.textarea_words):
            yield 2, "textarea is for a comment"
    elif f.iframe is None:
        yield -6, "no textarea"


def _search_evidence(f: FormSignals) -> Iterator[Evidence]:
    if f.form.get("role") == "search" or "role search" in f.around:
        yield 8, "role=search"
    if "search" in f.types:
        yield 6, "input type=search"
    if _SEARCH_WORDS.search(f.own) or "/search" in f.action_path \
            or re.search(r"[?&]s=", f.action):
        yield 5, "form calls itself search"
    if _SEARCH_WORDS.search(f.around):
        yield 2, "inside a search box"
    if f.names & _SEARCH_NAMES and len(f.visible) <= 3:
        yield 4, "query field"
    if _SEARCH_WORDS.search(f.submit) or f.submit in ("go", "find", "»", "→"):
        yield 2, "submit says search"
    if f.textareas:
        yield -6, "has a textarea"


def _newsletter_evidence(f: FormSignals) -> Iterator[Evidence]:
    if _NEWSLETTER_WORDS.search(f.own) or "list-manage.com" in f.action:
        yield 6, "form calls itself newsletter/subscribe"
    if _NEWSLETTER_WORDS.search(f.around):
        yield 3, "inside a newsletter box"
    if _NEWSLETTER_WORDS.search(f.hidden_words):
        yield 3, "hidden subscription fields"
    if "email" in f.types or any("mail" in n for n in f.names):
        yield 1, "asks for an email"
    if _NEWSLETTER_SUBMIT.search(f.submit):
        yield 3, "submit says subscribe"
    if _NEWSLETTER_WORDS.search(f.heading):
        yield 2, "heading says newsletter"
    if _NEWSLETTER_WORDS.search(f.box) or _NEWSLETTER_PROMISE.search(f.box):
        yield 2, "the box around it offers a newsletter"
    if f.textareas or f.has_password:
        yield -4, "has a textarea or a password"


def _login_evidence(f: FormSignals) -> Iterator[Evidence]:
    if f.has_password:
        yield 10, "password field"
    if _LOGIN_WORDS.search(f.own):
        yield 5, "form calls itself login"
    if f.names & _LOGIN_NAMES:
        yield 2, "login field names"


def _contact_evidence(f: FormSignals) -> Iterator[Evidence]:
    if "_wpcf7" in f.hidden or "wpcf7" in f.own:
        yield 10, "Contact Form 7"
    if _CONTACT_WORDS.search(f.own):
        yield 6, "form calls itself contact"
    if _CONTACT_WORDS.search(f.around):
        yield 3, "inside a contact box"
    if _CONTACT_WORDS.search(f.hidden_words):
        yield 3, "hidden form-builder fields"
    if _CONTACT_FIELDS.search(f.labels) or "tel" in f.types:
        yield 3, "subject/phone fields"
    if _SEND.search(f.submit):
        yield 2, "submit says send"
    if _CONTACT_WORDS.search(f.heading):
        yield 3, "heading says contact"
    elif _CONTACT_WORDS.search(f.box):
        yield 2, "the box around it says contact"


def _poll_evidence(f: FormSignals) -> Iterator[Evidence]:
    if _POLL_WORDS.search(f.own):
        yield 6, "form calls itself poll"
    if _POLL_WORDS.search(f.around):
        yield 3, "inside a poll box"
    if "poll_id" in f.hidden or _POLL_WORDS.search(f.hidden_words):
        yield 6, "hidden poll id"
    choices = sum(t in ("radio", "checkbox") for t in f.types)
    if choices >= 2 and choices * 2 > len(f.types):
        yield 4, "mostly choices"
    if _VOTE.search(f.submit):
        yield 3, "submit says vote"
    if _POLL_WORDS.search(f.box) or _POLL_WORDS.search(f.heading):
        yield 2, "the box around it is a poll"


def _not_a_comment_form(f: FormSignals) -> Iterator[Evidence]:
    """What makes a form that only looks like a comment form something else."""
    if f.has_password:
        yield -8, "password field: a login form"
    if "_wpcf7" in f.hidden:
        yield -8, "a Contact Form 7 form"


# Each kind's scorer, in the order their evidence is listed in a verdict's reasons.
_SCORERS = (("comment", _comment_evidence), ("search", _search_evidence),
            ("newsletter", _newsletter_evidence), ("login", _login_evidence),
            ("contact", _contact_evidence), ("poll", _poll_evidence))
# A comment form this sure stays one whatever else it holds (`_not_a_comment_form`).
_SURE_COMMENT = 16


def _classify(form: El, page: ParsedPage) -> FormVerdict:
    signals = FormSignals.of(form, page)
    scores = dict.fromkeys(FORM_KINDS[:-1], 0.0)
    reasons: list[str] = []

    def add(kind: str, evidence: Iterator[Evidence]) -> None:
        for points, why in evidence:
            scores[kind] += points
            reasons.append(f"{kind}{points:+g} {why}")

    for kind, scorer in _SCORERS:
        add(kind, scorer(signals))
    if scores["comment"] < _SURE_COMMENT:
        add("comment", _not_a_comment_form(signals))
    best = max(scores, key=lambda k: (scores[k], k == "comment"))
    kind = best if scores[best] >= _MIN_SCORE else "other"
    provider = _form_provider(signals) if kind == "comment" else None
    return FormVerdict(form, kind, scores, provider, reasons)


def _form_provider(f: FormSignals) -> str:
    hidden_names = " ".join(f.hidden).lower()
    if f.iframe is not None or re.search(r"highlander|verbum|jetpack", hidden_names):
        return "jetpack"
    if f.wpdiscuz:
        return "wpdiscuz"
    if f.action_path.endswith("wp-comments-post.php") or "comment_post_ID" in f.hidden \
            or (f.form.get("id") == "commentform" and "comment" in f.names):
        return "wordpress"
    return "other"


def classify_forms(page: ParsedPage) -> list[FormVerdict]:
    """Every `<form>` on the page, in page order, with its kind and evidence."""
    return [_classify(form, page) for form in page.index.tagged("form")
            if not is_inside(form, {"template", "noscript"})]


# --------------------------------------------------------------------------------------
# description

def extract_comment_form(page: ParsedPage) -> FormInfo | None:
    """Describe the page's comment form, or None when it has none. Never submits it."""
    base = page.base_url
    best = None
    for verdict in classify_forms(page):
        if verdict.kind == "comment" and (best is None or verdict.score > best.score):
            best = verdict
    if best is not None:
        if best.provider == "jetpack" and _jetpack_iframe(best.form) is not None:
            return _describe_jetpack_iframe(best.form, page)
        return _describe_form(best.form, page, page.url, base, best.provider)
    return _find_embed(page, base)


def _empty(provider: str, title: str | None, notes: list[str] | None = None,
           hidden: dict[str, str] | None = None, action: str | None = None,
           method: str | None = None) -> FormInfo:
    return {"provider": provider, "action": action, "method": method, "title": title,
            "notes": notes or [], "fields": [], "hiddenFields": hidden or {}}


def _describe_form(form: El, page: ParsedPage, page_url: str, base: str,
                   provider: str | None) -> FormInfo:
    action = (form.get("action") or form.get("action-xhr") or "").strip()
    # No action: the form posts to the document's own URL (HTML spec), not to <base>.
    action = urljoin(base, action) if action else page_url
    method = (form.get("method") or "get").strip().lower()
    if method not in ("get", "post", "dialog"):
        method = "get"
    fields: list[dict[str, Any]] = []
    hidden: dict[str, str] = {}
    seen_groups: dict[str, dict[str, Any]] = {}
    for control in _controls(form):
        el = control.el
        if control.type in _NOT_FIELDS:
            continue
        if control.type == "hidden" or _is_honeypot(control, form):
            if control.name and control.name not in hidden:
                value = el.get("value") if el.tag != "textarea" else el.text
                hidden[control.name] = value or ""
            continue
        if control.type == "radio" and control.name in seen_groups:
            group = seen_groups[control.name]
            group["required"] = group["required"] or _is_required(el, page, form)
            continue
        entry = {"name": control.name, "type": control.type,
                 "label": _label_for(el, page, form, group=control.type == "radio"),
                 "required": _is_required(el, page, form)}
        if control.type == "radio" and control.name:
            seen_groups[control.name] = entry
        fields.append(entry)
    return {"provider": provider, "action": action, "method": method,
            "title": _title_for(form, page), "notes": _notes_for(form),
            "fields": fields, "hiddenFields": hidden}


def _describe_jetpack_iframe(form: El, page: ParsedPage) -> FormInfo:
    """Jetpack's comment form lives in an iframe: the page holds only its identifiers."""
    frame = _jetpack_iframe(form)
    src = (frame.get("src") or frame.get("data-src") or "") if frame is not None else ""
    query = parse_qs(urlsplit(src).query)
    hidden: dict[str, str] = {}
    for key in ("blogid", "postid"):
        if query.get(key):
            hidden[key] = query[key][0]
    for control in _controls(form):
        if control.type == "hidden" and control.name and control.name not in hidden:
            hidden[control.name] = control.el.get("value") or ""
    # Jetpack prints comment_parent next to the form, not in it
    for el in page.root.xpath("//input[@name='comment_parent' or @name='comment_post_ID']"):
        if el.get("name") not in hidden and not any(a.tag == "form" for a in el.iterancestors()):
            hidden[el.get("name")] = el.get("value") or ""
    return _empty("jetpack", _title_for(form, page), hidden=hidden)


# --- labels ---------------------------------------------------------------------------

def _label_for(el: El, page: ParsedPage, form: El, group: bool = False) -> str | None:
    """The text a person reads for a control: label, aria, placeholder, title, then name.

    For a radio group (`group`) the label of one option is not the group's label: the
    fieldset legend is.
    """
    if group:
        for parent in el.iterancestors("fieldset"):
            for legend in parent.iter("legend"):
                text = _clean_label(element_text(legend))
                if text:
                    return text
            break
    else:
        ident = el.get("id")
        if ident:
            for label in _labels_for(ident, page, form):
                text = _clean_label(element_text(label, skip=_own_values(label)))
                if text:
                    return text
        for parent in el.iterancestors():
            if parent is form:
                break
            if parent.tag == "label":
                text = _clean_label(element_text(parent, skip=_own_values(parent)))
                if text:
                    return text
                # an icon-only label may say it in a tooltip
                for attr, value in parent.attrib.items():
                    if attr in ("title", "aria-label") or attr.endswith("tooltip"):
                        text = _clean_label(value)
                        if text:
                            return text
                break
    labelled_by = (el.get("aria-labelledby") or "").split()
    if labelled_by:
        index = page.index
        parts = [element_text(node) for node in map(index.by_id, labelled_by)
                 if node is not None]
        text = _clean_label(" ".join(parts))
        if text:
            return text
    for attr in ("aria-label", "placeholder", "title", "data-placeholder"):
        text = _clean_label(el.get(attr))
        if text:
            return text
    name = el.get("name") or el.get("id")
    return _humanize(name) if name else None


def _labels_for(ident: str, page: ParsedPage, form: El) -> list[El]:
    """The `<label for=ident>`s in the form, else those anywhere on the page (a new list)."""
    labels = page_marks(page).labels.get(ident, [])
    inside = [label for label in labels if any(a is form for a in label.iterancestors())]
    return inside or list(labels)


def _own_values(label: El) -> set[El]:
    """Inside a label, the text of selects and textareas is a value, not the label."""
    return set(label.iter("select", "textarea"))


# Template leftovers that are no label at all (wpDiscuz prints `<label>Label</label>`).
_PLACEHOLDER_LABELS = frozenset({"label", "field", "input", "text", "textarea", "placeholder"})


def _clean_label(text: str | None) -> str | None:
    text = _REQUIRED_MARK.sub("", clean_text(text)).strip()
    text = clean_text(text).rstrip(":").strip()
    if text.lower() in _PLACEHOLDER_LABELS:
        return None
    return text or None


def _humanize(name: str) -> str:
    """`wc_email` -> `Email`, `comment_body[0][value]` -> `Comment body`."""
    name = re.sub(r"\[\d*\]|\[value\]", " ", name)
    name = re.sub(r"^(wc|wpd|your|field|input|txt|frm|ctl\d*)[-_]", "", name, flags=re.IGNORECASE)
    name = re.sub(r"[-_\[\]]+", " ", name).strip()
    return name[:1].upper() + name[1:] if name else name


def _is_required(el: El, page: ParsedPage, form: El) -> bool:
    if el.get("required") is not None or (el.get("aria-required") or "").lower() == "true":
        return True
    labels = []
    if el.get("id"):
        labels = _labels_for(el.get("id"), page, form)
    wrapper = el.getparent()
    if wrapper is not None and wrapper is not form and wrapper.tag == "label":
        labels.append(wrapper)
    for label in labels:
        if _marked_required(label):
            return True
    # the field's own wrapper (holding no other control) may carry the marker
    if wrapper is not None and wrapper is not form and \
            sum(1 for _ in wrapper.iter("input", "textarea", "select")) == 1 and \
            _marked_required(wrapper, skip_self=el):
        return True
    placeholder = el.get("placeholder") or ""
    return placeholder.rstrip().endswith("*")


def _marked_required(el: El, skip_self: El = None) -> bool:
    for node in el.iter():
        if node is skip_self or not isinstance(node.tag, str):
            continue
        if any("required" in t or t in ("req", "asterisk", "mandatory") for t in class_tokens(node)) \
                and node is not el:
            return True
    return bool(re.search(r"\*|\(\s*" + _REQUIRED_WORDS + r"\s*\)", element_text(el), re.IGNORECASE))


# --- title and notes ------------------------------------------------------------------

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "legend"})
_HEADING_CLASS = re.compile(r"\b(title|heading|header|headline|hed)\b")
_CANCEL = re.compile(r"cancel")


def _heading_text(el: El) -> str | None:
    skip = {node for node in el.iter() if isinstance(node.tag, str) and node is not el
            and _CANCEL.search(" ".join(class_tokens(node)))}
    text = element_text(el, skip=skip)
    return text if 0 < len(text) <= 120 else None


def _is_heading(el: El) -> bool:
    if not isinstance(el.tag, str):
        return False
    if el.tag in _HEADING_TAGS:
        return True
    if el.get("role") == "heading":
        return True
    return bool(_HEADING_CLASS.search(_words(*class_tokens(el)))) and \
        next(el.iter("input", "textarea", "select", "form"), None) is None


def _heading_inside(el: El) -> str | None:
    """A heading-like element that says all `el` says (a wrapper around a heading)."""
    if _is_heading(el):
        return _heading_text(el)
    # a heading text has at most 120 characters (_heading_text), the wrapper 40 more
    whole = text_within(el, 160)
    if whole is None:
        return None
    for node in el.iter():
        if node is not el and _is_heading(node):
            text = _heading_text(node)
            if text and len(whole) <= len(text) + 40:
                return text
    return None


def _title_for(node: El, page: ParsedPage) -> str | None:
    """The heading people see above a form or a comment embed."""
    # a heading (or legend) inside the form, before its first field
    if node.tag == "form":
        for el in node.iter():
            if el is node or not isinstance(el.tag, str):
                continue
            if el.tag in ("input", "textarea", "select"):
                break
            if _is_heading(el) and el.tag != "label":
                text = _heading_text(el)
                if text:
                    return text
    # the nearest heading before it, climbing a few wrappers, stopping at real content;
    # a short line in between ("3 replies", "Cancel reply") does not hide the heading
    current = node
    for _ in range(4):
        sibling = current.getprevious()
        short_lines = 0
        while sibling is not None:
            if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style", "input",
                                                                      "noscript", "br", "hr"):
                sibling = sibling.getprevious()
                continue
            text = _heading_inside(sibling)
            if text:
                return text
            if next(sibling.iter("form", "img", "iframe"), None) is not None:
                return _labelled_title(node, page)
            words = text_within(sibling, 40)
            if words is None:  # more than 40 characters: real content
                return _labelled_title(node, page)
            if words:
                short_lines += 1
                if short_lines > 2:
                    return _labelled_title(node, page)
            sibling = sibling.getprevious()
        current = current.getparent()
        if current is None or current.tag in ("body", "html", "article", "main"):
            break
        if (current.text or "").strip():
            break
    return _labelled_title(node, page)


def _labelled_title(node: El, page: ParsedPage) -> str | None:
    """`<section aria-labelledby="discussion-heading">`: the box names its heading."""
    for el in [node, *node.iterancestors()][:4]:
        ids = (el.get("aria-labelledby") or "").split()
        if ids:
            index = page.index
            text = clean_text(" ".join(element_text(n) for n in map(index.by_id, ids)
                                       if n is not None))
            if 0 < len(text) <= 120:
                return text
    return None


_NOTE_CLASS = re.compile(r"\b(notes?|notice|policy|logged in as|must log in|info|disclaimer"
                         r"|privacy|rules|guidelines|terms|allowed tags|hint|help)\b")
_BLOCKISH = frozenset({"p", "div", "small", "span", "em", "li", "section", "aside"})


def _notes_for(form: El) -> list[str]:
    """Explanations printed with the form: "Your email address will not be published."."""
    notes: list[str] = []
    taken: set[El] = set()
    for el in form.iter():
        if not isinstance(el.tag, str) or el.tag not in _BLOCKISH:
            continue
        if any(parent in taken for parent in el.iterancestors()):
            continue
        if next(el.iter("input", "textarea", "select", "button", "label"), None) is not None:
            continue
        if _is_heading(el):
            continue
        if el.tag != "p" and not _NOTE_CLASS.search(_words(*class_tokens(el))):
            continue
        text = element_text(el)
        if len(text) < 3:
            continue
        if any(element_text(link) == text for link in el.iter("a")):
            continue  # a lone link ("About text formats") is navigation, not a note
        taken.add(el)
        notes.extend(_split_note(el) or [text])
    return notes


def _split_note(el: El) -> list[str]:
    """A block made only of separate sentences in their own elements gives one note each
    (WordPress: `<span id=email-notes>…</span> <span class=required-field-message>…</span>`)."""
    if (el.text or "").strip() or any((child.tail or "").strip() for child in el):
        return []
    parts = [element_text(child) for child in el if isinstance(child.tag, str)]
    parts = [p for p in parts if p]
    return parts if len(parts) >= 2 else []


# --------------------------------------------------------------------------------------
# script-loaded comment systems

_DISQUS_EMBED = re.compile(r"\.disqus\.com/embed\.js")
_OPENWEB_LAUNCHER = re.compile(r"launcher\.[\w.]*openweb\.com")


def _find_embed(page: ParsedPage, base: str) -> FormInfo | None:
    scripts = [(s.get("src") or "", s.text or "", s) for s in page.index.tagged("script")]
    return (_disqus(page, scripts) or _openweb(page, scripts) or _facebook(page, scripts))


def _script_value(scripts: Scripts, *patterns: str) -> str | None:
    for _, text, _ in scripts:
        for pattern in patterns:
            match = re.search(pattern, text)
            if match:
                value = match.group(1)
                try:
                    return str(json.loads(f'"{value}"'))  # undo JSON escapes (\/)
                except ValueError:
                    return value
    return None


def _disqus(page: ParsedPage, scripts: Scripts) -> FormInfo | None:
    thread = page.index.by_id("disqus_thread")
    embed = next((src for src, _, _ in scripts if _DISQUS_EMBED.search(src)),
                 None)
    if thread is None and not embed:
        return None  # before reading the scripts: most pages have no Disqus at all
    shortname = None
    if embed:
        found = re.search(r"//([\w-]+)\.disqus\.com", embed)
        shortname = found.group(1) if found else None
    shortname = shortname or _script_value(
        scripts,
        r"disqus_shortname\s*=\s*['\"]([^'\"]+)",
        r"['\"]disqusShortname['\"]\s*:\s*['\"]([^'\"]+)",
        r"//([\w-]+)\.disqus\.com/embed\.js")
    if thread is None and shortname is None:
        return None
    hidden = {}
    if shortname:
        hidden["shortname"] = shortname
    identifier = _script_value(
        scripts,
        r"page\.identifier\s*=\s*['\"]([^'\"]+)",
        r"disqus_identifier\s*=\s*['\"]([^'\"]+)",
        r"['\"]disqusIdentifier['\"]\s*:\s*['\"]((?:[^'\"\\]|\\.)+)")
    url = _script_value(
        scripts,
        r"page\.url\s*=\s*['\"]([^'\"]+)",
        r"disqus_url\s*=\s*['\"]([^'\"]+)",
        r"['\"]disqusUrl['\"]\s*:\s*['\"]((?:[^'\"\\]|\\.)+)")
    if identifier:
        hidden["identifier"] = identifier
    if url:
        hidden["url"] = url
    anchor = thread if thread is not None else \
        next(s for src, _, s in scripts if _DISQUS_EMBED.search(src))
    return _empty("disqus", _title_for(anchor, page), hidden=hidden)


_SPOT_ID = re.compile(r"\b(sp_[A-Za-z0-9]+)\b")


def _openweb(page: ParsedPage, scripts: Scripts) -> FormInfo | None:
    launcher = None
    for src, _, script in scripts:
        if "launcher.spot.im" in src or _OPENWEB_LAUNCHER.search(src):
            launcher = script
            break
    modules = page_marks(page).with_attribute("data-spotim-module", "data-openweb-module",
                                              "data-spot-id")
    conversation = [el for el in modules if el.tag != "script" and re.search(
        r"conversation|launcher|comments",
        (el.get("data-spotim-module") or el.get("data-openweb-module") or "conversation"))]
    if launcher is None and not conversation:
        return None
    hidden: dict[str, str] = {}
    for el in ([launcher] if launcher is not None else []) + conversation:
        spot = el.get("data-spot-id") or next(iter(_SPOT_ID.findall(el.get("src") or "")), None)
        if spot and "spotId" not in hidden:
            hidden["spotId"] = spot
        for attr, key in (("data-post-id", "postId"), ("data-post-url", "postUrl")):
            if el.get(attr) and key not in hidden:
                hidden[key] = el.get(attr)
    anchor = conversation[0] if conversation else launcher
    return _empty("openweb", _title_for(anchor, page), hidden=hidden)


def _facebook(page: ParsedPage, scripts: Scripts) -> FormInfo | None:
    classed = [el for el in page_marks(page).marked
               if "fb-comments" in (el.get("class") or "").split()]
    index = page.index
    boxes = in_document_order(classed + index.tagged("fb:comments")
                              + index.tagged("amp-facebook-comments"))
    if not boxes:
        return None
    box = boxes[0]
    hidden: dict[str, str] = {}
    href = box.get("data-href") or box.get("href")
    if href:
        hidden["href"] = href
    app_id = None
    for meta in page.index.tagged("meta"):
        if meta.get("property") == "fb:app_id" and meta.get("content"):
            app_id = meta.get("content").strip()
            break
    if app_id is None:
        for src, _, _ in scripts:
            if "connect.facebook.net" in src:
                match = re.search(r"[?&#]appId=(\d+)", src)
                if match:
                    app_id = match.group(1)
                    break
    if app_id:
        hidden["appId"] = app_id
    return _empty("facebook", _title_for(box, page), hidden=hidden)

