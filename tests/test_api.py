"""The Python API: clean_text, clean_bytes, and clean_html for str, bytes or a BeautifulSoup object."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest

import cleaner
from cleaner import CleanResult, Config, clean_html, clean_text

NEWS = "The harbour authority said on Tuesday that the new terminal would open in the spring."
CAFE = "Le café du port ouvre à nouveau ses portes après trois mois de travaux importants."
PAGE = (
    "<html><head><title>Harbour</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
    f"<article><p>{NEWS}</p><p>{NEWS}</p><p>{CAFE}</p></article>"
    "<footer><p>Leave a Reply</p></footer></body></html>"
)
EXPECTED = f"{NEWS}\n\n{CAFE}\n"


def test_the_module_docstring_examples_run() -> None:
    assert doctest.testmod(cleaner).failed == 0


@pytest.mark.parametrize("page", [PAGE, PAGE.encode("utf-8"), PAGE.encode("utf-8-sig")])
def test_clean_html_takes_str_and_bytes_and_returns_a_clean_result(page: str | bytes) -> None:
    result = clean_html(page)
    assert isinstance(result, CleanResult) and type(result) is type(clean_text(NEWS))
    assert result.text == EXPECTED
    assert [d.rule for d in result.decisions] == ["duplicate:exact"]


def test_clean_html_takes_a_beautifulsoup_object_or_one_of_its_tags() -> None:
    bs4 = pytest.importorskip("bs4")
    # The page says Latin-1, but the soup is already decoded text: that declaration must not win.
    soup = bs4.BeautifulSoup(PAGE.replace("<head>", "<head><meta charset='iso-8859-1'>"), "html.parser")
    assert clean_html(soup).text == EXPECTED
    assert clean_html(soup.find("article")).text == EXPECTED
    assert clean_html(soup, Config(duplicates=False)).text == f"{NEWS}\n\n{NEWS}\n\n{CAFE}\n"


def test_clean_html_bytes_follow_the_page_declaration() -> None:
    declared = PAGE.replace("<head>", "<head><meta charset='iso-8859-1'>").encode("latin-1")
    assert clean_html(declared).text == EXPECTED


def test_clean_html_refuses_what_is_no_page() -> None:
    with pytest.raises(TypeError, match="str, bytes or a bs4"):
        clean_html(42)


def test_import_cleaner_and_clean_text_load_neither_lxml_nor_bs4() -> None:
    code = (
        "import sys, cleaner; cleaner.clean_text('A line of text.'); "
        "print(sorted(m for m in ('lxml', 'bs4') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
