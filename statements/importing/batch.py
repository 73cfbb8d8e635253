"""Importing many files at once: every file read and checked first, then all saved in one transaction.

``import_files`` is what ``import_statement`` and the corpus loaders (``seed_corpus``, ``load_corpus``) run:
nothing is written unless every file reads without error (and, with ``strict``, without warning).

A file an earlier import read (the same bytes, read by the same reader: statements.importing.digests) is not
read again: it is "unchanged" when its document still holds the rows that import gave it, which the save checks
in its transaction; a file whose document changed since (a curator's edit) is read then, and compared as any
other. So a second import of the corpus costs a digest per file and a few queries, and says what a full
comparison would.
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from tqdm import tqdm

from statements.models import Document, ImportedSource
from statements.models.tagging_rules import load_rules
from statements.parallel import worker_map
from statements.similarity import text_shingles

from .digests import document_rows, draft_rows, file_digest, reader_fingerprint, rows_digest
from .drafts import ImportErrorList
from .lines import ParseWarning
from .saving import SaveResult, known_parties, save_drafts
from .sources import max_bytes, party_vocabulary, read_source, source_files
from .tagging import prepare_rules, tag_draft


class ImportFailed(Exception):
    """The files that could not be read, one ``file:line: message`` line per error: nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Known:
    """A file an earlier import read (its ImportedSource): not read again while its document holds those rows."""

    slug: str
    document_id: int
    rows_digest: str
    warnings: list  # ParseWarnings
    clauses: int = 0  # counted when the save checks its document
    draft = None  # not read


@dataclass
class ImportReport:
    """What an import read and did: per file its Reading (or Known) and its SaveResult (None for a dry run)."""

    readings: list = field(default_factory=list)  # (path, Reading or Known), in file order
    results: list = field(default_factory=list)  # SaveResult per file, in the same order
    digests: dict = field(default_factory=dict)  # path -> file digest, when the import recognises files
    strict: bool = False
    limit: int = None
    read_seconds: float = 0.0
    save_seconds: float = 0.0

    @property
    def clauses(self):
        return sum(len(r.draft.clauses()) if r.draft else r.clauses for _, r in self.readings)

    def warnings(self):
        """(path, ParseWarning) for every warning, file by file."""
        return [(path, warning) for path, reading in self.readings for warning in reading.warnings]


SAVE_EVERY = 100  # files: an import saves the drafts read so far this many at a time, while the rest are read


def read_files(files, *, strict=False, limit=None, progress=None, recognise=False):
    """Read, check and tag every file: an ImportReport without results, or ImportFailed with every error.

    With ``recognise``, a file an earlier import read is not read again (a Known: see the module's docstring).
    Many files outside a transaction are read by one worker process per core (reading is pure: parsing and
    tagging), the rules, parties and vocabulary loaded once here first."""
    progress = progress or (lambda done: None)
    started = time.perf_counter()
    report = ImportReport(strict=strict, limit=limit)
    known = _recognise_into(report, files, recognise, progress)
    collected = _Collected(report)
    with _outcomes(files, known, strict, limit, progress) as outcomes:
        for outcome in outcomes:
            collected.add(*outcome)
    collected.check()
    report.read_seconds = time.perf_counter() - started
    return report


class _Collected:
    """The readings of an import in file order, and every error: a file's own, its warnings with ``strict``, a
    document that two files give."""

    def __init__(self, report):
        self.report, self.errors, self.slugs = report, [], {}

    def add(self, path, reading, errors):
        """Take one file's outcome; True when it can be saved (it reads, and no file before it failed)."""
        self.errors.extend(errors)
        if reading is None:
            return False
        slug = reading.draft.slug if reading.draft else reading.slug
        if slug in self.slugs:
            self.errors.append(f"{path}:0: document {slug!r} is also in {self.slugs[slug]}")
        self.slugs.setdefault(slug, path)
        self.report.readings.append((path, reading))
        return not self.errors

    def check(self):
        if self.errors:
            raise ImportFailed(self.errors)


@contextmanager
def _outcomes(files, known, strict, limit, progress):
    """(path, Reading or Known or None, [error lines]) for every file, in file order, as the readers finish them:
    the Known as they are; the others read by one worker process per core when there are many and no transaction
    is open (``statements.parallel.worker_map``: the workers are forked here, before the caller opens one), else in
    this process."""
    unread = [path for path in files if path not in known]
    if unread:
        _Reader.load(strict, limit)
    with worker_map(len(unread)) as map_:
        read = map_(_Reader.read, unread)

        def in_file_order():
            for path in files:
                if path in known:
                    yield path, known[path], _strict_errors(path, known[path], strict)
                else:
                    yield next(read)
                    progress(1)

        yield in_file_order()


