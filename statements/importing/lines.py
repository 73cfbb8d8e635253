"""What a line of a statement is, in either source format: a heading, a dateline, furniture, a numbered
paragraph; the eids its paragraphs get; and the warnings an import gives for what looks wrong but parses.

Plain functions over text, shared by the Markdown reader (markdown.py) and the text format (parsing.py).
"""

import re
from dataclasses import dataclass

from statements.characters import CONTROL_CHARACTERS, describe
from statements.models.eids import fresh_eid

# --- Warnings ---------------------------------------------------------------------------------------

# Kinds of warning, each a thing that parsed but may be wrong; ``--strict`` turns every one into an error.
HEADING = "heading"  # a short line taken as a heading, or kept as a paragraph, that may be the other
NUMBER = "number"  # a paragraph number that did not parse, or numbering out of sequence
FURNITURE = "furniture"  # a paragraph that looks like the publisher's furniture, not the statement
PARTY = "party"  # a name that may be a party but is not in the vocabulary
METADATA = "metadata"  # a kind, publisher or front matter key that could not be told
MARKUP = "markup"  # Markdown or HTML the importer leaves out (an image, an HTML block)


@dataclass(frozen=True)
class ParseWarning:
    line: int
    kind: str
    message: str

    def format(self, filename):
        return f"{filename}:{self.line}: warning ({self.kind}): {self.message}"


# A paragraph's own number: "12." or "12.We" (a typo without the space); the space may be non-breaking or
# zero-width, since converters put those there. "I." "IV." for roman numbers, "(a)" "(12)" for sub-paragraphs.
ARABIC_NUMBER = re.compile(r"^(\d{1,3})\.(?:[\s\u200b]+|(?=[A-Z“\"‘'(]))")
ROMAN_NUMBER = re.compile(r"^([IVX]{1,5})\.[\s\u200b]+")
SUB_NUMBER = re.compile(r"^\(([a-z]{1,4}|\d{1,3})\)[\s\u200b]+")
# A paragraph that starts like a number but is none of the above ("1 WE,", "12)"): warned about.
LOOKS_NUMBERED = re.compile(r"^\d{1,3}(?:[).:]|\s+[A-Z])")
# A heading's own number or letter ("1. ", "I. ", "A. ", "Section 2.") before its words.
HEADING_LABEL = re.compile(r"^(?:(?:section|annex|part|chapter)\s+)?(?:\d{1,3}|[IVX]{1,5}|[A-Z])[.)]?\s+", re.I)

FURNITURE_TEXT = re.compile(
    r"^(?:#+(?:\s+#+)*|\*+(?:\s+\*+)*|-30-|-?\s*ends?\s*-?|[–—-]+|\W*(?:begin|end)\s+(?:of\s+)?text\W*"
    # a press office's by-line: "Office of the Spokesperson", "For Immediate Release", "Media Note"
    r"|(?:the\s+white\s+house\s+)?office\s+of\s+the\s+(?:press\s+secretary|spokesperson|vice\s+president)"
    r"|for\s+immediate\s+release|media\s+note|press\s+statement)$",
    re.IGNORECASE,
)
LOOKS_LIKE_FURNITURE = re.compile(
    r"(?:^(?:for more information|find more|read more|click here|learn more|watch|see also|photo|"
    r"the following is|(?:the )?full text)\b)|https?://\S+$",
    re.IGNORECASE,
)
FINAL_PUNCTUATION = ".,;:!?"
CLOSING = "”’\"')]*»"
# Words a title-case heading leaves in lower case.
SMALL_WORDS = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at between but by for from in into is its nor of on or our over per than that the their "
        "this through to under up via vs with without",
    )
)
# A line ending with one of these breaks off mid-sentence: never a heading.
CONTINUATION_WORDS = SMALL_WORDS | {"which", "who", "whose", "whom", "where", "when", "while", "if", "so"}
PLAIN_SHAPES = ("caps", "title", "sentence")  # how a line not in bold or italic looks like a heading
MAX_HEADING_WORDS = 16  # a plain heading, or a bold one in sentence case
MAX_HEADING_CHARS = 150
MAX_EMPHASIS_WORDS = 40  # a long heading in bold (a title wrapped on lines) is in title case
MAX_ENUMERATION_WORDS = 25  # a numbered item this short after "...:" is part of an enumeration
BULLET_CHARACTER = re.compile(r"^[•◦▪‣·]\s+")  # a list item the converter left as a paragraph
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DAYS = r"\d{1,2}(?:\s*[-–]\s*\d{1,2})?"  # "9", "9-10"
DATE_TEXT = re.compile(
    rf"(?:(?:{MONTHS})\.?\s+{DAYS},?\s+\d{{4}}|{DAYS}\s+(?:{MONTHS})\.?,?\s+\d{{4}}|\d{{4}}-\d\d-\d\d)"
)
PLACE = r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}"
# "Leuven, Belgium", "WASHINGTON, D.C.", "20 May 2023, Hiroshima", "September 29, 2021 Pittsburgh, Pennsylvania"
DATELINE = re.compile(
    rf"^(?:(?:{DATE_TEXT.pattern})[,\s]+)?(?:{PLACE}(?:,\s*{PLACE}){{1,2}}|{PLACE})?(?:[,\s]+(?:{DATE_TEXT.pattern}))?$"
)


