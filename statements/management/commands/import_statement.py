"""manage.py import_statement: import statements from text files (format: README, "Importing a statement")."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from statements.importing import (
    ImportErrorList,
    diff_draft,
    draft_to_fixture,
    known_parties,
    parse,
    save_draft,
    tag_draft,
)
from statements.models.tagging_rules import load_rules


class Command(BaseCommand):
    help = (
        "Import statements from UTF-8 text files (a 'Key: value' header, a blank line, the body). "
        "Every file is checked before anything is written, and all files are saved in one transaction: "
        "any error prints file:line: message and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE", help="Source files, or directories of *.txt files.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the parsed tree (and what would change); write nothing."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Update documents that exist and differ; clauses whose paragraph still exists keep their eid.",
        )
        parser.add_argument(
            "--fixture", metavar="OUT.json", help="Write a natural-key Django fixture instead of the database."
        )

    def handle(self, *args, paths, dry_run, replace, fixture, **options):
        files = self.source_files(paths)
        parties = known_parties()
        topic_rules, party_aliases = load_rules()
        drafts, errors = [], []
        for path in files:
            try:
                drafts.append((path, tag_draft(parse(path.read_bytes(), parties=parties), topic_rules, party_aliases)))
            except ImportErrorList as error:
                errors.append(error.format(path))
        slugs = {}
        for path, draft in drafts:
            if draft.slug in slugs:
                errors.append(f"{path}:0: document {draft.slug!r} is also in {slugs[draft.slug]}")
            slugs.setdefault(draft.slug, path)
        if errors:
            self.fail(errors)

        if dry_run:
            for path, draft in drafts:
                self.stdout.write(self.tree(path, draft))
            return
        if fixture:
            objects = [obj for _, draft in drafts for obj in draft_to_fixture(draft)]
            Path(fixture).write_text(json.dumps(objects, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote {len(objects)} objects from {len(drafts)} file(s) to {fixture}.")
            return

        results = []
        try:
            with transaction.atomic():
                for number, (path, draft) in enumerate(drafts, start=1):
                    try:
                        result = save_draft(draft, replace=replace)
                    except ImportErrorList as error:
                        raise CommandError(error.format(path)) from error
                    except DatabaseError as error:
                        raise CommandError(f"{path}:0: the database refused the import: {error}") from error
                    results.append(result)
                    self.stderr.write(f"[{number}/{len(drafts)}] {path}: {self.outcome(result)}")
        except CommandError as error:
            self.fail([str(error)])
        created = sum(r.created for r in results)
        updated = sum(r.changed and not r.created for r in results)
        unchanged = len(results) - created - updated
        self.stdout.write(f"{len(results)} file(s): {created} created, {updated} updated, {unchanged} unchanged.")

    def fail(self, errors):
        for error in errors:
            self.stderr.write(error)
        raise CommandError("Nothing was written.")

    @staticmethod
    def source_files(paths):
        files = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{name}:0: no such file or directory")
        if not files:
            raise CommandError(f"{', '.join(paths)}:0: no .txt files to import")
        return files

    @staticmethod
    def outcome(result):
        if result.created:
            return "created"
        if not result.changes:
            return "unchanged"
        retired = f", retired {', '.join(result.retired)}" if result.retired else ""
        return f"replaced ({len(result.changes)} change(s){retired})"

    @staticmethod
    def tree(path, draft):
        """The parsed document as a table: section, eid, label, first words, topics, parties."""
        result = diff_draft(draft)
        status = "new" if result.created else ("unchanged" if not result.changes else "exists; --replace would: ")
        if result.changes and not result.created:
            status += "; ".join(result.changes)
        lines = [
            f"{path}: {draft.slug} ({draft.kind}, {draft.date}, parties {', '.join(draft.parties)}): {status}",
            f"  title: {draft.title}",
        ]
        lines += [f"  signatory {i}: {s.name}, {s.office} ({s.party})" for i, s in enumerate(draft.signatories, 1)]
        lines.append(f"  {'section':<8} {'eid':<18} {'label':<6} {'first words':<38} {'parties':<8} topics")
        for index, section in enumerate(draft.all_sections(), start=1):
            heading = section.heading or "(no heading)"
            editorial = " [editorial]" if section.heading_is_editorial else ""
            lines.append(f"  sec_{index:<4} {heading}{editorial}")
            for clause in section.clauses:
                words = " ".join(clause.text.split()[:7])
                words = words if len(words) <= 36 else words[:35] + "…"
                topics = ", ".join(sorted(clause.topics)) or "-"
                parties = ",".join(sorted(clause.parties)) or "-"
                lines.append(f"  {'':<8} {clause.eid:<18} {clause.label:<6} {words:<38} {parties:<8} {topics}")
        return "\n".join(lines)
