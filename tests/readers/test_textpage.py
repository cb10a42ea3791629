"""The rules of docs/format.md, one at a time, on small pages written in the tests."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import commentscope
from commentscope.errors import InputError, ParseError
from commentscope.readers.textpage import parse_page


def page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def tree(text: str) -> list[tuple]:
    comments = parse_page(text, "t").comments
    return list(zip(comments["id"], comments["parent_id"].fillna("-"), comments["depth"], strict=True))


def test_indentation_step_is_read_from_the_page_not_assumed() -> None:
    four_spaces = page(
        "    1. Ann",
        "        January 1, 2020 at 10:00",
        "        Top.",
        "        • Bob",
        "            January 1, 2020 at 11:00",
        "            Reply.",
        "            • Cy",
        "                January 1, 2020 at 12:00",
        "                Deeper.",
        "        • Dee",
        "            January 1, 2020 at 13:00",
        "            Second reply.",
    )
    assert tree(four_spaces) == [("c1", "-", 0), ("c1.1", "c1", 1), ("c1.1.1", "c1.1", 2), ("c1.2", "c1", 1)]


def test_list_like_body_lines_are_not_comments_without_a_date() -> None:
    text = page(
        "  1. Ann",
        "    January 1, 2020 at 10:00",
        "",
        "    My list:",
        "    1. first point",
        "    • second point",
        "      • indented point",
        "    2. third point",
    )
    thread = parse_page(text, "t")
    assert len(thread.comments) == 1
    assert thread.comments["text"][0] == (
        "My list:\n1. first point\n• second point\n  • indented point\n2. third point"
    )


def test_anonymous_comment_has_its_date_on_the_marker_line() -> None:
    thread = parse_page(page("  1. January 24, 2019 at 07:36", "", "    Signed, Michael"), "t")
    assert thread.comments["author"].isna().tolist() == [True]
    assert str(thread.comments["timestamp"][0]) == "2019-01-24 07:36:00"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("January 24, 2019 at 07:36", "2019-01-24 07:36:00"),
        ("January 24, 2019 at 7:36 am", "2019-01-24 07:36:00"),
        ("January 24, 2019 at 12:05 am", "2019-01-24 00:05:00"),
        ("January 24, 2019 at 12:00 pm", "2019-01-24 12:00:00"),
        ("24 January 2019 at 7:36 pm", "2019-01-24 19:36:00"),
        ("2019-01-24 07:36", "2019-01-24 07:36:00"),
        ("Jan 24, 2019 at 7:36 P.M.", "2019-01-24 19:36:00"),
        ("Thursday, January 24th 2019, 7:36 pm", "2019-01-24 19:36:00"),
    ],
)
def test_date_styles(written: str, expected: str) -> None:
    thread = parse_page(page("  1. Ann", f"    {written}", "", "    Hi."), "t")
    assert str(thread.comments["timestamp"][0]) == expected


def test_says_author_lines_and_no_break_spaces_in_names() -> None:
    text = page("  1. Ann\u00a0Lee says:", "    January 1, 2020 at 10:00", "    Hi.")
    assert parse_page(text, "t").comments["author"].tolist() == ["Ann Lee"]


def test_declared_count_differing_from_parsed_is_a_problem() -> None:
    thread = parse_page(page("Title", "", "3 comments for “Title", "", "  1. Ann", "    May 1, 2020 at 10:00"), "t")
    assert thread.article.declared_comments == 3
    assert [(p.kind, p.message, p.line) for p in thread.problems] == [
        ("count_mismatch", "page declares 3 comments, parsed 1", 3)
    ]


def test_unreadable_date_raises_with_file_and_line() -> None:
    text = page("Title", "", "  1. Ann", "    February 30, 2020 at 10:00", "    Hi.")
    with pytest.raises(ParseError) as raised:
        parse_page(text, "page.txt")
    assert str(raised.value) == "page.txt:3: cannot read the date 'February 30, 2020 at 10:00'"
    lenient = parse_page(text, "page.txt", lenient=True)
    assert lenient.comments["timestamp"].isna().tolist() == [True]
    assert [p.kind for p in lenient.problems] == ["unreadable_date"]


def test_unindented_line_between_comments_is_reported_not_dropped() -> None:
    text = page(
        "  1. Ann", "    May 1, 2020 at 10:00", "    Hi.", "ADVERTISEMENT", "  2. Bob", "    May 1, 2020 at 11:00"
    )
    thread = parse_page(text, "t")
    assert [(p.kind, p.line) for p in thread.problems] == [("unplaced", 4)]
    assert thread.diagnostics.counts["unplaced"] == 1
    assert sum(thread.diagnostics.counts.values()) == thread.diagnostics.total


def test_indent_jump_and_orphan_reply_are_reported() -> None:
    text = page(
        "      • Orphan",
        "        May 1, 2020 at 09:00",
        "  1. Ann",
        "    May 1, 2020 at 10:00",
        "        • Jumper",
        "          May 1, 2020 at 11:00",
    )
    thread = parse_page(text, "t")
    assert tree(text) == [("c0", "-", 0), ("c1", "-", 0), ("c1.1", "c1", 1)]
    assert [(p.kind, p.line) for p in thread.problems] == [("orphan_reply", 1), ("indent_jump", 5)]


def test_repeated_numbers_fall_back_to_positions() -> None:
    text = page("  1. Ann", "    May 1, 2020 at 10:00", "  1. Bob", "    May 1, 2020 at 11:00")
    assert tree(text) == [("c0", "-", 0), ("c1", "-", 0)]
    assert [p.kind for p in parse_page(text, "t").problems] == ["duplicate_number"]


def test_page_cut_off_right_after_a_marker_keeps_what_is_there() -> None:
    text = "Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n\n    Half a sent"
    thread = parse_page(text, "t")
    assert thread.comments["text"].tolist() == ["Half a sent"]


def test_load_reads_streams_and_paths(tmp_path: Path) -> None:
    body = page("  1. Ann", "    May 1, 2020 at 10:00", "    Hi.")
    (tmp_path / "p.txt").write_text(body, encoding="utf-8")
    from_path = commentscope.load(tmp_path / "p.txt")
    from_text_stream = commentscope.load(io.StringIO(body))
    from_byte_stream = commentscope.load(io.BytesIO(body.encode()))
    assert from_path.comments["text"].tolist() == from_text_stream.comments["text"].tolist() == ["Hi."]
    assert from_byte_stream.comments["author"].tolist() == ["Ann"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"\n  \n", "is empty"),
        (b"Caf\xe9 page\n", "not utf-8 text (byte 0xe9 at offset 3)"),
    ],
)
def test_unreadable_inputs_raise_input_error(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "p.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        commentscope.load(path)


def test_a_folder_is_not_a_page(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        commentscope.load(tmp_path)


def test_cp1252_pages_read_with_an_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes("  1. Zoë\n    May 1, 2020 at 10:00\n    It’s fine.\n".encode("cp1252"))
    thread = commentscope.load(path, encoding="cp1252")
    assert thread.comments["author"].tolist() == ["Zoë"]
    assert thread.comments["text"].tolist() == ["It’s fine."]


def test_pingbacks_and_trackbacks_are_comments_of_their_kind_dated_or_not() -> None:
    text = page(
        "Title",
        "",
        "3 comments for “Title",
        "",
        "  1. Ann",
        "    January 1, 2020 at 10:00",
        "    First.",
        "",
        "  2. Pingback: Ten Ways to Bake – Crumb Blog",
        "    […] as the article says, less yeast […]",
        "",
        "  3. Trackback: Altitude Notes says:",
        "    January 2, 2020 at 08:30",
        "    […] quoted here […]",
    )
    thread = parse_page(text, "t")
    comments = thread.comments
    assert comments["kind"].tolist() == ["comment", "pingback", "trackback"]
    assert comments["author"].tolist() == ["Ann", "Ten Ways to Bake – Crumb Blog", "Altitude Notes"]
    assert comments["text"].tolist()[1:] == ["[…] as the article says, less yeast […]", "[…] quoted here […]"]
    assert comments["timestamp"].isna().tolist() == [False, True, False]
    assert thread.problems == []
    assert thread.diagnostics.adds_up is True


def test_replies_that_look_flattened_at_depth_two_are_a_problem() -> None:
    text = page(
        "  1. Ann",
        "    January 1, 2020 at 10:00",
        "    Question?",
        "    • Bob",
        "      January 1, 2020 at 11:00",
        "      An answer.",
        "    • Ann",
        "      January 1, 2020 at 12:00",
        "      Thanks, Bob.",
    )
    thread = parse_page(text, "t")
    assert tree(text) == [("c1", "-", 0), ("c1.1", "c1", 1), ("c1.2", "c1", 1)]
    assert [(p.kind, p.line) for p in thread.problems] == [("replies_maybe_flattened", 7)]
    nested = text.replace(
        "    • Ann\n      January 1, 2020 at 12:00\n      Thanks",
        "      • Ann\n        January 1, 2020 at 12:00\n        Thanks",
    )
    assert tree(nested)[-1] == ("c1.1.1", "c1.1", 2)
    assert parse_page(nested, "t").problems == []
    first_answer = text.replace("    • Bob\n      January 1, 2020 at 11:00\n      An answer.\n", "")
    assert parse_page(first_answer, "t").problems == []
