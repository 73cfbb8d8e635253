"""The migrations are a record of what was done to a database: the SQL they run is their own, never read from the
application's code, which moves on (a trigger's SQL changed in statements.models would otherwise change what an old
migration does to a new database, and leave the databases migrated before without it)."""

import ast
from pathlib import Path

import statements.migrations

MIGRATIONS = Path(statements.migrations.__file__).parent


def application_imports(path):
    """The modules of the project outside statements.migrations that the migration module at ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    names += [  # importlib.import_module("...") (a migration's module name starts with a digit)
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    return sorted(
        name
        for name in names
        if name.split(".")[0] in {"statements", "config"} and not name.startswith("statements.migrations")
    )


# The migrations that run the application's own code on purpose, and why; no other may.
RUNS_THE_APPLICATION = {
    # data migrations: the seed's topics carried to the vocabulary, and the parties of imported documents re-derived,
    # by the rules the application applies (a frozen copy of those rules would be a second one to keep right)
    "0013_topic_vocabulary.py": ["statements.vocabulary.topics"],
    "0019_document_party_provenance.py": [
        "statements.importing.drafts",
        "statements.importing.front_matter",
        "statements.vocabulary",
    ],
    # the full-text index as statements.search_index defines it now: `manage.py rebuild_search_index` installs the
    # same definition again, so a database migrated long ago gets the current index too
    "0014_clause_fulltext.py": ["statements", "statements"],
}


def test_no_other_migration_imports_the_application():
    found = {path.name: application_imports(path) for path in sorted(MIGRATIONS.glob("*.py"))}
    assert {name: modules for name, modules in found.items() if modules} == RUNS_THE_APPLICATION


def test_an_import_of_the_application_is_found(tmp_path):
    migration = tmp_path / "0099_example.py"
    migration.write_text(
        "import importlib\nfrom statements.models import facets\n"
        "older = importlib.import_module('statements.migrations.0015_clause_facets')\n"
        "vocabulary = importlib.import_module('statements.vocabulary')\n"
    )
    assert application_imports(migration) == ["statements.models", "statements.vocabulary"]
