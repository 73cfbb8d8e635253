"""Turn the text of a statement into structured data, and save it.

``parse()`` is pure: text (str or bytes) in, a ``DocumentDraft`` tree out, no database.
``save_draft()`` writes a draft in one transaction; ``draft_to_fixture()`` turns it into a
natural-key fixture instead. Every problem is reported as an ``ImportErrorList`` of
(line, message) pairs, so a curator can go straight to the line.

The format (README, "Importing a statement"): a header of ``Key: value`` lines, a blank line,
then the body, one paragraph per block of lines separated by blank lines.
"""

import datetime
import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from .models import (
    AssignedBy,
    Clause,
    ClauseParty,
    ClauseTopic,
    Document,
    DocumentKind,
    Party,
    RetiredClause,
    Section,
    Signatory,
    Topic,
)
from .tagging import match_parties, match_topics

# --- Errors -----------------------------------------------------------------------------------------


class ImportErrorList(Exception):
    """Everything wrong with a source file, as (line, message) pairs; line 0 means the whole file."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda error: error[0])
        super().__init__("\n".join(f"line {line}: {message}" for line, message in self.errors))

    def format(self, filename):
        """One ``file:line: message`` line per error, as compilers print them."""
        return "\n".join(f"{filename}:{line}: {message}" for line, message in self.errors)


# --- The draft tree ---------------------------------------------------------------------------------


@dataclass
class ClauseDraft:
    eid: str
    label: str
    text: str
    line: int
    number_kind: str = ""  # how the source numbered it: "arabic" (12.), "roman" (I.), "sub" ((a)) or ""
    topics: dict = field(default_factory=dict)  # topic slug -> rule name
    parties: dict = field(default_factory=dict)  # party code -> rule name


@dataclass
class SectionDraft:
    heading: str
    heading_is_editorial: bool
    line: int
    clauses: list = field(default_factory=list)


@dataclass
class SignatoryDraft:
    office: str
    name: str
    line: int
    party: str = ""


@dataclass
class DocumentDraft:
    slug: str
    title: str
    kind: str
    date: datetime.date
    parties: list
    date_is_editorial: bool = False
    publisher: str = ""
    source_url: str = ""
    language: str = "en"
    is_translation: bool = False
    original_language: str = ""
    translation_note: str = ""
    editorial_note: str = ""
    sections: list = field(default_factory=list)
    signatories: list = field(default_factory=list)
    footnotes: list = field(default_factory=list)  # ClauseDrafts with eid note_N, saved as a last section

    NOTES_HEADING = "Notes"

    def all_sections(self):
        """The sections as saved: the body's, then the footnotes as a section with an editorial heading."""
        if not self.footnotes:
            return list(self.sections)
        return [*self.sections, SectionDraft(self.NOTES_HEADING, True, self.footnotes[0].line, self.footnotes)]

    def clauses(self):
        """Every clause in reading order (position = index + 1)."""
        return [clause for section in self.all_sections() for clause in section.clauses]

    def document_fields(self):
        names = [
            "title",
            "kind",
            "date",
            "date_is_editorial",
            "publisher",
            "source_url",
            "language",
            "is_translation",
            "original_language",
            "translation_note",
            "editorial_note",
        ]
        return {name: getattr(self, name) for name in names}


# --- Parsing ----------------------------------------------------------------------------------------

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
ARABIC_NUMBER = re.compile(r"^(\d{1,3})[.,](?:[ \t]+|(?=[A-Z“\"‘'(]))")
ROMAN_NUMBER = re.compile(r"^([IVXLC]{1,7})\.[ \t]+")
SUB_NUMBER = re.compile(r"^\(([a-z]{1,4}|\d{1,3})\)[ \t]+")
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
    lines = decode(data).split("\n")
    errors = []
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


def known_parties():
    """{code: [code, name, short name]} for every party in the database: what ``parse(parties=...)`` expects."""
    return {party.code: [party.code, party.name, party.short_name] for party in Party.objects.all()}


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
        lookup = {name.lower(): code for code, names in parties.items() for name in names}
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
        parties=codes,
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
        for first_line, lines in blocks:
            heading = self._heading(lines[0])
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


# --- Tagging ----------------------------------------------------------------------------------------


def tag_draft(draft, topic_rules, party_aliases):
    """Fill every clause's topics and parties from the rules (see statements.tagging)."""
    for clause in draft.clauses():
        clause.topics = match_topics(topic_rules, clause.text)
        clause.parties = match_parties(party_aliases, clause.text, draft.parties)
    return draft


# --- Saving -----------------------------------------------------------------------------------------


