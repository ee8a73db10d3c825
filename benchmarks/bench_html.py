"""HTML pages per second: extraction + cleaning of generated news-like pages.

Pages are built here (navigation, a cookie banner, an article of prose
paragraphs, a sidebar of links, teaser cards, comments, a footer), about the
size of a real news page (~150 KB with inline scripts and styles). Two
figures: in-process (``clean_html`` in a loop) and one CLI call on a folder,
start-up included, as the dev-set evaluation measures it.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner.config import Config
from cleaner.runner import clean_html

PAGES = 60
VOCABULARY = (
    "the council river school budget report city market street water night public plan road "
    "year people said would could after before during between against because however while"
)
WORDS = VOCABULARY.split(" ")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + rng.choice([".", ".", ",", "?"])


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def make_page(seed: int) -> bytes:
    rng = random.Random(seed)
    script = "<script>" + "var x = {a: 1, b: [1, 2, 3]};\n" * 1500 + "</script>"
    style = "<style>" + ".c { margin: 0 auto; padding: 1px; }\n" * 800 + "</style>"
    links = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(40))
    nav = f"<nav><ul>{links}</ul></nav>"
    cookie = f'<div class="cookie-consent"><p>{paragraph(rng)}</p><button>OK</button></div>'
    body = "".join(
        f"<p>{paragraph(rng)}</p>" if i % 6 else f"<h2>{sentence(rng)}</h2>"
        for i in range(rng.randint(15, 35))
    )
    article = f'<article class="story"><h1>{sentence(rng)}</h1><div class="story-body">{body}</div></article>'
    sidebar = (
        '<aside class="sidebar"><ul>'
        + "".join(f'<li><a href="/r{i}">{sentence(rng)}</a></li>' for i in range(30))
        + "</ul></aside>"
    )
    cards = (
        "<section>"
        + "".join(
            f'<div class="card"><h3><a href="/c{i}">{sentence(rng)}</a></h3><p>{paragraph(rng)}</p></div>'
            for i in range(12)
        )
        + "</section>"
    )
    comments = '<div id="comments">' + "".join(f"<p>{paragraph(rng)}</p>" for _ in range(10)) + "</div>"
    footer = "<footer>" + "".join(f'<a href="/f{i}">Footer link {i}</a> ' for i in range(60)) + "</footer>"
    head = f"<meta charset='utf-8'><title>Page {seed}</title>{style}{script}"
    body = f"{cookie}{nav}<div class='layout'>{article}{sidebar}</div>{cards}{comments}{footer}"
    html = f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"
    return html.encode()


def main() -> None:
    pages = [make_page(seed) for seed in range(PAGES)]
    size = sum(map(len, pages))
    config = Config()
    clean_html(pages[0], "warm-up", config)
    started = time.perf_counter()
    for n, data in enumerate(pages):
        clean_html(data, f"page{n}.html", config)
    in_process = time.perf_counter() - started

    folder = Path(tempfile.mkdtemp(prefix="cleaner-bench-html-"))
    try:
        (folder / "in").mkdir()
        for n, data in enumerate(pages):
            (folder / "in" / f"page{n}.html").write_bytes(data)
        cli = Path(sys.executable).with_name("cleaner")
        started = time.perf_counter()
        subprocess.run(
            [str(cli), "clean", str(folder / "in"), "--output-dir", str(folder / "out"), "-q"], check=True
        )
        one_call = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{PAGES} generated pages, {size / PAGES / 1024:.0f} KB each on average")
    print(f"{'measure':<32} {'docs/s':>8} {'MB/s':>7}")
    print(f"{'in-process (clean_html)':<32} {PAGES / in_process:8.1f} {size / 1e6 / in_process:7.1f}")
    print(f"{'one CLI call, start-up incl.':<32} {PAGES / one_call:8.1f} {size / 1e6 / one_call:7.1f}")
    print("(timings on a shared machine are noisy; compare runs made one after the other)")


if __name__ == "__main__":
    main()
