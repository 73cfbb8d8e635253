"""The words the attribution rules read: verbs of saying and committing, what may stand between a subject and its
verb, collective subjects, titles. Plain data, general English (docs/annotation-guidelines.md, section 3),
never a word chosen for one document.
"""

import re


def _words(text):
    """The words of a whitespace-separated list."""
    return text.split()


# Verbs of saying or committing (guidelines 3.1), as lemmas; their forms are made by ``verb_forms``.
SPEECH_VERBS = _words(
    """
    say state note stress underscore underline emphasize emphasise highlight agree welcome condemn commit pledge
    reaffirm reiterate affirm announce express convey thank congratulate commend praise applaud laud appreciate
    discuss consult update describe call urge recognize recognise acknowledge decide endorse sign support oppose
    reject intend plan launch establish join elevate invite accept confirm share review exchange outline brief
    explain propose raise request encourage offer adopt approve conclude reach vow resolve seek aim look hope
    mourn deplore denounce regret value view consider believe underline unveil release issue renew deepen
    expand strengthen advance pursue stand recommit celebrate honor honour mark reflect
    welcome request order designate direct announce finalize finalise complete deliver provide fund allocate
    commission task instruct elaborate emphasize signal assure reassure warn insist demand appeal recall
    """
)
# "-ing" forms opening a preamble clause ("Recognizing ...", "Reaffirming ...").
SPEECH_PARTICIPLES = [
    (lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma) + "ing"
    for lemma in SPEECH_VERBS
    if lemma not in ("say", "state", "call", "share", "look", "mark", "view", "stand")
] + ["noting", "recalling", "convinced", "determined", "mindful", "guided", "deeply"]
# Conversations: every participant speaks (guidelines 3.3).
CONVERSATION_VERBS = ["speak", "meet", "talk"]
CONVERSATION_NOUNS = (
    r"(?:an?\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:call|calls|talks|meeting|meetings|conversation|consultations|discussions?|dialogue|summit|exchanges?|"
    r"sessions?|negotiations)"
)

_IRREGULAR = {
    "say": ["said", "says", "saying"],
    "speak": ["spoke", "spoken", "speaks", "speaking"],
    "meet": ["met", "meets", "meeting"],
    "seek": ["sought", "seeks", "seeking"],
    "stand": ["stood", "stands", "standing"],
    "hold": ["held", "holds", "holding"],
    "lead": ["led", "leads", "leading"],
}
_DOUBLING = {"commit", "plan", "regret", "recommit", "signal"}


def verb_forms(lemma):
    """The finite forms of a regular (or listed irregular) verb: base, -s, past."""
    if lemma in _IRREGULAR:
        return [lemma, *_IRREGULAR[lemma]]
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d"]
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied"]
    if lemma.endswith(("s", "sh", "ch", "x")):
        return [lemma, lemma + "es", lemma + "ed"]
    past = lemma + lemma[-1] + "ed" if lemma in _DOUBLING else lemma + "ed"
    return [lemma, lemma + "s", past]


def _alternation(words):
    return "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))


SPEECH_FORMS = {form for lemma in SPEECH_VERBS for form in verb_forms(lemma)} - {"offers"}
# Verbs of saying of more than one word.
SPEECH_PHRASES = ["set out", "sets out", "look forward", "looks forward", "looked forward", "took note", "take note",
                  "takes note", "put forward", "puts forward", "spoke out"]  # fmt: skip
CONVERSATION_FORMS = {form for lemma in CONVERSATION_VERBS for form in verb_forms(lemma)} - {"meeting", "speaking"}

# What may stand between a subject and its verb: adverbs and auxiliaries ("also", "today", "has", "will").
# "will"/"shall" are themselves a commitment (a future undertaking, guidelines 3.1).
AUXILIARIES = (
    r"(?:also|further|jointly|together|today|yesterday|again|both|each|all|then|once\s+again|"
    r"(?:have|has|had)(?:\s+(?:also|jointly|today))?|did|do|does|[a-z]+ly)"
)
FUTURE = r"(?:will|shall)"
# "is committed", "are determined", "remain steadfast": a state that commits.
STATE_OF_COMMITMENT = (
    r"(?:is|are|was|were|remains?|remained|stands?|stood)\s+(?:\w+ly\s+|also\s+|now\s+)?"
    r"(?:committed|determined|ready|resolved|united|steadfast|unwavering|unified|pleased|proud|grateful|honored|"
    r"honoured|concerned|deeply|working|prepared|looking\s+forward|firm|clear|eager|keen|dedicated)"
)
# "continues to support", "will continue to", "intends to": a verb that takes another.
CONTINUE = r"(?:continues?|continued|seeks?|aims?)\s+to\s+"

