"""The party vocabulary (statements/vocabulary/): the records built from pycountry and the curated data, and the
matcher, on sentences from the White House corpus and on the traps real statements set. No database."""

import copy
import datetime

import pycountry
import pytest

from statements.vocabulary import (
    How,
    Kind,
    PartyRecord,
    PartyVocabulary,
    UNStatus,
    VocabularyError,
    build_records,
)
from statements.vocabulary.records import read_data


@pytest.fixture(scope="module")
def records():
    return {record.code: record for record in build_records()}


@pytest.fixture(scope="module")
def vocabulary():
    return PartyVocabulary.default()


def found(vocabulary, text):
    """(code, matched text, how) for every mention; and every span indexes the text it reports."""
    mentions = vocabulary.mentions(text)
    assert all(text[m.start : m.end] == m.text for m in mentions)
    return [(m.code, m.text, m.how) for m in mentions]


# The records


def test_every_un_member_and_observer_state_is_a_party_keyed_by_its_iso_code(records):
    states = [r for r in records.values() if r.kind == Kind.STATE]
    members = {r.code for r in states if r.un_status == UNStatus.MEMBER}
    assert len(members) == 193
    assert {r.code for r in states if r.un_status == UNStatus.OBSERVER} == {"va", "ps"}
    assert {r.code for r in states if r.un_status == UNStatus.NONE} == {"tw", "xk", "ck", "nu"}
    iso = {country.alpha_2.lower() for country in pycountry.countries}
    assert {r.code for r in states} - iso == {"xk"}  # Kosovo's user-assigned code
    assert {"ss", "us", "cn", "by", "kr", "kp", "ge", "td"} <= members
    assert "hk" not in records and "pr" not in records  # territories are not parties


def test_the_seed_parties_keep_their_codes_and_names(records):
    assert (records["cn"].name, records["cn"].short_name) == ("People’s Republic of China", "China")
    assert (records["by"].name, records["by"].short_name) == ("Republic of Belarus", "Belarus")


@pytest.mark.parametrize(
    ("code", "name", "short_name", "aliases", "demonyms"),
    [
        ("kr", "Republic of Korea", "South Korea", {"ROK", "Korea"}, {"South Korean"}),
        ("kp", "Democratic People’s Republic of Korea", "North Korea", {"DPRK"}, {"North Korean"}),
        ("us", "United States of America", "United States", {"U.S.", "US", "USA", "America"}, {"American"}),
        (
            "gb",
            "United Kingdom of Great Britain and Northern Ireland",
            "United Kingdom",
            {"UK", "Britain"},
            {"British"},
        ),
        ("tr", "Republic of Türkiye", "Türkiye", {"Turkey"}, {"Turkish"}),
        ("cz", "Czech Republic", "Czechia", set(), {"Czech"}),
        ("ru", "Russian Federation", "Russia", set(), {"Russian"}),
        ("ae", "United Arab Emirates", "United Arab Emirates", {"UAE"}, {"Emirati"}),
        ("ps", "State of Palestine", "Palestine", {"Palestinian Authority"}, {"Palestinian"}),
        ("tw", "Taiwan", "Taiwan", {"Chinese Taipei"}, {"Taiwanese"}),
        ("vn", "Socialist Republic of Viet Nam", "Vietnam", {"Viet Nam"}, {"Vietnamese"}),
    ],
)
def test_official_names_from_pycountry_short_names_readers_expect_and_aliases(
    records, code, name, short_name, aliases, demonyms
):
    record = records[code]
    assert (record.name, record.short_name) == (name, short_name)
    assert aliases <= set(record.aliases)
    assert demonyms <= set(record.demonyms)


def test_nearly_every_state_has_a_demonym(records):
    without = {r.code for r in records.values() if r.kind == Kind.STATE and not r.demonyms}
    # The Congos' is ambiguous; the others' name a region or a neighbour, or the Holy See's is an alias (Vatican).
    assert without == {"cd", "cg", "cf", "dm", "va"}
    assert all(records[code].note for code in without)


def test_groups_and_organisations_have_their_formal_members(records, vocabulary):
    assert records["g7"].kind == Kind.GROUP and records["nato"].kind == Kind.ORGANISATION
    assert set(vocabulary.members("g7")) == {"ca", "fr", "de", "it", "jp", "gb", "us"}  # not the EU
    assert set(vocabulary.members("quad")) == {"au", "in", "jp", "us"}
    assert set(vocabulary.members("aukus")) == {"au", "gb", "us"}
    assert {"eu", "african-union"} <= set(vocabulary.members("g20"))


