"""The HTML reader: each markup family's sample to its exact tree, the article's metadata, the
diagnostics, and hostile pages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import commentscope
from commentscope.analysis.check import check_thread
from commentscope.cli import app
from commentscope.errors import InputError, ParseError
from commentscope.model import Thread
from commentscope.readers import load_threads, registry
from commentscope.readers.html import sniff

SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples" / "html"
runner = CliRunner()


def _ferry_thread(first: str, reply: str, second: str) -> list[tuple[object, ...]]:
    return [
        (first, None, 0, "Hal Osei", "2020-03-02 18:20", "comment", "Which ferry runs on Sundays?"),
        (
            reply,
            first,
            1,
            "Ines Roy",
            "2020-03-02 19:05",
            "comment",
            "Only the early one.\n\nCheck the winter timetable.",
        ),
        (second, None, 0, None, "2020-03-03 07:45", "comment", "The harbour cafe opens at seven."),
    ]


# (id, parent_id, depth, author, timestamp, kind, text) per comment, in page order.
EXPECTED_TREES = {
    "wordpress-html5.html": [
        (
            "c501",
            None,
            0,
            "Rosa Lindqvist",
            "2023-09-04 06:15",
            "comment",
            "Finally. I work late shifts at the bakery.\n\nTwo things would help:\na shelter at the stop\n"
            "a timetable that is kept",
        ),
        ("c502", "c501", 1, "Ines Caldwell", "2023-09-04 07:02", "comment", "The shelter is in the plan for October."),
        ("c504", "c502", 2, None, "2023-09-04 09:40", "comment", "October of which year?"),
        ("c503", None, 0, "Tomasz Ferreira", "2023-09-05 21:00", "comment", "Will the 14 stop at the hospital again?"),
        ("c505", None, 0, "Weekly transit roundup", None, "pingback", "Pingback: Weekly transit roundup"),
    ],
    "wordpress-classic.html": [
        (
            "c71",
            None,
            0,
            "Lena Brook",
            "2012-03-02 10:05",
            "comment",
            "Mine is twenty years deep now.\n\nThe early ones embarrass me.",
        ),
        ("c74", "c71", 1, "Otto Marsh", "2012-03-02 13:30", "comment", "That is the point of keeping them."),
        ("c72", None, 0, "Priya Nair", "2012-03-03 19:45", "comment", "I tried. I lost three notebooks on trains."),
        ("c73", None, 0, "Gus Okafor", "2012-03-04 12:00", "comment", "Which pen do you use?"),
    ],
    "genesis.html": [
        ("c2001", None, 0, "Hana Ito", "2021-02-03 09:12", "comment", "Can I swap caraway for fennel?"),
        ("c2003", "c2001", 1, "Mabel Ruiz", "2021-02-14 18:30", "comment", "Yes, use half the amount."),
        ("c2002", None, 0, "Karl Weber", "2021-02-05 11:47", "comment", "Baked it twice. Perfect crust both times."),
    ],
    "wordpress-com.html": [
        (
            "c9001",
            None,
            0,
            "Fern Adeyemi",
            "2020-12-31 16:05",
            "comment",
            "Five years! I remember the first bed of beans.",
        ),
        ("c9003", "c9001", 1, "Plot Notes", "2021-01-02 09:30", "comment", "Those beans fed half the street."),
        ("c9004", "c9003", 2, "Fern Adeyemi", "2021-01-02 10:00", "comment", "And the other half next year."),
        ("c9002", None, 0, "Walter Oduya", "2021-01-01 08:00", "comment", "Happy birthday, garden."),
    ],
    "impreza.html": [
        ("c301", None, 0, "Yara Quist", "2022-06-08 15:14", "comment", "The blue vase in the third photo is stunning."),
        ("c302", "c301", 1, "Pier 9 Studio", "2022-06-09 09:01", "comment", "Thank you! It sold the same afternoon."),
        ("c303", None, 0, "Sven Dubois", "2022-06-10 18:45", "comment", "Do they run classes?"),
    ],
    "custom-header.html": [
        ("c41", None, 0, "Nils Moreau", "2019-07-01 07:10", "comment", "Swam it six times. Cold every single time."),
        ("c43", "c41", 1, "Quinn Hansen", "2019-07-01 09:25", "comment", "Six! I gave up after one."),
        (
            "c42",
            None,
            0,
            "Dora Petrov",
            "2019-07-02 12:30",
            "comment",
            "The organisers deserve a medal of their own.\n\nThank you all.",
        ),
    ],
    "divi.html": [
        ("c71", None, 0, "Rhona Gill", "2021-01-05 15:04", "comment", "Eight years I waited. Worth it."),
        ("c72", "c71", 1, "Yusuf Acar", "2021-01-05 16:10", "comment", "Which site did you get?"),
        ("c73", None, 0, "Pia Lund", "2021-01-06 09:00", "comment", "Is there still a water charge?"),
    ],
    # the same three comments in three platforms' markup; Drupal's give no ids
    "blogger.html": _ferry_thread("c201", "c202", "c203"),
    "drupal.html": _ferry_thread("c1", "c1.1", "c2"),
    "movable-type.html": _ferry_thread("c201", "c202", "c203"),
    "microdata.html": [
        ("c1", None, 0, "Uma Tanaka", "2022-05-14 21:03", "comment", "Counted forty species in my yard last summer."),
        ("c1.1", "c1", 1, "Ben Rossi", "2022-05-15 06:40", "comment", "Forty? Which light did you use?"),
        ("c2", None, 0, "Zoë Varga", "2022-05-16 12:00", "comment", "Lovely photographs."),
    ],
    "json-ld.html": [
        (
            "c801",
            None,
            0,
            "Farid Silva",
            "2024-02-10 09:12",
            "comment",
            "Our office tried it. Nobody wants to go back.",
        ),
        ("c802", "c801", 1, "Greta Novak", "2024-02-10 10:30", "comment", "Which day do you take off?"),
        ("c803", None, 0, "Hugo Larsen", "2024-02-11 17:45", "comment", "Shops cannot do this."),
        ("c804", "c803", 1, "Ines Young", "2024-02-11 18:00", "comment", "Some bakeries already do."),
    ],
    "microformats.html": [
        ("c1", None, 0, "Kai Jensen", "2021-11-03 14:20", "comment", "Which glue do you trust?"),
        ("c1.1", "c1", 1, "Marta Ueda", "2021-11-03 17:05", "comment", "PVA, always PVA."),
        ("c2", None, 0, "Olu Weber", "2021-11-04 07:00", "comment", "Great notes, thank you."),
    ],
    "hackernews.html": [
        (
            "c39000011",
            None,
            0,
            "ropewalk",
            "2024-01-15 10:20",
            "comment",
            "How does it handle very long lines?\n\nMine chokes past a megabyte.",
        ),
        ("c39000012", "c39000011", 1, "quillmaker", "2024-01-15 10:31", "comment", "A rope of chunks. It stays fast."),
        ("c39000013", None, 0, "lintel", "2024-01-15 11:02", "comment", "Lovely. The source reads like a book."),
    ],
    "reddit.html": [
        (
            "k1a",
            None,
            0,
            "dawnwalker",
            "2024-03-02 07:00",
            "comment",
            "Making the bed first.\n\nIt sounds silly, it works.",
        ),
        ("k1c", "k1a", 1, None, None, "comment", "[removed]"),
        ("k1d", "k1c", 2, "teapot_ana", "2024-03-02 08:15", "comment", "Whatever it said, I agree."),
        ("k1b", None, 0, "slowcoffee", "2024-03-02 07:30", "comment", "No phone until after breakfast."),
    ],
    "generic.html": [
        ("c1", None, 0, "Tomás Abbott", "2022-04-01 12:00", "comment", "Sunday opening at last."),
        ("c1.1", "c1", 1, "Wen Castro", "2022-04-01 13:30", "comment", "And the café stays open too."),
        ("c2", None, 0, "Eve Fischer", "2022-04-02 09:00", "comment", "Evenings matter more than Sundays."),
    ],
}
# Pages whose times came from machine-readable attributes with a zone, so are UTC in the frame.
UTC_PAGES = {
    "wordpress-html5.html",
    "microdata.html",
    "json-ld.html",
    "microformats.html",
    "reddit.html",
    "generic.html",
}


def _rows(frame: pd.DataFrame) -> list[tuple]:
    def value(item: object) -> object:
        return None if pd.isna(item) else item

    return [
        (
            row.id,
            value(row.parent_id),
            row.depth,
            value(row.author),
            None if pd.isna(row.timestamp) else row.timestamp.strftime("%Y-%m-%d %H:%M"),
            row.kind,
            row.text,
        )
        for row in frame.itertuples()
    ]


def test_every_html_sample_has_an_expected_tree() -> None:
    assert sorted(path.name for path in SAMPLES.glob("*.html")) == sorted(EXPECTED_TREES)


@pytest.mark.parametrize("name", sorted(EXPECTED_TREES))
def test_sample_parses_to_its_exact_tree(name: str) -> None:
    thread = commentscope.load(SAMPLES / name)
    assert _rows(thread.comments) == EXPECTED_TREES[name]
    assert thread.timezone == ("UTC" if name in UTC_PAGES else None)
    commentscope.model.validate_comments(thread.comments)
    assert list(thread.comments.dtypes.astype(str)) == [
        dtype for dtype, _ in commentscope.model.COMMENT_SCHEMA.values()
    ]


def test_hacker_news_depth_from_the_spacer_width_without_an_indent(tmp_path: Path) -> None:
    page = (
        (SAMPLES / "hackernews.html").read_text(encoding="utf-8").replace(' indent="1"', "").replace(' indent="0"', "")
    )
    frame = commentscope.load(_write(tmp_path, page.encode())).comments
    assert list(zip(frame.id, frame.depth, frame.parent_id.fillna("-"), strict=True)) == [
        ("c39000011", 0, "-"),
        ("c39000012", 1, "c39000011"),
        ("c39000013", 0, "-"),
    ]


def test_flat_markup_nests_by_its_depth_classes(tmp_path: Path) -> None:
    def flat(cid: int, depth: int) -> str:
        return _comment(cid, f"P{cid}", "2024-01-01T10:00:00Z", f"C{cid}.").replace(
            'class="comment"', f'class="comment depth-{depth}"', 1
        )

    page = _page(flat(1, 1) + flat(2, 2) + flat(3, 3) + flat(4, 2) + flat(5, 1) + flat(6, 3))
    thread = commentscope.load(_write(tmp_path, page))
    assert list(zip(thread.comments.id, thread.comments.parent_id.fillna("-"), strict=True)) == [
        ("c1", "-"),
        ("c2", "c1"),
        ("c3", "c2"),
        ("c4", "c1"),
        ("c5", "-"),
        ("c6", "-"),
    ]
    assert [p.kind for p in thread.problems] == ["orphan_reply"]


def test_article_metadata_from_the_head_and_the_page() -> None:
    article = commentscope.load(SAMPLES / "wordpress-html5.html").article
    assert article.title == "Night Buses Return to Elm Street"  # og:title before h1 and <title>
    assert article.url == "https://gazette.example/2023/09/night-buses/"
    assert article.byline == "Ines Caldwell"
    assert article.published == pd.Timestamp("2023-09-04 06:30")
    assert article.declared_comments == 5
    assert article.body == "The council restored the two night routes on Monday.\n\nBuses run every forty minutes."
    classic = commentscope.load(SAMPLES / "wordpress-classic.html").article
    assert (classic.title, classic.byline, classic.url) == ("Why I Still Keep a Paper Diary", "by Otto Marsh", None)
    assert classic.declared_comments == 4
    assert commentscope.load(SAMPLES / "genesis.html").article.byline == "Mabel Ruiz"  # rel=author
    assert commentscope.load(SAMPLES / "wordpress-com.html").article.url == "https://plotnotes.example/2020/12/30/five/"


def test_lines_point_at_each_comment_element() -> None:
    frame = commentscope.load(SAMPLES / "wordpress-classic.html").comments
    lines = (SAMPLES / "wordpress-classic.html").read_text(encoding="utf-8").splitlines()
    for cid, line in zip(frame.id, frame.line, strict=True):
        assert f'id="comment-{cid.removeprefix("c")}"' in lines[line - 1]


def test_furniture_and_scripts_never_become_text() -> None:
    thread = commentscope.load(SAMPLES / "wordpress-html5.html")
    texts = " ".join(thread.comments.text)
    for furniture in ("Reply", "Edit", "awaiting moderation", "says:", "Script Person"):
        assert furniture not in texts
    assert "Script Person" not in set(thread.comments.author.dropna())
    assert thread.diagnostics.counts["comment_blocks"] == 5 and thread.diagnostics.counts["comments_read"] == 5
    assert thread.diagnostics.counts["furniture"] > 0
    assert thread.problems == []


def test_a_year_taken_from_the_article_is_reported() -> None:
    problems = commentscope.load(SAMPLES / "wordpress-com.html").problems
    assert [p.kind for p in problems] == ["html_year_assumed"]
    assert "4 comment dates show no year" in problems[0].message


def test_the_generic_fallback_is_reported_and_check_says_so() -> None:
    thread = commentscope.load(SAMPLES / "generic.html")
    assert [p.kind for p in thread.problems] == ["html_generic_fallback"]
    result = runner.invoke(app, ["check", str(SAMPLES / "generic.html"), "-f", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["clean"] is False


@pytest.mark.parametrize("name", ["wordpress-html5.html", "wordpress-classic.html", "hackernews.html"])
def test_check_finds_a_clean_page_clean(name: str) -> None:
    result = runner.invoke(app, ["check", str(SAMPLES / name), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["clean"] is True


def _page(comments: str, header: str = "") -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title></head><body>'
        f'<div id="comments">{header}<ol class="comment-list">{comments}</ol></div></body></html>'
    ).encode()


def _comment(cid: int, name: str, when: str, text: str, children: str = "") -> str:
    return (
        f'<li id="comment-{cid}" class="comment"><article class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author"><b class="fn">{name}</b></div><div class="comment-metadata">'
        f'<time datetime="{when}">x</time></div></footer><div class="comment-content"><p>{text}</p></div></article>'
        f"{children}</li>"
    )


def _write(tmp_path: Path, data: bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("header", "declared"), [("No comments", 0), ("One thought on “T”", 1), ("1,204 Responses", 1204)]
)
def test_declared_counts_in_words_and_numbers(tmp_path: Path, header: str, declared: int) -> None:
    page = _page("", f'<h2 class="comments-title">{header}</h2>')
    assert commentscope.load(_write(tmp_path, page)).article.declared_comments == declared


def test_declared_count_against_the_count_read(tmp_path: Path) -> None:
    page = _page(_comment(1, "Ann", "2024-01-01T10:00:00Z", "Hi."), '<h2 class="comments-title">3 comments</h2>')
    path = _write(tmp_path, page)
    problems = commentscope.load(path).problems
    assert [(p.kind, p.message) for p in problems] == [("count_mismatch", "page declares 3 comments, read 1")]
    assert runner.invoke(app, ["check", str(path)]).exit_code == 1


def test_a_comments_section_with_nothing_readable_is_a_problem(tmp_path: Path) -> None:
    page = _page('<li class="note">an entry of some other kind</li>')
    path = _write(tmp_path, page)
    thread = commentscope.load(path)
    assert len(thread.comments) == 0
    assert [p.kind for p in thread.problems] == ["html_nothing_read"]
    result = runner.invoke(app, ["check", str(path), "-f", "json"])
    assert result.exit_code == 1 and json.loads(result.stdout)["clean"] is False


def test_an_empty_block_is_skipped_with_its_reason_and_a_deleted_parent_kept(tmp_path: Path) -> None:
    reply = _comment(3, "Bea", "2024-01-01T11:00:00Z", "Still here.")
    deleted = (
        '<li id="comment-2" class="comment"><article class="comment-body"></article>'
        f'<ol class="children">{reply}</ol></li>'
    )
    empty = '<li id="comment-4" class="comment"><article class="comment-body"></article></li>'
    thread = commentscope.load(
        _write(tmp_path, _page(_comment(1, "Ann", "2024-01-01T10:00:00Z", "Hi.") + deleted + empty))
    )
    assert list(zip(thread.comments.id, thread.comments.parent_id.fillna("-"), strict=True)) == [
        ("c1", "-"),
        ("c2", "-"),
        ("c3", "c2"),
    ]
    assert [(p.kind, p.message) for p in thread.problems] == [
        ("html_skipped", "comment block comment-4 skipped: holds no author, date or text")
    ]
    assert thread.diagnostics.counts["skipped_blocks"] == 1


def test_times_some_without_a_zone_are_read_as_their_clocks_show_them(tmp_path: Path) -> None:
    comments = _comment(1, "Ann", "2024-01-01T10:00:00+08:00", "Hi.") + _comment(2, "Bo", "2024-01-01T11:00", "Yo.")
    thread = commentscope.load(_write(tmp_path, _page(comments)))
    assert list(thread.comments.timestamp.dt.strftime("%H:%M")) == ["10:00", "11:00"]
    assert thread.timezone is None


@pytest.mark.parametrize(("lang", "month"), [("en-GB", 2), ("fr", 2), ("en-US", 3), ("", 3)])
def test_ambiguous_numeric_dates_follow_the_page_language(tmp_path: Path, lang: str, month: int) -> None:
    page = (
        f'<html lang="{lang}"><body><ol class="commentlist"><li class="comment" id="comment-1">'
        '<div class="comment-body">'
        '<cite class="fn">Ann</cite><div class="comment-meta"><a href="#">03/02/2021 at 9:00 am</a></div>'
        "<p>Hi.</p></div></li></ol></body></html>"
    )
    stamp = commentscope.load(_write(tmp_path, page.encode())).comments.timestamp[0]
    assert (stamp.month, stamp.day) == ((2, 3) if month == 2 else (3, 2))


def test_comments_whose_dates_the_reader_cannot_find_are_reported(tmp_path: Path) -> None:
    """A theme's date element that no family knows: the times are empty, and check says so."""
    path = tmp_path / "page.html"
    path.write_text(
        '<ol class="comment-list"><li id="comment-1" class="comment"><article class="comment-body">'
        '<b class="fn">Ann</b> <span class="when-posted">May 1, 2020</span>'
        '<div class="comment-content"><p>Hello.</p></div></article></li></ol>',
        encoding="utf-8",
    )
    thread = commentscope.load(path)
    assert thread.comments["timestamp"].isna().all()
    assert [(p.kind, p.message) for p in thread.problems] == [
        ("html_dates_not_found", "1 of 1 comments show no date the reader could find; their times are empty")
    ]
    assert not check_thread(thread)["clean"]


