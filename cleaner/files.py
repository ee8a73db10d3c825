"""Finding input files, decoding them so they can be written back as they were, atomic writes."""

from __future__ import annotations

import contextlib
import fnmatch
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.errors import BinaryFileError, DecodeError, InputError

BOM_UTF8 = b"\xef\xbb\xbf"
# A NUL byte in the first chunk is the classic sign of binary data (git's test too).
BINARY_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Source:
    """Decoded text plus what is needed to encode it back byte for byte."""

    text: str
    encoding: str
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


def decode(data: bytes, name: str) -> Source:
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise BinaryFileError(f"{name}: binary file (NUL bytes), skipped")
    bom = BOM_UTF8 if data.startswith(BOM_UTF8) else b""
    try:
        return Source(data[len(bom) :].decode("utf-8"), "utf-8", bom)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}), skipped"
        ) from exc


def read_source(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return decode(data, str(path))


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: a crash leaves the old or the new file."""
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".cleaner-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@dataclass(frozen=True)
class Input:
    """One file to clean, and the folder it was found under (for mirroring)."""

    path: Path
    root: Path

    @property
    def relative(self) -> Path:
        return self.path.relative_to(self.root) if self.root != self.path else Path(self.path.name)


def _matches(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"{folder}: cannot list folder: {exc.strerror or exc}") from exc
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file(follow_symlinks=False):
            yield Path(entry.path)


def discover(
    paths: Sequence[Path], include: Sequence[str], exclude: Sequence[str]
) -> Iterator[Input | InputError]:
    """Files to clean, sorted within each folder; problems are yielded, not raised."""
    for path in paths:
        if path.is_dir():
            found = False
            try:
                for file in _walk(path):
                    rel = file.relative_to(path).as_posix()
                    if _matches(file.name, include) and not (
                        _matches(rel, exclude) or _matches(file.name, exclude)
                    ):
                        found = True
                        yield Input(file, path)
            except InputError as exc:
                yield exc
                continue
            if not found:
                yield InputError(f"{path}: no files matching {', '.join(include)}")
        elif path.exists():
            yield Input(path, path)
        else:
            yield InputError(f"{path}: no such file or folder")
