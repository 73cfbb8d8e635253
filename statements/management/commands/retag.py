"""manage.py retag: run the enabled topic rules and party aliases again over every clause (statements.retagging).

    python manage.py retag

Replaces the rules' links with what the rules find today, in one transaction; curators' links are never
touched. Run it after adding or editing a rule (README "Topics"). Prints what changed and the rate.
"""

from django.core.management.base import BaseCommand

from statements.models.tagging_rules import load_rules
from statements.retagging import retag


class Command(BaseCommand):
    help = (
        "Re-run the enabled topic rules and party aliases over every clause, replacing the rules' links (never a "
        "curator's), in one transaction."
    )

    def handle(self, *args, **options):
        topic_rules, party_aliases = load_rules()
        result = retag(topic_rules, party_aliases)
        self.stdout.write(
            f"Re-tagged {result.clauses:,} clauses with {len(topic_rules)} topic rules and {len(party_aliases)} "
            f"party aliases in {result.seconds:.2f} s ({result.rate:,.0f} clauses/s). Topic links: {result.topics}; "
            f"party links: {result.parties}; {result.changed_clauses:,} clauses changed."
        )
