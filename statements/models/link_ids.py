"""A clause's topic and party ids on its own row (PostgreSQL): ``topic_ids`` and ``party_ids``, ``bigint[]``, in the
full-text index with the text's tsvector.

Why: a search filtered by topic or party (``?q=uncertainty&party=kz``) checked each match of the full-text index in a
link table (an ``EXISTS`` a match: 9,816 probes for 770 results at a million clauses, and each match's row read from
the table first). With the ids in the same GIN index as the tsvector (``clause_search_vector_idx`` over
``search_vector, topic_ids, party_ids``), the index intersects the word's clauses with the topic's or the party's, and
only the results are read. The lists that read a document's clauses in order check the arrays on the row they read.

The arrays are a clause's own links (ClauseTopic, ClauseParty), sorted; a parent topic's filter names its children
(``selection.ids_of``), as the ORM's ``on_topics`` does. They are derived data, never model fields (SQLite has no
arrays: its filters keep their ``EXISTS``):

- writers that know a new clause's links write the arrays with the clause row (the importer's ``create_documents``,
  ``generate_corpus``), so the links' triggers find nothing to do;
- the links' statement triggers keep them current for every other writer (the admin, re-tagging, ``loaddata``, raw
  SQL): set-based, with transition tables; an insert whose clauses' arrays already hold the new links costs one join
  of the new links with their clauses, and updates nothing. Their SQL is migration 0021's, written there as it ran.
"""

LINK_ID_COLUMNS = ("topic_ids", "party_ids")
# (link table, its id column, the clause's array column)
LINKS = (
    ("statements_clausetopic", "topic_id", "topic_ids"),
    ("statements_clauseparty", "party_id", "party_ids"),
)


# The links' triggers that a bulk load (generate_corpus, which writes the arrays itself) turns off.
INSERT_TRIGGERS = {table: f"{table}_clause_ids_insert" for table, _, _ in LINKS}


def link_id_values(topic_ids, party_ids):
    """A new clause's (topic_ids, party_ids) as its row holds them: sorted, no repeats."""
    return sorted(set(topic_ids)), sorted(set(party_ids))
