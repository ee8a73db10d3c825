"""files.py and encoding.py: encodings and newlines written back as they were; atomic, checked writes."""

from __future__ import annotations

import codecs
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import clean_bytes
from cleaner.encoding import decode
from cleaner.errors import BinaryFileError, ChangedOnDiskError, DecodeError, InputError, WriteError
from cleaner.files import TEMP_SUFFIX, atomic_write, discover, read_source, remove_stale_temps

from .conftest import dead_pid

TITLE = "Élan vital: the café owners’ year"
PARA = (
    "Le café était plein à craquer ce matin-là, raconte la propriétaire, "
    "et la file d’attente débordait sur le trottoir jusqu’à midi."
)
OTHER = "Plus tard, les habitués sont revenus pour goûter la crème brûlée et le thé glacé de la maison."
FOOTER = "Leave a Reply"


def dirty(sep: str = "\n\n", end: str = "\n") -> str:
    return sep.join([TITLE, PARA, PARA, FOOTER, OTHER]) + end


def cleaned(sep: str = "\n\n", end: str = "\n") -> str:
    return sep.join([TITLE, PARA, OTHER]) + end


def names_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# --- encodings --------------------------------------------------------------

# (encoding to write with, BOM, label the report must show)
ENCODINGS = [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8 with BOM"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le with BOM"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be with BOM"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le with BOM"),
    ("utf-32-be", codecs.BOM_UTF32_BE, "utf-32-be with BOM"),
    ("cp1252", b"", "cp1252"),
]


@pytest.mark.parametrize(("encoding", "bom", "label"), ENCODINGS, ids=[e[2] for e in ENCODINGS])
def test_each_encoding_is_read_and_written_back_in_itself(encoding: str, bom: bytes, label: str) -> None:
    data = bom + dirty().encode(encoding)
    assert decode(data, "x").label == label
    assert clean_bytes(data) == bom + cleaned().encode(encoding)


def test_latin1_text_is_read_as_windows_1252_and_kept_byte_for_byte() -> None:
    data = dirty().replace("’", "'").encode("latin-1")
    assert decode(data, "x").encoding == "cp1252"
    assert clean_bytes(data) == cleaned().replace("’", "'").encode("latin-1")


@pytest.mark.parametrize(
    ("paragraph", "last", "encoding"),
    [
        (
            "Привет! Это длинный тестовый абзац на русском языке о погоде, ценах и новостях города.",
            "Конец этой истории мы расскажем завтра, когда станут известны новые подробности.",
            "cp1251",
        ),
        (
            "これは日本語のテキストです。天気と新しいニュースについての段落です。",
            "明日はこの話の続きと新しい詳細についてお伝えします。",
            "shift_jis",
        ),
    ],
    ids=["cp1251", "shift_jis"],
)
def test_other_legacy_encodings_round_trip(paragraph: str, last: str, encoding: str) -> None:
    data = "\n\n".join([paragraph, paragraph, "Leave a Reply", last]).encode(encoding) + b"\n"
    source = decode(data, "x")
    assert source.encode(source.text) == data
    assert clean_bytes(data) == (paragraph + "\n\n" + last + "\n").encode(encoding)


def test_undecodable_bytes_are_kept_exactly_never_replaced() -> None:
    kept = "Ein Absatz über Größe, Maße und Gewürze, mit einem kaputten Byte: ".encode() + b"\xff\xfe!"
    last = "Schluss für heute, und morgen geht es mit der Geschichte weiter.".encode()
    data = b"\n\n".join([kept, kept, b"Leave a Reply", last]) + b"\n"
    source = decode(data, "x")
    assert source.encoding == "utf-8" and source.undecodable == 4
    out = clean_bytes(data)
    assert out == kept + b"\n\n" + last + b"\n"
    assert b"\xef\xbf\xbd" not in out  # U+FFFD


def test_lone_surrogates_in_utf16_are_kept() -> None:
    alpha = "Alpha paragraph opens the story with a whole sentence of text."
    omega = "Omega paragraph closes it with another sentence and a lone \ud800 surrogate."
    body = f"{alpha}\n\nLeave a Reply\n\n{omega}\n".encode("utf-16-le", "surrogatepass")
    data = codecs.BOM_UTF16_LE + body
    out = clean_bytes(data)
    expected = f"{alpha}\n\n{omega}\n".encode("utf-16-le", "surrogatepass")
    assert out == codecs.BOM_UTF16_LE + expected


def test_undeterminable_encoding_is_refused_with_a_clear_message() -> None:
    with pytest.raises(DecodeError, match="cannot tell which encoding"):
        decode(bytes(range(0x80, 0x100)) + b"\n", "garbage.txt")


def test_nul_bytes_are_binary() -> None:
    with pytest.raises(BinaryFileError, match="binary"):
        decode(b"PNG\x00\x01\x02 header\n", "blob.txt")


