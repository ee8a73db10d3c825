"""Words and tags by which a page's markup names its parts; the only list of them.

Class and id values are split into tokens at spaces, ``-``, ``_``, ``:``, ``.``
and camelCase humps, lower-cased, and compared as whole tokens: ``comment-list``
is a comment section, ``commentary`` and ``sharepoint-article`` are not.
"""

from __future__ import annotations

import re

# Never text: removed before anything is measured.
JUNK_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "video", "audio", "map", "head", "button", "select", "input", "textarea",
        "option", "datalist", "dialog", "link", "meta",
    }
)  # fmt: skip

# Page furniture by its tag alone (still subject to the content guard).
# Figures are pictures with their captions and credits, not the article's text.
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "menu", "figure", "figcaption"})

FURNITURE_ROLES = frozenset(
    {
        "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
        "dialog", "alertdialog", "toolbar", "tablist",
    }
)  # fmt: skip

# Class/id tokens that name furniture: navigation, header/footer, sidebars,
# comments, sharing, newsletters, cookie banners, related links, ads.
FURNITURE_WORDS = frozenset(
    {
        # navigation
        "nav", "navbar", "navigation", "menu", "menubar", "breadcrumb", "breadcrumbs", "skip",
        "pagination", "pager",
        # footer furniture
        "footer", "colophon",
        # comments
        "comment", "comments", "disqus", "respond",
        # sharing
        "share", "sharing", "sharebar", "social", "socials", "addthis", "sharethis",
        # newsletters and sign-ups
        "newsletter", "subscribe", "subscription", "signup", "paywall",
        # cookies and consent
        "cookie", "cookies", "consent", "gdpr",
        # related and recommended
        "related", "recommended", "recommendations", "recommendation", "recirc", "outbrain", "taboola",
        "trending", "popular",
        # ads and promotion
        "ad", "ads", "advert", "adverts", "advertisement", "advertising", "adsense", "dfp", "gpt",
        "sponsor", "sponsored", "promo", "promotion",
        # pop-ups attached to links (their text sits inside the sentence)
        "tooltip", "popover", "hovercard", "rollover",
        # article furniture readers do not count as the text
        "byline", "dateline", "author", "tags", "tagline", "sr", "visually", "offscreen",
        "caption", "credit", "credits", "copyright",
    }
)  # fmt: skip

# Two tokens in a row that name a list of other stories ("more-news", "moreStories").
FURNITURE_PAIRS = frozenset(
    {
        ("more", "news"), ("more", "stories"), ("more", "posts"), ("more", "articles"), ("more", "from"),
        ("more", "on"), ("read", "next"), ("up", "next"), ("you", "may"),
        ("also", "like"), ("see", "also"),
    }
)  # fmt: skip

# Layout words that sites also put on the wrappers of the whole page
# ("content-with-sidebar", "modal-enabled", Blogger's "widget Blog"): furniture
# only when the element does not hold much of the page's prose.
LAYOUT_WORDS = frozenset(
    {
        "header", "masthead", "sidebar", "sidenav", "aside", "widget", "widgets", "rail", "banner",
        "popup", "modal", "meta",
    }
)  # fmt: skip

# Embedded posts the article quotes ("social-media-embed", "twitter-tweet"): the
# story's own material, whatever network they come from.
EMBED_WORDS = frozenset({"embed", "embedded", "tweet"})
# ... unless they are ads ("ad-embed").
AD_WORDS = frozenset(
    {"ad", "ads", "advert", "adverts", "advertisement", "advertising", "adsense", "dfp", "gpt",
     "sponsor", "sponsored", "promo", "promotion", "outbrain", "taboola"}
)  # fmt: skip

# Tokens that mark the article itself (a small bonus when scoring containers).
CONTENT_WORDS = frozenset(
    {"article", "content", "entry", "post", "story", "body", "text", "main", "blog", "prose"}
)

# Elements that open a new paragraph in the text.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption",
        "ul", "menu", "legend", "option",
    }
)  # fmt: skip

# What a class/id token says an element is, for the learned block model (cleaner.htmlmodel).
# These only describe: the model weighs them from labelled pages, and words outside
# FURNITURE_WORDS ("date", "photo", "thumb") never remove anything by themselves.
WORD_GROUPS: dict[str, frozenset[str]] = {
    "nav": frozenset({"nav", "navbar", "navigation", "menu", "menubar", "breadcrumb", "breadcrumbs",
                      "skip", "pagination", "pager", "tabs", "toolbar"}),
    "comment": frozenset({"comment", "comments", "disqus", "respond", "reply", "replies", "discussion"}),
    "share": frozenset({"share", "sharing", "sharebar", "social", "socials", "addthis", "sharethis",
                        "newsletter", "subscribe", "subscription", "signup", "paywall", "cookie",
                        "cookies", "consent", "gdpr", "login", "register", "rss", "print", "email"}),
    "related": frozenset({"related", "recommended", "recommendations", "recommendation", "recirc",
                          "outbrain", "taboola", "trending", "popular", "more", "latest", "teaser",
                          "list", "links", "archive", "archives", "categories", "tagcloud"}),
    "ad": AD_WORDS,
    "meta": frozenset({"byline", "dateline", "author", "tags", "tagline", "date", "time", "posted",
                       "meta", "info", "timestamp", "published", "source"}),
    "caption": frozenset({"caption", "credit", "credits", "photo", "image", "img", "thumb",
                          "thumbnail", "gallery", "media", "figure", "picture"}),
    "footer": frozenset({"footer", "colophon", "copyright", "legal", "bottom"}),
    "header": frozenset({"header", "masthead", "banner", "top", "logo", "branding", "title", "headline"}),
    "sidebar": frozenset({"sidebar", "sidenav", "aside", "widget", "widgets", "rail", "side", "right",
                          "left", "col", "column", "box", "module"}),
    "hidden": frozenset({"sr", "visually", "offscreen", "hidden", "hide", "tooltip", "popover",
                         "hovercard", "rollover", "popup", "modal"}),
    "content": CONTENT_WORDS,
}

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

_SPLIT = re.compile(r"[\s\-_:./]+")
_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.IGNORECASE)


# Classes that carry a taxonomy value, not a role: WordPress writes
# "category-native-advertising" and "tag-cookies" on the article itself.
_TAXONOMY = re.compile(r"^(?:category|tag|topic|section|channel|keyword|term)[-_]", re.IGNORECASE)


def attribute_words(value: str) -> list[str]:
    """Tokens of a class or id value: ``"postBody share-bar"`` -> ``["post", "body", "share", "bar"]``."""
    words: list[str] = []
    for name in value.split():
        if _TAXONOMY.match(name):
            continue
        for piece in _SPLIT.split(name):
            if piece:
                words.extend(w.lower() for w in _HUMP.split(piece) if w)
    return words


def is_hidden_style(style: str) -> bool:
    return bool(_HIDDEN_STYLE.search(style))
