"""Site profiles: learn -> commit -> clean round trip, from the CLI and from a config file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.config import load_config
from cleaner.detectors.site import format_profile, parse_profile

SITE_LINES = [
    "Share this article",
    "Follow Example News on Twitter",
    "© 2024 Example News. All rights reserved.",
]


def _article(n: int) -> str:
    body = [
        f"Headline number {n} about the council",
        f"The council met on day {n} and agreed on item {n * 3}, after a long debate.",
        f"Residents of ward {n} said they would wait and see what the decision means for them.",
    ]
    return "\n\n".join([*body, *SITE_LINES]) + "\n"


def _site(root: Path, pages: int = 6) -> Path:
    folder = root / "site"
    folder.mkdir()
    for n in range(pages):
        (folder / f"{n}.txt").write_text(_article(n), encoding="utf-8")
    return folder


def test_learn_then_clean_removes_the_site_lines_only(isolated: Path) -> None:
    site = _site(isolated)
    runner = CliRunner()
    learned = runner.invoke(app, ["learn", str(site), "-o", "site.profile"])
    assert learned.exit_code == 0, learned.output
    profile = (isolated / "site.profile").read_text(encoding="utf-8")
    assert parse_profile(profile) == {
        "share this article",
        "follow example news on twitter",
        "© 2024 example news. all rights reserved",
    }
    keys = [line for line in profile.splitlines() if not line.startswith("#")]
    assert keys == sorted(keys)  # diff-friendly: one per line, sorted
    assert "from 6 file(s)" in profile  # the header says what it was learned from

    result = runner.invoke(app, ["clean", str(site), "--profile", "site.profile", "--output-dir", "out"])
    assert result.exit_code == 0, result.output
    for n in range(6):
        cleaned = (isolated / "out" / f"{n}.txt").read_text(encoding="utf-8")
        assert cleaned == _article(n).split("\n\nShare this article")[0] + "\n"
    again = runner.invoke(app, ["clean", "out", "--profile", "site.profile", "--check"])
    assert again.exit_code == 0, again.output  # idempotent


def test_profile_in_config_is_relative_to_the_config_file(isolated: Path, monkeypatch) -> None:
    project = isolated / "project"
    (project / "conf").mkdir(parents=True)
    (project / "conf" / "site.profile").write_text(
        format_profile(["picked for you by the example desk"]), encoding="utf-8"
    )
    (project / "conf" / "cleaner.toml").write_text('profile = "site.profile"\n')
    page = isolated / "page.txt"
    page.write_text("Real words of a real article, long enough.\n\nPicked for you by the Example desk\n")
    elsewhere = isolated / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config(project / "conf" / "cleaner.toml")
    assert config.profile_keys == {"picked for you by the example desk"}
    result = CliRunner().invoke(
        app, ["clean", str(page), "-vv", "--config", str(project / "conf" / "cleaner.toml")]
    )
    assert result.exit_code == 0, result.output
    assert page.read_text() == "Real words of a real article, long enough.\n"
    assert "boilerplate:site" in result.stderr


def test_missing_profile_is_a_usage_error(isolated: Path) -> None:
    (isolated / "a.txt").write_text("text\n")
    result = CliRunner().invoke(app, ["clean", "a.txt", "--profile", "nope.profile"])
    assert result.exit_code == 2
    assert "nope.profile" in result.stderr


def test_profile_file_round_trips_keys_that_look_like_comments() -> None:
    keys = ["#hashtag of the day", "\\ backslash first", "plain"]
    text = format_profile(keys)
    assert parse_profile(text) == set(keys)
    assert parse_profile("# comment\n\n  Share This Article:  \n") == {"share this article"}


def test_cross_file_learns_from_the_run_itself(isolated: Path) -> None:
    site = _site(isolated)
    runner = CliRunner()
    # The page-level rules would catch these lines by their wording; switched off,
    # only the evidence of the other files in the run remains.
    plain = runner.invoke(app, ["clean", str(site), "--check", "--no-boilerplate"])
    assert plain.exit_code == 0  # nothing on a single page says these lines are boilerplate
    crossed = runner.invoke(
        app, ["clean", str(site), "--no-boilerplate", "--cross-file", "--output-dir", "out", "--jobs", "2"]
    )
    assert crossed.exit_code == 0, crossed.output
    assert (isolated / "out" / "0.txt").read_text() == _article(0).split("\n\nShare this article")[0] + "\n"


def test_cross_file_never_needed_for_one_file(isolated: Path) -> None:
    page = isolated / "one.txt"
    page.write_text(_article(1))
    result = CliRunner().invoke(app, ["clean", str(page), "--no-boilerplate", "--cross-file", "--check"])
    assert result.exit_code == 0, result.output  # one document: no line recurs on 3 pages