def test_utf16_with_odd_length_is_not_guessed() -> None:
    with pytest.raises(InputError):
        decode(codecs.BOM_UTF16_LE + "hi".encode("utf-16-le") + b"x", "odd.txt")


def test_utf8_first_so_plain_ascii_and_utf8_never_reach_the_detector() -> None:
    assert decode(b"plain ascii\n", "x").label == "utf-8"
    assert decode("naïve\n".encode(), "x").label == "utf-8"


# --- newlines ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sep", "end"),
    [("\n\n", "\n"), ("\r\n\r\n", "\r\n"), ("\r\r", "\r"), ("\n\n", ""), ("\r\n\r\n", ""), ("\n", "\n")],
    ids=["lf", "crlf", "cr", "lf-no-final", "crlf-no-final", "lines"],
)
def test_newline_style_and_missing_final_newline_are_kept(sep: str, end: str) -> None:
    assert clean_bytes(dirty(sep, end).encode()) == cleaned(sep, end).encode()


def test_mixed_newlines_keep_each_kept_separator() -> None:
    text = f"{TITLE}\r\n\r\n{PARA}\n\n{PARA}\r\r{FOOTER}\n\n{OTHER}"
    assert clean_bytes(text.encode()) == f"{TITLE}\r\n\r\n{PARA}\n\n{OTHER}".encode()


def test_last_block_removed_without_final_newline() -> None:
    text = f"{TITLE}\n\n{PARA}\n\n{PARA}"
    assert clean_bytes(text.encode()) == f"{TITLE}\n\n{PARA}".encode()


def test_crlf_utf16_round_trip() -> None:
    data = codecs.BOM_UTF16_BE + dirty("\r\n\r\n", "\r\n").encode("utf-16-be")
    assert clean_bytes(data) == codecs.BOM_UTF16_BE + cleaned("\r\n\r\n", "\r\n").encode("utf-16-be")


# --- reading ----------------------------------------------------------------


