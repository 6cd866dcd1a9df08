"""What is not article text: tags, class/id words and short phrases that mark boilerplate.

Pure data and small predicates, compiled once, shared by the body extractor. The class/id
test splits `class` and `id` into words (on spaces, `-`, `_` and camelCase humps) and looks
each word up in sets, so `post-share-buttons`, `shareBar` and `jp-relatedposts` are caught
without regexes over raw HTML.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from gossipcrawl.extract.dom import block_length, name_words

# Elements whose content is never article text.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "svg",
    "form", "button", "select", "option", "input", "textarea", "label", "fieldset", "legend",
    "nav", "aside", "footer", "header", "figcaption", "video", "audio", "canvas", "object",
    "embed", "map", "area", "img", "picture", "source", "track", "head", "title", "meta",
    "link", "base", "dialog", "menu", "applet", "param", "noembed", "noframes",
    # A formula's source (TeX) beside its MathML: the formula is read once, from the MathML.
    "annotation", "annotation-xml",
})

# Page regions that hold no article text however much text they have (used when choosing
# the content container, where a comment thread or a sidebar could outweigh a short story).
REGION_SKIP_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "menu"})

# Class/id words, in three strengths. HARD: never the article, however much text it holds
# (a comment thread can outweigh a short story). SOFT: a page region (ads, share bars,
# related links, sidebars...) unless it turns out to hold the article. WEAK: small boxes
# inside an article (captions, bylines, tag lists) that are dropped there but never steer
# the choice of the container.
HARD_WORDS = frozenset({"comment", "comments", "commentlist", "disqus", "respond"})
SOFT_WORDS = frozenset({
    "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertisements", "advertising",
    "adsense", "adslot", "adunit", "adwrap", "adwrapper", "adcontainer", "adbox", "dfp",
    "gpt", "doubleclick", "sponsor", "sponsored", "sponsors", "promo", "promos", "promotion",
    "promoted", "outbrain", "taboola", "zergnet", "revcontent", "mgid",
    "share", "shares", "sharing", "sharebar", "sharetools", "sharedaddy", "addtoany", "a2a",
    "social", "socials", "sociallinks", "related", "relatedposts", "recirc", "recirculation",
    "recommended", "recommendations", "recommend", "trending", "popular", "mostread",
    "mostpopular", "editorspicks", "morestories", "readmore", "readalso", "alsoread",
    "newsletter", "newsletters", "subscribe", "subscription", "signup", "optin",
    "sidebar", "widget", "widgets", "popup", "modal", "overlay", "lightbox", "cookie", "cookies",
    "consent", "gdpr", "paywall", "nav", "navbar", "navigation", "menu", "footer",
    "masthead", "breadcrumb", "breadcrumbs", "pagination", "pager", "prevnext", "teaser",
    "teasers", "excerpt",
})
WEAK_WORDS = frozenset({
    "caption", "captions", "figcaption", "credit", "credits", "copyright", "bio",
    "authorbio", "biography", "tags", "tag", "taglist", "tagcloud", "topics", "keywords",
    "byline", "dateline", "meta", "metadata", "toolbar", "tools", "hidden", "hide",
    "invisible", "sronly", "screenreader", "offscreen", "alert", "rating", "ratings",
    "reactions", "emoji", "poll", "quiz", "donate", "donation", "membership", "pullquote",
    "pullout", "follow", "meter", "print", "disclaimer", "postmeta", "postmetadata",
    "entrymeta", "postinfo",
})
# Words that name a state or a kind of post when they lead a class name ("tag-celebrity",
# "hidden-xs", "meta-description" on a WordPress <article>): only a final word counts.
TAIL_ONLY = frozenset({"tag", "tags", "meta", "hidden", "hide", "print", "follow", "ad",
                       "ads", "menu", "popular", "related", "share", "social", "modal",
                       "sidebar", "comment", "comments"})
# Words that make a class name describe the page's state ("has-sidebar", "comments-open",
# "no-ads"), not a box: such a class name marks nothing.
STATE_WORDS = frozenset({"has", "no", "with", "without", "show", "enable", "enabled",
                         "disable", "disabled", "open", "closed", "one", "two", "count",
                         "single", "allow", "allowed", "off", "on", "toggle", "active",
                         # the kind of post a body class names ("type-comment", an opinion
                         # piece; "category-ads", a category's name)
                         "type", "format", "category", "tone", "genre"})
TAIL_FOLLOWERS = frozenset({"list", "cloud", "links", "box", "wrap", "wrapper", "container",
                            "block", "bar", "buttons", "button", "icons", "area", "section",
                            "module", "widget", "slot", "unit", "posts", "stories",
                            "articles", "content", "items", "label", "panel", "thread", "form", "respond", "wrp", "holder", "inner", "window",
                            "dialog", "overlay", "body", "header", "footer", "popup"})

SOFT_PAIRS = frozenset({
    ("read", "more"), ("read", "also"), ("also", "read"), ("more", "stories"),
    ("more", "articles"), ("more", "news"), ("you", "may"), ("you", "might"),
    ("most", "read"), ("most", "popular"), ("editors", "picks"), ("inline", "related"),
    ("next", "article"), ("prev", "article"), ("in", "article", "ad"), ("top", "stories"),
})
WEAK_PAIRS = frozenset({
    ("author", "bio"), ("author", "box"), ("author", "info"), ("about", "author"),
    ("author", "card"), ("author", "details"), ("author", "profile"), ("post", "author"),
    ("entry", "author"), ("post", "tags"), ("entry", "tags"), ("post", "meta"),
    ("entry", "meta"), ("article", "meta"), ("visually", "hidden"), ("sr", "only"),
    ("screen", "reader"), ("pull", "quote"), ("wp", "caption"), ("image", "caption"),
    ("photo", "credit"), ("author", "description"),
})

# Page regions that never hold the article's byline, tags or headline (metadata's page
# chrome). Narrower than the body's SOFT words on purpose: an ad, excerpt or paywall
# wrapper around the story still holds the story's own byline and headline.
CHROME_WORDS = frozenset({
    "sidebar", "widget", "widgets", "related", "relatedposts", "comment", "comments",
    "commentlist", "respond", "nav", "navbar", "navigation", "menu", "footer", "share",
    "sharing", "social", "newsletter", "popular", "trending", "recirc", "promo",
    "recommended", "recommendations", "morestories", "mostread", "bio", "authorbio",
    "cloud", "tagcloud", "teaser", "teasers",
})
CHROME_PAIRS = frozenset({("author", "box"), ("author", "bio"), ("about", "author"),
                          ("author", "profile"), ("read", "next"), ("more", "stories"),
                          ("most", "read"), ("you", "may"), ("top", "stories")})

# Class/id words that say "this is the article text". ARTICLE ones name the article body
# itself (`entry-content`, `article-body`): they are candidates for the container. CONTENT
# ones are generic (`main-content`, `rich-text`). Both outweigh noise words on the same
# element (`article-body hide-comments`).
ARTICLE_WORDS = frozenset({
    "articlebody", "articletext", "storybody", "storytext", "postbody", "entrycontent",
    "postcontent", "articlecontent", "storycontent", "newsbody", "newstext",
})
ARTICLE_PAIRS = frozenset({
    ("article", "body"), ("article", "text"), ("article", "content"), ("story", "body"),
    ("story", "text"), ("story", "content"), ("post", "body"), ("post", "content"),
    ("entry", "content"), ("entry", "body"), ("news", "text"), ("news", "content"),
    ("news", "body"), ("td", "post", "content"), ("single", "content"), ("post", "entry"),
    ("article", "entry"), ("blog", "content"), ("blog", "post", "body"), ("main", "text"),
})
CONTENT_WORDS = frozenset({"bodytext", "maincontent", "richtext", "prose"})
CONTENT_PAIRS = frozenset({
    ("body", "text"), ("main", "content"), ("content", "body"), ("rich", "text"),
    ("text", "body"), ("body", "copy"),
})

NEUTRAL, WEAK, SOFT, HARD, CONTENT, ARTICLE = 0, 1, 2, 3, 4, 5


def _has_pair(words: list[str], pairs: frozenset[tuple[str, ...]]) -> bool:
    for i in range(len(words) - 1):
        if (words[i], words[i + 1]) in pairs:
            return True
        if i + 2 < len(words) and (words[i], words[i + 1], words[i + 2]) in pairs:
            return True
    return False


def _token_level(words: list[str], block: int) -> int:
    """The level of one class name's words; `block` of them name its BEM block
    (`dom.block_length`), the rest a modifier."""
    level = NEUTRAL
    last = len(words) - 1
    if last > 0 and any(w in STATE_WORDS for w in words):
        return NEUTRAL
    for i, word in enumerate(words):
        if word in TAIL_ONLY and i < last and words[i + 1] not in TAIL_FOLLOWERS:
            continue
        if word in HARD_WORDS:
            # in a modifier it names a kind of the block, as `article--comment` names an
            # opinion piece: a box that may be the story, never one that cannot be
            if i >= block:
                level = SOFT
                continue
            return HARD
        if word in SOFT_WORDS:
            level = SOFT
        elif word in WEAK_WORDS and level < WEAK:
            level = WEAK
    if level < SOFT and _has_pair(words, SOFT_PAIRS):
        level = SOFT
    if level < WEAK and _has_pair(words, WEAK_PAIRS):
        level = WEAK
    return level


_attr_cache: dict[str, int] = {}


def classify_attr(value: str) -> int:
    """ARTICLE, CONTENT, HARD, SOFT, WEAK or NEUTRAL for a joined `class id` string (memoized)."""
    kind = _attr_cache.get(value)
    if kind is None:
        tokens = [name_words(name) for name in value.split()]
        if any(w in ARTICLE_WORDS for t in tokens for w in t) or \
                any(_has_pair(t, ARTICLE_PAIRS) for t in tokens):
            kind = ARTICLE
        elif any(w in CONTENT_WORDS for t in tokens for w in t) or \
                any(_has_pair(t, CONTENT_PAIRS) for t in tokens):
            kind = CONTENT
        else:
            kind = max((_token_level(t, block_length(name))
                        for t, name in zip(tokens, value.split())), default=NEUTRAL)
        if len(_attr_cache) > 50_000:
            _attr_cache.clear()
        _attr_cache[value] = kind
    return kind


# A heading's id is the anchor made of its own words ("share-your-thoughts",
# `nav_nur_die_folie__1` for a table of contents): it names nothing.
_ANCHORED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def attr_kind(el: HtmlElement) -> int:
    cls = el.get("class")
    ident = el.get("id") if el.tag not in _ANCHORED else None
    if not cls and not ident:
        return NEUTRAL
    return classify_attr(f"{cls or ''} {ident or ''}")


# Class/id words of layers drawn over the page. CONSENT ones name nothing else; the others
# (modal, popup, lightbox, overlay) also name wrappers that hold the page.
CONSENT_WORDS = frozenset({"consent", "cookie", "cookies", "gdpr", "cmp"})
OVERLAY_WORDS = CONSENT_WORDS | {"modal", "popup", "lightbox", "overlay", "interstitial"}
# A class name that says a state ("modal-open", "enable-lightbox") or names a part of
# something else ("article-overlay-handle") is no layer: the word must open or close a
# short name without state words.
_OVERLAY_STATE = STATE_WORDS | {"opened", "visible", "shown", "enabled"}
_MAX_OVERLAY_NAME_WORDS = 3
_OVERLAY_ROLES = frozenset({"dialog", "alertdialog"})
NO_LAYER, MAYBE_LAYER, LAYER = 0, 1, 2


def overlay_kind(el: HtmlElement) -> int:
    """Whether `el` is a layer over the page rather than its content. LAYER: a dialog
    (`<dialog>`, role=dialog, aria-modal), a consent or cookie box. MAYBE_LAYER: hidden
    (`is_hidden`), an inline `position: fixed` box, or named modal, popup, lightbox or
    overlay: such a box is a layer unless it holds the page (scripts un-hide content,
    themes wrap whole pages in a `body_overlay`, app shells scroll in a fixed box)."""
    if el.tag == "dialog" or el.get("role") in _OVERLAY_ROLES or el.get("aria-modal") == "true":
        return LAYER
    style = el.get("style")
    fixed = bool(style) and "fixed" in style and \
        "position:fixed" in style.replace(" ", "").lower()
    named = overlay_name_kind(el)
    if named:
        return named
    return MAYBE_LAYER if fixed or is_hidden(el) else NO_LAYER


def overlay_name_kind(el: HtmlElement) -> int:
    """What the class or id names `el`: LAYER (a consent or cookie box), MAYBE_LAYER (a
    modal, popup, lightbox or overlay) or NO_LAYER."""
    kind = NO_LAYER
    for name in f"{el.get('class') or ''} {el.get('id') or ''}".split():
        words = name_words(name)
        if words and len(words) <= _MAX_OVERLAY_NAME_WORDS and \
                (words[0] in OVERLAY_WORDS or words[-1] in OVERLAY_WORDS) and \
                _OVERLAY_STATE.isdisjoint(words):
            if not CONSENT_WORDS.isdisjoint(words):
                return LAYER
            kind = MAYBE_LAYER
    return kind


def is_hidden(el: HtmlElement) -> bool:
    """An element the page does not show: `hidden`, `aria-hidden`, inline display:none."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style and ("none" in style or "hidden" in style):
        compact = style.replace(" ", "").lower()
        return "display:none" in compact or "visibility:hidden" in compact
    return False


