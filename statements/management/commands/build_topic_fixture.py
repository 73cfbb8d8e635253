"""Regenerate fixtures/taxonomy.json and fixtures/topic-rules.json, the topic vocabulary and its tagging rules
the project ships, from fixtures/vocabulary/.

    python manage.py build_topic_fixture            # write both fixtures
    python manage.py build_topic_fixture --check    # exit 1 if either is not what it would write

The topics (slug, name, scope note as ``description``, parent, position, CAP code) come from
``fixtures/vocabulary/topics.yaml``; the seed's retired slugs, as TopicAlias rows, from
``seed-topic-mapping.yaml``; the TopicRule rows from ``topic-rules.yaml``. Edit the YAML, run the command,
commit them all: the fixtures are never edited by hand. The database is not touched.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from statements.vocabulary.topics import retired_seed_slugs, seed_mappings, topic_records, topic_rule_records

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def fixture_objects():
    """The Topic rows (parents first) and TopicAlias rows of the fixture, as Django serialises natural keys."""
    records, mappings = topic_records(), seed_mappings()
    notes = {mapping.seed: mapping.note for mapping in mappings}
    objects = [
        {
            "model": "statements.topic",
            "fields": {
                "slug": record.slug,
                "name": record.name,
                "description": record.scope_note,
                "parent": [record.parent] if record.parent else None,
                "position": record.position,
                "cap_code": record.cap_code,
            },
        }
        for record in records
    ]
    for slug, homes in sorted(retired_seed_slugs(mappings, records).items()):
        objects += [
            {
                "model": "statements.topicalias",
                "fields": {"slug": slug, "topic": [home], "position": position, "note": notes[slug]},
            }
            for position, home in enumerate(homes, start=1)
        ]
    return objects


def rule_objects():
    """The TopicRule rows of fixtures/topic-rules.json, in the YAML's order."""
    topics = {record.slug for record in topic_records()}
    return [
        {
            "model": "statements.topicrule",
            "fields": {
                "name": rule.name,
                "topic": [rule.topic],
                "kind": rule.kind,
                "pattern": rule.pattern,
                "enabled": True,
                "needs_support": rule.needs_support,
                "note": rule.note,
            },
        }
        for rule in topic_rule_records(topics=topics)
    ]


def as_text(objects):
    """A fixture as the command writes it (UTF-8 JSON, two-space indent, a final newline)."""
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = (
        "Write fixtures/taxonomy.json (the topic vocabulary and the seed's retired slugs) and "
        "fixtures/topic-rules.json (the topic rules) from fixtures/vocabulary/."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", type=Path, default=FIXTURES_DIR, help="Where to write (default: %(default)s)."
        )
        parser.add_argument(
            "--check", action="store_true", help="Write nothing; fail if the file differs from what would be written."
        )

    def handle(self, *args, output_dir, check, **options):
        try:
            texts = {"taxonomy.json": as_text(fixture_objects()), "topic-rules.json": as_text(rule_objects())}
        except (ValueError, KeyError) as error:
            raise CommandError(f"the topic vocabulary is inconsistent: {error}") from error
        for name, text in texts.items():
            output = output_dir / name
            if check:
                if not output.exists() or output.read_text(encoding="utf-8") != text:
                    raise CommandError(f"{output} is not what build_topic_fixture writes: run it and commit the result")
                self.stdout.write(f"{output} is up to date.")
                continue
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {output}: {describe(json.loads(text))}.")


def describe(objects):
    """What a fixture holds, in words."""
    topics = [obj for obj in objects if obj["model"] == "statements.topic"]
    if not topics:
        return f"{len(objects)} topic rules"
    top = sum(obj["fields"]["parent"] is None for obj in topics)
    retired = {obj["fields"]["slug"] for obj in objects if obj["model"] == "statements.topicalias"}
    return f"{top} top-level topics, {len(topics) - top} children, {len(retired)} retired slugs as aliases"
