"""HTML pages: decoding, DOM cleaning, region choice, hostile pages, and the CLI wiring."""

from __future__ import annotations

import codecs
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.config import Config
from cleaner.html import MAX_DEPTH, decode_html, extract_page, parse_html
from cleaner.htmlpatterns import attribute_words
from cleaner.pipeline import clean_text
from cleaner.runner import clean_html

PROSE = (
    "The committee met on Thursday and agreed, after a long debate, to publish the full report "
    "before the end of the month."
)


def page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}<title>T</title></head><body>{body}</body></html>".encode()


def text_of(data: bytes) -> str:
    return extract_page(data, "page.html").text


# --- decoding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "<p>café</p>".encode(), "utf-8"),
        (codecs.BOM_UTF16_LE + "<p>café</p>".encode("utf-16-le"), "utf-16-le"),
        ('<meta charset="iso-8859-2"><p>Łódź</p>'.encode("iso-8859-2"), "iso8859-2"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>щи</p>'.encode("koi8-r"),
            "koi8-r",
        ),
        # latin-1 labels mean windows-1252 in browsers (the euro sign is 0x80 there)
        ('<meta charset="iso-8859-1"><p>5 €</p>'.encode("cp1252"), "cp1252"),
        ("<p>plain café</p>".encode(), "utf-8"),
    ],
)
def test_decode_declared_and_bom(data: bytes, encoding: str) -> None:
    text, found = decode_html(data)
    assert found == encoding
    assert "<p>" in text and "\ufffd" not in text


def test_decode_undeclared_non_utf8_is_sniffed() -> None:
    words = "Der Bürgermeister überreichte den Schülern Preise für ihre außergewöhnlichen Aufsätze. " * 20
    text, encoding = decode_html(f"<html><body><p>{words}</p></body></html>".encode("cp1252"))
    assert "Bürgermeister" in text and "außergewöhnlichen" in text
    assert encoding != "utf-8"


def test_decode_wrong_declaration_falls_back() -> None:
    text, encoding = decode_html('<meta charset="utf-8"><p>naïve café</p>'.encode("cp1252"))
    assert "naïve café" in text
    assert encoding == "cp1252"


def test_decode_undeclared_central_european_is_not_read_as_western() -> None:
    polish = "Zażółć gęślą jaźń, mówił łagodnie. " * 10
    text, encoding = decode_html(f"<p>{polish}</p>".encode("cp1250"))
    assert "Zażółć gęślą jaźń" in text
    assert encoding == "cp1250"


# --- class/id tokens ----------------------------------------------------------


def test_attribute_words_split_on_separators_and_camel_case() -> None:
    assert attribute_words("postBody share-bar  comment_list") == [
        "post", "body", "share", "bar", "comment", "list"
    ]  # fmt: skip


def test_taxonomy_classes_are_not_roles() -> None:
    assert attribute_words("post category-native-advertising tag-cookies") == ["post"]


@pytest.mark.parametrize(
    "name", ["commentary", "sharepoint-article", "adventure", "navigator", "headers-guide"]
)
def test_longer_tokens_holding_a_furniture_word_are_content(name: str) -> None:
    other = "<p>Another paragraph that is long enough to be prose, it ends with a full stop.</p>"
    data = page(f'<div class="{name}"><p>{PROSE}</p></div><div>{other}</div>')
    assert PROSE in text_of(data)


# --- DOM cleaning and region ----------------------------------------------------


@pytest.mark.parametrize(
    "furniture",
    [
        '<div class="comments"><p>{}</p></div>',
        '<div id="cookie-banner"><p>{}</p></div>',
        '<section class="related-posts"><p>{}</p></section>',
        "<nav><p>{}</p></nav>",
        '<div role="navigation"><p>{}</p></div>',
        '<div class="newsletterSignup"><p>{}</p></div>',
        '<div style="display: none"><p>{}</p></div>',
        "<div hidden><p>{}</p></div>",
        "<aside><p>{}</p></aside>",
        '<figure><img src="a.jpg"><figcaption>{}</figcaption></figure>',
        '<div class="image-credit"><p>{}</p></div>',
        "<script>var a = '{}';</script>",
    ],
)
def test_furniture_is_removed(furniture: str) -> None:
    junk = "Sign up today and never miss one of our stories, delivered every morning to your inbox."
    article = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(4))
    out = text_of(page(f'<div class="entry">{article}</div>' + furniture.format(junk)))
    assert junk not in out
    assert "Part 3." in out