@dataclass
class Line:
    """One line of a paragraph as a reader reads it (paragraphs split at hard line breaks)."""

    text: str
    line: int
    emphasised: int = 0  # letters inside bold or italic
    letters: int = 0  # letters in all
    unpaired: bool = False  # after an unpaired "**" (see inline_lines)

    @property
    def all_emphasised(self):
        """Only bold and/or italic text (a stray letter or a leading number outside it allowed)."""
        if not self.letters:
            return False
        outside = self.letters - self.emphasised
        if outside == 0:
            return True
        label = HEADING_LABEL.match(self.text)
        return (label is not None and outside <= sum(c.isalpha() for c in label.group())) or outside <= 1


def excerpt(text, length=60):
    text = " ".join(text.split())
    return repr(text if len(text) <= length else text[: length - 1] + "…")


def same_text(text, other):
    """The same words, case and white space (non-breaking included) aside."""
    return " ".join(text.split()).casefold() == " ".join(other.split()).casefold()


# --- Headings, datelines, furniture ----------------------------------------------------------


def ends_with_punctuation(text):
    stripped = text.rstrip().rstrip(CLOSING).rstrip()
    return bool(stripped) and stripped[-1] in FINAL_PUNCTUATION


def is_caps(text):
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def is_title_case(text):
    """Every word but the small ones ("of", "and", "the" ...) starts with a capital or a digit."""
    words = re.findall(r"[\w’'-]+", HEADING_LABEL.sub("", text, count=1))
    if not words or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    significant = [word for word in words if word.lower() not in SMALL_WORDS]
    capitalised = sum(word[0].isupper() or word[0].isdigit() for word in significant)
    return capitalised >= 0.8 * len(significant)


def is_short(text):
    return len(text) <= MAX_HEADING_CHARS and len(text.split()) <= MAX_HEADING_WORDS


def heading_shape(line):
    """How ``line`` looks like a heading: "emphasis", "caps", "title", "sentence"; '' when it does not.

    All in bold or italic: "emphasis", whatever its length (the conventions: a paragraph only in bold or italic
    is a heading; ``reads_like_a_heading`` tells the long notes and sentences among them, which are warned about).
    Plain text: a short line with no final punctuation, in capitals, title case or (warned) sentence case,
    that does not break off mid-sentence ("... which").
    """
    text = line.text.strip()
    words = text.split()
    if "\n" in text or not words:
        return ""
    if line.all_emphasised:
        return "emphasis"
    if not is_short(text) or ends_with_punctuation(text):
        return ""
    if not (text[:1].isupper() or text[:1].isdigit() or text[:1] in "“\"‘'("):
        return ""
    if re.findall(r"\w+", text)[-1].lower() in CONTINUATION_WORDS:
        return ""
    if is_caps(text):
        return "caps"
    if is_title_case(text):
        return "title"
    return "sentence" if len(words) <= 10 else ""


def reads_like_a_heading(text):
    """A bold or italic line that reads as a heading: short, or a long title in title case (wrapped on several
    lines), not a sentence (a full stop after more than a few words) nor a long lead-in ("...:")."""
    words = text.split()
    if text.rstrip().endswith((".", "!", "?")):
        return len(words) <= 6
    return len(words) <= MAX_HEADING_WORDS or (
        not ends_with_punctuation(text) and len(words) <= MAX_EMPHASIS_WORDS and is_title_case(text)
    )


