"""statements.similarity: shared passages, scores and marking (no database)."""

from statements import similarity


def test_shared_passages_are_runs_of_words_with_offsets_in_both_texts():
    source = "Meeting again on March 1, Xi Jinping emphasized that the friendship is unbreakable."
    other = "Xi Jinping emphasized that the friendship is unbreakable, and more besides."
    passages, shorter = similarity.shared_passages(source, other)
    assert shorter == 11
    [passage] = passages
    assert passage.words == 8
    assert (
        source[passage.source_start : passage.source_end] == "Xi Jinping emphasized that the friendship is unbreakable"
    )
    assert (
        other[passage.start : passage.end] == passage.text == "Xi Jinping emphasized that the friendship is unbreakable"
    )


def test_runs_shorter_than_the_minimum_do_not_count():
    passages, _ = similarity.shared_passages("the two sides agreed today", "yesterday the two sides met")
    assert passages == []  # "the two sides" is 3 words: common phrasing, not reuse


def test_case_and_punctuation_do_not_break_a_passage():
    passages, _ = similarity.shared_passages(
        "a balanced, effective, and sustainable European security architecture",
        "A balanced, effective and sustainable European security architecture",
    )
    assert [p.words for p in passages] == [8]


def test_mark_wraps_spans_and_keeps_the_rest_verbatim():
    text = "one two three four"
    assert similarity.mark(text, [(8, 13), (0, 3)]) == "<mark>one</mark> two <mark>three</mark> four"
    assert similarity.mark(text, []) == text


def test_shingles_are_runs_of_four_words():
    assert similarity.shingles("One two, three four five.") == {
        ("one", "two", "three", "four"),
        ("two", "three", "four", "five"),
    }
    assert similarity.shingles("Too short.") == {("too", "short")}
