"""A document's authors and the speakers of each of its clauses: ``infer_parties`` and ``attribute_document``.

The document's parties (guidelines section 2) are read from its title: the parties it names before what it is
about ("G7 Leaders' Statement on Iran's Attack against Israel": the G7, not Iran or Israel), groups as their
members, organisations as their member states when the title names their leaders ("Leaders of CARICOM"), the
publisher's state for a readout, for a publisher's own statement, for a text the title gives one partner or a
group the publisher belongs to. A title that names nobody (or a group whose members are not recorded) leaves it
to the opening sentence ("We, the leaders of A, B and C", "The 68 members of the CRI—A, B, ...—met"); a joint
statement left with the publisher alone takes the party its clauses join to the publisher ("The United States and
the European Union are ...").
"""

import datetime
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from statements.vocabulary import How, Kind, PartyVocabulary

from .actors import Leaders, find_actors, learn_leaders
from .lexicon import CLOSING_FORMULA, HEAD_NOUNS, JOINT_BODY, SPEECH_PARTICIPLES, first_person
from .sentences import sentence_spans, sentence_speakers, sentences

READOUT = "readout"
PRESS_RELEASE = "press_release"
# Where a title turns from who speaks to what it is about.
_TITLE_TOPIC = re.compile(
    r"\s(?:on|regarding|concerning|about|condemning|welcoming|endorsing|in\s+support\s+of|to|at)\s", re.IGNORECASE
)
_LEADERS = r"(?:[Ll]eaders|LEADERS|[Mm]ember\s+[Ss]tates|[Hh]eads\s+of\s+[Ss]tate)"
_LEADERS_BEFORE = re.compile(_LEADERS + r"\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_LEADERS_AFTER = re.compile(r"^(?:[-–—]\S+)?\s*(?:\([^)]*\)\s*)?(?:" + _LEADERS + r"|[Cc]ountries)")
# The opening sentence's list of authors ends at the first verb after it starts ("Having gathered ..., we the
# Ministers of A, B and C recognize").
# A first-person subject that runs straight into its predicate, with no list of who "we" are ("We are united in our
# condemnation of Russia's war against Ukraine", "Today, we announce ..."; not "We, the Leaders of", "We the Quad
# partners of", "We leaders of"): the parties such an opening names are what it is about, not its authors.
_BARE_FIRST_PERSON = re.compile(r"(?<![\w’'-])[Ww]e\s+(?!(?:the|all|both|" + HEAD_NOUNS + r")\b)[a-z]")
_OPENING_VERB = re.compile(
    r"\b(?:met|meet|gathered|convened|have|has|are|is|will|issue[ds]?|release[ds]?|reaffirm\w*|join\w*|"
    r"express\w*|recogni[sz]e\w*|welcome\w*|commit\w*|declare\w*|hereby|note\w*)\b"
)


@dataclass(frozen=True)
class DocumentContext:
    """What attribution knows of a document besides its clauses.

    ``publisher``: the party code of the publisher's state ("us" for the White House; "" when unknown);
    ``parties``: the document's parties as known (a curator's, or the importer's) — used when the title names
    none; ``date``: for group memberships (None: as recorded).
    """

    title: str
    kind: str
    publisher: str = ""
    parties: tuple = ()
    date: datetime.date | None = None
    vocabulary: PartyVocabulary = field(default=None, repr=False, compare=False)

    def vocab(self):
        return self.vocabulary or PartyVocabulary.default()


@lru_cache(maxsize=64)
def _mentions(vocabulary, text):
    """The vocabulary's mentions in a title or an opening, which several rules read: found once."""
    return vocabulary.mentions(text)


def _members(vocabulary, code, date):
    record = vocabulary.records.get(code)
    if record is None or not record.members:
        return []
    return [member.code for member in record.members if member.on(date)]


def _title_codes(context, strict=True):
    """The codes the title names as authors, groups and organisations unexpanded: those before what it is about
    ("G7 Leaders' Statement on Iran's Attack"); when none stands before, those after it that are leaders ("at the
    invitation of the Prime Minister of the United Kingdom"), a pair ("on a United States–Argentina Agreement") or
    named after "by" ("on Air Defenses by President A and Chancellor B"), not a lone subject ("Joint Statement on
    Israel"); every one, when not ``strict``."""
    mentions = _mentions(context.vocab(), context.title)
    topic = _TITLE_TOPIC.search(context.title)
    if topic and strict:
        before = [m for m in mentions if m.start < topic.start()]
        after = [m for m in mentions if m.start >= topic.start()]
        by = _BY.search(context.title, topic.end())  # "... on Ukraine's Air Defenses by President A, Chancellor B"
        if by:
            after = [m for m in after if m.start > by.start()]
        mentions = before or [
            m for i, m in enumerate(after) if by or m.how == How.LEADER or _paired(context.title, after, i)
        ]
    return list(dict.fromkeys(m.code for m in mentions))