def test_read_source_remembers_the_file_state(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello\n")
    source = read_source(path)
    assert source.text == "hello\n" and source.origin is not None


def test_read_refuses_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    with pytest.raises(InputError, match=r"too large \(100 bytes, limit 99 bytes\)"):
        read_source(path, max_bytes=99)
    assert read_source(path, max_bytes=100).text == "x" * 100


# --- writing ----------------------------------------------------------------


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")
    atomic_write(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert names_in(tmp_path) == ["a.txt"]


@pytest.mark.parametrize("mode", [0o640, 0o755, 0o600, 0o4644 & 0o7777])
def test_mode_is_preserved(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")
    os.chmod(path, mode)
    atomic_write(path, b"new\n")
    assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_owner_and_group_are_preserved(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")
    os.chown(path, 12345, 23456)
    atomic_write(path, b"new\n")
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (12345, 23456)


def test_owner_that_cannot_be_kept_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")
    real = os.stat(path)

    def fchown(fd: int, uid: int, gid: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", fchown)
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: _owned_by_other(real) if Path(p) == path else _stat(p))
    with pytest.raises(WriteError, match="owner"):
        atomic_write(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert names_in(tmp_path) == ["a.txt"]


_stat = os.stat


def _owned_by_other(info: os.stat_result) -> os.stat_result:
    fields = list(info)
    fields[stat.ST_UID] = info.st_uid + 1
    return os.stat_result(fields)


def test_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_write(link, b"new\n")
    assert link.is_symlink() and real.read_bytes() == b"new\n"


def test_file_changed_since_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")
    source = read_source(path)
    path.write_bytes(b"edited meanwhile\n")
    with pytest.raises(ChangedOnDiskError, match="changed on disk"):
        atomic_write(path, b"cleaned\n", expect=source.origin)  # type: ignore[arg-type]
    assert path.read_bytes() == b"edited meanwhile\n"
    assert names_in(tmp_path) == ["a.txt"]


def test_same_size_same_mtime_edit_is_still_caught(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")
    before = path.stat()
    source = read_source(path)
    path.write_bytes(b"new\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(ChangedOnDiskError):
        atomic_write(path, b"cleaned\n", expect=source.origin)  # type: ignore[arg-type]
    assert path.read_bytes() == b"new\n"


def test_read_only_file_is_reported_not_written(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o444)
    with pytest.raises(WriteError, match="read-only"):
        atomic_write(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert names_in(tmp_path) == ["a.txt"]


@pytest.mark.parametrize("fail_at", ["fsync", "write", "replace"])
def test_failed_write_leaves_original_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if fail_at == "write":
        real_fdopen = os.fdopen

        def fdopen(fd: int, mode: str) -> object:
            handle = real_fdopen(fd, mode)
            return _DiskFull(handle)

        monkeypatch.setattr(os, "fdopen", fdopen)
    else:
        monkeypatch.setattr(os, fail_at, boom)
    with pytest.raises(WriteError, match="No space left"):
        atomic_write(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert names_in(tmp_path) == ["a.txt"]


class _DiskFull:
    """A file whose writes fail halfway, as on a full disk."""

    def __init__(self, handle: object) -> None:
        self.handle = handle

    def __enter__(self) -> _DiskFull:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()  # type: ignore[attr-defined]

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")


def test_interrupt_during_write_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert names_in(tmp_path) == ["a.txt"]


def test_folder_without_write_permission_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root ignores permission bits, so the refusal the kernel would give is simulated.
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    real_open = os.open

    def refuse_temp(file: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if os.fspath(file).endswith(TEMP_SUFFIX):
            refuse()
        return real_open(file, flags, mode)

    monkeypatch.setattr(os, "open", refuse_temp)
    with pytest.raises(WriteError, match="Permission denied"):
        atomic_write(path, b"new\n")
    assert path.read_bytes() == b"old\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits")
def test_real_read_only_folder_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "a.txt"
    path.write_bytes(b"old\n")
    folder.chmod(0o555)
    try:
        with pytest.raises(WriteError):
            atomic_write(path, b"new\n")
        assert path.read_bytes() == b"old\n"
    finally:
        folder.chmod(0o755)


def test_long_file_name_still_gets_a_temp_file(tmp_path: Path) -> None:
    path = tmp_path / ("é" * 120 + ".txt")  # 244 bytes: the temp name must be shortened
    path.write_bytes(b"old\n")
    atomic_write(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert names_in(tmp_path) == [path.name]


# --- stale temp files -------------------------------------------------------


def test_stale_temp_of_a_dead_writer_is_removed_live_one_kept(tmp_path: Path) -> None:
    stale = tmp_path / f".a.txt.0123456789ab.{dead_pid()}{TEMP_SUFFIX}"
    live = tmp_path / f".b.txt.ba9876543210.{os.getpid()}{TEMP_SUFFIX}"
    other = tmp_path / ".notes.txt"
    users = tmp_path / f".mine.{dead_pid()}{TEMP_SUFFIX}"  # not our pattern: never touched
    for path in (stale, live, other, users):
        path.write_bytes(b"partial")
    assert remove_stale_temps(tmp_path) == [stale]
    assert names_in(tmp_path) == sorted([live.name, other.name, users.name])


def test_discovery_never_yields_temp_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x\n")
    (tmp_path / f".a.txt.0123456789ab.1{TEMP_SUFFIX}").write_text("partial")
    (tmp_path / f".a.txt.0123456789ab.1{TEMP_SUFFIX}.txt").write_text("partial")
    found = list(discover([tmp_path], ["*"], []))
    assert [getattr(f, "path", f) for f in found] == [tmp_path / "a.txt"]


def test_detector_is_not_imported_for_utf8(tmp_path: Path) -> None:
    # The CLI is a commit hook: charset-normalizer (~15 ms) loads only for non-UTF-8 files.
    import subprocess
    import sys

    code = (
        "import sys; from cleaner.cli import app; from cleaner import clean_bytes; "
        "clean_bytes('naïve text\\n'.encode()); print('charset_normalizer' in sys.modules); "
        "clean_bytes('caf\\xe9 cr\\xe8me\\n'.encode('cp1252')); print('charset_normalizer' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_interrupt_right_after_the_temp_file_is_created_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A signal handler runs as soon as open() returns: the file exists, its fd is not yet ours.
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")
    real_open = os.open

    def open_then_interrupted(file: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        fd = real_open(file, flags, mode)
        if os.fspath(file).endswith(TEMP_SUFFIX):
            os.close(fd)
            raise KeyboardInterrupt
        return fd

    monkeypatch.setattr(os, "open", open_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, b"new\n")
    assert names_in(tmp_path) == ["a.txt"]
    assert path.read_bytes() == b"old\n"


def test_temp_name_clash_keeps_the_other_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old\n")
    monkeypatch.setattr(os, "urandom", lambda n: b"\x00" * n)
    theirs = tmp_path / f".a.txt.{'00' * 6}.{os.getpid()}{TEMP_SUFFIX}"
    theirs.write_bytes(b"another writer's data")
    with pytest.raises(WriteError, match="File exists"):
        atomic_write(path, b"new\n")
    assert theirs.read_bytes() == b"another writer's data"
    assert path.read_bytes() == b"old\n"


def test_new_files_follow_the_umask_read_without_changing_it(tmp_path: Path) -> None:
    # Run in a child process: the umask is read once per process and kept.
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "os.umask(0o027)\n"
        "from cleaner.files import atomic_write, process_umask\n"
        "assert process_umask() == 0o027, oct(process_umask())\n"
        "assert os.umask(0o027) == 0o027  # reading it left it as it was\n"
        "target = Path(sys.argv[1])\n"
        "atomic_write(target, b'text\\n')\n"
        "print(oct(target.stat().st_mode & 0o777))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "new.txt")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0o640"
