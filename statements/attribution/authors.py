"""Who a document is by: its parties, each with why it was found, and its signatories where the text names them.

- ``document_parties(context, clause_texts) -> {code: reason}``: ``infer_parties``' parties (guidelines section 2),
  each with the reason the importer records as the machine-assigned link's rule: "title" (the title names it, or a
  group or organisation it names has it as a member), "publisher" (the publisher's own state, not named in the
  title), "text" (found in the opening sentence, or a readout's interlocutor the importer knew).
- ``infer_signatories(context, clause_texts, parties) -> [Signer]``: the leaders and officials the title and the
  opening sentence name with a person's name, each resolved to one of the document's parties by the vocabulary's
  leader patterns ("Prime Minister Kishida of Japan", "Australian Prime Minister Albanese") or by the publisher's own
  titles ("President Biden"): a readout's leaders who met or spoke, a joint statement's "by President X of A and
  Prime Minister Y of B" (guidelines section 2.3).
"""

from dataclasses import dataclass

from statements.vocabulary import How

from .actors import Leaders, _skip_possessive, leader_person, title_key
from .document import _members, infer_parties
from .lexicon import TITLED_PERSON, starts_a_word
from .sentences import sentences


def document_parties(context, clause_texts):
    """The document's parties in ``infer_parties``' order, each with the reason it was found."""
    vocabulary = context.vocab()
    named = vocabulary.codes(context.title)
    in_title = set(named)
    for code in named:
        in_title.update(_members(vocabulary, code, context.date))
    reasons = {}
    for code in infer_parties(context, clause_texts):
        if code in in_title:
            reasons[code] = "title"
        elif code == context.publisher:
            reasons[code] = "publisher"
        else:
            reasons[code] = "text"
    return reasons


@dataclass(frozen=True)
class Signer:
    """A person the text names as a signatory: their title and name as printed, the party they act for, and where
    they were found ("title" or "text")."""

    office: str
    name: str
    party: str
    reason: str


def infer_signatories(context, clause_texts, parties):
    """The persons the title, then the opening sentence, name as the document's principals, in order of first
    mention, once each: only those with a name ("Prime Minister Kishida", not "the Prime Minister") who act for one
    of ``parties`` (the document's). A group's statement that names nobody has none."""
    vocabulary = context.vocab()
    others = [code for code in parties if code != context.publisher]
    # Leaders are learnt person by person as they are found (the title's first, then the opening's).
    leaders = Leaders(
        context.publisher if context.publisher in parties else "", others[0] if len(others) == 1 else None
    )
    opening = sentences(clause_texts[0])[0] if clause_texts else ""
    found = []
    for reason, text in (("title", context.title), ("text", opening)):
        for office, name, code in _persons(text, vocabulary, leaders):
            if code not in parties or not _surname(name):
                continue
            if any(signer.party == code and same_person(signer.name, name) for signer in found):
                continue  # named again ("President Biden", then "President Joseph R. Biden, Jr.")
            if code == context.publisher and any(s.party == code and s.office == office for s in found):
                continue  # a state has one President: a second one named without a state is someone else's
            found.append(Signer(office, name, code, reason))
    return found


def _persons(text, vocabulary, leaders):
    """(title, name, party code) of every titled person ``text`` names with a name, in order."""
    persons, taken = [], []
    for mention in vocabulary.mentions(text):
        if mention.how == How.LEADER and mention.leader:
            title, name = leader_person(mention.leader)
            if title and name.strip():
                start = text.rfind(title.split()[0], mention.start, mention.end)
                start = mention.start if start < 0 else start
                persons.append((start, title, name, mention.code))
                leaders.learn(title, name, mention.code)
                taken.append((start, mention.end))
        elif mention.how in (How.DEMONYM, How.SHORT, How.ALIAS):
            person = TITLED_PERSON.match(text, _skip_possessive(text, mention.end))
            if person and person.group("name").strip() and person.start() - mention.end <= 3:
                persons.append((person.start(), person.group("title"), person.group("name"), mention.code))
                leaders.learn(person.group("title"), person.group("name"), mention.code)
                taken.append((mention.start, person.end()))
    for person in TITLED_PERSON.finditer(text):
        start, end = person.span()
        if not person.group("name").strip() or not starts_a_word(text, start):
            continue
        if any(a <= start < b or start <= a < end for a, b in taken):
            continue
        code = leaders.resolve(person.group("title"), person.group("name"), False)
        if code:
            persons.append((start, person.group("title"), person.group("name"), code))
    return [(title_key(title), _name(name), code) for _, title, name, code in sorted(persons)]


_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# Words a title-case title runs on with after a name ("Readout of Vice President Kamala Harris Call with ..."): not
# part of the name.
_AFTER_A_NAME = {"Call", "Calls", "Meeting", "Meetings", "Phone", "Video", "Visit", "Bilateral", "Trilateral"}


def _name(name):
    """A name as printed, white space collapsed, without the title-case words a title runs on with."""
    words = name.replace(",", ", ").split()
    while words and words[-1].strip(",") in _AFTER_A_NAME:
        words.pop()
    return " ".join(words).replace(" ,", ",").strip(" ,")


def _surname(name):
    """A person's last name ("Joseph R. Biden, Jr." -> "biden"), '' for no name."""
    words = _words(name)
    return words[-1] if words else ""


def same_person(a, b):
    """Whether two names printed differently name one person: one's last name is a word of the other ("Joe Biden",
    "Joseph R. Biden, Jr."; "Kishida", "Kishida Fumio"); also how signatories are compared with the gold set."""
    words_a, words_b = _words(a), _words(b)
    return bool(words_a and words_b) and (words_a[-1] in words_b or words_b[-1] in words_a)


def _words(name):
    words = [word.strip(",.").lower() for word in name.split()]
    return [word for word in words if word and word not in _SUFFIXES and len(word) > 1]