@dataclass
class SaveResult:
    """What save_draft did (or, for an unchanged file, did not do)."""

    slug: str
    created: bool = False
    changes: list = field(default_factory=list)  # human-readable lines, one per change
    retired: list = field(default_factory=list)  # eids of clauses the source no longer has

    @property
    def changed(self):
        return self.created or bool(self.changes)


SIMILAR_TEXT = 0.8  # difflib ratio above which an unnumbered paragraph is "the same paragraph, edited"
POSITION_OFFSET = 1_000_000  # moves rows clear of (document, position) uniqueness while they are reordered


def save_draft(draft, replace=False):
    """Write a draft to the database in one transaction and return a SaveResult.

    A new document is created whole. An existing one is left alone when the file says the same
    thing (importing twice changes nothing); when it differs, ``replace`` must be given, and then
    every clause whose paragraph still exists keeps its eid (see ``match_clauses``), clauses the
    source dropped are kept as RetiredClause rows, and curator links are never touched.
    """
    with transaction.atomic():
        document = Document.objects.filter(slug=draft.slug).first()
        if document is None:
            return _create(draft)
        result = _update(document, draft)
        if result.changed and not replace:
            detail = "; ".join(result.changes[:3])
            raise ImportErrorList(
                [(0, f"document {draft.slug!r} already exists and this file differs ({detail}); use --replace")]
            )
        return result


class _DryRun(Exception):
    """Raised inside the transaction to roll back a comparison."""


def diff_draft(draft):
    """What save_draft(draft, replace=True) would change, without changing anything: a SaveResult."""
    document = Document.objects.filter(slug=draft.slug).first()
    if document is None:
        return SaveResult(draft.slug, created=True)
    try:
        with transaction.atomic():
            result = _update(document, draft)
            raise _DryRun
    except _DryRun:
        pass
    return result


def _create(draft):
    parties = {party.code: party for party in Party.objects.filter(code__in=draft.parties)}
    document = Document.objects.create(slug=draft.slug, **draft.document_fields())
    document.parties.set([parties[code] for code in draft.parties])
    Signatory.objects.bulk_create(
        Signatory(document=document, position=i, name=s.name, office=s.office, party=_party(s.party))
        for i, s in enumerate(draft.signatories, start=1)
    )
    position, created = 0, []
    for index, section_draft in enumerate(draft.all_sections(), start=1):
        section = Section.objects.create(
            document=document,
            position=index,
            eid=f"sec_{index}",
            heading=section_draft.heading,
            heading_is_editorial=section_draft.heading_is_editorial,
        )
        clauses = []
        for clause_draft in section_draft.clauses:
            position += 1
            clauses.append(
                Clause(
                    document=document,
                    section=section,
                    position=position,
                    eid=clause_draft.eid,
                    label=clause_draft.label,
                    text=clause_draft.text,
                )
            )
        created.extend(zip(Clause.objects.bulk_create(clauses), section_draft.clauses, strict=True))
    _add_rule_links(created)
    return SaveResult(draft.slug, created=True)


def _party(code):
    return Party.objects.get(code=code)


def _add_rule_links(clauses, existing_topics=(), existing_parties=()):
    """Create the rule links of [(clause, clause_draft)], skipping topics and parties a curator already linked.

    Two lookups and two inserts whatever the number of clauses.
    """
    topic_slugs = {slug for _, draft in clauses for slug in draft.topics}
    party_codes = {code for _, draft in clauses for code in draft.parties}
    topics = Topic.objects.in_bulk(topic_slugs, field_name="slug") if topic_slugs else {}
    parties = Party.objects.in_bulk(party_codes, field_name="code") if party_codes else {}
    ClauseTopic.objects.bulk_create(
        ClauseTopic(clause=clause, topic=topics[slug], assigned_by=AssignedBy.RULE, rule=rule[:200])
        for clause, draft in clauses
        for slug, rule in draft.topics.items()
        if slug in topics and slug not in existing_topics
    )
    ClauseParty.objects.bulk_create(
        ClauseParty(clause=clause, party=parties[code], assigned_by=AssignedBy.RULE, rule=rule[:200])
        for clause, draft in clauses
        for code, rule in draft.parties.items()
        if code in parties and code not in existing_parties
    )