def test_members_on_a_date_follow_who_joined_and_left(vocabulary):
    assert "african-union" not in vocabulary.members("g20", on=datetime.date(2023, 9, 8))
    assert "african-union" in vocabulary.members("g20", on=datetime.date(2023, 9, 9))
    assert {"fi", "se"}.isdisjoint(vocabulary.members("nato", on=datetime.date(2022, 6, 1)))
    assert "fi" in vocabulary.members("nato", on=datetime.date(2023, 6, 1))
    assert "se" not in vocabulary.members("nato", on=datetime.date(2023, 6, 1))
    assert "gb" in vocabulary.members("eu", on=datetime.date(2019, 1, 1))
    assert "gb" not in vocabulary.members("eu", on=datetime.date(2021, 1, 1))
    assert len(vocabulary.members("eu", on=datetime.date(2024, 1, 1))) == 27


def test_organisation_codes_never_look_like_a_state_code(records):
    for record in records.values():
        if record.kind != Kind.STATE and record.code not in ("eu", "un"):
            assert not (len(record.code) == 2 and record.code.isalpha()), record.code


def data_files():
    return {name: copy.deepcopy(read_data(f"{name}.yaml")) for name in ("states", "organisations", "matching")}


def test_a_name_given_to_two_parties_is_refused():
    data = data_files()
    data["states"]["states"]["at"] = {"demonyms": ["Australian"]}
    with pytest.raises(VocabularyError, match=r"'Australian' names both (au and at|at and au)"):
        build_records(**data)


def test_a_name_listed_twice_for_one_party_is_refused():
    data = data_files()
    data["states"]["states"]["va"]["demonyms"] = ["Vatican"]  # already an alias
    with pytest.raises(VocabularyError, match="va: 'Vatican' is listed twice"):
        build_records(**data)


def test_a_member_that_is_not_a_party_is_refused():
    data = data_files()
    data["organisations"]["quad"]["members"].append("zz")
    with pytest.raises(VocabularyError, match="quad: member 'zz' is not a party"):
        build_records(**data)


def test_a_state_pycountry_does_not_know_needs_its_names():
    data = data_files()
    data["states"]["states"]["xx"] = {"demonyms": ["Xish"]}
    with pytest.raises(VocabularyError, match="xx: pycountry does not know it"):
        build_records(**data)


