"""Find the parties a text names: ``PartyVocabulary.mentions(text)``.

One combined regular expression, built as a trie of every name the vocabulary knows (official and short
names, aliases, demonyms and their plurals, the same in capitals for headings), finds at each place the
longest name, so "Papua New Guinea" hides "Guinea", "Guinea-Bissau" is not "Guinea" and "Nigeria" is not
"Niger". Names that contain a party's name but name no party ("Korean Peninsula", "Latin American", pycountry's
territories such as "American Samoa") are in the same trie and are dropped when they match; names that may be
two parties ("Congo") likewise. Three rules then read the context:

- "<adjective or name> side(s)" ("the Chinese side", "the U.S. side") is one mention, how="side";
- "<title> [name] of [the] <party>" ("Prime Minister Kishida of Japan", "the President of the European
  Commission", "President of France Emmanuel Macron") is one mention, how="leader", with the title and name
  in ``leader``;
- a state named like a US state ("Georgia") right after "<Place>, " is the US state, unless the place is a
  party too ("Armenia, Georgia").

The patterns take any white space (non-breaking spaces and line breaks included) where a name has a space,
either apostrophe (' or ’) and any dash (-, ‐, –, —) where a name has a hyphen, so curly apostrophes,
non-breaking spaces and en dashes ("U.S.–Japan") need no names of their own. Matching is case-sensitive
("US" is not "us").
"""

import re
from functools import cache
from typing import NamedTuple

import pycountry

from .records import build_records, read_data


class How:
    """How a mention names its party."""

    OFFICIAL = "official"  # the official name: "People’s Republic of China"
    SHORT = "short"  # the short name: "China"
    ALIAS = "alias"  # another name: "PRC", "U.S.", "Türkiye"/"Turkey"
    DEMONYM = "demonym"  # an adjective or a name for the people: "Chinese", "Emiratis"
    SIDE = "side"  # "<name or adjective> side": "the Chinese side"
    LEADER = "leader"  # "<title> [name] of <party>": "Prime Minister Kishida of Japan"


class Mention(NamedTuple):
    """One place where a text names a party: ``searched[start:end] == mention.text`` (the span leaves out a
    possessive, "Japan’s"); ``how`` is one of ``How``; ``leader`` is, for how="leader", the title and name
    around "of <party>" ("Prime Minister Kishida"), else "".
    """

    code: str
    start: int
    end: int
    text: str
    how: str
    leader: str = ""


# How the patterns read a name's space, apostrophe and hyphen.
_APOSTROPHES = "'’‘ʼ′`"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_CLASS = {" ": r"\s+", "'": "[" + _APOSTROPHES + "]", "-": "[" + _DASHES + "]"}
NORMALISE = str.maketrans({**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_DASHES, "-")})

# A demonym takes a plural in -s when it ends so (Afghans, Israelis, Danes, Filipinos, New Zealanders...), not
# one in -ese, -sh, -ch (Chinese, British, French).
_PLURAL = re.compile(r"(?<!es)[nieortkdl]$")
_WORD = r"[\w.'’\u2010\u2011-]*"  # the rest of a word: letters, apostrophes, hyphens, initials' periods
_CAPITALISED = r"(?=[A-ZÀ-ÖØ-ÞĀ-Ž])" + _WORD
# A word of a name after "of <party>": capitalised, no period but an initial's ("President of France Emmanuel
# Macron", "the President of the United States Joseph R. Biden Jr."), so a sentence's full stop ends it.
_NAME_AFTER = r"(?:[A-Z]\.|[JS]r\.|(?=[A-ZÀ-ÖØ-ÞĀ-Ž])[\w'’\u2010\u2011-]+)"
_SIDE = re.compile(r"\s+sides?(?!\w)")
_PLACE_BEFORE = re.compile(rf"(?P<place>[A-Z]{_WORD}(?:\s+[A-Z]{_WORD})*),\s+$")
_OF_BEFORE = re.compile(r"(?<!\w)of\s+(?:the\s+)?$")
_NOT_A_NAME = {
    # Words that may follow "of <party>" capitalised but start no one's name.
    "The", "This", "That", "These", "Those", "In", "On", "At", "And", "But", "For", "With", "From", "To", "By",
    "As", "After", "Before", "Today", "Tomorrow", "He", "She", "It", "We", "They", "Both", "Each",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December",
}  # fmt: skip