# Short blocks that introduce links or calls to action rather than carry the story.
BOILERPLATE_LINE = re.compile(
    r"""^\W*(?:
        (?:also|read|see|click|tap|watch|listen|more)\s*(?:also|more|here|now|this)?\s*[:>|\-–—]
      | (?:also\s+read|read\s+also|read\s+more|see\s+also|related(?:\s+\w+){0,2}|more\s+on\s+this|
           recommended(?:\s+\w+)?|don'?t\s+miss|must\s+read|trending(?:\s+now)?|up\s+next)\b\s*[:>|\-–—]?
      | (?:lesen\s+sie\s+(?:auch|mehr)|lies\s+auch|mehr\s+zum\s+thema|auch\s+interessant|
           (?:à\s+)?lire\s+aussi|voir\s+aussi|sur\s+le\s+même\s+sujet|
           lee\s+también|leer\s+más|te\s+puede\s+interesar|noticias\s+relacionadas|
           leggi\s+anche|potrebbe\s+interessarti|lees\s+ook|zie\s+ook|
           leia\s+também|veja\s+também|czytaj\s+(?:też|także|więcej)|läs\s+(?:också|mer)|
           læs\s+(?:også|mere)|les\s+(?:også|mer))\b\s*[:>|\-–—]?
      | (?:anzeige|werbung|publicité|publicidad|pubblicità|advertentie|reklama|reklame)\W*$
      | advertisement\W*$ | sponsored(?:\s+content)?\W*$ | story\s+continues\s+below
      | (?:share|tweet|pin|email)\s+(?:this|on)\b
      | (?:sign\s+up|subscribe)\b.{0,80}\b(?:newsletter|inbox|updates|alerts|email)
      | (?:follow|like)\s+us\s+on\b
      | follow\b.{0,60}\bon\s+(?:twitter|facebook|instagram|youtube|tiktok|linkedin|x)\b
      | (?:write|reach|contact|email)\s+(?:to\s+)?(?:the\s+)?(?:\w+\s+){0,4}(?:at|on|via)\s+
        (?:\S+@\S+|https?://|twitter|@)
      | listen\s+(?:to|back|live)\b.{0,80}\b(?:live|podcast|here|weekdays)\b
      | (?:photo|image|picture|video|credit|source|photograph)\s*(?:credit)?\s*:
      | (?:click|tap)\s+here\b
      | (?:this\s+(?:article|story|post)\s+(?:originally\s+)?(?:appeared|was\s+published))
      | (?:tags?|schlagw(?:orte|örter)|stichw(?:orte|örter)|étiquettes|mots[-\s]clés|etiquetas
           |palabras\s+clave|parole\s+chiave|trefwoorden|tagi|taggar|etiketler)\s*:
      # a post's comment status and feeds ("Comments feed | Comments closed | Trackback")
      | .{0,60}\b(?:trackback|comments?\s+(?:are\s+)?closed|kommentare\s+(?:sind\s+)?geschlossen
           |commentaires\s+fermés|comentarios\s+cerrados|commenti\s+chiusi)\b
      # the label of a box of links whose links are gone ("Further reading", "Weiterführender Link")
      | (?:weiterführende?r?\s+links?|further\s+reading|useful\s+links|external\s+links|links?
           |liens?(?:\s+utiles)?|enlaces(?:\s+de\s+interés)?|link\s+utili)\s*:?\s*$
      # reading time ("4 Min Read", "Lesezeit: 3 Minuten", "weiterlesen 5 Minuten")
      | (?:(?:reading\s+time|read\s+time|lesezeit|lesedauer|temps\s+de\s+lecture|tiempo\s+de
           \s+lectura|tempo\s+di\s+lettura|leestijd|czas\s+czytania|lästid|læsetid|lesetid
           |weiterlesen)\W*)?(?:ca\.?\s*|~\s*)?\d+\s*(?:-\s*\d+\s*)?(?:min(?:ute)?s?|minuten
           |minutos|minuti|minuty|minuter|minutter)\.?(?:\s+(?:read|reading|lesen|lesezeit
           |de\s+lecture|de\s+lectura|di\s+lettura|leestijd))?\W*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Headings of the boxes that follow an article: nothing after one of these is the story.
END_HEADING = re.compile(
    r"""^\W*(?:related(?:\s+\w+){0,2}|more\s+(?:\w+\s+){0,3}(?:from|on|stories|news|articles|reads|videos|like\s+this)\b.*|
        you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested).*|recommended.*|
        (?:\d+\s+)?comments?|leave\s+a\s+(?:reply|comment).*|post\s+a\s+comment|
        (?:join\s+the\s+)?discussion|about\s+the\s+author|share\s+(?:this|the)\b.*|
        tags?|topics|filed\s+under.*|popular.*|trending.*|most\s+(?:read|popular|viewed).*|
        (?:sign\s+up|subscribe).*|newsletter.*|read\s+(?:more|next|also).*|also\s+read.*|
        (?:editors?['’]?\s+)?(?:recommendations|picks)|
        schlagw(?:orte|örter)|stichw(?:orte|örter)|étiquettes|mots[-\s]clés|etiquetas|trefwoorden|
        see\s+also|what\s+to\s+read\s+next|latest\s+(?:news|stories|articles)|
        mehr\s+zum\s+thema.*|das\s+könnte\s+(?:sie|dich)\s+auch\s+interessieren.*|
        weitere\s+(?:artikel|nachrichten|themen).*|kommentare?|
        (?:à\s+)?lire\s+aussi|sur\s+le\s+même\s+sujet|commentaires?|
        (?:noticias|artículos)\s+relacionad[oa]s|te\s+puede\s+interesar|comentarios?|
        articoli\s+correlati|leggi\s+anche|commenti|gerelateerde\s+artikelen|reacties|
        komentarze|kommentarer|kommentit|yorumlar|комментарии)\W*$""",
    re.IGNORECASE | re.VERBOSE,
)

# A short line that only dates the story ("Published Monday, November 18, 2019 8:22AM EST",
# "Aktualisiert: 11.04.2020, 10:27", "Publié le 3 mars 2021 à 10h12"), in the languages
# dateparser reads; dots between digits (11.04.2020) do not end the line's date.
DATE_LABEL_WORDS = (
    r"published|updated|posted|last\s+modified|first\s+published|last\s+updated|"
    r"aktualisiert|publiziert|veröffentlicht|erstellt|zuletzt\s+aktualisiert|stand(?=\s*:)|"
    r"(?:letzte\s+)?aktualisierung|dernière\s+mise\s+à\s+jour|última\s+actualización|"
    r"publié|mis\s+à\s+jour|modifié|publicado|publicada|actualizado|actualizada|"
    r"pubblicato|pubblicata|aggiornato|aggiornata|gepubliceerd|bijgewerkt|geplaatst|"
    r"opublikowano|zaktualizowano|atualizado|atualizada|publicerad|uppdaterad|publiceret|"
    r"opdateret|publisert|oppdatert|julkaistu|päivitetty|yayınlandı|güncellendi|"
    r"опубликовано|обновлено")
DATELINE = re.compile(
    r"\b(?:" + DATE_LABEL_WORDS + r")\b(?:[^.]|(?<=\d)\.){0,40}?"
    r"(?:\d{1,2}[:h]\d{2}|\b(?:19|20)\d{2}\b|\bago\b)"
    # or the whole short line is a label and a date without its year: "Posted March 3"
    r"|^\W*(?:" + DATE_LABEL_WORDS + r")\b[^.]{0,25}\d\W*$",
    re.IGNORECASE,
)

# A line that is only a time stamp written in digits, in any language's order:
# "2023-11-17 20:52:15", "17.11.2023, 10:27 Uhr", "11/17/2023 8:52 PM EST", "2023年11月17日".
TIMESTAMP_LINE = re.compile(
    r"^\W*(?:\d{4}[-/.年]\s?\d{1,2}[-/.月]\s?\d{1,2}日?|\d{1,2}[-/.]\s?\d{1,2}[-/.]\s?\d{2,4})"
    r"(?:[\sT,|·•-]+\d{1,2}[:h時]\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?|uhr|h|分)?)?"
    r"(?:\s*(?:z|utc|gmt|[a-z]{2,4}|[+-]\d{2}:?\d{2}))?"
    # a CJK label after the stamp: "2023年11月17日 10時12分 配信" (delivered), 更新, 发布
    r"(?:\s*(?:配信|更新|公開|掲載|发布|發布|发表|發表|작성|입력|수정))?\W*$",
    re.IGNORECASE)

# Labels of page controls that end up as text: a block that is only one of these is noise.
UI_LABELS = frozenset({
    "caption", "close", "open", "text size", "advertisement", "advertising", "ad", "share",
    "tweet", "email", "print", "comments", "comment", "loading", "skip ad", "menu", "search",
    "share this", "share this article", "share on facebook", "share on twitter", "pin it",
    "click to enlarge", "enlarge", "expand", "collapse", "toggle caption", "hide caption",
    "show caption", "previous", "next", "back to top", "continue reading", "read more",
    "sponsored", "sponsored content", "play", "pause", "mute", "unmute", "video", "photo",
    "image", "gallery", "view gallery", "see all", "more", "subscribe", "sign up", "log in",
    "login", "register", "top", "copy link", "link copied", "copied", "save", "saved",
    "bookmark", "listen", "listen to this article", "audio", "reply", "like", "follow",
    # the same controls in the other languages dateparser reads
    "teilen", "drucken", "anzeige", "werbung", "schließen", "weiterlesen", "mehr",
    "partager", "imprimer", "publicité", "fermer", "lire la suite", "compartir",
    "imprimir", "publicidad", "cerrar", "leer más", "condividi", "stampa", "pubblicità",
    "chiudi", "delen", "advertentie", "sluiten", "udostępnij", "reklama", "dela",
    "annons", "del", "annonce", "jaa", "mainos", "paylaş", "reklam", "поделиться", "реклама",
    # a byline's word left alone once its name went elsewhere ("By" over a linked name)
    "by", "von", "par", "por", "door",
})

# A teaser's last words: the block is a summary of another story, linked from here.
READ_MORE_END = re.compile(
    r"(?:weiterlesen|read\s+more|continue\s+reading|lire\s+la\s+suite|leer\s+más|seguir\s+"
    r"leyendo|leggi\s+(?:tutto|di\s+più)|lees\s+verder|czytaj\s+dalej|läs\s+mer|læs\s+mere"
    r"|les\s+mer|lue\s+lisää|devamını\s+oku|читать\s+далее)\W*$", re.IGNORECASE)
