"""The topic vocabulary for international statements (issue 17): CAP codes on topics, aliases for retired slugs,
and a database's links carried from the seed's vocabulary to the new one.

The data step runs only on a database that holds topics (a fresh one gets the new vocabulary from
fixtures/taxonomy.json). It reads fixtures/vocabulary/topics.yaml and seed-topic-mapping.yaml through
statements.vocabulary.topics: every topic of the vocabulary is created or updated; every link (curated or
rule) on a retired seed topic moves to each of its new homes, a curator's link staying a curator's and winning
over a rule's link to the same home; rules on a retired topic follow it to its main home; the seed's rules,
written for the old vocabulary, are disabled (fixtures/rules.json brings the new ones); the retired slugs
become TopicAlias rows, so published URLs keep working. Nothing is lost: tests/test_topic_migration.py.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

from statements.vocabulary.topics import retired_seed_slugs, seed_mappings, topic_records

data_version = importlib.import_module("statements.migrations.0005_data_version")
ALIAS_TABLE = "statements_topicalias"
CURATOR = "curator"
# The seed's topic rules (fixtures/rules.json before issue 17), written for the seed's vocabulary.
SEED_RULES = [
    "agriculture", "belt-and-road", "china-belarus-industrial-park", "cica", "climate-and-environment",
    "culture-and-tourism", "defence-and-law-enforcement", "democracy-and-human-rights", "development-cooperation",
    "digital-economy", "education-and-languages", "emergency-management", "finance", "global-development-initiative",
    "global-security-initiative", "health", "high-level-exchanges", "hong-kong-and-macao", "industry",
    "intergovernmental-cooperation", "international-order", "local-cooperation", "national-development",
    "non-interference", "political-mutual-trust", "science-and-technology", "sco", "sovereignty",
    "strategic-partnership", "taiwan", "trade-and-investment", "transport-and-logistics", "ukraine-crisis",
    "unilateral-sanctions", "united-nations",
]  # fmt: skip


def add_trigger(apps, schema_editor):
    data_version.create_triggers(schema_editor, [ALIAS_TABLE])


def drop_trigger(apps, schema_editor):
    data_version.drop_triggers(schema_editor, [ALIAS_TABLE])


def carry_links(apps, schema_editor):
    Topic = apps.get_model("statements", "Topic")
    if not Topic.objects.exists():
        return  # a fresh database: the vocabulary comes with the fixtures
    ClauseTopic = apps.get_model("statements", "ClauseTopic")
    TopicRule = apps.get_model("statements", "TopicRule")
    TopicAlias = apps.get_model("statements", "TopicAlias")
    records = topic_records()
    mappings = seed_mappings()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for record in records:  # parents come first
        topic = topics.get(record.slug) or Topic(slug=record.slug)
        topic.name, topic.description, topic.position = record.name, record.scope_note, record.position
        topic.cap_code = record.cap_code
        topic.parent = topics[record.parent] if record.parent else None
        topic.save()
        topics[record.slug] = topic

    retired = {slug: homes for slug, homes in retired_seed_slugs(mappings, records).items() if slug in topics}
    for slug, homes in retired.items():
        old = topics[slug]
        for link in ClauseTopic.objects.filter(topic=old):
            for home in homes:
                existing = ClauseTopic.objects.filter(clause_id=link.clause_id, topic=topics[home]).first()
                if existing is None:
                    ClauseTopic.objects.create(
                        clause_id=link.clause_id, topic=topics[home], assigned_by=link.assigned_by, rule=link.rule
                    )
                elif link.assigned_by == CURATOR and existing.assigned_by != CURATOR:
                    existing.assigned_by, existing.rule = CURATOR, ""
                    existing.save(update_fields=["assigned_by", "rule"])
        ClauseTopic.objects.filter(topic=old).delete()
        TopicRule.objects.filter(topic=old).update(topic=topics[homes[0]])
    TopicRule.objects.filter(name__in=SEED_RULES, enabled=True).update(enabled=False)
    notes = {mapping.seed: mapping.note for mapping in mappings}
    for slug, homes in retired.items():
        for position, home in enumerate(homes, start=1):
            TopicAlias.objects.create(slug=slug, topic=topics[home], position=position, note=notes[slug])
    # children before parents (a parent is PROTECTed while it has children)
    for slug in sorted(retired, key=lambda slug: topics[slug].parent_id is None):
        topics[slug].delete()


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0012_clause_aliases"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="cap_code",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Macroeconomics"),
                    (2, "Civil Rights"),
                    (3, "Health"),
                    (4, "Agriculture"),
                    (5, "Labor"),
                    (6, "Education"),
                    (7, "Environment"),
                    (8, "Energy"),
                    (9, "Immigration"),
                    (10, "Transportation"),
                    (12, "Law and Crime"),
                    (13, "Social Welfare"),
                    (14, "Housing"),
                    (15, "Domestic Commerce"),
                    (16, "Defense"),
                    (17, "Technology"),
                    (18, "Foreign Trade"),
                    (19, "International Affairs"),
                    (20, "Government Operations"),
                    (21, "Public Lands"),
                    (23, "Culture"),
                ],
                help_text="The Comparative Agendas Project major topic this topic maps to (docs/topic-vocabulary.md), for joining with CAP-coded data: a child's is its parent's unless the vocabulary says otherwise (labour: Labor). Required on a top-level topic.",
                null=True,
                verbose_name="CAP major topic",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="description",
            field=models.TextField(
                blank=True,
                help_text="The scope note: what the topic covers, what it does not and where the borderline with its neighbours goes. Annotators and rule writers read it (docs/annotation-guidelines.md).",
                verbose_name="scope note",
            ),
        ),
        migrations.CreateModel(
            name="TopicAlias",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "slug",
                    models.SlugField(help_text="The former topic's slug, e.g. 'strategic-partnership'.", max_length=64),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(default=1, help_text="1 for the main home, 2... for the others."),
                ),
                ("note", models.TextField(blank=True, help_text="Why it moved there (from the vocabulary's mapping).")),
                (
                    "topic",
                    models.ForeignKey(
                        help_text="A topic the former slug now means.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="aliases",
                        to="statements.topic",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "topic aliases",
                "ordering": ["slug", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("slug", "topic"), name="topicalias_unique"),
                    models.UniqueConstraint(fields=("slug", "position"), name="topicalias_unique_position"),
                ],
            },
        ),
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(carry_links, migrations.RunPython.noop),
    ]
