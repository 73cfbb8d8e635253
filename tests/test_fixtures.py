"""The curated corpus against its source text, and the fixtures' own guarantees."""

from pathlib import Path

import pytest
from django.core.management import call_command

from statements.models import Clause, ClauseParty, ClauseTopic, Document, Section, Signatory, Topic

SOURCE = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "china-belarus-state-visit-2023.txt"

ARTICLE = "lukashenko-state-visit-to-china-2023"
READOUT = "mfa-readout-xi-lukashenko-talks-2023-03-01"
JOINT_STATEMENT = "china-belarus-joint-statement-2023-03-02"

# Lines of the source page that are not paragraphs of any document: bylines (kept as document
# metadata), the signature block (kept as signatories) and the page's comment form.
BYLINES = {
    "Ministry of Foreign Affairs of the People’s Republic of China, 1 March 2023",
    "People’s Daily, 2 March 2023",
}
SIGNATURE_BLOCK = [
    "President of the People’s Republic of China",
    "Xi Jinping",
    "President of the Republic of Belarus",
    "Alexander Lukashenko",
]
COMMENT_FORM_START = "One thought on “Alexander Lukashenko’s state visit to China”"


def source_paragraphs():
    return [line for line in SOURCE.read_text(encoding="utf-8").split("\n") if line.strip()]


def source_paragraphs_by_document():
    """The source's paragraphs, split at each document's title (the titles come from the database)."""
    paragraphs = source_paragraphs()
    paragraphs = paragraphs[: paragraphs.index(COMMENT_FORM_START)]
    titles = {d.title: d.slug for d in Document.objects.all()}
    by_document, current = {}, None
    for paragraph in paragraphs:
        if paragraph in titles:
            current = titles[paragraph]
            by_document[current] = []
        elif paragraph not in BYLINES:
            by_document[current].append(paragraph)
    by_document[JOINT_STATEMENT] = by_document[JOINT_STATEMENT][: -len(SIGNATURE_BLOCK)]
    return by_document


def clause_texts(slug):
    return list(Clause.objects.filter(document__slug=slug).order_by("position").values_list("text", flat=True))


@pytest.mark.django_db
class TestCorpusAgainstSource:
    def test_source_is_the_shared_seed_page(self):
        paragraphs = source_paragraphs()
        assert paragraphs[0] == "Alexander Lukashenko’s state visit to China"
        assert paragraphs.index(COMMENT_FORM_START) == len(paragraphs) - 3
        assert paragraphs[-3 - len(SIGNATURE_BLOCK) : -3] == SIGNATURE_BLOCK

    def test_every_document_title_is_in_the_source(self):
        assert set(source_paragraphs_by_document()) == {ARTICLE, READOUT, JOINT_STATEMENT}

    @pytest.mark.parametrize(("slug", "count"), [(ARTICLE, 7), (READOUT, 11), (JOINT_STATEMENT, 43)])
    def test_clauses_are_the_source_paragraphs_verbatim_in_order(self, slug, count):
        expected = source_paragraphs_by_document()[slug]
        assert len(expected) == count
        assert clause_texts(slug) == expected

    def test_clause_text_is_byte_identical(self):
        source = SOURCE.read_bytes()
        for text in Clause.objects.values_list("text", flat=True):
            assert text.encode("utf-8") in source

    def test_no_paragraph_dropped_or_duplicated(self):
        all_texts = list(Clause.objects.values_list("text", flat=True))
        assert len(all_texts) == 61
        body = [p for paragraphs in source_paragraphs_by_document().values() for p in paragraphs]
        assert sorted(all_texts) == sorted(body)

    def test_signature_block_becomes_ordered_signatories(self):
        signatories = Signatory.objects.filter(document__slug=JOINT_STATEMENT).order_by("position")
        assert [(s.office, s.name, s.party.code) for s in signatories] == [
            (SIGNATURE_BLOCK[0], SIGNATURE_BLOCK[1], "cn"),
            (SIGNATURE_BLOCK[2], SIGNATURE_BLOCK[3], "by"),
        ]

    def test_joint_statement_is_a_marked_translation(self):
        statement = Document.objects.get(slug=JOINT_STATEMENT)
        assert statement.is_translation
        assert statement.original_language == "zh"
        assert "machine translation" in statement.translation_note
        assert "People’s Daily" in statement.translation_note


