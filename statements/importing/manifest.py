"""The manifest of an imported corpus: every row its sources give, one line a row, to commit and compare.

The project ships sources (``fixtures/sources/whitehouse/``) and imports them; the manifest is what the
import must give (``fixtures/whitehouse-manifest.tsv``). A change to the parser, the tagging or the
sources that moves an eid, a section, a label, a clause's text or links shows as a line of the diff,
and the test that imports the sources fails until the manifest is written again deliberately
(``make corpus-manifest``).

Lines, tab-separated, in the order of the documents' slugs then positions:

- ``D  slug  kind  date  publisher  parties  title``
- ``S  slug  section eid  heading``
- ``C  slug  eid  label  section eid  text digest  first words  parties  topics``

A clause's text is its SHA-1 (12 hex digits) and its first words; tabs and newlines in headings and
words are written ``\\t`` and ``\\n``.
"""

import hashlib

from django.db.models import Prefetch

from statements.models import Clause, Document, Section

HEADER = "# rows the corpus sources import to (statements/importing/manifest.py); regenerate: make corpus-manifest"
FIRST_WORDS = 8


def _field(value):
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _line(*values):
    return "\t".join(_field(value) for value in values)


def digest(text):
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def manifest_lines(documents=None):
    """The manifest of ``documents`` (a Document queryset; default: all) as a list of lines, header first."""
    documents = (documents if documents is not None else Document.objects.all()).order_by("slug")
    clauses = Clause.objects.order_by("position").prefetch_related("parties", "topics")
    documents = documents.prefetch_related(
        "parties",
        Prefetch("sections", queryset=Section.objects.order_by("position")),
        Prefetch("clauses", queryset=clauses.select_related("section")),
    )
    lines = [HEADER]
    for document in documents:
        parties = ",".join(sorted(party.code for party in document.parties.all()))
        lines.append(
            _line("D", document.slug, document.kind, document.date, document.publisher, parties, document.title)
        )
        lines.extend(_line("S", document.slug, section.eid, section.heading) for section in document.sections.all())
        for clause in document.clauses.all():
            lines.append(
                _line(
                    "C",
                    document.slug,
                    clause.eid,
                    clause.label,
                    clause.section.eid,
                    digest(clause.text),
                    " ".join(clause.text.split()[:FIRST_WORDS]),
                    ",".join(sorted(party.code for party in clause.parties.all())),
                    ",".join(sorted(topic.slug for topic in clause.topics.all())),
                )
            )
    return lines


def differences(expected, actual, limit=20):
    """Human-readable lines saying how two manifests differ (at most ``limit``), empty when they are equal."""
    expected_set, actual_set = set(expected), set(actual)
    missing = [line for line in expected if line not in actual_set]
    extra = [line for line in actual if line not in expected_set]
    out = [f"- {line}" for line in missing[:limit]] + [f"+ {line}" for line in extra[:limit]]
    if len(missing) > limit or len(extra) > limit:
        out.append(f"... {len(missing)} line(s) missing and {len(extra)} line(s) new in all")
    return out
