"""A big page's comment list read a piece at a time (``html_pieces``) gives what the whole page's
tree gives, to the last problem and count; markup whose parse could differ across a cut is read
whole. Pieces are forced on small pages here by cutting before every top-level comment."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentscope.readers import html as html_reader
from commentscope.readers import html_pieces, load_threads

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "html"
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_html import page as generated_page  # noqa: E402

#: Fragments that change how what follows them parses, or that swallow it.
_NASTY = [
    "<b>",
    "<a href='#x'>",
    "<i>",
    "</p>",
    "<p>",
    "</li>",
    "<li>",
    "</ol>",
    "<ol class='children'>",
    "</div>",
    "<div>",
    "<table><tr><td>",
    "<form>",
    "<!--",
    "<script>",
    "<textarea>",
    "<select>",
    "<svg>",
    "<template>",
    "<plaintext>",
    "<body class='late'>",
    "</body>",
    "<html lang='xx'>",
    "<span title='<li class=\"comment\">'>",
    "<li class='comment' id='comment-999'>",
    "&amp;",
    "\r",
    "<h1>A late title</h1>",
    "<a rel='author'>A late byline</a>",
    "<article><time datetime='2020-01-01'>a late date</time></article>",
    "<h2 class='comments-title'>3 comments</h2>",
    "<main>",
    "</main>",
    "<div id='comments'>",
]


def read(path: Path) -> tuple[pd.DataFrame, list[str], dict[str, int], str, str | None]:
    (thread,) = load_threads(path, lenient=True)
    return (
        thread.comments,
        [repr(problem) for problem in thread.problems],
        dict(thread.diagnostics.counts),
        repr(thread.article),
        thread.timezone,
    )


def whole_and_pieces(path: Path) -> tuple[tuple, tuple, int]:
    """The page read whole and in pieces (a cut before every top-level comment), and the pieces read."""
    pieces = 0
    check = html_pieces.check_piece

    def counted(*args: object) -> object:
        nonlocal pieces
        pieces += 1
        return check(*args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html_pieces, "MIN_BYTES", 10**12)
        whole = read(path)
        patch.setattr(html_pieces, "MIN_BYTES", 0)
        patch.setattr(html_pieces, "PIECE_BYTES", 1)
        patch.setattr(html_pieces, "check_piece", counted)
        patch.setattr(html_reader, "spare_cores", lambda limit: 1)  # every piece here, where it is counted
        in_pieces = read(path)
    return whole, in_pieces, pieces


def in_processes(path: Path, parts: int) -> tuple:
    """The page read in pieces (a cut before every top-level comment), shared among ``parts`` processes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html_pieces, "MIN_BYTES", 0)
        patch.setattr(html_pieces, "PIECE_BYTES", 1)
        patch.setattr(html_reader, "spare_cores", lambda limit: parts)
        return read(path)


def assert_same(whole: tuple, in_pieces: tuple) -> None:
    pd.testing.assert_frame_equal(whole[0], in_pieces[0])
    assert whole[1:] == in_pieces[1:]


