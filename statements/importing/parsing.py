"""Parsing the plain-text format: text (str or bytes) in, a ``DocumentDraft`` tree out, no database.

The format (README, "Importing a statement"): a header of ``Key: value`` lines, a blank line, then the
body, one paragraph per block of lines separated by blank lines. Every problem is reported as an
``ImportErrorList`` of (line, message) pairs, so a curator can go straight to the line.

Over 400 lines because the text format's header and body rules are one grammar read top to bottom; the shared
line-level rules (datelines, numbers, headings) are already in ``lines``.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from statements.models import DocumentKind

from .drafts import ClauseDraft, DocumentDraft, ImportErrorList, SectionDraft, SignatoryDraft
from .lines import Line, control_character_errors, heading_shape, is_dateline

HEADER_FIELDS = {
    "title": "title",
    "slug": "slug",
    "kind": "kind",
    "date": "date",
    "date is editorial": "date_is_editorial",
    "publisher": "publisher",
    "parties": "parties",
    "source url": "source_url",
    "source": "source_url",
    "language": "language",
    "original language": "original_language",
    "translation note": "translation_note",
    "editorial note": "editorial_note",
}
REQUIRED_FIELDS = ["title", "kind", "date", "parties"]
DATE_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y"]
BOOLEANS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}

HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]*?)\s*:\s*(.*)$")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
EDITORIAL_HEADING = re.compile(r"^\[(.+)\]$")
# "12." "12," "12.We" (a typo without the space): the number becomes the label.
# The space after a number may be non-breaking or zero-width ("33.\u00a0The ..."): converters put those there.
ARABIC_NUMBER = re.compile(r"^(\d{1,3})[.,](?:[\s\u200b]+|(?=[A-Z“\"‘'(]))")
ROMAN_NUMBER = re.compile(r"^([IVXLC]{1,7})\.[\s\u200b]+")
SUB_NUMBER = re.compile(r"^\(([a-z]{1,4}|\d{1,3})\)[\s\u200b]+")
# A line inside a paragraph that starts a list item: kept on its own line, indentation and marker verbatim.
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•◦▪‣·–—][ \t]+|\(?[a-z0-9]{1,4}\)[ \t]+)")
BULLET = re.compile(r"^[ \t]*[-*•◦▪‣·–—][ \t]+")
FOOTNOTE = re.compile(r"^\[\^?(\d{1,3})\]:?[ \t]+(\S.*)$")
FOOTNOTE_MARKER = re.compile(r"\[\^?(\d{1,3})\]")
FURNITURE = re.compile(r"^(?:#{3}|# # #|-30-|-?\s*ends\s*-?|–\s*ends\s*–)$", re.IGNORECASE)
SIGNATURE_END = re.compile(r"[.;:!?,]$")


def decode(data):
    """Bytes or str to str: UTF-8 (a BOM is dropped), newlines normalised to \\n."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            raise ImportErrorList(
                [
                    (
                        line,
                        f"the file is not UTF-8 (byte 0x{data[error.start]:02x} at column {column}); "
                        "save it as UTF-8 and import it again",
                    )
                ]
            ) from error
    return data.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse(data, *, parties=None):
    """Parse a source file into a DocumentDraft.

    ``parties`` maps each known party code to the names it goes by (from the database, see
    ``known_parties()``); with it, unknown party codes are errors and signatories get their party.
    Raises ImportErrorList with every problem found.
    """
    text = decode(data)
    errors = control_character_errors(text)
    if errors:
        raise ImportErrorList(errors)
    lines = text.split("\n")
    header, body_start = _read_header(lines, errors)
    draft = _build_document(header, parties, errors)
    blocks = _blocks(lines, body_start)
    if not blocks:
        errors.append((min(body_start + 1, len(lines)), "the body is empty: write the paragraphs after the header"))
        raise ImportErrorList(errors)
    body = _Body(draft, blocks, parties, errors)
    body.parse()
    if errors:
        raise ImportErrorList(errors)
    return draft


_lookups = {}


def _name_lookup(parties):
    """{lower-case name or code: code} of ``parties`` (known_parties()), made once per dict: an import of many files
    passes the same one to every file, and it names every party of the vocabulary."""
    key = id(parties)
    if key not in _lookups or _lookups[key][0] is not parties:
        _lookups.clear()
        _lookups[key] = (parties, {name.lower(): code for code, names in parties.items() for name in names})
    return _lookups[key][1]


