"""Importing many files at once: every file read and checked first, then all saved in one transaction.

``import_files`` is what ``import_statement`` and the corpus loaders (``seed_corpus``, ``load_corpus``) run:
nothing is written unless every file reads without error (and, with ``strict``, without warning).
"""

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, connections
from tqdm import tqdm

from statements.models.tagging_rules import load_rules

from .drafts import ImportErrorList
from .saving import known_parties, save_drafts
from .sources import party_vocabulary, read_source, source_files
from .tagging import tag_draft


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


PARALLEL_FROM = 40  # files: fewer are read quicker in this process than by starting workers


def read_files(files, *, strict=False, limit=None, progress=None):
    """Read, check and tag every file: an ImportReport without results, or ImportFailed with every error.

    Many files outside a transaction are read by one worker process per core (reading is pure: parsing and
    tagging), the rules, parties and vocabulary loaded once here first."""
    progress = progress or (lambda done: None)
    started = time.perf_counter()
    vocabulary = party_vocabulary()
    _Reader.context = (known_parties(), vocabulary, *load_rules(), strict, limit)
    if len(files) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 and not connection.in_atomic_block:
        connections.close_all()  # a forked worker must not share this process's database connections
        with ProcessPoolExecutor(os.cpu_count(), mp_context=multiprocessing.get_context("fork")) as pool:
            outcomes = list(_counted(pool.map(_Reader.read, files, chunksize=8), progress))
    else:
        outcomes = list(_counted(map(_Reader.read, files), progress))
    report, errors, slugs = ImportReport(), [], {}
    for path, reading, file_errors in outcomes:
        errors.extend(file_errors)
        if reading is None:
            continue
        if reading.draft.slug in slugs:
            errors.append(f"{path}:0: document {reading.draft.slug!r} is also in {slugs[reading.draft.slug]}")
        slugs.setdefault(reading.draft.slug, path)
        report.readings.append((path, reading))
    if errors:
        raise ImportFailed(errors)
    report.read_seconds = time.perf_counter() - started
    return report


def _counted(outcomes, progress):
    for outcome in outcomes:
        progress(1)
        yield outcome


class _Reader:
    """Reads one file with what read_files loaded (a class attribute, so forked workers have it too)."""

    context = None

    @classmethod
    def read(cls, path):
        """(path, tagged Reading or None, [error lines])."""
        parties, vocabulary, topic_rules, party_aliases, strict, limit = cls.context
        find_parties = vocabulary.codes if vocabulary is not None else None
        try:
            reading = read_source(
                path.read_bytes(), name=path.name, parties=parties, find_parties=find_parties, limit=limit
            )
        except ImportErrorList as error:
            return path, None, [error.format(path)]
        tag_draft(reading.draft, topic_rules, party_aliases, vocabulary)
        errors = [warning.format(path) for warning in reading.warnings] if strict else []
        return path, reading, errors


def import_files(files, *, replace=False, overwrite_edits=False, strict=False, limit=None, progress=None):
    """Read every file, then save them all in one transaction: an ImportReport, or ImportFailed (nothing
    written) when a file does not read, or a save is refused (an existing document differs and ``replace``
    was not given, or a curator's edit would be overwritten without ``overwrite_edits``)."""
    report = read_files(files, strict=strict, limit=limit, progress=progress)
    return save_read(report, replace=replace, overwrite_edits=overwrite_edits, progress=progress)


def save_read(report, *, replace=False, overwrite_edits=False, progress=None):
    """Save what ``read_files`` read, in one transaction (see ``import_files``): the report with its results."""
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


def import_corpus_sources(stream, *, verbose=True):
    """Import ``settings.CORPUS_SOURCES`` (the statements the project ships) with a progress bar on ``stream``:
    the ImportReport, or ImportFailed when a file does not import (nothing written)."""
    files = source_files([Path(path) for path in settings.CORPUS_SOURCES])
    with tqdm(total=2 * len(files), desc="Importing the corpus", unit="file", file=stream, disable=not verbose) as bar:
        report = read_files(files, progress=bar.update)
        return save_read(report, progress=bar.update)
