"""The party vocabulary: every UN member and observer state, a few other actors, and the organisations and
groups that issue or sign statements, with the names statements call them by; and a matcher that finds them.

Plain functions and classes, no Django models: ``build_records()`` (pycountry + data/*.yaml) gives
``PartyRecord``s; ``PartyVocabulary`` compiles records and finds ``Mention``s in text. The database side
(``PartyVocabulary.from_database()``, the fixture command) builds on them.
"""

from .matching import How, MatchingRules, Mention, PartyVocabulary, normalise
from .records import Kind, Membership, NameKind, PartyRecord, UNStatus, VocabularyError, build_records

__all__ = [
    "How",
    "Kind",
    "MatchingRules",
    "Membership",
    "Mention",
    "NameKind",
    "PartyRecord",
    "PartyVocabulary",
    "UNStatus",
    "VocabularyError",
    "build_records",
    "normalise",
]
