"""Which files a command reads: each file once, however it is named; two files with one text are two."""

import os
from pathlib import Path

import pytest

from commentscope.errors import InputError
from commentscope.readers.paths import STDIN, check_distinct_sources, expand, split_root


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    (tmp_path / "pages").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "pages" / name).write_text(f"page {name}\n", encoding="utf-8")
    return tmp_path


def test_the_same_file_named_twice_is_read_once(pages: Path, monkeypatch):
    monkeypatch.chdir(pages)
    found = expand(["pages/a.txt", "pages/b.txt", "pages/a.txt", "./pages/a.txt", "pages/../pages/b.txt"])
    assert found.files == ["pages/a.txt", "pages/b.txt"]
    assert found.repeated == [
        ("pages/a.txt", "pages/a.txt"),
        ("./pages/a.txt", "pages/a.txt"),
        ("pages/../pages/b.txt", "pages/b.txt"),
    ]
    assert found.passed_over == []


def test_a_folder_and_a_file_in_it(pages: Path, monkeypatch):
    monkeypatch.chdir(pages)
    found = expand(["pages/b.txt", "pages"])
    assert found.files == ["pages/b.txt", "pages/a.txt"]
    assert found.repeated == [(os.path.join("pages", "b.txt"), "pages/b.txt")]
    assert expand(["pages", "pages"]).files == [os.path.join("pages", "a.txt"), os.path.join("pages", "b.txt")]


def test_links_lead_to_the_same_file(pages: Path):
    target = pages / "pages" / "a.txt"
    (pages / "soft.txt").symlink_to(target)
    os.link(target, pages / "hard.txt")
    found = expand([str(target), str(pages / "soft.txt"), str(pages / "hard.txt")])
    assert found.files == [str(target)]
    assert [path for path, _ in found.repeated] == [str(pages / "soft.txt"), str(pages / "hard.txt")]


def test_two_files_with_the_same_text_are_both_read(pages: Path):
    copy = pages / "copy.txt"
    copy.write_bytes((pages / "pages" / "a.txt").read_bytes())
    found = expand([str(pages / "pages" / "a.txt"), str(copy)])
    assert found.files == [str(pages / "pages" / "a.txt"), str(copy)]
    assert found.repeated == []


def test_globs_meet_named_files(pages: Path, monkeypatch):
    monkeypatch.chdir(pages)
    found = expand(["pages/a.txt", "pages/*.txt"])
    assert found.files == ["pages/a.txt", "pages/b.txt"]
    assert found.repeated == [("pages/a.txt", "pages/a.txt")]


def test_standard_input_once_missing_files_as_given(pages: Path):
    found = expand([STDIN, STDIN, "missing.txt", "missing.txt"])
    assert found.files == [STDIN, "missing.txt", "missing.txt"]  # loading reports the missing file
    assert found.repeated == [(STDIN, STDIN)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_twice_is_read_as_given(pages: Path):
    fifo = pages / "pipe"
    os.mkfifo(fifo)
    assert expand([str(fifo), str(fifo)]).files == [str(fifo), str(fifo)]


def test_colliding_page_names_name_both_inputs():
    check_distinct_sources([("a.txt", "a.txt"), ("out.jsonl", "b.txt"), ("out.jsonl", "c.txt")])
    with pytest.raises(InputError) as error:
        check_distinct_sources([("out.jsonl", "a.txt"), ("out.jsonl", "b.txt"), ("a.txt", "a.txt")])
    assert str(error.value) == (
        "out.jsonl and a.txt both hold a page named 'a.txt', so their comment ids collide; read them apart"
    )


@pytest.mark.parametrize(
    ("text", "sources", "expected"),
    [
        ("1.2", ["a.txt"], (None, "c1.2")),  # spelled as the outputs spell it
        ("c1.2", ["a.txt"], (None, "c1.2")),
        ("a.txt:1.2", ["a.txt"], (None, "c1.2")),
        ("b.txt:1.2", ["a.txt", "b.txt"], ("b.txt", "c1.2")),
        ("1.2", ["a.txt", "b.txt"], (None, "c1.2")),  # the tree looks on every page
        ("b.txt:1.2", ["pages/a.txt", "pages/b.txt"], ("pages/b.txt", "c1.2")),  # an ending after a /
        ("https://x.org/p:7", ["https://x.org/p", "https://x.org/q"], ("https://x.org/p", "c7")),
        ("out.jsonl#t3_x:t1_y", ["out.jsonl#t3_x", "out.jsonl#t3_z"], ("out.jsonl#t3_x", "t1_y")),
        ("a:b:c", ["a", "a:b"], ("a:b", "c")),  # the longest page name that fits
        ("t1:abc", ["a.txt", "b.txt"], (None, "t1:abc")),  # no such page: an id with a colon
    ],
)
def test_split_root(text, sources, expected):
    assert split_root(text, sources) == expected


def test_split_root_refuses_an_ending_two_pages_share():
    with pytest.raises(InputError, match=r"--root 'a.txt:1': 'a.txt' could be any of x/a.txt, y/a.txt; give more"):
        split_root("a.txt:1", ["x/a.txt", "y/a.txt"])
