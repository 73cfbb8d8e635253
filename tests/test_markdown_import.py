"""Reading statements published as Markdown (statements.importing.markdown): real files of each shape.

The files are the shipped copies of the White House corpus (fixtures/sources/whitehouse/). The party
vocabulary is a stub here (a few names, tests only): the real one is the party fixture's matcher.
"""

import datetime
import re
from pathlib import Path

import pytest

from statements.importing import ImportErrorList, syntax_tree
from statements.importing.front_matter import kind_of, publisher_of
from statements.importing.lines import FURNITURE, HEADING, MARKUP, METADATA, NUMBER, PARTY
from statements.importing.markdown import read_markdown

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "whitehouse"

STUB_NAMES = {
    "us": ["United States", "U.S."],
    "ca": ["Canada", "Canadian"],
    "in": ["India", "Indian"],
    "jp": ["Japan", "Japanese"],
    "au": ["Australia"],
    "ar": ["Argentina", "Argentine Republic"],
    "ch": ["Switzerland", "Swiss"],
    "li": ["Liechtenstein"],
    "g7": ["G7", "Group of Seven"],
}


def stub_find_parties(text):
    """The codes of the stub names found in ``text``, in order of first mention."""
    found = []
    for code, names in STUB_NAMES.items():
        positions = [m.start() for name in names for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        if positions:
            found.append((min(positions), code))
    return [code for _, code in sorted(found)]


def read(name, **kwargs):
    kwargs.setdefault("find_parties", stub_find_parties)
    return read_markdown((CORPUS / name).read_bytes(), **kwargs)


def outline(draft):
    return [(s.heading, [(c.eid, c.label, c.text[:40]) for c in s.clauses]) for s in draft.all_sections()]


def read_text(text, **kwargs):
    kwargs.setdefault("find_parties", stub_find_parties)
    return read_markdown(text.encode(), **kwargs)


FRONT = "---\ntitle: United States-Japan Joint Statement\ndate: '2024-05-01'\nsource_url: https://www.whitehouse.gov/x/joint-statement/\n---\n"


class TestReadout:
    NAME = "2021-01-22-readout-of-president-joe-biden-call-with-prime-minister-justin-trudeau-of-canada.md"

    def test_metadata_come_from_the_front_matter_and_the_site(self):
        draft = read(self.NAME).draft
        assert (
            draft.title == "Readout of President Joe\u00a0Biden Call with Prime Minister Justin Trudeau of\u00a0Canada"
        )
        assert draft.date == datetime.date(2021, 1, 22)
        assert draft.source_url.startswith("https://bidenwhitehouse.archives.gov/briefing-room/")
        assert draft.publisher == "The White House"
        assert draft.kind == "readout"
        assert (
            draft.slug == "readout-of-president-joe-biden-call-with-prime-minister-justin-trudeau-of-canada-2021-01-22"
        )

    def test_parties_are_the_publishers_state_and_the_title_s(self):
        assert read(self.NAME).draft.parties == {"us": "document parties: publisher", "ca": "document parties: title"}

    def test_one_paragraph_is_one_clause_and_the_trailing_hashes_are_furniture(self):
        reading = read(self.NAME)
        [clause] = reading.draft.clauses()
        assert clause.eid == "para_1"
        assert clause.text.startswith("President Biden spoke with Canadian Prime Minister Justin Trudeau in his first")
        assert clause.text.endswith(
            "The two leaders agreed to speak again in a month to continue to build out our bilateral cooperation."
        )
        assert "\n" not in clause.text and "###" not in clause.text  # wrapped lines joined, "\###" dropped
        assert clause.line == 11
        assert reading.warnings == []


class TestBilateralJointStatementWithHeadings:
    NAME = "2023-06-22-joint-statement-from-the-united-states-and-india.md"

    def test_numbers_followed_by_non_breaking_spaces_are_labels(self):
        clauses = read(self.NAME).draft.clauses()
        assert [c.eid for c in clauses[:3]] == ["para_1", "para_2", "para_3"]
        assert clauses[0].label == "1"
        assert clauses[0].text.startswith(
            "President Joseph R. Biden, Jr. and Prime Minister Narendra Modi today affirmed"
        )

    def test_lines_of_non_breaking_spaces_separate_paragraphs_and_bold_italic_lines_are_headings(self):
        sections = read(self.NAME).draft.all_sections()
        assert [s.heading for s in sections[:3]] == [
            "",
            "Charting a Technology Partnership for the Future",
            "Powering a Next Generation Defense Partnership",
        ]
        assert [c.eid for c in sections[1].clauses] == [f"para_{n}" for n in range(2, 11)]

    def test_markup_is_removed_and_characters_kept(self):
        clauses = {c.eid: c.text for c in read(self.NAME).draft.clauses()}
        assert "21st century" in clauses["para_1"]  # <sup>st</sup>
        assert "telecommunications,\u00a0resilient supply chains" in clauses["para_6"]  # an unpaired "**" dropped
        assert "**" not in "".join(clauses.values())


class TestNumberedMultilateralStatement:
    def test_a_markdown_ordered_list_gives_numbered_clauses(self):
        draft = read("2022-12-12-g7-leaders-statement-4.md").draft
        assert draft.kind == "leaders_statement"
        assert [(c.eid, c.label) for c in draft.clauses()] == [(f"para_{n}", str(n)) for n in range(1, 19)]
        assert list(draft.parties) == ["us", "g7"]  # the publisher's state, then the title's

    def test_capital_bold_headings_and_escaped_numbers(self):
        draft = read("2021-06-13-carbis-bay-g7-summit-communique.md").draft
        assert draft.kind == "communique"
        headings = [s.heading for s in draft.all_sections()]
        assert headings[:4] == ["", "INTRODUCTION", "HEALTH", "ECONOMIC RECOVERY AND JOBS"]
        by_eid = {c.eid: c for c in draft.clauses()}
        # "17\. The G7 has ..." (an escaped number) is paragraph 17; the unnumbered opening takes para_p1
        assert by_eid["para_17"].text.startswith("The G7 has a leading role to play")
        assert by_eid["para_p1"].text.startswith("We, the leaders of the Group of Seven, met in Cornwall")

    def test_numbering_that_starts_again_under_each_heading_names_the_section(self):
        reading = read(
            "2025-11-14-joint-statement-on-a-framework-for-a-united-states-switzerland-liechtenstein-agreement-on-"
            "fair-balanced-and-reciprocal-trade.md"
        )
        sections = reading.draft.all_sections()
        assert [s.heading for s in sections[:3]] == [
            "",
            "1. Investment, Commercial Considerations, and Opportunities",  # "1.  I**nvestment ...**", an item alone
            "2. Tariffs",  # "2\. **Tariffs**"
        ]
        assert [c.eid for c in sections[2].clauses][:2] == ["sec_3__para_1", "sec_3__para_2"]
        assert any(w.kind == NUMBER and "start again" in w.message for w in reading.warnings)

    def test_a_bullet_list_after_a_numbered_heading_gives_a_clause_per_item(self):
        sections = read("2024-02-26-joint-statement-endorsing-principles-for-6g-secure-open-and-resilient-by-design.md")
        sections = sections.draft.all_sections()
        assert sections[1].heading == "1. Trusted Technology that is Protective of National Security"
        assert [c.text[:28] for c in sections[2].clauses] == [
            "6G technologies developed by",
            "6G technologies that are rel",
            "6G technologies and architec",
        ]
        assert sections[0].clauses[0].text.endswith("that fulfill the following shared principles:")

    def test_a_list_of_names_stays_one_clause_and_the_closing_date_is_a_dateline(self):
        reading = read(
            "2023-09-25-u-s-pacific-islands-forum-leaders-statement-on-reaffirming-u-s-pacific-partnership.md"
        )
        last = reading.draft.clauses()[-1]
        assert last.text.split("\n")[:2] == [
            "Special Envoy Ewen McDonald of Australia",
            "Prime Minister Mark Brown of Cook Islands",
        ]
        assert len(last.text.split("\n")) == 19  # 19 signatories, one a line
        assert reading.datelines == [(321, "September 25, 2023")]


class TestTradeFramework:
    NAME = (
        "2025-11-13-joint-statement-on-framework-for-a-united-states-argentina-agreement-on-reciprocal-trade-and-"
        "investment.md"
    )

    def test_lists_across_html_comments_belong_to_the_paragraph_that_introduces_them(self):
        clauses = read(self.NAME).draft.clauses()
        assert len(clauses) == 6
        terms = clauses[3]
        lines = terms.text.split("\n")
        assert lines[0] == "Key elements of the deal will include:"
        assert [line.partition(":")[0] for line in lines[1:]] == [
            "- Tariffs",
            "- Elimination of Non-Tariff Barriers",
            "- Standards and Conformity Assessment",
            "- Intellectual Property",
            "- Agricultural Market Access",
            "- Labor",
            "- Environment",
            "- Economic Security Alignment",
            "- Commercial Considerations and Opportunities",
            "- Confronting State-Owned Enterprises and Subsidies",
            "- Digital Trade",
        ]
        assert "Agreement on Fisheries Subsidies." in terms.text  # *italic* inside a sentence: markup removed
        assert "<!--" not in terms.text and "**" not in terms.text

    def test_parties_of_a_joint_statement_are_those_of_the_title_and_opening(self):
        assert list(read(self.NAME).draft.parties) == ["us", "ar"]

    def test_nested_lists_are_indented_two_spaces_a_level(self):
        clauses = read(
            "2025-07-22-joint-statement-on-framework-for-united-states-indonesia-agreement-on-reciprocal-trade.md"
        ).draft.clauses()
        lines = clauses[1].text.split("\n")
        assert lines[-4].startswith("- In addition, the United States and Indonesia take note of the following")
        assert lines[-3] == "  - Procurement of aircraft currently valued at 3.2 billion USD."
        assert lines[-1].startswith("  - Purchases of energy products")


class TestSegmentation:
    def test_a_dateline_at_the_start_is_not_a_clause(self):
        reading = read("2023-05-20-quad-leaders-joint-statement.md")
        assert reading.datelines[0] == (9, "20 May 2023, Hiroshima")
        assert reading.draft.clauses()[0].text.startswith("Today, we — Prime Minister Anthony Albanese")

    def test_a_hard_line_break_stays_inside_its_paragraph_clause(self):
        # One paragraph block is one clause (the conventions, and the gold set): a run-in heading or sentences set
        # apart by a hard line break stay in it, on their own line; a date on its own line is a dateline.
        body = "Combating COVID-19  \nThe top priority is the pandemic.  \nWe agreed.\n\nJoseph R. Biden, Jr.  \n"
        body += "October 29, 2021\n"
        reading = read_text(FRONT + body)
        assert [c.text for c in reading.draft.clauses()] == [
            "Combating COVID-19\nThe top priority is the pandemic.\nWe agreed.",
            "Joseph R. Biden, Jr.",
        ]
        assert reading.datelines == [(11, "October 29, 2021")]

    def test_a_short_title_case_line_is_a_heading_only_with_text_under_it(self):
        body = "Global Partners for the Future\n\nWe met today.\n\nJoseph R. Biden, Jr.\n\nEmmanuel Macron\n"
        draft = read_text(FRONT + body).draft
        assert outline(draft) == [
            (
                "Global Partners for the Future",
                [
                    ("para_1", "", "We met today."),
                    ("para_2", "", "Joseph R. Biden, Jr."),
                    ("para_3", "", "Emmanuel Macron"),
                ],
            )
        ]

    def test_a_bold_heading_ended_by_a_hard_break_is_set_apart_from_the_paragraph_under_it(self):
        body = (
            "We met today.\n\n**Task Force on Energy Security  \n**  \nThe two sides will meet again.\n\n"
            "***An Urgent Imperative***  \nThe crisis is grave.\n\n"
            "**Joseph R. Biden, Jr.**  \nPresident of the United States of America\n"
        )
        draft = read_text(FRONT + body).draft
        assert outline(draft) == [
            ("", [("para_1", "", "We met today.")]),
            ("Task Force on Energy Security", [("para_2", "", "The two sides will meet again.")]),
            (
                "An Urgent Imperative",
                [("para_3", "", "The crisis is grave."), ("para_4", "", "Joseph R. Biden, Jr.\nPresident of the Un")],
            ),
        ]

    def test_a_numbered_bold_first_line_keeps_its_paragraph_and_number(self):
        """Its eid was published before bold headings were set apart: it stays ``para_iii``."""
        draft = read_text(FRONT + "We met today.\n\n**III. Conclusion and Next Steps  \n**We will meet again.\n").draft
        assert [(c.eid, c.label) for c in draft.clauses()] == [("para_1", ""), ("para_iii", "III")]

    def test_a_sentence_case_heading_is_warned_about(self):
        body = "Strengthening our shared security\n\nThe partnership is strong.\n"
        reading = read_text(FRONT + body)
        assert reading.draft.all_sections()[0].heading == "Strengthening our shared security"
        assert [(w.line, w.kind) for w in reading.warnings] == [(6, HEADING)]

    def test_footnotes_become_notes(self):
        body = "1. We agree[^1] on all points.\n\n2. We part.\n\n[^1]: Agreed in Paris.\n    On 1 May.\n"
        draft = read_text(FRONT + body).draft
        assert [(c.eid, c.text) for c in draft.clauses()] == [
            ("para_1", "We agree[1] on all points."),
            ("para_2", "We part."),
            ("note_1", "Agreed in Paris. On 1 May."),
        ]
        assert draft.all_sections()[-1].heading == "Notes"

    def test_bullet_characters_left_as_paragraphs_are_list_items(self):
        body = "Key terms include:\n\n• Tariffs will fall.\n\n• Quotas will rise.\n\nThe end.\n"
        assert [c.text for c in read_text(FRONT + body).draft.clauses()] == [
            "Key terms include:\n- Tariffs will fall.\n- Quotas will rise.",
            "The end.",
        ]

    def test_a_short_numbered_enumeration_belongs_to_its_lead_in(self):
        body = "We focus on four pillars:\n\n1.  Building;\n2.  Securing; and\n3.  Investing.\n\nThen more.\n"
        assert [c.text for c in read_text(FRONT + body).draft.clauses()] == [
            "We focus on four pillars:\n1. Building;\n2. Securing; and\n3. Investing.",
            "Then more.",
        ]

    def test_a_paragraph_only_in_italics_is_a_heading_and_a_long_one_is_warned_about(self):
        body = "*The following is the text of a joint statement signed by the governments of Australia and Japan*"
        body += "\n\nWe agree.\n"
        reading = read_text(FRONT + body)
        assert outline(reading.draft) == [
            (
                "The following is the text of a joint statement signed by the governments of Australia and Japan",
                [("para_1", "", "We agree.")],
            )
        ]
        assert [(w.line, w.kind) for w in reading.warnings] == [(6, FURNITURE)]


class TestMetadata:
    @pytest.mark.parametrize(
        ("title", "kind"),
        [
            ("Readout of President Biden’s Call with Prime Minister Kishida of Japan", "readout"),
            ("Joint Readout of Quad Leaders Call", "readout"),
            ("G7 Leaders’ Statement on Syria", "leaders_statement"),
            ("U.S.-ROK Leaders’ Joint Statement", "leaders_statement"),
            ("United States-Australia Joint Leaders’ StatementBuilding an Innovation Alliance", "leaders_statement"),
            ("Joint Statement from Quad Leaders", "joint_statement"),
            ("ASEAN-U.S. Special Summit 2022, Joint Vision Statement", "joint_statement"),
            ("The Jeddah Communique: A Joint Statement Between the United States and Saudi Arabia", "communique"),
            ("CARBIS BAY G7 SUMMIT COMMUNIQUÉ", "communique"),
            ("U.S.-Mexico Joint Declaration", "declaration"),
            (
                "Statement from National Security Advisor Jake Sullivan Welcoming the Aqaba Meeting and Communique",
                "press_release",
            ),
            ("A Visit to Paris", ""),
        ],
    )
    def test_the_kind_is_what_the_title_calls_the_document_first(self, title, kind):
        assert kind_of(title) == kind

    def test_publishers_by_site(self):
        assert publisher_of("https://bidenwhitehouse.archives.gov/briefing-room/x/") == ("The White House", "us")
        assert publisher_of("https://www.whitehouse.gov/briefings-statements/2025/07/x/") == ("The White House", "us")
        assert publisher_of("https://2021-2025.state.gov/x") == ("U.S. Department of State", "us")
        assert publisher_of("https://example.org/x") is None

    def test_an_unknown_site_and_an_untold_kind_are_warned_about(self):
        text = (
            "---\ntitle: A Visit to Paris\ndate: 2024-05-01\nsource_url: https://example.org/visit\n---\nJapan met.\n"
        )
        reading = read_text(text)
        assert reading.draft.publisher == ""
        assert reading.draft.kind == "press_release"
        assert sorted((w.line, w.kind) for w in reading.warnings) == [
            (2, METADATA),
            (4, METADATA),
        ]  # the title, the URL

    def test_the_curator_overrides_any_field_with_the_text_format_s_keys(self):
        text = (
            "---\ntitle: A Joint Statement\ndate: '2024-05-01'\nsource_url: https://www.whitehouse.gov/x/y/\n"
            "kind: communique\nparties: [us, jp]\npublisher: Prime Minister's Office\nslug: my-slug\n"
            "editorial_note: Checked by hand.\n---\nWe met.\n"
        )
        draft = read_text(text).draft
        assert (draft.kind, draft.parties, draft.publisher, draft.slug, draft.editorial_note) == (
            "communique",
            {"us": "", "jp": ""},  # stated by the front matter: a curator's, no rule
            "Prime Minister's Office",
            "my-slug",
            "Checked by hand.",
        )

    def test_a_name_in_the_title_that_is_no_known_party_is_warned_about(self):
        text = (
            FRONT.replace("United States-Japan Joint Statement", "Readout of a Call with President X of Freedonia")
            + "They met.\n"
        )
        reading = read_text(text)
        assert [(w.line, w.kind) for w in reading.warnings] == [(2, PARTY)]
        assert "Freedonia" in reading.warnings[0].message

    def test_the_same_page_published_twice_gets_two_slugs(self):
        first = read(
            "2025-10-26-joint-statement-on-a-frameowkr-for-a-united-states-thailand-agreement-on-recipricol-trade.md"
        )
        second = read(
            "2025-10-26-joint-statement-on-a-framework-for-a-united-states-thailand-agreement-on-reciprocal-trade.md"
        )
        assert first.draft.title == second.draft.title
        assert first.draft.slug != second.draft.slug


class TestOtherPublishers:
    """Markdown from elsewhere: a "# Title" instead of a front matter title, a publication time, "##" headings."""

    def test_the_first_level_one_heading_is_the_title_and_the_publication_time_the_date(self):
        text = (
            "---\npublished_time: 2024-05-01 10:00:00-04:00\n"
            "source_url: https://www.gov.uk/government/news/uk-japan-statement\n---\n"
            "# UK-Japan Joint Statement\n\n## Defence\n\n1. We agree.\n"
        )
        draft = read_text(text, find_parties=lambda text: ["gb", "jp"] if "UK" in text else []).draft
        assert (draft.title, str(draft.date), draft.kind, draft.publisher, draft.slug) == (
            "UK-Japan Joint Statement",
            "2024-05-01",
            "joint_statement",
            "UK Government",
            "uk-japan-statement-2024-05-01",
        )
        assert list(draft.parties) == ["gb", "jp"]
        assert outline(draft) == [("Defence", [("para_1", "1", "We agree.")])]

    def test_a_declaration_with_headings_bullets_letters_a_footnote_and_a_by_line(self):
        text = (
            "---\ntitle: G20 New Delhi Leaders’ Declaration\ndate: 2023-09-09\n"
            "source_url: https://www.mea.gov.in/bilateral-documents.htm?dtl/37084/G20\n---\n"
            "New Delhi, India, 9-10 September 2023\n\n## Preamble\n\n"
            "1. We, the Leaders of the G20, met in New Delhi.\n\n"
            "2. We commit to:\n\n   * accelerate progress on the SDGs;\n   * scale up financing.[^1]\n\n"
            "## Growth\n\n3. The global economy remains uncertain.\n\n4.\u00a0We welcome the African Union.\n\n"
            "[^1]: Including through MDB reform.\n\nOFFICE OF THE SPOKESPERSON\n\nWASHINGTON, D.C.\n"
        )
        reading = read_text(text, find_parties=lambda text: ["g20"] if "G20" in text else [])
        draft = reading.draft
        assert (draft.kind, draft.publisher, draft.slug) == (
            "declaration",
            "Ministry of External Affairs, India",
            "g20-new-delhi-leaders-declaration-2023-09-09",  # the URL names the page by a query: the title
        )
        assert outline(draft) == [
            (
                "Preamble",
                [
                    ("para_1", "1", "We, the Leaders of the G20, met in New D"),
                    ("para_2", "2", "We commit to:\n- accelerate progress on t"),
                ],
            ),
            (
                "Growth",
                [
                    ("para_3", "3", "The global economy remains uncertain."),
                    ("para_4", "4", "We welcome the African Union."),
                ],
            ),
            ("Notes", [("note_1", "1", "Including through MDB reform.")]),
        ]
        assert [text for _, text in reading.datelines] == ["New Delhi, India, 9-10 September 2023", "WASHINGTON, D.C."]


class TestWhereTheParsersDiffer:
    """What the Rust parser (markdown-it.rs) reads otherwise than markdown-it-py, which the importer used before,
    is read as before (statements/importing/syntax_tree.py); each expectation is what markdown-it-py gave."""

    @staticmethod
    def clauses(body):
        reading = read_text(FRONT + body)
        return [(c.eid, c.text, c.line) for c in reading.draft.clauses()], [(w.line, w.kind) for w in reading.warnings]

    def test_a_bracket_then_a_stray_backtick_is_text(self):
        # markdown-it.rs 0.6 panics on it (an index out of bounds): the run is escaped and the body parsed again
        body = "The leaders met [virtually] and said ` nothing.\n\nThey agreed [to `meet` again.\n"
        assert self.clauses(body) == (
            [
                ("para_1", "The leaders met [virtually] and said ` nothing.", 6),
                ("para_2", "They agreed [to meet again.", 8),
            ],
            [],
        )

    def test_a_footnote_definition_ends_the_paragraph_above_it(self):
        body = (
            "1. We agree[^1] on all points.\n[^1]: Agreed in Paris.\n\n2. We part[^2].\n[^2]: In May.\n  Or June.\n\n"
            "<div>x</div>\n\nWe met.\n"
        )
        clauses, warnings = self.clauses(body)
        assert clauses == [
            ("para_1", "We agree[1] on all points.", 6),
            ("para_2", "We part[2].", 9),
            ("para_3", "We met.", 15),
            ("note_1", "Agreed in Paris.", 7),
            ("note_2", "In May. Or June.", 10),
        ]
        assert warnings == [(13, MARKUP)]  # the lines after a definition keep their numbers

    def test_footnotes_come_in_the_order_of_their_first_reference_and_an_unreferenced_one_is_left_out(self):
        body = "We agree[^b] and part[^a].\n\n[^a]: Note a.\n\n[^b]: Note b.\n\n[^c]: Unused.\n"
        assert self.clauses(body)[0] == [
            ("para_1", "We agree[b] and part[a].", 6),
            ("note_b", "Note b.", 10),
            ("note_a", "Note a.", 8),
        ]

    def test_a_parser_that_still_panics_is_an_error_naming_the_body_s_first_line(self, monkeypatch):
        class PanicException(BaseException):  # pyo3's, raised when Rust code panics
            pass

        class Panicking:
            def tree(self, source):
                raise PanicException("index out of bounds")

        monkeypatch.setattr(syntax_tree, "MARKDOWN", Panicking())
        with pytest.raises(ImportErrorList) as raised:
            read_text(FRONT + "We met.\n")
        assert raised.value.errors == [(6, "the Markdown parser failed on the body: index out of bounds")]

    def test_non_breaking_spaces_at_a_paragraph_s_ends_are_stripped_with_a_line_break_they_leave(self):
        body = "- \u00a0  \nLeaders agreed to meet.\n\n\u00a0**Bold** words.\u00a0\n"
        assert self.clauses(body)[0] == [("para_1", "Leaders agreed to meet.", 6), ("para_2", "Bold words.", 9)]


class TestBadInput:
    def errors(self, data):
        with pytest.raises(ImportErrorList) as caught:
            read_markdown(data, find_parties=stub_find_parties)
        return caught.value.errors

    def test_a_nul_byte_is_refused_with_its_line(self):
        assert self.errors((FRONT + "We met.\n\nWe agreed\x00 today.\n").encode()) == [
            (8, "control character U+0000 at column 10: remove it and import again")
        ]

    @pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1b", "\x7f", "\x85"])
    def test_control_characters_are_refused(self, char):
        [(line, message)] = self.errors((FRONT + f"We met{char}.\n").encode())
        assert line == 6 and message.startswith(f"control character U+{ord(char):04X}")

    def test_a_control_character_in_the_front_matter_is_refused_too(self):
        [(line, _)] = self.errors(FRONT.replace("Japan Joint", "Japan\x0bJoint").encode() + b"We met.\n")
        assert line == 2

    def test_non_breaking_and_zero_width_spaces_are_text(self):
        draft = read_text(FRONT + "3.\u00a0\u200bWe met\u00a0today.\n").draft
        assert [(c.eid, c.text) for c in draft.clauses()] == [("para_3", "We met\u00a0today.")]

    def test_an_unclosed_front_matter(self):
        assert self.errors(b"---\ntitle: X\ndate: 2024-01-01\nWe met.\n") == [
            (1, "the front matter opened by '---' on line 1 is never closed: end it with '---'")
        ]

    def test_front_matter_that_is_not_yaml_names_its_line(self):
        [(line, message)] = self.errors(b"---\ntitle: X\ndate: [2024\n---\nWe met.\n")
        assert line in (3, 4) and "not valid YAML" in message

    def test_missing_title_and_date(self):
        messages = [m for _, m in self.errors(b"---\nsource_url: https://www.whitehouse.gov/a/b/\n---\nWe met.\n")]
        assert "missing front matter key 'title': add 'title: ...' to the front matter" in messages
        assert "missing front matter key 'date': add 'date: ...' to the front matter" in messages

    def test_no_party_found(self):
        front = FRONT.replace("United States-Japan ", "").replace("www.whitehouse.gov", "example.org")
        assert self.errors(front.encode() + b"We met.\n") == [
            (
                2,
                "missing front matter key 'parties' (no party was found in the title or the opening paragraph): "
                "add 'parties: ...' to the front matter",
            )
        ]

    def test_an_empty_body(self):
        assert self.errors((FRONT + "\n\\###\n").encode()) == [(6, "the body has no paragraphs")]

    def test_bytes_that_are_not_utf8(self):
        [(line, message)] = self.errors(FRONT.encode() + b"We met \xff.\n")
        assert line == 6 and "not UTF-8" in message


@pytest.mark.parametrize("path", sorted(set(CORPUS.glob("*.md")) - {CORPUS / "README.md"}), ids=lambda p: p.name[:60])
def test_every_file_of_the_corpus_reads_without_errors(path):
    # the stub vocabulary knows few names: "us" stands in where it finds none (the real vocabulary finds them)
    draft = read_markdown(path.read_bytes(), find_parties=lambda text: stub_find_parties(text) or ["us"]).draft
    assert draft.clauses() and all(c.text.strip() == c.text and c.text for c in draft.clauses())
    assert len({c.eid for c in draft.clauses()}) == len(draft.clauses())