# The matcher, on sentences from the corpus


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We have convened to reaffirm our commitment to quadrilateral cooperation between Australia, India, Japan,"
            " and the United States.",
            [
                ("au", "Australia", How.SHORT),
                ("in", "India", How.SHORT),
                ("jp", "Japan", How.SHORT),
                ("us", "United States", How.SHORT),
            ],
        ),
        (
            "We, the Leaders of the Group of Seven, met together in Cornwall, United Kingdom on 11-13 June 2021 at a"
            " critical juncture for our people and planet.",
            [("g7", "Group of Seven", How.OFFICIAL), ("gb", "United Kingdom", How.SHORT)],
        ),
        (
            "The United States restated its unwavering support for Japan’s defense under the U.S.-Japan Treaty of"
            " Mutual Cooperation and Security, using its full range of capabilities, including nuclear.",
            [
                ("us", "United States", How.SHORT),
                ("jp", "Japan", How.SHORT),
                ("us", "U.S.", How.ALIAS),
                ("jp", "Japan", How.SHORT),
            ],
        ),
        (
            "The United States and the ROK are among each other’s largest trading and investment partners, and these"
            " strong economic ties, particularly the U.S.- Korea Free Trade Agreement (KORUS FTA), are a bedrock.",
            [
                ("us", "United States", How.SHORT),
                ("kr", "ROK", How.ALIAS),
                ("us", "U.S.", How.ALIAS),
                ("kr", "Korea", How.ALIAS),
            ],
        ),
        (
            "The representative from the Chinese side for this meeting was He Lifeng, Vice Premier of the State"
            " Council, and the representatives from the U.S. side were Scott Bessent, Secretary of Treasury, and"
            " Jamieson Greer, United States Trade Representative.",
            [("cn", "Chinese side", How.SIDE), ("us", "U.S. side", How.SIDE), ("us", "United States", How.SHORT)],
        ),
        (
            "President Biden offered his personal condolences to President Sheikh Mohamed bin Zayed and all Emiratis"
            " on the loss of His Highness Sheikh Khalifa bin Zayed al Nahyan.",
            [("ae", "Emiratis", How.DEMONYM)],
        ),
        (
            "Export-Import Bank, and the United States Agency for International Development (USAID) to support"
            " infrastructure across PGI priorities.",
            [("us", "United States", How.SHORT)],  # the agency's name names the state, once
        ),
        (
            "We are even stronger through our collaboration at and with the United Nations and other international"
            " organizations, alliances, and groups, including the G7, G20, the Five Eyes, and the Organization of"
            " American States.",
            [
                ("un", "United Nations", How.OFFICIAL),
                ("g7", "G7", How.SHORT),
                ("g20", "G20", How.SHORT),
                ("five-eyes", "Five Eyes", How.SHORT),
                ("oas", "Organization of American States", How.OFFICIAL),
            ],
        ),
        (
            "In this respect, we are concerned about the activities of the Kremlin-backed Wagner Group’s and other"
            " emerging Russia-backed forces, which are having a destabilizing impact.",
            [("ru", "Kremlin", How.ALIAS), ("ru", "Russia", How.SHORT)],
        ),
    ],
)
def test_mentions_in_corpus_sentences(vocabulary, text, expected):
    assert found(vocabulary, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Longest match wins: Guinea inside Papua New Guinea, Equatorial Guinea, Guinea-Bissau.
        (
            "We, Angola, Argentina, Brazil, Canada, Costa Rica, Côte d’Ivoire, Equatorial Guinea, Ghana, Guinea-Bissau,"
            " Ireland",
            ["ao", "ar", "br", "ca", "cr", "ci", "gq", "gh", "gw", "ie"],
        ),
        (
            "with over 2.5 million subscribers in Papua New Guinea, Fiji, Vanuatu, Samoa, Tonga and Nauru.",
            ["pg", "fj", "vu", "ws", "to", "nr"],
        ),
        (
            "Guinea, Niger, Nigeria, Nigerien, Nigerian, Dominica, the Dominican Republic, Dominican",
            ["gn", "ne", "ng", "ne", "ng", "dm", "do", "do"],
        ),
        # Sudan and South Sudan; "the Democratic Republic of Congo" (no "the" before Congo).
        (
            "President Biden appreciates Kenya for engaging in multiple efforts to de-escalate conflicts in South"
            " Sudan, Sudan, the Democratic Republic of Congo, as well as between Somalia and Ethiopia.",
            ["ke", "ss", "sd", "cd", "so", "et"],
        ),
        # Congo alone may be either Congo: no party.
        ("refugees crossing into the Congo and Congolese forces", []),
        ("the Republic of the Congo and the DRC", ["cg", "cd"]),
        # Places and seas that carry a state's name are not the state.
        (
            "They together affirmed the necessity of complete denuclearization of the Korean Peninsula, and the early"
            " resolution of the abductions issue.",
            [],
        ),
        ("We underscore the importance of peace and stability across the Taiwan Strait.", []),
        ("freedom of navigation in the South China Sea and the East China Sea", []),
        (
            "maritime security objectives in the Gulf of Oman and North Arabian Sea, the Indian Ocean, Latin American"
            " and Central American partners, Mexico City, Hong Kong, American Samoa and Northern Ireland",
            [],
        ),
        ("With Colombia’s announcement to allocate US$200 million", ["co"]),
        ("Chinese Taipei and China", ["tw", "cn"]),
        ("Türkiye, Turkey, Turkiye, Czechia and the Czech Republic", ["tr", "tr", "tr", "cz", "cz"]),
    ],
)
def test_traps(vocabulary, text, expected):
    assert [code for code, _, _ in found(vocabulary, text)] == expected


def test_georgia_the_state_and_georgia_the_us_state(vocabulary):
    text = (
        "Story, of Buena Vista, Georgia, killed during the Korean War and missing for 73 years, has been accounted for."
    )
    assert found(vocabulary, text) == []
    assert found(vocabulary, "We remain fully committed to supporting Georgia’s territorial integrity.") == [
        ("ge", "Georgia", How.SHORT)
    ]
    assert [code for code, _, _ in found(vocabulary, "Ukraine, Moldova, Armenia, Georgia and Azerbaijan")] == [
        "ua", "md", "am", "ge", "az"
    ]  # fmt: skip


def test_possessives_curly_apostrophes_non_breaking_spaces_and_dashes(vocabulary):
    assert found(vocabulary, "Quad Leaders’ Joint Statement: “The Spirit of the\u00a0Quad”") == [
        ("quad", "Quad", How.SHORT),
        ("quad", "Quad", How.SHORT),
    ]
    assert found(vocabulary, "the United\u00a0States’ and Japan's and Cote d'Ivoire’s") == [
        ("us", "United\u00a0States", How.SHORT),
        ("jp", "Japan", How.SHORT),
        ("ci", "Cote d'Ivoire", How.ALIAS),
    ]
    assert found(vocabulary, "U.S.-ROK, U.S.–Japan, Japan-U.S., ASEAN-U.S. and U.S-EU") == [
        ("us", "U.S.", How.ALIAS), ("kr", "ROK", How.ALIAS), ("us", "U.S.", How.ALIAS), ("jp", "Japan", How.SHORT),
        ("jp", "Japan", How.SHORT), ("us", "U.S.", How.ALIAS), ("asean", "ASEAN", How.SHORT),
        ("us", "U.S.", How.ALIAS), ("us", "U.S", How.ALIAS), ("eu", "EU", How.SHORT),
    ]  # fmt: skip
    assert found(vocabulary, "the\nPeople’s Republic\nof China") == [
        ("cn", "People’s Republic\nof China", How.OFFICIAL)
    ]


