"""Anchored patterns for boilerplate that phrase lists cannot spell out.

Every pattern is matched with ``fullmatch`` against a block's normalised key
(casefolded, single spaces, see ``cleaner.normalize.make_key``): it describes
the whole block, never a piece of one. Each is shown by an example in
tests/test_boilerplate.py.
"""

from __future__ import annotations

import re
from functools import cache

_COMMENT_WORDS = (
    r"comments?|responses?|replies|reactions?|kommentare?|commentaires?|réactions?|comentarios?|"
    r"comentários?|commenti|commento|reacties|reactie|komentarz[yey]?|komentarzy|"
    r"комментари[йяеив]+|отзыв[аов]*|ответ[аов]*"
)
_RESERVED = (
    r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
    r"tutti i diritti riservati|todos os direitos reservados|alle rechten voorbehouden|"
    r"wszelkie prawa zastrzeżone|wszystkie prawa zastrzeżone|все права защищены|all right reserved"
)
_LINK_LABELS = (
    r"related(?: (?:post|posts|article|articles|story|stories|content|reading|link|links))?|"
    r"read more|read also|also read|read next|see also|more|recommended|watch|listen|"
    r"lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|lire aussi|à lire aussi|a lire aussi|"
    r"voir aussi|lire la suite|lee también|leer más|ver también|te puede interesar|leggi anche|leggi tutto|"
    r"vedi anche|leia também|leia mais|veja também|lees ook|lees meer|zie ook|czytaj także|czytaj też|"
    r"czytaj więcej|zobacz też|zobacz także|читайте также|смотрите также|читать далее|baca juga"
)
# "Example Media Ltd. All rights reserved." (a short line that ends so): at most
# this many characters before the reservation, and this many after it.
_RESERVED_LEAD = 120
_RESERVED_TAIL = 3
_RESERVED_LINE = rf"[^\n]{{0,{_RESERVED_LEAD}}}\b(?:{_RESERVED})\W{{0,{_RESERVED_TAIL}}}"
_YEAR = r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?"

# (category, pattern). Categories are those of the phrase lists, and
# "copyright": a site's copyright line, and "comment-count": the heading of a
# comment section with its count; both end the article.
PATTERNS: tuple[tuple[str, str], ...] = (
    # "© 2024 Example Media", "Copyright 2019 The Paradigm. All Rights Reserved.", "(c) 2019 X"
    # (a bare "© Reuters" is a photo credit, part of the article)
    ("copyright", rf"(?:©|ⓒ)\s*(?:copyright\s*)?{_YEAR}[^\n]{{0,160}}"),
    ("copyright", rf"(?:copyright\s*)?\(c\)\s*{_YEAR}[^\n]{{0,160}}"),
    ("copyright", rf"copyright\s*(?:©|\(c\)|ⓒ)?\s*(?:{_YEAR}|©|\(c\)|ⓒ)[^\n]{{0,160}}|copyright"),
    ("copyright", rf"{_YEAR}\s*(?:©|\(c\)|ⓒ|copyright\b)[^\n]{{0,160}}"),
    ("copyright", _RESERVED_LINE),
    # "More from the Los Angeles Times", "More in World", "Latest stories from Example"
    (
        "related",
        (
            r"(?:more|latest|recent|top|popular|trending|related)\s+"
            r"(?:from|in|on|about|stories|news|articles|posts|videos|coverage|reads?)\b[^\n.!?]{0,40}"
        ),
    ),
    # A newsletter prompt in the site's own words: "Sign up for our daily newsletters",
    # "Don't miss a brief. Sign up for our daily email.", "Get the IGN Deals Newsletter".
    # (A lead sentence can only end at its first stop: its repeat is possessive, never backtracked.)
    (
        "newsletter",
        (
            r"(?:[^\n.!?]{0,40}+[.!?]\s+)?"
            r"(?:sign up|subscribe|join|abonnieren|melden sie sich|inscrivez-vous|abonnez-vous|suscríbete|"
            r"iscriviti|assine|inscreva-se|schrijf je in|zapisz się|подпишитесь)\b[^\n]{0,100}"
            r"\b(?:newsletters?|inbox|alerts|(?:our|the) (?:daily |weekly |free )?e-?mails?|рассылк\w*)"
            r"\b[^\n]{0,60}"
        ),
    ),
    # ... and with a weaker verb, only when it offers the site's newsletter or a delivery to your inbox
    # ("Get your inbox under control by unsubscribing from newsletters" is advice, and stays).
    (
        "newsletter",
        (
            r"(?:get|want more|never miss|don't miss|stay (?:up to date|informed|connected))\b[^\n]{0,100}"
            r"\b(?:(?:our|the)\b[^\n]{0,30}\bnewsletters?|(?:delivered|straight|right)\b[^\n]{0,20}\binbox)"
            r"\b[^\n]{0,60}"
        ),
    ),
    # A cookie notice in the site's own words, as a whole block: it says who uses cookies and what
    # for ("We use cookies from my grandmother's recipe" names no purpose and stays).
    (
        "cookie",
        (
            r"(?:we|this (?:web ?)?site|our (?:web ?)?site|by (?:continuing|using)[^\n]{0,60})\s[^\n]{0,40}"
            r"\bcookies?\b[^\n]{0,400}\b(?:experience|website|browsing|consent|analy[sz]e|analytics|"
            r"personali[sz]e|advertising|privacy|policy|settings)\b[^\n]{0,300}"
        ),
    ),
    # An inline link to another story: "Related: The 15 Weirdest Galaxies", "READ MORE: ...".
    ("related-link", rf"(?:{_LINK_LABELS})\s*[:|»›>–-]\s*[^\n]{{3,150}}"),
    # "12 Comments", "One response", "No comments"
    ("comment-count", rf"(?:\d+|one|no|zero)\s+(?:{_COMMENT_WORDS})\W{{0,3}}"),
    # WordPress: "3 thoughts on “Title”", "One response to “Title”"
    (
        "comment-count",
        (r"(?:\d+|one|two|three)\s+(?:thoughts?|responses?|replies|comments?)\s+(?:on|to)\s+[^\n]{1,200}"),
    ),
    # "Comments (12)", "Kommentare (3)"
    ("comment-count", rf"(?:{_COMMENT_WORDS})\s*[(\[]\d+[)\]]"),
)


# No pattern describes a block longer than this.
LONGEST_MATCH = 900


# All patterns as one alternation, one group per pattern: alternatives are tried
# in order, so the group that matches is that of the first pattern matching all
# of a key (one regex call per key instead of one per pattern).
_ANY = re.compile("|".join(f"({pattern})" for _, pattern in PATTERNS))
# "... All rights reserved." is the costliest pattern to try (its lead is
# backtracked character by character) and matches no key longer than this:
# longer keys go to the same alternation with that pattern's group never matching.
_RESERVED_LINE_CHARS = _RESERVED_LEAD + max(map(len, _RESERVED.split("|"))) + _RESERVED_TAIL


@cache
def _any_longer() -> re.Pattern[str]:
    # Compiled on first use: a hook run on a few short lines never needs it (start-up counts).
    return re.compile(
        "|".join("((?!))" if pattern == _RESERVED_LINE else f"({pattern})" for _, pattern in PATTERNS)
    )


def match_pattern(key: str) -> str | None:
    """The category of the first pattern that matches all of ``key``, if any."""
    if len(key) > LONGEST_MATCH:
        return None
    found = (_ANY if len(key) <= _RESERVED_LINE_CHARS else _any_longer()).fullmatch(key)
    if found is None:
        return None
    return PATTERNS[found.lastindex - 1][0] if found.lastindex else None
