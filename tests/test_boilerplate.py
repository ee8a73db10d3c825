"""The boilerplate detector: phrase library, anchored patterns, zones, config switches, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, clean_text
from cleaner.blocks import split_blocks
from cleaner.detectors.boilerplate import build_books, detect_boilerplate, packaged_phrases, phrase_key
from cleaner.lang import shipped_languages

PARAGRAPHS = [
    "The council voted on Tuesday to extend the opening hours of the town's five libraries, after a "
    "petition signed by more than two thousand residents asked for the buildings to stay open later.",
    "Officials said the change would cost about forty thousand a year and would be paid for by moving "
    "staff from the mobile library, which few people use on weekday mornings, to the central branch.",
    "Librarians welcomed the decision but said they would need volunteers at busy times, and asked "
    "anyone who can spare a few hours a month to get in touch with the branch nearest to them.",
    "The first Sunday openings are planned for next month, and the council will review the figures "
    "after six months to decide whether the longer hours should become permanent across the town.",
]

# Long enough (200+ characters) to be GOOD on its own.
LONG_PARAGRAPH = PARAGRAPHS[3] + " The mayor said she hoped other towns would follow."


def removed(text: str, config: Config | None = None) -> dict[str, str]:
    """Block text -> rule, for every block the detector removes."""
    blocks = split_blocks(text)
    return {d.block.text: d.rule for d in detect_boilerplate(blocks, config or Config(duplicates=False))}


# --- the phrase library --------------------------------------------------------------------------------

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru")
CATEGORIES = (
    "comment-form",
    "comment-debris",
    "comments",
    "share",
    "cookie",
    "newsletter",
    "related",
    "navigation",
    "legal",
    "ads",
    "author",
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_category(language: str) -> None:
    categories = {category for category, _ in packaged_phrases(language)}
    assert set(CATEGORIES) <= categories


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Leave a Reply", "boilerplate:comment-form"),
        ("Leave a reply:", "boilerplate:comment-form"),
        ("Your email address will not be published.", "boilerplate:comment-form"),
        ("Required fields are marked *", "boilerplate:comment-form"),
        ("Be the first to comment", "boilerplate:comment-form"),
        ("Schreibe einen Kommentar", "boilerplate:comment-form"),
        ("Deine E-Mail-Adresse wird nicht veröffentlicht.", "boilerplate:comment-form"),
        ("Laisser un commentaire Annuler la réponse", "boilerplate:comment-form"),
        ("Tu dirección de correo electrónico no será publicada.", "boilerplate:comment-form"),
        ("Il tuo indirizzo email non sarà pubblicato.", "boilerplate:comment-form"),
        ("O seu endereço de e-mail não será publicado.", "boilerplate:comment-form"),
        ("Je e-mailadres wordt niet gepubliceerd.", "boilerplate:comment-form"),
        ("Twój adres e-mail nie zostanie opublikowany.", "boilerplate:comment-form"),
        ("Ваш адрес email не будет опубликован.", "boilerplate:comment-form"),
        ("Din e-postadress kommer inte publiceras.", "boilerplate:comment-form"),
        ("E-posta hesabınız yayımlanmayacak.", "boilerplate:comment-form"),
        ("Залишити відповідь", "boilerplate:comment-form"),
        ("Tinggalkan Balasan Batalkan balasan", "boilerplate:comment-form"),
        ("Share this:", "boilerplate:share"),
        ("Partager cet article", "boilerplate:share"),
        (
            "We use cookies to ensure that we give you the best experience on our website.",
            "boilerplate:cookie",
        ),
        ("Subscribe to our newsletter", "boilerplate:newsletter"),
        ("Related Posts", "boilerplate:related"),
        ("Das könnte Sie auch interessieren", "boilerplate:related"),
        ("Skip to content", "boilerplate:navigation"),
        ("Advertisement", "boilerplate:ads"),
        ("About the author", "boilerplate:author"),
        ("Privacy Policy", "boilerplate:legal"),
    ],
)
def test_phrase_lines_are_removed(line: str, rule: str) -> None:
    text = "\n".join([PARAGRAPHS[0], line, PARAGRAPHS[1]]) + "\n"
    assert removed(text) == {line: rule}


@pytest.mark.parametrize(
    "line",
    [
        # Real prose that mentions the words phrase lists are made of.
        "We use cookies from my grandmother's recipe, and we bake them every Sunday for the whole family.",
        "Readers who leave a reply below the article often ask whether the bread trick works for biscuits.",
        "You can subscribe to the newsletter at the bottom of the page; we send one email a week.",
        "Comments from residents at the meeting were mostly about parking, not about the library itself.",
        "Copyright law has not kept up with the way photographs are shared on social media, experts say.",
        "Sign up for the streaming bundle using the same email as your existing account to save money.",
        "Get your inbox under control by unsubscribing from newsletters you never read.",
    ],
)
def test_prose_that_mentions_a_phrase_stays(line: str) -> None:
    text = "\n".join([PARAGRAPHS[0], line, PARAGRAPHS[1]]) + "\n"
    assert removed(text) == {}


def test_fuzzy_match_catches_small_variants() -> None:
    markers, _ = build_books(Config())
    hit = markers.match(phrase_key("Your e-mail address will not be published!"), 90.0)
    assert hit is not None and hit[0] == "comment-form"
    assert markers.match(phrase_key("Your address will be published in the next issue"), 90.0) is None


def test_short_phrases_need_an_exact_match() -> None:
    markers, _ = build_books(Config())
    assert markers.match("share", 90.0) == ("share", 100.0)
    assert markers.match("shard", 90.0) is None


# --- anchored patterns ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("© 2024 Example Media", "boilerplate:copyright"),
        ("Copyright 2019 The Paradigm. All Rights Reserved.", "boilerplate:copyright"),
        ("Copyright © Example Media Group Ltd", "boilerplate:copyright"),
        ("(c) 2018-2024 Example Ltd", "boilerplate:copyright"),
        ("Example Media Ltd. All rights reserved.", "boilerplate:copyright"),
        ("© 2024 Lokalanzeiger. Alle Rechte vorbehalten.", "boilerplate:copyright"),
        ("12 Comments", "boilerplate:comment-count"),
        ("[ 167 comments ]", "boilerplate:comment-count"),
        ("3 thoughts on “Why Grandma's Cookies Never Went Stale”", "boilerplate:comment-count"),
        ("Kommentare (3)", "boilerplate:comment-count"),
        ("Sign up for our daily newsletters", "boilerplate:newsletter"),
        (
            "Get the latest updates right in your inbox. Subscribe to NJ.com's newsletters.",
            "boilerplate:newsletter",
        ),
        ("Don't miss a brief. Sign up for our daily email.", "boilerplate:newsletter"),
        ("Get all latest content delivered straight to your inbox.", "boilerplate:newsletter"),
        (
            "This website uses cookies to improve your experience. We'll assume you're ok with this.",
            "boilerplate:cookie",
        ),
        (
            "We use cookies and other tracking technologies to improve your browsing experience on our site, "
            "show personalized content and targeted ads, and analyze site traffic.",
            "boilerplate:cookie",
        ),
        ("More From the Los Angeles Times", "boilerplate:related"),
        ("More in World", "boilerplate:related"),
        ("Related: The 15 Weirdest Galaxies in Our Universe", "boilerplate:related-link"),
        ("READ MORE: Council approves new bus links", "boilerplate:related-link"),
        ("Lesen Sie auch: Neue Buslinie verbindet Nordstadt und Klinikum", "boilerplate:related-link"),
    ],
)
def test_pattern_lines_are_removed(line: str, rule: str) -> None:
    text = "\n".join([PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2], line]) + "\n"
    assert removed(text) == {line: rule}


def test_a_photo_credit_is_not_a_copyright_line() -> None:
    text = "\n".join([PARAGRAPHS[0], "© Reuters", PARAGRAPHS[1]]) + "\n"
    assert removed(text) == {}


# --- zones ----------------------------------------------------------------------------------------------


def test_footer_zone_after_comment_count_takes_the_comments() -> None:
    comment = (
        "I tried this at home and it worked wonderfully, "
        "thank you so much for sharing it with all of us here!"
    )
    text = "\n".join(
        [*PARAGRAPHS[:3], "2 Comments", "Margaret", comment, "Reply", "Tom", comment + " Again."]
    )
    rules = removed(text + "\n")
    assert rules["2 Comments"] == "boilerplate:comment-count"
    assert rules[comment] == "boilerplate:footer-zone"
    assert not set(PARAGRAPHS[:3]) & set(rules)


def test_comment_count_in_a_byline_opens_no_zone() -> None:
    text = "\n".join(["By Hannah Price", "4 Comments", *PARAGRAPHS]) + "\n"
    rules = removed(text)
    assert not set(PARAGRAPHS) & set(rules)


def test_a_bare_comments_button_before_most_of_the_article_opens_no_zone() -> None:
    text = "\n".join(
        [PARAGRAPHS[0], PARAGRAPHS[1], "Comments", PARAGRAPHS[2], PARAGRAPHS[3], PARAGRAPHS[0][::-1]]
    )
    rules = removed(text + "\n")
    assert rules["Comments"] == "boilerplate:comments"
    assert PARAGRAPHS[2] not in rules and PARAGRAPHS[3] not in rules


def test_comment_form_debris_goes_with_the_form() -> None:
    lines = [*PARAGRAPHS[:2], "Leave a Reply", "Name *", "Email *", "Website", "Post Comment"]
    rules = removed("\n".join(lines) + "\n")
    assert rules["Name *"] == "boilerplate:footer-zone"
    assert rules["Website"] == "boilerplate:footer-zone"


def test_related_zone_takes_headlines_and_summaries_up_to_the_next_paragraph() -> None:
    summary = "The new ferry terminal will open in the spring, two years later than planned."
    lines = [
        *PARAGRAPHS[:3],
        "Related Posts",
        "Company Town",
        "Ferry terminal delayed again",
        summary,
        "Company Town",
        "Council approves new bus links",
        summary.replace("ferry terminal", "bus station"),
        "Company Town",
        LONG_PARAGRAPH,
        LONG_PARAGRAPH.replace("Sunday", "Saturday"),
    ]
    rules = removed("\n".join(lines) + "\n")
    assert rules["Related Posts"] == "boilerplate:related"
    assert rules[summary] == "boilerplate:related-zone"
    assert LONG_PARAGRAPH not in rules


def test_an_inline_related_box_does_not_take_the_paragraphs_after_it() -> None:
    short_paragraphs = [
        "Many of the protesters wear masks to shield their identities for their own protection.",
        "Protesters believe the bill is an example of the city's eroding autonomy under the government.",
        "They worry that the freedoms given to the city are being taken back one by one, they said.",
    ]
    lines = [
        *PARAGRAPHS[:3],
        "Related articles",
        "Ferry terminal delayed again",
        *short_paragraphs,
        PARAGRAPHS[3],
    ]
    rules = removed("\n".join(lines) + "\n")
    assert not set(short_paragraphs) & set(rules)


def test_an_inline_story_link_does_not_take_the_paragraphs_around_it() -> None:
    last = [
        "Small investors have welcomed the deal, subscribing for so many shares that they will get few.",
        "The listing ceremony is due to be held at the stock exchange in the city next Tuesday.",
    ]
    lines = [LONG_PARAGRAPH, "Read more: Council approves new bus links", *last, "Share", "Tags: Alibaba"]
    rules = removed("\n".join(lines) + "\n")
    assert rules["Read more: Council approves new bus links"] == "boilerplate:related-link"
    assert not set(last) & set(rules)


def test_author_box_after_the_article_goes_up_to_its_first_paragraph() -> None:
    bio = "Hannah Price writes about food and baking and has run the blog since 2015, when she left her job."
    lines = [
        LONG_PARAGRAPH,
        LONG_PARAGRAPH + " Yes.",
        "About the author",
        "Hannah Price",
        bio,
        "Privacy Policy",
    ]
    rules = removed("\n".join(lines) + "\n")
    assert rules["About the author"] == "boilerplate:author"
    assert rules["Hannah Price"] == rules[bio] == "boilerplate:author-zone"


def test_an_ad_label_inside_the_article_does_not_take_its_neighbours() -> None:
    table = ["Ticker Last Change", "HD 225.86 -12.99"]
    lines = [LONG_PARAGRAPH, "Advertisement", *table, LONG_PARAGRAPH + " Yes."]
    assert removed("\n".join(lines) + "\n") == {"Advertisement": "boilerplate:ads"}


@pytest.mark.parametrize(
    "text",
    [
        # A Markdown README: its table of contents is no site menu.
        "# Project\n\n- [Install](#install)\n- [Usage](#usage)\n- [License](#license)\n\n"
        + LONG_PARAGRAPH
        + "\n\n## Install\n\npip install project\n",
        # A licence: the copyright line heads it; on web pages it is the foot.
        "MIT License\n\nCopyright (c) 2024 Example Person\n\n" + LONG_PARAGRAPH + "\n",
        # A poem: short lines, no furniture.
        "The Road\n\nTwo roads diverged in a yellow wood,\nAnd sorry I could not travel both\n"
        "And be one traveler, long I stood\n",
    ],
)
def test_documents_that_are_not_web_pages_come_back_unchanged(text: str) -> None:
    assert clean_text(text).text == text


# --- config switches ------------------------------------------------------------------------------------


def test_rules_can_be_switched_off() -> None:
    text = "\n".join([PARAGRAPHS[0], "Advertisement", PARAGRAPHS[1]]) + "\n"
    assert removed(text, Config(disabled_rules=("ads",))) == {}


def test_extra_phrases_are_removed_as_custom() -> None:
    text = "\n".join([PARAGRAPHS[0], "Support our reporting today!", PARAGRAPHS[1]]) + "\n"
    config = Config(extra_phrases=("Support our reporting today",))
    assert removed(text, config) == {"Support our reporting today!": "boilerplate:custom"}


def test_keep_phrases_always_win() -> None:
    text = "\n".join([PARAGRAPHS[0], "Related Posts", PARAGRAPHS[1]]) + "\n"
    assert removed(text, Config(keep_phrases=("related posts",))) == {}
    result = clean_text(text, Config(keep_phrases=("related posts",)))
    assert "Related Posts" in result.text


def test_languages_limit_the_phrase_lists() -> None:
    text = "\n".join([PARAGRAPHS[0], "Schreibe einen Kommentar", PARAGRAPHS[1]]) + "\n"
    assert removed(text, Config(languages=("en",))) == {}
    assert removed(text, Config(languages=("de",))) == {
        "Schreibe einen Kommentar": "boilerplate:comment-form"
    }


def test_all_phrase_languages_by_default() -> None:
    assert Config().languages == ("all",)
    assert {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru"} <= set(shipped_languages())


# --- promises -------------------------------------------------------------------------------------------

NAV = ["Home", "News", "Sport", "Business", "Opinion", "Contact Us", "Search"]
FURNITURE = [
    "Share this:",
    "Facebook",
    "Twitter",
    "Related Posts",
    "Ten Ways to Bake Better Bread at Home",
    "Why Your Sourdough Starter Died",
    "Leave a Reply",
    "Your email address will not be published.",
    "Name *",
    "© 2024 Example Media. All rights reserved.",
    "Advertisement",
    "2 Comments",
    "March 4, 2024 at 9:12 am",
    "Reply",
]
SHORT = ["The slice of bread trick", "What happens next:", "1 cup flour", "Reporting by Sam Ortiz."]

pieces = st.lists(
    st.one_of(
        st.sampled_from(NAV),
        st.sampled_from(FURNITURE),
        st.sampled_from(SHORT),
        st.sampled_from(PARAGRAPHS),
        st.just(""),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(pieces, st.sampled_from(["\n", "\r\n"]))
def test_cleaning_is_idempotent(lines: list[str], newline: str) -> None:
    text = newline.join(lines) + newline
    once = clean_text(text).text
    assert clean_text(once).text == once


@settings(max_examples=100, deadline=None)
@given(pieces)
def test_output_is_kept_input_lines_in_order(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    output = [line for line in clean_text(text).text.splitlines() if line]
    source = iter(line for line in lines if line)
    assert all(any(line == candidate for candidate in source) for line in output)


def test_every_removal_has_a_rule_and_score() -> None:
    text = "\n".join([*NAV, *PARAGRAPHS, *FURNITURE]) + "\n"
    result = clean_text(text)
    assert result.decisions
    for decision in result.decisions:
        assert decision.rule.startswith(("boilerplate:", "duplicate:"))
        assert 0 < decision.score <= 100


def test_switches_are_read_from_config_files() -> None:
    from cleaner.config import config_from_mapping

    config = config_from_mapping(
        {"disabled-rules": ["ads", "off-article"], "extra-phrases": ["Support us"], "languages": ["en"]},
        "test",
    )
    assert config.disabled_rules == ("ads", "off-article")
    assert config.extra_phrases == ("Support us",)


def test_long_documents_take_linear_time() -> None:
    # 20,000 blocks: linear work takes a few seconds; the quadratic neighbour
    # search this guards against took minutes.
    import time

    sentence = "Officials said the change would cost about forty thousand a year in all, he said."
    text = "\n".join(["Home", *[sentence, "A short heading here"] * 10_000]) + "\n"
    started = time.perf_counter()
    clean_text(text, Config(duplicates=False))
    assert time.perf_counter() - started < 30
