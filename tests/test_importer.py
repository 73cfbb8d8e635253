"""The parser (statements.importing.parse): text in, a draft tree out, no database."""

import datetime
from pathlib import Path

import pytest

from statements.importing import ImportErrorList, parse

DATA = Path(__file__).resolve().parent / "data" / "import"
PARTIES = {
    "cn": ["cn", "People’s Republic of China", "China"],
    "by": ["by", "Republic of Belarus", "Belarus"],
}
HEADER = "Title: A readout\nKind: readout\nDate: 2024-04-09\nParties: cn, by\n\n"


def parse_file(name, **kwargs):
    return parse((DATA / name).read_bytes(), parties=PARTIES, **kwargs)


def outline(draft):
    """(section heading, editorial?, [(eid, label, text)]) for every section, as saved."""
    return [
        (s.heading, s.heading_is_editorial, [(c.eid, c.label, c.text) for c in s.clauses]) for s in draft.all_sections()
    ]


def errors_of(data):
    with pytest.raises(ImportErrorList) as caught:
        parse(data, parties=PARTIES)
    return caught.value.errors


class TestHeader:
    def test_fields_are_read_and_normalised(self):
        draft = parse_file("numbered-with-headings.txt")
        assert (
            draft.title
            == "Joint Communiqué of the People’s Republic of China and the Republic of Belarus (a test document)"
        )
        assert draft.slug == "china-belarus-test-communique-2024"
        assert draft.kind == "communique"  # the label "Communiqué" is accepted
        assert draft.date == datetime.date(2024, 5, 16)  # "16 May 2024"
        assert draft.parties == {"cn": "", "by": ""}  # the header states them: a curator's
        assert draft.source_url == "https://example.org/communique"
        assert draft.editorial_note == (
            "A test document: every feature of the format in one file (this note continues on an indented line)."
        )
        assert not draft.is_translation

    def test_slug_defaults_to_title_and_date(self):
        assert parse(HEADER + "Text.\n").slug == "a-readout-2024-04-09"

    def test_a_translation_note_marks_a_translation(self):
        draft = parse(
            HEADER.replace("\n\n", "\nOriginal language: zh\nTranslation note: Machine translated.\n\n") + "X."
        )
        assert (draft.is_translation, draft.original_language) == (True, "zh")

    def test_parties_may_be_given_by_name(self):
        assert parse(HEADER.replace("cn, by", "China, Belarus") + "Text.", parties=PARTIES).parties == {
            "cn": "",
            "by": "",
        }


