"""The attribution rules (statements.attribution) on short invented sentences: who speaks or commits, and
who is only mentioned (docs/annotation-guidelines.md, section 3). No database."""

import datetime

import pytest

from statements.attribution import DocumentContext, attribute_clauses, attribute_document, infer_parties
from statements.importing.drafts import ClauseDraft, DocumentDraft, SectionDraft
from statements.importing.tagging import tag_draft
from statements.tagging.rules import ALL_PARTIES, Rule, compile_pattern
from statements.vocabulary import PartyVocabulary


def joint(title="Joint Statement of the United States and Japan", **fields):
    return DocumentContext(title=title, kind="joint_statement", publisher="us", **fields)


def readout(title="Readout of President Biden’s Call with Prime Minister Tanaka of Japan", **fields):
    return DocumentContext(title=title, kind="readout", publisher="us", **fields)


def speakers(context, *texts):
    return [set(found) for found in attribute_document(context, list(texts))]


class TestSubjectsOfVerbsOfSaying:
    @pytest.mark.parametrize(
        "sentence",
        [
            "Japan welcomed the announcement.",
            "The Japanese side stressed the importance of the alliance.",
            "Japanese officials reaffirmed their commitment.",
            "Japan will eliminate tariffs on beef.",
            "Japan is committed to a free and open Indo-Pacific.",
            "In 2024, Japan announced a new fund.",
            "Recognizing the challenge, Japan intends to double its support.",
            "Japan also plans to launch a fund.",
        ],
    )
    def test_a_party_that_is_the_subject_speaks(self, sentence):
        assert speakers(joint(), sentence) == [{"jp"}]

    def test_coordinated_subjects_all_speak(self):
        assert speakers(joint(), "The United States and Japan agreed to expand cooperation.") == [{"us", "jp"}]

    @pytest.mark.parametrize(
        "sentence",
        [
            "The United States thanked Japan for its leadership.",  # the object
            "The delegation welcomed the Japanese government’s decision.",  # a possessive
            "The United States congratulated Prime Minister Tanaka on his election.",
            "The plan supports Japan’s commitment to peace.",  # a nominalisation
            "A ceasefire was endorsed by Japan and the UN Security Council.",  # a passive participle
            "Japan hosted the conference in Tokyo.",  # an action, not a statement
            "Japan’s exports to the United States grew by 5 percent.",  # a reported result
        ],
    )
    def test_a_party_only_mentioned_does_not_speak(self, sentence):
        found = speakers(joint(), sentence)[0]
        assert "jp" not in found

    def test_will_in_a_that_clause_is_a_judgement_not_an_undertaking(self):
        assert speakers(joint(), "We are confident that Russia will fail.") == [{"us", "jp"}]
        assert speakers(joint(), "Russia will never win this war.") == [set()]

    def test_a_party_mentioned_after_a_preposition_does_not_speak(self):
        assert speakers(joint(), "Support for Ukraine was discussed at length.") == [set()]


class TestFirstPersonAndCollectives:
    def test_we_makes_every_author_speak(self):
        assert speakers(joint(), "We reaffirm our commitment to the alliance.") == [{"us", "jp"}]

    def test_our_anywhere_in_the_clause_counts(self):
        assert speakers(joint(), "Trade between our countries has grown.") == [{"us", "jp"}]

    @pytest.mark.parametrize(
        "subject", ["The two leaders", "Both sides", "The Parties", "The leaders", "They", "Both countries"]
    )
    def test_collective_subjects_mean_every_party(self, subject):
        assert speakers(joint(), f"{subject} welcomed the progress made.") == [{"us", "jp"}]

    def test_conference_of_the_parties_is_not_the_parties(self):
        text = "The Conference of the Parties will convene in Dubai next year."
        assert speakers(joint(), text) == [set()]

    def test_the_parties_as_an_object_are_not_subjects(self):
        assert speakers(joint(), "The agreement benefits the Parties and their people.") == [set()]

    def test_a_clause_with_no_speaker(self):
        assert speakers(joint(), "The key terms include:") == [set()]

    def test_a_readouts_our_is_the_publishers(self):
        assert speakers(readout(), "The President reaffirmed our support for the people of Ukraine.") == [{"us"}]

    def test_a_closing_formula_has_no_speaker(self):
        assert speakers(joint(), "Signed at Tokyo on May 1, 2024, in our two languages.") == [set()]

    def test_items_after_a_first_person_lead_in_are_the_authors(self):
        found = speakers(joint(), "We hereby commit to:", "EXPAND cooperation on fisheries;", "Trade will grow.")
        assert found == [{"us", "jp"}, {"us", "jp"}, {"us", "jp"}]

    def test_a_preamble_participle_is_the_authors(self):
        assert speakers(joint(), "REAFFIRMING the importance of the UN Charter,") == [{"us", "jp"}]


