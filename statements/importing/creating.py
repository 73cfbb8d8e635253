"""Creating new documents whole from their drafts, in bulk: a handful of writes whatever the number of documents.

The rows are written without model instances (``rows.insert_rows``: COPY on PostgreSQL), with primary keys taken
beforehand, in file order. Bulk writes send no signals and record no history (the first change a curator makes
records the stored version first: statements.signals); the database's triggers still see every row.
"""

from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction

from statements.models import (
    AssignedBy,
    Clause,
    ClauseParty,
    ClauseTopic,
    Document,
    DocumentParty,
    Party,
    Section,
    Signatory,
    Topic,
)
from statements.models.facets import rebuild_sql
from statements.models.link_ids import LINK_ID_COLUMNS, link_id_values
from statements.similarity import (
    DOCUMENT_CHECK_TRIGGER,
    MISMATCHED_CLAUSE_SQL,
    SHINGLE_TRIGGER,
    set_row_triggers,
    text_shingles,
)

from .drafts import DOCUMENT_SOURCE_FIELDS
from .rows import allocate_ids, copy_rows, insert_rows

ROW_TRIGGERS_OFF_FROM = 200  # new clauses: from this many, the work of their row triggers is done in one go
BULK_ROW_TRIGGERS = [SHINGLE_TRIGGER, DOCUMENT_CHECK_TRIGGER]
RULE_LENGTH = ClauseTopic._meta.get_field("rule").max_length


def create_documents(drafts):
    """Create every draft's document (fields, parties, signatories, sections, clauses and their rule links)."""
    codes = {code for draft in drafts for code in draft.parties} | {s.party for d in drafts for s in d.signatories}
    party_ids = dict(Party.objects.filter(code__in=codes).values_list("code", "id")) if codes else {}
    document_ids = allocate_ids(Document, len(drafts))
    documents = list(zip(document_ids, drafts, strict=True))
    insert_rows(
        Document,
        ["id", "slug", *DOCUMENT_SOURCE_FIELDS],
        [(pk, draft.slug, *draft.document_fields().values()) for pk, draft in documents],
    )
    insert_rows(
        DocumentParty,
        ["document_id", "party_id", "assigned_by", "rule"],
        [(pk, party_ids[code], *provenance(rule)) for pk, draft in documents for code, rule in draft.parties.items()],
    )
    insert_rows(
        Signatory,
        ["document_id", "position", "name", "office", "party_id", "assigned_by", "rule"],
        [
            (pk, position, s.name, s.office, party_ids[s.party], *provenance(s.rule))
            for pk, draft in documents
            for position, s in enumerate(draft.signatories, start=1)
        ],
    )
    sections = [
        (pk, position, section)
        for pk, draft in documents
        for position, section in enumerate(draft.all_sections(), start=1)
    ]
    section_ids = allocate_ids(Section, len(sections))
    insert_rows(
        Section,
        ["id", "document_id", "position", "eid", "heading", "heading_is_editorial"],
        [
            (section_id, pk, position, f"sec_{position}", section.heading, section.heading_is_editorial)
            for section_id, (pk, position, section) in zip(section_ids, sections, strict=True)
        ],
    )
    clauses, position, current = [], 0, None  # (document id, section id, position, ClauseDraft)
    for section_id, (pk, _, section) in zip(section_ids, sections, strict=True):
        if pk != current:
            position, current = 0, pk
        for clause in section.clauses:
            position += 1
            clauses.append((pk, section_id, position, clause))
    clause_ids = allocate_ids(Clause, len(clauses))
    rule_links = [(clause_id, clause) for clause_id, (*_, clause) in zip(clause_ids, clauses, strict=True)]
    link_ids = rule_link_ids(rule_links)
    with derived_rows_in_bulk(clause_ids[0] if clause_ids else 0, len(clause_ids)):
        insert_clauses(
            [
                (clause_id, pk, section_id, position, clause.eid, clause.label, clause.text,
                 *clause_link_ids(clause, *link_ids))
                for clause_id, (pk, section_id, position, clause) in zip(clause_ids, clauses, strict=True)
            ],
            shingles=[clause.shingles for *_, clause in clauses],
            with_link_ids=connection.vendor == "postgresql",
        )  # fmt: skip
        add_rule_links(rule_links, link_ids=link_ids)


