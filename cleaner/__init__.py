"""cleaner: strip page boilerplate and repeated paragraphs from scraped text.

>>> from cleaner import clean_text, clean_html
>>> news = "The harbour authority said on Tuesday that the new terminal opens in spring."
>>> clean_text(news + "\\n\\nLeave a Reply\\n").text == news + "\\n"
True
>>> clean_html(f"<html><body><nav><a href='/'>Home</a></nav><p>{news}</p></body></html>").text == news + "\\n"
True
"""

from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.errors import CleanerError
from cleaner.pipeline import CleanResult, clean_bytes, clean_text


def clean_html(page: object, config: Config | None = None) -> CleanResult:
    """Clean one HTML page: its article text, then the same detectors as ``clean_text``.

    ``page`` is the page as ``str`` or ``bytes`` (its encoding read from a BOM or
    the page's own declaration), or a BeautifulSoup ``BeautifulSoup``/``Tag`` a
    scraper already holds. ``result.original`` is the extracted article text.
    """
    from cleaner.runner import clean_page  # lxml is imported only when a page comes

    return clean_page(page, config)


__all__ = ["CleanResult", "CleanerError", "Config", "Decision", "clean_bytes", "clean_html", "clean_text"]
__version__ = "0.1.0"