def test_a_generated_page_reads_the_same_in_pieces(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("".join(generated_page(300, seed=3)), encoding="utf-8")
    whole, in_pieces, pieces = whole_and_pieces(path)
    assert_same(whole, in_pieces)
    assert pieces > 20  # read in pieces indeed, not whole after a failed check
    assert len(whole[0]) == 300


@pytest.mark.parametrize("sample", sorted(path.name for path in SAMPLES.glob("*.html")))
def test_every_sample_reads_the_same_in_pieces(sample: str) -> None:
    whole, in_pieces, _ = whole_and_pieces(SAMPLES / sample)
    assert_same(whole, in_pieces)


def test_the_pieces_shared_among_forked_processes_read_as_in_one(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    markup = "".join(generated_page(120, seed=4))
    # a block that holds nothing, last: it is skipped and reported, once the parts are joined
    ending = "</ol>\n</div></main>"
    assert markup.count(ending) == 1
    markup = markup.replace(ending, '<li class="comment depth-1" id="comment-x"></li>' + ending)
    path.write_text(markup, encoding="utf-8")
    whole, in_pieces, _ = whole_and_pieces(path)
    assert_same(whole, in_pieces)
    for parts in (2, 3, 200):  # more parts than pieces: one piece each
        assert_same(in_pieces, in_processes(path, parts))
    assert any("skipped" in problem for problem in in_pieces[1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(insertions=st.lists(st.tuples(st.integers(0, 20_000), st.sampled_from(_NASTY)), min_size=1, max_size=4))
def test_markup_that_parses_differently_across_a_cut_is_read_whole_or_alike(
    insertions: list[tuple[int, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    markup = "".join(generated_page(12, seed=5))
    for offset, fragment in sorted(insertions, reverse=True):  # anywhere: before, in or after the list
        at = offset % len(markup)
        markup = markup[:at] + fragment + markup[at:]
    path = tmp_path_factory.mktemp("pieces") / "page.html"
    path.write_text(markup, encoding="utf-8", newline="")
    whole, in_pieces, _ = whole_and_pieces(path)
    assert_same(whole, in_pieces)


def test_a_page_without_the_standard_doctype_is_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_pieces, "MIN_BYTES", 0)
    monkeypatch.setattr(html_pieces, "PIECE_BYTES", 1)
    page = "".join(generated_page(5, seed=1))
    assert html_pieces.cut(page.encode()) is not None
    assert html_pieces.cut(page.replace("<!DOCTYPE html>", "").encode()) is None


def test_a_comment_outside_the_list_has_the_page_read_whole(tmp_path: Path) -> None:
    page = "".join(generated_page(30, seed=1))
    path = tmp_path / "page.html"
    path.write_text(page.replace("</main>", '<ol class="commentlist"><li class="comment">x</li></ol></main>'))
    whole, in_pieces, pieces = whole_and_pieces(path)
    assert_same(whole, in_pieces)
    assert pieces == 0
    assert html_reader.FAMILIES[0].name == "wordpress"  # the family the pieces are read as


def test_jobs_limits_the_processes_a_big_page_is_shared_among(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "page.html"
    path.write_text("".join(generated_page(40, seed=2)), encoding="utf-8")
    monkeypatch.setattr(html_pieces, "MIN_BYTES", 0)
    monkeypatch.setattr(html_pieces, "PIECE_BYTES", 1)
    monkeypatch.setattr("commentscope.parallel.os.sched_getaffinity", lambda pid: {0, 1, 2, 3})
    shared: list[int] = []
    share = html_reader.in_processes

    def counted(work: object, parts: list[range]) -> object:
        shared.append(len(parts))
        return share(work, parts)  # type: ignore[arg-type]

    monkeypatch.setattr(html_reader, "in_processes", counted)
    frames = [load_threads(path, processes=jobs)[0].comments for jobs in (1, 2, None)]
    assert shared == [1, 2, 4]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])


@pytest.mark.parametrize("parts", [1, 3])
def test_without_texts_a_comment_of_text_alone_is_kept_in_pieces(tmp_path: Path, parts: int) -> None:
    path = tmp_path / "page.html"
    markup = "".join(generated_page(40, seed=2))
    ending = "</ol>\n</div></main>"
    text_alone = '<li class="comment depth-1" id="comment-x"><div class="comment-content"><p>only words</p></div></li>'
    path.write_text(markup.replace(ending, text_alone + ending), encoding="utf-8")
    whole = load_threads(path, texts=False)[0]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html_pieces, "MIN_BYTES", 0)
        patch.setattr(html_pieces, "PIECE_BYTES", 1)
        patch.setattr(html_reader, "spare_cores", lambda limit: parts)
        in_pieces = load_threads(path, texts=False)[0]
    assert len(whole.comments) == 41  # the page declares the 40 others: nothing skipped
    pd.testing.assert_frame_equal(whole.comments, in_pieces.comments)
    kinds = ["html_dates_not_found", "count_mismatch"]  # the comment of text alone shows no date
    assert [p.kind for p in in_pieces.problems] == [p.kind for p in whole.problems] == kinds
    assert in_pieces.comments["words"].iloc[-1] == 2
    assert (in_pieces.comments["text"] == "").all()


def test_jobs_1_keeps_a_big_page_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from commentscope.cli import app

    path = tmp_path / "page.html"
    path.write_text("".join(generated_page(40, seed=2)), encoding="utf-8")
    monkeypatch.setattr(html_pieces, "MIN_BYTES", 0)
    monkeypatch.setattr(html_pieces, "PIECE_BYTES", 1)
    monkeypatch.setattr("commentscope.parallel.os.sched_getaffinity", lambda pid: {0, 1})

    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr("commentscope.parallel.os.fork", no_fork)
    for command in ("stats", "check", "comments"):
        result = CliRunner().invoke(app, [command, str(path), "-j", "1", "-f", "csv"])
        assert result.exit_code in (0, 1), (command, result.output)
        assert "forked" not in result.output and result.stdout.count("\n") > 1
    everywhere = CliRunner().invoke(app, ["stats", str(path), "-f", "csv"])  # the check itself can fail
    assert everywhere.exit_code == 70 and "forked" in everywhere.output
