"""A draft's clauses tagged before it is saved: topics by the topic rules, speakers by the attribution rules.

``tag_draft`` is what every import runs (the command line, the corpus loaders, the admin); the save keeps
curators' links and adds the rules' links they lack (statements.importing.saving).
"""

from functools import lru_cache

from statements.attribution import DocumentContext, attribute_clauses
from statements.tagging import ALL_PARTIES, match_parties, match_topics, needle_index

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
    """
    clauses = draft.clauses()
    for clause in clauses:
        clause.topics = match_topics(topic_rules, clause.text)
    if vocabulary is None:
        for clause in clauses:
            clause.parties = match_parties(party_aliases, clause.text, draft.parties)
        return draft
    body = [clause for clause in clauses if not clause.eid.startswith("note_")]
    speakers = attribute_clauses(draft_context(draft, vocabulary), [clause.text for clause in body])
    one_party_aliases = _one_party(tuple(party_aliases))
    for clause, found in zip(body, speakers, strict=True):
        clause.parties = match_parties(one_party_aliases, clause.text, draft.parties)
        for code, rule in found.items():
            clause.parties.setdefault(code, f"attribution: {rule}")
    return draft


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
    """The ``DocumentContext`` attribution reads of a draft: title, kind, the publisher's state (from the source
    URL's site), the parties the importer found, the date."""
    site = publisher_of(draft.source_url) if draft.source_url else None
    return DocumentContext(
        title=draft.title,
        kind=draft.kind,
        publisher=site[1] if site else "",
        parties=tuple(draft.parties),
        date=draft.date,
        vocabulary=vocabulary,
    )
