"""The export: every clause a list selects, streamed as JSON Lines or CSV, in flat memory.

Each clause is what /clauses/ shows (statements.api.v1.representation): JSON Lines writes ``clauses_json``, CSV
the same fields flattened into ``CSV_COLUMNS``.
"""

from array import array
from operator import itemgetter

import orjson
from django.db import connections

from statements.api.cache import cached_for
from statements.api.pagination import document_map
from statements.selection import any_of

from .representation import (
    CLAUSE_COLUMNS,
    CLAUSE_ORM_COLUMNS,
    CSV_COLUMNS,
    ClauseRow,
    Rendering,
    clauses_json,
    csv_values,
    named,
)
from .rows import fixed_sql_cursor, links_of

__all__ = ["CSV_COLUMNS", "EXPORT_CHUNK", "csv_row", "export_csv", "export_jsonl"]

EXPORT_CHUNK = 2000


def export_chunks(selection, queryset):
    """Every clause of ``queryset`` (what ``selection`` selects, in its order), as (ClauseRows, (topics, parties)),
    about EXPORT_CHUNK clauses a chunk.

    In reading order (or newest documents first) the clauses are read a run of documents at a time, through
    the map of how many clauses each document has that paging uses: each query reads ~EXPORT_CHUNK rows
    through the (document, position) index, so the database never sorts the whole result and the worker
    never holds more than a chunk. Other orderings read the ordered ids first (one query, 8 bytes a clause),
    then the clauses a chunk of ids at a time. Each chunk also reads its links.

    No query spans two chunks and no transaction is open between them: a client reading slowly suspends the export
    between chunks for as long as it likes, and must not keep a database session "idle in transaction" meanwhile
    (a server-side cursor needs a transaction around it; that was the other orderings' way before).
    """
    using, document_order = queryset.db, selection.document_order
    if document_order is not None:
        ids, starts, total = cached_for(
            None, "documents", (using, selection.key(), document_order), lambda: document_map(selection, using)
        )
        first = 0
        for last in range(1, len(ids) + 1):
            end = starts[last] if last < len(ids) else total
            if end - starts[first] >= EXPORT_CHUNK or last == len(ids):
                documents = ids[first:last].tolist()
                yield chunk_rows(selection, using, documents), links_of(document_ids=documents, using=using)
                first = last
        return
    ordered = array("q", queryset.values_list("pk", flat=True))
    clauses = queryset.model._base_manager.using(using)
    for start in range(0, len(ordered), EXPORT_CHUNK):
        chunk = ordered[start : start + EXPORT_CHUNK].tolist()
        rows = named(ClauseRow, clauses.filter(pk__in=chunk).values_list(*CLAUSE_ORM_COLUMNS))
        found = {row.id: row for row in rows}
        # A clause deleted since the ids were read is left out.
        yield [found[pk] for pk in chunk if pk in found], links_of(chunk, using=using)


# A chunk's clauses and their documents and sections, each table read on its own: the columns each gives a ClauseRow
# (CLAUSE_COLUMNS' SQL names the table: c the clause, d its document, s its section).
COLUMNS_OF = {
    alias: {
        name: column.sql.split(".", 1)[1] for name, column in CLAUSE_COLUMNS.items() if column.sql.startswith(alias)
    }
    for alias in ("c.", "d.", "s.")
}
DOCUMENTS_SQL = f"SELECT id, {', '.join(COLUMNS_OF['d.'].values())} FROM statements_document WHERE {{documents}}"
SECTIONS_SQL = f"SELECT id, {', '.join(COLUMNS_OF['s.'].values())} FROM statements_section WHERE {{documents}}"
CHUNK_SQL = f"""
SELECT c.document_id, c.section_id, {", ".join(f"c.{column}" for column in COLUMNS_OF["c."].values())}
FROM statements_clause c WHERE c.{{documents}}{{where}}
"""
# A chunk row's clause columns, then its document's, then its section's, picked into ClauseRow's order (by name, once).
CHUNK_COLUMNS = [*COLUMNS_OF["c."], *COLUMNS_OF["d."], *COLUMNS_OF["s."]]
AS_CLAUSE_ROW = itemgetter(*(CHUNK_COLUMNS.index(name) for name in CLAUSE_COLUMNS))
POSITION = 2 + list(COLUMNS_OF["c."]).index("position")  # in a chunk row, after document_id and section_id


def chunk_rows(selection, using, document_ids):
    """ClauseRows of the clauses ``selection`` selects in these documents, in their order, then by position.

    Three small queries (clauses, their documents, their sections) joined here: joined in SQL, the planner
    hashes the whole section table for every chunk, and sorting in SQL by (date, slug, position) cost the
    database more than the query. They run on the fixed-SQL cursor, which reads dates and date-times as the
    database's text (written once for each value by the representation; Django's Python loader of date-times cost a
    quarter of an export's time).
    """
    vendor = connections[using].vendor
    where, params = selection.clause_conditions("c", using)
    with fixed_sql_cursor(using) as cursor:
        documents_sql, documents_params = any_of("id", document_ids, vendor)
        cursor.execute(DOCUMENTS_SQL.format(documents=documents_sql), documents_params)
        documents = {pk: values for pk, *values in cursor.fetchall()}
        documents_sql, documents_params = any_of("document_id", document_ids, vendor)
        cursor.execute(SECTIONS_SQL.format(documents=documents_sql), documents_params)
        sections = {pk: values for pk, *values in cursor.fetchall()}
        cursor.execute(CHUNK_SQL.format(documents=documents_sql, where=where), documents_params + params)
        found = cursor.fetchall()
    order = {document_id: i for i, document_id in enumerate(document_ids)}
    found.sort(key=lambda clause: (order[clause[0]], clause[POSITION]))  # (the documents' order, position)
    return [
        tuple.__new__(ClauseRow, AS_CLAUSE_ROW(values + documents[document_id] + sections[section_id]))
        for document_id, section_id, *values in found
    ]


def export_jsonl(selection, queryset, request):
    """JSON Lines: one clause object a line, exactly as /clauses/ renders it (orjson: a quarter of the time)."""
    for rows, links in export_chunks(selection, queryset):
        rendering = Rendering(request, links=links, keep_format=False)
        yield b"".join(orjson.dumps(clause) + b"\n" for clause in clauses_json(rows, rendering))


def export_csv(selection, queryset, request):
    """CSV (RFC 4180, UTF-8, a header row): one clause a row, the fields of CSV_COLUMNS; topics and parties as
    slugs/codes joined by ';'. Any field holding a comma, quote or line break is quoted, so multi-line text survives.
    A text cell that starts as a formula does gets a leading apostrophe (representation.inert).
    """
    yield csv_row(CSV_COLUMNS)
    for rows, links in export_chunks(selection, queryset):
        rendering = Rendering(request, links=links, keep_format=False)
        yield "".join([csv_row(values) for values in csv_values(rows, rendering)])


def csv_row(values):
    """One row as ``csv.writer(lineterminator="\\r\\n")`` writes it (the excel dialect, QUOTE_MINIMAL), a third of
    the time: the csv module copies every character of a field to look for ones to quote, where ``in`` searches the
    text at C speed (23 µs → 7 µs a clause; tests compare the two on awkward text). None is an empty field. For rows of
    two fields or more: csv.writer writes a lone empty field as '""'."""
    return ",".join([csv_field(value) for value in values]) + "\r\n"


def csv_field(value):
    if value.__class__ is not str:
        return "" if value is None else str(value)
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value
