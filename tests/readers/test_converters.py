"""Pages as text browsers and converters render them (samples/converters): each read to the exact tree."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import commentscope
from commentscope.analysis.check import check_thread
from commentscope.readers import read_source
from commentscope.readers.textpage import parse_page

T = pd.Timestamp

# name: [(id, parent_id, depth, author, timestamp, text)]
TREES = {
    "lynx.txt": [
        ("c1", None, 0, "Marta Quill", T("2021-03-03 21:15"), "The lemon bars sold out in an hour."),
        ("c1.1", "c1", 1, "Odile Brandt", T("2021-03-03 21:40"), "Next year we bake twice as many."),
        ("c2", None, 0, "Teo Vance", T("2021-03-04 08:05"), "Will there be a summer sale too?"),
    ],
    "w3m.txt": [
        ("c1", None, 0, "Pavel Stroud", T("2022-04-09 23:02"), "Finally. The last train leaves far too early."),
        ("c1.1", "c1", 1, "Ines Duarte", T("2022-04-10 07:30"), "The first bus leaves at 00:40."),
        ("c1.1.1", "c1.1", 2, "Pavel Stroud", T("2022-04-10 08:12"), "Even better."),
        ("c2", None, 0, "Nadia Coelho", T("2022-04-10 09:00"), "Does it stop at the hospital?"),
    ],
    "elinks.txt": [
        ("c1", None, 0, "Lior Ben-Ami", T("2023-05-02 18:45"), "Good, the old rails rattle."),
        ("c1.1", "c1", 1, "Rosa Lind", T("2023-05-02 19:10"), "They keep me awake."),
    ],
    "inline.txt": [
        ("c1", None, 0, "Hanne Voss", T("2019-06-20 16:47"), "The acoustics were wonderful."),
        ("c2", None, 0, "Bram Olsen", T("2019-06-21 10:05"), "Will there be a recording?"),
        ("c2.1", "c2", 1, "Hanne Voss", T("2019-06-21 11:30"), "I hope so."),
        ("c3", None, 0, "Ezra Kalt", T("2019-06-22 02:41"), "Lovely evening."),
    ],
    "dayfirst.txt": [
        ("c1", None, 0, "Gwen Harlow", T("2020-04-14 15:00"), "About time, I have waited two years."),
        ("c1.1", "c1", 1, "Mo Farid", T("2020-05-03 09:15"), "Same here."),
    ],
    "form_and_sidebar.txt": [
        ("c1", None, 0, "Kit Morrow", T("2020-07-12 16:39"), "Mine died twice. Third time lucky."),
        ("c2", None, 0, "June Alder", T("2020-07-13 08:02"), "Pinch off the flowers."),
    ],
    "html2text.txt": [
        (
            "c1",
            None,
            0,
            "Selma Ruiz",
            T("2021-03-03 21:15"),
            "The early boat matters most to me. Details at\nhttps://example.org/early.",
        ),
        (
            "c1.1",
            "c1",
            1,
            "Jon Pike",
            T("2021-03-03 21:40"),
            "Same here, I read [the notice](https://example.org/notice) twice.",
        ),
        ("c2", None, 0, "Ada Moss", T("2021-03-04 08:05"), "No more Sunday boats?"),
    ],
    "no_structure.txt": [],
    # No year shown: read in the article's (2020); "2. Januar" falls before the article, so in 2021.
    "german_yearless.txt": [
        ("c1", None, 0, "Greta Lohmann", T("2020-12-30 21:15"), "Die Waffeln waren wunderbar, und der Punsch auch."),
        ("c1.1", "c1", 1, "Jonas Pieper", T("2020-12-31 10:40"), "Ich gehe heute Abend noch einmal hin."),
        ("c2", None, 0, "Ruth Anders", T("2021-01-02 09:05"), "Schade, dass er schon zu ist."),
    ],
    # No year shown and no article date: read in the year of the page's other comment (2016).
    "french_yearless.txt": [
        ("c1", None, 0, "Amélie Roux", T("2016-06-22 09:05"), "Les photos sont superbes."),
        ("c1.1", "c1", 1, "Bruno Lefèvre", T("2016-06-23 17:21"), "Merci, je les ai prises au lever du soleil."),
        ("c2", None, 0, "Chloé Martin", T("2016-06-24 08:00"), "Il faudra revenir au printemps prochain."),
    ],
    "month_first_words.txt": [
        ("c1", None, 0, "Lucía Ortega", T("2019-01-24 13:05"), "Me salió perfecto a la primera."),
        ("c1.1", "c1", 1, "Mateo Díaz", T("2019-01-25 09:15"), "¿Con leche entera o desnatada?"),
        ("c2", None, 0, "Inés Prado", T("2019-02-02 18:40"), "Yo le pongo un poco de canela."),
    ],
}
# What check says of each, beyond the summary.
FINDINGS = {name: [] for name in TREES} | {
    "inline.txt": ["year_assumed"],
    "german_yearless.txt": ["year_assumed"],
    "french_yearless.txt": ["year_assumed"],
    "no_structure.txt": ["no_comment_structure"],
}


def _tree(thread: commentscope.Thread) -> list[tuple]:
    frame = thread.comments
    return [
        (cid, None if pd.isna(parent) else parent, depth, author, when, text)
        for cid, parent, depth, author, when, text in zip(
            frame["id"],
            frame["parent_id"],
            frame["depth"],
            frame["author"],
            frame["timestamp"],
            frame["text"],
            strict=True,
        )
    ]


@pytest.mark.parametrize("name", sorted(TREES))
def test_each_converter_layout_reads_to_the_exact_tree(samples: Path, name: str) -> None:
    path = samples / "converters" / name
    thread = commentscope.load(path)
    assert _tree(thread) == TREES[name]
    report = check_thread(thread, read_source(path))
    assert [p.kind for p in thread.problems] == FINDINGS[name]
    assert report["clean"] is (not FINDINGS[name])
    assert report["accounting"]["adds_up"] is True


def test_furniture_around_the_comments_is_counted_as_such(samples: Path) -> None:
    thread = commentscope.load(samples / "converters" / "form_and_sidebar.txt")
    # The reply form above the comments and the related posts after them; the post's dated meta
    # list above the header is the article's.
    assert thread.diagnostics.counts["footer"] == 9
    assert "Updated: August 22, 2019" in thread.article.body
    assert thread.article.declared_comments == 2


@pytest.mark.parametrize(
    ("line", "author", "date"),
    [
        ("Jane on September 12, 2018 at 4:47 pm said:", "Jane", "2018-09-12 16:47"),
        ("Jane February 23, 2017 at 12:33 pm Reply", "Jane", "2017-02-23 12:33"),
        ("Jane | February 23, 2017 at 12:33 pm", "Jane", "2017-02-23 12:33"),
        ("Jane - February 23, 2017 at 12:33 pm", "Jane", "2017-02-23 12:33"),
        ("Jane · February 23, 2017 at 12:33 pm", "Jane", "2017-02-23 12:33"),
        ("February 23, 2017 at 12:33 pm | Jane", "Jane", "2017-02-23 12:33"),
        ("Jana sagt: 2017-02-23 12:33", "Jana", "2017-02-23 12:33"),
        ("Jeanne dit : 2017-02-23 12:33", "Jeanne", "2017-02-23 12:33"),
        ("Juana dice: 2017-02-23 12:33", "Juana", "2017-02-23 12:33"),
        ("Gianna ha detto: 2017-02-23 12:33", "Gianna", "2017-02-23 12:33"),
        ("Jans zegt: 2017-02-23 12:33", "Jans", "2017-02-23 12:33"),
        ("Joana disse: 2017-02-23 12:33", "Joana", "2017-02-23 12:33"),
        ("Janina pisze: 2017-02-23 12:33", "Janina", "2017-02-23 12:33"),
    ],
)
def test_an_author_and_a_date_on_the_marker_line(line: str, author: str, date: str) -> None:
    thread = parse_page(f"Title\n\n  1. {line}\n\n    Text.\n", "page")
    assert (thread.comments["author"].tolist(), thread.comments["timestamp"].tolist()) == ([author], [T(date)])
    assert thread.comments["text"].tolist() == ["Text."]


@pytest.mark.parametrize(
    "prefix", ["Avatar ", "[IMG] ", "[avatar] ", "[0e1ea3] ", "[edcae]", "![](https://example.org/a.png) "]
)
def test_avatar_placeholders_come_off_the_name(prefix: str) -> None:
    thread = parse_page(f"Title\n\n  1. {prefix}Kristine says:\n    May 1, 2020 at 10:00\n\n    Text.\n", "page")
    assert thread.comments["author"].tolist() == ["Kristine"]


def test_a_bracketed_name_that_is_no_placeholder_is_kept() -> None:
    thread = parse_page("Title\n\n  1. [bold]Mallory[/bold]\n    May 1, 2020 at 10:00\n\n    Text.\n", "page")
    assert thread.comments["author"].tolist() == ["[bold]Mallory[/bold]"]


@pytest.mark.parametrize("bullets", [("1.", "*"), ("1)", "+"), ("1.", "-"), ("1.", "o"), ("#", "@"), ("1.", "▪")])
def test_every_converter_bullet_and_number_style_opens_comments(bullets: tuple[str, str]) -> None:
    top, reply = bullets
    text = (
        f"Title\n\n  {top} Ann\n    May 1, 2020 at 10:00\n\n    Text.\n\n"
        f"    {reply} Bob\n      May 1, 2020 at 11:00\n\n      Re.\n"
    )
    thread = parse_page(text, "page")
    assert thread.comments[["depth", "author"]].values.tolist() == [[0, "Ann"], [1, "Bob"]]


def test_a_list_in_a_body_stays_text_whatever_its_bullet() -> None:
    text = "Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n\n    Two things:\n    * one\n    - two\n"
    thread = parse_page(text, "page")
    assert thread.comments["text"].tolist() == ["Two things:\n* one\n- two"]
    assert thread.problems == []


def test_right_aligned_numbers_are_one_level() -> None:
    comments = "".join(f"{n:>5}. Ann{n}\n       May {n}, 2020 at 10:00\n       Text.\n" for n in range(12, 8, -1))
    thread = parse_page("Title\n\n" + comments, "page")
    assert thread.comments["depth"].tolist() == [0, 0, 0, 0]
    assert thread.problems == []


@pytest.mark.parametrize(
    ("header", "declared"),
    [
        ("91 Kommentare", 91),
        ("5 thoughts on “Title”", 5),
        ("## 5 thoughts on “Title”", 5),
        ("This Post Has 2 Comments", 2),
    ],
)
def test_headers_in_other_languages_and_markdown(header: str, declared: int) -> None:
    thread = parse_page(f"Title\n\nBody.\n\n{header}\n\n  1. Ann\n    May 1, 2020 at 10:00\n\n    Text.\n", "page")
    assert thread.article.declared_comments == declared


def _invoke(*args: str):
    from typer.testing import CliRunner

    from commentscope.cli import app

    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_stats_warns_on_stderr_when_a_page_has_no_comment_structure(samples: Path) -> None:
    path = samples / "converters" / "no_structure.txt"
    result = _invoke("stats", str(path), "-f", "json")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"Warning: {path}: no comment structure found")
    assert '"comments": 0' in result.stdout
    assert _invoke("check", str(path)).exit_code == 1


def test_encoding_errors_replace_reads_broken_bytes_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n\n    Smile \xf0\x9f\xfd.\n")
    strict = _invoke("comments", str(path), "-f", "csv")
    assert strict.exit_code == 3 and "--encoding-errors replace" in strict.stderr
    replaced = _invoke("comments", str(path), "-f", "csv", "--encoding-errors", "replace")
    assert replaced.exit_code == 0
    assert "3 bytes that are not valid text were replaced by U+FFFD" in replaced.stderr
    assert "Smile \ufffd\ufffd." in replaced.stdout


@pytest.mark.parametrize(
    ("option", "expected"), [("--dayfirst", "2020-04-03T10:00:00"), ("--monthfirst", "2020-03-04T10:00:00")]
)
def test_the_date_order_options(tmp_path: Path, option: str, expected: str) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Title\n\n  1. Ann\n    03/04/2020 at 10:00\n\n    Text.\n", encoding="utf-8")
    result = _invoke("comments", str(path), "-f", "jsonl", option)
    assert (result.exit_code, result.stderr) == (0, "")
    assert f'"timestamp": "{expected}"' in result.stdout
    guessed = _invoke("comments", str(path), "-f", "jsonl")
    assert "could be day first or month first" in guessed.stderr


def test_html2text_lines_keep_their_numbers(samples: Path) -> None:
    thread = commentscope.load(samples / "converters" / "html2text.txt")
    assert thread.comments["line"].tolist() == [8, 18, 27]
    assert thread.article.title == "Ferry Timetable Changes"


def test_a_name_written_twice_by_its_avatar_is_one_name() -> None:
    text = "Title\n\n  1. Armin Armin says:\n    May 1, 2020 at 10:00\n\n    Text.\n"
    assert parse_page(text, "page").comments["author"].tolist() == ["Armin"]


def test_the_year_assumed_says_where_it_came_from(samples: Path) -> None:
    german = commentscope.load(samples / "converters" / "german_yearless.txt").problems
    french = commentscope.load(samples / "converters" / "french_yearless.txt").problems
    assert german[0].message == "3 comment dates show no year: read in 2020, from the article's date"
    assert french[0].message == "2 comment dates show no year: read in 2016, from the page's other comments"


@pytest.mark.parametrize(
    "word", ["Antworten", "Répondre", "Responder", "Rispondi", "Beantwoorden", "Odpowiedz", "Svara"]
)
def test_reply_links_in_other_languages_are_link_leftovers(word: str) -> None:
    thread = parse_page(f"Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n\n    Text.\n\n    {word}\n", "page")
    assert thread.comments["text"].tolist() == ["Text."]
    assert thread.diagnostics.counts["link"] == 1


@pytest.mark.parametrize("links", [" Edit", "  (Edit)", " · Reply", " | Permalink | Bearbeiten"])
def test_links_after_the_date_leave_the_date_line_a_date(links: str) -> None:
    """A logged-in editor's saved page has 'Edit' after each date: the date line is still one."""
    page = f"Title\n\n  1. Lena Brook says:\n    March 2, 2012 at 10:05 am{links}\n\n    Text.\n"
    thread = parse_page(page, "page")
    assert thread.comments["author"].tolist() == ["Lena Brook"]
    assert thread.comments["timestamp"].tolist() == [T("2012-03-02 10:05")]
    assert thread.comments["text"].tolist() == ["Text."]


