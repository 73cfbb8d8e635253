"""How fast speaker attribution runs over the whole corpus: statements.attribution.attribute_document.

    .venv/bin/python bench/attribution.py [--rounds 5]

The corpus is the seed (fixtures/corpus.json: its documents' clauses in order) and the shipped statements
(fixtures/sources/whitehouse/, read by the importer's Markdown reader), about 3,400 clauses. Reading is done
once, outside the timing; each round attributes every document (vocabulary compiled before). Prints, for the
best and the median of ``--rounds`` passes, clauses per CPU-second of this process (the machine is shared:
wall-clock time would count other processes' turns), and in the same run a reference: the party vocabulary's
mention pass alone over the same clauses (the matcher attribution builds on), so the ratio says what the rules
cost beyond finding names. Figures, not a test: nothing passes or fails.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def seed_documents():
    """(DocumentContext fields, clause texts) of the seed corpus's documents, clauses in reading order."""
    objects = json.loads((ROOT / "fixtures" / "corpus.json").read_text(encoding="utf-8"))
    documents = {o["fields"]["slug"]: o["fields"] for o in objects if o["model"] == "statements.document"}
    clauses = {}
    for o in objects:
        if o["model"] == "statements.clause":
            clauses.setdefault(o["fields"]["document"][0], []).append((o["fields"]["position"], o["fields"]["text"]))
    for slug, fields in documents.items():
        yield fields, [text for _, text in sorted(clauses.get(slug, []))]


def corpus(vocabulary):
    """[(DocumentContext, clause texts)] of the seed and the shipped statements."""
    from statements.attribution import DocumentContext
    from statements.importing.markdown import read_markdown
    from statements.importing.sources import source_files
    from statements.importing.tagging import draft_context

    documents = []
    for fields, texts in seed_documents():
        context = DocumentContext(
            title=fields["title"],
            kind=fields["kind"],
            parties=tuple(code for (code,) in fields["parties"]),
            date=datetime.date.fromisoformat(fields["date"]),
            vocabulary=vocabulary,
        )
        documents.append((context, texts))
    for path in source_files([ROOT / "fixtures" / "sources" / "whitehouse"]):
        draft = read_markdown(path.read_bytes(), find_parties=vocabulary.codes).draft
        texts = [clause.text for clause in draft.clauses() if not clause.eid.startswith("note_")]
        documents.append((draft_context(draft, vocabulary), texts))
    return documents


def timed(function, rounds):
    """(best, median) of ``rounds`` runs, in CPU seconds of this process: the machine is shared, and wall-clock
    time would count other processes' turns."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds

    import django

    django.setup()
    from statements.attribution import attribute_document
    from statements.vocabulary import PartyVocabulary

    vocabulary = PartyVocabulary.default()
    documents = corpus(vocabulary)
    clauses = sum(len(texts) for _, texts in documents)
    load = os.getloadavg()[0]
    print(f"{len(documents)} documents, {clauses} clauses; best and median of {rounds} rounds; load {load:.1f}")

    def attribute():
        for context, texts in documents:
            attribute_document(context, texts)

    def mentions():
        for _, texts in documents:
            for text in texts:
                vocabulary.mentions(text)

    best, median = timed(attribute, rounds)
    reference = timed(mentions, rounds)
    for label, (fastest, middle) in (("attribution", (best, median)), ("mentions alone", reference)):
        print(f"{label:<16} {clauses / fastest:>9,.0f} clauses per CPU-second best, {clauses / middle:>9,.0f} median")
    print(f"attribution costs {best / reference[0]:.1f}x the vocabulary's mention pass")


if __name__ == "__main__":
    main()
