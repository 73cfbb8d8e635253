"""A realistic synthetic corpus, for measuring the API at scale (``manage.py generate_corpus``).

The real corpus (fixtures/corpus.json) is the model: an order-2 word Markov chain over its clauses
writes new sentences with its vocabulary and word frequencies; each synthetic clause copies the topic
and party links of a real clause (its "template") and is written from sentences that start as that
template's sentences do, so topics and words stay correlated as they are in the real text. Documents
are between China and one of several partners (the partner's names replace Belarus's in the text),
of the real kinds, dated over three decades, with sections every dozen clauses or so.

Everything is drawn from one ``random.Random(seed)``: the same seed gives the same corpus. Synthetic
documents are recognisable by their slug prefix and publisher, and nothing here touches other rows.
"""

import datetime
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from statements.similarity import SHINGLE_WORDS, WORD, sampled_shingles

SLUG_PREFIX = "synthetic-"
PUBLISHER = "Synthetic corpus (manage.py generate_corpus): not a real statement"
RULE = "generate_corpus"
# Fixed timestamps keep the corpus identical for a seed.
CREATED_AT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
FIRST_DATE = datetime.date(1994, 1, 1)
LAST_DATE = datetime.date(2025, 12, 31)
SENTENCES_PER_TEMPLATE = 160
MAX_SENTENCE_WORDS = 70

# China's partners: (code, full name, short name, adjective, capital, leader). Belarus is the real corpus's.
PARTNERS = [
    ("by", "Republic of Belarus", "Belarus", "Belarusian", "Minsk", "Alexander Lukashenko"),
    ("kz", "Republic of Kazakhstan", "Kazakhstan", "Kazakh", "Astana", "Kassym-Jomart Tokayev"),
    ("uz", "Republic of Uzbekistan", "Uzbekistan", "Uzbek", "Tashkent", "Shavkat Mirziyoyev"),
    ("rs", "Republic of Serbia", "Serbia", "Serbian", "Belgrade", "Aleksandar Vučić"),
    ("hu", "Hungary", "Hungary", "Hungarian", "Budapest", "Viktor Orbán"),
    ("pk", "Islamic Republic of Pakistan", "Pakistan", "Pakistani", "Islamabad", "Asif Ali Zardari"),
    ("vn", "Socialist Republic of Viet Nam", "Viet Nam", "Vietnamese", "Hanoi", "To Lam"),
    ("br", "Federative Republic of Brazil", "Brazil", "Brazilian", "Brasília", "Luiz Inácio Lula da Silva"),
]
CHINA = ("cn", "People’s Republic of China", "China")
# The long tail of a real vocabulary: places named in a few clauses each (Zipf-distributed, the first most often).
VENUES = [
    "Beijing",
    "Shanghai",
    "Minsk",
    "Astana",
    "Tashkent",
    "Belgrade",
    "Budapest",
    "Islamabad",
    "Hanoi",
    "Brasília",
    "Guangzhou",
    "Shenzhen",
    "Chengdu",
    "Wuhan",
    "Xi’an",
    "Hangzhou",
    "Nanjing",
    "Tianjin",
    "Chongqing",
    "Qingdao",
    "Xiamen",
    "Kunming",
    "Harbin",
    "Urumqi",
    "Lanzhou",
    "Samarkand",
    "Bukhara",
    "Almaty",
    "Shymkent",
    "Karaganda",
    "Gomel",
    "Brest",
    "Grodno",
    "Vitebsk",
    "Mogilev",
    "Novi-Sad",
    "Niš",
    "Kragujevac",
    "Debrecen",
    "Szeged",
    "Pécs",
    "Győr",
    "Lahore",
    "Karachi",
    "Peshawar",
    "Quetta",
    "Gwadar",
    "Faisalabad",
    "Haiphong",
    "Danang",
    "Hue",
    "Cantho",
    "Haiphong",
    "São-Paulo",
    "Rio-de-Janeiro",
    "Salvador",
    "Recife",
    "Manaus",
    "Belém",
    "Fortaleza",
    "Khorgos",
    "Aktau",
    "Termez",
    "Navoi",
    "Andijan",
    "Fergana",
    "Namangan",
    "Kashgar",
    "Dunhuang",
    "Zhengzhou",
    "Changsha",
    "Nanning",
    "Hefei",
    "Fuzhou",
    "Jinan",
    "Shenyang",
    "Dalian",
    "Changchun",
    "Hohhot",
    "Yinchuan",
    "Lhasa",
]
VENUE_SENTENCE = "The two sides agreed to hold the next round of consultations in {venue}."
VENUE_SHARE = 0.05

