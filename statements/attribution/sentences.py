"""Who speaks in one sentence: the subjects of verbs of saying and committing, the participants of a
conversation, the authors' first person (docs/annotation-guidelines.md, sections 3.1-3.4).

A party speaks when its noun phrase starts a (sub)clause (the sentence's start, after a comma or a conjunction,
never after a preposition or a verb) and is followed, past its head nouns ("government", a leader's name), an
appositive and adverbs, by a verb of ``lexicon.SPEECH_VERBS``, "will", or "is committed". Coordinated subjects
("the United States and Japan reaffirmed") all speak. A name anywhere else is a mention.
"""

import re

from .lexicon import (
    AUXILIARIES,
    CONTINUE,
    CONVERSATION_FORMS,
    CONVERSATION_NOUNS,
    FUTURE,
    HEAD_NOUNS,
    OPENERS,
    PREPOSITIONS,
    SPEECH_FORMS,
    SPEECH_PHRASES,
    STATE_OF_COMMITMENT,
    TITLES,
    _alternation,
)

_ABBREVIATION = re.compile(r"(?:\b[A-Z]|U\.S|U\.K|Jr|Sr|Mr|Mrs|Ms|Dr|St|No|Gen|Sen|Rep|Gov|Hon|e\.g|i\.e|vs|Inc)\.$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|\s*;\s+|\n+")


def sentences(text):
    """``text`` cut into sentences (and list items, and clauses joined by semicolons)."""
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().strip() != ";" and "\n" not in match.group() and _ABBREVIATION.search(text, 0, match.start()):
            continue
        found.append(text[start : match.start()])
        start = match.end()
    found.append(text[start:])
    return [sentence for sentence in found if sentence.strip()]


_CHAIN = re.compile(r"\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or|&|as\s+well\s+as)\s+|[-–—/]\s*)(?:[Tt]he\s+)?")
# Determiners and modifiers before a subject: "the", "both", "previously participating", "the 68".
_LEFT_DETERMINER = re.compile(
    r"(?:\b(?:[Tt]he|[Bb]oth|[Aa]ll|[Ee]ach|THE|[a-z]+ing|[a-z]+ly|[A-Z][a-z]+ly|new|other|several|\d+)\s*)+$"
)
_LAST_WORD = re.compile(r"([\w’'.-]+)\s*$")
_TITLE_OR_HEAD = r"(?:" + _alternation(TITLES).replace(r"\ ", r"\s+") + r"|" + HEAD_NOUNS + r")"
_TITLE_ONLY = _alternation(TITLES).replace(r"\ ", r"\s+")
_SPEECH = _alternation(SPEECH_FORMS | set(SPEECH_PHRASES)).replace(r"\ ", r"\s+")
_CONVERSATION = _alternation(CONVERSATION_FORMS)
_PREDICATE = re.compile(
    r"(?:['’]s?(?=\s+" + _TITLE_OR_HEAD + r"))?"  # "Japan's government"
    r"(?:\s+(?!(?:" + _TITLE_ONLY + r")\b)[A-Z][a-z]+){0,4}"  # one of its bodies: "the EU Energy Platform"
    r"(?:\s+" + HEAD_NOUNS + r")*"  # "the Polish government", "U.S. officials"
    r"(?:\s+(?:and|or)\s+(?:other\s+)?[a-z]+(?:\s+[a-z]+)?(?=\s+(?:have|has|will|are|is|also)\b))?"  # "and insurers"
    r"(?:\s*\([^)]{0,60}\))?"  # "(CARICOM)"
    r"(?:\s*,\s+[^,;:]{1,100}?,)?"  # an appositive: ", as CARICOM Chair,"
    r"(?P<aux>(?:\s+(?:" + AUXILIARIES + "|" + FUTURE + r"))*)\s+"
    r"(?:(?P<conversation>(?:"
    + _CONVERSATION
    + r"|(?:held|hold|holds|had|have|has|convened)\s+"
    + CONVERSATION_NOUNS
    + r"))(?![\w’'-])"
    r"|(?P<speech>" + STATE_OF_COMMITMENT + r"|(?:" + CONTINUE + r")?(?:" + _SPEECH + r"))(?![\w’'-])"
    r"|(?P<other>[a-z]+))"
)
# Where the participants of a conversation stop being named: its purpose or subject ("to discuss", "about").
_PARTNER_ZONE_END = re.compile(r"\s(?:to\s+[a-z]+|about|regarding|concerning|where|who|which)\b|[;:]")
_PARTNER_BEFORE = re.compile(
    r"\b(?:with|to|met)\s+(?:(?:the|both|all)\s+)?(?:(?:leaders|heads\s+of\s+state|presidents|prime\s+ministers)"
    r"\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)


def _chains(sentence, actors):
    """Actors grouped into coordinations ("the United States, Japan, and Australia"): lists of actors."""
    chains = []
    for actor in actors:
        if chains and _CHAIN.fullmatch(sentence, chains[-1][-1].end, actor.start):
            chains[-1].append(actor)
        else:
            chains.append([actor])
    return chains


def _partners(sentence, start, actors):
    """The codes of who a conversation verb at ``start`` was with: the coordinated names after "with" or "to"
    (or right after "met"), before what the conversation was about."""
    zone_end = _PARTNER_ZONE_END.search(sentence, start)
    end = zone_end.start() if zone_end else len(sentence)
    codes, previous_end = [], None
    for actor in actors:
        if not start <= actor.start < end:
            continue
        after_verb = previous_end is None and not sentence[start : actor.start].strip(" ,")
        chained = previous_end is not None and _CHAIN.fullmatch(sentence, previous_end, actor.start)
        if after_verb or chained or _PARTNER_BEFORE.search(sentence, start, actor.start):
            if not actor.collective:
                codes.extend(actor.codes)
            previous_end = actor.end
    return codes


def _starts_a_clause(sentence, start):
    """Whether a noun phrase at ``start`` may be a subject: nothing before it, a punctuation mark, or a
    conjunction; not a preposition, a verb or a noun."""
    left = _LEFT_DETERMINER.sub("", sentence[:start]).rstrip()
    if not left or left[-1] in ',;:(—–-“"‘*':
        return True
    word = _LAST_WORD.search(left)
    if not word:
        return True
    word = word.group(1).lower()
    return word in OPENERS and word not in PREPOSITIONS


def sentence_speakers(sentence, actors, participants, authors):
    """{code: rule} of who speaks in ``sentence`` given its ``actors`` (``actors.find_actors``);
    ``participants`` are who a collective subject means, ``authors`` who the first person means."""
    found = {}
    for chain in _chains(sentence, actors):
        if not _starts_a_clause(sentence, chain[0].start):
            continue
        predicate = _PREDICATE.match(sentence, chain[-1].end)
        if not predicate:
            continue
        commits = predicate.group("speech") or predicate.group("conversation")
        if not commits and not re.search(r"\b(?:will|shall)\b", predicate.group("aux")):
            continue
        if predicate.group("other") and predicate.group("other") in ("be", "not"):
            continue
        for actor in chain:
            codes = participants if actor.collective else actor.codes
            rule = "collective subject" if actor.collective else "subject of a verb of saying or committing"
            for code in codes:
                found.setdefault(code, rule)
        if predicate.group("conversation"):
            for code in _partners(sentence, predicate.end(), actors):
                found.setdefault(code, "conversation")
    return found
