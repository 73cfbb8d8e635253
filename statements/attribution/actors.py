"""Who a sentence names: parties, leaders and officials, collective subjects, each as an ``Actor`` span.

A leader is resolved to a state by the vocabulary ("Prime Minister Kishida of Japan", "Australian Prime Minister
Anthony Albanese") and, later in the same document, by coreference: a ``Leaders`` registry remembers each
leader's surname and title ("Prime Minister Kishida", "the Prime Minister"). "The President", "the Vice President"
and the publisher's officials without a state are the publisher's (guidelines 3.5, 3.6).
"""

import re
from dataclasses import dataclass

from statements.vocabulary import How

from .lexicon import LEADER_TITLES, PUBLISHER_TITLES, TITLED_PERSON, collectives, is_definite, starts_a_word

SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Actor:
    """A span of a sentence that names who may speak: ``codes`` are the parties it stands for (empty: nobody we
    know, such as an unnamed leader); ``collective`` is True for "the leaders", "both sides", "they"."""

    start: int
    end: int
    codes: frozenset
    collective: bool = False


def title_key(title):
    return SPACES.sub(" ", title).strip()


class Leaders:
    """The leaders a document has named so far: surname -> party code, title -> party code (the last named)."""

    def __init__(self, publisher, partner=None):
        self.publisher = publisher
        self.partner = partner  # the one other party of a bilateral document, else None
        self.by_name = {}
        self.by_title = {}
        self.publisher_titles = set()  # titles the publisher's own leaders were named with

    def learn(self, title, name, code):
        """Remember that ``title`` ``name`` ("Prime Minister", "Fumio Kishida") speaks for ``code``."""
        words = [w.strip(",.") for w in name.split() if w.strip(",.") and w[0].isupper() and len(w.strip(",.")) > 2]
        for word in words[-1:] + words[:1]:  # the surname, and a first name used alone ("President Lula")
            self.by_name.setdefault(word, code)
        if title:
            self.by_title[title_key(title)] = code

    def resolve(self, title, name, definite):
        """The code of "<title> <name>" or "the <title>", or None."""
        title = title_key(title)
        for word in reversed([w.strip(",.") for w in name.split()]):
            if word in self.by_name:
                return self.by_name[word]
        if name.strip():
            if title in PUBLISHER_TITLES and self.publisher:
                # "President Biden", "Secretary Blinken": the publisher's own; but a second President in a
                # bilateral text whose partner has no leader named yet ("President Trump and President Milei") is
                # the partner's.
                second = title in self.publisher_titles and self.partner not in self.by_name.values()
                code = self.partner if second and self.partner else self.publisher
                self.publisher_titles.add(title)
                self.learn("", name, code)
                return code
            if self.partner and title in LEADER_TITLES:
                self.learn(title, name, self.partner)  # "Prime Minister Modi" in a U.S.–India statement
                return self.partner
            return None
        if title in ("President", "Vice President", "President-elect") and self.publisher:
            return self.publisher  # guidelines 3.5: "the President" speaks for the publisher's state
        if title in self.by_title:
            return self.by_title[title]
        if definite and self.partner and title in LEADER_TITLES:
            return self.partner
        return None


def learn_leaders(leaders, vocabulary, text):
    """Teach ``leaders`` the leaders ``text`` names with a state (a document's title, or a clause)."""
    mentions = vocabulary.mentions(text)
    for mention in mentions:
        if mention.how == How.LEADER and mention.leader:
            title, name = leader_person(mention.leader)
            leaders.learn(title, name, mention.code)
        elif mention.how in (How.DEMONYM, How.SHORT, How.ALIAS):
            person = TITLED_PERSON.match(text, _skip_possessive(text, mention.end))
            if person and person.group("name").strip():
                leaders.learn(person.group("title"), person.group("name"), mention.code)
    for person in TITLED_PERSON.finditer(text):
        if (
            starts_a_word(text, person.start())
            and person.group("name").strip()
            and not any(m.start <= person.start() < m.end for m in mentions)
        ):
            code = leaders.resolve(person.group("title"), person.group("name"), False)
            if code:  # the publisher's leader named in the title ("Readout of President Joe Biden's call ...")
                leaders.learn(person.group("title"), person.group("name"), code)


def leader_person(leader):
    """(title, name) of the person a leader mention (``Mention.leader``) names: the last titled person of the span,
    the one just before "of <state>" ("President Biden’s Call With Prime Minister Justin Trudeau of Canada" is
    Trudeau's, not Biden's); ("", the span) when it names nobody with a title."""
    people = [match for match in TITLED_PERSON.finditer(leader) if starts_a_word(leader, match.start())]
    if people:
        return people[-1].group("title"), people[-1].group("name")
    return "", leader


_APPOSITIVE = re.compile(r"\s*,\s*(?:the\s+|as\s+)?")
_BEFORE_A_TITLE = {" ", "'", "’", "\u00a0", "\n"}
_POSSESSIVE = re.compile(r"\s*['’]s?\s*|\s+")


def _skip_possessive(text, end):
    match = _POSSESSIVE.match(text, end)
    return match.end() if match else end


def find_actors(text, vocabulary, leaders, expand, bodies=None):
    """Every ``Actor`` of ``text`` (a clause), in order, spans never overlapping.

    ``expand(code)`` gives the codes (a frozenset) a party's mention stands for (a group's members); ``bodies``
    a pattern of joint bodies that stand for every party ("the Task Force"), or None. Leaders named with a
    state are taught to ``leaders`` on the way."""
    sentence = text
    actors = []
    taken = bytearray(len(sentence))  # 1 where a span is already an actor's

    def take(start, end):
        taken[start:end] = b"\x01" * (end - start)

    def free(start, end):
        return taken.find(1, start, end) == -1

    for mention in vocabulary.mentions(sentence):
        codes = expand(mention.code)
        end = mention.end
        if mention.how in (How.DEMONYM, How.SHORT, How.ALIAS) and sentence[end : end + 1] in _BEFORE_A_TITLE:
            person = TITLED_PERSON.match(sentence, _skip_possessive(sentence, end))
            if person and person.start() - end <= 3:
                end = person.end()  # "Australian Prime Minister Anthony Albanese", "Kenya's President Ruto"
                if person.group("name").strip():
                    leaders.learn(person.group("title"), person.group("name"), mention.code)
        elif mention.how == How.LEADER and mention.leader:
            title, name = leader_person(mention.leader)
            if not name.strip() and actors and _APPOSITIVE.fullmatch(sentence, actors[-1].end, mention.start):
                continue  # "Prime Minister Mottley of Barbados, Chair of CARICOM": the same person, her office
            leaders.learn(title, name, mention.code)
        actors.append(Actor(mention.start, end, codes))
        take(mention.start, end)
    for person in TITLED_PERSON.finditer(sentence):
        start, end = person.span()
        if not starts_a_word(sentence, start) or not free(start, end):
            continue
        code = leaders.resolve(person.group("title"), person.group("name"), is_definite(sentence, start))
        actors.append(Actor(start, end, expand(code) if code else frozenset()))
        take(start, end)
    for body in bodies.finditer(sentence) if bodies else ():
        if free(*body.span()):
            actors.append(Actor(body.start(), body.end(), frozenset(), collective=True))
            take(*body.span())
    for start, end in collectives(sentence):
        if free(start, end):
            actors.append(Actor(start, end, frozenset(), collective=True))
            take(start, end)
    actors.sort(key=lambda actor: actor.start)
    return actors
