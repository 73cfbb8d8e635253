"""Database triggers: a clause's document is always its section's document.

Django cannot express a constraint across two tables, and a composite foreign
key is not available, so triggers enforce it on both PostgreSQL and SQLite:
inserting or updating a clause whose document disagrees with its section's is
rejected, and so is moving a section that holds clauses to another document.
"""

from django.db import migrations

from ._sql import run_sql

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION statements_clause_document_check() RETURNS trigger AS $$
BEGIN
    IF NEW.document_id IS DISTINCT FROM (SELECT document_id FROM statements_section WHERE id = NEW.section_id) THEN
        RAISE EXCEPTION 'clause document % does not match its section''s document', NEW.document_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER statements_clause_document_check
    BEFORE INSERT OR UPDATE OF document_id, section_id ON statements_clause
    FOR EACH ROW EXECUTE FUNCTION statements_clause_document_check();

CREATE OR REPLACE FUNCTION statements_section_document_check() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM statements_clause WHERE section_id = NEW.id AND document_id <> NEW.document_id) THEN
        RAISE EXCEPTION 'section % holds clauses of another document', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER statements_section_document_check
    AFTER UPDATE OF document_id ON statements_section
    FOR EACH ROW EXECUTE FUNCTION statements_section_document_check();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS statements_section_document_check ON statements_section;
DROP FUNCTION IF EXISTS statements_section_document_check();
DROP TRIGGER IF EXISTS statements_clause_document_check ON statements_clause;
DROP FUNCTION IF EXISTS statements_clause_document_check();
"""

SQLITE_FORWARD = [
    """
    CREATE TRIGGER statements_clause_document_check_insert
    BEFORE INSERT ON statements_clause
    WHEN NEW.document_id IS NOT (SELECT document_id FROM statements_section WHERE id = NEW.section_id)
    BEGIN SELECT RAISE(ABORT, 'clause document does not match its section''s document'); END;
    """,
    """
    CREATE TRIGGER statements_clause_document_check_update
    BEFORE UPDATE OF document_id, section_id ON statements_clause
    WHEN NEW.document_id IS NOT (SELECT document_id FROM statements_section WHERE id = NEW.section_id)
    BEGIN SELECT RAISE(ABORT, 'clause document does not match its section''s document'); END;
    """,
    """
    CREATE TRIGGER statements_section_document_check
    AFTER UPDATE OF document_id ON statements_section
    WHEN EXISTS (SELECT 1 FROM statements_clause WHERE section_id = NEW.id AND document_id <> NEW.document_id)
    BEGIN SELECT RAISE(ABORT, 'section holds clauses of another document'); END;
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS statements_section_document_check;",
    "DROP TRIGGER IF EXISTS statements_clause_document_check_update;",
    "DROP TRIGGER IF EXISTS statements_clause_document_check_insert;",
]

MISSING = "No clause/section document trigger for {vendor}; add one to this migration."


class Migration(migrations.Migration):
    dependencies = [("statements", "0001_initial")]

    operations = [
        migrations.RunPython(
            run_sql({"postgresql": [POSTGRESQL_FORWARD], "sqlite": SQLITE_FORWARD}, missing=MISSING),
            run_sql({"postgresql": [POSTGRESQL_REVERSE], "sqlite": SQLITE_REVERSE}, missing=MISSING),
        ),
    ]
