"""Write commentscope/readers/date_names.py: the date words of common languages, from CLDR.

The reader needs a few hundred words (month and weekday names, the units of "3 days ago"), and
CLDR changes them rarely, so they are compiled once into a small committed table: a run needs no
Babel (about 30 MB of locale data and its import time) and every machine reads the same words.
Run again after a Babel upgrade or to add a language:

    pip install babel==2.18.0 && python tools/make_date_names.py

Babel's data keeps neither CLDR's "yesterday"/"today" and "now" nor its "{date} 'at' {time}"
patterns, so those words, the phrases comment widgets write for a moment ago ("just now"), and
the ones WordPress's translations put between a date and its time, are listed here by hand. A
word that would mean two different things (two months, two units) in two languages stops the
script: the reader reads every page with one table, without being told its language, which is
sound only while no word is ambiguous.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

from babel import Locale, __version__

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv")
UNITS = ("second", "minute", "hour", "day", "week", "month", "year")
OUTPUT = Path(__file__).resolve().parent.parent / "commentscope" / "readers" / "date_names.py"

# Not in Babel's data: CLDR's relative day names ("relative-type" -2, -1, 0), how many days back.
DAYS_BACK = {
    "en": {"day before yesterday": 2, "yesterday": 1, "today": 0},
    "de": {"vorgestern": 2, "gestern": 1, "heute": 0},
    "fr": {"avant-hier": 2, "hier": 1, "aujourd'hui": 0, "aujourd’hui": 0},
    "es": {"anteayer": 2, "ayer": 1, "hoy": 0},
    "it": {"l'altro ieri": 2, "l’altro ieri": 2, "ieri": 1, "oggi": 0},
    "pt": {"anteontem": 2, "ontem": 1, "hoje": 0},
    "nl": {"eergisteren": 2, "gisteren": 1, "vandaag": 0},
    "pl": {"przedwczoraj": 2, "wczoraj": 1, "dzisiaj": 0, "dziś": 0},
    "sv": {"i förrgår": 2, "i går": 1, "igår": 1, "i dag": 0, "idag": 0},
}
# Not in Babel's data: what comment widgets (Disqus, Facebook's, moment.js's "a few seconds ago") write
# for a moment ago. Phrases only: a single word that also means something else ("gerade", "net",
# "ora", CLDR's "now" words: "jetzt", "nu", "agora") is no date on its own.
MOMENTS = {
    "en": ("just now", "a moment ago", "moments ago", "a few seconds ago", "few seconds ago"),
    "de": (
        "gerade eben",
        "soeben",
        "jetzt gerade",
        "vor einem Moment",
        "vor wenigen Sekunden",
        "vor ein paar Sekunden",
    ),
    "fr": ("à l'instant", "à l’instant", "il y a un instant", "il y a quelques secondes"),
    "es": ("ahora mismo", "justo ahora", "hace un momento", "hace un instante", "hace unos segundos"),
    "it": ("proprio ora", "poco fa", "pochi secondi fa", "alcuni secondi fa", "qualche secondo fa"),
    "pt": ("agora mesmo", "há pouco", "há instantes", "há poucos segundos", "há alguns segundos"),
    "nl": ("zojuist", "zonet", "nu net", "een paar seconden geleden", "enkele seconden geleden"),
    "pl": ("przed chwilą", "kilka sekund temu"),
    "sv": ("just nu", "nyss", "alldeles nyss", "för några sekunder sedan", "några sekunder sedan"),
}
# Not in Babel's data: what stands for the number one in "a day ago", "vor einem Tag".
ONE = {
    "en": ("a", "an", "one"),
    "de": ("ein", "eine", "einem", "einer", "einen"),
    "fr": ("un", "une"),
    "es": ("un", "una", "uno"),
    "it": ("un", "una", "uno"),
    "pt": ("um", "uma"),
    "nl": ("een", "één"),
    "pl": (),
    "sv": ("en", "ett"),
}
# WordPress's translations of "%1$s at %2$s" (a comment's date, then its time), and their variants.
JOINS = {
    "en": ("at", "@", "-", "–", "—", "|"),
    "de": ("um",),
    "fr": ("à", "a"),
    "es": ("a las", "a la"),
    "it": ("alle", "alle ore", "ore", "all'", "all’"),
    "pt": ("às", "as", "à"),
    "nl": ("om",),
    "pl": ("o", "o godz.", "godz."),
    "sv": ("kl.", "kl", "klockan"),
}
# Words after the clock time: "13:05 Uhr", "13 h 05", "13:05 hs".
CLOCK_WORDS = ("uhr", "h", "hs", "horas", "godz.")


def plain(word: str) -> str:
    """A word without its accents, the way some pages write it ("fevrier", "marz")."""
    decomposed = unicodedata.normalize("NFKD", word.replace("ł", "l"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def spellings(word: str, language: str) -> set[str]:
    """The lower-case spellings a page may use: as CLDR writes it, without its trailing dot,
    without accents, and (German) with umlauts as 'ae', 'oe', 'ue'."""
    word = word.lower().rstrip(".")
    found = {word, plain(word)}
    if language == "de":
        found.add(word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"))
    return {spelling for spelling in found if spelling}


def add(table: dict[str, object], word: str, meaning: object, where: str) -> None:
    if table.get(word, meaning) != meaning:
        sys.exit(f"{word!r} means both {table[word]!r} and {meaning!r} ({where}): the table would be ambiguous")
    table[word] = meaning


def collect() -> dict[str, object]:
    months: dict[str, object] = {}
    weekdays: dict[str, object] = {}
    units: dict[str, object] = {}
    frames: set[tuple[str, str]] = set()
    for language in LANGUAGES:
        locale = Locale.parse(language)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    for spelling in spellings(name, language):
                        add(months, spelling, number, language)
                for name in locale.days[context][width].values():
                    for spelling in spellings(name, language):
                        add(weekdays, spelling, True, language)
        fields = locale._data["date_fields"]
        for unit in UNITS:
            for pattern in fields[unit]["past"].values():
                before, _, after = pattern.partition("{0}")
                words = after.split()
                unit_word, after = words[0], " ".join(words[1:])
                frames.add((before.strip().lower(), after.lower()))
                for spelling in spellings(unit_word, language):
                    add(units, spelling, unit, language)
    days_back: dict[str, object] = {}
    for language, words in DAYS_BACK.items():
        for word, back in words.items():
            for spelling in spellings(word, language):
                add(days_back, spelling, back, language)

    def every(lists: dict[str, tuple[str, ...]]) -> list[str]:
        found = {
            spelling for language, words in lists.items() for word in words for spelling in spellings(word, language)
        }
        return sorted(found)

    return {
        "MONTHS": dict(sorted(months.items())),
        "WEEKDAYS": sorted(weekdays),
        "UNITS": dict(sorted(units.items())),
        "AGO_FRAMES": sorted(frames),
        "DAYS_BACK": dict(sorted(days_back.items())),
        "MOMENTS": every(MOMENTS),
        "ONE": every(ONE),
        "JOINS": every(JOINS),
        "CLOCK_WORDS": sorted(CLOCK_WORDS),
    }


COMMENTS = {
    "MONTHS": "Month names and abbreviations (lower case, no trailing dot, also without accents): the month.",
    "WEEKDAYS": "Weekday names and abbreviations, the same way.",
    "UNITS": 'The units of "3 days ago" in each language, singular and plural: which unit.',
    "AGO_FRAMES": 'What comes before the number and after the unit in "N units ago": ("vor", ""), ("", "ago").',
    "DAYS_BACK": 'Relative day names ("yesterday"), not in Babel\'s data: how many days back.',
    "MOMENTS": 'Phrases for a moment ago ("just now", "gerade eben"), not in Babel\'s data: the reference time.',
    "ONE": 'What stands for the number one ("a day ago"), not in Babel\'s data.',
    "JOINS": "What joins a date to its time (WordPress's translations of 'at'), not in Babel's data.",
    "CLOCK_WORDS": "What may follow a clock time (13:05 Uhr, 13 h 05).",
}


def literal(value: object) -> str:
    """A value as ruff's formatter writes it (double quotes), so the output needs no formatting."""
    if isinstance(value, tuple):
        return f"({', '.join(map(literal, value))})"
    return json.dumps(value, ensure_ascii=False)


def render(tables: dict[str, object]) -> str:
    lines = [
        '"""Date words of common languages, from CLDR: generated by tools/make_date_names.py, do not edit.',
        "",
        f"Babel {__version__}; languages: {', '.join(LANGUAGES)}.",
        '"""',
        "",
        f"LANGUAGES = {literal(LANGUAGES)}",
    ]
    for name, value in tables.items():
        lines += ["", f"#: {COMMENTS[name]}"]
        if isinstance(value, dict):
            kind = f"dict[str, {type(next(iter(value.values()))).__name__}]"
            lines.append(f"{name}: {kind} = {{")
            lines += [f"    {literal(key)}: {literal(item)}," for key, item in value.items()]
            lines.append("}")
        else:
            kind = "tuple[tuple[str, str], ...]" if name == "AGO_FRAMES" else "tuple[str, ...]"
            lines.append(f"{name}: {kind} = (")
            lines += [f"    {literal(item)}," for item in value]
            lines.append(")")
    return "\n".join(lines) + "\n"


def main() -> None:
    OUTPUT.write_text(render(collect()), encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