def _read_header(lines, errors):
    """The header as {field: (value, line)}, and the index of the first body line."""
    header, current = {}, None
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    for index in range(index, len(lines)):  # noqa: B020 (continue from the first non-blank line)
        line = lines[index]
        number = index + 1
        if not line.strip():
            return header, index + 1
        if line[0] in " \t" and current:
            value, first_line = header[current]
            header[current] = (f"{value} {line.strip()}", first_line)
            continue
        match = HEADER_LINE.match(line)
        key = match and re.sub(r"[\s_-]+", " ", match.group(1).strip().lower())
        if not match or key not in HEADER_FIELDS:
            if not match:
                message = f"expected a header line 'Key: value' (or a blank line before the body), got {line[:60]!r}"
            else:
                known = ", ".join(sorted({k.title() for k in HEADER_FIELDS}))
                message = f"unknown header field {match.group(1)!r}; known fields: {known}"
            errors.append((number, message))
            current = None
            continue
        current = HEADER_FIELDS[key]
        if current in header:
            errors.append(
                (number, f"header field {match.group(1)!r} is given twice (first on line {header[current][1]})")
            )
        header[current] = (match.group(2).strip(), number)
    return header, len(lines)


def _build_document(header, parties, errors):
    def value(name):
        return header.get(name, ("", 0))[0]

    def line_of(name):
        return header.get(name, ("", 1))[1]

    for name in REQUIRED_FIELDS:
        if not value(name):
            label = name.replace("_", " ").title()
            errors.append((line_of(name), f"missing header field {label!r} (write '{label}: ...' in the header)"))

    kind = value("kind")
    if kind:
        kinds = {k.lower(): k for k in DocumentKind.values}
        kinds.update({label.lower(): k for k, label in DocumentKind.choices})
        kind = kinds.get(kind.lower().replace("-", " ")) or kinds.get(kind.lower().replace(" ", "_"))
        if not kind:
            choices = ", ".join(DocumentKind.values)
            errors.append((line_of("kind"), f"unknown kind {value('kind')!r}; one of: {choices}"))

    date = None
    if value("date"):
        for date_format in DATE_FORMATS:
            try:
                date = datetime.datetime.strptime(value("date"), date_format).date()
                break
            except ValueError:
                continue
        else:
            errors.append(
                (line_of("date"), f"malformed date {value('date')!r}: write it as YYYY-MM-DD, e.g. 2023-03-02")
            )

    date_is_editorial = False
    if value("date_is_editorial"):
        date_is_editorial = BOOLEANS.get(value("date_is_editorial").lower())
        if date_is_editorial is None:
            errors.append((line_of("date_is_editorial"), "'Date is editorial' must be yes or no"))

    codes = [code.lower() for code in re.split(r"[,\s]+", value("parties")) if code]
    if parties is not None:
        lookup = _name_lookup(parties)
        resolved = []
        for code in codes:
            if code not in lookup:
                errors.append(
                    (line_of("parties"), f"unknown party {code!r}; known party codes: {', '.join(sorted(parties))}")
                )
            else:
                resolved.append(lookup[code])
        codes = resolved
    if len(set(codes)) != len(codes):
        errors.append((line_of("parties"), "a party is listed twice"))

    source_url = value("source_url")
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            errors.append((line_of("source_url"), f"malformed source URL {source_url!r}: give a full http(s) URL"))

    original_language, translation_note = value("original_language"), value("translation_note")
    if original_language and not translation_note:
        errors.append((line_of("original_language"), "a translation needs a 'Translation note' (who translated it)"))

    slug = value("slug")
    if slug and slugify(slug) != slug:
        errors.append((line_of("slug"), f"slug {slug!r} must be lowercase letters, digits and hyphens"))
    if not slug and value("title") and date:
        slug = f"{slugify(value('title'))[:100].rstrip('-')}-{date.isoformat()}"

    return DocumentDraft(
        slug=slug,
        title=value("title"),
        kind=kind or "",
        date=date,
        parties=dict.fromkeys(codes, ""),  # the header states them: a curator's
        date_is_editorial=bool(date_is_editorial),
        publisher=value("publisher"),
        source_url=source_url,
        language=value("language") or "en",
        is_translation=bool(original_language or translation_note),
        original_language=original_language,
        translation_note=translation_note,
        editorial_note=value("editorial_note"),
    )


