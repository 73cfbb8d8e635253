"""The search syntax (statements.search_query): websearch_to_tsquery's, written for FTS5 safely, whatever is typed."""

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statements.search_index import FTS_TOKENIZER
from statements.search_query import Term, alternatives, fts5_match, query_words


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("industrial park", '("industrial" AND "park")'),
        ('"industrial park" -TCM', '("industrial park") NOT "TCM"'),
        ("economy or trade", '("economy") OR ("trade")'),
        ("a b OR c -d", '("a" AND "b") OR ("c") NOT "d"'),
        ('-"Ukraine crisis" peace', '("peace") NOT "Ukraine crisis"'),
        ('say "NEAR(a b)" *x^ col:y', '("say" AND "NEAR(a b)" AND "*x^" AND "col:y")'),
        ('quote"inside', '("quote" AND "inside")'),
        ('"unclosed phrase', '("unclosed phrase")'),
        ('a "" b', '("a" AND "b")'),
    ],
)
def test_the_websearch_syntax_becomes_an_fts5_expression(q, expected):
    assert fts5_match(q) == expected


@pytest.mark.parametrize("q", ["", "   ", "!!!", "or", "-war", "- -", '"" ""', "or or", "-peace or -war"])
def test_a_query_without_a_term_to_look_for_matches_nothing(q):
    """An exclusion alone ("every clause without war" on PostgreSQL) cannot be said in FTS5: nothing matches."""
    assert fts5_match(q) is None


def test_or_without_a_term_on_one_side_is_ignored():
    assert alternatives("or peace") == alternatives("peace or") == [(Term("peace"),)]


def test_the_highlighted_words_leave_out_the_excluded_ones():
    assert query_words('Industrial "park zone" -tcm or PARK') == ["industrial", "park", "zone"]


@pytest.fixture(scope="module")
def fts5():
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize='{FTS_TOKENIZER}')")
    connection.executemany(
        "INSERT INTO t(text) VALUES (?)",
        [("Industrial park cooperation",), ('NEAR the park, "quoted" words',), ("Ünïcode façade 42",)],
    )
    return connection


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60))
def test_any_text_is_a_valid_fts5_query_or_none(fts5, q):
    expression = fts5_match(q)
    if expression is not None:
        fts5.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression]).fetchall()  # never an FTS5 syntax error


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(['"', "-", " ", "or", "OR", "NOT", "AND", "(", ")", "*", "^", ":", "NEAR", "a", "é"]),
        max_size=12,
    )
)
def test_fts5_operators_and_quotes_in_any_order_are_text(fts5, pieces):
    expression = fts5_match("".join(pieces))
    if expression is not None:
        fts5.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression]).fetchall()
