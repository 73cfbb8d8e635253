"""The JSON renderer: DRF's output (compact UTF-8, JavaScript's line separators escaped), through orjson."""

from rest_framework.renderers import JSONRenderer

from statements.api.renderers import ORJSONRenderer


def test_it_renders_what_drf_renders_line_separators_escaped():
    data = {"text": "Minsk\u2028Beijing\u2029Côte d’Ivoire é", "n": [1, 2.5, None, True]}
    assert ORJSONRenderer().render(data) == JSONRenderer().render(data)
    assert b"\\u2028" in ORJSONRenderer().render(data) and "\u2028".encode() not in ORJSONRenderer().render(data)


def test_text_without_line_separators_is_left_alone():
    data = {"text": "Côte d’Ivoire, Ελλάδα, 中国, café"}  # é is c3 a9: a byte the fast check looks for
    assert ORJSONRenderer().render(data) == JSONRenderer().render(data)


def test_a_separator_among_the_bytes_that_end_it_is_escaped():
    # A8 and A9 end "é", "©" and "¨" too; E2 80 begins curly quotes and dashes.
    for text in ("café\u2029", "\u2028é", "© ’ – ¨ é", "’\u2029’", "é" * 100 + "\u2028" + "©" * 100, "\u2028", "é"):
        data = {"text": text}
        assert ORJSONRenderer().render(data) == JSONRenderer().render(data)
