"""The topic vocabulary as data: fixtures/vocabulary/topics.yaml (the tree, scope notes, CAP codes) and
fixtures/vocabulary/seed-topic-mapping.yaml (where each of the seed's old topics went).

Plain functions over the YAML files, no models: migration 0013 (which carries a database's old links to the new
topics), ``build_topic_fixture`` (fixtures/taxonomy.json) and the tests read the files through them, so there is
one reading of each file.
"""

from dataclasses import dataclass, replace
from pathlib import Path

import yaml

VOCABULARY_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "vocabulary"
TOPICS_FILE = VOCABULARY_DIR / "topics.yaml"
MAPPING_FILE = VOCABULARY_DIR / "seed-topic-mapping.yaml"

# The major topics of the Comparative Agendas Project master codebook (comparativeagendas.net): the code a
# political scientist joins on, and its name. 11 and 11+ are unused in the master codebook.
CAP_MAJOR_TOPICS = [
    (1, "Macroeconomics"),
    (2, "Civil Rights"),
    (3, "Health"),
    (4, "Agriculture"),
    (5, "Labor"),
    (6, "Education"),
    (7, "Environment"),
    (8, "Energy"),
    (9, "Immigration"),
    (10, "Transportation"),
    (12, "Law and Crime"),
    (13, "Social Welfare"),
    (14, "Housing"),
    (15, "Domestic Commerce"),
    (16, "Defense"),
    (17, "Technology"),
    (18, "Foreign Trade"),
    (19, "International Affairs"),
    (20, "Government Operations"),
    (21, "Public Lands"),
    (23, "Culture"),
]


@dataclass(frozen=True)
class TopicRecord:
    """One topic of the vocabulary as the YAML gives it; ``parent`` is a slug or None."""

    slug: str
    name: str
    scope_note: str
    parent: str | None
    position: int
    cap_code: int  # the CAP major topic; the YAML gives a child one only where it differs from its parent's


@dataclass(frozen=True)
class SeedMapping:
    """Where one of the seed's topics went: ``homes`` are new slugs, the first the main one (a redirect's target)."""

    seed: str
    homes: tuple
    same_slug: bool
    note: str


def topic_records(path=TOPICS_FILE):
    """Every topic of ``path``, parents before their children, with positions 1..N among siblings.

    Raises ValueError when the file breaks the vocabulary's shape (a duplicate slug, a CAP code not in the
    codebook or a name that is not the code's, a top-level topic without one, a third level)."""
    codebook = dict(CAP_MAJOR_TOPICS)
    records, seen = [], set()

    def record(entry, parent, position):
        slug = entry["slug"]
        if slug in seen:
            raise ValueError(f"{path}: topic {slug!r} is given twice")
        seen.add(slug)
        cap = entry.get("cap")
        if cap is not None and codebook.get(cap["code"]) != cap["name"]:
            raise ValueError(
                f"{path}: {slug!r} has CAP {cap}, but the codebook's {cap['code']} is {codebook.get(cap['code'])!r}"
            )
        if parent is None and cap is None:
            raise ValueError(f"{path}: top-level topic {slug!r} has no CAP major topic")
        if parent is not None and entry.get("children"):
            raise ValueError(f"{path}: {slug!r} has children, but topics have two levels")
        return TopicRecord(slug, entry["name"], " ".join(entry["scope"].split()), parent, position, cap and cap["code"])

    for position, top in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), start=1):
        parent = record(top, None, position)
        records.append(parent)
        for child_position, child in enumerate(top.get("children") or (), start=1):
            child_record = record(child, top["slug"], child_position)
            records.append(child_record if child_record.cap_code else replace(child_record, cap_code=parent.cap_code))
    return records


def seed_mappings(path=MAPPING_FILE):
    """The seed's topics and their new homes, as the mapping file lists them."""
    return [
        SeedMapping(
            entry["seed"], tuple(entry["to"]), bool(entry.get("same_slug")), " ".join(entry.get("note", "").split())
        )
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


def retired_seed_slugs(mappings, records):
    """The seed's slugs that are no longer topics: {old slug: its homes}. A kept slug (same_slug) is its own home."""
    current = {record.slug for record in records}
    return {mapping.seed: mapping.homes for mapping in mappings if mapping.seed not in current}


RULES_FILE = VOCABULARY_DIR / "topic-rules.yaml"


@dataclass(frozen=True)
class TopicRuleRecord:
    """One topic rule as fixtures/vocabulary/topic-rules.yaml gives it (a TopicRule row)."""

    name: str
    topic: str
    kind: str  # "keywords" or "regex", as statements.models.RuleKind
    pattern: str
    note: str
    needs_support: bool = False  # a match alone is weak evidence (statements.tagging.topics)


def topic_rule_records(path=RULES_FILE, topics=None):
    """The rules of ``path``. A regex is written over several lines for reading: its white space is dropped
    (write ``\\s`` for a space). Raises ValueError for a rule on an unknown topic (``topics``: the known slugs),
    a duplicate name, or a rule with both or neither of keywords and regex."""
    records, names = [], set()
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        name = entry.get("name", entry["topic"])
        if name in names:
            raise ValueError(f"{path}: rule {name!r} is given twice")
        names.add(name)
        if topics is not None and entry["topic"] not in topics:
            raise ValueError(f"{path}: rule {name!r} is on {entry['topic']!r}, which is not a topic")
        if ("keywords" in entry) == ("regex" in entry):
            raise ValueError(f"{path}: rule {name!r} needs keywords or a regex (one of them)")
        if "regex" in entry:
            kind, pattern = "regex", "".join(entry["regex"].split())
        else:
            kind, pattern = (
                "keywords",
                "\n".join(line.strip() for line in entry["keywords"].splitlines() if line.strip()),
            )
        records.append(
            TopicRuleRecord(
                name,
                entry["topic"],
                kind,
                pattern,
                " ".join(entry.get("note", "").split()),
                bool(entry.get("needs_support", False)),
            )
        )
    return records
