"""How fast the party matcher reads a corpus: PartyVocabulary.mentions() over every paragraph.

    .venv/bin/python bench/party_matcher.py [DIR ...] [--rounds 5]

DIR holds Markdown statements (default: fixtures/sources/whitehouse/ if the project has it, else the shared
corpus ../shared/corpus/whitehouse/). Each blank-line-separated block after the YAML front matter is one
clause, its lines joined with a space (about what the importer stores). Prints the vocabulary's size and
compile time, then for the matcher and two references on the same text, in the same run, the best of
``--rounds`` passes: a scan for words (``\\w+``, the floor of any regular-expression pass) and the names as
one plain alternation, longest first (what the trie replaces). Figures, not a test: nothing passes or fails.

With the gold set (fixtures/gold/, issue 17) it also prints how many of each gold document's parties the
matcher finds named in its title and text, groups expanded to their members on the document's date and the
publisher (the United States) added: the recall the importer can build on.
"""

import argparse
import datetime
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from statements.vocabulary import PartyVocabulary, build_records, normalise  # noqa: E402

DEFAULT_DIRS = [ROOT / "fixtures" / "sources" / "whitehouse", ROOT.parent / "shared" / "corpus" / "whitehouse"]


def clauses(directories):
    """Every paragraph of every Markdown file, front matter left out, wrapped lines joined."""
    for directory in directories:
        for path in sorted(Path(directory).glob("*.md")):
            body = path.read_text(encoding="utf-8").split("\n---", 1)[-1]
            for block in re.split(r"\n[ \t\u00a0]*\n", body):
                text = " ".join(block.split())
                if text:
                    yield text


def front_matter_and_body(path):
    """The YAML front matter's title and date, and the body, of a corpus file."""
    import yaml

    _, front, body = path.read_text(encoding="utf-8").split("---", 2)
    meta = yaml.safe_load(front)
    return meta["title"], datetime.date.fromisoformat(str(meta["date"])), body


def gold_document_party_recall(vocabulary, gold_dir, corpus_dir):
    """(found, total) gold document parties among the parties the title and text name (groups expanded)."""
    found = total = 0
    for gold_file in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        title, date, body = front_matter_and_body(Path(corpus_dir) / Path(gold["source"]).name)
        named = {"us", *vocabulary.codes(f"{title}\n{body}")}
        named |= {member for code in list(named) for member in vocabulary.members(code, on=date)}
        total += len(gold["parties"])
        found += len(set(gold["parties"]) & named)
    return found, total


def best_of(rounds, run):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", help="directories of Markdown statements")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    directories = args.dirs or [next(d for d in DEFAULT_DIRS if d.is_dir())]
    texts = list(clauses(directories))
    characters = sum(map(len, texts))

    started = time.perf_counter()
    records = build_records()
    built = time.perf_counter() - started
    started = time.perf_counter()
    vocabulary = PartyVocabulary.from_records(records)
    compiled = time.perf_counter() - started
    forms = sorted(vocabulary._forms, key=len, reverse=True)
    print(f"corpus: {', '.join(map(str, directories))}")
    print(f"{len(texts):,} clauses, {characters:,} characters")
    print(
        f"vocabulary: {len(records)} parties, {len(forms):,} names and variants; built in {built:.2f} s, "
        f"compiled in {compiled:.2f} s"
    )

    words = re.compile(r"\w+")
    alternation = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")
    matcher, mentions = best_of(args.rounds, lambda: [vocabulary.mentions(text) for text in texts])
    floor, _ = best_of(args.rounds, lambda: [sum(1 for _ in words.finditer(text)) for text in texts])
    plain, _ = best_of(1, lambda: [list(alternation.finditer(normalise(text))) for text in texts])
    found = sum(map(len, mentions))
    print(
        f"\nmatcher:            {matcher:.3f} s  {len(texts) / matcher:,.0f} clauses/s  "
        f"{characters / matcher / 1e6:.1f} M characters/s  ({found:,} mentions)"
    )
    print(f"word scan (floor):  {floor:.3f} s  matcher / floor = {matcher / floor:.2f}")
    print(f"plain alternation:  {plain:.3f} s  (one round)  plain / matcher = {plain / matcher:.1f}")

    gold_dir = ROOT / "fixtures" / "gold"
    if gold_dir.is_dir() and not args.dirs:
        found, total = gold_document_party_recall(vocabulary, gold_dir, directories[0])
        print(
            f"\ngold documents' parties named in their title or text (groups expanded, publisher added): "
            f"{found}/{total} = {found / total:.3f}"
        )


if __name__ == "__main__":
    main()