@pytest.mark.django_db
class TestCorpusStructure:
    def test_positions_are_contiguous_from_one(self):
        for document in Document.objects.all():
            positions = list(document.clauses.order_by("position").values_list("position", flat=True))
            assert positions == list(range(1, len(positions) + 1)), document.slug

    def test_eids_follow_positions_as_published(self):
        for clause in Clause.objects.all():
            assert clause.eid == f"para_{clause.position}"

    def test_sections_hold_consecutive_clauses(self):
        for document in Document.objects.all():
            seen = [c.section.position for c in document.clauses.select_related("section").order_by("position")]
            assert seen == sorted(seen), document.slug

    def test_joint_statement_sections_have_editorial_headings(self):
        sections = Section.objects.filter(document__slug=JOINT_STATEMENT).order_by("position")
        headings = [s.heading for s in sections]
        assert headings[0] == "Preamble" and headings[-1] == "Closing"
        assert len(headings) >= 5
        assert all(s.heading_is_editorial for s in sections)

    def test_single_section_documents_invent_no_heading(self):
        for slug in (ARTICLE, READOUT):
            (section,) = Section.objects.filter(document__slug=slug)
            assert section.heading == "" and not section.heading_is_editorial

    def test_every_clause_has_a_topic(self):
        assert not Clause.objects.filter(topics__isnull=True).exists()

    def test_taxonomy_is_the_vocabulary_a_two_level_tree(self):
        # issue 17: 20-30 top-level topics, at most ~200 in all (fixtures/vocabulary/topics.yaml)
        assert 20 <= Topic.objects.filter(parent=None).count() <= 30
        assert Topic.objects.count() <= 200
        assert not Topic.objects.filter(parent__parent__isnull=False).exists()
        assert not Topic.objects.filter(cap_code__isnull=True).exists()
        for slug in ("ukraine-crisis", "taiwan", "food-security", "artificial-intelligence", "migration", "finance"):
            assert Topic.objects.filter(slug=slug).exists(), slug

    def test_every_document_has_parties(self):
        for document in Document.objects.all():
            assert set(document.parties.values_list("code", flat=True)) == {"cn", "by"}

    def test_speakers_are_attributed(self):
        def parties(slug, eid):
            return set(Clause.objects.get(document__slug=slug, eid=eid).parties.values_list("code", flat=True))

        assert parties(READOUT, "para_2") == {"cn"}  # "Xi Jinping pointed out ..."
        assert parties(READOUT, "para_5") == {"by"}  # "... Lukashenko expressed ..."
        assert parties(READOUT, "para_6") == {"cn", "by"}  # Ukraine: both presidents speak
        assert parties(READOUT, "para_9") == set()  # the welcoming ceremony: narrative
        assert parties(JOINT_STATEMENT, "para_3") == {"by"}  # "Belarus warmly congratulates ..."
        assert parties(JOINT_STATEMENT, "para_4") == {"cn"}  # "China highly values ..."
        assert parties(JOINT_STATEMENT, "para_39") == {"cn", "by"}  # "The two sides ..."

    def test_every_readout_and_statement_clause_with_a_speaker_is_attributed(self):
        narrative = {(READOUT, f"para_{n}") for n in (1, 8, 9, 10, 11)} | {(JOINT_STATEMENT, "para_1")}
        for clause in Clause.objects.filter(document__slug__in=[READOUT, JOINT_STATEMENT]).select_related("document"):
            has_parties = clause.parties.exists()
            assert has_parties != ((clause.document.slug, clause.eid) in narrative), clause.citation

    def test_ukraine_clauses_in_all_three_documents(self):
        documents = set(Clause.objects.on_topics(["ukraine-crisis"]).values_list("document__slug", flat=True))
        assert documents == {ARTICLE, READOUT, JOINT_STATEMENT}

    def test_every_link_is_marked_as_a_curators(self):
        assert set(ClauseTopic.objects.values_list("assigned_by", flat=True)) == {"curator"}
        assert set(ClauseParty.objects.values_list("assigned_by", flat=True)) == {"curator"}


def table_snapshot():
    """Every row of every corpus table, as comparable values."""
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (Document, Section, Clause, Signatory, Topic, ClauseTopic, ClauseParty)
    }


@pytest.mark.django_db
def test_loaddata_twice_leaves_the_same_rows():
    before = table_snapshot()
    call_command("loaddata", "taxonomy", "corpus", verbosity=0)
    call_command("loaddata", "taxonomy", "corpus", verbosity=0)
    assert table_snapshot() == before


@pytest.mark.django_db
def test_a_failing_fixture_load_changes_nothing(tmp_path):
    before = table_snapshot()
    broken = tmp_path / "broken.json"
    broken.write_text(
        '[{"model": "statements.topic", "fields": {"slug": "brand-new", "name": "New", "parent": null}},'
        ' {"model": "statements.clause", "fields": {"document": ["no-such-document"], "section": ["x", "sec_1"],'
        ' "position": 1, "eid": "para_1", "text": "x"}}]',
        encoding="utf-8",
    )
    with pytest.raises(Exception):  # noqa: B017 - Django raises DeserializationError wrapping the lookup failure
        call_command("loaddata", str(broken), verbosity=0)
    assert table_snapshot() == before
    assert not Topic.objects.filter(slug="brand-new").exists()