def test_matching_is_case_sensitive_but_reads_capitals(vocabulary):
    assert found(vocabulary, "Join us in china and turkey.") == []
    assert found(vocabulary, "U.S. – JAPAN GLOBAL PARTNERSHIP FOR A NEW ERA; THE UNITED STATES") == [
        ("us", "U.S.", How.ALIAS),
        ("jp", "JAPAN", How.SHORT),
        ("us", "UNITED STATES", How.SHORT),
    ]


def test_demonyms_and_their_plurals(vocabulary):
    text = "Afghans, Israelis and Palestinians, Filipino workers, South Korean and North Korean officials, the Chinese"
    assert found(vocabulary, text) == [
        ("af", "Afghans", How.DEMONYM), ("il", "Israelis", How.DEMONYM), ("ps", "Palestinians", How.DEMONYM),
        ("ph", "Filipino", How.DEMONYM), ("kr", "South Korean", How.DEMONYM), ("kp", "North Korean", How.DEMONYM),
        ("cn", "Chinese", How.DEMONYM),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "code", "matched", "leader"),
    [
        ("Biden spoke this afternoon with President Recep Tayyip Erdogan of Türkiye.", "tr",
         "President Recep Tayyip Erdogan of Türkiye", "President Recep Tayyip Erdogan"),
        ("a call with His Majesty King Abdullah II of the Hashemite Kingdom of Jordan", "jo",
         "His Majesty King Abdullah II of the Hashemite Kingdom of Jordan", "His Majesty King Abdullah II"),
        ("with Secretary General Jens Stoltenberg of the North Atlantic Treaty Organization.", "nato",
         "Secretary General Jens Stoltenberg of the North Atlantic Treaty Organization",
         "Secretary General Jens Stoltenberg"),
        ("met Crown Prince and Prime Minister Mohammed bin Salman of Saudi Arabia", "sa",
         "Prime Minister Mohammed bin Salman of Saudi Arabia", "Prime Minister Mohammed bin Salman"),
        ("a joint statement by the President of France Emmanuel Macron, and", "fr",
         "President of France Emmanuel Macron", "President Emmanuel Macron"),
        ("with the President of the European Commission Ursula von der Leyen.", "eu",
         "President of the European Commission Ursula von der Leyen", "President Ursula von der Leyen"),
        ("Minister for Foreign Affairs of Australia Penny Wong said", "au",
         "Minister for Foreign Affairs of Australia Penny Wong", "Minister for Foreign Affairs Penny Wong"),
        ("spoke with the President of Finland Sauli Niinistö. They discussed", "fi",
         "President of Finland Sauli Niinistö", "President Sauli Niinistö"),
        ("and the prime minister of Japan", "jp", "prime minister of Japan", "prime minister"),
    ],
)  # fmt: skip
def test_a_leaders_title_with_of_party(vocabulary, text, code, matched, leader):
    (mention,) = [m for m in vocabulary.mentions(text) if m.how == How.LEADER]
    assert (mention.code, mention.text, mention.leader) == (code, matched, leader)


def test_two_leaders_in_one_sentence_stay_two(vocabulary):
    text = "President of Guatemala Alejandro Giammattei and Vice President of the United States Kamala Harris met."
    assert [(m.code, m.leader) for m in vocabulary.mentions(text)] == [
        ("gt", "President Alejandro Giammattei"),
        ("us", "Vice President Kamala Harris"),
    ]


def test_a_demonym_after_of_is_not_a_leaders_state(vocabulary):
    text = "the Secretary of the Russian Security Council Nikolay Patrushev"
    assert found(vocabulary, text) == [("ru", "Russian", How.DEMONYM)]


def test_codes_lists_each_party_once_in_order(vocabulary):
    assert vocabulary.codes("Japan, the U.S., Japan’s and the United States of America, and the EU") == [
        "jp",
        "us",
        "eu",
    ]


def test_a_vocabulary_from_records_matches_their_names_only():
    vocabulary = PartyVocabulary.from_records(
        [
            PartyRecord("xa", Kind.STATE, "Republic of Xanadu", "Xanadu", aliases=("ROX",), demonyms=("Xanaduan",)),
            PartyRecord("xb", Kind.STATE, "Xanadu Minor", "Little Xanadu", aliases=("ROX",)),
        ]
    )
    text = "The Republic of Xanadu and Xanaduans, ROX, Little Xanadu and China"
    assert found(vocabulary, text) == [
        ("xa", "Republic of Xanadu", How.OFFICIAL),
        ("xa", "Xanaduans", How.DEMONYM),
        ("xb", "Little Xanadu", How.SHORT),  # ROX names both: neither
    ]
