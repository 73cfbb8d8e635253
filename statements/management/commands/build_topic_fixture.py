"""Regenerate fixtures/taxonomy.json, the topic vocabulary the project ships, from fixtures/vocabulary/.

    python manage.py build_topic_fixture            # write fixtures/taxonomy.json
    python manage.py build_topic_fixture --check    # exit 1 if fixtures/taxonomy.json is not what it would write

The topics (slug, name, scope note as ``description``, parent, position, CAP code) come from
``fixtures/vocabulary/topics.yaml``; the seed's retired slugs, as TopicAlias rows, from
``seed-topic-mapping.yaml``. Edit the YAML, run the command, commit both: the fixture is never edited by hand.
The database is not touched.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from statements.vocabulary.topics import retired_seed_slugs, seed_mappings, topic_records

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "fixtures" / "taxonomy.json"


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


def fixture_text():
    """The fixture as the command writes it (UTF-8 JSON, two-space indent, a final newline)."""
    return json.dumps(fixture_objects(), ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = "Write fixtures/taxonomy.json (the topic vocabulary and the seed's retired slugs) from fixtures/vocabulary/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=DEFAULT_OUTPUT, help="Where to write (default: %(default)s)."
        )
        parser.add_argument(
            "--check", action="store_true", help="Write nothing; fail if the file differs from what would be written."
        )

    def handle(self, *args, output, check, **options):
        try:
            text = fixture_text()
        except (ValueError, KeyError) as error:
            raise CommandError(f"the topic vocabulary is inconsistent: {error}") from error
        if check:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                raise CommandError(f"{output} is not what build_topic_fixture writes: run it and commit the result")
            self.stdout.write(f"{output} is up to date.")
            return
        output.write_text(text, encoding="utf-8")
        objects = json.loads(text)
        topics = [obj for obj in objects if obj["model"] == "statements.topic"]
        top = sum(obj["fields"]["parent"] is None for obj in topics)
        self.stdout.write(
            f"Wrote {output}: {top} top-level topics, {len(topics) - top} children, "
            f"{len(objects) - len(topics)} aliases of retired slugs."
        )