def test_an_avatar_placeholder_alone_on_the_marker_line_is_no_name() -> None:
    """w3m prints an avatar without alt text as the start of its file's name ("[a]")."""
    page = "Title\n\n 1. [a]\n    Yara Quist\n    June 8, 2022 at 3:14 pm\n\n    Text.\n"
    comments = parse_page(page, "page").comments
    assert (comments["author"].tolist(), comments["text"].tolist()) == (["Yara Quist"], ["Text."])


@pytest.mark.parametrize(("name", "author"), [("[g]Hana Ito", "Hana Ito"), ("[grey-socia] Bob Li", "Bob Li")])
def test_a_short_file_name_placeholder_comes_off_the_name(name: str, author: str) -> None:
    thread = parse_page(f"Title\n\n  1. {name}\n    May 1, 2020 at 10:00\n\n    Text.\n", "page")
    assert thread.comments["author"].tolist() == [author]


@pytest.mark.parametrize("shown", ["Anonymous says:", "[1]Anonymous says:", "anonymous", "[deleted]"])
def test_what_stands_in_place_of_a_name_is_no_author(shown: str) -> None:
    """As the HTML reader reads the markup: such comments are not one commenter."""
    page = (
        f"Title\n\n  2. {shown}\n    May 1, 2020 at 10:00\n\n    One.\n\n"
        f"  1. {shown}\n    May 2, 2020 at 10:00\n\n    Two.\n"
    )
    comments = parse_page(page, "page").comments
    assert comments["author"].isna().tolist() == [True, True]
    assert comments["text"].tolist() == ["One.", "Two."]


