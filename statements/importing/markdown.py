"""Read the body of a statement published as Markdown into sections and clauses.

The body is parsed by markdown-it-py (CommonMark, with tables and pandoc footnotes), never by regular
expressions over the Markdown; the rules below work on its syntax tree and on the text a reader reads.
Segmentation (docs/CONVENTIONS, README "Importing Markdown"):

- A heading is a ``#`` heading, a paragraph that is only bold and/or italic text, a short ALL-CAPS line,
  or a short title-case line with no final punctuation that has text under it. Consecutive headings
  make one heading, a line each.
- One paragraph = one clause, its text what a reader reads: markup removed, wrapped lines joined with a
  space, a hard line break kept as a new line, every other character verbatim.
- A list after a paragraph belongs to that paragraph's clause (also across a ``<!-- -->`` separator):
  ``- `` before each bullet item, ``1. `` before each numbered one, two spaces of indentation per level.
  A bullet list with no paragraph before it (after a heading, at the start) gives a clause per item.
- Numbered paragraphs (``1.``, ``1\\.``, a number followed by non-breaking spaces, a Markdown ordered
  list at the top level) are a clause each, the number being the label.
- Not clauses: the trailing ``###`` and other press-release furniture, ``<!-- -->``, lines of white
  space, datelines alone on their line, footnote definitions (they become ``note_N`` clauses).

``read_body`` returns the sections, the footnotes and the warnings: what looks wrong but parses, each
with its line, for the curator to check (``--strict`` makes them errors).
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from statements.importer import HEADER_FIELDS, ClauseDraft, ImportErrorList, SectionDraft, _build_document, decode

from .front_matter import FrontMatterError, kind_of, publisher_of, read_front_matter, slug_of

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


# --- The parser -------------------------------------------------------------------------------------

# "text_join" off: a backslash escape stays its own token, so an asterisk the parser could not pair as
# emphasis ("**,\u00a0**") can be told from a literal one ("\*") and dropped as the markup it is.
MARKDOWN = (
    MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join").use(footnote_plugin, inline=False)
)
UNPAIRED_EMPHASIS = re.compile(r"\*+")

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
    r"^(?:#+(?:\s+#+)*|\*+(?:\s+\*+)*|-30-|-?\s*ends?\s*-?|[–—-]+|\W*(?:begin|end)\s+(?:of\s+)?text\W*)$",
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
DATE_TEXT = re.compile(
    rf"(?:(?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{MONTHS})\.?,?\s+\d{{4}}|\d{{4}}-\d\d-\d\d)"
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


@dataclass
class Block:
    """A top-level piece of the body: a paragraph line, a list, a heading, or furniture."""

    kind: str  # "line", "heading", "list", "bullet" (a "• item" paragraph), "table", "separator"
    line: int
    text: str = ""
    node: SyntaxTreeNode = None  # the list or table
    source: Line = None  # a line's text with its emphasis
    ordered: bool = False
    base: int = 0  # the body's first line number (a node's map is relative to it)


@dataclass
class Body:
    """What read_body found: sections of clauses, footnotes, datelines, warnings."""

    sections: list = field(default_factory=list)
    footnotes: list = field(default_factory=list)
    datelines: list = field(default_factory=list)  # (line, text)
    warnings: list = field(default_factory=list)

    def warn(self, line, kind, message):
        self.warnings.append(ParseWarning(line, kind, message))


def normalise_blank_lines(lines):
    """Lines of white space only (non-breaking spaces included) are blank lines, as a reader sees them.

    CommonMark counts only spaces and tabs as blank, so a line of non-breaking spaces would otherwise glue
    two paragraphs (and the headings between them) into one.
    """
    return ["" if not line.strip() else line for line in lines]


def read_body(lines, first_line=1, title=""):
    """Parse the body's ``lines`` (the file's lines from ``first_line`` on) into a Body."""
    body = Body()
    source = "\n".join(normalise_blank_lines(lines))
    tree = SyntaxTreeNode(MARKDOWN.parse(source))
    blocks = []
    for node in tree.children:
        _blocks_of(node, first_line, blocks, body, title)
    _Sections(body, blocks).build()
    return body


# --- Inline text ------------------------------------------------------------------------------------

NOT_A_LETTER = re.compile(r"[\W_]+")
HTML_BREAK = re.compile(r"^<br\s*/?>$", re.IGNORECASE)


def inline_lines(inline, first_line):
    """The text of an inline node as a reader reads it, split into Lines at hard line breaks."""
    lines = [Line("", first_line)]
    offset = [0]

    def walk(node, emphasis):
        for child in node.children:
            kind = child.type
            if kind == "text":
                # An asterisk run left in the text is emphasis the parser could not pair ("**Defense **"):
                # dropped, and the text after it counts as emphasised up to the next run.
                for index, part in enumerate(UNPAIRED_EMPHASIS.split(child.content)):
                    if index:
                        lines[-1].unpaired = not lines[-1].unpaired
                    _append(lines[-1], part, emphasis + lines[-1].unpaired)
            elif kind in ("text_special", "code_inline"):
                _append(lines[-1], child.content, emphasis)
            elif kind == "softbreak":
                offset[0] += 1
                lines[-1].text = lines[-1].text.rstrip(" \t") + " "
            elif kind == "hardbreak" or (kind == "html_inline" and HTML_BREAK.match(child.content)):
                offset[0] += kind == "hardbreak"
                lines.append(Line("", first_line + offset[0]))
            elif kind in ("strong", "em"):
                walk(child, emphasis + 1)
            elif kind == "footnote_ref":
                _append(lines[-1], f"[{child.meta['label']}]", emphasis)
            elif kind == "image":
                continue  # an image's alt text is not what the statement says
            elif child.children:  # links, strikethrough: their text
                walk(child, emphasis)

    walk(inline, 0)
    for line in lines:
        line.text = "\n".join(part.strip() for part in line.text.strip().split("\n"))
    return [line for line in lines if line.text.strip()]


def _append(line, text, emphasis):
    line.text += text
    letters = len(NOT_A_LETTER.sub("", text))
    line.letters += letters
    if emphasis:
        line.emphasised += letters


def _paragraph_lines(node, first_line):
    inline = node.children[0] if node.children else None
    return inline_lines(inline, first_line) if inline is not None else []


# --- Blocks -----------------------------------------------------------------------------------------


def _line_of(node, base):
    return base + (node.map[0] if node.map else 0)


def group_lines(lines):
    """A paragraph's lines as the paragraphs a reader sees: a hard line break after a sentence, or after a
    run-in heading, starts a new one; others (a list of names, an address) stay lines of one paragraph."""
    groups = []
    for line in lines:
        if groups:
            previous = groups[-1][-1]
            starts_new = (
                ends_with_punctuation(previous.text)
                or (heading_shape(previous) and not heading_shape(line))
                or is_dateline(line.text, at_start=False)
            )
            if not starts_new:
                groups[-1].append(line)
                continue
        groups.append([line])
    return [
        Line(
            "\n".join(line.text for line in group),
            group[0].line,
            sum(line.emphasised for line in group),
            sum(line.letters for line in group),
        )
        for group in groups
    ]


def _blocks_of(node, base, blocks, body, title):
    """Append the top-level blocks ``node`` gives to ``blocks`` (``base``: the body's first line number)."""
    line = _line_of(node, base)
    kind = node.type
    if kind == "paragraph":
        for source in group_lines(_paragraph_lines(node, line)):
            if same_text(source.text, title):
                continue  # the title repeated at the top: not a heading of the body
            bullet = BULLET_CHARACTER.match(source.text)
            if bullet:  # "• item": a list item the converter left as a paragraph
                blocks.append(Block("bullet", source.line, source.text[bullet.end() :], source=source))
            else:
                blocks.append(Block("line", source.line, source.text, source=source))
    elif kind == "heading":
        text = " ".join(source.text for source in _paragraph_lines(node, line))
        if text and not same_text(text, title):
            blocks.append(Block("heading", line, text))
    elif kind in ("bullet_list", "ordered_list", "table"):
        blocks.append(Block(kind.removeprefix("bullet_").removeprefix("ordered_"), line, node=node, base=base))
        blocks[-1].ordered = kind == "ordered_list"
    elif kind in ("code_block", "fence"):
        text = " ".join(node.content.split())
        if text:
            blocks.append(Block("line", line, text, source=Line(text, line, 0, len(NOT_A_LETTER.sub("", text)))))
    elif kind == "blockquote":
        for child in node.children:
            _blocks_of(child, base, blocks, body, title)
    elif kind == "html_block":
        if not re.fullmatch(r"(?:<!--.*?-->\s*)+", node.content.strip(), re.DOTALL):
            body.warn(line, MARKUP, f"an HTML block is left out: {_excerpt(node.content)}")
        blocks.append(Block("separator", line))
    elif kind == "hr":
        blocks.append(Block("separator", line))
    elif kind == "footnote_block":
        for footnote in node.children:
            label = str(footnote.meta.get("label") or footnote.meta.get("id", 0) + 1)
            name = re.sub(r"[^a-z0-9]+", "", label.lower()) or str(footnote.meta.get("id", 0) + 1)
            lines = [
                source
                for child in footnote.children
                if child.type == "paragraph"
                for source in _paragraph_lines(child, _line_of(child, base))
            ]
            if lines:
                text = "\n".join(source.text for source in lines)
                body.footnotes.append(ClauseDraft(f"note_{name}", label, text, lines[0].line))


def same_text(text, other):
    """The same words, case and white space (non-breaking included) aside."""
    return " ".join(text.split()).casefold() == " ".join(other.split()).casefold()


def _excerpt(text, length=60):
    text = " ".join(text.split())
    return repr(text if len(text) <= length else text[: length - 1] + "…")


def list_text(node, level=0):
    """A list as lines of a clause: ``- `` or ``1. `` before each item, two spaces of indentation per level."""
    lines = []
    for item in node.children:
        prefix = "  " * level + (f"{item.info}{item.markup} " if node.type == "ordered_list" else "- ")
        indent = " " * len(prefix)
        first = True
        for child in item.children:
            if child.type == "paragraph":
                for source in _paragraph_lines(child, 0):
                    lines.append((prefix if first else indent) + source.text.replace("\n", "\n" + indent))
                    first = False
            elif child.type in ("bullet_list", "ordered_list"):
                lines.extend(list_text(child, level + 1))
    return lines


def item_text(item):
    """A list item as a clause of its own: its paragraphs, then its lists from the left margin."""
    lines = []
    for child in item.children:
        if child.type == "paragraph":
            lines.extend(source.text for source in _paragraph_lines(child, 0))
        elif child.type in ("bullet_list", "ordered_list"):
            lines.extend(list_text(child, 0))
    return "\n".join(lines)


def table_text(node):
    """A table as lines of a clause, one a row, cells separated by ' | '."""
    return "\n".join(
        " | ".join(" ".join(line.text for line in _paragraph_lines(cell, 0)) for cell in row.children)
        for row in _descendants(node, "tr")
    )


def _descendants(node, kind):
    for child in node.children:
        if child.type == kind:
            yield child
        else:
            yield from _descendants(child, kind)


# --- Lines: headings, datelines, furniture ----------------------------------------------------------


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

    All in bold or italic: a heading up to MAX_EMPHASIS_WORDS words (a long title wrapped on several lines),
    but not a sentence ("...", a full stop after more than a few words) nor a long lead-in ("...:").
    Plain text: a short line with no final punctuation, in capitals, title case or (warned) sentence case,
    that does not break off mid-sentence ("... which").
    """
    text = line.text.strip()
    words = text.split()
    if "\n" in text or not words:
        return ""
    if line.all_emphasised:
        if text.endswith((".", "!", "?")):
            return "emphasis" if len(words) <= 6 else ""
        if len(words) <= MAX_HEADING_WORDS or (len(words) <= MAX_EMPHASIS_WORDS and is_title_case(text)):
            return "emphasis" if len(text) <= 2 * MAX_HEADING_CHARS else ""
        return ""
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
    return bool(DATELINE.fullmatch(text)) and (DATE_TEXT.search(text) is not None or (at_start and "," in text))


def is_furniture(text):
    """Press-release furniture, never a clause: '###', '* * *', '-30-', 'ENDS', '—', 'Begin text:'."""
    return bool(FURNITURE_TEXT.match(" ".join(text.split())))


# --- Sections and clauses ---------------------------------------------------------------------------


def split_number(text):
    """(label, kind, rest) when the paragraph starts with its own number, else ('', '', text)."""
    for pattern, kind in ((ARABIC_NUMBER, "arabic"), (ROMAN_NUMBER, "roman"), (SUB_NUMBER, "sub")):
        match = pattern.match(text)
        if match and text[match.end() :].strip():
            label = f"({match.group(1)})" if kind == "sub" else match.group(1)
            return label, kind, text[match.end() :].lstrip()
    return "", "", text


class _Sections:
    """Turns the body's blocks into sections of ClauseDrafts, with eids, and warnings."""

    def __init__(self, body, blocks):
        self.body, self.blocks = body, blocks
        self.sections = body.sections
        self.headings = []  # (line, text) of the headings the next clause goes under

    def build(self):
        blocks = self._without_furniture(self.blocks)
        previous = None  # the clause a following bullet list belongs to, if nothing came between
        for index, block in enumerate(blocks):
            if block.kind == "separator":
                continue
            if block.kind == "heading" or (block.kind == "line" and self._is_heading(blocks, index)):
                self.headings.append((block.line, block.text))
                previous = None
            elif block.kind == "list" and previous is not None and self._belongs_to(previous, block):
                previous.text += "\n" + "\n".join(list_text(block.node))
            elif block.kind == "bullet":
                if previous is None:
                    previous = self._add(ClauseDraft("", "", block.text, block.line))
                else:
                    previous.text += f"\n- {block.text}"
            elif block.kind == "list":
                for item in block.node.children:
                    previous = self._item_clause(block, item)
            elif block.kind == "table":
                previous = self._add(ClauseDraft("", "", table_text(block.node), block.line))
            else:
                previous = self._paragraph_clause(block)
        if self.headings:
            line, text = self.headings[0]
            self.body.warn(line, HEADING, f"a heading with no paragraph under it is left out: {_excerpt(text)}")
        self._check_numbers()
        assign_eids(self.sections, self.body)

    @staticmethod
    def _belongs_to(clause, block):
        """A bullet list belongs to the clause before it; so does a numbered list that enumerates what the
        clause announces ("four pillars:"), its items short and plain; other numbered items are clauses."""
        if not block.ordered:
            return True
        items = block.node.children
        if len(items) < 2 or not clause.text.rstrip().endswith(":"):
            return False
        for item in items:
            first, text = _first_line(item), item_text(item)
            if first is None or first.all_emphasised or "\n" in text or len(text.split()) > MAX_ENUMERATION_WORDS:
                return False
        return True

    def _without_furniture(self, blocks):
        """The blocks less furniture and datelines (kept in body.datelines)."""
        blocks = [b for b in blocks if not (b.kind == "line" and is_furniture(b.text))]
        kept, started = [], False
        for block in blocks:
            if block.kind == "line" and is_dateline(block.text, at_start=not started):
                self.body.datelines.append((block.line, block.text))
                continue
            started = started or block.kind != "separator"
            kept.append(block)
        return kept

    def _is_heading(self, blocks, index):
        """A line with a heading's shape is a heading when a paragraph follows it.

        A run of bold or italic lines is a heading (of several lines) when text follows the run; a plain
        short line followed by another (names of signatories, an address) is text.
        """
        block = blocks[index]
        shape = heading_shape(block.source)
        if not shape:
            return False
        rest = [b for b in blocks[index + 1 :] if b.kind != "separator"]
        if shape == "emphasis":
            after = next((b for b in rest if not (b.kind == "heading" or _shape(b) == "emphasis")), None)
            if after is None:
                self.body.warn(
                    block.line,
                    HEADING,
                    f"a bold or italic line with no text after it kept as a clause: {_excerpt(block.text)}",
                )
            return after is not None
        following = rest[0] if rest else None
        if following is None or following.kind == "heading" or _shape(following) in PLAIN_SHAPES:
            return False
        preceding = next((b for b in reversed(blocks[:index]) if b.kind != "separator"), None)
        if preceding is not None and _shape(preceding) in PLAIN_SHAPES:
            return False  # the last of a run of short lines
        if shape == "sentence":
            self.body.warn(
                block.line,
                HEADING,
                f"a short line with no final punctuation taken as a heading: {_excerpt(block.text)}",
            )
        return True

    def _section(self, line):
        """The section a new clause goes into: a new one under the pending headings."""
        if self.headings or not self.sections:
            heading = "\n".join(text.strip() for _, text in self.headings)
            self.sections.append(SectionDraft(heading, False, self.headings[0][0] if self.headings else line))
            self.headings = []
        return self.sections[-1]

    def _add(self, clause):
        self._section(clause.line).clauses.append(clause)
        return clause

    def _paragraph_clause(self, block):
        label, kind, text = split_number(block.text)
        if not label and LOOKS_NUMBERED.match(block.text):
            self.body.warn(block.line, NUMBER, f"a paragraph that starts like a number kept whole: {_excerpt(text)}")
        if block.source.all_emphasised and not heading_shape(block.source):
            self.body.warn(
                block.line, FURNITURE, f"a paragraph all in bold or italic (a note by the publisher?): {_excerpt(text)}"
            )
        elif LOOKS_LIKE_FURNITURE.search(text):
            self.body.warn(block.line, FURNITURE, f"a paragraph that looks like furniture: {_excerpt(text)}")
        return self._add(ClauseDraft("", label, text, block.line, number_kind=kind))

    def _item_clause(self, block, item):
        line = _line_of(item, block.base)
        text = item_text(item)
        if not block.ordered:
            return self._add(ClauseDraft("", "", text, line))
        first = _first_line(item)
        shape = heading_shape(first) if first is not None and "\n" not in text else ""
        if shape == "emphasis" or (shape in ("caps", "title") and len(block.node.children) == 1):
            # "1.  **Investment and Opportunities**" alone in its item: a numbered heading
            self.headings.append((line, f"{item.info}{item.markup} {text}"))
            return None
        return self._add(ClauseDraft("", item.info, text, line, number_kind="arabic"))

    def _check_numbers(self):
        previous = None
        for section in self.sections:
            for clause in section.clauses:
                if clause.number_kind != "arabic":
                    continue
                number = int(clause.label)
                if previous is not None and number not in (previous + 1, 1):
                    self.body.warn(clause.line, NUMBER, f"paragraph {number} follows paragraph {previous}")
                previous = number


def _shape(block):
    return heading_shape(block.source) if block.kind == "line" else ""


def _first_line(item):
    for child in item.children:
        if child.type == "paragraph":
            lines = _paragraph_lines(child, 0)
            return lines[0] if lines else None
    return None


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
                clause.eid = _free(clause.eid, taken)
            taken.add(clause.eid)
    for position, (_, clause) in enumerate(clauses, start=1):
        if not clause.number_kind:
            clause.eid = _free(f"para_{position}" if f"para_{position}" not in taken else f"para_p{position}", taken)
            taken.add(clause.eid)
    parent = None
    for _, clause in clauses:
        if clause.number_kind == "sub":
            number = clause.label.strip("()").lower()
            clause.eid = _free(f"{parent.eid}__subpara_{number}" if parent else f"para_{number}", taken)
            taken.add(clause.eid)
        else:
            parent = clause


def _free(eid, taken):
    if eid not in taken:
        return eid
    version = 2
    while f"{eid}v{version}" in taken:
        version += 1
    return f"{eid}v{version}"


# Unicode's control characters (category Cc) but the tab and the newline: never part of a statement.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_character_errors(text):
    """(line, message) for the first control character (NUL included) on each line of ``text`` that has one."""
    errors, seen = [], set()
    for match in CONTROL_CHARACTER.finditer(text):
        number = text.count("\n", 0, match.start()) + 1
        if number in seen:
            continue
        seen.add(number)
        column = match.start() - text.rfind("\n", 0, match.start())
        errors.append(
            (number, f"control character U+{ord(match.group()):04X} at column {column}: remove it and import again")
        )
    return errors


# --- The whole file ---------------------------------------------------------------------------------

# Front matter keys the publisher's converter writes that say nothing the document records.
PUBLISHER_KEYS = {"published_time", "modified_time", "tags", "categories", "author", "description", "lang"}
# "... with Prime Minister Kishida of Japan": a leader "of" a place; the place should be a party.
LEADER_OF = re.compile(
    r"\b(?:President|Prime\s+Minister|King|Queen|Chancellor|Emir|Amir|Sultan|Crown\s+Prince|Premier|Taoiseach|"
    r"Secretary[-\s]General|Governor[-\s]General|Minister|Chairman|Chair)\b"
)
LAST_OF = re.compile(r"\bof\s+((?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:of\s+|and\s+|the\s+)?[A-Z][\w’'.-]*){0,5})\s*$")


@dataclass
class Reading:
    """A Markdown file read: the draft, what looked wrong but parsed, and the datelines left out."""

    draft: object
    warnings: list
    datelines: list


def read_markdown(data, *, parties=None, find_parties=None):
    """Read a statement published as Markdown with YAML front matter into a Reading.

    The metadata come from the front matter (``title``, ``date``, ``source_url``), the publisher from the
    source's site (``front_matter.SITES``), the kind from the title, the parties from ``find_parties``
    (a function given text that returns party codes) over the title and the opening paragraph, the
    publisher's own state included for a readout. Any key of the text format (``kind``, ``parties``,
    ``publisher``, ``slug``, ...) in the front matter overrides what would be derived.
    ``parties`` is as for ``parse()``: the known party codes and names, to check codes against.
    Raises ImportErrorList with every error, each with its line.
    """
    text = decode(data)
    errors = control_character_errors(text)
    if errors:
        raise ImportErrorList(errors)
    lines = text.split("\n")
    try:
        front = read_front_matter(lines)
    except FrontMatterError as error:
        raise ImportErrorList([(error.line, str(error))]) from error
    warnings = []
    header = _header(front, warnings)
    title = header.get("title", ("", 0))[0]
    body = read_body(lines[front.body_start :], front.body_start + 1, title)
    warnings.extend(body.warnings)
    _derive(header, body, find_parties, warnings)
    errors = []
    draft = _build_document(header, parties, errors)
    errors = [(line, _in_front_matter_words(message)) for line, message in errors]
    draft.sections, draft.footnotes = body.sections, body.footnotes
    if not draft.clauses():
        errors.append((front.body_start + 1, "the body has no paragraphs"))
    if errors:
        raise ImportErrorList(errors)
    return Reading(draft, sorted(warnings, key=lambda w: w.line), body.datelines)


def _in_front_matter_words(message):
    """An error of the text format's header, told in the front matter's words."""
    missing = re.match(r"missing header field '([^']+)'", message)
    if not missing:
        return message
    key = missing.group(1).lower().replace(" ", "_")
    hint = " (no party was found in the title or the opening paragraph)" if key == "parties" else ""
    return f"missing front matter key {key!r}{hint}: add '{key}: ...' to the front matter"


def _header(front, warnings):
    """The front matter as the text format's header: {field: (value as text, line)}."""
    header = {}
    for key, value in front.values.items():
        line = front.lines.get(key, 1)
        name = HEADER_FIELDS.get(re.sub(r"[\s_-]+", " ", key.strip().lower()))
        if name is None:
            if key not in PUBLISHER_KEYS:
                warnings.append(ParseWarning(line, METADATA, f"front matter key {key!r} is not used"))
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, list | tuple):
            value = ", ".join(str(item) for item in value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        header[name] = ("" if value is None else str(value).strip(), line)
    return header


def _derive(header, body, find_parties, warnings):
    """Fill in what the front matter does not say: publisher, kind, slug, parties (each with its line)."""
    title, title_line = header.get("title", ("", 1))
    url = header.get("source_url", ("", 0))[0]
    site = publisher_of(url) if url else None
    if url and site is None:
        warnings.append(
            ParseWarning(
                header["source_url"][1],
                METADATA,
                f"the site of {url!r} is not one the importer knows (SITES): no publisher; "
                "add 'publisher:' to the front matter",
            )
        )
    if "publisher" not in header and site:
        header["publisher"] = (site[0], header["source_url"][1])
    if "kind" not in header and title:
        kind = kind_of(title)
        if not kind:
            kind = "statement"
            warnings.append(
                ParseWarning(title_line, METADATA, "the title does not say what kind of document this is: 'statement'")
            )
        header["kind"] = (kind, title_line)
    if "slug" not in header and url and slug_of(url) and header.get("date", ("", 0))[0]:
        header["slug"] = (document_slug(slug_of(url), header["date"][0]), header["source_url"][1])
    if "parties" not in header:
        codes = document_parties(title, body, site, find_parties)
        header["parties"] = (", ".join(codes), title_line)
        if find_parties is not None:
            _warn_unknown_party(title, title_line, find_parties, warnings)


def document_slug(name, date):
    """``<name>-<date>``: the publisher's name for the page slugified, cut to fit with a hash to keep it unique."""
    base = slugify(name)
    if len(base) > 100:
        digest = hashlib.sha1(base.encode()).hexdigest()[:8]
        base = f"{base[:90].rstrip('-')}-{digest}"
    date = str(date)
    return base if base.endswith(date) else f"{base}-{date}"


def document_parties(title, body, site, find_parties):
    """The document's parties, in order: the publisher's own state (it publishes its President's calls and
    the statements it joins), those the title names, and, when the title names no other, those of the
    opening paragraph ("We, the leaders of ...")."""
    codes = [site[1]] if site and site[1] else []
    if find_parties is None:
        return codes
    codes += [code for code in find_parties(title) if code not in codes]
    if len(codes) <= (1 if site else 0):
        opening = next((clause.text for section in body.sections for clause in section.clauses), "")
        codes += [code for code in find_parties(opening) if code not in codes]
    return codes


def _warn_unknown_party(title, line, find_parties, warnings):
    """The last "of <Name>" of a title ("... with Prime Minister X of Freedonia") names a party the vocabulary lacks."""
    title = title.replace("\u00a0", " ")
    match = LAST_OF.search(title)
    if match and LEADER_OF.search(title[: match.start()]) and not find_parties(match.group(1)):
        warnings.append(
            ParseWarning(line, PARTY, f"{match.group(1)!r} may be a party but is not in the party vocabulary")
        )