@pytest.mark.parametrize(
    "header",
    [
        '<div class="comment-author meta"><strong>Ann Lee</strong> May 1, 2020 at 3:04 pm'
        '<a class="comment-reply-link"> - Reply</a></div>',
        '<footer><cite>Ann Lee</cite> <a href="#c"><time pubdate="x">May 1, 2020 at 3:04 pm</time></a></footer>',
        '<div class="comment-author">Ann Lee - May 1, 2020 - 3:04 pm</div>',
    ],
)
def test_a_name_and_date_in_theme_markup_no_family_names(tmp_path: Path, header: str) -> None:
    """Avada's name and date in one element, tagDiv's bare cite: read, not left empty."""
    path = tmp_path / "page.html"
    path.write_text(
        f'<ol class="comment-list"><li id="comment-1" class="comment"><article>{header}'
        '<div class="comment-content"><p>Hello.</p></div></article></li></ol>',
        encoding="utf-8",
    )
    thread = commentscope.load(path)
    assert thread.comments["author"].tolist() == ["Ann Lee"]
    assert thread.comments["timestamp"].tolist() == [pd.Timestamp("2020-05-01 15:04")]
    assert thread.comments["text"].tolist() == ["Hello."]
    assert thread.problems == []


def test_a_page_where_no_comment_has_a_name_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    items = "".join(
        f'<li id="comment-{n}" class="comment"><article><span class="who">Ann</span>'
        f'<time datetime="2020-05-0{n}T10:00:00Z">May {n}, 2020</time>'
        '<div class="comment-content"><p>Hello.</p></div></article></li>'
        for n in (1, 2)
    )
    path.write_text(f'<ol class="comment-list">{items}</ol>', encoding="utf-8")
    thread = commentscope.load(path)
    assert thread.comments["author"].isna().all()
    assert [p.kind for p in thread.problems] == ["html_names_not_found"]
    assert not check_thread(thread)["clean"]