def _recognise_into(report, files, recognise, progress):
    """The Known files (``_recognise``) when ``recognise``, their digests into ``report``; else none."""
    if not recognise:
        return {}
    report.digests, known = _recognise(files, report.limit or max_bytes())
    progress(len(known))
    return known


def _recognise(files, limit):
    """({path: file digest}, {path: Known}) for ``files``: the digests of all, and the files an earlier import read
    with this reader (one query). A file over ``limit`` is left to the reader, which refuses it."""
    fingerprint = reader_fingerprint()
    digests = {}
    for path in files:
        data = path.read_bytes()
        if len(data) <= limit:
            digests[path] = file_digest(data, path.suffix, fingerprint)
    stored = {
        source.file_digest: source
        for source in ImportedSource.objects.filter(file_digest__in=set(digests.values())).select_related("document")
    }
    known = {
        path: Known(
            slug=source.document.slug,
            document_id=source.document_id,
            rows_digest=source.rows_digest,
            warnings=[ParseWarning(*warning) for warning in source.warnings],
        )
        for path, digest in digests.items()
        if (source := stored.get(digest)) is not None
    }
    return digests, known


def _strict_errors(path, reading, strict):
    return [warning.format(path) for warning in reading.warnings] if strict else []


def _counted(outcomes, progress):
    for outcome in outcomes:
        progress(1)
        yield outcome


class _Reader:
    """Reads one file with what ``load`` loaded (a class attribute, so forked workers have it too)."""

    context = None

    @classmethod
    def load(cls, strict, limit):
        """Load the known parties, the party vocabulary and the tagging rules, once for every file to read; on
        PostgreSQL the clauses' shingles are computed while reading too (the save indexes new clauses with them)."""
        shingles = connection.vendor == "postgresql"
        topic_rules, party_aliases = load_rules()
        prepare_rules(topic_rules, party_aliases)
        cls.context = (known_parties(), party_vocabulary(), topic_rules, party_aliases, strict, limit, shingles)

    @classmethod
    def read(cls, path):
        """(path, tagged Reading or None, [error lines])."""
        parties, vocabulary, topic_rules, party_aliases, strict, limit, shingles = cls.context
        find_parties = vocabulary.codes if vocabulary is not None else None
        try:
            reading = read_source(
                path.read_bytes(), name=path.name, parties=parties, find_parties=find_parties, limit=limit
            )
        except ImportErrorList as error:
            return path, None, [error.format(path)]
        tag_draft(reading.draft, topic_rules, party_aliases, vocabulary)
        if shingles:
            for clause in reading.draft.clauses():
                clause.shingles = text_shingles(clause.text)
        return path, reading, _strict_errors(path, reading, strict)


def import_files(
    files, *, replace=False, overwrite_edits=False, strict=False, limit=None, progress=None, recognise=True
):
    """Read every file and save them all in one transaction: an ImportReport, or ImportFailed (nothing written)
    when a file does not read, or a save is refused (an existing document differs and ``replace`` was not given,
    or a curator's edit would be overwritten without ``overwrite_edits``); errors in reading are reported before
    a refusal. The drafts are saved SAVE_EVERY at a time as they are read, while the workers read the rest.
    ``recognise``: files an earlier import read are not read again unless their document changed since."""
    progress = progress or (lambda done: None)
    started = time.perf_counter()
    report = ImportReport(strict=strict, limit=limit)
    known = _recognise_into(report, files, recognise, progress)
    collected = _Collected(report)
    saver = _Saver(report, replace, overwrite_edits, progress)
    with _outcomes(files, known, strict, limit, progress) as outcomes, _refusals(report), transaction.atomic():
        for outcome in outcomes:
            if collected.add(*outcome):
                saver.take(*outcome[:2])
        collected.check()
        saver.finish()
    report.read_seconds = time.perf_counter() - started - report.save_seconds
    return report


@contextmanager
def _refusals(report):
    """A save's refusal (ImportErrorList) or the database's as ImportFailed, naming the file."""
    try:
        yield
    except ImportErrorList as error:
        paths = {reading.draft.slug: path for path, reading in report.readings if reading.draft is not None}
        raise ImportFailed([error.format(paths.get(getattr(error, "slug", None), "(import)"))]) from error
    except DatabaseError as error:
        raise ImportFailed([f"(import):0: the database refused the import: {error}"]) from error


