"""How far a parse can be trusted: every oddity of one page, as plain values.

``check_thread`` compares the page with what was made of it (declared against parsed
comments, the reader's own accounting of its input, the reply structure, the raw text's
encoding), so that no figure computed later silently rests on a bad parse. The accounting
(``Thread.diagnostics``: a text page's lines, a data file's records) is reported as the reader
gives it, whatever the format: it is a fault only when it does not add up.
"""

from __future__ import annotations

import ast
import re
from typing import Any

import pandas as pd

from commentscope.analysis.date_outliers import date_outliers
from commentscope.model import Thread
from commentscope.readers import PageText

#: Problem kinds the parser reports that have their own section in the report.
_KNOWN_KINDS = frozenset(
    {"count_mismatch", "unplaced", "unreadable_date", "indent_jump", "orphan_reply", "duplicate_number"}
)

#: Report keys holding lists of findings; any entry makes a page not clean.
FINDING_KEYS = (
    "unplaced",
    "unreadable_dates",
    "indent_jumps",
    "orphan_replies",
    "replies_before_parent",
    "duplicate_numbers",
    "implausible_dates",
    "other_problems",
)
#: A plateau needs at least this many replies to one parent at the deepest level.
PLATEAU_MIN_SIBLINGS = 3
#: Line numbers listed per encoding finding; the count covers them all.
FIRST_LINES = 5
PREVIEW = 60

# Encoding damage, as the characters that show it; the raw text is searched as UTF-8 bytes.
_C1 = "".join(map(chr, range(0x80, 0xA0)))  # C1 controls: what cp1252 or Latin-1 bytes 0x80-0x9f may become
_LATIN1_HIGH = "".join(map(chr, range(0x80, 0xC0)))
#: UTF-8 read as cp1252 or Latin-1: 'Ã©' for 'é', 'â€™' for '’', 'Â\xa0' for a no-break space. Each
#: first character, then one of its followers.
_MOJIBAKE_PAIRS = {"Ã": _LATIN1_HIGH + "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ", "Â": _LATIN1_HIGH, "â": "€" + _C1}
#: Control characters other than tab, newline and carriage return (NUL is counted on its own).
_CONTROL_CHARACTERS = "".join(map(chr, [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])) + _C1


def _utf8_pattern(alternatives: list[str]) -> re.Pattern[bytes]:
    """A bytes pattern matching where a text has one of these strings, each a whole number of
    characters and none the start of another. UTF-8 sequences match only at character boundaries,
    so the matches and their order are the text's own."""
    return re.compile(_byte_trie(sorted({text.encode() for text in alternatives})))


def _byte_trie(alternatives: list[bytes]) -> bytes:
    """Alternatives grouped by their first byte, so that a position is tried against one branch."""
    by_first: dict[int, list[bytes]] = {}
    for alternative in alternatives:
        by_first.setdefault(alternative[0], []).append(alternative[1:])
    single = [bytes([first]) for first, rests in by_first.items() if rests == [b""]]
    branches = [b"[" + b"".join(map(re.escape, single)) + b"]"] if len(single) > 1 else single
    for first, rests in by_first.items():
        if rests != [b""]:
            assert b"" not in rests, "no alternative may start another"
            branches.append(re.escape(bytes([first])) + b"(?:" + _byte_trie(rests) + b")")
    return b"|".join(branches)


_ENCODING_DAMAGE = {
    "nul_bytes": ["\x00"],
    "replacement_characters": ["\ufffd"],
    "control_characters": list(_CONTROL_CHARACTERS),
    "mojibake": [first + then for first, followers in _MOJIBAKE_PAIRS.items() for then in followers],
}
_ENCODING_PATTERNS = {kind: _utf8_pattern(found) for kind, found in _ENCODING_DAMAGE.items()}
# Bytes that begin no match of a kind, and none of any kind: deleting them (bytes.translate, far
# quicker than a search) leaves what a search must look at, most often nothing.
_NOT_FIRST = {
    kind: bytes(set(range(256)) - {text.encode()[0] for text in found}) for kind, found in _ENCODING_DAMAGE.items()
}
_NOT_FIRST_OF_ANY = bytes(set.intersection(*(set(other) for other in _NOT_FIRST.values())))


