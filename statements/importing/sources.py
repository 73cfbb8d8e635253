"""One way in for a source file, whatever its format: the command line and the admin both call ``read_source``.

A file is Markdown with a YAML front matter (``.md``, or text that starts with ``---``) or the text format
(README "Importing a statement"). Both are refused over the size limit
(``settings.STATEMENTS_IMPORT_MAX_BYTES``), when not UTF-8, or with a control character (the line named).
"""

from pathlib import PurePath

from django.conf import settings

from statements.models import DataVersion
from statements.vocabulary import PartyVocabulary
from statements.vocabulary.database import records_from_database

from .drafts import ImportErrorList, Reading
from .markdown import read_markdown
from .parsing import decode, parse

MARKDOWN_SUFFIXES = {".md", ".markdown"}
SOURCE_SUFFIXES = MARKDOWN_SUFFIXES | {".txt"}


def party_vocabulary():
    """The party vocabulary built from the database (the shipped vocabulary plus what curators added), or None
    when the database holds no party. Compiling the vocabulary takes a while: the parties are read again only when
    the data version moved, and compiled again only when what was read differs (a write to the links or clauses,
    such as an import or a retag, moves the version but leaves the parties as they were)."""
    version = DataVersion.now()
    if version != _vocabulary["version"]:
        records = records_from_database()
        if records != _vocabulary["records"]:
            _vocabulary.update(records=records, vocabulary=PartyVocabulary.from_records(records) if records else None)
        _vocabulary["version"] = version
    return _vocabulary["vocabulary"]


_vocabulary = {"version": object(), "records": None, "vocabulary": None}


def forget_party_vocabulary():
    """Drop the compiled vocabulary, so the next ``party_vocabulary()`` builds it again. A data version can repeat
    after a rollback (every test's transaction is one), and the same number would then name other parties."""
    _vocabulary.update(version=object(), records=None, vocabulary=None)


def max_bytes():
    return settings.STATEMENTS_IMPORT_MAX_BYTES


def is_markdown(name, text):
    suffix = PurePath(name).suffix.lower()
    return suffix in MARKDOWN_SUFFIXES or (suffix != ".txt" and text.startswith("---\n"))


def read_source(data, *, name="", parties=None, find_parties=None, limit=None):
    """Read a source file (bytes or str) into a Reading; ImportErrorList with every error, each with its line.

    ``parties``: the known party codes and names (``known_parties()``), to check codes against;
    ``find_parties``: a function given text that returns the party codes it names (the party vocabulary's
    matcher), for a Markdown file's parties; ``limit``: bytes (default ``STATEMENTS_IMPORT_MAX_BYTES``).
    """
    limit = limit or max_bytes()
    size = len(data.encode() if isinstance(data, str) else data)
    if size > limit:
        raise ImportErrorList(
            [
                (
                    0,
                    f"the file is {size:,} bytes, over the limit of {limit:,} (STATEMENTS_IMPORT_MAX_BYTES; "
                    "import_statement --max-bytes raises it for one run)",
                )
            ]
        )
    text = decode(data)
    if is_markdown(name, text):
        return read_markdown(text, parties=parties, find_parties=find_parties)
    return Reading(parse(text, parties=parties))


def source_files(paths):
    """The files to import from ``paths`` (files, or directories of .md and .txt files, README files aside),
    in name order; FileNotFoundError names a path that does not exist."""
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES and not p.name.upper().startswith("README")
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(path)
    return files
