"""cleaner: strip page boilerplate and repeated paragraphs from scraped text.

>>> from cleaner import clean_text, Config
>>> result = clean_text("Hello there, reader.\\n\\nLeave a Reply\\n")
>>> result.text
'Hello there, reader.\\n'
"""

from cleaner.config import Config
from cleaner.detectors import Decision
from cleaner.errors import CleanerError
from cleaner.pipeline import CleanResult, clean_bytes, clean_text

__all__ = ["CleanResult", "CleanerError", "Config", "Decision", "clean_bytes", "clean_text"]
__version__ = "0.1.0"