# How often each kind occurs, and the title it gets.
KINDS = {
    "joint_statement": (40, "Joint statement of the People’s Republic of China and the {full}"),
    "readout": (25, "Xi Jinping holds talks with President of {short}"),
    "article": (15, "{short} and China deepen cooperation"),
    "communique": (8, "Joint communiqué of China and {short}"),
    "press_release": (6, "Press release on the visit of the President of {short} to China"),
    "declaration": (4, "Joint declaration of China and {short}"),
    "speech": (2, "Remarks at the China–{short} business forum"),
}


@dataclass
class Model:
    """What the generator learns from the real corpus."""

    templates: list  # (topic slugs, party codes) of each real clause
    sentences: list  # per template: sentences written by the chain from that template's openings
    headings: list
    parties: dict = field(default_factory=dict)


def real_corpus():
    """The curated clauses, their topic and party links and the section headings, read from the fixtures."""
    objects = json.loads((Path(settings.BASE_DIR) / "fixtures" / "corpus.json").read_text(encoding="utf-8"))
    topics, parties = defaultdict(list), defaultdict(list)
    for obj in objects:
        fields = obj["fields"]
        if obj["model"] == "statements.clausetopic":
            topics[tuple(fields["clause"])].append(fields["topic"][0])
        elif obj["model"] == "statements.clauseparty":
            parties[tuple(fields["clause"])].append(fields["party"][0])
    clauses = [
        (obj["fields"]["text"], topics[(obj["fields"]["document"][0], obj["fields"]["eid"])],
         parties[(obj["fields"]["document"][0], obj["fields"]["eid"])])
        for obj in objects
        if obj["model"] == "statements.clause"
    ]  # fmt: skip
    headings = [obj["fields"]["heading"] for obj in objects if obj["model"] == "statements.section"]
    return clauses, [heading for heading in headings if heading]


def split_sentences(text):
    return [sentence for sentence in re.split(r"(?<=[.;:])\s+", " ".join(text.split())) if sentence]


def learn(rng):
    """The Markov chain over the real clauses, and a pool of generated sentences per template clause."""
    clauses, headings = real_corpus()
    chain = defaultdict(list)
    openings = []
    for text, _, _ in clauses:
        starts = []
        for sentence in split_sentences(text):
            words = sentence.split()
            starts.append(tuple(words[:2]))
            padded = ["", "", *words, None]
            for i in range(len(padded) - 2):
                chain[(padded[i], padded[i + 1])].append(padded[i + 2])
        openings.append(starts)
    pools = []
    for starts in openings:
        pool = []
        for _ in range(SENTENCES_PER_TEMPLATE):
            state = rng.choice(starts)
            words = [w for w in state if w]
            while len(words) < MAX_SENTENCE_WORDS:
                following = chain.get(state)
                word = rng.choice(following) if following else None
                if word is None:
                    break
                words.append(word)
                state = (state[1], word)
            sentence = " ".join(words)
            pool.append(sentence if sentence.endswith((".", ";", ":")) else sentence + ".")
        pools.append(pool)
    templates = [(topics, parties) for _, topics, parties in clauses]
    return Model(templates=templates, sentences=pools, headings=headings)


def localise(text, partner):
    """Belarus's names in a sentence replaced by the partner's (the real corpus is about Belarus)."""
    code, full, short, adjective, capital, leader = partner
    if code == "by":
        return text
    text = re.sub(r"\bBelarus+ian\b", adjective, text)  # the source spells it Belarusian and Belarussian
    for old, new in (
        ("Republic of Belarus", full),
        ("Belarus", short),
        ("Minsk", capital),
        ("Alexander Lukashenko", leader),
        ("Lukashenko", leader.split()[-1]),
    ):
        text = text.replace(old, new)
    return text


@dataclass
class Batch:
    """The rows of a run of documents, ready to write: plain tuples in the tables' column order."""

    documents: list = field(default_factory=list)
    document_parties: list = field(default_factory=list)
    signatories: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    clauses: list = field(default_factory=list)
    clause_topics: list = field(default_factory=list)
    clause_parties: list = field(default_factory=list)
    clause_shingles: list = field(default_factory=list)  # (hash, clause, document): statements_clauseshingle's rows


