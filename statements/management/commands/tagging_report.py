"""manage.py tagging_report: how well the tagging rules reproduce the curators' links, or the gold set."""

from django.core.management.base import BaseCommand, CommandError

from statements.evaluation import speakers
from statements.models import AssignedBy, Clause
from statements.models.tagging_rules import load_rules
from statements.tagging import match_parties, match_topics, score


class Command(BaseCommand):
    help = (
        "Run the enabled topic rules and party aliases over every clause in the database and compare "
        "them with the curators' links: precision, recall and F1 per topic and per party, and micro totals. "
        "With --gold, measure against the gold set (fixtures/gold/) instead: no database needed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--gold",
            action="store_true",
            help="Measure the attribution against the gold set (fixtures/gold/): speakers per party, micro and "
            "per-document macro precision and recall.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="With --gold: exit with an error when a figure is below its target (what CI runs).",
        )
        parser.add_argument(
            "--split",
            action="store_true",
            help="With --gold: also report the two halves of the gold set (the rules were developed on half A).",
        )

    def handle(self, *args, **options):
        if (options["check"] or options["split"]) and not options["gold"]:
            raise CommandError("--check and --split go with --gold.")
        if options["gold"]:
            return self.gold(check=options["check"], split=options["split"])
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

    def gold(self, check, split):
        """The gold set's report, section by section; with ``check``, an error naming every target missed."""
        failures = []
        report = speakers.evaluate()
        speakers.write_report(report, self.stdout.write, split=split)
        failures += report.failures()
        if check and failures:
            raise CommandError("below the targets: " + "; ".join(failures))
        if check:
            self.stdout.write("Every target met.")

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