class TestReadoutsAndLeaders:
    def test_a_conversation_makes_every_participant_speak(self):
        text = "President Biden spoke today with Prime Minister Tanaka of Japan to discuss the economy of Brazil."
        assert speakers(readout(), text) == [{"us", "jp"}]

    def test_the_president_is_the_publishers(self):
        assert speakers(readout(), "The President underscored the importance of the alliance.") == [{"us"}]

    def test_a_leader_named_with_a_state_is_that_state_later_by_surname_and_title(self):
        found = speakers(
            readout(title="Readout of President Biden’s Meeting"),
            "President Biden met Prime Minister Tanaka of Japan in Tokyo.",
            "Prime Minister Tanaka welcomed the new initiative.",
            "The Prime Minister expressed his thanks.",
        )
        assert found == [{"us", "jp"}, {"jp"}, {"jp"}]

    def test_a_leader_named_with_a_demonym_is_that_state(self):
        assert speakers(readout(), "Kenyan President William Ruto thanked the President.") == [{"ke"}]

    def test_a_leader_hosted_is_an_object(self):
        text = "President Biden hosted Mexican President Lopez at the White House."
        assert speakers(readout(), text) == [set()]

    def test_the_leaders_of_a_readout_are_its_participants(self):
        assert speakers(readout(), "The leaders discussed the situation in the Middle East.") == [{"us", "jp"}]

    def test_a_name_with_jr_before_the_verb(self):
        text = "President Joseph R. Biden, Jr., spoke today with Chancellor Olaf Scholz of Germany."
        assert speakers(readout(), text) == [{"us", "de"}]

    def test_an_office_after_a_comma_is_the_same_person(self):
        text = "The Vice President spoke to Prime Minister Mia Mottley of Barbados, Chair of the Caribbean Community."
        assert speakers(readout(title="Readout of the Vice President’s Call"), text) == [{"us", "bb"}]

    def test_a_second_president_of_a_bilateral_text_is_the_partners(self):
        context = joint(title="Joint Statement on a Framework for a United States–Argentina Agreement")
        text = "President Donald J. Trump and President Javier Milei reaffirm the strategic alliance."
        assert speakers(context, text) == [{"us", "ar"}]

    def test_a_leader_named_without_a_state_in_a_bilateral_text_is_the_partners(self):
        context = joint(title="Joint Statement from the United States and India")
        text = "President Biden and Prime Minister Modi welcomed the plans. The Prime Minister thanked the President."
        assert speakers(context, text) == [{"us", "in"}]

    def test_a_comma_and_after_one_name_starts_a_new_clause(self):
        text = "They recalled the East Asia Summit, and the President reiterated his support for ASEAN centrality."
        assert speakers(readout(), text) == [{"us", "jp"}]