class Generator:
    """Yields batches of rows for ``clauses`` synthetic clauses; ids start after the given ones."""

    def __init__(self, seed, topic_ids, party_ids, first_ids, first_number):
        self.rng = random.Random(seed)
        self.model = learn(self.rng)
        self.topic_ids = topic_ids  # slug -> id
        self.party_ids = party_ids  # code -> id
        self.next_id = dict(first_ids)  # table -> next id
        self.first_number = self.number = first_number
        pools = self.model.sentences
        self.pools = {partner[0]: [[localise(s, partner) for s in pool] for pool in pools] for partner in PARTNERS}
        self.kinds = list(KINDS)
        self.kind_weights = [KINDS[kind][0] for kind in self.kinds]
        self.days = (LAST_DATE - FIRST_DATE).days
        self.venues = [venue.replace("-", " ") for venue in dict.fromkeys(VENUES)]
        self.venue_weights = [1 / rank**1.5 for rank in range(1, len(self.venues) + 1)]
        self.sentence_shingles = {}  # sentence -> (its words, its own sampled shingles)

    def take_id(self, table):
        value = self.next_id[table]
        self.next_id[table] += 1
        return value

    def document_size(self):
        # Real documents run from a handful of paragraphs to several hundred; most are short.
        return max(3, min(600, int(self.rng.lognormvariate(5.0, 0.8))))

    def batches(self, clauses, batch_clauses=20_000):
        """Batches of whole documents, about ``batch_clauses`` clauses each, ``clauses`` in all."""
        remaining = clauses
        batch = Batch()
        while remaining > 0:
            size = min(self.document_size(), remaining)
            self.add_document(batch, size)
            remaining -= size
            if len(batch.clauses) >= batch_clauses:
                yield batch
                batch = Batch()
        if batch.documents:
            yield batch

    def add_document(self, batch, size):
        rng = self.rng
        self.number += 1
        partner = PARTNERS[rng.randrange(len(PARTNERS))]
        code, full, short = partner[0], partner[1], partner[2]
        kind = rng.choices(self.kinds, self.kind_weights)[0]
        date = FIRST_DATE + datetime.timedelta(days=rng.randrange(self.days))
        slug = f"{SLUG_PREFIX}{self.number:06d}-{kind.replace('_', '-')}-{code}-{date.year}"
        title = KINDS[kind][1].format(full=full, short=short) + f" ({date:%-d %B %Y})"
        document_id = self.take_id("document")
        batch.documents.append((document_id, slug, title, kind, date, PUBLISHER, CREATED_AT))
        party_map = {"cn": self.party_ids["cn"], "by": self.party_ids[code]}
        for party_id in party_map.values():
            batch.document_parties.append((document_id, party_id))
        if kind in {"joint_statement", "declaration"}:
            batch.signatories.append((document_id, 1, "Xi Jinping", "President of the People’s Republic of China",
                                      party_map["cn"]))  # fmt: skip
            batch.signatories.append((document_id, 2, partner[5], f"President of the {full}", party_map["by"]))
        pools = self.pools[code]
        section_id, section_left, section_number = None, 0, 0
        for position in range(1, size + 1):
            if section_left == 0:
                section_number += 1
                section_id = self.take_id("section")
                heading = rng.choice(self.model.headings) if section_number > 1 else ""
                batch.sections.append((section_id, document_id, section_number, f"sec_{section_number}", heading))
                section_left = rng.randint(6, 20)
            section_left -= 1
            template = rng.randrange(len(pools))
            pool = pools[template]
            sentences = [rng.choice(pool) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
            if rng.random() < VENUE_SHARE:
                venue = rng.choices(self.venues, self.venue_weights)[0]
                sentences.append(VENUE_SENTENCE.format(venue=venue))
            clause_id = self.take_id("clause")
            label = str(position) if kind == "joint_statement" else ""
            text = " ".join(sentences)
            batch.clauses.append((clause_id, document_id, section_id, position, f"para_{position}", label, text))
            batch.clause_shingles += ((value, clause_id, document_id) for value in self.shingles(sentences))
            topics, parties = self.model.templates[template]
            for slug in topics:
                batch.clause_topics.append((clause_id, self.topic_ids[slug]))
            for party in parties:
                batch.clause_parties.append((clause_id, party_map[party]))

    def shingles(self, sentences):
        """similarity.text_shingles(" ".join(sentences)), from each sentence's shingles (computed once per sentence:
        the pools repeat them) and those of the few windows across the joins.
        """
        hashes, tail = set(), []  # tail: the last words before the sentence at hand
        for sentence in sentences:
            if sentence not in self.sentence_shingles:
                words = WORD.findall(sentence.lower())
                self.sentence_shingles[sentence] = words, sampled_shingles(words)
            words, own = self.sentence_shingles[sentence]
            hashes |= own
            if tail:
                hashes |= sampled_shingles(tail + words[: SHINGLE_WORDS - 1])
            tail = (tail + words)[-(SHINGLE_WORDS - 1) :]
        return hashes