def _comment_list(folder: Path, items: str) -> Thread:
    path = folder / "page.html"
    path.write_text(f'<div id="comments"><ol class="comment-list">{items}</ol></div>', encoding="utf-8")
    return commentscope.load(path)


def test_a_quotation_cite_and_a_dated_paragraph_are_no_header(tmp_path: Path) -> None:
    """Found by review: a blockquote's cite became the commenter, and a body paragraph ending in
    a date became a header and left the text."""
    thread = _comment_list(
        tmp_path,
        '<li id="comment-1" class="comment"><article class="comment-body"><div class="comment-content">'
        "<blockquote><p>Greatly exaggerated.</p><cite>Mark Twain</cite></blockquote>"
        "<p>We took the ferry on January 5, 2021</p></div></article></li>",
    )
    assert thread.comments["author"].isna().all()
    assert thread.comments["text"].tolist() == [
        "Greatly exaggerated.\n\nMark Twain\n\nWe took the ferry on January 5, 2021"
    ]


def test_anonymous_names_are_names_found(tmp_path: Path) -> None:
    """WordPress's "Anonymous" is read as no name, but its element was found: no names warning."""
    items = "".join(
        f'<li id="comment-{n}" class="comment"><article class="comment-body"><b class="fn">Anonymous</b>'
        f'<time datetime="2021-01-0{n}T15:04:00Z">x</time><div class="comment-content"><p>Hi.</p></div></article></li>'
        for n in (1, 2)
    )
    thread = _comment_list(tmp_path, items)
    assert thread.comments["author"].isna().all() and thread.problems == []


