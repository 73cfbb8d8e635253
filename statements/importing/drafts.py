"""What an import makes of a source file before anything is saved: a tree of drafts, and the errors found.

The parser (statements.importing.parsing) builds a DocumentDraft; ``tag_draft`` (statements.importing.tagging)
fills in the topics and speakers the rules find; the save service (statements.importing.saving) or the fixture
writer
(statements.importing.fixtures) takes it from there.
"""

import datetime
from dataclasses import dataclass, field

from statements.models import Document

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
    # The similarity index's shingles of the text (statements.similarity.text_shingles), when the reader computed
    # them (an import into PostgreSQL does, in its reading workers); else the save computes them if it needs them.
    shingles: set = None


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
    rule: str = ""  # the rule that found the signatory in the text; "" where the source's signature block has it


# The rule name of a document party or a signatory an import derived, by why: "title", "text", "publisher".
def party_rule(reason):
    return f"document parties: {reason}"


def signatory_rule(reason):
    return f"signatories: {reason}"


@dataclass
class DocumentDraft:
    slug: str
    title: str
    kind: str
    date: datetime.date
    # party code -> the rule that derived it, "" where the source's header (a curator's) states it; in order
    parties: dict
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
        """The Document's own fields as the source gives them (not its slug, parties or timestamps), in the model's
        order."""
        return {name: getattr(self, name) for name in DOCUMENT_SOURCE_FIELDS}


# What a source file says of its document: the Document's own fields but for the slug and the timestamps.
DOCUMENT_SOURCE_FIELDS = [
    field.name
    for field in Document._meta.concrete_fields
    if field.name not in {"id", "slug", "created_at", "updated_at"}
]


@dataclass
class Reading:
    """A source file read (statements.importing.sources): the draft, the warnings (ParseWarnings: what looks
    wrong but parses, each with its line) and the datelines left out of the text."""

    draft: DocumentDraft
    warnings: list = field(default_factory=list)
    datelines: list = field(default_factory=list)  # (line, text)