def test_furniture_named_wrapper_around_main_stays() -> None:
    article = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(2))
    aside = "".join(f"<p>{PROSE} Aside {n}.</p>" for n in range(3))
    data = page(f'<div class="share-enabled"><main>{article}</main></div><div class="x">{aside}</div>')
    out = text_of(data)
    assert "Part 1." in out


def test_embedded_posts_are_quoted_material_but_ad_embeds_are_not() -> None:
    quoted = '<blockquote class="twitter-tweet"><p>Quoted post text.</p></blockquote>'
    tweet = f'<div class="social-media-embed">{quoted}</div>'
    ad = '<div class="ad-embed"><p>Buy the thing today.</p></div>'
    article = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(3))
    out = text_of(page(f"<article>{article}{tweet}{ad}<p>{PROSE} End.</p></article>"))
    assert "Quoted post text." in out and "Buy the thing" not in out


def test_link_popups_inside_a_sentence_are_removed() -> None:
    popup = '<span class="rollover-block"><a href="/p">Ann Lee</a> <a href="/q">Her latest stories</a></span>'
    out = text_of(page(f'<article><p>{PROSE} Said <a href="/p">Ann Lee</a>{popup} today.</p></article>'))
    assert out == f"{PROSE} Said Ann Lee today.\n"


def test_wrapper_named_like_a_layout_keeps_the_article() -> None:
    article = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(4))
    data = page(f'<div class="content-with-sidebar"><div class="post">{article}</div></div>')
    assert "Part 0." in text_of(data)


def test_headings_lists_quotes_tables_and_pre_stay_inside_the_region() -> None:
    article = (
        f"<p>{PROSE}</p><h2>Subhead here</h2><ul><li>first point</li><li>second point</li></ul>"
        f"<blockquote><p>A quoted remark.</p></blockquote><table><tr><td>cell text</td></tr></table>"
        f"<pre>x = 1\n    y = 2</pre><p>{PROSE} Again.</p>"
    )
    out = text_of(page(f'<nav><a href="/">Home</a></nav><article>{article}</article>'))
    for piece in ("Subhead here", "first point", "A quoted remark.", "cell text", "x = 1\n    y = 2"):
        assert piece in out
    assert "Home" not in out


def test_tables_and_quotes_set_as_figures_stay_but_captions_go() -> None:
    cells = "<table><tr><td>Cell one</td></tr></table>"
    table = f'<figure class="wp-block-table">{cells}<figcaption>Cap A</figcaption></figure>'
    quote = '<figure class="wp-block-pullquote"><blockquote><p>Quoted line.</p></blockquote></figure>'
    photo = '<figure><img src="p.jpg"><figcaption>Photo: Agency</figcaption></figure>'
    out = text_of(page(f"<article><p>{PROSE}</p>{table}{quote}{photo}<p>{PROSE} End.</p></article>"))
    assert "Cell one" in out and "Quoted line." in out
    assert "Cap A" not in out and "Photo: Agency" not in out


def test_data_table_rows_are_lines_and_layout_cells_are_containers() -> None:
    rows = "<tr><th>Player</th><th>Plays</th></tr><tr><td>Ann <b>Lee</b></td><td>63</td></tr>"
    layout = f"<table><tr><td><p>{PROSE}</p><table>{rows}</table><p>{PROSE} End.</p></td></tr></table>"
    out = text_of(page(layout))
    assert out == f"{PROSE}\n\nPlayer | Plays\n\nAnn Lee | 63\n\n{PROSE} End.\n"


def test_article_split_across_sibling_divs_is_taken_whole() -> None:
    part = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(3))
    data = page(
        f'<div><div class="body-part">{part}</div><div class="ad">Advertisement</div>'
        f'<div class="body-part">{part.replace("Part", "Section")}</div></div>'
    )
    out = text_of(data)
    assert "Part 2." in out and "Section 2." in out and "Advertisement" not in out


def test_teaser_cards_beside_the_article_are_left_out() -> None:
    article = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(5))
    cards = "".join(
        f'<div class="card"><h3><a href="/s{n}">Other story {n}</a></h3>'
        f"<p>A teaser for another story that is long enough to look like prose, number {n}.</p></div>"
        for n in range(6)
    )
    out = text_of(page(f"<article>{article}</article><section>{cards}</section>"))
    assert "Part 4." in out and "teaser" not in out


