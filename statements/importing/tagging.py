"""A draft's clauses tagged before it is saved: topics by the topic rules, speakers by the attribution rules.

``tag_draft`` is what every import runs (the command line, the corpus loaders, the admin); the save keeps
curators' links and adds the rules' links they lack (statements.importing.saving).
"""

from functools import lru_cache

from statements.attribution import DocumentContext, attribute_clauses
from statements.attribution.authors import document_parties, infer_signatories
from statements.tagging.matching import match_parties, needle_index
from statements.tagging.rules import ALL_PARTIES
from statements.tagging.topics import match_topics

from .drafts import SignatoryDraft, party_rule, signatory_rule
from .front_matter import publisher_of


def tag_draft(draft, topic_rules, party_aliases, vocabulary=None):
    """Fill every clause's topics (the topic rules) and speakers, each with the rule that found it.

    Speakers: with a party ``vocabulary`` (``statements.vocabulary.PartyVocabulary``), the union of
    - the attribution rules (``statements.attribution``: who is reported saying or committing,
      docs/annotation-guidelines.md), run over the whole document, and
    - the enabled party aliases that name one party, restricted to the document's parties (an alias's name is
      recorded when both find a party).
    Aliases for every party ("the Parties", "the two sides") are left to the attribution, which reads such words
    only as subjects ("Conference of the Parties" is not one). Without a vocabulary, the aliases alone
    (``statements.tagging.match_parties``). Curators' links are never touched here: the save keeps them and
    adds only the links they lack.

    With a vocabulary, the document too, when its source does not state its parties (a front matter without
    ``parties``): they become the attribution's (``statements.attribution.authors.document_parties``), and, without a
    signature block, its signatories those its title and opening sentence name; both machine-assigned, with why.
    """
    clauses = draft.clauses()
    for clause in clauses:
        clause.topics = match_topics(topic_rules, clause.text)
    context = draft_context(draft, vocabulary) if vocabulary is not None else None
    if context is not None:
        tag_document(draft, context, [clause.text for clause in clauses if not is_note(clause.eid)])
    pairs = [(clause.eid, clause.text) for clause in clauses]
    for clause, found in zip(clauses, clause_speakers(context, pairs, party_aliases, draft.parties), strict=True):
        clause.parties = found
    return draft


def is_note(eid):
    """Whether a clause is a footnote (``note_3``): with a party vocabulary, notes get topics, never speakers."""
    return eid.startswith("note_")


def clause_speakers(context, clauses, party_aliases, document_parties):
    """The speakers of each of a document's clauses (``clauses``: (eid, text) pairs in reading order), each {party
    code: the rule that found it}. With a ``context`` (a ``DocumentContext``, which carries the party vocabulary): the
    attribution rules over the document's body, and the aliases that name one party, restricted to
    ``document_parties``; footnotes get none. Without one (no party vocabulary), the aliases alone. The one
    definition the importer and ``manage.py retag`` both run."""
    if context is None:
        return [match_parties(party_aliases, text, document_parties) for _eid, text in clauses]
    attributed = iter(attribute_clauses(context, [text for eid, text in clauses if not is_note(eid)]))
    one_party_aliases = _one_party(tuple(party_aliases))
    speakers = []
    for eid, text in clauses:
        parties = {}
        if not is_note(eid):
            parties = match_parties(one_party_aliases, text, document_parties)
            for code, rule in next(attributed).items():
                parties.setdefault(code, f"attribution: {rule}")
        speakers.append(parties)
    return speakers


def tag_document(draft, context, texts):
    """The document's machine-assigned parties and signatories (see ``tag_draft``); what the source states stays."""
    if not draft.parties or not all(draft.parties.values()):
        return  # the source's header states the parties (a curator's description): nothing is added to it
    inferred = document_parties(context, texts)
    if inferred:
        draft.parties = {code: party_rule(reason) for code, reason in inferred.items()}
    if not draft.signatories:
        draft.signatories = [
            SignatoryDraft(signer.office, signer.name, 0, signer.party, signatory_rule(signer.reason))
            for signer in infer_signatories(context, texts, list(draft.parties))
        ]


def prepare_rules(topic_rules, party_aliases):
    """Build the rules' needle indexes now, once: before an import forks its reading workers, which then share
    them instead of building one each."""
    needle_index(topic_rules)
    needle_index(_one_party(tuple(party_aliases)))


@lru_cache(maxsize=4)
def _one_party(aliases):
    """The aliases that name one party, as the same list for the same aliases: the matcher's needle index is built
    once per list (statements.tagging.needle_index), not once per document."""
    return [alias for alias in aliases if alias.target != ALL_PARTIES]


def draft_context(draft, vocabulary):
    """The ``DocumentContext`` attribution reads of a draft (``document_context``), with the parties the importer
    found."""
    return document_context(draft, tuple(draft.parties), vocabulary)


def document_context(document, parties, vocabulary):
    """The ``DocumentContext`` attribution reads of a draft or a stored document: title, kind, the publisher's state
    (from the source URL's site), ``parties`` (codes), the date."""
    site = publisher_of(document.source_url) if document.source_url else None
    return DocumentContext(
        title=document.title,
        kind=document.kind,
        publisher=site[1] if site else "",
        parties=parties,
        date=document.date,
        vocabulary=vocabulary,
    )