class TestGroupsAndDocumentParties:
    def test_a_joint_body_the_title_names_is_its_parties(self):
        context = DocumentContext(
            title="Joint Statement on the U.S.-EU Task Force on Energy Security", kind="joint_statement", publisher="us"
        )
        found = speakers(context, "The Task Force will continue its work.", "A Task Force of experts met.")
        assert found == [{"us", "eu"}, set()]

    def test_the_opening_list_ends_at_its_own_verb(self):
        context = DocumentContext(title="Joint Statement of the Ministers", kind="joint_statement")
        opening = "Having gathered in Rome, we the Ministers of Chile, Ghana and Norway recognize the threat of Peru."
        assert set(infer_parties(context, [opening])) == {"cl", "gh", "no"}

    def test_a_bare_we_opening_lists_no_authors_and_the_partner_is_the_party_joined_to_the_publisher(self):
        # The title names two leaders without their states; the opening's parties are what "we" condemn.
        context = joint(title="Joint Statement by President Biden and Prime Minister Rossi")
        texts = [
            "We are united in our condemnation of Armenia’s and Azerbaijan’s renewed fighting.",
            "The United States and Italy will send humanitarian aid.",
            "We call on Armenia and Azerbaijan to return to talks.",
        ]
        assert set(infer_parties(context, texts)) == {"us", "it"}
        assert speakers(context, *texts) == [{"us", "it"}] * 3

    def test_a_we_with_its_list_still_names_the_authors(self):
        context = DocumentContext(title="Joint Statement", kind="joint_statement")
        opening = "We, the Leaders of Chile, Ghana and Norway, are united in our condemnation of Peru’s actions."
        assert set(infer_parties(context, [opening])) == {"cl", "gh", "no"}

    def test_no_partner_when_two_parties_are_joined_to_the_publisher_equally_often(self):
        context = joint(title="Joint Statement by President Biden and Prime Minister Rossi")
        texts = ["We met today.", "The United States and Italy agreed.", "The United States and Spain agreed."]
        assert infer_parties(context, texts) == ["us"]

    def test_a_group_speaks_as_its_members(self):
        context = DocumentContext(title="G7 Leaders’ Statement on Ukraine", kind="leaders_statement", publisher="us")
        assert speakers(context, "The G7 will continue to support Ukraine.") == [
            {"ca", "fr", "de", "it", "jp", "gb", "us"}
        ]

    def test_a_title_names_its_authors_before_what_it_is_about(self):
        context = DocumentContext(title="G7 Leaders’ Statement on Iran’s Attack against Israel", kind="joint_statement")
        assert set(infer_parties(context, ["We condemn the attack."])) == {"ca", "fr", "de", "it", "jp", "gb", "us"}

    def test_an_organisation_named_for_its_leaders_is_its_member_states(self):
        context = readout(title="Readout of President Biden’s Meeting with Leaders of the Caribbean Community")
        parties = infer_parties(context, ["President Biden met with leaders of the Caribbean Community."])
        assert {"us", "jm", "bb", "tt"} <= set(parties) and "caricom" not in parties

    def test_a_lone_subject_after_on_is_not_an_author(self):
        context = DocumentContext(title="Joint Statement on Israel", kind="joint_statement", publisher="us")
        opening = "Today, Prime Minister Trudeau of Canada and President Macron of France released this statement."
        assert set(infer_parties(context, [opening])) == {"us", "ca", "fr"}

    def test_a_pair_after_on_is_the_authors(self):
        context = joint(title="Joint Statement on a Framework for a United States–Argentina Agreement")
        assert set(infer_parties(context, ["The key terms include:"])) == {"us", "ar"}

    def test_authors_named_after_by_are_the_authors(self):
        context = joint(
            title="Joint Statement on Ukraine’s Air Defenses by President Biden and German Chancellor Scholz"
        )
        assert set(infer_parties(context, ["Today, we announce new systems."])) == {"us", "de"}

    def test_officials_in_the_plural_are_a_collective(self):
        context = readout(title="Joint Readout of the Meeting of the United States, Japan and the Philippines")
        found = speakers(context, "The three National Security Advisors discussed maritime security.")
        assert found == [{"us", "jp", "ph"}]

    def test_a_witness_not_in_the_title_is_not_a_party(self):
        context = DocumentContext(
            title="Joint Declaration by the Prime Minister of Cambodia and the Prime Minister of Thailand",
            kind="declaration",
            publisher="us",
        )
        assert set(infer_parties(context, ["We, the Prime Ministers, declare:"])) == {"kh", "th"}

    def test_a_group_with_no_recorded_members_takes_those_the_opening_lists(self):
        context = DocumentContext(title="Counter Ransomware Initiative Joint Statement", kind="joint_statement")
        opening = "The members of the Counter Ransomware Initiative—Chile, Ghana and Norway—met in Rome."
        assert set(infer_parties(context, [opening])) == {"cl", "gh", "no"}

    def test_members_on_the_documents_date(self):
        def g20(date):
            context = DocumentContext(title="Joint Statement", kind="joint_statement", publisher="us", date=date)
            return speakers(context, "The G20 agreed to act.")[0]

        assert "african-union" not in g20(datetime.date(2023, 1, 1))
        assert "african-union" in g20(datetime.date(2024, 1, 1))
        assert {"ar", "au", "br", "us", "eu"} <= g20(datetime.date(2024, 1, 1))


