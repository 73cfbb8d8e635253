"""Re-tagging: run the enabled rules again over every clause (the seed and everything imported), so that a new
or edited rule reaches the clauses already in the database.

The rules' links (assigned_by ``rule``) become exactly what the rules find today: a link they no longer find
is deleted, a new one created, an unchanged one kept (with its date; its rule's name updated if another rule
fired first). A curator's link is never touched, and a rule never adds a link a curator already made. The clauses
are read and tagged first (by a worker process per core; this process reads the links meanwhile, and reads them
again in the transaction if the data version moved since: something wrote to them), then every change is written
in one transaction: a reader sees the old links or the new ones. Clauses whose links changed get a new
``updated_at`` (clients syncing with ``updated_since`` see them), as a link saved one by one does.

Per clause, topics are one call of ``statements.tagging.match_topics``; per document, speakers are what the importer
finds (``statements.importing.tagging.clause_speakers``: the attribution rules over the document's clauses in
reading order, and the aliases that name one party), so that a re-tag right after an import changes nothing. Bulk
queries around them, no query per clause.
"""

import itertools
import time
from dataclasses import dataclass

from django.db import transaction

from statements.importing.sources import party_vocabulary
from statements.importing.tagging import clause_speakers, document_context, prepare_rules
from statements.models import AssignedBy, Clause, ClauseParty, ClauseTopic, DataVersion, Document, Party, Topic
from statements.parallel import worker_map
from statements.signals import touch_clauses
from statements.tagging.topics import match_topics

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


def tag_clauses(topic_rules, party_aliases, vocabulary, meanwhile=None):
    """What the rules find in every clause: ({(clause id, topic slug): rule}, {(clause id, party code): rule},
    number of clauses, what ``meanwhile()`` returned). Speakers as the importer finds them with the party
    ``vocabulary``; without one (a database with no party), by the aliases alone, as the importer does then. Many
    documents outside a transaction are tagged by one worker process per core (``statements.parallel``), the rules'
    indexes built here first; ``meanwhile`` (database work that needs no tagging) runs in this process while they
    tag."""
    prepare_rules(topic_rules, party_aliases)
    _Tagger.context = (topic_rules, party_aliases, vocabulary)
    parties_of = document_parties()
    documents = {
        row.pk: row
        for row in Document.objects.order_by().values_list("pk", "title", "kind", "source_url", "date", named=True)
    }
    rows = Clause.objects.order_by("document_id", "position").values_list(
        "pk", "document_id", "eid", "text", named=True
    )
    work = [
        (documents[document_id], tuple(parties_of.get(document_id, ())), list(clauses))
        for document_id, clauses in itertools.groupby(rows.iterator(chunk_size=BATCH), key=lambda row: row.document_id)
    ]
    # the longest documents first: the workers then finish together, not one of them on a long document at the end
    work.sort(key=lambda item: -sum(len(clause.text) for clause in item[2]))
    topics, parties = {}, {}
    with worker_map(len(work)) as map_:
        results = map_(_Tagger.tag, work)  # handed to the workers (forked by now), collected below
        done_meanwhile = meanwhile() if meanwhile else None
        for document_topics, document_parties_found in results:
            topics.update(document_topics)
            parties.update(document_parties_found)
    return topics, parties, sum(len(clauses) for _document, _codes, clauses in work), done_meanwhile


class _Tagger:
    """Tags one document with what ``tag_clauses`` loaded (a class attribute, so forked workers have it)."""

    context = None

    @classmethod
    def tag(cls, work):
        return tag_document_clauses(*work, *cls.context)


def tag_document_clauses(document, codes, clauses, topic_rules, party_aliases, vocabulary):
    """What the rules find in one document's clauses: ({(clause id, topic slug): rule}, {(clause id, party code):
    rule}). ``document``: a row with title, kind, source_url and date; ``codes``: its parties; ``clauses``: its
    clause rows (pk, eid, text) in reading order."""
    topics, parties = {}, {}
    for clause in clauses:
        for slug, rule in match_topics(topic_rules, clause.text).items():
            topics[clause.pk, slug] = rule
    context = document_context(document, codes, vocabulary) if vocabulary is not None else None
    speakers = clause_speakers(context, [(clause.eid, clause.text) for clause in clauses], party_aliases, codes)
    for clause, found in zip(clauses, speakers, strict=True):
        for code, rule in found.items():
            parties[clause.pk, code] = rule
    return topics, parties


LINKS = ((ClauseTopic, "topic"), (ClauseParty, "party"))


@dataclass
class StoredLinks:
    """The links in the database at data version ``version``: for each link model, (the (clause id, target id) pairs
    a curator linked, {(clause id, target id): (pk, rule name)} of the rules' links)."""

    version: int | None
    links: dict

    @classmethod
    def read(cls):
        version, links = DataVersion.now(), {}
        for model, target_field in LINKS:
            rows = model.objects.order_by().values_list("pk", "clause_id", f"{target_field}_id", "assigned_by", "rule")
            curated, existing = set(), {}
            for pk, clause_id, target_id, assigned_by, rule in rows.iterator(chunk_size=BATCH * 5):
                if assigned_by == AssignedBy.CURATOR:
                    curated.add((clause_id, target_id))
                else:
                    existing[clause_id, target_id] = (pk, rule)
            links[model] = (curated, existing)
        return cls(version, links)

    def current(self):
        """These links if the data version has not moved since they were read (every write to a link moves it, by a
        trigger), else the links read again."""
        return self if DataVersion.now() == self.version else StoredLinks.read()


def replace_rule_links(model, target_field, found, ids_by_key, stored):
    """Make ``model``'s rule links what ``found`` says ({(clause id, target key): rule name}); curators' links
    stay and win. ``stored``: the links in the database now (``StoredLinks``). Returns (LinkChanges, ids of the
    clauses whose links changed)."""
    changes, touched = LinkChanges(), set()
    curated, existing = stored.links[model]
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
    # the links are read while the workers tag, and used if nothing wrote to the data since
    topics, parties, count, stored = tag_clauses(
        topic_rules, party_aliases, party_vocabulary(), meanwhile=StoredLinks.read
    )
    with transaction.atomic():
        stored = stored.current()
        topic_ids = dict(Topic.objects.values_list("slug", "pk"))
        party_ids = dict(Party.objects.values_list("code", "pk"))
        topic_changes, touched = replace_rule_links(ClauseTopic, "topic", topics, topic_ids, stored)
        party_changes, party_touched = replace_rule_links(ClauseParty, "party", parties, party_ids, stored)
        touched |= party_touched
        ordered = sorted(touched)
        for first in range(0, len(ordered), BATCH):
            touch_clauses(ordered[first : first + BATCH])
    return RetagResult(count, topic_changes, party_changes, len(touched), time.perf_counter() - start)
