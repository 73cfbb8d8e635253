"""Importing many files at once: every file read and checked first, then all saved in one transaction.

``import_files`` is what ``import_statement`` and the corpus loaders (``seed_corpus``, ``load_corpus``) run:
nothing is written unless every file reads without error (and, with ``strict``, without warning).
"""

import time
from dataclasses import dataclass, field

from django.db import DatabaseError

from statements.models.tagging_rules import load_rules

from .drafts import ImportErrorList, tag_draft
from .saving import known_parties, save_drafts
from .sources import party_finder, read_source


class ImportFailed(Exception):
    """The files that could not be read, one ``file:line: message`` line per error: nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportReport:
    """What an import read and did: per file its reading and its SaveResult (None for a dry run)."""

    readings: list = field(default_factory=list)  # (path, Reading)
    results: list = field(default_factory=list)  # SaveResult per file, in the same order
    read_seconds: float = 0.0
    save_seconds: float = 0.0

    @property
    def clauses(self):
        return sum(len(reading.draft.clauses()) for _, reading in self.readings)

    def warnings(self):
        """(path, ParseWarning) for every warning, file by file."""
        return [(path, warning) for path, reading in self.readings for warning in reading.warnings]


def read_files(files, *, strict=False, limit=None, progress=None):
    """Read, check and tag every file: an ImportReport without results, or ImportFailed with every error."""
    progress = progress or (lambda done: None)
    started = time.perf_counter()
    parties, find_parties = known_parties(), party_finder()
    topic_rules, party_aliases = load_rules()
    report, errors, slugs = ImportReport(), [], {}
    for path in files:
        try:
            reading = read_source(
                path.read_bytes(), name=path.name, parties=parties, find_parties=find_parties, limit=limit
            )
        except ImportErrorList as error:
            errors.append(error.format(path))
            progress(1)
            continue
        if strict and reading.warnings:
            errors.extend(warning.format(path) for warning in reading.warnings)
        draft = tag_draft(reading.draft, topic_rules, party_aliases)
        if draft.slug in slugs:
            errors.append(f"{path}:0: document {draft.slug!r} is also in {slugs[draft.slug]}")
        slugs.setdefault(draft.slug, path)
        report.readings.append((path, reading))
        progress(1)
    if errors:
        raise ImportFailed(errors)
    report.read_seconds = time.perf_counter() - started
    return report


def import_files(files, *, replace=False, overwrite_edits=False, strict=False, limit=None, progress=None):
    """Read every file, then save them all in one transaction: an ImportReport, or ImportFailed (nothing
    written) when a file does not read, or a save is refused (an existing document differs and ``replace``
    was not given, or a curator's edit would be overwritten without ``overwrite_edits``)."""
    report = read_files(files, strict=strict, limit=limit, progress=progress)
    started = time.perf_counter()
    drafts = [reading.draft for _, reading in report.readings]
    paths = {reading.draft.slug: path for path, reading in report.readings}
    try:
        report.results = save_drafts(drafts, replace=replace, overwrite_edits=overwrite_edits, progress=progress)
    except ImportErrorList as error:
        raise ImportFailed([error.format(paths.get(getattr(error, "slug", None), "(import)"))]) from error
    except DatabaseError as error:
        raise ImportFailed([f"(import):0: the database refused the import: {error}"]) from error
    report.save_seconds = time.perf_counter() - started
    return report