def check_thread(thread: Thread, text: str | PageText | None = None) -> dict[str, Any]:
    """A JSON-ready report on one parsed page; ``clean`` is False when anything is wrong.

    ``text`` is the raw page (``readers.read_source``, or the ``PageText`` of
    ``readers.load_with_text``): encoding damage can only be seen there, so ``encoding`` is
    None without it. ``depth_plateau`` is information, not a problem: a thread can
    legitimately run deep.
    """
    comments = thread.comments
    problems = thread.problems
    if isinstance(text, str):
        text = PageText.of(text)
    unplaced = [p.line for p in problems if p.kind == "unplaced" and p.line is not None]
    lines = text.lines(unplaced) if text is not None and unplaced else {}
    declared = thread.article.declared_comments
    diagnostics = thread.diagnostics
    encoding = _encoding(text) if text is not None else None
    report: dict[str, Any] = {
        "source": thread.source,
        "clean": True,
        "declared_comments": declared,
        "parsed_comments": len(comments),
        "count_matches": None if declared is None else declared == len(comments),
        "accounting": {
            "unit": diagnostics.unit,
            "counts": {str(category): int(count) for category, count in diagnostics.counts.items() if count},
            "total": diagnostics.total,
            "accounted": diagnostics.accounted,
            "adds_up": diagnostics.adds_up,
            "left_out": {
                str(category): int(count)
                for category, count in diagnostics.counts.items()
                if count and category in diagnostics.left_out
            },
        },
        "unplaced": [
            {"line": p.line, "text": _line_text(lines, p.line) or _quoted(p.message)[:PREVIEW]}
            for p in problems
            if p.kind == "unplaced"
        ],
        "unreadable_dates": [
            {"line": p.line, "text": _quoted(p.message)} for p in problems if p.kind == "unreadable_date"
        ],
        "indent_jumps": [p.line for p in problems if p.kind == "indent_jump"],
        "orphan_replies": [p.line for p in problems if p.kind == "orphan_reply"],
        "replies_before_parent": _replies_before_parent(comments),
        "duplicate_numbers": _duplicate_numbers(comments),
        "implausible_dates": date_outliers(comments),
        "other_problems": [
            {"kind": p.kind, "line": p.line, "message": p.message} for p in problems if p.kind not in _KNOWN_KINDS
        ],
        "encoding": encoding,
        "depth_plateau": _depth_plateau(comments),
    }
    report["clean"] = not (
        report["count_matches"] is False
        or report["accounting"]["adds_up"] is False
        or any(report[key] for key in FINDING_KEYS)
        or (encoding is not None and any(finding["count"] for finding in encoding.values()))
    )
    return report


def unreadable_report(source: str, message: str) -> dict[str, Any]:
    """The report of a page that could not be read at all: not clean, and why."""
    return {"source": source, "clean": False, "error": message}