_BY = re.compile(r"\s(?:by|from|of)\s+(?:the\s+)?(?:[A-Z]|leaders|governments|presidents)")
_PAIR = re.compile(r"\s*[-–—/]\s*")


def _paired(title, mentions, index):
    """Whether mentions[index] is joined by a dash to the mention before or after it ("U.S.-EU")."""
    pairs = [(a, a + 1) for a in (index - 1, index) if a >= 0 and a + 1 < len(mentions)]
    return any(_PAIR.fullmatch(title, mentions[a].end, mentions[b].start) for a, b in pairs)


def _expanding(context, codes):
    """The organisations among ``codes`` that speak as their member states: the title names their leaders
    ("Leaders of the Caribbean Community", "ASEAN-U.S. Leaders' Statement")."""
    vocabulary = context.vocab()
    found = set()
    for mention in _mentions(vocabulary, context.title):
        if mention.code in codes and vocabulary.records[mention.code].kind == Kind.ORGANISATION:
            before = context.title[max(0, mention.start - 30) : mention.start]
            if _LEADERS_BEFORE.search(before) or _LEADERS_AFTER.match(context.title[mention.end :]):
                found.add(mention.code)
    return found


def _expand(context, code, organisations, unlisted):
    """What a party's mention stands for: a group's members (or, for a group whose members are not recorded,
    ``unlisted``), an organisation named for its leaders' members, else itself."""
    record = context.vocab().records.get(code)
    if record is None:
        return []
    if record.kind == Kind.GROUP or code in organisations:
        members = _members(context.vocab(), code, context.date)
        return members or list(unlisted)
    return [code]


def infer_parties(context, clause_texts):
    """The document's parties (its authors, or for a readout the publisher and its interlocutors), in order."""
    vocabulary = context.vocab()
    named = _title_codes(context)
    organisations = _expanding(context, named)
    unlisted = [c for c in named if vocabulary.records[c].kind == Kind.GROUP and not _members(vocabulary, c, None)]
    parties = []
    for code in named:
        parties += _expand(context, code, organisations, ())
    others = [code for code in named if code != context.publisher]
    if (not others or unlisted) and context.kind != PRESS_RELEASE:
        opening = sentences(clause_texts[0])[0] if clause_texts else ""
        for code in opening_authors(opening, vocabulary):
            parties += _expand(context, code, organisations, ())
    if not others and not [code for code in parties if code != context.publisher]:
        # Nobody but the publisher: the title's lone subject after all ("Joint Statement on the Visit to ...").
        for code in _title_codes(context, strict=False):
            parties += _expand(context, code, organisations, ())
        if context.kind == READOUT and not [code for code in parties if code != context.publisher]:
            # a readout's interlocutor the vocabulary cannot place ("King Charles III"): the importer's parties
            parties += [code for code in context.parties if code != context.publisher]
    publisher = context.publisher
    if not [code for code in parties if code != publisher] and context.kind not in (READOUT, PRESS_RELEASE):
        # A joint statement "by President A and President B" whose title and opening name no state: the partner is
        # the party the text pairs with the publisher ("The United States and the European Union are ...").
        parties += _paired_with_publisher(context, clause_texts)
    if publisher and (context.kind in (READOUT, PRESS_RELEASE) or len(named) <= 1 or publisher in parties):
        parties.insert(0, publisher)
    if context.kind == PRESS_RELEASE and publisher:
        parties = [publisher]
    return list(dict.fromkeys(parties))


