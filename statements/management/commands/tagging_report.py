"""manage.py tagging_report: how well the tagging rules reproduce the curators' topics and parties.

    python manage.py tagging_report                    # against the curators' links in the database
    python manage.py tagging_report --gold             # against the gold set (fixtures/gold/): speakers, topics
    python manage.py tagging_report --gold --check     # ... and exit 1 below the targets (CI)
    python manage.py tagging_report --gold --signal speakers   # one signal's section only

With ``--gold`` each signal's section is one call into its module of statements.evaluation.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from statements.evaluation import speakers
from statements.evaluation import topics as topic_evaluation
from statements.evaluation.scores import score
from statements.models import AssignedBy, Clause, Topic
from statements.models.tagging_rules import load_rules
from statements.tagging.matching import match_parties
from statements.tagging.topics import match_topics


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
            help="Measure against the gold set (fixtures/gold/) instead of the database: speakers per party, micro "
            "and per-document macro; topics per topic, top-level roll-up and micro.",
        )
        parser.add_argument(
            "--gold-dir", type=Path, default=topic_evaluation.GOLD_DIR, help="The gold set (default: %(default)s)."
        )
        parser.add_argument(
            "--signal",
            choices=["speakers", "topics"],
            action="append",
            help="With --gold: report (and --check) only this signal; repeatable. Default: both.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="With --gold: exit with an error naming every figure below its target (what CI runs).",
        )
        parser.add_argument(
            "--split",
            action="store_true",
            help="With --gold: also report the speakers on the two halves of the gold set (the rules were "
            "developed on half A); the topics' halves are always shown.",
        )
        parser.add_argument("--summary", action="store_true", help="With --gold: the micro figures only.")

    def handle(self, *args, **options):
        if (options["check"] or options["split"] or options["summary"] or options["signal"]) and not options["gold"]:
            raise CommandError("--check, --split, --summary and --signal go with --gold.")
        if options["gold"]:
            return self.gold(
                options["gold_dir"],
                signals=options["signal"] or ["speakers", "topics"],
                check=options["check"],
                split=options["split"],
                summary=options["summary"],
            )
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

    def gold(self, gold_dir, *, signals, check, split, summary):
        """The gold set's report, section by section; with ``check``, an error naming every target missed."""
        failures = []
        if "speakers" in signals:
            report = speakers.evaluate(gold_dir)
            speakers.write_report(report, self.stdout.write, split=split, per_party=not summary)
            failures += report.failures()
        if "topics" in signals:
            topic_rules, _party_aliases = load_rules()
            parent_of = dict(Topic.objects.values_list("slug", "parent__slug"))
            clauses = topic_evaluation.gold_clauses(gold_dir)
            self.stdout.write(
                f"\nTopics: {len(clauses)} gold clauses; {len(topic_rules)} topic rules. The rules are all that "
                "ships (no embedding model), so rules alone and shipped are the same figures."
            )
            lines, missed = topic_evaluation.report(topic_rules, parent_of, clauses, per_topic=not summary)
            self.stdout.write("\n".join(lines))
            failures += [f"topics {line}" for line in missed]
        if failures:
            self.stdout.write("Targets missed:\n" + "\n".join(f"- {line}" for line in failures))
            if check:
                raise CommandError("below the targets: " + "; ".join(failures))
        else:
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