class _Saver:
    """Saves an import's drafts SAVE_EVERY at a time as they are read, with their files' digests (while the rest are
    read, not after), in the caller's transaction; a refusal stops the saving and is raised by ``finish`` (after the
    errors in reading, which the caller raises first)."""

    def __init__(self, report, replace, overwrite_edits, progress):
        self.report, self.replace, self.overwrite_edits, self.progress = report, replace, overwrite_edits, progress
        self.pending, self.results, self.refusal = [], {}, None  # pending: (path, Reading) read, not saved

    def take(self, path, reading):
        if reading.draft is not None:
            self.pending.append((path, reading))
            if len(self.pending) >= SAVE_EVERY:
                self._save()

    def _save(self, refusals=(ImportErrorList, DatabaseError)):
        readings, self.pending = self.pending, []
        if self.refusal is not None or not readings:
            return
        started = time.perf_counter()
        try:
            saved = save_drafts(
                [reading.draft for _, reading in readings],
                replace=self.replace,
                overwrite_edits=self.overwrite_edits,
                progress=self.progress,
            )
            self.results.update((result.slug, result) for result in saved)
            _record_digests(self.report.digests, readings)
        except refusals as refusal:
            self.refusal = refusal
        self.report.save_seconds += time.perf_counter() - started

    def finish(self):
        """Save what is left, check the Known files (reading those whose document changed) and save those; the
        report's results in file order."""
        self._save()
        if self.refusal is not None:
            raise self.refusal
        started = time.perf_counter()
        unchanged = _check_known(self.report)
        self.progress(len(unchanged))
        self.report.save_seconds += time.perf_counter() - started
        self.pending = [(path, r) for path, r in self.report.readings if r.draft and r.draft.slug not in self.results]
        self._save(refusals=())
        results = {**self.results, **{slug: SaveResult(slug) for slug in unchanged}}
        self.report.results = [results[r.draft.slug if r.draft else r.slug] for _, r in self.report.readings]


def _check_known(report):
    """The slugs of the Known files whose documents still hold the rows their import gave them (four queries); the
    other Known files are read now, in place, to be compared as any other file."""
    known = [(index, path, reading) for index, (path, reading) in enumerate(report.readings) if reading.draft is None]
    if not known:
        return set()
    documents = Document.objects.in_bulk([reading.document_id for _, _, reading in known])
    rows = document_rows(list(documents.values()))
    unchanged = set()
    for index, path, reading in known:
        stored = rows.get(reading.document_id)
        if stored is not None and rows_digest(stored) == reading.rows_digest:
            reading.clauses = len(stored["clauses"])
            unchanged.add(reading.slug)
            continue
        if _Reader.context is None:
            _Reader.load(report.strict, report.limit)
        _, read, errors = _Reader.read(path)
        if read is None:
            raise ImportFailed(errors)
        report.readings[index] = (path, read)
    return unchanged


def _record_digests(digests, readings):
    """Record, for each of the files read and saved ([(path, Reading)]), its digests on its document
    (ImportedSource), for the next import; ``digests``: {path: file digest} of the files the import recognises."""
    read = [(path, reading) for path, reading in readings if path in digests]
    if not read:
        return
    ids = dict(Document.objects.filter(slug__in=[r.draft.slug for _, r in read]).values_list("slug", "id"))
    ImportedSource.objects.filter(document_id__in=ids.values()).delete()
    ImportedSource.objects.bulk_create(
        [
            ImportedSource(
                document_id=ids[reading.draft.slug],
                file_digest=digests[path],
                rows_digest=rows_digest(draft_rows(reading.draft)),
                warnings=[[w.line, w.kind, w.message] for w in reading.warnings],
            )
            for path, reading in read
        ],
        batch_size=500,
    )


def import_corpus_sources(stream, *, verbose=True):
    """Import ``settings.CORPUS_SOURCES`` (the statements the project ships) with a progress bar on ``stream``:
    the ImportReport, or ImportFailed when a file does not import (nothing written)."""
    files = source_files([Path(path) for path in settings.CORPUS_SOURCES])
    with tqdm(total=2 * len(files), desc="Importing the corpus", unit="file", file=stream, disable=not verbose) as bar:
        return import_files(files, progress=bar.update)