def test_a_moderation_notice_is_no_part_of_the_comment() -> None:
    page = "Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n    Your comment is awaiting moderation.\n\n    Text.\n"
    thread = parse_page(page, "page")
    assert thread.comments["text"].tolist() == ["Text."]
    assert thread.diagnostics.counts["link"] == 1


@pytest.mark.parametrize("likes", ["Like Liked by 5 people", "LikeLiked by 1 person", "Liked by you and 3 others"])
def test_a_like_button_is_no_part_of_the_comment(likes: str) -> None:
    page = f"Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n\n    Text.\n    {likes}\n"
    thread = parse_page(page, "page")
    assert thread.comments["text"].tolist() == ["Text."]
    assert thread.diagnostics.counts["link"] == 1


def test_html2text_pingbacks_headings_and_a_lone_avatar_marker(tmp_path: Path) -> None:
    """A pingback's marker opens a comment at its own level, a heading after the last comment is
    the page's, and a marker holding only an avatar has its author and date on the lines below."""
    page = (
        "# Title\n\n[Home](/) [About](/about) [Blog](/blog)\n\n## 3 comments\n\n"
        "  1. ![](a.png)\n\nYara Quist\n\nJune 8, 2022 at 3:14 pm Edit\n\nThe vase.\n\n"
        "  2. ![](b.png) **Sven Dubois** says:\n\nJune 10, 2022 at 6:45 pm\n\nClasses?\n\n"
        "  3. Pingback: [Weekly roundup](https://blog.example/r) Edit\n\n## Archives\n\n  * [August](/2022/08/)\n"
    )
    comments = _markdown_comments(tmp_path, page)
    assert comments["author"].tolist() == ["Yara Quist", "Sven Dubois", "Weekly roundup"]
    assert comments["depth"].tolist() == [0, 0, 0]
    assert comments["kind"].tolist() == ["comment", "comment", "pingback"]
    assert comments["text"].tolist() == ["The vase.", "Classes?", ""]