def match_clauses(existing, drafts):
    """Pair each draft clause with the existing clause it continues: {draft index: existing clause}.

    1. A numbered paragraph continues the clause with the same eid and label (its number did not change).
    2. Any other paragraph continues an unpaired clause with exactly the same text, first come first served.
    3. Then one whose text is similar (difflib ratio >= 0.8), the most similar first: an edited paragraph.
    Unpaired draft clauses are new; unpaired existing clauses are retired.
    """
    pairs, free = {}, list(existing)
    by_eid = {clause.eid: clause for clause in existing}
    for index, draft in enumerate(drafts):
        clause = by_eid.get(draft.eid)
        if draft.label and clause is not None and clause.label == draft.label:
            pairs[index] = clause
            free.remove(clause)
    for index, draft in enumerate(drafts):
        if index in pairs:
            continue
        clause = next((c for c in free if c.text == draft.text), None)
        if clause is not None:
            pairs[index] = clause
            free.remove(clause)
    candidates = []
    for index, draft in enumerate(drafts):
        if index in pairs:
            continue
        for clause in free:
            ratio = difflib.SequenceMatcher(None, clause.text, draft.text, autojunk=False).ratio()
            if ratio >= SIMILAR_TEXT:
                candidates.append((-ratio, index, clause.pk, clause))
    for _, index, _, clause in sorted(candidates, key=lambda c: c[:3]):
        if index not in pairs and clause in free:
            pairs[index] = clause
            free.remove(clause)
    return pairs


def _update(document, draft):
    """Bring ``document`` in line with ``draft``, writing only what differs; a SaveResult lists the changes."""
    result = SaveResult(draft.slug)
    changed_fields = [name for name, value in draft.document_fields().items() if getattr(document, name) != value]
    if changed_fields:
        for name in changed_fields:
            setattr(document, name, getattr(draft, name))
        document.save(update_fields=[*changed_fields, "updated_at"])
        result.changes.append(f"document fields changed: {', '.join(changed_fields)}")
    if sorted(document.parties.values_list("code", flat=True)) != sorted(draft.parties):
        document.parties.set(list(_parties(draft.parties)))
        result.changes.append("parties changed")
    signatories = [(s.office, s.name, s.party.code) for s in document.signatories.select_related("party")]
    if signatories != [(s.office, s.name, s.party) for s in draft.signatories]:
        document.signatories.all().delete()
        Signatory.objects.bulk_create(
            Signatory(document=document, position=i, name=s.name, office=s.office, party=_party(s.party))
            for i, s in enumerate(draft.signatories, start=1)
        )
        result.changes.append("signatories changed")

    section_drafts = draft.all_sections()
    clause_drafts = draft.clauses()
    existing = list(document.clauses.order_by("position"))
    pairs = match_clauses(existing, clause_drafts)
    kept_eids = {clause.eid for clause in pairs.values()}
    retired = [clause for clause in existing if clause.eid not in kept_eids]
    unavailable = kept_eids | set(document.retired_clauses.values_list("eid", flat=True))
    unavailable |= {clause.eid for clause in retired}

    # Sections: the i-th section of the file updates the i-th existing one (sections are not cited).
    sections = list(document.sections.order_by("position"))
    needs_reorder = len(sections) != len(section_drafts) or len(existing) != len(clause_drafts) or bool(retired)
    needs_reorder = needs_reorder or any(
        pairs.get(i) is None or pairs[i].position != i + 1 for i in range(len(clause_drafts))
    )
    if needs_reorder:
        document.sections.update(position=F("position") + POSITION_OFFSET)
        document.clauses.update(position=F("position") + POSITION_OFFSET)
    section_eids = {section.eid for section in sections}
    saved_sections = []
    for index, section_draft in enumerate(section_drafts, start=1):
        wanted = {
            "position": index,
            "heading": section_draft.heading,
            "heading_is_editorial": section_draft.heading_is_editorial,
        }
        if index <= len(sections):
            section = sections[index - 1]
            if needs_reorder:
                section.position += POSITION_OFFSET
            differs = [name for name, value in wanted.items() if getattr(section, name) != value]
            if differs:
                for name, value in wanted.items():
                    setattr(section, name, value)
                section.save(update_fields=differs)
                if set(differs) != {"position"}:
                    result.changes.append(f"section {section.eid}: {', '.join(differs)} changed")
        else:
            eid = _fresh_eid(f"sec_{index}", section_eids)
            section_eids.add(eid)
            section = Section.objects.create(document=document, eid=eid, **wanted)
            result.changes.append(f"section {eid} added")
        saved_sections.append(section)

    # Clauses the source no longer has are retired, with their text and links, before eids are given out.
    for clause in retired:
        RetiredClause.objects.create(
            document=document, eid=clause.eid, label=clause.label, text=clause.text, links=clause.links_record()
        )
        clause.delete()
        result.retired.append(clause.eid)
        result.changes.append(f"{clause.eid} retired")

    position = moved = 0
    for section, section_draft in zip(saved_sections, section_drafts, strict=True):
        for clause_draft in section_draft.clauses:
            position += 1
            clause = pairs.get(position - 1)
            if clause is None:
                if clause_draft.label or clause_draft.eid not in unavailable:
                    eid = _fresh_eid(clause_draft.eid, unavailable)
                else:
                    # An unnumbered paragraph's eid was its position when first published: take the next number.
                    eid = _next_para(unavailable | {c.eid for c in clause_drafts})
                unavailable.add(eid)
                clause = Clause.objects.create(
                    document=document,
                    section=section,
                    position=position,
                    eid=eid,
                    label=clause_draft.label,
                    text=clause_draft.text,
                )
                _add_rule_links([(clause, clause_draft)])
                result.changes.append(f"{eid} added")
                continue
            was = (clause.section_id, clause.position)
            if needs_reorder:
                clause.position += POSITION_OFFSET
            wanted = {
                "section_id": section.pk,
                "position": position,
                "label": clause_draft.label,
                "text": clause_draft.text,
            }
            differs = [name for name, value in wanted.items() if getattr(clause, name) != value]
            if not differs:
                continue
            text_changed = clause.text != clause_draft.text
            for name, value in wanted.items():
                setattr(clause, name, value)
            clause.save(update_fields=[*differs, "updated_at"])
            if text_changed:
                _retag(clause, clause_draft)
            edited = [name for name in differs if name in ("label", "text")]
            if edited:
                result.changes.append(f"{clause.eid}: {', '.join(edited)} changed")
            if was != (section.pk, position):
                moved += 1
    if moved:
        result.changes.append(f"{moved} clause(s) moved to another position or section")

    for section in sections[len(section_drafts) :]:
        section.delete()
        result.changes.append(f"section {section.eid} removed")
    return result