def is_dateline(text, *, at_start):
    """Every line a date ("August 2, 2023"), a date with a place ("20 May 2023, Hiroshima"), or, at the start
    of the body, a place ("WASHINGTON, D.C.", "Leuven, Belgium")."""
    return all(_is_dateline_line(line, at_start) for line in text.split("\n"))


def _is_dateline_line(text, at_start):
    text = " ".join(text.replace("\u00a0", " ").split())
    if not text or len(text) > 80 or text[-1] in ",;:!?":
        return False
    if DATE_TEXT.fullmatch(text):
        return True
    if not DATELINE.fullmatch(text):
        return False
    # a place alone: at the start, or anywhere in capitals ("WASHINGTON, D.C."), never "Joseph R. Biden, Jr."
    return DATE_TEXT.search(text) is not None or ("," in text and (at_start or is_caps(text)))


def is_furniture(text):
    """Press-release furniture, never a clause: '###', '* * *', '-30-', 'ENDS', '—', 'Begin text:'."""
    return bool(FURNITURE_TEXT.match(" ".join(text.split())))


def split_number(text):
    """(label, kind, rest) when the paragraph starts with its own number, else ('', '', text)."""
    for pattern, kind in ((ARABIC_NUMBER, "arabic"), (ROMAN_NUMBER, "roman"), (SUB_NUMBER, "sub")):
        match = pattern.match(text)
        if match and text[match.end() :].strip():
            label = f"({match.group(1)})" if kind == "sub" else match.group(1)
            return label, kind, text[match.end() :].lstrip()
    return "", "", text


def assign_eids(sections, body=None):
    """Give every clause its eid.

    ``para_<number>`` for a numbered paragraph (``para_iv`` for a roman number), ``para_<position>`` for an
    unnumbered one (``para_p<position>`` when a numbered paragraph has that eid), ``<parent eid>__subpara_a``
    for "(a)". When the numbering starts again (each section numbered from 1), the numbered paragraphs'
    eids carry their section: ``sec_3__para_1``.
    """
    clauses = [(index, clause) for index, section in enumerate(sections, start=1) for clause in section.clauses]
    numbered = [clause.label.lower() for _, clause in clauses if clause.number_kind in ("arabic", "roman")]
    by_section = len(set(numbered)) != len(numbered)
    if by_section and body is not None:
        first = next(c for _, c in clauses if c.number_kind in ("arabic", "roman"))
        body.warn(first.line, NUMBER, "the paragraph numbers start again in a later section: eids name the section")
    taken = set()
    for index, clause in clauses:
        if clause.number_kind in ("arabic", "roman"):
            eid = f"para_{clause.label.lower()}"
            clause.eid = f"sec_{index}__{eid}" if by_section else eid
            if clause.eid in taken and body is not None:
                body.warn(clause.line, NUMBER, f"paragraph number {clause.label} is used twice in a section")
                clause.eid = fresh_eid(clause.eid, taken)
            taken.add(clause.eid)
    for position, (_, clause) in enumerate(clauses, start=1):
        if not clause.number_kind:
            clause.eid = fresh_eid(
                f"para_{position}" if f"para_{position}" not in taken else f"para_p{position}", taken
            )
            taken.add(clause.eid)
    parent = None
    for _, clause in clauses:
        if clause.number_kind == "sub":
            number = clause.label.strip("()").lower()
            clause.eid = fresh_eid(f"{parent.eid}__subpara_{number}" if parent else f"para_{number}", taken)
            taken.add(clause.eid)
        else:
            parent = clause


def control_character_errors(text):
    """(line, message) for the first control character (NUL included; statements.characters says which) on each
    line of ``text`` that has one."""
    errors, seen = [], set()
    for match in CONTROL_CHARACTERS.finditer(text):
        number = text.count("\n", 0, match.start()) + 1
        if number in seen:
            continue
        seen.add(number)
        column = match.start() - text.rfind("\n", 0, match.start())
        errors.append(
            (number, f"control character {describe(match.group())} at column {column}: remove it and import again")
        )
    return errors
