"""Needles: the literal text every match of a rule starts with, and where a text holds them.

A rule's regex is tried only where one of its needles starts a word of the text (``NeedleIndex``), so re-tagging
the corpus runs most rules on no clause at all. Needles are read from the pattern's parse tree (the stdlib's
``re._parser``: the ``regex`` module's syntax is re's for what rules use).
"""

import re
import re._constants as sre
import re._parser as sre_parse
from dataclasses import dataclass
from functools import cache, lru_cache

MIN_NEEDLE = 2  # letters a literal must have to be worth looking for before running a rule's regex
MAX_NEEDLES = 64  # a rule's needles: past this many, a literal prefix is not lengthened further


@cache
def needles(pattern):
    r"""Case-folded texts, one of which every match of ``pattern`` starts with; None when some branch starts with
    no literal of MIN_NEEDLE characters (then the rule's regex runs on every text).

    A substring test is far cheaper than a case-insensitive regex, and most rules match few clauses: a text
    that contains none of a rule's needles cannot match it, so its regex is not run (``might_match``). The longer
    the needles, the fewer the places tried: a literal runs on through white space (``\s+`` reads as one space,
    as ``fold`` writes it), alternations and optional parts of literals, so ``(?:on|in)\s+infrastructure`` has
    the needles "on infrastructure" and "in infrastructure", not "on" and "in".
    """
    try:
        # the regex module's syntax is re's for what rules use; anything else is not filtered (None)
        found = _prefixes(list(sre_parse.parse(pattern.pattern, pattern.flags & re.IGNORECASE)))
    except (re.error, TypeError, ValueError):
        return None
    if any(len(prefix) < MIN_NEEDLE for prefix, _ in found):
        return None
    return tuple(dict.fromkeys(prefix.casefold() for prefix, _ in found))


SPACE = [(sre.IN, [(sre.CATEGORY, sre.CATEGORY_SPACE)])]  # \s as re's parser gives it
ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)  # \b, ^, lookarounds: they consume no character


def _prefixes(items):
    r"""[(prefix, whole)] for a sequence of parsed items: every match of it starts with one of the prefixes; with
    ``whole``, that prefix is all of such a match (the items so far were literals), so what follows lengthens it."""
    found = [("", True)]
    for op, value in items:
        if op in ZERO_WIDTH:
            continue
        tails = _item_texts(op, value)
        if tails is None or (found != [("", True)] and len(found) * len(tails) > MAX_NEEDLES):
            return [(prefix, False) for prefix, _ in found]
        found = [
            (prefix + tail, tail_whole) if whole else (prefix, False)
            for prefix, whole in found
            for tail, tail_whole in (tails if whole else [("", False)])
        ]
        if not any(whole for _, whole in found):
            break
    return list(dict.fromkeys(found))


def _item_texts(op, value):
    """[(text, whole)] for one parsed item as ``_prefixes`` reads it, or None when it starts with no literal."""
    if op is sre.LITERAL:
        return [(_folded_space(chr(value)), True)]
    if _is_space(op, value):
        return [(" ", True)]
    if op is sre.IN and value and all(member_op is sre.LITERAL for member_op, _ in value):
        return [(_folded_space(chr(member)), True) for _, member in value]  # ['’]: one of a few characters
    if op is sre.SUBPATTERN:
        return _prefixes(list(value[-1]))
    if op is sre.BRANCH:
        return [text for branch in value[1] for text in _prefixes(list(branch))]
    if op is sre.MAX_REPEAT and value[:2] == (0, 1):  # an optional part: with it, or without it
        return [*_prefixes(list(value[2])), ("", True)]
    return None


def _folded_space(character):
    """A white space character as ``fold`` writes it (a space); any other as it is."""
    return OTHER_SPACE.sub(" ", character)


def _is_space(op, value):
    r"""``\s`` or ``\s+``: one run of white space, which ``fold`` makes a single space."""
    return (op is sre.IN and value == SPACE[0][1]) or (
        op is sre.MAX_REPEAT and value[0] == 1 and list(value[2]) == SPACE
    )


# Every white space character (what \s matches) but the space, made a space: same length, so positions stay the
# text's.
OTHER_SPACE = re.compile(r"[^\S ]")


@lru_cache(maxsize=16)  # a clause's text is folded once for its topics and once for its parties
def fold(text):
    """``text`` as needles are compared with it: case-folded, a dotted capital I's combining dot dropped, each
    white space character a space."""
    return OTHER_SPACE.sub(" ", text.casefold().replace("\u0307", ""))