# Collective subjects that mean every party they refer to (guidelines 3.4): "the two leaders", "both sides"...
# (No assertion opens these patterns, so that the regular expression engine can skip to their first letters;
# the caller checks that a match starts a word: ``starts_a_word``.)
COLLECTIVES = re.compile(
    r"(?:(?:[Tt]he|[Bb]oth|[Aa]ll)\s+(?:(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+)?"
    r"(?:[Ll]eaders|[Ss]ides|[Pp]arties|[Cc]ountries|[Gg]overnments|[Pp]residents|[Pp]rime\s+[Mm]inisters|"
    r"[Nn]ations|[Pp]articipants|[Mm]embers|[Mm]ember\s+[Ss]tates|[Pp]artners|[Cc]hancellors|[Mm]inisters|"
    r"[Ff]oreign\s+[Mm]inisters|[Ss]ecretaries|[Dd]elegations|[Hh]eads\s+of\s+[Ss]tate|"
    r"[Nn]ational\s+[Ss]ecurity\s+[Aa]dvis[eo]rs)"
    r"|[Bb]oth\s+(?:leaders|sides|countries|governments|presidents|nations)"
    r"|(?:[Tt]hey|[Mm]embers|[Ll]eaders|[Bb]oth))(?![\w’'-])"
)
# The authors' first person (guidelines 3.4), anywhere in a clause: ``first_person``.
# A joint body a title names ("U.S.-EU Task Force on Energy Security"): "the Task Force" is the parties it
# joins (guidelines 3.6).
JOINT_BODY = re.compile(
    r"\b(?:Task\s+Force|Working\s+Group|Joint\s+(?:Committee|Commission|Council)|Steering\s+Committee|"
    r"Coordination\s+Council|Dialogue|Council|Commission|Committee)\b"
)
# Closing formulas set apart from the text ("ADOPTED in ...", "Signed at ...") have no speaker (3.4).
CLOSING_FORMULA = re.compile(r"^\s*(?:ADOPTED|Adopted|SIGNED|Signed|DONE|Done|Witnessed)\b")

# Words after which a name cannot be a subject (it is an object or inside a noun phrase).
PREPOSITIONS = set(
    _words(
        """of with to for by from on in at between among amongst toward towards against including include includes
    about into onto over under upon through via than like per across behind beyond despite during except
    within without alongside around regarding concerning following amid before after until
    and/or versus"""
    )
)
# Words after which a name may start a (sub)clause as its subject.
OPENERS = set(
    _words(
        """and but or that while whereas as where when which who whom whereby because although though since if so
    also then today yesterday together further furthermore moreover additionally finally meanwhile likewise
    similarly accordingly therefore thus indeed notably separately earlier later now first second third"""
    )
)
# Nouns that continue a party's noun phrase as its head: "the Polish government", "U.S. officials".
HEAD_NOUNS = (
    r"(?:government|governments|side|sides|officials|official|delegation|delegations|leader|leaders|leadership|"
    r"authorities|administration|counterparts?|team|teams|negotiators|ministry|ministries|department|agencies|"
    r"members|member\s+states|Member\s+States|partners|allies|Allies|people|Government|Administration|Department|Ministry|Coast\s+Guard|Armed\s+Forces|military|forces)"
)