class TestBody:
    def test_headings_numbers_lists_footnotes_and_signatures(self):
        draft = parse_file("numbered-with-headings.txt")
        assert outline(draft) == [
            (
                "Preamble",
                True,
                [
                    (
                        "para_p1",
                        "",
                        "At the invitation of the President of the Republic of Belarus, the President of the People’s "
                        "Republic of China paid a state visit to Belarus.",
                    )
                ],
            ),
            (
                "I. POLITICAL RELATIONS",
                False,
                [
                    (
                        "para_1",
                        "1",
                        "The two sides reaffirmed that the comprehensive strategic partnership serves the interests "
                        "of both peoples.",
                    ),
                    (
                        "para_2",
                        "2",
                        "The Chinese side stressed the one-China principle[1] and noted (i) the importance of mutual "
                        "trust and (ii) the role of high-level visits.",
                    ),
                    (
                        "para_3",
                        "3",
                        "We agree to expand trade and investment:\n- to increase the use of local currencies;\n"
                        "  - in particular in trade settlements;\n- to open new direct flights.",
                    ),
                    (
                        "para_3__subpara_a",
                        "(a)",
                        "The two sides will hold the next meeting of the Intergovernmental Cooperation Committee in "
                        "Minsk.",
                    ),
                    ("para_3__subpara_b", "(b)", "The two sides will exchange views on the Ukraine crisis."),
                ],
            ),
            (
                "Economy",
                False,
                [
                    (
                        "para_4",
                        "4",
                        "The Belarusian side welcomed Chinese investment in the China-Belarus Industrial Park, which "
                        "is wrapped over two lines in the source.",
                    ),
                    (
                        "para_5",
                        "5",
                        "The two sides will cooperate in agriculture.\n- Bullets set off by a blank line belong to "
                        "the paragraph before them.\n- So does this one.",
                    ),
                ],
            ),
            ("Notes", True, [("note_1", "1", "The principle as stated in UN General Assembly Resolution 2758.")]),
        ]
        assert [(s.office, s.name, s.party) for s in draft.signatories] == [
            ("President of the People’s Republic of China", "Xi Jinping", "cn"),
            ("President of the Republic of Belarus", "Alexander Lukashenko", "by"),
        ]

    def test_trailing_press_release_furniture_is_not_content(self):
        texts = [c.text for c in parse_file("numbered-with-headings.txt").clauses()]
        assert not any("###" in text for text in texts)

    @pytest.mark.parametrize(
        ("line", "label", "text"),
        [
            ("12. We agree.", "12", "We agree."),
            ("12, We agree.", "12", "We agree."),
            ("12.We agree.", "12", "We agree."),
            ("IV. We agree.", "IV", "We agree."),
            ("1.5 billion was invested.", "", "1.5 billion was invested."),
            ("2023 was a good year.", "", "2023 was a good year."),
        ],
    )
    def test_paragraph_numbers_become_labels(self, line, label, text):
        [clause] = parse(HEADER + line + "\n").clauses()
        assert (clause.label, clause.text) == (label, text)
        assert clause.eid == (f"para_{label.lower()}" if label else "para_1")

    def test_unnumbered_paragraphs_take_their_position(self):
        draft = parse_file("readout-unnumbered.txt")
        assert [(c.eid, c.label) for c in draft.clauses()] == [("para_1", ""), ("para_2", ""), ("para_3", "")]
        assert [s.heading for s in draft.sections] == [""]

    def test_an_unnumbered_paragraph_never_takes_a_numbered_ones_eid(self):
        draft = parse(HEADER + "Preamble.\n\n1. First.\n\nClosing.\n")
        assert [c.eid for c in draft.clauses()] == ["para_p1", "para_1", "para_3"]

    def test_text_is_verbatim(self):
        text = "Curly “quotes”, [the] insertions,\u00a0non-breaking spaces and a trailing one.\u00a0"
        [clause] = parse(HEADER + text + "\n").clauses()
        assert clause.text == text

    def test_windows_line_endings_and_a_bom(self):
        draft = parse_file("windows-bom.txt")
        assert draft.title == "A Windows readout"
        assert [c.text for c in draft.clauses()] == ["The two sides met.", "The Chinese side said so."]

    def test_crlf_and_bom_parse_like_the_plain_file(self):
        plain = (DATA / "numbered-with-headings.txt").read_text(encoding="utf-8")
        windows = ("\ufeff" + plain.replace("\n", "\r\n")).encode("utf-8")
        assert outline(parse(windows, parties=PARTIES)) == outline(parse(plain, parties=PARTIES))

    def test_a_bracketed_number_without_a_marker_is_text(self):
        [clause] = parse(HEADER + "[1] Nothing refers to this, so it is a paragraph.\n").clauses()
        assert clause.text == "[1] Nothing refers to this, so it is a paragraph."