def test_title_heading_is_not_article_text() -> None:
    out = text_of(page(f"<article><h1>T</h1><p>{PROSE}</p></article>"))
    assert out == PROSE + "\n"


def test_paragraphs_are_separated_by_blank_lines_and_br_br_splits() -> None:
    out = text_of(page(f"<div><p>{PROSE}</p>{PROSE} One.<br><br>{PROSE} Two.<br>Next line.</div>"))
    assert out == f"{PROSE}\n\n{PROSE} One.\n\n{PROSE} Two.\nNext line.\n"


def test_region_edges_keep_sentences_and_drop_debris() -> None:
    article = (
        "<p>By Ann Lee</p><p>March 3, 2024</p>"
        f"<p>{PROSE}</p><p>{PROSE} More.</p><p>Thanks, Junior!</p><p>Tags</p><p>You may also like:</p>"
    )
    out = text_of(page(f"<article>{article}</article>"))
    assert out == f"{PROSE}\n\n{PROSE} More.\n\nThanks, Junior!\n"


def test_lead_in_of_a_removed_link_list_goes_with_it() -> None:
    items = '<li><a href="/a">Another story about something</a></li><li><a href="/b">And one more</a></li>'
    links = f"<ul>{items}</ul>"
    out = text_of(page(f"<article><p>{PROSE}</p><p>More:</p>{links}<p>{PROSE} End.</p></article>"))
    assert out == f"{PROSE}\n\n{PROSE} End.\n"


def test_blocks_carry_dom_hints_and_spans() -> None:
    extracted = extract_page(page(f'<div class="entry-content"><p>{PROSE}</p><p>{PROSE} B.</p></div>'), "p")
    first, second = extracted.blocks
    assert extracted.text[first.start : first.end] == first.text == PROSE
    assert second.first_line == 3
    assert first.hints["tag"] == "p"
    assert first.hints["link_density"] == 0.0
    assert isinstance(first.hints["depth"], int)
    outer = extract_page(page(f'<div class="entry-content">{PROSE}</div>'), "p").blocks[0]
    assert outer.hints["words"] == ("entry", "content")


def test_repeated_lede_goes_through_the_duplicate_detector() -> None:
    lede = f"<p>{PROSE} The lede.</p>"
    middle = "<p>Nothing in this paragraph repeats the opening one, it says something else entirely.</p>"
    _, result = clean_html(page(f"<article>{lede}{middle}{lede}</article>"), "p", Config())
    assert result.text.count("The lede.") == 1
    assert [d.rule for d in result.decisions] == ["duplicate:exact"]


def test_clean_text_accepts_given_blocks() -> None:
    extracted = extract_page(page(f"<p>{PROSE}</p><p>Leave a Reply</p>"), "p")
    result = clean_text(extracted.text, Config(), extracted.blocks)
    assert result.text == PROSE + "\n"


# --- hostile pages ------------------------------------------------------------------


@pytest.mark.parametrize("levels", [10_000, 100_000])
def test_deep_nesting_keeps_all_text(levels: int) -> None:
    deep = "<div>" * levels + f"<p>{PROSE} Deep.</p>" + "</div>" * levels
    data = page(f"<p>{PROSE} Before.</p>{deep}<p>{PROSE} After.</p>")
    started = time.perf_counter()
    extracted = extract_page(data, "deep.html")
    assert "Before." in extracted.text and "Deep." in extracted.text and "After." in extracted.text
    assert extracted.flattened
    assert time.perf_counter() - started < 20


def test_flattened_nesting_keeps_paragraph_breaks_and_stays_linear() -> None:
    levels = 3_000
    nested = "".join(f"<div><p>{PROSE} Level {n}.</p>" for n in range(levels)) + "</div>" * levels
    started = time.perf_counter()
    extracted = extract_page(page(nested + "</span>" * levels), "nested.html")
    assert extracted.flattened
    assert len(extracted.blocks) == levels
    assert extracted.blocks[-1].text == f"{PROSE} Level {levels - 1}."
    assert time.perf_counter() - started < 20


