"""manage.py import_statement: import statements from source files (README, "Importing a statement").

A source is a statement as published, in Markdown with a YAML front matter (``.md``), or the plain text
format (``.txt``). Every file is read and checked before anything is written; all are saved in one
transaction.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from statements.importing import diff_draft, draft_to_fixture
from statements.importing.batch import ImportFailed, import_files, read_files
from statements.importing.sources import source_files


class Command(BaseCommand):
    help = (
        "Import statements from source files: Markdown with a YAML front matter (.md) or the text format (.txt). "
        "Every file is checked before anything is written, and all files are saved in one transaction: "
        "any error prints file:line: message and writes nothing. Files over settings.STATEMENTS_IMPORT_MAX_BYTES "
        "are refused unless --max-bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="FILE", help="Source files, or directories of .md and .txt files."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the parsed tree (and what would change); write nothing."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Update documents that exist and differ; clauses whose paragraph still exists keep their eid.",
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="With --replace: also overwrite clauses a curator corrected, and retire those a curator added.",
        )
        parser.add_argument("--strict", action="store_true", help="Treat every warning as an error.")
        parser.add_argument(
            "--max-bytes",
            type=int,
            metavar="N",
            help="The largest file to take, this run only (default: settings.STATEMENTS_IMPORT_MAX_BYTES).",
        )
        parser.add_argument(
            "--fixture", metavar="OUT.json", help="Write a natural-key Django fixture instead of the database."
        )
        parser.add_argument(
            "--summary",
            action="store_true",
            help="Also print the warnings by kind (three examples each) and the clauses, sections and numbered "
            "paragraphs by kind of document.",
        )

    def handle(self, *args, paths, dry_run, replace, overwrite_edits, strict, max_bytes, fixture, summary, **options):
        try:
            files = source_files([Path(path) for path in paths])
        except FileNotFoundError as error:
            raise CommandError(f"{error.args[0]}:0: no such file or directory") from error
        if not files:
            raise CommandError(f"{', '.join(paths)}:0: no .md or .txt files to import")
        limit = max_bytes or None
        try:
            if dry_run or fixture:
                report = read_files(files, strict=strict, limit=limit)
            else:
                # the summary counts every file's sections: no file is recognised unread
                report = import_files(
                    files,
                    replace=replace,
                    overwrite_edits=overwrite_edits,
                    strict=strict,
                    limit=limit,
                    recognise=not summary,
                )
        except ImportFailed as failure:
            self.fail(failure.errors)
        verbose = options["verbosity"] >= 1
        if verbose:
            for path, warning in report.warnings():
                self.stderr.write(warning.format(path))
        if summary:
            self.stdout.write(self.summary(report))
        if dry_run:
            for path, reading in report.readings:
                self.stdout.write(self.tree(path, reading))
            return
        if fixture:
            objects = [obj for _, reading in report.readings for obj in draft_to_fixture(reading.draft)]
            Path(fixture).write_text(json.dumps(objects, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote {len(objects)} objects from {len(report.readings)} file(s) to {fixture}.")
            return
        if verbose:
            for number, ((path, _), result) in enumerate(zip(report.readings, report.results, strict=True), start=1):
                self.stderr.write(f"[{number}/{len(files)}] {path}: {self.outcome(result)}")
        created = sum(r.created for r in report.results)
        updated = sum(r.changed and not r.created for r in report.results)
        unchanged = len(report.results) - created - updated
        self.stdout.write(
            f"{len(report.results)} file(s): {created} created, {updated} updated, {unchanged} unchanged; "
            f"{len(report.warnings())} warning(s)."
        )
        seconds = report.read_seconds + report.save_seconds
        self.stdout.write(
            f"{report.clauses} clauses in {seconds:.2f} s ({report.clauses / max(seconds, 1e-9):,.0f} clauses/s: "
            f"read and tagged in {report.read_seconds:.2f} s, saved in {report.save_seconds:.2f} s)."
        )

    @staticmethod
    def summary(report, examples=3):
        """The import report: warnings by kind with examples; clauses, sections, numbered paragraphs by kind."""
        by_warning, by_kind = {}, {}
        for path, warning in report.warnings():
            by_warning.setdefault(warning.kind, []).append(f"{path.name}:{warning.line}: {warning.message}")
        for _, reading in report.readings:
            draft = reading.draft
            counts = by_kind.setdefault(draft.kind, [0, 0, 0, 0])
            clauses = draft.clauses()
            counts[0] += 1
            counts[1] += len(clauses)
            counts[2] += len(draft.all_sections())
            counts[3] += sum(clause.number_kind in ("arabic", "roman") for clause in clauses)
        lines = [f"Warnings: {len(report.warnings())}"]
        for kind, found in sorted(by_warning.items(), key=lambda item: -len(item[1])):
            lines.append(f"  {kind}: {len(found)}")
            lines += [f"    {example}" for example in found[:examples]]
        lines.append(f"  {'kind':<18} {'documents':>9} {'clauses':>8} {'sections':>8} {'numbered':>8}")
        for kind, (documents, clauses, sections, numbered) in sorted(by_kind.items(), key=lambda item: -item[1][0]):
            lines.append(f"  {kind:<18} {documents:>9} {clauses:>8} {sections:>8} {numbered:>8}")
        totals = [sum(counts[i] for counts in by_kind.values()) for i in range(4)]
        lines.append(f"  {'all':<18} {totals[0]:>9} {totals[1]:>8} {totals[2]:>8} {totals[3]:>8}")
        return "\n".join(lines)

    def fail(self, errors):
        for error in errors:
            self.stderr.write(error)
        raise CommandError("Nothing was written.")

    @staticmethod
    def outcome(result):
        if result.created:
            return "created"
        if not result.changes:
            return "unchanged"
        retired = f", retired {', '.join(result.retired)}" if result.retired else ""
        return f"replaced ({len(result.changes)} change(s){retired})"

    @staticmethod
    def tree(path, reading):
        """The parsed document as a table: section, eid, label, first words, topics; then what would change."""
        draft = reading.draft
        result = diff_draft(draft)
        status = "new" if result.created else ("unchanged" if not result.changes else "exists; --replace would:")
        lines = [
            f"{path}: {draft.slug} ({draft.kind}, {draft.date}, parties {', '.join(draft.parties)}): {status}",
            f"  title: {draft.title}",
        ]
        if draft.publisher:
            lines.append(f"  publisher: {draft.publisher}")
        lines += [f"  dateline (line {line}): {text}" for line, text in reading.datelines]
        lines += [f"  signatory {i}: {s.name}, {s.office} ({s.party})" for i, s in enumerate(draft.signatories, 1)]
        lines.append(f"  {'section':<8} {'eid':<18} {'label':<6} {'first words':<38} {'parties':<8} topics")
        for index, section in enumerate(draft.all_sections(), start=1):
            heading = section.heading.replace("\n", " / ") or "(no heading)"
            editorial = " [editorial]" if section.heading_is_editorial else ""
            lines.append(f"  sec_{index:<4} {heading}{editorial}")
            for clause in section.clauses:
                words = " ".join(clause.text.split()[:7])
                words = words if len(words) <= 36 else words[:35] + "…"
                topics = ", ".join(sorted(clause.topics)) or "-"
                parties = ",".join(sorted(clause.parties)) or "-"
                lines.append(f"  {'':<8} {clause.eid:<18} {clause.label:<6} {words:<38} {parties:<8} {topics}")
        if result.changes and not result.created:
            lines.append("  --replace would change:")
            lines += [f"    {change}" for change in result.changes]
        return "\n".join(lines)