def check_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One report as flat rows (source, kind, line, detail) for a table or CSV: a summary, then each finding."""
    source = report["source"]
    if "error" in report:
        return [{"source": source, "kind": "unreadable", "line": None, "detail": report["error"]}]
    rows: list[dict[str, Any]] = []

    def add(kind: str, line: int | None, detail: str) -> None:
        rows.append({"source": source, "kind": kind, "line": line, "detail": detail})

    declared = report["declared_comments"]
    parsed = report["parsed_comments"]
    comments = f"{parsed} comments" if declared is None else f"{parsed} of {declared} declared comments"
    state = "clean" if report["clean"] else "problems found"
    accounting = report["accounting"]
    unit, accounted, total = accounting["unit"], accounting["accounted"], accounting["total"]
    read = f"{accounted} of {total} {unit} read" if total is not None else f"{accounted} {unit} read"
    add("summary", None, f"{state}: {comments}, {read}")
    if report["count_matches"] is False:
        add("count_mismatch", None, f"page declares {declared} comments, parsed {parsed}")
    if accounting["adds_up"] is False:
        add("accounting", None, f"{accounted} {unit} accounted for, but the input has {total}")
    for category, count in accounting["left_out"].items():
        add("left_out", None, f"info: {count} {category} {unit} left out, as the source marks them")
    findings: list[tuple[str, int | None, str]] = []
    findings += [("unplaced", u["line"], u["text"]) for u in report["unplaced"]]
    findings += [("unreadable_date", u["line"], u["text"]) for u in report["unreadable_dates"]]
    findings += [
        ("indent_jump", line, "reply indented more than one level below its parent") for line in report["indent_jumps"]
    ]
    findings += [
        ("orphan_reply", line, "reply with no comment above it; kept as top level") for line in report["orphan_replies"]
    ]
    findings += [
        ("reply_before_parent", r["line"], f"{r['id']} is dated before the comment it answers, {r['parent_id']}")
        for r in report["replies_before_parent"]
    ]
    findings += [
        ("duplicate_number", d["lines"][0], f"top-level number {d['number']} appears {d['times']} times")
        for d in report["duplicate_numbers"]
    ]
    findings += [("implausible_date", d["line"], f"{d['id']} {d['detail']}") for d in report["implausible_dates"]]
    findings += [(o["kind"], o["line"], o["message"]) for o in report["other_problems"]]
    for kind, finding in (report["encoding"] or {}).items():
        if finding["count"]:
            at = ", ".join(map(str, finding["first_lines"]))
            findings.append((kind, finding["first_lines"][0], f"{finding['count']} found, first on lines {at}"))
    for kind, line, detail in sorted(findings, key=lambda f: (f[1] is None, f[1] or 0)):
        add(kind, line, detail)
    plateau = report["depth_plateau"]
    if plateau:
        add(
            "depth_plateau",
            plateau["line"],
            f"info: {plateau['largest_group']} replies to {plateau['parent_id']} at the deepest level "
            f"({plateau['depth']}); the site may cap nesting there, so some may answer each other",
        )
    return rows


def _line_text(lines: dict[int, str], line: int | None) -> str | None:
    found = lines.get(line) if line is not None else None
    return None if found is None else found.strip()[:PREVIEW]


def _quoted(message: str) -> str:
    """The quoted value at the end of a parser message (``... 'value'``), else the message."""
    starts = [i for i in (message.find("'"), message.find('"')) if i >= 0]
    if starts:
        try:
            value = ast.literal_eval(message[min(starts) :])
        except (ValueError, SyntaxError):
            return message
        if isinstance(value, str):
            return value
    return message


def _replies_before_parent(comments: pd.DataFrame) -> list[dict[str, Any]]:
    """Replies that come before their parent, in the page or in time (both dated)."""
    comments = comments[["id", "parent_id", "timestamp", "position", "line"]]  # rows are filtered: no texts
    replies = comments[comments["parent_id"].notna()]
    if replies.empty:
        return []
    by_id = comments.set_index("id")
    parent_time = by_id["timestamp"].reindex(replies["parent_id"]).to_numpy()
    parent_position = by_id["position"].reindex(replies["parent_id"]).to_numpy()
    early = (replies["timestamp"].to_numpy() < parent_time) | (replies["position"].to_numpy() < parent_position)
    found = replies[early]
    return [
        {"id": cid, "line": int(line), "parent_id": parent}
        for cid, line, parent in zip(found["id"], found["line"], found["parent_id"], strict=True)
    ]


def _duplicate_numbers(comments: pd.DataFrame) -> list[dict[str, Any]]:
    top = comments.loc[comments["parent_id"].isna() & comments["number"].notna(), ["number", "line"]]
    top = top[top["number"].duplicated(keep=False)]  # grouping every number would cost a list each
    lines = top.groupby("number", sort=True)["line"].agg(list)
    return [
        {"number": int(number), "times": len(at), "lines": [int(x) for x in at]}
        for number, at in lines.items()
        if len(at) > 1
    ]


def _depth_plateau(comments: pd.DataFrame) -> dict[str, Any] | None:
    """A likely nesting cap: the deepest level (2+) holds a larger sibling group than any level above it.

    Natural threads thin out as they deepen; on a site that caps nesting, a back-and-forth
    that reaches the cap continues sideways, as a run of replies to one comment there.
    """
    if comments.empty:
        return None
    deepest = int(comments["depth"].max())
    if deepest < 2:
        return None
    comments = comments[["id", "parent_id", "depth", "line"]]
    replies = comments[comments["depth"] >= 1]
    groups = replies.groupby(["depth", "parent_id"], sort=False).size()
    at_cap = groups.loc[deepest]
    largest = int(at_cap.max())
    above = int(groups.drop(index=deepest, level="depth").max())
    if largest < PLATEAU_MIN_SIBLINGS or largest <= above:
        return None
    parent = str(at_cap.idxmax())
    parent_line = comments.loc[comments["id"] == parent, "line"].iloc[0]
    return {
        "depth": deepest,
        "comments_at_depth": int(at_cap.sum()),
        "largest_group": largest,
        "parent_id": parent,
        "line": int(parent_line),
    }


def _encoding(text: PageText) -> dict[str, dict[str, Any]]:
    """Counts and first lines of NUL bytes, U+FFFD, other control characters and mojibake."""
    found = {kind: {"count": 0, "first_lines": []} for kind in _ENCODING_PATTERNS}
    for before, part in text.parts():
        starts = part.translate(None, _NOT_FIRST_OF_ANY)
        for kind, pattern in _ENCODING_PATTERNS.items():
            if starts.translate(None, _NOT_FIRST[kind]):
                _add_matches(found[kind], pattern, part, before)
    return found


def _add_matches(finding: dict[str, Any], pattern: re.Pattern[bytes], part: bytes, before: int) -> None:
    """Count a part's matches, and note the lines of the first ones (``before`` lines precede the part)."""
    first: list[int] = finding["first_lines"]
    offset, line = 0, before
    for match in pattern.finditer(part):
        finding["count"] += 1
        if len(first) < FIRST_LINES:
            line += part.count(b"\n", offset, match.start())
            offset = match.start()
            if not first or first[-1] != line + 1:
                first.append(line + 1)
