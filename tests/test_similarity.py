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


def test_probe_sentences_are_the_longest_sentences():
    text = "Short one. " + " ".join(f"Sentence number {i} has quite a few words in it." for i in range(10))
    probes = similarity.probe_sentences(text)
    assert len(probes) == similarity.PROBE_SENTENCES and "Short one." not in probes
    assert similarity.probe_sentences("Too short.") == ["Too short."]
