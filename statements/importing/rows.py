"""Rows written in bulk without model instances: how an import creates documents, clauses and links quickly.

``bulk_create`` builds a model instance per row and prepares every value field by field: for the corpus's
12,000 rows that was most of the time a save took (profile in README "Bulk import"). Here a row is a tuple of
values already in the database's terms, written by COPY on PostgreSQL and multi-row INSERTs elsewhere; primary
keys are taken from the table's sequence beforehand (``allocate_ids``), so that the rows that point at them
(sections at documents, clauses at sections, links at clauses) are written the same way, with no RETURNING.

Like ``bulk_create``, nothing here sends signals or records history; the database's triggers and constraints
see every row. Each COPY is recorded as a query where Django records queries (tests, DEBUG).
"""

from contextlib import nullcontext

from django.db import connection
from django.utils import timezone

# Field types whose values go to the database as they are (str, int, bool); others are prepared by their field.
AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


def allocate_ids(model, count):
    """``count`` new primary keys for ``model``'s table, ascending, that no other writer will be given."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), model._meta.pk.column, count],
            )
            return sorted(value for (value,) in cursor.fetchall())
        # SQLite (AUTOINCREMENT): above the largest key the table ever had; writing them moves sqlite_sequence on.
        cursor.execute(
            f"SELECT max(coalesce(max({model._meta.pk.column}), 0), "
            f"coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0)) FROM {connection.ops.quote_name(table)}",
            [table],
        )
        start = cursor.fetchone()[0]
    return list(range(start + 1, start + count + 1))


def insert_rows(model, names, rows):
    """Insert ``rows`` (tuples of values for the fields ``names``, attnames such as ``document_id``) into ``model``'s
    table; the other fields but the primary key get what ``bulk_create`` would give them: one timestamp for
    ``auto_now``/``auto_now_add`` fields, their default otherwise. Dates and other values that need it are prepared
    by their field; a name that is no field of the model is a column the database derives (the clause's
    ``topic_ids``: statements.models.link_ids), written as given. Returns the number of rows."""
    rows = list(rows)
    if not rows:
        return 0
    model_fields = {field.attname: field for field in model._meta.concrete_fields}
    fields = [model_fields.get(name) for name in names]
    now = timezone.now()
    others = [field for field in model._meta.concrete_fields if field.attname not in names and not field.primary_key]
    added = tuple(
        field.get_db_prep_save(
            now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) else field.get_default(),
            connection,
        )
        for field in others
    )
    prepare = [None if field is None or field.get_internal_type() in AS_IS else field for field in fields]
    if any(prepare):
        rows = [
            tuple(
                value if field is None else field.get_db_prep_save(value, connection)
                for field, value in zip(prepare, row, strict=True)
            )
            for row in rows
        ]
    if added:
        rows = [row + added for row in rows]
    named = [name if field is None else field.column for name, field in zip(names, fields, strict=True)]
    columns = [connection.ops.quote_name(column) for column in [*named, *(field.column for field in others)]]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_rows(cursor, table, columns, rows)
        else:
            # many rows a statement: twice as fast on SQLite as executemany's statement a row
            row = f"({', '.join(['%s'] * len(columns))})"
            per_statement = max(1, (connection.features.max_query_params or 999) // len(columns))
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(chunk))}",
                    [value for values in chunk for value in values],
                )
    return len(rows)


def copy_rows(cursor, table, columns, rows):
    """COPY ``rows`` into ``table`` (PostgreSQL; a Django or a psycopg cursor), recorded as one query where Django
    records queries."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    recorded = cursor.debug_sql(sql, rows, many=True) if hasattr(cursor, "debug_sql") else nullcontext()
    with recorded, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
