"""Re-tagging: run the enabled rules again over every clause (the seed and everything imported), so that a new
or edited rule reaches the clauses already in the database.

The rules' links (assigned_by ``rule``) become exactly what the rules find today: a link they no longer find
is deleted, a new one created, an unchanged one kept (with its date; its rule's name updated if another rule
fired first). A curator's link is never touched, and a rule never adds a link a curator already made. All of
it in one transaction: a reader sees the old links or the new ones. Clauses whose links changed get a new
``updated_at`` (clients syncing with ``updated_since`` see them), as a link saved one by one does.

Per clause, each signal is one call of a plain function of statements.tagging: ``match_topics`` for topics,
``match_parties`` for speakers. Bulk queries around them, no query per clause.
"""

import time
from dataclasses import dataclass

from django.db import transaction

from statements.models import AssignedBy, Clause, ClauseParty, ClauseTopic, Document, Party, Topic
from statements.signals import touch_clauses
from statements.tagging import match_parties, match_topics

BATCH = 2000


@dataclass
class LinkChanges:
    created: int = 0
    deleted: int = 0
    renamed: int = 0  # kept, with another rule's name

    def __str__(self):
        return f"{self.created} created, {self.deleted} deleted, {self.renamed} renamed"


@dataclass
class RetagResult:
    clauses: int
    topics: LinkChanges
    parties: LinkChanges
    changed_clauses: int
    seconds: float

    @property
    def rate(self):
        """Clauses re-tagged per second (wall time, database work included)."""
        return self.clauses / self.seconds if self.seconds else 0.0


def document_parties():
    """{document id: [party codes]}, in one query."""
    found = {}
    through = Document.parties.through
    for document_id, code in through.objects.values_list("document_id", "party__code"):
        found.setdefault(document_id, []).append(code)
    return found


def tag_clauses(topic_rules, party_aliases):
    """What the rules find in every clause: ({(clause id, topic slug): rule}, {(clause id, party code): rule},
    number of clauses)."""
    parties_of = document_parties()
    topics, parties, count = {}, {}, 0
    rows = Clause.objects.order_by().values_list("pk", "document_id", "text")
    for clause_id, document_id, text in rows.iterator(chunk_size=BATCH):
        count += 1
        for slug, rule in match_topics(topic_rules, text).items():
            topics[clause_id, slug] = rule
        for code, rule in match_parties(party_aliases, text, parties_of.get(document_id, [])).items():
            parties[clause_id, code] = rule
    return topics, parties, count


def replace_rule_links(model, target_field, found, ids_by_key):
    """Make ``model``'s rule links what ``found`` says ({(clause id, target key): rule name}); curators' links
    stay and win. Returns (LinkChanges, ids of the clauses whose links changed)."""
    changes, touched = LinkChanges(), set()
    links = model.objects.order_by().values_list("pk", "clause_id", f"{target_field}_id", "assigned_by", "rule")
    curated, existing = set(), {}
    for pk, clause_id, target_id, assigned_by, rule in links.iterator(chunk_size=BATCH * 5):
        if assigned_by == AssignedBy.CURATOR:
            curated.add((clause_id, target_id))
        else:
            existing[clause_id, target_id] = (pk, rule)
    wanted = {
        (clause_id, ids_by_key[key]): rule
        for (clause_id, key), rule in found.items()
        if key in ids_by_key and (clause_id, ids_by_key[key]) not in curated
    }
    stale = [(pk, pair) for pair, (pk, _rule) in existing.items() if pair not in wanted]
    for start in range(0, len(stale), BATCH):
        model.objects.filter(pk__in=[pk for pk, _pair in stale[start : start + BATCH]])._raw_delete(model.objects.db)
    renamed = [
        model(pk=existing[pair][0], rule=rule)
        for pair, rule in wanted.items()
        if pair in existing and existing[pair][1] != rule
    ]
    model.objects.bulk_update(renamed, ["rule"], batch_size=BATCH)
    new = [
        model(clause_id=clause_id, **{f"{target_field}_id": target_id}, assigned_by=AssignedBy.RULE, rule=rule)
        for (clause_id, target_id), rule in wanted.items()
        if (clause_id, target_id) not in existing
    ]
    model.objects.bulk_create(new, batch_size=BATCH)
    changes.created, changes.deleted, changes.renamed = len(new), len(stale), len(renamed)
    touched.update(pair[0] for _pk, pair in stale)
    touched.update(link.clause_id for link in new)
    return changes, touched


def retag(topic_rules, party_aliases):
    """Re-run ``topic_rules`` and ``party_aliases`` (statements.models.tagging_rules.load_rules()) over every
    clause and replace the rule links, in one transaction. Returns a RetagResult."""
    start = time.perf_counter()
    with transaction.atomic():
        topics, parties, count = tag_clauses(topic_rules, party_aliases)
        topic_ids = dict(Topic.objects.values_list("slug", "pk"))
        party_ids = dict(Party.objects.values_list("code", "pk"))
        topic_changes, touched = replace_rule_links(ClauseTopic, "topic", topics, topic_ids)
        party_changes, party_touched = replace_rule_links(ClauseParty, "party", parties, party_ids)
        touched |= party_touched
        ordered = sorted(touched)
        for first in range(0, len(ordered), BATCH):
            touch_clauses(ordered[first : first + BATCH])
    return RetagResult(count, topic_changes, party_changes, len(touched), time.perf_counter() - start)