@pytest.mark.parametrize("placeholder", ['<div class="comment">Comments load with a script.</div>', ""])
def test_a_div_comment_without_names_or_dates_leaves_the_page_to_the_other_rules(
    tmp_path: Path, placeholder: str
) -> None:
    """Found by review: Drupal's family took any div.comment, ahead of the generic rule."""
    path = tmp_path / "page.html"
    path.write_text(
        f'<section id="comments">{placeholder}<ul class="thread">'
        '<li id="r-1"><span class="author-name">Ann</span> <time datetime="2021-01-05T15:04:00Z">Jan 5</time>'
        '<div class="comment">Hello there.</div><ul><li id="r-2"><span class="author-name">Bob</span> '
        '<time datetime="2021-01-06T10:00:00Z">Jan 6</time><div class="comment">Hi Ann.</div></li></ul></li>'
        "</ul></section>",
        encoding="utf-8",
    )
    thread = commentscope.load(path)
    assert thread.comments["author"].tolist() == ["Ann", "Bob"]
    assert thread.comments["depth"].tolist() == [0, 1]


def test_a_date_without_a_year_and_no_article_date_is_not_guessed(tmp_path: Path) -> None:
    page = (SAMPLES / "wordpress-com.html").read_bytes().replace(b"article:published_time", b"article:modified")
    path = _write(tmp_path, page)
    with pytest.raises(ParseError, match=r"cannot read the date 'Dec 31st at 4:05 pm' \(no year, and the page"):
        commentscope.load(path)
    thread = commentscope.load(path, lenient=True)
    assert thread.comments.timestamp.isna().all()
    assert [p.kind for p in thread.problems] == ["unreadable_date"] * 4