def _parties(codes):
    return Party.objects.filter(code__in=codes)


def _fresh_eid(eid, taken):
    """``eid`` if free, else eid + v2, v3 ...: a retired or kept eid is never given to other text."""
    if eid not in taken:
        return eid
    version = 2
    while f"{eid}v{version}" in taken:
        version += 1
    return f"{eid}v{version}"


def _next_para(taken):
    numbers = [int(eid[5:]) for eid in taken if re.fullmatch(r"para_\d+", eid)]
    return f"para_{max(numbers, default=0) + 1}"


def _retag(clause, clause_draft):
    """New text, new rule links: drop the old rule links, keep every curator link, add the rules' links."""
    clause.topic_links.filter(assigned_by=AssignedBy.RULE).delete()
    clause.party_links.filter(assigned_by=AssignedBy.RULE).delete()
    _add_rule_links(
        [(clause, clause_draft)],
        existing_topics=set(clause.topic_links.values_list("topic__slug", flat=True)),
        existing_parties=set(clause.party_links.values_list("party__code", flat=True)),
    )


# --- Fixture output ---------------------------------------------------------------------------------


def draft_to_fixture(draft, now=None):
    """The draft as a list of natural-key fixture objects (what ``loaddata`` reads), without a database."""
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    document_fields = draft.document_fields()
    document_fields["date"] = draft.date.isoformat()
    objects = [
        {
            "model": "statements.document",
            "fields": {
                "slug": draft.slug,
                **document_fields,
                "created_at": stamp,
                "updated_at": stamp,
                "parties": [[code] for code in draft.parties],
            },
        }
    ]
    for position, signatory in enumerate(draft.signatories, start=1):
        objects.append(
            {
                "model": "statements.signatory",
                "fields": {
                    "document": [draft.slug],
                    "position": position,
                    "name": signatory.name,
                    "office": signatory.office,
                    "party": [signatory.party],
                },
            }
        )
    clause_objects, link_objects, position = [], [], 0
    for index, section in enumerate(draft.all_sections(), start=1):
        objects.append(
            {
                "model": "statements.section",
                "fields": {
                    "document": [draft.slug],
                    "position": index,
                    "eid": f"sec_{index}",
                    "heading": section.heading,
                    "heading_is_editorial": section.heading_is_editorial,
                },
            }
        )
        for clause in section.clauses:
            position += 1
            clause_objects.append(
                {
                    "model": "statements.clause",
                    "fields": {
                        "document": [draft.slug],
                        "section": [draft.slug, f"sec_{index}"],
                        "position": position,
                        "eid": clause.eid,
                        "label": clause.label,
                        "text": clause.text,
                        "created_at": stamp,
                        "updated_at": stamp,
                    },
                }
            )
            for model, key, links in (
                ("clausetopic", "topic", clause.topics),
                ("clauseparty", "party", clause.parties),
            ):
                for target, rule in links.items():
                    link_objects.append(
                        {
                            "model": f"statements.{model}",
                            "fields": {
                                "clause": [draft.slug, clause.eid],
                                key: [target],
                                "assigned_by": "rule",
                                "rule": rule[:200],
                                "created_at": stamp,
                            },
                        }
                    )
    return objects + clause_objects + link_objects