def _paired_with_publisher(context, clause_texts):
    """The party the clauses most often join to the publisher ("the United States and Ireland", "U.S.-EU"), as a
    one-item list; none when no party is so joined, or when two are joined to it equally often."""
    vocabulary, counts = context.vocab(), {}
    if not context.publisher:
        return []
    for text in clause_texts:
        mentions = vocabulary.mentions(text)
        for first, second in itertools.pairwise(mentions):
            codes = {first.code, second.code}
            if context.publisher in codes and len(codes) == 2 and _JOINED.fullmatch(text, first.end, second.start):
                (partner,) = codes - {context.publisher}
                counts[partner] = counts.get(partner, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return []
    return [ranked[0][0]]


_JOINED = re.compile(r"\s*(?:and|&|[-–—/])\s*(?:the\s+)?")


def opening_authors(opening, vocabulary):
    """The party codes an opening sentence lists as its authors, in order: those named before the verb that ends the
    list ("We, the Leaders of A, B and C, met"; "The 68 members of the CRI—A, B, ...—met"); none when a bare "we"
    speaks before any party is named."""
    mentions = vocabulary.mentions(opening)
    if not mentions:
        return []
    bare_we = _BARE_FIRST_PERSON.search(opening, 0, mentions[0].start)
    if bare_we:
        return []
    verb = _OPENING_VERB.search(opening, mentions[0].start)  # the list's own verb
    return [m.code for m in mentions if verb is None or m.start < verb.start()]


def attribute_clauses(context, clause_texts):
    """For each clause, in reading order, {party code: the rule that made it speak}."""
    vocabulary = context.vocab()
    parties = infer_parties(context, clause_texts)
    named = _title_codes(context)
    organisations = _expanding(context, named)
    authors = [context.publisher] if context.kind == READOUT and context.publisher else parties
    others = [code for code in parties if code != context.publisher]
    leaders = Leaders(
        context.publisher if context.publisher in parties else "", others[0] if len(others) == 1 else None
    )
    learn_leaders(leaders, vocabulary, context.title)
    participants = frozenset(parties)
    titled_groups = {c for c in named if vocabulary.records[c].kind == Kind.GROUP}

    expanded = {}

    def expand(code):
        if code not in expanded:
            unlisted = parties if code in titled_groups else ()
            expanded[code] = frozenset(_expand(context, code, organisations, unlisted))
        return expanded[code]

    bodies = _joint_bodies(context.title) if len(parties) > 1 else None
    results, run = [], None
    for text in clause_texts:
        found = {}
        if CLOSING_FORMULA.match(text):
            run = None
        else:
            in_first_person = first_person(text)
            if in_first_person:
                found = dict.fromkeys(authors, "first person of the authors")
            actors = find_actors(text, vocabulary, leaders, expand, bodies)
            for start, end in sentence_spans(text) if actors else ():
                inside = [actor for actor in actors if start <= actor.start < end]
                for code, rule in sentence_speakers(text, (start, end), inside, participants, authors).items():
                    found.setdefault(code, rule)
            if context.kind != READOUT and _PREAMBLE_IN_CAPITALS.match(text):
                for code in authors:
                    found.setdefault(code, "the authors' preamble")
            if found:
                leads_in = text.rstrip().endswith(":") and set(authors) <= set(found)
                run = found if leads_in else None
            elif run is not None:
                found = dict.fromkeys(run, "continues the authors' lead-in")
            elif context.kind != READOUT and _opens_for_the_authors(text, vocabulary):
                found = dict.fromkeys(authors, "participle of the authors")
        results.append(found)
    return results


# A declaration's preamble participle in capitals ("9 ACKNOWLEDGING that ...") is always the authors'.
_PREAMBLE_IN_CAPITALS = re.compile(r"^\s*(?:\(?(?:\d+|[a-z]|[ivxlc]+)[.)]?\s+)?[A-Z]{3,}ING\b")
# A clause opened by a participle of a verb of saying, with no subject of its own ("REAFFIRMING ...",
# "Recognizing the broad consensus ..."): the authors' preamble (guidelines 3.4).
_PARTICIPLE_OPENING = re.compile(
    r"^\s*(?:\(?(?:\d+|[a-z]|[ivxlc]+)[.)]?\s+)?(?:(?:FURTHER\s+)?[A-Z]{3,}\b(?=\s+[a-z“\"(])|(?:"
    + "|".join(sorted({form.capitalize() for form in SPEECH_PARTICIPLES}))
    + r")\b)"
)


def _joint_bodies(title):
    """A pattern of "the <body>" for the joint bodies the title names, or None."""
    names = {" ".join(match.group().split()) for match in JOINT_BODY.finditer(title)}
    if not names:
        return None
    return re.compile(r"(?<![\w-])[Tt]he\s+(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")\b")


def _opens_for_the_authors(text, vocabulary):
    """Whether ``text`` opens with a participle or an operative verb in capitals of its own, not a party's name."""
    opening = _PARTICIPLE_OPENING.match(text)
    return bool(opening) and not any(m.start < opening.end() for m in vocabulary.mentions(text[: opening.end()]))


def attribute_document(context, clause_texts):
    """The speakers (party codes) of every clause of a document, in reading order: a list of frozensets.

    ``context`` is a ``DocumentContext``; ``clause_texts`` the clauses' texts in reading order (the whole
    document, so that leaders named early are known later).
    """
    return [frozenset(found) for found in attribute_clauses(context, clause_texts)]