def normalise(name):
    """A name as the vocabulary keys it: white space runs as one space, ' for every apostrophe, - for every dash."""
    return " ".join(name.split()).translate(NORMALISE)


def _plural(demonym):
    return demonym + "s" if _PLURAL.search(demonym) else None


class MatchingRules(NamedTuple):
    """What data/matching.yaml says: names of no party, ambiguous names, US-state homonyms, leaders' titles."""

    not_parties: tuple
    ambiguous: dict
    us_state_homonyms: frozenset
    leader_titles: tuple
    leader_ranks: tuple
    name_particles: tuple

    @classmethod
    def from_data(cls, data=None):
        data = data if data is not None else read_data("matching.yaml")
        return cls(
            not_parties=tuple(data.get("not_parties", ())),
            ambiguous=dict(data.get("ambiguous", {})),
            us_state_homonyms=frozenset(data.get("us_state_homonyms", ())),
            leader_titles=tuple(data.get("leader_titles", ())),
            leader_ranks=tuple(data.get("leader_ranks", ())),
            name_particles=tuple(data.get("name_particles", ())),
        )


class PartyVocabulary:
    """Every party with its names, compiled for matching. Build it once and reuse it: compiling takes a while.

    - ``PartyVocabulary.default()``: the vocabulary the project ships (pycountry + the curated data), cached;
    - ``PartyVocabulary.from_records(records)``: from ``PartyRecord``s (e.g. ``build_records()``);
    - ``PartyVocabulary.from_database()``: from the Party table, with the names curators added in the admin.
    """

    def __init__(self, records, rules=None):
        self.records = {record.code: record for record in records}
        self.rules = rules or MatchingRules.from_data()
        self._forms = self._collect_forms()
        # A name starts and ends at a word's edge (a name ending in a period or $ may run into a word: "US$200"). It
        # starts after a character no word has, matched first so that the engine skips to the next such character in
        # a fast loop, not trying every character; the name, in a lookahead, is group 1 (``mentions``).
        self._pattern = re.compile(r"\W(?=((?:" + _trie_pattern(self._forms) + r")(?:(?<!\w)|(?!\w))))")
        self._leader_before = self._leader_pattern()
        self._person_after = re.compile(rf"(?:\s+(?:{_NAME_AFTER}|(?:{self._particles})(?!\w))){{2,6}}")

    @classmethod
    def from_records(cls, records, rules=None):
        """A vocabulary of these ``PartyRecord``s; ``rules`` default to data/matching.yaml."""
        return cls(records, rules)

    @classmethod
    def from_database(cls, using=None, rules=None):
        """A vocabulary of every party in the database (``using``: a database alias), names and members included."""
        from .database import records_from_database

        return cls(records_from_database(using), rules)

    @staticmethod
    @cache
    def default():
        """The shipped vocabulary (``build_records()``), compiled once per process."""
        return PartyVocabulary(build_records())

    # Matching

    def mentions(self, text):
        """Every mention of a party in ``text``, in order: a list of ``Mention``s (spans never overlap)."""
        found, searched_to = [], 0
        # with a space put first, a name's match (the character before it) starts where the name does in ``text``
        for match in self._pattern.finditer(" " + text):
            start, end = match.start(), match.end(1) - 1
            if start < searched_to:
                continue  # inside the (longest) name found before
            searched_to = end
            entry = self._forms[normalise(match.group(1))]
            if entry is None:  # a name of no party, or of more than one
                continue
            code, how = entry
            if how in (How.SHORT, How.ALIAS, How.DEMONYM) and (side := _SIDE.match(text, end)):
                found.append(Mention(code, start, side.end(), text[start : side.end()], How.SIDE))
                continue
            if match.group(1) in self.rules.us_state_homonyms and self._is_a_us_state(text, start, found):
                continue
            leader = how != How.DEMONYM and self._leader(text, start, end, code, found[-1].end if found else 0)
            found.append(leader or Mention(code, start, end, text[start:end], how))
        return found

    def codes(self, text):
        """The codes of the parties ``text`` names, each once, in the order of their first mention."""
        return list(dict.fromkeys(mention.code for mention in self.mentions(text)))

    def members(self, code, on=None):
        """The codes of a group's or organisation's members (on a date, if given), in the order recorded."""
        return [m.code for m in self.records[code].members if m.on(on)]

    # Building

    def _collect_forms(self):
        """{normalised name: (code, how) or None}: every form the trie matches and what it means."""
        forms = {}
        blocked = set()

        def add(name, meaning):
            variants = [name]
            if sum(c.isalpha() for c in name) >= 4 and name.upper() != name:
                variants.append(name.upper())  # ALL-CAPS headings: "U.S. – JAPAN GLOBAL PARTNERSHIP"
            if name.endswith(".") and name.count(".") > 1:
                variants.append(name[:-1])  # "U.S-EU"
            for variant in map(normalise, variants):
                if meaning is None:
                    blocked.add(variant)
                    forms[variant] = None
                elif variant not in blocked:
                    known = forms.setdefault(variant, meaning)
                    if known[0] != meaning[0]:  # two parties share the name: it names neither
                        blocked.add(variant)
                        forms[variant] = None

        for name in (*self.rules.not_parties, *self.rules.ambiguous, *_territory_names(self.records)):
            add(name, None)
        for record in self.records.values():
            add(record.short_name, (record.code, How.SHORT))  # first: "Japan" is both, and read as the short name
            add(record.name, (record.code, How.OFFICIAL))
            for alias in record.aliases:
                add(alias, (record.code, How.ALIAS))
            for demonym in record.demonyms:
                add(demonym, (record.code, How.DEMONYM))
            for demonym in record.demonyms:
                if plural := _plural(demonym):
                    add(plural, (record.code, How.DEMONYM))
        return forms

    @property
    def _particles(self):
        return "|".join(map(re.escape, self.rules.name_particles))

    def _leader_pattern(self):
        def either_case(phrase):
            return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in dict.fromkeys([phrase, phrase.lower()]))

        titles = "|".join(either_case(t) for t in sorted(self.rules.leader_titles, key=len, reverse=True))
        ranks = "|".join(either_case(r) for r in self.rules.leader_ranks)
        portfolio = rf"\s+(?:of|for)\s+[A-Z]{_WORD}(?:\s+(?:and\s+)?[A-Z]{_WORD}){{0,3}}"  # for Foreign Affairs
        person = rf"(?:\s+(?:{_CAPITALISED}|(?:{self._particles})(?!\w)))*"
        return re.compile(
            rf"(?<![\w-])(?P<title>(?:(?:{ranks})\s+)*(?:{titles})(?:{portfolio})??)(?P<person>{person})\s+of\s+(?:the\s+)?$"
        )

    def _leader(self, text, start, end, code, earliest):
        """The leader mention "<title> [name] of [the] <party> [name]" around the party named at start:end, or None.

        It starts at ``earliest`` or after (the end of the mention before), so two leaders are never one.
        """
        if not _OF_BEFORE.search(text, max(earliest, start - 12), start):
            return None
        match = self._leader_before.search(text, max(earliest, start - 160), start)
        if not match:
            return None
        title, person = (
            text[match.start("title") : match.end("title")],
            text[match.start("person") : match.end("person")],
        )
        if not person.strip() and (after := self._person_after.match(text, end)):
            words = list(re.finditer(r"\S+", after.group()))  # President of France Emmanuel Macron
            while words and words[-1].group() in _NOT_A_NAME:
                words.pop()
            first = words[0].group() if words else ""
            if len(words) > 1 and first not in _NOT_A_NAME and normalise(first) not in self._forms:
                end = after.start() + words[-1].end()
                person = text[after.start() : end]
        leader = " ".join(f"{title} {person}".split())
        return Mention(code, match.start(), end, text[match.start() : end], How.LEADER, leader)

    def _is_a_us_state(self, text, start, found):
        """ "<Place>, Georgia" where the place is not itself a party ("Americus, Georgia", not "Armenia, Georgia")."""
        window = max(0, start - 80)
        place = _PLACE_BEFORE.search(text, window, start)
        if not place:
            return False
        comma = place.end("place")
        return not (found and found[-1].end == comma)


def _territory_names(records):
    """Names of pycountry's countries that are not parties (American Samoa, Hong Kong...): they name no party."""
    for country in pycountry.countries:
        if country.alpha_2.lower() not in records:
            for attribute in ("name", "official_name", "common_name"):
                name = getattr(country, attribute, "")
                if name and "," not in name:
                    yield name


def _trie_pattern(forms):
    """A regular expression matching any of ``forms``, longest first, built as a trie (one branch per prefix)."""
    trie = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}  # a form ends here

    def pattern(node):
        ends = "" in node
        branches = [_CLASS.get(char, re.escape(char)) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return pattern(trie)
