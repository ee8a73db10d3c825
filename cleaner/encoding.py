"""Bytes to text and back, byte for byte: which encoding a document is in, and how to write it again.

The rule is that ``decode(data).encode(decode(data).text) == data`` for every
input that is not refused, and that cutting whole lines out of the text cuts
the same lines out of the bytes. So only encodings are used whose bytes map to
characters one piece at a time (no shift states) and whose line breaks are the
ASCII ones; bytes that do not decode are carried through as lone surrogates
(``surrogateescape``, ``surrogatepass``) and come back out exactly as they went
in. Nothing is ever replaced by U+FFFD.

Order of the decision:
1. a byte-order mark names the encoding (UTF-8, UTF-16, UTF-32);
2. a NUL byte near the start means binary data: refused;
3. valid UTF-8 is UTF-8; UTF-8 with a few stray bytes (more valid multi-byte
   sequences than bad bytes) is still UTF-8, the stray bytes kept as they are;
4. otherwise charset-normalizer picks a legacy encoding (imported only then:
   start-up time matters to a commit hook); Windows-1252 is preferred when it
   reads the bytes the same way as the detector's pick;
5. if no usable encoding fits, the document is refused, never guessed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import cache

from cleaner.errors import BinaryFileError, DecodeError

# A NUL byte in the first chunk is the classic sign of binary data (git's test too).
BINARY_SNIFF_BYTES = 8192

# Longest mark first: the UTF-32-LE mark begins with the UTF-16-LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Multi-byte legacy encodings without shift states: each character is its own
# byte sequence, and no trail byte is ever a line break. (ISO-2022-*, HZ and
# UTF-7 switch state with escape sequences, so cutting lines out of them could
# change how the rest reads: they are refused.)
STATELESS_MULTIBYTE = frozenset(
    {"shift_jis", "cp932", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004", "euc_jisx0213"}
    | {"gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp950", "euc_kr", "cp949", "johab"}
)
# When the detector's pick and one of these read the bytes identically, name
# the familiar one (short Western texts tie between a dozen code pages).
PREFERRED_LEGACY = ("cp1252", "latin_1")
# Detector results this close to the best in chaos and coherence are a tie
# (charset-normalizer is unsure on short texts: French in Windows-1252 came out
# as mac_latin2 at chaos 0.0 against 0.033); in a tie Windows-1252 wins.
CHAOS_TIE = 0.05
COHERENCE_TIE = 0.1

_ESCAPED = re.compile("[\udc80-\udcff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Source:
    """Decoded text plus what is needed to encode it back byte for byte."""

    text: str
    encoding: str  # a Python codec name
    bom: bytes = b""
    errors: str = "strict"
    # Bytes (or code units) that are not valid in ``encoding``, carried through unchanged.
    undecodable: int = 0
    # Set by files.read_source: what the file looked like when it was read.
    origin: object = field(default=None, compare=False)

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding, self.errors)

    @property
    def label(self) -> str:
        """The encoding as a person reads it in the report: 'utf-8', 'utf-16-le with BOM', 'cp1252'."""
        label = self.encoding.replace("_", "-")
        if self.bom:
            label += " with BOM"
        if self.undecodable:
            label += f" ({self.undecodable} undecodable byte(s) kept as they were)"
        return label


def decode(data: bytes, name: str) -> Source:
    """``data`` as text, in the encoding it is written in; raises DecodeError/BinaryFileError if unsure."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            found = _decode_with_bom(data, bom, encoding)
            if found is not None:
                return found
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise BinaryFileError(f"{name}: binary file (NUL bytes), skipped")
    try:
        return Source(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED.findall(text))
    if _multibyte_chars(text, bad) > bad:
        return Source(text, "utf-8", errors="surrogateescape", undecodable=bad)
    legacy = _decode_legacy(data)
    if legacy is None:
        raise DecodeError(
            f"{name}: cannot tell which encoding this is (not UTF-8: byte 0x{data[first_bad]:02x} "
            f"at offset {first_bad}, and no single legacy encoding reads it); skipped. "
            "Convert it to UTF-8 to have it cleaned."
        )
    return legacy


def encode_stable(source: Source, text: str, name: str = "<bytes>") -> bytes | None:
    """``text`` in the source's encoding, or None if those bytes would not decode back to ``text``.

    Cleaning removes lines, and with them evidence of the encoding: the last
    non-ASCII line of a legacy file, the valid UTF-8 around a stray byte. What
    is written must read back as the same text, or the next run (a commit hook)
    would see another document.
    """
    data = source.encode(text)
    try:
        again = decode(data, name)
    except (BinaryFileError, DecodeError):
        return None
    return data if again.text == text else None


def _decode_with_bom(data: bytes, bom: bytes, encoding: str) -> Source | None:
    body = data[len(bom) :]
    # UTF-8 carries stray bytes as escapes; UTF-16/32 carry lone surrogates as they are.
    errors = "surrogateescape" if encoding == "utf-8" else "surrogatepass"
    try:
        text = body.decode(encoding, errors)
    except UnicodeDecodeError:
        return None  # e.g. an odd number of bytes after a UTF-16 mark
    if text.encode(encoding, errors) != body:
        return None
    # (A valid UTF-16 surrogate pair decodes to one character: what is left are lone ones.)
    undecodable = len((_ESCAPED if encoding == "utf-8" else _SURROGATE).findall(text))
    return Source(text, encoding, bom, errors, undecodable)


def _multibyte_chars(text: str, escapes: int) -> int:
    """Characters decoded from a valid multi-byte UTF-8 sequence (non-ASCII, not an escape)."""
    ascii_chars = len(text.encode("ascii", "ignore"))
    return len(text) - ascii_chars - escapes


def _decode_legacy(data: bytes) -> Source | None:
    from charset_normalizer import from_bytes  # lazy: ~15 ms of start-up

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    tied = [
        m.encoding
        for m in matches
        if m.chaos <= best.chaos + CHAOS_TIE and m.coherence >= best.coherence - COHERENCE_TIE
    ]
    candidates = [*_preferred_equivalents(data, tied), *(m.encoding for m in matches)]
    for encoding in candidates:
        found = _try_legacy(data, encoding)
        if found is not None:
            return found
    return None


def _preferred_equivalents(data: bytes, tied: list[str]) -> list[str]:
    readings = {_read(data, e) for e in tied if _usable(e)}
    readings.discard(None)
    return [p for p in PREFERRED_LEGACY if _read(data, p) in readings]


def _read(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding, "surrogateescape")
    except (UnicodeDecodeError, LookupError):
        return None


def _try_legacy(data: bytes, encoding: str) -> Source | None:
    if not _usable(encoding):
        return None
    name = codecs.lookup(encoding).name
    text = _read(data, name)
    if text is None or text.encode(name, "surrogateescape") != data:
        return None
    return Source(text, name, errors="surrogateescape", undecodable=len(_ESCAPED.findall(text)))


@cache
def _usable(encoding: str) -> bool:
    """ASCII-compatible (so line breaks are line breaks) and free of shift states."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    if name.startswith(("utf", "iso2022", "hz")):
        return False
    try:
        if bytes(range(128)).decode(name) != "".join(map(chr, range(128))):
            return False
    except UnicodeDecodeError:
        return False
    return name in STATELESS_MULTIBYTE or _single_byte(name)


def _single_byte(name: str) -> bool:
    return all(
        len(bytes([lead, trail]).decode(name, "surrogateescape")) == 2
        for lead in range(128, 256)
        for trail in (0x40, 0x80, 0xA1)
    )