def provenance(rule):
    """(assigned_by, rule) of what an import saves: a rule's, or a curator's where the source states it (rule "")."""
    return (AssignedBy.RULE.value if rule else AssignedBy.CURATOR.value, rule[:RULE_LENGTH])


CLAUSE_COLUMNS = ["id", "document_id", "section_id", "position", "eid", "label", "text"]


def clause_link_ids(clause, topics, parties):
    """The rule links' (topic ids, party ids) of a new clause (a ClauseDraft), as its row holds them on PostgreSQL
    (statements.models.link_ids: written with the row, the links' triggers have nothing to do); none elsewhere.
    ``topics`` and ``parties``: ``rule_link_ids``'s."""
    if connection.vendor != "postgresql":
        return ()
    return link_id_values(
        (topics[slug] for slug in clause.topics if slug in topics),
        (parties[code] for code in clause.parties if code in parties),
    )


def insert_clauses(rows, shingles=None, with_link_ids=False):
    """Insert clause rows (CLAUSE_COLUMNS, then LINK_ID_COLUMNS ``with_link_ids``, on PostgreSQL only: without them
    the links' triggers fill the arrays when the links come); on PostgreSQL, from
    ROW_TRIGGERS_OFF_FROM of them, with the clauses' row triggers off (BULK_ROW_TRIGGERS), their work done once for
    all: the shingles inserted at once (the trigger, row by row, more than doubled the time of a corpus import) and
    the clauses' documents checked against their sections' in one query. ``shingles``: each row's, where the reader
    computed them (ClauseDraft.shingles), else None."""
    columns = [*CLAUSE_COLUMNS, *LINK_ID_COLUMNS] if with_link_ids else CLAUSE_COLUMNS
    if connection.vendor != "postgresql" or len(rows) < ROW_TRIGGERS_OFF_FROM:
        insert_rows(Clause, columns, rows)
        return
    with connection.cursor() as cursor:
        # Pending trigger events on the table (a deferred key check of a clause this transaction wrote and a link's
        # trigger updated) forbid ALTER TABLE: they are checked first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        disabled = set_row_triggers(cursor, "DISABLE", BULK_ROW_TRIGGERS)
        insert_rows(Clause, columns, rows)
        if SHINGLE_TRIGGER in disabled:
            # the rows the trigger would add, computed in Python (text_shingles: tests prove them equal to the SQL's)
            computed = shingles or [None] * len(rows)
            shingle_rows = (
                (value, clause_id, document_id)
                for (clause_id, document_id, *_, text), known in zip(rows, computed, strict=True)
                for value in (text_shingles(text) if known is None else known)
            )
            copy_rows(cursor, "statements_clauseshingle", ["hash", "clause_id", "document_id"], shingle_rows)
        if DOCUMENT_CHECK_TRIGGER in disabled:
            cursor.execute(MISMATCHED_CLAUSE_SQL, [min(clause_id for clause_id, *_ in rows)])
            if mismatched := cursor.fetchone():
                # what the trigger would have raised (migration 0002): the transaction is rolled back
                raise IntegrityError(f"clause document {mismatched[1]} does not match its section's document")
        if disabled:
            # The deferred foreign-key checks of the rows just written are pending trigger events, and a table with
            # pending events cannot be altered: check them now, then defer again as Django's transactions do.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            set_row_triggers(cursor, "ENABLE", disabled)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def rule_link_ids(clauses):
    """({topic slug: id}, {party code: id}) of the topics and parties the rules link [(clause id, ClauseDraft)] to
    (those that exist). Two lookups whatever the number of clauses."""
    topic_slugs = {slug for _, draft in clauses for slug in draft.topics}
    party_codes = {code for _, draft in clauses for code in draft.parties}
    topics = dict(Topic.objects.filter(slug__in=topic_slugs).values_list("slug", "id")) if topic_slugs else {}
    parties = dict(Party.objects.filter(code__in=party_codes).values_list("code", "id")) if party_codes else {}
    return topics, parties


