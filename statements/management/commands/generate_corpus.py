"""manage.py generate_corpus: a large, realistic synthetic corpus for measuring the API at scale."""

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from statements import search_index, synthetic
from statements.models import (
    AssignedBy,
    Clause,
    ClauseParty,
    ClauseTopic,
    Document,
    Party,
    Section,
    Signatory,
    Topic,
    facets,
    link_ids,
)
from statements.similarity import (
    DOCUMENT_CHECK_TRIGGER,
    MISMATCHED_CLAUSE_SQL,
    SHINGLE_TRIGGER,
    set_row_triggers,
)

BULK_TABLES = ["statements_clause", "statements_clausetopic", "statements_clauseparty", "statements_clauseshingle"]
# The clauses' row triggers (migrations 0002 and 0006). Run once per row they made the load over three times slower;
# in a bulk load they are off during the COPY: one set-based query checks the documents afterwards, and the shingles
# are computed in Python (similarity.text_shingles, by the generator) and COPYed with the clauses.
ROW_TRIGGERS = (DOCUMENT_CHECK_TRIGGER, SHINGLE_TRIGGER)
# A sample of the new clauses whose shingles in the table are not what the trigger's SQL function gives: Python's
# twin of the function must agree with it (the same words and hashes) on this server too.
MISINDEXED_CLAUSE_SQL = """
    SELECT id FROM statements_clause c WHERE id = ANY(%s) AND
        ARRAY(SELECT statements_clause_shingles(c.text) ORDER BY 1)
        <> ARRAY(SELECT hash FROM statements_clauseshingle WHERE clause_id = c.id ORDER BY 1)
    LIMIT 1
"""
SAMPLE_EVERY = 500
# From this many new clauses on, PostgreSQL rebuilds indexes and re-checks keys once, after the COPY,
# instead of row by row (a million deferred foreign-key checks take longer than the load itself).
BULK_FROM = 50_000