def _blocks(lines, start):
    """The body as blocks of consecutive non-blank lines: [(first line number, [lines])]."""
    blocks, current = [], None
    for index in range(start, len(lines)):
        line = lines[index].rstrip(" \t")
        if not line.strip():
            current = None
        elif current is None:
            current = (index + 1, [line])
            blocks.append(current)
        else:
            current[1].append(line)
    return blocks


def _is_caps_heading(line):
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and len(line) <= 200 and all(c.isupper() for c in letters)


def _join(lines):
    """A block's lines as one paragraph: wrapped lines joined by a space, list items kept on their own line."""
    text = lines[0].strip(" \t")
    for line in lines[1:]:
        text += "\n" + line if LIST_ITEM.match(line) else " " + line.strip(" \t")
    return text


class _Body:
    """Walks the body's blocks and fills the draft: sections, clauses, footnotes, signatories."""

    def __init__(self, draft, blocks, parties, errors):
        self.draft, self.blocks, self.parties, self.errors = draft, blocks, parties, errors

    def parse(self):
        blocks = self._take_footnotes(self.blocks)
        blocks = self._drop_trailing_furniture(blocks)
        blocks = self._take_signatures(blocks)
        blocks = self._drop_trailing_furniture(blocks)
        self._read_paragraphs(blocks)
        if not any(section.clauses for section in self.draft.sections):
            self.errors.append((self.blocks[0][0], "the body has no paragraphs"))
            return
        self._assign_eids()

    def _take_footnotes(self, blocks):
        """Blocks of footnote text ("[1] ...") whose marker appears in the text; the rest unchanged."""
        text = "\n".join(line for _, lines in blocks for line in lines if not FOOTNOTE.match(line))
        referenced = set(FOOTNOTE_MARKER.findall(text))
        kept = []
        for first_line, lines in blocks:
            match = FOOTNOTE.match(lines[0])
            if not match or match.group(1) not in referenced:
                kept.append((first_line, lines))
                continue
            for offset, line in enumerate(lines):
                match = FOOTNOTE.match(line)
                if match:
                    label = match.group(1)
                    self.draft.footnotes.append(
                        ClauseDraft(f"note_{label}", label, match.group(2), first_line + offset)
                    )
                else:
                    self.draft.footnotes[-1].text = _join([self.draft.footnotes[-1].text, line])
        seen = {}
        for note in self.draft.footnotes:
            if note.label in seen:
                self.errors.append(
                    (note.line, f"footnote [{note.label}] is given twice (first on line {seen[note.label]})")
                )
            seen.setdefault(note.label, note.line)
        return kept

    def _drop_trailing_furniture(self, blocks):
        while blocks and len(blocks[-1][1]) == 1 and FURNITURE.match(blocks[-1][1][0].strip()):
            blocks = blocks[:-1]
        return blocks

    def _take_signatures(self, blocks):
        """Trailing two-line blocks (office line, name line) become signatories, in order."""
        signatures = []
        while len(blocks) > 1 and self._is_signature(blocks[-1][1]):
            signatures.insert(0, blocks[-1])
            blocks = blocks[:-1]
        for first_line, (office, name) in signatures:
            signatory = SignatoryDraft(office.strip(), name.strip(), first_line)
            if self.parties is not None:
                signatory.party = self._party_of(office)
                if not signatory.party:
                    self.errors.append(
                        (
                            first_line,
                            f"cannot tell which party {name.strip()!r} signed for: the office line should name one "
                            f"of the parties ({', '.join(sorted(self.parties))})",
                        )
                    )
            self.draft.signatories.append(signatory)
        return blocks

    @staticmethod
    def _is_signature(lines):
        if len(lines) != 2:
            return False
        office, name = (line.strip() for line in lines)
        return (
            len(office) <= 150
            and len(name.split()) <= 6
            and not any(SIGNATURE_END.search(line) for line in (office, name))
            and not any(MARKDOWN_HEADING.match(line) or LIST_ITEM.match(line) for line in (office, name))
            and not _is_caps_heading(office)
        )

    def _party_of(self, office):
        names = sorted(((n, code) for code, ns in self.parties.items() for n in ns[1:]), key=lambda p: -len(p[0]))
        for name, code in names:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", office, re.IGNORECASE):
                return code
        return ""

    def _read_paragraphs(self, blocks):
        sections = self.draft.sections
        for index, (first_line, lines) in enumerate(blocks):
            if len(lines) == 1 and is_dateline(lines[0], at_start=not any(s.clauses for s in sections)):
                continue  # "WASHINGTON, D.C.", "20 May 2023, Hiroshima": a dateline, not a clause
            heading = self._heading(lines[0]) or self._title_case_heading(lines, blocks[index + 1 : index + 2])
            if heading is not None:
                if sections and not sections[-1].clauses:
                    previous = sections[-1]
                    self.errors.append((previous.line, f"heading {previous.heading!r} has no paragraphs under it"))
                sections.append(SectionDraft(*heading, first_line))
                lines, first_line = lines[1:], first_line + 1
                if not lines:
                    continue
            if not sections:
                sections.append(SectionDraft("", False, first_line))
            clauses = sections[-1].clauses
            if BULLET.match(lines[0]) and clauses:
                # A list set off by a blank line still belongs to the paragraph that introduces it.
                clauses[-1].text += "\n" + "\n".join(_join([line]) if i == 0 else line for i, line in enumerate(lines))
                continue
            clauses.append(self._clause(_join(lines), first_line))
        if sections and not sections[-1].clauses:
            self.errors.append((sections[-1].line, f"heading {sections[-1].heading!r} has no paragraphs under it"))

    @staticmethod
    def _heading(line):
        """(heading, is_editorial) if the line is a section heading, else None."""
        match = MARKDOWN_HEADING.match(line)
        if match:
            heading = match.group(1)
        elif _is_caps_heading(line.strip()) and not BULLET.match(line):
            heading = line.strip()
        else:
            return None
        editorial = EDITORIAL_HEADING.match(heading)
        return (editorial.group(1).strip(), True) if editorial else (heading, False)

    @staticmethod
    def _title_case_heading(lines, following):
        """A short title-case line alone in its block, with a paragraph after it, is a heading (from the source)."""
        if len(lines) != 1 or not following:
            return None
        text = lines[0].strip()
        if heading_shape(Line(text, 0)) != "title":
            return None
        next_lines = following[0][1]
        if len(next_lines) == 1 and heading_shape(Line(next_lines[0].strip(), 0)):
            return None  # a run of short lines (names, an address): text
        return (text, False)

    @staticmethod
    def _clause(text, line):
        """A clause with its source number split off as the label; eid filled in later."""
        for pattern, kind in ((ARABIC_NUMBER, "arabic"), (ROMAN_NUMBER, "roman"), (SUB_NUMBER, "sub")):
            match = pattern.match(text)
            if match and text[match.end() :].strip():
                label = f"({match.group(1)})" if kind == "sub" else match.group(1)
                return ClauseDraft("", label, text[match.end() :], line, number_kind=kind)
        return ClauseDraft("", "", text, line)

    def _assign_eids(self):
        """para_<label> for numbered paragraphs, para_<position> for unnumbered ones, <parent>__subpara_<x> for "(a)".

        An unnumbered paragraph whose para_<position> is a numbered paragraph's eid gets para_p<position>.
        """
        clauses = [c for section in self.draft.sections for c in section.clauses]
        taken = {}
        for clause in clauses:
            if clause.number_kind in ("arabic", "roman"):
                self._claim(clause, f"para_{clause.label.lower()}", taken)
        for position, clause in enumerate(clauses, start=1):
            if not clause.number_kind:
                self._claim(
                    clause, f"para_{position}" if f"para_{position}" not in taken else f"para_p{position}", taken
                )
        parent = None
        for clause in clauses:
            if clause.number_kind == "sub":
                number = clause.label.strip("()").lower()
                self._claim(clause, f"{parent.eid}__subpara_{number}" if parent else f"para_{number}", taken)
            else:
                parent = clause

    def _claim(self, clause, eid, taken):
        if eid in taken:
            self.errors.append(
                (clause.line, f"paragraph number {clause.label!r} is used twice (first on line {taken[eid]})")
            )
        taken.setdefault(eid, clause.line)
        clause.eid = eid