def add_rule_links(clauses, existing_topics=(), existing_parties=(), link_ids=None):
    """Create the rule links of [(clause id, ClauseDraft)], skipping topics and parties a curator already linked.

    Two lookups (none given ``link_ids``, ``rule_link_ids``'s) and two inserts whatever the number of clauses.
    """
    topics, parties = link_ids or rule_link_ids(clauses)
    for model, column, ids, links, curators in (
        (ClauseTopic, "topic_id", topics, "topics", existing_topics),
        (ClauseParty, "party_id", parties, "parties", existing_parties),
    ):
        insert_rows(
            model,
            ["clause_id", "assigned_by", "rule", column],
            [
                (clause_id, AssignedBy.RULE.value, rule[:RULE_LENGTH], ids[key])
                for clause_id, draft in clauses
                for key, rule in getattr(draft, links).items()
                if key in ids and key not in curators
            ],
        )


# SQLite's triggers run row by row: the rows they derive from new clauses and links (a ClauseFacet row per clause and
# per link, a DocumentFacetCount bump per ClauseFacet row, a DataVersion bump per row) were most of a corpus import's
# save. These are the ones ``derived_rows_in_bulk`` replaces; the others (the full-text index, the clause's document
# check) still run.
BULK_TRIGGERS_SQLITE = [
    "statements_clause_facets_insert",
    "statements_clause_data_version_insert",
    "statements_clausetopic_facets_insert",
    "statements_clausetopic_data_version_insert",
    "statements_clauseparty_facets_insert",
    "statements_clauseparty_data_version_insert",
    "statements_clausefacet_counts_insert",
]
DERIVED_IN_BULK_FROM = 200  # new clauses
COUNT_ADDED_SQLITE = (
    "INSERT INTO statements_documentfacetcount (facet, value_id, document_id, n) "
    "SELECT facet, value_id, document_id, count(*) FROM statements_clausefacet WHERE rowid > %s "
    "GROUP BY facet, value_id, document_id "
    "ON CONFLICT (facet, value_id, document_id) DO UPDATE SET n = n + excluded.n"
)
ROWS_ADDED_SQL = (
    "SELECT (SELECT count(*) FROM statements_clause WHERE id >= %s) "
    "+ (SELECT count(*) FROM statements_clausetopic WHERE clause_id >= %s) "
    "+ (SELECT count(*) FROM statements_clauseparty WHERE clause_id >= %s)"
)
BUMP_SQLITE = (
    "INSERT INTO statements_dataversion (id, version, changed_at) VALUES (1, %s, strftime(%s, 'now')) "
    "ON CONFLICT (id) DO UPDATE SET version = version + excluded.version, changed_at = excluded.changed_at"
)


@contextmanager
def derived_rows_in_bulk(first_clause, count):
    """Around the insertion of ``count`` new clauses (ids from ``first_clause`` on) and their links: on SQLite, from
    DERIVED_IN_BULK_FROM of them, the row triggers of BULK_TRIGGERS_SQLITE are dropped, what they would have written
    is written afterwards in three statements (the facet rows of the new clauses, their counts, the data version
    bumped once per row written), and the triggers are created again from their own SQL, all in one savepoint (an
    error restores them). A test proves the rows equal the triggers'. PostgreSQL's facet and data-version triggers
    run once per statement already; elsewhere, or for fewer clauses, or a schema without these triggers, nothing
    changes."""
    if connection.vendor != "sqlite" or count < DERIVED_IN_BULK_FROM:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(BULK_TRIGGERS_SQLITE))
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", BULK_TRIGGERS_SQLITE
        )
        saved = dict(cursor.fetchall())
        if len(saved) != len(BULK_TRIGGERS_SQLITE):
            yield
            return
        cursor.execute("SELECT coalesce(max(rowid), 0) FROM statements_clausefacet")
        (last_facet_row,) = cursor.fetchone()
        for name in BULK_TRIGGERS_SQLITE:
            cursor.execute(f'DROP TRIGGER "{name}"')
        yield
        cursor.execute(rebuild_sql("sqlite", first_clause))
        cursor.execute(COUNT_ADDED_SQLITE, [last_facet_row])
        cursor.execute(ROWS_ADDED_SQL, [first_clause] * 3)
        (written,) = cursor.fetchone()
        if written:
            cursor.execute(BUMP_SQLITE, [written, "%Y-%m-%d %H:%M:%f"])
        for name in BULK_TRIGGERS_SQLITE:
            cursor.execute(saved[name])