class Command(BaseCommand):
    help = (
        "Add N synthetic clauses (in several thousand documents between China and eight partners, dated "
        "1994-2025, with the real corpus's vocabulary and topic mix) to the database, for benchmarks. "
        "Deterministic for a seed. Refuses to write into a database that holds curated documents unless --force: "
        "point DATABASE_URL at a scratch database instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clauses", type=int, required=True, help="How many clauses to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1): same seed, same corpus.")
        parser.add_argument(
            "--force", action="store_true", help="Write even though the database holds curated (non-synthetic) data."
        )

    def handle(self, *args, clauses, seed, force, **options):
        if clauses < 1:
            raise CommandError("--clauses must be at least 1.")
        curated = Document.objects.exclude(slug__startswith=synthetic.SLUG_PREFIX).count()
        if curated and not force:
            raise CommandError(
                f"This database holds {curated} curated document(s); generate_corpus writes only into a scratch "
                "database. Set DATABASE_URL to another database, or pass --force if you really mean this one."
            )
        if not Topic.objects.exists():
            call_command("loaddata", "taxonomy", verbosity=0)
        for code, full, short, *_ in [synthetic.CHINA, *synthetic.PARTNERS]:
            Party.objects.get_or_create(code=code, defaults={"name": full, "short_name": short})
        generator = synthetic.Generator(
            seed,
            topic_ids=dict(Topic.objects.values_list("slug", "id")),
            party_ids=dict(Party.objects.values_list("code", "id")),
            first_ids={name: next_id(model) for name, model in TABLES.items()},
            first_number=Document.objects.filter(slug__startswith=synthetic.SLUG_PREFIX).count(),
        )
        writer = copy_batch if connection.vendor == "postgresql" else bulk_create_batch
        started, written = time.monotonic(), 0
        bulk = connection.vendor == "postgresql" and clauses >= BULK_FROM
        with transaction.atomic(), connection.cursor() as cursor:
            # PostgreSQL's recipe for populating a database: drop the big tables' keys and indexes, COPY, then
            # rebuild and re-check them in one pass each. All in this one transaction: a
            # failure (or a row that breaks a key) rolls everything back, the indexes and keys included.
            if bulk:
                # A bulk load is no web request: the API's statement timeout does not apply to it. The index builds
                # after the COPY sort in memory (the GIN index of the tsvectors too).
                cursor.execute("SET LOCAL statement_timeout = 0")
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            deferred = drop_keys_and_indexes(cursor) if bulk else []
            row_triggers = set_row_triggers(cursor, "DISABLE", ROW_TRIGGERS) if bulk else []
            if bulk:  # ClauseFacet's rows are added once, set-based, after the COPY (statements.models.facets)
                set_facet_triggers(cursor, "DISABLE")
            first_clause = generator.next_id["clause"]
            # The generator works in a thread, a batch ahead, while PostgreSQL takes the one before.
            for batch in made_ahead(generator.batches(clauses)):
                writer(batch, shingles=SHINGLE_TRIGGER in row_triggers)
                written += len(batch.clauses)
                self.progress(written, clauses, started)
            phases = {"COPY": time.monotonic() - started}
            if bulk:
                self.stderr.write("\nchecking the new clauses, re-adding keys and indexes ...", ending="")
                if DOCUMENT_CHECK_TRIGGER in row_triggers:
                    cursor.execute(MISMATCHED_CLAUSE_SQL, [first_clause])
                    if mismatched := cursor.fetchone():
                        raise CommandError(f"Clause {mismatched[0]}'s document is not its section's: nothing written.")
                set_row_triggers(cursor, "ENABLE", row_triggers)
            for sql in deferred:
                began = time.monotonic()
                cursor.execute(sql)
                if options["verbosity"] > 1:  # where the time goes
                    self.stderr.write(f"\n{time.monotonic() - began:7.1f} s  {sql}", ending="")
            if bulk:
                set_facet_triggers(cursor, "ENABLE")
                cursor.execute(facets.rebuild_sql(connection.vendor, first_clause))
            if SHINGLE_TRIGGER in row_triggers:
                cursor.execute(MISINDEXED_CLAUSE_SQL, [list(range(first_clause, first_clause + written, SAMPLE_EVERY))])
                if misindexed := cursor.fetchone():
                    raise CommandError(
                        f"Clause {misindexed[0]}'s shingles from Python differ from statements_clause_shingles(): "
                        "nothing written."
                    )
            for sql in connection.ops.sequence_reset_sql(no_style(), list(TABLES.values()) + LINK_MODELS):
                cursor.execute(sql)
            phases["keys and indexes"] = time.monotonic() - started - sum(phases.values())
        if connection.vendor == "postgresql":
            # VACUUM too, not only ANALYZE: it sets the new rows' hint bits and visibility map once, so the first
            # readers (a benchmark) do not pay for it, nor share the machine with autovacuum doing it later. VACUUM
            # cannot run in a transaction: inside a caller's (a test's), ANALYZE only.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"{command} statements_document, statements_document_parties, statements_signatory, "
                    "statements_section, statements_clause, statements_clausetopic, statements_clauseparty, "
                    "statements_clauseshingle, statements_clausefacet"
                )
        search_index.optimize(connection)  # SQLite: the full-text index in one segment (search_index.optimize)
        phases["vacuum and analyze"] = time.monotonic() - started - sum(phases.values())
        elapsed = time.monotonic() - started
        self.stderr.write("\n" + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items()))
        self.stdout.write(
            f"Added {written:,} clauses in {generator.number - generator.first_number:,} documents "
            f"in {elapsed:.1f} s ({written / elapsed:,.0f} clauses/s)."
        )

    def progress(self, done, total, started):
        """A progress bar on stderr, redrawn in place."""
        rate = done / max(time.monotonic() - started, 1e-9)
        bar = "#" * int(30 * done / total)
        self.stderr.write(f"\r[{bar:<30}] {done:,}/{total:,} clauses, {rate:,.0f}/s", ending="")
        self.stderr.flush()


TABLES = {"document": Document, "section": Section, "clause": Clause}
LINK_MODELS = [ClauseTopic, ClauseParty, Signatory, Document.parties.through]


def drop_keys_and_indexes(cursor):
    """Drop the big tables' keys (primary, unique and foreign, and foreign keys pointing at them) and indexes.

    Returns the SQL that puts them back exactly as they were (their definitions come from the catalog). A duplicate
    or dangling row then fails the ADD CONSTRAINT, and the transaction with it.
    """
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE contype = 'f' AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[])) "
        "OR contype IN ('p', 'u') AND conrelid = ANY(%s::regclass[]) ORDER BY contype = 'f' DESC",
        [BULK_TABLES] * 3,
    )
    keys = cursor.fetchall()  # foreign keys first: they depend on the primary and unique keys
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [BULK_TABLES],
    )
    indexes = cursor.fetchall()
    for table, name, _, _ in keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition, _ in reversed(keys)
    ]


def set_facet_triggers(cursor, action):
    """ENABLE or DISABLE the triggers that add ClauseFacet rows for new links, and those that give a clause its new
    links' ids (the COPY writes them with the clause: statements.models.link_ids) (PostgreSQL)."""
    for triggers in (facets.INSERT_TRIGGERS, link_ids.INSERT_TRIGGERS):
        for table, trigger in triggers.items():
            cursor.execute(f'ALTER TABLE {table} {action} TRIGGER "{trigger}"')