def test_an_author_and_a_date_on_the_line_below_a_marker() -> None:
    """Divi's 'Name on DATE' under a marker holding the name again (an avatar's alt text)."""
    page = "Title\n\n  1. Rhona Gill\n    Rhona Gill on January 5, 2021 at 3:04 pm\n\n    Worth it.\n"
    comments = parse_page(page, "page").comments
    assert comments["author"].tolist() == ["Rhona Gill"]
    assert comments["timestamp"].tolist() == [T("2021-01-05 15:04")]
    assert comments["text"].tolist() == ["Worth it."]


def test_a_list_line_over_someone_elses_name_and_date_is_body_text() -> None:
    page = (
        "Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n\n    Notes:\n    1. Shopping list\n"
        "      Bob on January 5, 2021 at 3:04 pm\n"
    )
    comments = parse_page(page, "page").comments
    assert comments["author"].tolist() == ["Ann"]
    assert comments["text"].tolist() == ["Notes:\n1. Shopping list\n  Bob on January 5, 2021 at 3:04 pm"]


def test_html2text_an_author_and_a_date_below_an_avatar_marker(tmp_path: Path) -> None:
    page = (
        "# Title\n\n[Home](/) [About](/about) [Blog](/blog)\n\n## 1 Comment\n\n"
        "  1. ![Rhona Gill](rg.jpg)\n\n[Rhona Gill](https://example.org/rg) on January 5, 2021 at 3:04 pm\n\n"
        "Worth it:  \n1\\. the plot \\- at last\n"
    )
    comments = _markdown_comments(tmp_path, page)
    assert (comments["author"].tolist(), comments["text"].tolist()) == (
        ["Rhona Gill"],
        ["Worth it:\n1. the plot - at last"],
    )
    assert comments["timestamp"].tolist() == [T("2021-01-05 15:04")]


