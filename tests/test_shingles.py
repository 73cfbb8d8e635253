"""The shingle index's two implementations agree: SQL's statements_clause_shingles(text) (migration 0008, used by the
triggers) and Python's similarity.text_shingles (used by generate_corpus's bulk load, and by its generator).
"""

from collections import defaultdict

import pytest
from django.db import connection

from statements import synthetic
from statements.models import Clause, Topic
from statements.similarity import text_shingles

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL shingle function exists on PostgreSQL only"),
]
ODD_TEXTS = [
    "",
    "Three words only.",
    "Four words, just enough.",
    "The People’s Republic of China and the Republic of Serbia (Aleksandar Vučić) met in Brasília, Győr and Niš.",
    "Snake_case, numbers 2024-25, 1st/2nd — and “quotes”: MIXED case Mixed CASE mixed case, again MIXED case.",
    "tabs\tand\nnewlines\r\nbetween  the   words of this clause",
]


def sql_shingles(texts):
    """statements_clause_shingles() of each text, computed by PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n, statements_clause_shingles(body) FROM unnest(%s::text[]) WITH ORDINALITY AS texts(body, n)",
            [texts],
        )
        found = defaultdict(set)
        for n, value in cursor.fetchall():
            found[n - 1].add(value)
    return [found[i] for i in range(len(texts))]


def test_python_and_sql_agree_on_the_real_corpus_and_its_index():
    clauses = list(Clause.objects.values_list("pk", "text"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT clause_id, hash FROM statements_clauseshingle")
        indexed = defaultdict(set)
        for clause, value in cursor.fetchall():
            indexed[clause].add(value)
    python = [text_shingles(text) for _, text in clauses]
    assert python == sql_shingles([text for _, text in clauses]) == [indexed[pk] for pk, _ in clauses]
    assert sum(map(len, python)) > 500  # the 61 real clauses


def test_python_and_sql_agree_on_synthetic_and_odd_text():
    generator = synthetic.Generator(
        5,
        topic_ids=dict(Topic.objects.values_list("slug", "id")),
        party_ids={code: 1 for code, *_ in [synthetic.CHINA, *synthetic.PARTNERS]},
        first_ids={"document": 1, "section": 1, "clause": 1},
        first_number=0,
    )
    batch = next(generator.batches(3000))
    texts = [row[6] for row in batch.clauses] + ODD_TEXTS
    python = [text_shingles(text) for text in texts]
    assert python == sql_shingles(texts)
    # The generator's own rows (its per-sentence shortcut) are the same shingles.
    generated = defaultdict(set)
    for value, clause, _ in batch.clause_shingles:
        generated[clause].add(value)
    assert [generated[row[0]] for row in batch.clauses] == python[: len(batch.clauses)]
    assert python[-len(ODD_TEXTS)] == python[-len(ODD_TEXTS) + 1] == set()  # fewer than four words
