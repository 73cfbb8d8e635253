"""The topic vocabulary, the seed's mapping to it and the gold set: their shape and their references.

Data files only (no database): fixtures/vocabulary/*.yaml and fixtures/gold/*.json, as
docs/topic-vocabulary.md and docs/annotation-guidelines.md describe them.
"""

import functools
import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from statements.models import DocumentKind
from statements.vocabulary import PartyVocabulary

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VOCABULARY = FIXTURES / "vocabulary" / "topics.yaml"
SEED_MAPPING = FIXTURES / "vocabulary" / "seed-topic-mapping.yaml"
GOLD = FIXTURES / "gold"
SOURCES = FIXTURES / "sources" / "whitehouse"
GOLD_FILES = sorted(GOLD.glob("*.json"))

LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^>]*)?/?>")  # <sup>, <u>; not autolinks like <https://...>
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CAP_MAJOR_TOPICS = {
    1: "Macroeconomics",
    2: "Civil Rights",
    3: "Health",
    4: "Agriculture",
    5: "Labor",
    6: "Education",
    7: "Environment",
    8: "Energy",
    9: "Immigration",
    10: "Transportation",
    12: "Law and Crime",
    13: "Social Welfare",
    14: "Housing",
    15: "Domestic Commerce",
    16: "Defense",
    17: "Technology",
    18: "Foreign Trade",
    19: "International Affairs",
    20: "Government Operations",
    21: "Public Lands",
    23: "Culture",
}


@functools.cache
def vocabulary():
    return yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))


@functools.cache
def vocabulary_slugs():
    topics = vocabulary()
    return [t["slug"] for t in topics] + [c["slug"] for t in topics for c in t.get("children", [])]


def is_party_code(code):
    """A code of the party vocabulary (statements/vocabulary/: ISO states, Kosovo, organisations, groups)."""
    return code in PartyVocabulary.default().records


def normalised(text):
    """Letters and digits only, lower case: what evaluation ignores (case, markup, punctuation, white space)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


class TestVocabulary:
    def test_two_levels_of_unique_stable_slugs(self):
        topics = vocabulary()
        slugs = vocabulary_slugs()
        assert len(slugs) == len(set(slugs)), "a slug appears twice"
        assert all(SLUG.fullmatch(slug) for slug in slugs), [s for s in slugs if not SLUG.fullmatch(s)]
        assert 20 <= len(topics) <= 30
        assert len(slugs) <= 200
        for child in (c for t in topics for c in t.get("children", [])):
            assert "children" not in child, f"{child['slug']}: topics have two levels"

    def test_every_topic_has_a_name_and_a_scope_note(self):
        topics = vocabulary()
        for topic in topics + [c for t in topics for c in t.get("children", [])]:
            assert topic.get("name", "").strip(), topic["slug"]
            assert len(topic.get("scope", "").split()) >= 5, f"{topic['slug']}: scope note missing or too short"

    def test_every_top_level_topic_maps_to_a_cap_major_topic(self):
        for topic in vocabulary():
            cap = topic["cap"]
            assert CAP_MAJOR_TOPICS.get(cap["code"]) == cap["name"], topic["slug"]

    def test_a_childs_own_cap_code_is_a_cap_major_topic(self):
        for child in (c for t in vocabulary() for c in t.get("children", []) if "cap" in c):
            assert CAP_MAJOR_TOPICS.get(child["cap"]["code"]) == child["cap"]["name"], child["slug"]


class TestSeedMapping:
    def seed_topics(self):
        # the seed's vocabulary as fixtures/taxonomy.json held it before issue 17 (kept for the migration's tests)
        seed = json.loads((Path(__file__).parent / "data" / "seed-topic-links.json").read_text(encoding="utf-8"))
        return [slug for slug, _name, _parent in seed["topics"]]

    def test_every_seed_topic_has_a_home_in_the_vocabulary(self):
        mapping = {m["seed"]: m for m in yaml.safe_load(SEED_MAPPING.read_text(encoding="utf-8"))}
        slugs = set(vocabulary_slugs())
        seed = self.seed_topics()
        assert set(mapping) == set(seed)
        for old in seed:
            assert mapping[old]["to"], f"{old} has no home"
            assert set(mapping[old]["to"]) <= slugs, f"{old} maps to {mapping[old]['to']}, not all in topics.yaml"

    def test_a_kept_slug_maps_to_itself(self):
        for m in yaml.safe_load(SEED_MAPPING.read_text(encoding="utf-8")):
            assert bool(m.get("same_slug")) == (m["to"] == [m["seed"]]), m["seed"]


def test_there_is_a_gold_set():
    assert len(GOLD_FILES) >= 40
    assert sum(len(json.loads(p.read_text(encoding="utf-8"))["clauses"]) for p in GOLD_FILES) >= 600


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem[:60])
class TestGoldFile:
    def load(self, path):
        return json.loads(path.read_text(encoding="utf-8"))

    def test_shape(self, path):
        gold = self.load(path)
        assert set(gold) <= {"source", "kind", "parties", "signatories", "clauses", "note"}
        assert gold["source"] == f"whitehouse/{path.stem}.md"
        assert gold["kind"] in DocumentKind.values
        assert gold["parties"] and len(set(gold["parties"])) == len(gold["parties"])
        assert gold["clauses"]
        for signatory in gold.get("signatories", ()):
            assert set(signatory) == {"name", "party"} and signatory["name"].strip() == signatory["name"] != ""
            assert signatory["party"] in gold["parties"]  # a signatory acts for one of the document's parties
        for clause in gold["clauses"]:
            assert set(clause) <= {"text", "speakers", "topics", "note"}
            assert isinstance(clause["text"], str) and clause["text"].strip() == clause["text"] != ""
            assert isinstance(clause["speakers"], list) and len(set(clause["speakers"])) == len(clause["speakers"])
            assert isinstance(clause["topics"], list)
            assert len(set(clause["topics"])) == len(clause["topics"])

    def test_parties_and_speakers_are_party_codes(self, path):
        gold = self.load(path)
        codes = set(gold["parties"]) | {code for clause in gold["clauses"] for code in clause["speakers"]}
        codes |= {signatory["party"] for signatory in gold.get("signatories", ())}
        assert {code for code in codes if not is_party_code(code)} == set()

    def test_topics_are_in_the_vocabulary(self, path):
        slugs = set(vocabulary_slugs())
        used = {topic for clause in self.load(path)["clauses"] for topic in clause["topics"]}
        assert used - slugs == set()

    def test_clauses_are_verbatim_from_the_source(self, path):
        if not SOURCES.is_dir():
            pytest.skip("fixtures/sources/whitehouse/ is not in the project yet (the importer copies the corpus)")
        source = SOURCES / f"{path.stem}.md"
        assert source.is_file(), f"{source.name} is not in fixtures/sources/whitehouse/"
        body = source.read_text(encoding="utf-8").split("\n---", 1)[1]
        body = normalised(HTML_TAG.sub("", LINK_TARGET.sub("]", body)))  # a link reads as its text
        for clause in self.load(path)["clauses"]:
            assert normalised(clause["text"]) in body, clause["text"][:80]
