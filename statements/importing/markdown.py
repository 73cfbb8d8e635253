"""Read the body of a statement published as Markdown into sections and clauses.

The body is parsed by markdown-it.rs (statements.importing.syntax_tree: CommonMark, with tables and pandoc
footnotes), never by regular expressions over the Markdown; the rules below work on its syntax tree and on the
text a reader reads.
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

Over 400 lines because segmentation is one walk over markdown-it's token stream whose rules (headings, lists,
numbers, separators, furniture) look at the same neighbouring tokens; splitting them would pass that state around.
"""

import itertools
import re
from dataclasses import dataclass, field

from .drafts import ClauseDraft, ImportErrorList, Reading, SectionDraft, party_rule
from .front_matter import FrontMatterError, derive_fields, front_matter_header, in_front_matter_words, read_front_matter
from .lines import (
    BULLET_CHARACTER,
    FURNITURE,
    HEADING,
    LOOKS_LIKE_FURNITURE,
    LOOKS_NUMBERED,
    MARKUP,
    MAX_ENUMERATION_WORDS,
    NUMBER,
    PLAIN_SHAPES,
    Line,
    ParseWarning,
    assign_eids,
    control_character_errors,
    ends_with_punctuation,
    excerpt,
    heading_shape,
    is_dateline,
    is_furniture,
    reads_like_a_heading,
    same_text,
    split_number,
)
from .parsing import _build_document, decode
from .syntax_tree import Node, ParserFailure, syntax_tree

UNPAIRED_EMPHASIS = re.compile(r"\*+")
MAX_HEADING_TEXT = 500  # Section.heading's length


@dataclass
class Block:
    """A top-level piece of the body: a paragraph line, a list, a heading, or furniture."""

    kind: str  # "line", "heading", "list", "bullet" (a "• item" paragraph), "table", "separator"
    line: int
    text: str = ""
    node: Node = None  # the list or table
    source: Line = None  # a line's text with its emphasis
    ordered: bool = False
    base: int = 0  # the body's first line number (a node's map is relative to it)
    shape: str = None  # the heading shape of a line, once worked out (_shape)


@dataclass
class Body:
    """What read_body found: sections of clauses, footnotes, datelines, warnings."""

    sections: list = field(default_factory=list)
    footnotes: list = field(default_factory=list)
    datelines: list = field(default_factory=list)  # (line, text)
    title: tuple = ()  # (text, line) of the first "# Heading", when the caller knows no title
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
    try:
        tree = syntax_tree(source)
    except ParserFailure as error:
        raise ImportErrorList([(first_line, f"the Markdown parser failed on the body: {error}")]) from error
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
    return base + (node.line or 0)


def group_lines(lines):
    """A paragraph's lines (split at hard line breaks) as the paragraphs it gives: one, its lines kept (a run-in
    heading, sentences set apart, a list of names all stay in their paragraph's clause), but for a date on a
    line of its own, which is a dateline ("Joseph R. Biden, Jr.  Emmanuel Macron" / "October 29, 2021")."""
    groups = []
    for line in lines:
        if groups:
            previous = groups[-1][-1]
            starts_new = is_dateline(line.text, at_start=False) or is_dateline(previous.text, at_start=False)
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


def paragraph_sources(lines):
    """The paragraphs a paragraph's lines give (``group_lines``), with a heading set on its first line apart from the
    text under it: a first line all in bold or italic that reads like a heading, ended by a hard line break, before a
    sentence ("**Preamble**  " / "The United States and ... ."), is a line of its own, which the sections' rules then
    read as a heading. Only before a sentence: a bold name over an office ("**Joseph R. Biden, Jr.**  " / "President
    of the United States") stays one paragraph."""
    if len(lines) >= 2:
        first, rest = lines[0], lines[1:]
        heading_like = first.letters and first.emphasised == first.letters and reads_like_a_heading(first.text)
        # a numbered first line ("III. Conclusion") keeps its paragraph and its number: the clause's eid (para_iii)
        # was published before this rule, and a citation never changes
        heading_like = heading_like and not split_number(first.text)[0]
        plain_next = rest[0].emphasised < rest[0].letters
        if heading_like and plain_next and ends_with_punctuation(rest[-1].text):
            return [first, *group_lines(rest)]
    return group_lines(lines)


def _blocks_of(node, base, blocks, body, title):
    """Append the top-level blocks ``node`` gives to ``blocks`` (``base``: the body's first line number)."""
    line = _line_of(node, base)
    kind = node.type
    if kind == "paragraph":
        for source in paragraph_sources(_paragraph_lines(node, line)):
            if same_text(source.text, title):
                continue  # the title repeated at the top: not a heading of the body
            bullet = BULLET_CHARACTER.match(source.text)
            if bullet:  # "• item": a list item the converter left as a paragraph
                blocks.append(Block("bullet", source.line, source.text[bullet.end() :], source=source))
            else:
                blocks.append(Block("line", source.line, source.text, source=source))
    elif kind == "heading":
        text = " ".join(source.text for source in _paragraph_lines(node, line))
        if not title and node.tag == "h1" and not body.title and not blocks:
            body.title = (text, line)  # the document's title, not a section's
        elif text and not same_text(text, title):
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
            body.warn(line, MARKUP, f"an HTML block is left out: {excerpt(node.content)}")
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