def test_deep_nesting_within_the_cap_is_not_flattened() -> None:
    root, flattened = parse_html("<div>" * (MAX_DEPTH // 2) + "x" + "</div>" * (MAX_DEPTH // 2))
    assert not flattened
    assert "".join(root.itertext()) == "x"


def test_twenty_megabyte_page() -> None:
    paragraph = f"<p>{PROSE * 10}</p>\n"
    data = page(paragraph * (20_000_000 // len(paragraph)))
    assert len(data) >= 19_000_000
    extracted = extract_page(data, "big.html")
    assert extracted.text.startswith(PROSE)


def test_entity_bomb_is_not_expanded() -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    data = f"<!DOCTYPE html [{entities}]><html><body><p>{PROSE} &i;&i;&i;</p></body></html>".encode()
    started = time.perf_counter()
    extracted = extract_page(data, "bomb.html")
    assert len(extracted.text) < 10_000
    assert PROSE in extracted.text
    assert time.perf_counter() - started < 5


def test_oversized_page_is_refused_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.html

    monkeypatch.setattr(cleaner.html, "MAX_HTML_BYTES", 100)
    with pytest.raises(cleaner.html.InputError, match="over the limit"):
        extract_page(b"<p>" + b"x" * 200 + b"</p>", "huge.html")


@pytest.mark.parametrize(
    "data",
    [b"", b"<", b"<html", b"</p></div></body>", b"<p><b><i>unclosed", b"\xff\xfe\x00<", b"<!-->",
     b"<table><td><tr><p>x</table></p>", b"<![CDATA[ x ]]>",
     b"<?xml version='1.0' encoding='utf-8'?><p>x</p>"],
)  # fmt: skip
def test_malformed_markup_never_crashes(data: bytes) -> None:
    extract_page(data, "bad.html")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(alphabet="<>/=\"' pdivab&;#x\n", max_size=300).map(str.encode))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    extracted = extract_page(data, "fuzz.html")
    for block in extracted.blocks:
        assert extracted.text[block.start : block.end] == block.text


# --- CLI -------------------------------------------------------------------------------


def test_folder_of_pages_to_output_dir(isolated: Path) -> None:
    (isolated / "in" / "sub").mkdir(parents=True)
    (isolated / "in" / "a.html").write_bytes(page(f"<article><p>{PROSE}</p></article>"))
    (isolated / "in" / "sub" / "b.htm").write_bytes(page(f"<article><p>{PROSE} B.</p></article>"))
    (isolated / "in" / "c.txt").write_text("plain text stays text\n")
    result = CliRunner().invoke(app, ["clean", "in", "--output-dir", "out", "-q"])
    assert result.exit_code == 0, result.output
    assert (isolated / "out" / "a.txt").read_text() == PROSE + "\n"
    assert (isolated / "out" / "sub" / "b.txt").read_text() == PROSE + " B.\n"
    assert (isolated / "out" / "c.txt").read_text() == "plain text stays text\n"
    assert not (isolated / "out" / "a.html").exists()


def test_stdout_prints_the_text(isolated: Path) -> None:
    (isolated / "a.html").write_bytes(page(f"<article><p>{PROSE}</p></article>"))
    result = CliRunner().invoke(app, ["clean", "a.html", "--stdout", "-q"])
    assert result.exit_code == 0
    assert result.stdout == PROSE + "\n"


def test_in_place_never_overwrites_html(isolated: Path) -> None:
    data = page(f"<article><p>{PROSE}</p></article>")
    (isolated / "a.html").write_bytes(data)
    result = CliRunner().invoke(app, ["clean", "a.html"])
    assert result.exit_code == 123
    assert "--output-dir" in result.stderr
    assert (isolated / "a.html").read_bytes() == data


def test_format_flag_forces_html_and_text(isolated: Path) -> None:
    (isolated / "a.txt").write_bytes(page(f"<article><p>{PROSE}</p></article>"))
    result = CliRunner().invoke(app, ["clean", "a.txt", "--format", "html", "--stdout", "-q"])
    assert result.stdout == PROSE + "\n"
    result = CliRunner().invoke(app, ["clean", "-", "--format", "html"], input=page(f"<p>{PROSE}</p>"))
    assert result.stdout == PROSE + "\n"
    (isolated / "b.html").write_text("<p>kept as it is</p>\n")
    result = CliRunner().invoke(app, ["clean", "b.html", "--format", "text", "--stdout", "-q"])
    assert result.stdout == "<p>kept as it is</p>\n"
    result = CliRunner().invoke(app, ["clean", "b.html", "--format", "pdf"])
    assert result.exit_code == 2


def test_plain_text_runs_do_not_import_lxml() -> None:
    code = "import sys, cleaner.cli; print('lxml' in sys.modules or 'bs4' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_page_without_prose_keeps_its_short_lines() -> None:
    poem = "<div><p>Roses are red</p><p>Violets are blue</p></div>"
    out = text_of(page(f'<nav><a href="/">Home</a></nav>{poem}'))
    assert out == "Roses are red\n\nViolets are blue\n"


def test_cjk_sentences_count_as_prose() -> None:
    sentence = "今天市议会开会讨论了新的预算方案，并决定下个月公布完整的报告。"
    out = text_of(page(f'<div class="menu"><a href="/">首页</a></div><article><p>{sentence}</p></article>'))
    assert out == sentence + "\n"


# --- --extractor trafilatura (the extra is not installed in CI: a stand-in module) ---------


class _FakeTrafilatura:
    @staticmethod
    def extract(text: str, **options: object) -> str:
        assert options.get("include_comments") is False
        return f"{PROSE}\n\nLeave a Reply\n{PROSE}\n"


def test_trafilatura_extractor_output_goes_through_the_detectors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", _FakeTrafilatura())
    _, result = clean_html(page("<p>whatever</p>"), "p", Config(extractor="trafilatura"))
    assert result.text == PROSE + "\n"
    assert sorted(d.rule for d in result.decisions) == ["boilerplate:comment-form", "duplicate:exact"]
    assert result.blocks[0].hints == {"extractor": "trafilatura"}


def test_trafilatura_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    with pytest.raises(Exception, match=r"cleaner\[trafilatura\]"):
        clean_html(page("<p>x</p>"), "p", Config(extractor="trafilatura"))
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    (isolated / "a.html").write_bytes(page("<p>x</p>"))
    result = CliRunner().invoke(app, ["clean", "a.html", "--stdout", "--extractor", "trafilatura"])
    assert result.exit_code == 2
    assert "cleaner[trafilatura]" in result.stderr
    assert CliRunner().invoke(app, ["clean", "a.html", "--extractor", "magic"]).exit_code == 2


def test_stray_byte_in_a_utf8_page_does_not_change_the_encoding() -> None:
    body = "<p>Der Bürgermeister überreichte die Preise.</p>" * 50
    data = page(body, head="").replace(b"</body>", b"\xff</body>")
    text, encoding = decode_html(data)
    assert encoding == "utf-8" and "Bürgermeister" in text


def test_few_accents_in_an_undeclared_western_page_are_not_lost() -> None:
    data = ("<p>" + "plain english text " * 500 + "caf\u00e9 na\u00efve</p>").encode("cp1252")
    text, _ = decode_html(data)
    assert "café naïve" in text


# --- learn / explain on HTML pages --------------------------------------------------------


SITE_LINE = "Follow the Riverside Notes crew on Mastodon for more stories like this one, every week."


def _site_page(n: int) -> bytes:
    body = "".join(f"<p>{PROSE} Page {n}, part {k}.</p>" for k in range(3))
    return page(f"<article>{body}<p>{SITE_LINE}</p></article>")


def test_learn_counts_the_article_text_of_html_pages(isolated: Path) -> None:
    (isolated / "site").mkdir()
    for n in range(4):
        (isolated / "site" / f"p{n}.html").write_bytes(_site_page(n))
    result = CliRunner().invoke(app, ["learn", "site", "-o", "site.profile", "-q"])
    assert result.exit_code == 0, result.output
    keys = [k for k in (isolated / "site.profile").read_text().splitlines() if not k.startswith("#")]
    assert keys == [SITE_LINE.casefold().rstrip(".")]


def test_explain_shows_what_an_html_page_went_through(isolated: Path) -> None:
    lede = f"<p>{PROSE} The lede.</p>"
    (isolated / "a.html").write_bytes(page(f"<article>{lede}<p>{PROSE} Other.</p>{lede}</article>"))
    result = CliRunner().invoke(app, ["explain", "a.html"])
    assert result.exit_code == 0, result.output
    assert "duplicate:exact" in result.output
    assert "<article>" not in result.output