class TestErrors:
    def test_missing_header_field(self):
        assert errors_of((DATA / "missing-title.txt").read_bytes()) == [
            (1, "missing header field 'Title' (write 'Title: ...' in the header)")
        ]

    def test_unknown_party(self):
        assert errors_of((DATA / "unknown-party.txt").read_bytes()) == [
            (4, "unknown party 'xx'; known party codes: by, cn")
        ]

    def test_malformed_date(self):
        assert errors_of((DATA / "malformed-date.txt").read_bytes()) == [
            (3, "malformed date '2024-13-45': write it as YYYY-MM-DD, e.g. 2023-03-02")
        ]

    def test_empty_body(self):
        assert errors_of((DATA / "empty-body.txt").read_bytes()) == [
            (6, "the body is empty: write the paragraphs after the header")
        ]

    def test_non_utf8_bytes(self):
        assert errors_of((DATA / "not-utf8.txt").read_bytes()) == [
            (8, "the file is not UTF-8 (byte 0xe9 at column 4); save it as UTF-8 and import it again")
        ]

    def test_duplicate_paragraph_number(self):
        assert errors_of((DATA / "duplicate-number.txt").read_bytes()) == [
            (10, "paragraph number '2' is used twice (first on line 8)")
        ]

    def test_unknown_header_field_and_kind_are_reported_together(self):
        errors = errors_of("Title: T\nKind: memo\nDate: 2024-01-01\nParties: cn\nAuthor: me\n\nText.\n")
        assert [line for line, _ in errors] == [2, 5]
        assert errors[0][1].startswith("unknown kind 'memo'; one of: article, readout, joint_statement")
        assert errors[1][1].startswith("unknown header field 'Author'")

    def test_a_heading_without_paragraphs(self):
        assert errors_of(HEADER + "## First\n\n## Second\n\nText.\n") == [
            (6, "heading 'First' has no paragraphs under it")
        ]

    def test_a_signatory_of_no_known_party(self):
        errors = errors_of(HEADER + "Text.\n\nPresident of Atlantis\nJohn Doe\n")
        assert errors == [
            (
                8,
                "cannot tell which party 'John Doe' signed for: the office line should name one of the parties "
                "(by, cn)",
            )
        ]

    def test_formatted_as_file_line_message(self):
        with pytest.raises(ImportErrorList) as caught:
            parse((DATA / "malformed-date.txt").read_bytes())
        assert caught.value.format("x.txt") == (
            "x.txt:3: malformed date '2024-13-45': write it as YYYY-MM-DD, e.g. 2023-03-02"
        )


def test_the_readme_example_parses_as_documented():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The format") :]
    example = section[section.index("```text\n") + len("```text\n") : section.index("```\n\n")]
    draft = parse(example, parties=PARTIES)
    assert [(s.heading, s.heading_is_editorial) for s in draft.all_sections()] == [
        ("Preamble", True),
        ("I. POLITICAL RELATIONS", False),
        ("Economy", False),
        ("Notes", True),
    ]
    assert [c.eid for c in draft.clauses()] == ["para_p1", "para_1", "para_2", "para_2__subpara_a", "para_3", "note_1"]
    assert draft.is_translation and draft.translation_note.endswith("continues the field above.")
    assert [s.party for s in draft.signatories] == ["cn", "by"]


class TestLessonsFromPublishedStatements:
    """The text format reads what converted statements look like (issue 16): title-case headings,
    non-breaking spaces after numbers, datelines."""

    def test_a_short_title_case_line_with_text_under_it_is_a_heading(self):
        draft = parse(HEADER + "Building Resilient Supply Chains\n\n1. We met.\n\n2. We agreed.\n", parties=PARTIES)
        assert [(s.heading, [c.eid for c in s.clauses]) for s in draft.all_sections()] == [
            ("Building Resilient Supply Chains", ["para_1", "para_2"])
        ]

    def test_short_title_case_lines_in_a_row_stay_text(self):
        draft = parse(HEADER + "We met.\n\nJoseph R. Biden\n\nEmmanuel Macron\n", parties=PARTIES)
        assert [c.text for c in draft.clauses()] == ["We met.", "Joseph R. Biden", "Emmanuel Macron"]

    def test_a_non_breaking_space_after_a_number_keeps_the_number(self):
        draft = parse(HEADER + "33.\u00a0We agreed.\n\n34.\u00a0\u00a0We parted.\n", parties=PARTIES)
        assert [(c.eid, c.label, c.text) for c in draft.clauses()] == [
            ("para_33", "33", "We agreed."),
            ("para_34", "34", "We parted."),
        ]

    def test_a_dateline_is_not_a_clause(self):
        draft = parse(HEADER + "WASHINGTON, D.C.\n\nWe met.\n\nMarch 2, 2023\n", parties=PARTIES)
        assert [c.text for c in draft.clauses()] == ["We met."]

    @pytest.mark.parametrize("char", ["\x00", "\x0b", "\x0c", "\x1b"])
    def test_control_characters_are_refused_with_the_line(self, char):
        assert errors_of(HEADER + f"We met{char}.\n") == [
            (6, f"control character U+{ord(char):04X} at column 7: remove it and import again")
        ]
