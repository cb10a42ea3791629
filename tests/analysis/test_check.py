"""check_thread on the samples (all clean) and on small pages that each carry one kind of problem."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.analysis.check import FINDING_KEYS, check_rows, check_thread
from commentscope.page_generator import comment_lines
from commentscope.readers import load, read_source
from commentscope.readers.textpage import parse_page

SAMPLE_FIGURES = {
    # name: (declared, parsed, non-blank lines)
    "awkward.txt": (None, 4, 15),
    "comments_only.txt": (None, 3, 8),
    "deep.txt": (10, 10, 43),
    "no_comments.txt": (None, 0, 4),
    "small.txt": (4, 4, 17),
}

NO_ENCODING_DAMAGE = {
    kind: {"count": 0, "first_lines": []}
    for kind in ("nul_bytes", "replacement_characters", "control_characters", "mojibake")
}


def _check_text(text: str) -> dict:
    return check_thread(parse_page(text, "page.txt", lenient=True), text)


def _comment(depth: int, number: int | None, author: str | None, when: str, text: str = "Body.") -> str:
    return "".join(comment_lines(depth, number, author, pd.Timestamp(when), text))


def _page(*comments: str, header: int | None = None) -> str:
    head = f"{header} comments for “Title\n\n" if header is not None else ""
    return "Title\n\n" + head + "".join(comments)


@pytest.mark.parametrize("name", sorted(SAMPLE_FIGURES))
def test_every_sample_is_clean_and_fully_accounted(samples: Path, name: str) -> None:
    path = samples / name
    report = check_thread(load(path, lenient=True), read_source(path))

    declared, parsed, nonblank = SAMPLE_FIGURES[name]
    assert report["clean"] is True
    assert (report["declared_comments"], report["parsed_comments"], report["accounting"]["total"]) == (
        declared,
        parsed,
        nonblank,
    )
    assert report["count_matches"] is (None if declared is None else True)
    assert (report["accounting"]["unit"], report["accounting"]["accounted"]) == ("lines", nonblank)
    assert report["accounting"]["adds_up"] is True
    for key in FINDING_KEYS:
        assert report[key] == [], key
    assert report["encoding"] == NO_ENCODING_DAMAGE
    assert report["depth_plateau"] is None
    assert json.loads(json.dumps(report)) == report


def test_sample_line_counts_per_kind(samples: Path) -> None:
    report = check_thread(load(samples / "awkward.txt", lenient=True))

    assert report["accounting"]["counts"] == {"article": 2, "marker": 4, "date": 3, "body": 4, "link": 2}
    assert report["encoding"] is None


def test_clean_sample_gives_one_summary_row(samples: Path) -> None:
    path = samples / "small.txt"
    rows = check_rows(check_thread(load(path, lenient=True), read_source(path)))

    assert rows == [
        {
            "source": str(path),
            "kind": "summary",
            "line": None,
            "detail": "clean: 4 of 4 declared comments, 17 of 17 lines read",
        }
    ]


def test_count_mismatch() -> None:
    page = _page(_comment(0, 2, "Ann", "2020-01-01 10:00"), _comment(0, 1, "Bob", "2020-01-01 09:00"), header=3)

    report = _check_text(page)

    assert (report["declared_comments"], report["parsed_comments"], report["count_matches"]) == (3, 2, False)
    assert report["clean"] is False
    assert [r["kind"] for r in check_rows(report)] == ["summary", "count_mismatch"]
    assert check_rows(report)[1]["detail"] == "page declares 3 comments, parsed 2"


def test_unplaced_lines_are_listed_with_their_text() -> None:
    stray = "A stray line at the left margin that sits between two comments and runs on well past sixty"
    page = _page(
        _comment(0, 2, "Ann", "2020-01-01 10:00"),
        stray + "\n\n",
        _comment(0, 1, "Bob", "2020-01-01 09:00"),
    )

    report = _check_text(page)

    assert report["unplaced"] == [{"line": 8, "text": stray[:60]}]
    assert report["accounting"]["counts"]["unplaced"] == 1
    assert report["accounting"]["adds_up"] is True
    assert report["clean"] is False
    assert check_rows(report)[1] == {"source": "page.txt", "kind": "unplaced", "line": 8, "detail": stray[:60]}


def test_unplaced_text_without_the_raw_page_comes_from_the_problem() -> None:
    page = "Title\n\n1 comments for “Title\n\nNot a comment\n\n" + _comment(0, 1, "Ann", "2020-01-01 10:00")

    report = check_thread(parse_page(page, "page.txt", lenient=True))

    assert report["unplaced"] == [{"line": 5, "text": "Not a comment"}]


def test_unreadable_date() -> None:
    page = _page("  1. Ann\n    February 30, 2020 at 10:00\n\n    Body.\n")

    report = _check_text(page)

    assert report["unreadable_dates"] == [{"line": 3, "text": "February 30, 2020 at 10:00"}]
    assert report["clean"] is False
    assert check_rows(report)[1] == {
        "source": "page.txt",
        "kind": "unreadable_date",
        "line": 3,
        "detail": "February 30, 2020 at 10:00",
    }


def test_indent_jump() -> None:
    page = _page(_comment(0, 1, "Ann", "2020-01-01 10:00"), _comment(2, None, "Bob", "2020-01-01 11:00"))

    report = _check_text(page)

    assert report["indent_jumps"] == [8]
    assert report["clean"] is False


def test_orphan_reply() -> None:
    page = _page(_comment(1, None, "Bob", "2020-01-01 11:00"), _comment(0, 1, "Ann", "2020-01-01 10:00"))

    report = _check_text(page)

    assert report["orphan_replies"] == [3]
    assert report["clean"] is False
    assert check_rows(report)[1]["kind"] == "orphan_reply"


def test_reply_dated_before_its_parent() -> None:
    page = _page(
        _comment(0, 1, "Ann", "2020-01-01 10:00"),
        _comment(1, None, "Bob", "2020-01-01 09:59"),
        _comment(1, None, "Cy", "2020-01-01 10:00"),
    )

    report = _check_text(page)

    assert report["replies_before_parent"] == [{"id": "c1.1", "line": 8, "parent_id": "c1"}]
    assert report["clean"] is False
    assert check_rows(report)[1]["detail"] == "c1.1 is dated before the comment it answers, c1"


def test_duplicate_numbers() -> None:
    page = _page(
        _comment(0, 3, "Ann", "2020-01-01 10:00"),
        _comment(0, 3, "Bob", "2020-01-01 09:00"),
        _comment(0, 2, "Cy", "2020-01-01 08:00"),
    )

    report = _check_text(page)

    assert report["duplicate_numbers"] == [{"number": 3, "times": 2, "lines": [3, 8]}]
    assert report["clean"] is False
    assert check_rows(report)[1] == {
        "source": "page.txt",
        "kind": "duplicate_number",
        "line": 3,
        "detail": "top-level number 3 appears 2 times",
    }


def test_encoding_damage_is_counted_with_first_lines() -> None:
    page = _page(
        _comment(0, 2, "Ann", "2020-01-01 10:00", "CafÃ© owners donâ€™t agree.\nNo\x00pe \x00\nBell\x07"),
        _comment(0, 1, "Bob", "2020-01-01 09:00", "Lost \ufffd here"),
    )

    report = _check_text(page)

    assert report["encoding"] == {
        "nul_bytes": {"count": 2, "first_lines": [7]},
        "replacement_characters": {"count": 1, "first_lines": [13]},
        "control_characters": {"count": 1, "first_lines": [8]},
        "mojibake": {"count": 2, "first_lines": [6]},
    }
    assert report["clean"] is False
    assert [r["kind"] for r in check_rows(report)[1:]] == [
        "mojibake",
        "nul_bytes",
        "control_characters",
        "replacement_characters",
    ]


def test_encoding_lines_follow_the_parser_numbering_with_bom_and_crlf() -> None:
    page = "\ufeff" + _page(_comment(0, 1, "Ann", "2020-01-01 10:00", "Ã©")).replace("\n", "\r\n")

    report = _check_text(page)

    assert report["encoding"]["mojibake"] == {"count": 1, "first_lines": [6]}


def test_first_lines_are_distinct_and_capped_while_the_count_covers_all() -> None:
    page = _page(_comment(0, 1, "Ann", "2020-01-01 10:00", "\n".join(["\ufffd\ufffd"] * 8)))

    report = _check_text(page)

    assert report["encoding"]["replacement_characters"] == {"count": 16, "first_lines": [6, 7, 8, 9, 10]}


# The raw text is looked at as UTF-8 bytes, a part at a time: the findings are those of the text
# as characters, whole (the rules as they were written for a decoded page, kept here as the oracle).
_ORACLE_PATTERNS = {
    "nul_bytes": re.compile("\x00"),
    "replacement_characters": re.compile("\ufffd"),
    "control_characters": re.compile(r"[\x01-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]"),
    "mojibake": re.compile("Ã[\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|Â[\u0080-\u00bf]|â€|â[\u0080-\u009f]"),
}


def _oracle_lines(text: str) -> list[str]:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _oracle_encoding(text: str) -> dict:
    text = "\n".join(_oracle_lines(text))
    found = {}
    for kind, pattern in _ORACLE_PATTERNS.items():
        matches = list(pattern.finditer(text))
        lines = []
        for match in matches:
            line = text.count("\n", 0, match.start()) + 1
            if len(lines) < 5 and (not lines or lines[-1] != line):
                lines.append(line)
        found[kind] = {"count": len(matches), "first_lines": lines}
    return found


_damaged_text = st.text(
    alphabet=st.sampled_from(list("ab \n\r\t\x00\x07\x1b\x7f\x85\x9f\xa0\ufffd\ufeffÃÂâ€™©é日\U0001f600")), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(_damaged_text, st.integers(min_value=1, max_value=12))
def test_encoding_findings_are_the_texts_in_parts_of_any_size(text: str, part: int) -> None:
    from commentscope.analysis.check import _encoding
    from commentscope.readers import PageText

    page = PageText(text.encode(), part=part)
    assert _encoding(page) == _oracle_encoding(text)
    parts = list(page.parts())
    normalised = "\n".join(_oracle_lines(text)).encode()
    assert b"".join(part for _, part in parts) == normalised
    assert [before for before, _ in parts] == [
        b"".join(p for _, p in parts[:k]).count(b"\n") for k in range(len(parts))
    ]
    lines = _oracle_lines(text)
    expected = {number: line for number, line in enumerate(lines, 1) if line or number < len(lines)}
    assert page.lines(range(-1, len(lines) + 3)) == expected


def test_unplaced_lines_are_shown_from_the_raw_page_in_parts() -> None:
    from commentscope.readers import PageText

    page = _page(
        _comment(0, 3, "Ann", "2020-01-01 10:00"),
        "stray  words\n\n",
        _comment(0, 2, "Bob", "2020-01-01 09:00"),
        "more stray\u3000\n\n",
        _comment(0, 1, "Cy", "2020-01-01 08:00"),
    ).replace("\n", "\r\n")
    thread = parse_page(page, "page.txt", lenient=True)
    whole = check_thread(thread, page)
    assert [u["text"] for u in whole["unplaced"]] == ["stray  words", "more stray"]
    for part in (1, 2, 7, 50):
        assert check_thread(thread, PageText(page.encode(), part=part)) == whole


def test_depth_plateau_is_information_not_a_problem() -> None:
    page = _page(
        _comment(0, 1, "Ann", "2020-01-01 10:00"),
        _comment(1, None, "Bob", "2020-01-01 10:05"),
        _comment(2, None, "Ann", "2020-01-01 10:10"),
        _comment(2, None, "Bob", "2020-01-01 10:15"),
        _comment(2, None, "Ann", "2020-01-01 10:20"),
    )

    report = _check_text(page)

    assert report["depth_plateau"] == {
        "depth": 2,
        "comments_at_depth": 3,
        "largest_group": 3,
        "parent_id": "c1.1",
        "line": 8,
    }
    assert report["clean"] is True
    assert [r["kind"] for r in check_rows(report)] == ["summary", "depth_plateau"]


def test_no_plateau_when_the_level_above_is_as_crowded() -> None:
    page = _page(
        _comment(0, 1, "Ann", "2020-01-01 10:00"),
        *[_comment(1, None, name, "2020-01-01 10:05") for name in ("Bob", "Cy", "Dee")],
        *[_comment(2, None, name, "2020-01-01 10:10") for name in ("Eve", "Fay", "Gil")],
    )

    assert _check_text(page)["depth_plateau"] is None


def test_no_plateau_on_a_two_level_thread() -> None:
    page = _page(
        _comment(0, 1, "Ann", "2020-01-01 10:00"),
        *[_comment(1, None, name, "2020-01-01 10:05") for name in ("Bob", "Cy", "Dee", "Eve")],
    )

    assert _check_text(page)["depth_plateau"] is None


def test_unknown_problem_kinds_are_kept_and_make_the_page_unclean(samples: Path) -> None:
    from commentscope.model import Problem

    thread = load(samples / "small.txt")
    thread.problems.append(Problem("something_new", "a finding the parser learned later", 12))

    report = check_thread(thread)

    assert report["other_problems"] == [
        {"kind": "something_new", "line": 12, "message": "a finding the parser learned later"}
    ]
    assert report["clean"] is False


def test_lines_that_do_not_add_up_make_the_page_unclean(samples: Path) -> None:
    thread = load(samples / "small.txt")
    thread.diagnostics.total += 1

    report = check_thread(thread)

    assert (report["accounting"]["adds_up"], report["clean"]) == (False, False)
    assert check_rows(report)[1] == {
        "source": str(samples / "small.txt"),
        "kind": "accounting",
        "line": None,
        "detail": "17 lines accounted for, but the input has 18",
    }


# Honest check: a page whose comments were not (all) read is never called clean.


def _kinds(report: dict) -> list[str]:
    return [row["kind"] for row in check_rows(report)][1:]


@pytest.mark.parametrize(
    "comments",
    [
        "Ann says:\nMay 1, 2020, 10:00 o'clock\nText.\n",  # a 'says:' line
        "Ann\nMay 1, 2020 at 10:00\nText.\n\nBob\nMay 2, 2020 at 11:00\nMore.\n",  # date lines
        "Ann: text.\nReply\nBob: more.\nReply\n",  # link leftovers
    ],
)
def test_comment_signs_with_nothing_read_are_a_finding(comments: str) -> None:
    report = _check_text(f"Title\n\nBody.\n\n{comments}")
    assert report["parsed_comments"] == 0
    assert report["clean"] is False
    assert "comments_not_read" in _kinds(report)
    assert "its layout was not understood" in report["other_problems"][0]["message"]


def test_a_page_of_bare_paragraphs_has_no_comment_structure() -> None:
    report = _check_text("A long first paragraph.\nA comment's text.\nAnother comment's text.\n")
    assert report["clean"] is False
    assert _kinds(report) == ["no_comment_structure"]
    assert report["other_problems"][0]["message"].startswith("no comment structure found")


def test_a_page_that_says_it_has_no_comments_is_clean(samples: Path) -> None:
    assert _check_text("Title\n\nBody.\n\nComments are closed.\n")["clean"] is True
    assert _check_text("Title\n\nBody.\n\nNo comments yet.\n")["clean"] is True


def test_fewer_comments_than_declared_is_a_finding() -> None:
    page = _page(_comment(0, 1, "Ann", "2020-01-01 10:00"), header=3)
    assert _kinds(_check_text(page)) == ["count_mismatch"]


def test_a_rejected_marker_that_looks_like_a_comment_is_a_finding() -> None:
    page = _page(_comment(0, 2, "Ann", "2020-01-01 10:00")) + "  1. Bob says:\n\nText without a date.\n"
    report = _check_text(page)
    assert report["clean"] is False
    assert ("rejected_marker", 8) in [(row["kind"], row["line"]) for row in check_rows(report)]


@pytest.mark.parametrize(
    ("dates", "kind", "expected"),
    [
        (
            ("03/04/2020 at 10:00", "05/06/2020 at 11:00"),
            "date_order_guessed",
            ["2020-03-04 10:00", "2020-05-06 11:00"],
        ),
        (("13/04/2020 at 10:00", "04/13/2020 at 11:00"), "date_order_conflict", None),
    ],
)
def test_a_guessed_or_conflicting_date_order_is_a_finding(
    dates: tuple[str, str], kind: str, expected: list | None
) -> None:
    page = "Title\n\n" + "".join(f"  {n}. Ann\n    {when}\n\n    Text.\n\n" for n, when in enumerate(dates, 1))
    thread = parse_page(page, "page.txt", lenient=True)
    report = check_thread(thread, page)
    assert report["clean"] is False
    assert kind in _kinds(report)
    if expected:
        assert thread.comments["timestamp"].tolist() == [pd.Timestamp(when) for when in expected]


def test_the_day_first_option_reads_an_open_order_without_a_finding() -> None:
    page = "Title\n\n  1. Ann\n    03/04/2020 at 10:00\n\n    Text.\n"
    thread = parse_page(page, "page.txt", day_first=True)
    assert thread.comments["timestamp"].tolist() == [pd.Timestamp("2020-04-03 10:00")]
    assert check_thread(thread, page)["clean"] is True


def test_a_date_without_a_year_and_no_year_on_the_page_is_unreadable() -> None:
    page = "Title\n\n  1. Ann Jun 20th at 2:41 am\n\n    Text.\n"
    report = _check_text(page)
    assert report["unreadable_dates"] == [{"line": 3, "text": "Jun 20th at 2:41 am"}]
    assert report["clean"] is False


def test_replaced_bytes_are_a_finding(tmp_path: Path) -> None:
    from commentscope.readers import load_with_text

    path = tmp_path / "page.txt"
    path.write_bytes(b"Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n\n    Smile \xf0\x9f\xfd.\n")
    threads, text = load_with_text(path, lenient=True, encoding_errors="replace")
    report = check_thread(threads[0], text)
    assert threads[0].comments["text"].tolist() == ["Smile \ufffd\ufffd."]
    assert report["other_problems"][0]["message"].startswith("3 bytes that are not valid text were replaced")
    assert report["clean"] is False


def test_a_comment_dated_years_from_the_rest_is_flagged_as_a_likely_typo(tmp_path) -> None:
    from typer.testing import CliRunner

    from commentscope.cli import app

    sample = Path(__file__).resolve().parent.parent.parent / "samples" / "deep.txt"
    page = tmp_path / "typo.txt"
    page.write_text(sample.read_text(encoding="utf-8").replace("March 4, 2021 at 7:45 am", "March 4, 2012 at 7:45 am"))
    done = CliRunner().invoke(app, ["check", str(page), "-f", "csv"])
    assert done.exit_code == 1
    assert (
        f'{page},implausible_date,44,"c7.1.1.1.1.1 dated 2012-03-04 07:45, 9.0 years before the rest of the page '
        '(2021-03-03 to 2021-03-04); likely a typo"'
    ) in done.stdout.splitlines()
