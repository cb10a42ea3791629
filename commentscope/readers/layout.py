"""What converters and text browsers print around comments, as data: the words and signs the text
page reader looks for, kept apart from the machinery that applies them (``textpage``).

Every pattern here is written for both regex engines (Python's ``re`` and Arrow's RE2): no
lookarounds, white space spelled out where it matters.
"""

from __future__ import annotations

import re

#: What may come before the number of a comments header ("This Post Has 80 Comments").
HEADER_LEADS = "this post has|there are|showing|displaying|es gibt"
#: Words after a number in a comments header ("13 Comments", "91 Kommentare", "5 thoughts on ...").
HEADER_WORDS = (
    "comments?|responses?|thoughts?|replies|reactions?|kommentare?|antworten|commentaires?|réponses?"
    "|comentarios?|respuestas?|commenti|commento|risposte|reacties?|comentários?|respostas?"
    "|komentarz[ey]?|odpowiedzi"
)
#: "says:" as WordPress prints it in the languages it is most often translated into.
SAYS_WORDS = "says|sagt|schreibt|dit|écrit|dice|escribe|ha detto|zegt|schreef|disse|diz|pisze|napisał|napisała"
SAYS = rf"(?:{SAYS_WORDS})[\t \xa0]?:"
#: A marker line saying "Pingback: Title" opens a comment of that kind, dated or not.
PINGBACK = r"(?i)^(?P<kind>pingback|trackback)[ \t\xa0]*:[ \t\xa0]*"
#: What a site shows in place of a commenter's name (WordPress's "Anonymous" for an empty one,
#: Drupal's "Anonymous (not verified)", reddit's "[deleted]"), compared lower-cased: not a name,
#: so that such comments are not merged into one commenter. Both page readers, text and HTML,
#: leave the author empty for them.
NOT_A_NAME = frozenset({"anonymous", "anonymous (not verified)", "[deleted]", "[removed]", "deleted"})
#: What a converter leaves before a commenter's name: an avatar's alt text, an image placeholder
#: (lynx "[IMG]"; w3m's "[0e1ea3]" or "[g]", the start of the image's file name, with or without a
#: space after it), a Markdown image. Removed from author lines, after Markdown links.
AVATAR_PREFIX = (
    r"^(?:(?:!\[[^\]]*\]\([^)]*\)|\[[^\]\s]{1,24}\])[ \xa0]*"
    r"|(?i:avatar|gravatar|user avatar|profile picture|photo)[ \xa0]+)+"
)
#: A name that holds bracketed markup ("[b]Mallory[/b]"): its first brackets are no placeholder.
BRACKETED_MARKUP = r"\][^\[]*\["
#: WordPress.com's (Jetpack's) like button under a comment, as converters print it ("Like Liked by 5
#: people", "LikeLiked by 1 person"): furniture, like a Reply link.
LIKES_LINE = r"^(?:Like[ \xa0]?)?Liked by (?:you|[0-9][0-9,]* (?:person|people))(?: and [0-9][0-9,]* others?)?$"
#: The links a comment's header line may end in, after its date or name: WordPress's "Edit" (shown
#: to a logged-in editor, often in brackets) and "Reply", in the languages of ``SAYS_WORDS``, and
#: "Permalink", after a sign (`|`, `·`, `-`) or not. Removed from a header line before its date
#: is looked for.
HEADER_LINK_WORDS = (
    "edit|bearbeiten|modifier|editar|modifica|bewerken|edytuj|redigera"
    "|reply|antworten|répondre|responder|rispondi|beantwoorden|odpowiedz|svara|permalink"
)
HEADER_LINKS_AFTER = rf"(?i)(?:[ \xa0]+(?:[|·•–-][ \xa0]*)?\(?(?:{HEADER_LINK_WORDS})\)?)+$"
#: ... after a sign or in brackets: a link whatever comes before it (a bare word may end a name)
SIGNED_LINKS_AFTER = rf"(?i)[ \xa0]+(?:[|·•–-][ \xa0]*|\()(?:{HEADER_LINK_WORDS})\)?(?:[ \xa0]+.*)?$"
#: Lines that end the comment section when they come after the first comment (the reply form and
#: what follows it), compared after stripping and without a trailing colon or asterisk. ("Comments
#: are closed" is not one: pages print it above their comments as well as below.)
SECTION_END_LINES = frozenset(
    {
        "Leave a Reply",
        "Leave a Comment",
        "Leave a Reply Cancel reply",
        "Post Comment",
        "Submit Comment",
        "Related Posts",
        "Related posts",
        "Related",
        "You may also like",
        "Recent Posts",
        "Share this",
        "Hinterlasse einen Kommentar",
        "Schreibe einen Kommentar",
        "Laisser un commentaire",
        "Deja una respuesta",
        "Lascia un commento",
        "Geef een reactie",
        "Deixe um comentário",
        "Dodaj komentarz",
    }
)
LONGEST_SECTION_END = max(len(line.encode()) for line in SECTION_END_LINES)
#: Lines of a comment form or a closed section, counted as the page's furniture above the comments.
_FORM_LINE = re.compile(
    r"_{3,}|^\[[ \xa0]*\]|^\([ \xa0]*\)|^\[[^\]]*\]$"
    r"|^(?:name|e-?mail|website|comment)[ \xa0]*\*?[ \xa0]*(?:\[.*\])?$"
    r"|required fields are marked|will not be published|notify me of|save my name|cancel (?:comment )?reply"
    r"|rate this recipe|^\(\*?\)$",
    re.IGNORECASE,
)


