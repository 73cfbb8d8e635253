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

_ABBREVIATION = re.compile(
    r"(?:(?<![\w.])[A-Z]|U\.S|U\.K|Jr|Sr|Mr|Mrs|Ms|Dr|St|No|Gen|Sen|Rep|Gov|Hon|e\.g|i\.e|vs|Inc)\.$"
)
# A full stop (or ! ?) before a capital or a digit, a semicolon, line breaks. The character that ends a sentence is
# matched first, then what may follow it (a lookbehind tells which it was): the engine skips to the next such
# character in a fast loop, instead of trying each alternative at every character.
_SENTENCE_END = re.compile(r"[.!?;\n](?:(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|(?<=;)\s+|(?<=\n)\n*)")


def sentence_spans(text):
    """(start, end) of each sentence of ``text`` (and list item, and clause joined by a semicolon)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        if text[end] in ".!?":
            end += 1  # the sentence keeps its full stop
            if "\n" not in match.group() and _ABBREVIATION.search(text, max(0, end - 4), end):
                continue
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    return [(start, end) for start, end in spans if text[start:end].strip()]


def sentences(text):
    """``text`` cut into sentences (see ``sentence_spans``)."""
    return [text[start:end] for start, end in sentence_spans(text)]


_AFTER_THAT = re.compile(r"\bthat\s+(?:(?:the|both|all)\s+)?$", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|shall)\b")
_COMMA_AND = re.compile(r"\s*,\s*(?:and|or)\s")
_CHAIN = re.compile(r"\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or|&|as\s+well\s+as)\s+|[-–—/]\s*)(?:[Tt]he\s+)?")
# Determiners and modifiers before a subject: "the", "both", "previously participating", "the 68".
_MODIFIER = re.compile(r"[Tt]he|[Bb]oth|[Aa]ll|[Ee]ach|THE|[a-z]+ing|[a-z]+ly|[A-Z][a-z]+ly|new|other|several|\d+")
_OPENING_PUNCTUATION = set(',;:(—–-“"‘*')
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
    """Actors grouped into coordinations ("the United States, Japan, and Australia"): lists of actors.

    ", and" continues a list of two or more ("A, B, and C"); after one name it starts a new clause ("the East
    Asia Summit, and the President reiterated")."""
    chains = []
    for actor in actors:
        joint = chains and _CHAIN.fullmatch(sentence, chains[-1][-1].end, actor.start)
        if joint and (len(chains[-1]) > 1 or not _COMMA_AND.match(joint.group())):
            chains[-1].append(actor)
        else:
            chains.append([actor])
    return chains


def _partners(text, start, limit, actors):
    """The codes of who a conversation verb at ``start`` was with: the coordinated names after "with" or "to"
    (or right after "met"), before what the conversation was about (and before ``limit``, the sentence's end)."""
    zone_end = _PARTNER_ZONE_END.search(text, start, limit)
    end = zone_end.start() if zone_end else limit
    codes, previous_end = [], None
    for actor in actors:
        if not start <= actor.start < end:
            continue
        after_verb = previous_end is None and not text[start : actor.start].strip(" ,")
        chained = previous_end is not None and _CHAIN.fullmatch(text, previous_end, actor.start)
        if after_verb or chained or _PARTNER_BEFORE.search(text, max(start, actor.start - 60), actor.start):
            if not actor.collective:
                codes.extend(actor.codes)
            previous_end = actor.end
    return codes


def _starts_a_clause(text, start, floor):
    """Whether a noun phrase at ``start`` may be a subject (the sentence starts at ``floor``): nothing before it
    but determiners and modifiers ("the", "both", "previously participating"), a punctuation mark, or a
    conjunction; not a preposition, a verb or a noun."""
    left = text[max(floor, start - 60) : start]
    while True:
        left = left.rstrip()
        if not left or left[-1] in _OPENING_PUNCTUATION:
            return True
        cut = max(left.rfind(" "), left.rfind("\n"), left.rfind("\u00a0"))
        word = left[cut + 1 :]
        if not _MODIFIER.fullmatch(word):
            word = word.lower()
            return word in OPENERS and word not in PREPOSITIONS
        left = left[: cut + 1]


def sentence_speakers(text, span, actors, participants, authors):
    """{code: rule} of who speaks in the sentence ``text[span[0]:span[1]]`` given its ``actors``
    (``actors.find_actors``); ``participants`` are who a collective subject means, ``authors`` who the first
    person means."""
    found = {}
    floor, limit = span
    for chain in _chains(text, actors):
        if not _starts_a_clause(text, chain[0].start, floor):
            continue
        predicate = _PREDICATE.match(text, chain[-1].end, limit)
        if not predicate:
            continue
        commits = predicate.group("speech") or predicate.group("conversation")
        if not commits:
            # "will" alone is an undertaking in a clause of its own ("Indonesia will eliminate tariffs"), not in
            # a "that" clause, which reports a hope or a judgement ("we are confident that Russia will fail").
            if not _FUTURE.search(predicate.group("aux")) or predicate.group("other") in ("be", "not", "never"):
                continue
            if _AFTER_THAT.search(text, max(floor, chain[0].start - 12), chain[0].start):
                continue
        for actor in chain:
            codes = participants if actor.collective else actor.codes
            rule = "collective subject" if actor.collective else "subject of a verb of saying or committing"
            for code in codes:
                found.setdefault(code, rule)
        if predicate.group("conversation"):
            for code in _partners(text, predicate.end(), limit, actors):
                found.setdefault(code, "conversation")
    return found