@pytest.mark.parametrize("links", ["ReplyDelete", "Reply Delete"])
def test_bloggers_reply_and_delete_links_are_no_part_of_the_comment(links: str) -> None:
    page = f"Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n\n    Text.\n    {links}\n"
    assert parse_page(page, "page").comments["text"].tolist() == ["Text."]


def _markdown_comments(folder: Path, page: str) -> pd.DataFrame:
    path = folder / "page.md"
    path.write_text(page, encoding="utf-8")
    return commentscope.load(path).comments


@pytest.mark.parametrize(
    "items",
    [
        "     1.\n       Arrived Tuesday 5 May 2020 at 10:00\n       Then took the bus.\n",
        "     *\n   Updated by the editor on May 3, 2020\n",
    ],
)
def test_a_bare_list_marker_over_words_and_a_date_is_body_text(items: str) -> None:
    """Found by review: a list item holding words and a date became a reply."""
    ann = "  1. Ann says:\n    May 1, 2020 at 10:00\n\n    My itinerary:\n\n"
    page = f"Title\n\n{ann}{items}\n  2. Bob says:\n    May 2, 2020 at 10:00\n\n    Two.\n"
    comments = parse_page(page, "page").comments
    assert comments["author"].tolist() == ["Ann", "Bob"]


@pytest.mark.parametrize(
    ("shown", "author"),
    [("Kovács Edit", "Kovács Edit"), ("[Ann](https://ann.example) says:", "Ann"), ("[Bob] says:", "[Bob]")],
)
def test_names_that_end_in_a_link_word_or_are_bracketed_keep_it(shown: str, author: str) -> None:
    """Found by review: Edit is a Hungarian given name; brackets that are a link's or the whole name stay."""
    page = f"Title\n\n  1. {shown}\n    May 1, 2020 at 10:00\n\n    Text.\n"
    assert parse_page(page, "page").comments["author"].tolist() == [author]


def test_html2text_code_keeps_its_backslashes(tmp_path: Path) -> None:
    page = (
        "# Title\n\n[Home](/) [About](/about) [Blog](/blog)\n\n## 1 Comment\n\n"
        '  1. **Ann** says:\n\nJune 8, 2022 at 3:14 pm\n\nUse this:\n\n    pattern = r"\\d+\\.\\d+"\n\nor `\\[x\\]`.\n'
    )
    comments = _markdown_comments(tmp_path, page)
    assert comments["text"].tolist() == ['Use this:\n\n    pattern = r"\\d+\\.\\d+"\n\nor `\\[x\\]`.']