def made_ahead(items):
    """``items``, each made in a thread while the caller works on the one before."""
    with ThreadPoolExecutor(1) as thread:
        items = iter(items)
        coming = thread.submit(next, items, None)
        while (item := coming.result()) is not None:
            coming = thread.submit(next, items, None)
            yield item


def next_id(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


# --- writing: COPY on PostgreSQL, bulk_create elsewhere --------------------------------------------

A = synthetic  # short alias for the constant columns below


def copy_rows(cursor, table, columns, rows):
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def copy_batch(batch, shingles=False):
    """COPY a batch's rows; its clauses' shingles too if ``shingles`` (the trigger that would add them is off)."""
    created = A.CREATED_AT
    with connection.connection.cursor() as cursor:
        copy_rows(
            cursor,
            "statements_document",
            ["id", "slug", "title", "kind", "date", "publisher", "created_at", "updated_at", "date_is_editorial",
             "source_url", "language", "is_translation", "original_language", "translation_note", "editorial_note"],
            ((*row, created, False, "", "en", False, "", "", "") for row in batch.documents),
        )  # fmt: skip
        # Synthetic documents' parties and signatories are the template's, a curator's (Provenance's default).
        copy_rows(
            cursor,
            "statements_document_parties",
            ["document_id", "party_id", "assigned_by", "rule", "created_at"],
            ((*row, AssignedBy.CURATOR.value, "", created) for row in batch.document_parties),
        )
        copy_rows(
            cursor,
            "statements_signatory",
            ["document_id", "position", "name", "office", "party_id", "assigned_by", "rule"],
            ((*row, AssignedBy.CURATOR.value, "") for row in batch.signatories),
        )
        copy_rows(
            cursor,
            "statements_section",
            ["id", "document_id", "position", "eid", "heading", "heading_is_editorial"],
            ((*row, False) for row in batch.sections),
        )
        # Each clause's topic and party ids with its row (statements.models.link_ids), from its links below.
        topic_ids, party_ids = defaultdict(list), defaultdict(list)
        for links, rows in ((topic_ids, batch.clause_topics), (party_ids, batch.clause_parties)):
            for clause_id, value in rows:
                links[clause_id].append(value)
        copy_rows(
            cursor,
            "statements_clause",
            ["id", "document_id", "section_id", "position", "eid", "label", "text", "created_at", "updated_at",
             *link_ids.LINK_ID_COLUMNS],
            ((*row, created, created, *link_ids.link_id_values(topic_ids[row[0]], party_ids[row[0]]))
             for row in batch.clauses),
        )  # fmt: skip
        for table, column, rows in (
            ("statements_clausetopic", "topic_id", batch.clause_topics),
            ("statements_clauseparty", "party_id", batch.clause_parties),
        ):
            copy_rows(
                cursor,
                table,
                ["clause_id", column, "assigned_by", "rule", "created_at"],
                ((*row, "rule", A.RULE, created) for row in rows),
            )
        if shingles:
            copy_rows(cursor, "statements_clauseshingle", ["hash", "clause_id", "document_id"], batch.clause_shingles)


def bulk_create_batch(batch, shingles=False):
    """bulk_create a batch's rows (SQLite has no shingle table: ``shingles`` is always false there)."""
    created = A.CREATED_AT
    Document.objects.bulk_create(
        Document(id=id_, slug=slug, title=title, kind=kind, date=date, publisher=publisher)
        for id_, slug, title, kind, date, publisher, _ in batch.documents
    )
    Document.parties.through.objects.bulk_create(
        Document.parties.through(document_id=document_id, party_id=party_id)
        for document_id, party_id in batch.document_parties
    )
    Signatory.objects.bulk_create(
        Signatory(document_id=d, position=p, name=n, office=o, party_id=party)
        for d, p, n, o, party in batch.signatories
    )
    Section.objects.bulk_create(
        Section(id=id_, document_id=d, position=p, eid=eid, heading=h) for id_, d, p, eid, h in batch.sections
    )
    Clause.objects.bulk_create(
        (
            Clause(id=id_, document_id=d, section_id=s, position=p, eid=eid, label=label, text=text)
            for id_, d, s, p, eid, label, text in batch.clauses
        ),
        batch_size=500,
    )
    ClauseTopic.objects.bulk_create(
        (ClauseTopic(clause_id=c, topic_id=t, assigned_by="rule", rule=A.RULE) for c, t in batch.clause_topics),
        batch_size=500,
    )
    ClauseParty.objects.bulk_create(
        (ClauseParty(clause_id=c, party_id=p, assigned_by="rule", rule=A.RULE) for c, p in batch.clause_parties),
        batch_size=500,
    )
    # auto_now fields ignore the values given; pin them so the corpus is identical for a seed.
    Clause.objects.filter(document_id__in=[row[0] for row in batch.documents]).update(
        created_at=created, updated_at=created
    )
