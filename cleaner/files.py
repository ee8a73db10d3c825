"""Finding input files, decoding them so they can be written back as they were, atomic writes."""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` all at once: a crash leaves the old or the new file.

    ``durable=False`` skips the fsync: for new copies under --output-dir, where
    the originals are never touched and one sync at the end of the run costs a
    fraction of one per file. A crashed process still never leaves a partial file.
    """
    import tempfile  # only a run that writes needs it; a hook on clean files starts faster

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
            if durable:
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


@dataclass(frozen=True)
class _Ignores:
    """The .gitignore files in force in one folder: (folder they apply from, spec), outermost first."""

    specs: tuple[tuple[Path, Any], ...] = ()

    def inside(self, folder: Path) -> _Ignores:
        """The rules in force in ``folder``: these plus its own .gitignore, if any."""
        gitignore = folder / ".gitignore"
        try:
            lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return self
        from pathspec import GitIgnoreSpec  # only a folder walk needs it; a hook on one file does not

        return _Ignores((*self.specs, (folder, GitIgnoreSpec.from_lines(lines))))

    def ignores(self, path: Path, is_dir: bool) -> bool:
        # As in git, the deepest .gitignore with an opinion on the path decides.
        for base, spec in reversed(self.specs):
            relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            verdict = spec.check_file(relative).include
            if verdict is not None:
                return bool(verdict)
        return False


def _walk(
    folder: Path, ignores: _Ignores, follow_symlinks: bool, seen: set[tuple[int, int]]
) -> Iterator[Path]:
    """Files under ``folder`` in name order; hidden entries, ignored paths and loops are skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"{folder}: cannot list folder: {exc.strerror or exc}") from exc
    ignores = ignores.inside(folder)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if not follow_symlinks and entry.is_symlink():
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue  # a dangling link or an entry removed meanwhile
        if ignores.ignores(path, is_dir):
            continue
        if is_dir:
            try:
                info = entry.stat()
            except OSError:
                continue
            identity = (info.st_dev, info.st_ino)
            if identity in seen:
                continue  # a symlink back into a folder already walked: a loop or a second way in
            seen.add(identity)
            yield from _walk(path, ignores, follow_symlinks, seen)
        elif is_file:
            yield path


def discover(
    paths: Sequence[Path],
    include: Sequence[str],
    exclude: Sequence[str],
    *,
    follow_symlinks: bool = False,
) -> Iterator[Input | InputError]:
    """Files to clean, in a fixed order; problems are yielded, not raised.

    Folders are walked in name order, skipping hidden entries, what the
    ``.gitignore`` files inside the folder ignore, and symbolic links unless
    ``follow_symlinks`` (even then a folder is entered once, so a link loop
    ends). A path named explicitly is always taken, even an ignored one: a
    scraped-data folder is often git-ignored, and a pre-commit hook names
    exactly the files it wants.
    Nothing is read or kept beyond the current folder listing, so a folder of
    any size streams through.
    """
    for path in paths:
        if path.is_dir():
            found = False
            try:
                info = path.stat()
                seen = {(info.st_dev, info.st_ino)}
                for file in _walk(path, _Ignores(), follow_symlinks, seen):
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
