"""Finding input files, decoding them so they can be written back as they were, atomic writes."""

from __future__ import annotations

import contextlib
import fnmatch
import os
import re
import stat
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import IO, Any

from cleaner.encoding import BINARY_SNIFF_BYTES, Source, decode
from cleaner.errors import ChangedOnDiskError, InputError, TooLargeError, WriteError

__all__ = ["BINARY_SNIFF_BYTES", "Source", "decode", "read_source", "atomic_write", "discover"]

# Temp files are hidden (a leading dot: folder walks skip them, and no include
# glob like "*.txt" matches the suffix) and carry the writer's process id, so a
# later run can tell a killed run's leftovers from a live writer's file.
TEMP_SUFFIX = ".cleaner-tmp"
_TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{12}\.(\d+)" + re.escape(TEMP_SUFFIX) + "$", re.DOTALL)
# Room left in a 255-byte file name for the dot, the random part, the pid and the suffix.
_TEMP_STEM_BYTES = 120


@dataclass(frozen=True)
class Snapshot:
    """What a file looked like when it was read: compared again just before it is replaced."""

    size: int
    mtime_ns: int
    inode: int
    device: int
    # The stat fields catch real edits; the checksum catches an edit that kept the
    # size within one mtime tick. (zlib is already loaded; hashlib would add
    # start-up time to every commit hook run.)
    checksum: int

    @classmethod
    def of(cls, info: os.stat_result, data: bytes) -> Snapshot:
        return cls(info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev, zlib.crc32(data))


def _size(count: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def read_bytes(path: Path, max_bytes: int | None = None) -> tuple[bytes, os.stat_result]:
    """The file's bytes; what is not a regular file or is over ``max_bytes`` is refused before reading."""
    try:
        # Non-blocking, so a FIFO given by name is refused below instead of hanging the run.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"{path}: not a regular file, skipped")
            if max_bytes is not None and info.st_size > max_bytes:
                raise TooLargeError(
                    f"{path}: too large ({_size(info.st_size)}, limit {_size(max_bytes)}), skipped; "
                    "raise max_file_bytes (--max-file-bytes) to clean it"
                )
            # One byte past the limit: a file still growing is caught, not swallowed whole.
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if max_bytes is not None and len(data) > max_bytes:
        raise TooLargeError(f"{path}: grew past the size limit ({_size(max_bytes)}) while read, skipped")
    return data, info


def read_source(path: Path, max_bytes: int | None = None) -> Source:
    """Decoded file, remembering its state on disk (``origin``) so a later write can check it."""
    data, info = read_bytes(path, max_bytes)
    return replace(decode(data, str(path)), origin=Snapshot.of(info, data))


def _current_snapshot(path: Path) -> Snapshot | None:
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            return Snapshot.of(info, handle.read())
    except FileNotFoundError:
        return None


def atomic_write(path: Path, data: bytes, expect: Snapshot | None = None) -> None:
    """Replace ``path`` with ``data`` all at once: a crash leaves the old or the new file."""
    with atomic_writer(path, expect) as pending:
        pending.handle.write(data)


@dataclass
class PendingWrite:
    """The temp file of an ``atomic_writer``; set ``discard`` to leave the target as it is."""

    handle: IO[bytes]
    discard: bool = False


@contextlib.contextmanager
def atomic_writer(path: Path, expect: Snapshot | None = None) -> Iterator[PendingWrite]:
    """A binary handle whose content replaces ``path`` all at once when the block ends.

    The content goes to a temp file beside the target, is flushed and fsynced,
    gets the old file's mode and owner, and is renamed over the target. With
    ``expect``, a target that changed since it was read is left alone
    (ChangedOnDiskError). A symlink is written through, not replaced. On any
    failure, or with ``discard`` set, the temp file is removed and the target
    is untouched. Streams (a JSONL corpus) are written through it as they come.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise WriteError(f"{path}: not a regular file, left unchanged")
        # Root may write anything; a file nobody may write was made read-only on purpose.
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise WriteError(f"{path}: read-only file, left unchanged")
    mode = info.st_mode & 0o7777 if info is not None else 0o666 & ~process_umask()
    stem = os.fsencode(target.name)[:_TEMP_STEM_BYTES].decode(errors="surrogateescape")
    # The name is known before the file exists (unlike tempfile.mkstemp's), so an
    # interrupt (SIGTERM, Ctrl-C) arriving just as it is created can still remove it.
    tmp = target.parent / f".{stem}.{os.urandom(6).hex()}.{os.getpid()}{TEMP_SUFFIX}"
    ours = True
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        except FileExistsError:
            ours = False  # another writer's file (a 48-bit random clash): not ours to remove
            raise
        with os.fdopen(fd, "wb") as handle:
            pending = PendingWrite(handle)
            yield pending
            if not pending.discard:
                handle.flush()
                os.fsync(handle.fileno())
                os.fchmod(handle.fileno(), mode)
                if info is not None:
                    _keep_owner(handle.fileno(), info, path)
        if pending.discard:
            os.unlink(tmp)
            return
        if expect is not None and _current_snapshot(target) != expect:
            raise ChangedOnDiskError(f"{path}: changed on disk while being cleaned; left as it is now")
        os.replace(tmp, target)
    except BaseException as exc:
        if ours:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError(f"{path}: cannot write: {exc.strerror or exc}; left unchanged") from exc
        raise


def _keep_owner(fd: int, info: os.stat_result, path: Path) -> None:
    current = os.fstat(fd)
    if (current.st_uid, current.st_gid) == (info.st_uid, info.st_gid):
        return
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError as exc:
        raise WriteError(
            f"{path}: cannot keep its owner/group ({info.st_uid}:{info.st_gid}) in a rewrite; left unchanged"
        ) from exc


@cache
def process_umask() -> int:
    """The process's umask, read once. Setting it to read it back (the only
    portable way) would, for a moment, let files and folders made by another
    thread (a batch writes from several) be created without it, so Linux's
    /proc is asked first, and the answer is kept: a run does not change it."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", errors="replace") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0)
    os.umask(current)
    return current


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temp files that a killed run left in ``folder`` (their writer is gone); best effort."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


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


