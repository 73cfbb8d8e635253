"""manage.py tagging_report: how well the tagging rules reproduce the curators' topics and parties."""

from django.core.management.base import BaseCommand

from statements.models import AssignedBy, Clause
from statements.models.tagging_rules import load_rules
from statements.tagging import match_parties, match_topics, score


class Command(BaseCommand):
    help = (
        "Run the enabled topic rules and party aliases over every clause in the database and compare "
        "them with the curators' links: precision, recall and F1 per topic and per party, and micro totals."
    )

    def handle(self, *args, **options):
        topic_rules, party_aliases = load_rules()
        clauses = Clause.objects.select_related("document").prefetch_related(
            "document__parties", "topic_links__topic", "party_links__party"
        )
        topic_pairs, party_pairs = [], []
        for clause in clauses:
            document_parties = [party.code for party in clause.document.parties.all()]
            curated_topics = {
                link.topic.slug for link in clause.topic_links.all() if link.assigned_by == AssignedBy.CURATOR
            }
            curated_parties = {
                link.party.code for link in clause.party_links.all() if link.assigned_by == AssignedBy.CURATOR
            }
            topic_pairs.append((set(match_topics(topic_rules, clause.text)), curated_topics))
            party_pairs.append((set(match_parties(party_aliases, clause.text, document_parties)), curated_parties))
        self.stdout.write(f"{len(topic_pairs)} clauses, {len(topic_rules)} topic rules, {len(party_aliases)} aliases.")
        self.table("topic", topic_pairs)
        self.table("party", party_pairs)

    def table(self, title, pairs):
        scores, micro = score(pairs)
        self.stdout.write("")
        self.stdout.write(f"{title:<32} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8} {'F1':>6}")
        for label in sorted(scores):
            self.stdout.write(self.row(scores[label]))
        self.stdout.write(self.row(micro))

    @staticmethod
    def row(entry):
        def percent(value):
            return "n/a" if value is None else f"{value:.0%}"

        return (
            f"{entry.label:<32} {entry.true_positives:>4} {entry.false_positives:>4} {entry.false_negatives:>4} "
            f"{percent(entry.precision):>10} {percent(entry.recall):>8} {percent(entry.f1):>6}"
        )