# Titles of leaders and officials, longest first (statements/vocabulary/data/matching.yaml has the same for
# "<title> of <party>"); the publisher's own officials are told by PUBLISHER_TITLES.
TITLES = [
    "Vice President", "President-elect", "President", "Deputy Prime Minister", "Prime Minister", "Federal Chancellor",
    "Chancellor", "Crown Prince", "King", "Queen", "Emir", "Amir", "Sultan", "Sheikh", "Taoiseach", "Premier",
    "His Majesty", "Her Majesty", "His Highness", "Her Highness", "Secretary-General", "Secretary General",
    "General Secretary", "Secretary of State", "Secretary", "Foreign Minister", "Minister", "Chairman", "Chair",
    "National Security Advisor", "National Security Adviser", "Ambassador", "Special Envoy", "Governor-General",
    "High Representative", "Commissioner", "Prince", "Grand Duke", "State Counsellor",
]  # fmt: skip
# Titles of a state's leaders and ministers that are not the publisher's: in a bilateral text, a leader so titled
# and named without a state is the partner's ("Prime Minister Modi" in a U.S.–India statement).
LEADER_TITLES = {
    "Prime Minister", "Deputy Prime Minister", "Chancellor", "Federal Chancellor", "Crown Prince", "King", "Queen",
    "Emir", "Amir", "Sultan", "Sheikh", "Taoiseach", "Premier", "His Majesty", "Her Majesty", "His Highness",
    "Her Highness", "Foreign Minister", "Minister", "Prince", "Grand Duke", "State Counsellor",
}  # fmt: skip
# Titles that, without a state, are the publisher's own (guidelines 3.5: "the President", U.S. Secretaries, the
# National Security Advisor).
PUBLISHER_TITLES = {
    "President", "Vice President", "President-elect", "Secretary of State", "Secretary", "National Security Advisor",
    "National Security Adviser", "Ambassador", "Special Envoy",
}  # fmt: skip
NAME_PARTICLES = r"(?:bin|bint|al|Al|el|de|da|di|do|dos|del|van|von|der|den|la|le|du|ibn|Jr\.?|Sr\.?)"
# A word of a person's name: an initial, a capitalised word (O’Brien, not the possessive Biden’s), a particle.
_NAME_WORD = (
    r"(?:[A-Z]\.|[A-ZÀ-ÖØ-ÞĀ-Ž][\w\-]*(?:['’][A-Za-z]{2,}[\w\-]*)?\.?|" + NAME_PARTICLES + r")"
    r"(?!\w)(?!['’][A-Za-z]{2})"  # a possessive may follow: "President Joe Biden’s call"
)
TITLED_PERSON = re.compile(
    r"(?P<title>"
    + _alternation(TITLES).replace(r"\ ", r"\s+")
    + r")(?![\w’'])(?P<name>(?:\s+"
    + _NAME_WORD
    + r"){0,6}(?:,\s+(?:Jr|Sr)\.?,?)?)"
)
_DEFINITE = re.compile(r"(?<![\w-])[Tt]he\s+$")


def starts_a_word(text, start):
    """Whether ``start`` is the start of a word of ``text`` (no letter, digit, hyphen or apostrophe before)."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_-’'")


def is_definite(text, start):
    """Whether "the" stands right before ``start`` ("the Prime Minister")."""
    return bool(_DEFINITE.search(text, max(0, start - 6), start))


# The first person's words and what may end them ("ours", "ourselves", "we’ve").
_FIRST_PERSON_ENDINGS = {"we": ("", "’", "'"), "our": ("", "s", "selves"), "us": ("",)}


def first_person(text):
    """Whether ``text`` speaks in the first person: "we", "our", "us" (not "US"), "ours", "we’ve", as words.

    Each pronoun is found by ``str.find`` on the lower-cased text and checked where it stands: a regular
    expression would try every "w", "o" and "u" of the clause (this runs on every clause)."""
    low = text.lower()
    for pronoun, endings in _FIRST_PERSON_ENDINGS.items():
        at = low.find(pronoun)
        while at != -1:
            end = at + len(pronoun)
            if starts_a_word(low, at) and (pronoun != "us" or text[at] == "u"):
                for ending in endings:
                    if low.startswith(ending, end) and not _continues_a_word(low, end + len(ending), ending):
                        return True
            at = low.find(pronoun, end)
    return False


def _continues_a_word(low, end, ending):
    if ending in ("’", "'"):
        return False  # "we’ve", "we're"
    return end < len(low) and (low[end].isalnum() or low[end] in "_-’'")


_COLLECTIVE_HEADS = (
    "leaders", "sides", "parties", "countries", "governments", "presidents", "ministers", "nations", "participants",
    "members", "states", "partners", "chancellors", "they", "both", "secretaries", "delegations", "advisors",
    "advisers", "heads",
)  # fmt: skip


def collectives(text):
    """The spans of COLLECTIVES in ``text`` that start a word, in order, longest first at one start.

    Each head word is found by ``str.find`` and COLLECTIVES searched in a short window around it: the pattern's
    first letters (t, b, a, l, m...) are too common for the engine to skip ahead on a whole clause."""
    low = text.lower()
    spans = set()
    for head in _COLLECTIVE_HEADS:
        at = low.find(head)
        while at != -1:
            for match in COLLECTIVES.finditer(text, max(0, at - 45), at + len(head) + 1):
                if match.start() <= at < match.end() and starts_a_word(text, match.start()):
                    spans.add(match.span())
            at = low.find(head, at + len(head))
    return sorted(spans, key=lambda span: (span[0], -span[1]))
