"""Is a stored document what its file says? Its rows compared with a draft's, or recognised by digests unread.

- ``document_rows`` / ``draft_rows``: what a document says as the import compares it (its own fields, parties,
  signatories, sections, clauses' labels and texts in order), from the database or from a draft; equal rows are
  "unchanged". ``unchanged_slugs`` compares many in five queries.
- ``file_digest``: a file's bytes and format with the reader's fingerprint (``reader_fingerprint``: the importer's
  code, the Markdown libraries, the party vocabulary and its data). An import records it, with the digest of the
  draft's rows, on the document (ImportedSource); a later import of the same bytes by the same reader is then
  recognised without reading, if the document's rows still have that digest (nobody edited it since).
"""

import hashlib
import json
from functools import cache
from importlib.metadata import version
from pathlib import Path

from statements.models import Clause, Document, Party, PartyMembership, PartyName, Section, Signatory

from .drafts import DOCUMENT_SOURCE_FIELDS

# What turns a file into a draft: these modules (every module and data file of a package), and these libraries.
READER_PATHS = [
    "importing",
    "vocabulary",
    "attribution",
    "tagging",
    "characters.py",
    "models/eids.py",
    "models/corpus.py",
]
READER_LIBRARIES = ["Django", "markdown-it-pyrs", "PyYAML", "pycountry"]
STATEMENTS = Path(__file__).resolve().parent.parent


def draft_rows(draft):
    """What ``draft`` says, as ``document_rows`` gives a stored document's."""
    sections = draft.all_sections()
    return {
        "fields": [draft.document_fields()[name] for name in DOCUMENT_SOURCE_FIELDS],
        "parties": sorted(draft.parties),
        "signatories": [(s.office, s.name, s.party) for s in draft.signatories],
        "sections": [(section.heading, section.heading_is_editorial) for section in sections],
        "clauses": [
            (index, clause.label, clause.text)
            for index, section in enumerate(sections, start=1)
            for clause in section.clauses
        ],
    }


def document_rows(documents):
    """{document id: what it says} for ``documents`` (Document instances), in four queries whatever their number."""
    ids = [document.pk for document in documents]
    rows = {
        document.pk: {
            "fields": [getattr(document, name) for name in DOCUMENT_SOURCE_FIELDS],
            "parties": [],
            "signatories": [],
            "sections": [],
            "clauses": [],
        }
        for document in documents
    }
    for document_id, code in Document.parties.through.objects.filter(document_id__in=ids).values_list(
        "document_id", "party__code"
    ):
        rows[document_id]["parties"].append(code)
    for document_id, *row in (
        Signatory.objects.filter(document_id__in=ids)
        .order_by("position")
        .values_list("document_id", "office", "name", "party__code")
    ):
        rows[document_id]["signatories"].append(tuple(row))
    for document_id, *row in (
        Section.objects.filter(document_id__in=ids)
        .order_by("position")
        .values_list("document_id", "heading", "heading_is_editorial")
    ):
        rows[document_id]["sections"].append(tuple(row))
    for document_id, *row in (
        Clause.objects.filter(document_id__in=ids)
        .order_by("position")
        .values_list("document_id", "section__position", "label", "text")
    ):
        rows[document_id]["clauses"].append(tuple(row))
    for row in rows.values():
        row["parties"].sort()
    return rows


def unchanged_slugs(drafts, stored):
    """The slugs of the drafts whose stored document (``stored``: {slug: Document}) already says exactly what the
    draft says. Four queries in all."""
    if not drafts:
        return set()
    rows = document_rows([stored[draft.slug] for draft in drafts])
    return {draft.slug for draft in drafts if rows[stored[draft.slug].pk] == draft_rows(draft)}


def rows_digest(rows):
    """The SHA-256 of what a document says (``draft_rows`` or one of ``document_rows``)."""
    text = json.dumps(rows, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def file_digest(data, suffix, fingerprint):
    """The SHA-256 of a file's bytes, its suffix (its format) and the reader's ``fingerprint``."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(suffix.lower().encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()


def reader_fingerprint():
    """What reading a file depends on besides the file, as one digest: the reader's code and libraries (fixed for
    a process) and the party vocabulary in the database (three queries)."""
    digest = hashlib.sha256(_code_fingerprint().encode())
    for rows in (
        Party.objects.order_by("code").values_list("code", "name", "short_name", "kind", "un_status"),
        PartyName.objects.order_by("party__code", "kind", "name").values_list("party__code", "kind", "name"),
        PartyMembership.objects.order_by("group__code", "member__code", "since").values_list(
            "group__code", "member__code", "since", "until"
        ),
    ):
        digest.update(json.dumps(list(rows), default=str).encode())
    return digest.hexdigest()


@cache
def _code_fingerprint():
    digest = hashlib.sha256()
    for name in READER_PATHS:
        top = STATEMENTS / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file() and path.suffix in {".py", ".yaml", ".yml", ".json"}:
                digest.update(str(path.relative_to(STATEMENTS)).encode() + b"\0" + path.read_bytes())
    for library in READER_LIBRARIES:
        digest.update(f"{library}=={version(library)}".encode())
    return digest.hexdigest()
