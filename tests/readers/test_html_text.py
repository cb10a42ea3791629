"""The HTML reader's comment texts: paragraphs and line breaks kept, and word counts that agree
with the text (they are counted while the text is gathered, not from it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

import commentscope
from commentscope.readers.html import _SPACE_BUT_BLANK, _collapsed, _text_and_words, text_of

SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples" / "html"

_WORDS = st.sampled_from(["a", "word", "café", "x\u00a0y", " ", "\t", "\n", "\u2003", "&amp;", "&nbsp;", "", "–"])
_PIECES = st.lists(
    st.one_of(
        _WORDS,
        st.sampled_from(["<br>", "<p>", "</p>", "<div>", "</div>", "<em>", "</em>", "<li>", "<!-- c -->", "<span>"]),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_PIECES)
def test_words_are_what_splitting_the_text_gives(pieces: list[str]) -> None:
    node = LexborHTMLParser("<html><body><main>" + "".join(pieces) + "</main></body></html>").css_first("main")
    text, words = _text_and_words(node)
    assert text == text_of(node)
    assert words == len(text.split())
    assert "\x01" not in text and not text.startswith((" ", "\n")) and not text.endswith((" ", "\n"))


def test_the_white_space_list_is_what_split_splits_at() -> None:
    spaces = {chr(code) for code in range(0x110000) if chr(code).isspace()}
    assert {chr(code) for code in range(0x110000) if _SPACE_BUT_BLANK.match(chr(code))} == spaces - {" "}


@given(st.text(st.sampled_from(["a", "é", " ", "\t", "\n", "\xa0", "\u3000", "\x1f", "\x85", "\u200b"])))
def test_a_text_is_collapsed_when_split_and_join_would_leave_it_so(text: str) -> None:
    assert _collapsed(text) == (bool(text) and text == " ".join(text.split()))


def test_paragraphs_and_line_breaks() -> None:
    node = LexborHTMLParser(
        "<html><body><main><p>One  two\n three</p><p>Four<br>five <em>six</em></p>seven</main></body></html>"
    ).css_first("main")
    assert _text_and_words(node) == ("One two three\n\nFour\nfive six\n\nseven", 7)


@pytest.mark.parametrize("sample", sorted(path.name for path in SAMPLES.glob("*.html")))
def test_every_samples_word_counts_agree_with_its_texts(sample: str) -> None:
    comments = commentscope.load(SAMPLES / sample).comments
    assert len(comments) > 0
    assert list(comments.words) == [len(text.split()) for text in comments.text]
