"""The party vocabulary: a party's kind (state, organisation, group), UN status and note; its other names
(PartyName: aliases, demonyms); a group's or organisation's members (PartyMembership, with dates).

The new tables bump the data version like the others (migration 0005's triggers): the API serves members.
Existing parties become states with no UN status recorded; fixtures/parties.json (build_party_fixture)
fills in the vocabulary.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

data_version = importlib.import_module("statements.migrations.0005_data_version")
TABLES = ["statements_partyname", "statements_partymembership"]


def forward(apps, schema_editor):
    data_version.create_triggers(schema_editor, TABLES)


def reverse(apps, schema_editor):
    data_version.drop_triggers(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0009_retired_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="PartyName",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        help_text="As statements write it, case included ('U.S.', 'the' left out). The matcher also reads it with straight or curly apostrophes, any dash for a hyphen, any white space for a space, and in capitals.",
                        max_length=200,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("alias", "alias"), ("demonym", "demonym or adjective")],
                        default="alias",
                        help_text="What it is.",
                        max_length=16,
                    ),
                ),
            ],
            options={
                "ordering": ["party", "kind", "pk"],
            },
        ),
        migrations.AddField(
            model_name="party",
            name="kind",
            field=models.CharField(
                choices=[("state", "state"), ("organisation", "organisation"), ("group", "group")],
                default="state",
                help_text="A state; an organisation (it speaks as itself); or a group, whose statements are its members'.",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="note",
            field=models.TextField(blank=True, help_text="For curators: why a name is here or not, what to watch for."),
        ),
        migrations.AddField(
            model_name="party",
            name="un_status",
            field=models.CharField(
                blank=True,
                choices=[("member", "UN member state"), ("observer", "UN observer state"), ("none", "not a UN member")],
                help_text="A state's standing at the United Nations; empty for organisations and groups.",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="code",
            field=models.SlugField(
                help_text="Stable lowercase code used in URLs and filters: ISO 3166-1 alpha-2 for a state ('cn', 'us'), a slug of more than two letters for an organisation or group ('nato', 'african-union'; only 'eu' and 'un' have two).",
                max_length=32,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="party",
            name="name",
            field=models.CharField(help_text='Full official name, e.g. "People’s Republic of China".', max_length=200),
        ),
        migrations.AlterField(
            model_name="party",
            name="short_name",
            field=models.CharField(help_text="The name a reader expects, e.g. 'China'.", max_length=100),
        ),
        migrations.CreateModel(
            name="PartyMembership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "since",
                    models.DateField(
                        blank=True,
                        help_text="When it joined; empty if it was a member before the corpus's years (2020).",
                        null=True,
                    ),
                ),
                (
                    "until",
                    models.DateField(blank=True, help_text="When it left; empty while it is a member.", null=True),
                ),
                (
                    "group",
                    models.ForeignKey(
                        help_text="The group or organisation.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="statements.party",
                        to_field="code",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        help_text="The member (a state, or an organisation such as the EU in the G20).",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships_in",
                        to="statements.party",
                        to_field="code",
                    ),
                ),
            ],
            options={
                "ordering": ["group", "pk"],
            },
        ),
        migrations.AddField(
            model_name="party",
            name="members",
            field=models.ManyToManyField(
                blank=True,
                help_text="A group's or organisation's members (the formal ones).",
                related_name="member_of",
                through="statements.PartyMembership",
                through_fields=("group", "member"),
                to="statements.party",
            ),
        ),
        migrations.AddConstraint(
            model_name="party",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "state"), ("un_status", ""), _connector="OR"),
                name="party_un_status_only_for_states",
                violation_error_message="Only a state has a UN status: leave it empty for an organisation or group.",
            ),
        ),
        migrations.AddField(
            model_name="partyname",
            name="party",
            field=models.ForeignKey(
                help_text="The party named.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="names",
                to="statements.party",
                to_field="code",
            ),
        ),
        migrations.AddConstraint(
            model_name="partymembership",
            constraint=models.UniqueConstraint(fields=("group", "member"), name="partymembership_unique"),
        ),
        migrations.AddConstraint(
            model_name="partymembership",
            constraint=models.CheckConstraint(
                condition=models.Q(("group", models.F("member")), _negated=True), name="partymembership_not_own_member"
            ),
        ),
        migrations.AddConstraint(
            model_name="partymembership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("since__isnull", True), ("until__isnull", True), ("since__lte", models.F("until")), _connector="OR"
                ),
                name="partymembership_since_before_until",
                violation_error_message="A member cannot leave before it joined.",
            ),
        ),
        migrations.AddConstraint(
            model_name="partyname",
            constraint=models.UniqueConstraint(fields=("party", "name"), name="partyname_unique"),
        ),
        migrations.RunPython(forward, reverse, elidable=False),
    ]
