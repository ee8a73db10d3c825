"""Folder discovery: fixed order, hidden folders and .gitignore'd paths skipped, no symlink loops."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaner.errors import InputError
from cleaner.files import Input, discover

TEXT = ("*.txt", "*.md")


def _names(root: Path, **options: bool) -> list[str]:
    found = list(discover([root], TEXT, (), **options))
    assert all(isinstance(item, Input) for item in found), found
    return [item.path.relative_to(root).as_posix() for item in found if isinstance(item, Input)]


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{name}\n")


def test_sorted_and_hidden_folders_skipped(tmp_path: Path) -> None:
    _touch(tmp_path, "b.txt", "a/z.md", "a/b.txt", ".git/x.txt", ".cache/y.txt", "c/.hidden.txt", "c/d.bin")
    assert _names(tmp_path) == ["a/b.txt", "a/z.md", "b.txt"]


def test_gitignore_honoured_at_every_level(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "keep.txt",
        "draft.txt",
        "notes/keep-me.txt",
        "notes/drop.txt",
        "build/out.txt",
        "sub/secret.txt",
        "sub/public.txt",
        "sub/deep/secret.txt",
        "logs/a.txt",
        "logs/important.txt",
    )
    (tmp_path / ".gitignore").write_text(
        "draft.txt\nbuild/\nnotes/*\n!notes/keep-me.txt\nlogs/*\n!important.txt\n"
    )
    (tmp_path / "sub" / ".gitignore").write_text("# a comment\nsecret.txt\n")
    assert _names(tmp_path) == [
        "keep.txt",
        "logs/important.txt",
        "notes/keep-me.txt",
        "sub/public.txt",
    ]


def test_a_deeper_gitignore_can_re_include(tmp_path: Path) -> None:
    _touch(tmp_path, "a/x.txt", "a/y.txt")
    (tmp_path / ".gitignore").write_text("*.txt\n")
    (tmp_path / "a" / ".gitignore").write_text("!y.txt\n")
    assert _names(tmp_path) == ["a/y.txt"]


def test_a_path_named_explicitly_is_taken_even_if_ignored(tmp_path: Path) -> None:
    _touch(tmp_path, "scraped/page.txt")
    (tmp_path / ".gitignore").write_text("scraped/\n")
    found = list(discover([tmp_path / "scraped", tmp_path / "scraped" / "page.txt"], TEXT, ()))
    assert [item.path for item in found if isinstance(item, Input)] == [tmp_path / "scraped" / "page.txt"] * 2


@pytest.mark.parametrize("follow", [False, True])
def test_symlink_loop_terminates(tmp_path: Path, follow: bool) -> None:
    _touch(tmp_path, "a/one.txt", "a/b/two.txt")
    os.symlink("..", tmp_path / "a" / "b" / "up")  # a/b/up -> a: a loop when followed
    os.symlink(tmp_path / "a", tmp_path / "again")  # a second way into a
    names = _names(tmp_path, follow_symlinks=follow)
    assert names == ["a/b/two.txt", "a/one.txt"]


def test_symlinks_followed_only_when_asked(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _touch(outside, "far.txt")
    root = tmp_path / "root"
    _touch(root, "near.txt")
    os.symlink(outside, root / "linked")
    os.symlink(outside / "far.txt", root / "link.txt")
    assert _names(root) == ["near.txt"]
    assert _names(root, follow_symlinks=True) == ["link.txt", "linked/far.txt", "near.txt"]


def test_problems_are_yielded_not_raised(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    found = list(discover([tmp_path / "missing", tmp_path / "empty"], TEXT, ()))
    assert all(isinstance(item, InputError) for item in found)
    assert "no such file" in str(found[0]) and "no files matching" in str(found[1])


def test_a_tree_nested_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    import sys

    folders = [str(tmp_path)]
    for _ in range(sys.getrecursionlimit() + 100):
        folders.append(os.path.join(folders[-1], "d"))
        os.mkdir(folders[-1])
    Path(folders[-1], "deep.txt").write_text("x")
    (tmp_path / "top.txt").write_text("y")
    try:
        found = [item.path.name for item in discover([tmp_path], ["*.txt"], []) if isinstance(item, Input)]
        assert found == ["deep.txt", "top.txt"]
    finally:  # pytest's own clean-up (shutil.rmtree) recurses: take the tree down from the bottom
        os.remove(os.path.join(folders[-1], "deep.txt"))
        for folder in reversed(folders[1:]):
            os.rmdir(folder)


def test_a_symlink_loop_named_on_the_command_line_is_reported_as_such(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    (problem,) = list(discover([loop], ["*.txt"], []))
    assert isinstance(problem, InputError)
    assert "broken, or a loop" in str(problem)