# --- Sections and clauses ---------------------------------------------------------------------------


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
                if not block.ordered:
                    previous = None  # a bullet list after this one continues it: more items, not a sub-list
            elif block.kind == "table":
                previous = self._add(ClauseDraft("", "", table_text(block.node), block.line))
            else:
                previous = self._paragraph_clause(block)
        if self.headings:
            line, text = self.headings[0]
            self.body.warn(line, HEADING, f"a heading with no paragraph under it is left out: {excerpt(text)}")
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
        shape = _shape(block)
        if not shape:
            return False
        rest = (b for b in itertools.islice(blocks, index + 1, None) if b.kind != "separator")
        if shape == "emphasis":
            top_note = not any(section.clauses for section in self.sections) and len(block.text) <= MAX_HEADING_TEXT
            if not (reads_like_a_heading(block.text) or top_note):
                return False  # a sentence or a quotation in italics: text (warned about as a clause)
            after = next((b for b in rest if not (b.kind == "heading" or self._heading_like(b))), None)
            if after is None:
                message = "a bold or italic line with no text after it kept as a clause"
                self.body.warn(block.line, HEADING, f"{message}: {excerpt(block.text)}")
            elif not reads_like_a_heading(block.text):
                message = "a paragraph all in bold or italic before the text taken as a heading (a publisher's note?)"
                self.body.warn(block.line, FURNITURE, f"{message}: {excerpt(block.text)}")
            return after is not None
        following = next(rest, None)
        if following is None or following.kind == "heading" or _shape(following) in PLAIN_SHAPES:
            return False
        preceding = next((blocks[i] for i in range(index - 1, -1, -1) if blocks[i].kind != "separator"), None)
        if preceding is not None and _shape(preceding) in PLAIN_SHAPES:
            return False  # the last of a run of short lines
        if shape == "sentence":
            self.body.warn(
                block.line,
                HEADING,
                f"a short line with no final punctuation taken as a heading: {excerpt(block.text)}",
            )
        return True

    @staticmethod
    def _heading_like(block):
        return _shape(block) == "emphasis" and reads_like_a_heading(block.text)

    def _section(self, line):
        """The section a new clause goes into: a new one under the pending headings (the last that fit)."""
        if self.headings or not self.sections:
            texts = [text.strip() for _, text in self.headings]
            while len("\n".join(texts)) > MAX_HEADING_TEXT:
                self.body.warn(self.headings[0][0], HEADING, f"a heading too long to keep: {excerpt(texts[0])}")
                texts, self.headings = texts[1:], self.headings[1:]
            heading = "\n".join(texts)
            self.sections.append(SectionDraft(heading, False, self.headings[0][0] if self.headings else line))
            self.headings = []
        return self.sections[-1]

    def _add(self, clause):
        self._section(clause.line).clauses.append(clause)
        return clause

    def _paragraph_clause(self, block):
        label, kind, text = split_number(block.text)
        if not label and LOOKS_NUMBERED.match(block.text):
            self.body.warn(block.line, NUMBER, f"a paragraph that starts like a number kept whole: {excerpt(text)}")
        if block.source.all_emphasised and not reads_like_a_heading(block.text):
            self.body.warn(
                block.line, FURNITURE, f"a paragraph all in bold or italic kept as a clause: {excerpt(text)}"
            )
        elif LOOKS_LIKE_FURNITURE.search(text):
            self.body.warn(block.line, FURNITURE, f"a paragraph that looks like furniture: {excerpt(text)}")
        return self._add(ClauseDraft("", label, text, block.line, number_kind=kind))

    def _item_clause(self, block, item):
        line = _line_of(item, block.base)
        text = item_text(item)
        if not block.ordered:
            return self._add(ClauseDraft("", "", text, line))
        first = _first_line(item)
        shape = heading_shape(first) if first is not None and "\n" not in text else ""
        if (shape == "emphasis" and reads_like_a_heading(text)) or (
            shape in ("caps", "title") and len(block.node.children) == 1
        ):
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
    """The block's heading shape (see lines.heading_shape), worked out once."""
    if block.shape is None:
        block.shape = heading_shape(block.source) if block.kind == "line" else ""
    return block.shape


def _first_line(item):
    for child in item.children:
        if child.type == "paragraph":
            lines = _paragraph_lines(child, 0)
            return lines[0] if lines else None
    return None


# --- The whole file ---------------------------------------------------------------------------------


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
    header = front_matter_header(front, warnings)
    title = header.get("title", ("", 0))[0]
    body = read_body(lines[front.body_start :], front.body_start + 1, title)
    if not title and body.title:
        header["title"] = body.title  # no title in the front matter: the body's first "# Heading"
    warnings.extend(body.warnings)
    derived = derive_fields(header, body.sections, find_parties, warnings)
    errors = []
    draft = _build_document(header, parties, errors)
    if derived is not None:  # derived, not stated by the front matter: machine-assigned, with why
        draft.parties = {code: party_rule(derived.get(code, "title")) for code in draft.parties}
    errors = [(line, in_front_matter_words(message)) for line, message in errors]
    draft.sections, draft.footnotes = body.sections, body.footnotes
    if not draft.clauses():
        errors.append((front.body_start + 1, "the body has no paragraphs"))
    if errors:
        raise ImportErrorList(errors)
    return Reading(draft, sorted(warnings, key=lambda w: w.line), body.datelines)