def _listing(folder: Path, ignores: _Ignores) -> tuple[Iterator[os.DirEntry[str]], _Ignores]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"{folder}: cannot list folder: {exc.strerror or exc}") from exc
    return iter(entries), ignores.inside(folder)


# Why a file inside a folder was passed over: counted in the run's summary, never silent.
SKIP_HIDDEN = "hidden"
SKIP_IGNORED = "ignored by .gitignore"
SKIP_SYMLINK = "symbolic link (--follow-symlinks follows them)"
SKIP_NAME = "name not matched by the include globs"
SKIP_EXCLUDED = "matched by an exclude glob"
SKIP_OUTPUT = "the output folder of this run"


def _walk(
    folder: Path,
    ignores: _Ignores,
    follow_symlinks: bool,
    seen: set[tuple[int, int]],
    skipped: Counter[str],
    avoid: frozenset[str],
) -> Iterator[Path]:
    """Files under ``folder`` in name order; hidden entries, ignored paths and loops are skipped
    (and counted in ``skipped``; a skipped folder counts once); folders in ``avoid`` are not entered.

    Depth first with an explicit stack: a tree nested thousands of folders deep
    must not hit Python's recursion limit.
    """
    stack = [_listing(folder, ignores)]
    while stack:
        entries, rules = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            skipped[SKIP_HIDDEN] += 1
            continue
        path = Path(entry.path)
        if not follow_symlinks and entry.is_symlink():
            skipped[SKIP_SYMLINK] += 1
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue  # a dangling link or an entry removed meanwhile
        if rules.ignores(path, is_dir):
            skipped[SKIP_IGNORED] += 1
            continue
        if is_dir:
            if avoid and os.path.realpath(path) in avoid:
                skipped[SKIP_OUTPUT] += 1
                continue
            try:
                info = entry.stat()
            except OSError:
                continue
            identity = (info.st_dev, info.st_ino)
            if identity in seen:
                continue  # a symlink back into a folder already walked: a loop or a second way in
            seen.add(identity)
            stack.append(_listing(path, rules))
        elif is_file:
            yield path


def discover(
    paths: Sequence[Path],
    include: Sequence[str],
    exclude: Sequence[str],
    *,
    follow_symlinks: bool = False,
    skipped: Counter[str] | None = None,
    avoid: Sequence[Path] = (),
) -> Iterator[Input | InputError]:
    """Files to clean, in a fixed order; problems are yielded, not raised.

    Folders are walked in name order, skipping hidden entries, what the
    ``.gitignore`` files inside the folder ignore, and symbolic links unless
    ``follow_symlinks`` (even then a folder is entered once, so a link loop
    ends). A path named explicitly is always taken, even an ignored one: a
    scraped-data folder is often git-ignored, and a pre-commit hook names
    exactly the files it wants.
    Nothing is read or kept beyond the current folder listing, so a folder of
    any size streams through. What a folder walk passes over is counted by
    reason in ``skipped``; folders in ``avoid`` (a run's output folder) are never entered.
    """
    skipped = Counter() if skipped is None else skipped
    avoided = frozenset(os.path.realpath(p) for p in avoid)
    for path in paths:
        if path.is_dir():
            found = False
            try:
                info = path.stat()
                seen = {(info.st_dev, info.st_ino)}
                for file in _walk(path, _Ignores(), follow_symlinks, seen, skipped, avoided):
                    rel = file.relative_to(path).as_posix()
                    if not _matches(file.name, include):
                        skipped[SKIP_NAME] += 1
                    elif _matches(rel, exclude) or _matches(file.name, exclude):
                        skipped[SKIP_EXCLUDED] += 1
                    else:
                        found = True
                        yield Input(file, path)
            except InputError as exc:
                yield exc
                continue
            if not found:
                yield InputError(f"{path}: no files matching {', '.join(include)}")
        elif path.exists():
            yield Input(path, path)
        elif path.is_symlink():
            yield InputError(f"{path}: symbolic link to nothing (broken, or a loop), skipped")
        else:
            yield InputError(f"{path}: no such file or folder")


# JSONL datasets are told by name; kept here so the CLI can route files
# without importing the JSONL machinery (json, pools) for a plain-text run.
JSONL_PATTERNS = ("*.jsonl", "*.jsonl.gz")


def is_jsonl(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".jsonl") or name.endswith(".jsonl.gz")