class TestTheImporter:
    def draft(self, *texts):
        clauses = [ClauseDraft(f"para_{i}", "", text, i) for i, text in enumerate(texts, start=1)]
        return DocumentDraft(
            slug="s",
            title="Joint Statement of the United States and Japan",
            kind="joint_statement",
            date=datetime.date(2024, 1, 1),
            parties={"us": "", "jp": ""},  # stated by the source: a curator's
            source_url="https://www.whitehouse.gov/briefings-statements/2024/01/s/",
            sections=[SectionDraft("", True, 1, clauses)],
        )

    def test_tag_draft_records_the_rule_that_made_each_party_speak(self):
        draft = tag_draft(self.draft("Japan welcomed the plan.", "We agree."), [], [], PartyVocabulary.default())
        assert [clause.parties for clause in draft.clauses()] == [
            {"jp": "attribution: subject of a verb of saying or committing"},
            {"us": "attribution: first person of the authors", "jp": "attribution: first person of the authors"},
        ]

    def test_one_party_aliases_add_to_the_attribution_and_every_party_aliases_do_not(self):
        aliases = [
            Rule("party-alias:tanaka", "jp", compile_pattern("keywords", "Tanaka")),
            Rule("party-alias:the Parties", ALL_PARTIES, compile_pattern("keywords", "the Parties")),
        ]
        draft = tag_draft(
            self.draft("Tanaka visited.", "The Conference of the Parties met."), [], aliases, PartyVocabulary.default()
        )
        assert [clause.parties for clause in draft.clauses()] == [{"jp": "party-alias:tanaka"}, {}]

    def test_without_a_vocabulary_the_aliases_alone(self):
        aliases = [Rule("party-alias:the Parties", ALL_PARTIES, compile_pattern("keywords", "the Parties"))]
        draft = tag_draft(self.draft("The Parties agreed."), [], aliases)
        assert draft.clauses()[0].parties == {"us": "party-alias:the Parties", "jp": "party-alias:the Parties"}


def test_attribute_clauses_names_the_rule():
    found = attribute_clauses(joint(), ["Japan welcomed the plan.", "We agree."])
    assert found[0] == {"jp": "subject of a verb of saying or committing"}
    assert found[1] == {"us": "first person of the authors", "jp": "first person of the authors"}


def test_a_title_naming_two_leaders_teaches_the_one_before_of_the_state():
    """ "President Biden’s Call With Prime Minister Justin Trudeau of Canada": the leader of Canada is Trudeau."""
    from statements.attribution.actors import Leaders, learn_leaders

    leaders = Leaders("us")
    learn_leaders(
        leaders,
        PartyVocabulary.default(),
        "Readout of President Biden’s Call With Prime Minister Justin Trudeau of Canada",
    )
    assert leaders.resolve("Prime Minister", "Trudeau", False) == "ca"
    assert leaders.resolve("President", "Biden", False) != "ca"