def test_an_unreadable_visible_date_is_a_parse_error_naming_the_line(tmp_path: Path) -> None:
    page = (
        b'<html><body><ol class="commentlist">\n<li class="comment" id="comment-9"><div class="comment-body">'
        b'<cite class="fn">Ann</cite><div class="comment-meta"><a href="#">sometime last week</a></div>'
        b"<p>Hi.</p></div></li></ol></body></html>"
    )
    path = _write(tmp_path, page)
    with pytest.raises(ParseError) as error:
        commentscope.load(path)
    assert str(error.value) == f"{path}:2: cannot read the date 'sometime last week'"
    thread = commentscope.load(path, lenient=True)
    assert [p.kind for p in thread.problems] == ["unreadable_date"]


def test_detected_by_content_whatever_the_name(tmp_path: Path) -> None:
    page = _page(_comment(1, "Ann", "2024-01-01T10:00:00Z", "Hi."))
    assert sniff(page) and sniff(b"\xef\xbb\xbf  <!doctype html><p>") and not sniff(b"Title\n\n1. Ann\n")
    assert sniff(b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">')
    assert not sniff(b'<?xml version="1.0"?>\n<rss version="2.0">')  # an export, not a page
    assert registry.detect(page[:100], "saved.txt").name == "html"
    assert registry.detect(b"not markup at all", "saved.htm").name == "html"
    assert len(commentscope.load(_write(tmp_path, page, "saved.txt")).comments) == 1


def test_stats_on_an_html_page_through_the_cli() -> None:
    result = runner.invoke(app, ["stats", str(SAMPLES / "wordpress-html5.html"), "-f", "json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert (stats["comments"], stats["top_level"], stats["max_depth"], stats["anonymous"]) == (5, 3, 2, 1)
    assert stats["first_comment"] == "2023-09-04T06:15:00"


def test_a_missing_parser_names_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "selectolax.lexbor", None)
    with pytest.raises(InputError, match=r"reading HTML needs selectolax: pip install 'commentscope\[html\]'"):
        commentscope.load(SAMPLES / "genesis.html")


# --- hostile pages ------------------------------------------------------------------------


def test_ten_thousand_nested_divs_parse_cleanly(tmp_path: Path) -> None:
    deep = "<div>" * 10_000 + _comment(1, "Ann", "2024-01-01T10:00:00Z", "Deep down.") + "</div>" * 10_000
    thread = commentscope.load(_write(tmp_path, _page(deep)))
    assert _rows(thread.comments) == [("c1", None, 0, "Ann", "2024-01-01 10:00", "comment", "Deep down.")]


def test_deep_markup_with_no_comment_markup_is_quick_and_reads_nothing(tmp_path: Path) -> None:
    block = '<div class="note"><span class="username">Ann</span><time>1 May 2024</time></div>'
    page = "<html><body>" + "<div>" * 10_000 + block + "</div>" * 10_000 + "</body></html>"
    thread = commentscope.load(_write(tmp_path, page.encode()))
    assert len(thread.comments) == 0 and thread.problems == []


def test_a_reply_chain_many_levels_deep(tmp_path: Path) -> None:
    chain = ""
    for cid in range(2_000, 0, -1):
        chain = _comment(
            cid,
            f"P{cid % 7}",
            "2024-01-01T10:00:00Z",
            f"Level {cid}.",
            f'<ol class="children">{chain}</ol>' if chain else "",
        )
    frame = commentscope.load(_write(tmp_path, _page(chain))).comments
    assert list(frame.depth) == list(range(2_000))
    assert list(frame.text[:2]) == ["Level 1.", "Level 2."]


def test_a_20_mb_attribute_and_unclosed_tags(tmp_path: Path) -> None:
    huge = '<div data-x="' + "a" * 20_000_000 + '">'
    broken = (
        '<li id="comment-1" class="comment"><article class="comment-body"><b class="fn">Ann'
        '<div class="comment-metadata">'
        '<time datetime="2024-01-01T10:00:00Z">x</time><div class="comment-content"><p>Unclosed <i>everything'
    )
    thread = commentscope.load(_write(tmp_path, _page(huge + broken)))
    assert list(thread.comments.id) == ["c1"]
    assert thread.comments.text[0] == "Unclosed everything"
    assert thread.comments.timestamp[0] == pd.Timestamp("2024-01-01 10:00")


def test_nul_bytes_are_removed_and_reported(tmp_path: Path) -> None:
    page = _page(_comment(1, "An\x00n", "2024-01-01T10:00:00Z", "Hi\x00 there."))
    thread = commentscope.load(_write(tmp_path, page))
    assert (thread.comments.author[0], thread.comments.text[0]) == ("Ann", "Hi there.")
    assert [(p.kind, p.message) for p in thread.problems] == [("html_nul_bytes", "2 NUL characters removed")]


@pytest.mark.parametrize(
    ("encoding", "meta"),
    [
        ("cp1252", '<meta charset="windows-1252">'),
        ("shift_jis", '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'),
    ],
)
def test_an_encoding_given_only_in_meta(tmp_path: Path, encoding: str, meta: str) -> None:
    name, text = ("Renée Müller", "Café “au lait”") if encoding == "cp1252" else ("山田太郎", "こんにちは、世界。")
    page = (
        f"<html><head>{meta}<title>t</title></head><body><ol class='comment-list'>"
        + _comment(7, name, "2024-01-01T10:00:00Z", text)
        + "</ol></body></html>"
    )
    thread = commentscope.load(_write(tmp_path, page.encode(encoding)))
    assert (thread.comments.author[0], thread.comments.text[0]) == (name, text)
    assert thread.problems == []


def test_a_byte_order_mark_and_the_encoding_option_win_over_meta(tmp_path: Path) -> None:
    page = _page(_comment(1, "Zoë", "2024-01-01T10:00:00Z", "Ça va."))
    thread = commentscope.load(_write(tmp_path, "\ufeff".encode("utf-16-le") + page.decode().encode("utf-16-le")))
    assert (thread.comments.author[0], thread.comments.text[0]) == ("Zoë", "Ça va.")
    declared_wrong = page.replace(b'charset="utf-8"', b'charset="koi8-r"').decode().encode("cp1252")
    thread = commentscope.load(_write(tmp_path, declared_wrong, "wrong.html"), encoding="cp1252")
    assert thread.comments.author[0] == "Zoë"


def test_check_reads_a_declared_encoding_as_the_reader_does(tmp_path: Path) -> None:
    page = _page(_comment(1, "Renée", "2024-01-01T10:00:00Z", "Café “au lait”")).replace(b"utf-8", b"windows-1252")
    path = _write(tmp_path, page.decode().encode("cp1252"))
    result = runner.invoke(app, ["check", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["clean"] is True


def test_bytes_that_do_not_decode_are_reported(tmp_path: Path) -> None:
    page = _page(_comment(1, "Ann", "2024-01-01T10:00:00Z", "Hi.")).replace(b"Hi.", b"Hi\xff.")
    thread = commentscope.load(_write(tmp_path, page))
    assert thread.comments.text[0] == "Hi\ufffd."
    assert [p.kind for p in thread.problems] == ["html_bad_bytes"]


def test_comment_markup_inside_a_script_is_not_read(tmp_path: Path) -> None:
    fake = _comment(2, "Mallory", "2024-01-01T12:00:00Z", "injected")
    page = _page(_comment(1, "Ann", "2024-01-01T10:00:00Z", "Real.") + f"<script>document.write('{fake}')</script>")
    frame = commentscope.load(_write(tmp_path, page)).comments
    assert list(frame.author) == ["Ann"] and list(frame.text) == ["Real."]


def test_an_html_page_that_is_not_a_file_fails_as_every_reader_does(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is empty"):
        load_threads(_write(tmp_path, b"  \n"), reader="html")


_PIECES = [
    '<li class="comment" id="comment-1">',
    '<li class="comment">',
    "</li>",
    '<ol class="children">',
    '<ul class="children">',
    "</ol>",
    "</ul>",
    '<article class="comment-body">',
    "</article>",
    '<b class="fn">Ann</b>',
    '<cite class="comment-author">Bo</cite>',
    '<time datetime="2024-01-01T10:00:00Z">x</time>',
    '<time datetime="nonsense">y</time>',
    '<div class="comment-metadata">March 3, 2021 at 9:15 pm</div>',
    '<div class="comment-content"><p>words</p></div>',
    '<div itemprop="comment" itemscope itemtype="https://schema.org/Comment">',
    "</div>",
    '<tr class="athing comtr" id="5"><td class="ind" indent="3">',
    '<div class="thing comment"><div class="entry"><a class="author">C</a></div><div class="child">',
    "<br>",
    "<script>x</script>",
    "\x00",
    "text",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_any_mixture_of_comment_markup_reads_or_refuses_cleanly(tmp_path: Path, pieces: list[str]) -> None:
    page = "<!DOCTYPE html><html><body>" + "".join(pieces) + "</body></html>"
    try:
        threads = load_threads(_write(tmp_path, page.encode()), lenient=True)
    except (InputError, ParseError):
        return
    commentscope.model.validate_comments(threads[0].comments)
    assert (threads[0].comments.depth >= 0).all()


def test_generic_blocks_are_read_in_page_order_even_when_a_later_date_belongs_to_an_outer_block(tmp_path) -> None:
    """A finding of the 1,000,000-input fuzz run: the generic rule found blocks from their dates,
    so an outer comment whose date comes after its reply's was listed after it (IndexError)."""
    page = tmp_path / "order.html"
    page.write_text(
        '<html><body><h1>Order</h1><ul class="talk">'
        '<li class="entry"><span class="author">Ann</span>'
        '<ul class="talk"><li class="entry"><span class="author">Bo</span> '
        '<time datetime="2022-04-01T13:00:00Z">1 April 2022</time><p>The reply.</p></li></ul>'
        '<time datetime="2022-04-01T12:00:00Z">1 April 2022</time><p>The first.</p></li>'
        '<li class="entry"><span class="author">Cy</span> <time datetime="2022-04-02T09:00:00Z">2 April 2022</time>'
        "<p>Another.</p></li></ul></body></html>",
        encoding="utf-8",
    )
    (thread,) = load_threads(page)
    rows = thread.comments[["id", "parent_id", "author", "text"]].astype(object).where(thread.comments.notna(), None)
    assert rows.values.tolist() == [
        ["c1", None, "Ann", "The first."],
        ["c1.1", "c1", "Bo", "The reply."],
        ["c2", None, "Cy", "Another."],
    ]


def test_a_trackback_is_its_own_kind_as_in_the_text_reader(tmp_path: Path) -> None:
    page = (SAMPLES / "wordpress-html5.html").read_text(encoding="utf-8")
    assert 'class="pingback even' in page
    tracked = page.replace('class="pingback even', 'class="trackback even')
    kinds = commentscope.load(_write(tmp_path, tracked.encode())).comments.set_index("id")["kind"]
    assert kinds["c505"] == "trackback" and (kinds.drop("c505") == "comment").all()
    original = commentscope.load(SAMPLES / "wordpress-html5.html").comments.set_index("id")["kind"]
    assert original["c505"] == "pingback"