@cache
def _needle_pattern(pattern):
    """One compiled alternation of the needles of ``pattern`` (searched in C, not needle by needle), or None."""
    found = needles(pattern)
    # a needle's space stands for the rule's \s+: the needle is cut there (a literal search is much faster)
    return re.compile("|".join(re.escape(needle.split(" ", 1)[0]) for needle in found)) if found else None


def might_match(rule, folded):
    """False only when ``rule`` cannot match the text ``folded`` (see ``needles``)."""
    needle_pattern = _needle_pattern(rule.pattern)
    return needle_pattern is None or needle_pattern.search(folded) is not None


def first_match(rule, text, folded):
    """``rule``'s first match in ``text`` (``folded`` is ``fold(text)``), or None: its regex is run only on a text
    that holds one of its needles (``might_match``)."""
    return rule.search(text) if might_match(rule, folded) else None


def starts_words(pattern):
    r"""True when every match of ``pattern`` starts a word: it begins with ``\b`` or ``(?<!\w)`` and each of its
    needles with a letter or digit (as topic rules and keywords do)."""
    found = needles(pattern)
    source = pattern.pattern
    return bool(found) and source.startswith((r"\b", r"(?<!\w)")) and all(n[0].isalnum() for n in found)


@dataclass(eq=False)
class NeedleIndex:
    r"""Where the needles of a list of rules occur in a text, found by one compiled pattern (``positions``).

    Every match of a rule starts where one of its needles does (``needles``), so a rule's regex is tried only
    there, anchored: a few cheap attempts instead of a search of the whole text, and no attempt at all for most
    rules. For a rule whose matches start words (``starts_words``: every topic rule and keyword list), its needles
    join one alternation of every such rule's needles, searched at the start of each word in C (the stdlib ``re``:
    the needles are literals, which cannot backtrack); any other rule is searched as before (``first_match``). A
    needle's space stands for the rule's ``\s+``, and matches any run of spaces in the folded text."""

    rules: list
    # the longest needle starting a word: a character no word has, then the needle in a lookahead (every word start is
    # tried). Starting with that character, not with (?<!\w), lets the engine skip to the next one in a fast loop
    # instead of trying a match at every character; the text is searched with a space put first (``positions``).
    pattern: re.Pattern
    by_needle: dict  # a needle -> the indexes of the rules with a needle that is a prefix of it (itself included)
    unindexed: frozenset  # indexes of the other rules

    @classmethod
    def of(cls, rules):
        # what the index holds depends only on the rules' patterns (compiled patterns are equal when their source and
        # flags are), in order: a list of the same rules loaded again (every import and retag loads them anew) reuses it
        return cls(rules, *cls._index(tuple(rule.pattern for rule in rules)))

    @staticmethod
    @lru_cache(maxsize=8)
    def _index(patterns):
        """(pattern, by_needle, unindexed) of a list of rules' patterns."""
        rules_of, unindexed = {}, set()
        for index, pattern in enumerate(patterns):
            if not starts_words(pattern):
                unindexed.add(index)
                continue
            # a needle's first INDEXED_LENGTH characters are a needle too: the trie's depth stays bounded
            for needle in {SPACES.sub(" ", needle)[:INDEXED_LENGTH] for needle in needles(pattern)}:
                rules_of.setdefault(needle, set()).add(index)
        # the needles that match where a longer one does are its prefixes: one match gives them all
        by_needle = {
            needle: tuple(sorted(set().union(*(rules_of.get(needle[:end], ()) for end in range(1, len(needle) + 1)))))
            for needle in rules_of
        }
        pattern = re.compile(r"\W(?=(" + _longest_first(rules_of) + "))") if rules_of else None
        return pattern, by_needle, frozenset(unindexed)

    def positions(self, folded):
        """{rule index: [positions in ``folded`` (``fold``'s) where one of its needles starts]} for the indexed
        rules."""
        found = {}
        if self.pattern is None:
            return found
        by_needle = self.by_needle
        # after a space put first, a needle's position in ``folded`` is where its match (the character before) starts
        for match in self.pattern.finditer(" " + folded):
            needle, start = match.group(1), match.start()
            for index in by_needle[SPACES.sub(" ", needle) if "  " in needle else needle]:
                if index in found:
                    found[index].append(start)
                else:
                    found[index] = [start]
        return found


SPACES = re.compile(r" +")
INDEXED_LENGTH = 40


def _longest_first(words):
    """A regex source matching any of ``words`` (a space: any run of spaces), the longest where several do: a trie
    of their characters, each node trying its longer continuations before ending there. A list of alternatives
    would be tried one by one at every word; the trie reads each character once."""
    trie = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def source(node):
        branches = [
            (" +" if character == " " else re.escape(character)) + source(child)
            for character, child in sorted(node.items())
            if character
        ]
        if "" in node:
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return source(trie)