def is_furniture(stripped: str) -> bool:
    """Whether a line between the comments header and the first comment is the section's furniture."""
    plain = stripped.rstrip(":*. ")
    return plain in SECTION_END_LINES or plain == "Comments are closed" or _FORM_LINE.search(stripped) is not None


#: A page that says it has no comments: nothing read is then the right answer.
NO_COMMENTS = re.compile(
    r"^\s*(?:comments are closed\.?|no comments(?: yet)?\.?|0 comments|be the first to comment\.?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: Signs of a comment section, looked for only on a page where no comment was read.
#: A line ending in "says:" (in any of the languages), with a name of at most 81 characters before it.
_SAYS_ENDING = re.compile(rf"(?im)[\t \xa0]{SAYS}[\t \xa0]*$")
_NAME_BEFORE = re.compile(r"\S[^\n]{0,80}$")


def says_lines(page: str) -> int:
    """How many lines end in "says:" after a name. Found from the word, then the name checked
    before it: a pattern that starts from every character would try 81 of them at each one of a
    long line (ten seconds for a 5 MB line)."""
    return sum(
        1
        for ending in _SAYS_ENDING.finditer(page)
        if _NAME_BEFORE.search(page, max(page.rfind("\n", 0, ending.start()) + 1, ending.start() - 81), ending.start())
    )


REPLY_LINE = re.compile(r"(?im)^[\t \xa0]*(?:reply|log in to reply|antworten|répondre|responder|rispondi)[\t \xa0]*$")
#: List bullets that text browsers and converters print (each nesting level often its own), besides
#: numbers as "N." and "N)". A bullet opens a comment only when a date follows (the date rule).
BULLETS = "•◦▪▫□■☆★●○◆◇►▸‣⁃*+\\-o#@"
#: What a marker line can start with after its indent, as UTF-8: a digit or a no-break space's first
#: byte (elinks puts them around list numbers), an ASCII bullet and a space, or a wider bullet.
MARKER_LEADS = frozenset([*b"0123456789", 0xC2])
ASCII_BULLETS = frozenset(char.encode()[0] for char in BULLETS.replace("\\", "") if char.isascii())
WIDE_BULLETS = frozenset(char.encode() for char in BULLETS if not char.isascii())
#: What may join an author and a date on one line ("Jane on May 3, 2021 said:", "Jane | May 3, 2021",
#: "Jane May 3, 2021 Reply"), as words or signs taken off either side of the split.
JOINING_WORDS = frozenset({"on", "|", "-", "–", "—", "·", "•", "said:", "reply", "antworten", "répondre", "responder"})
