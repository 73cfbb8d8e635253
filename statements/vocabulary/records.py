"""The party vocabulary as plain records, built from pycountry and the curated data files.

``build_records()`` is the one place that turns pycountry (ISO 3166-1: codes, ISO and official names) and
``data/states.yaml`` / ``data/organisations.yaml`` (UN membership, the names statements use, organisations and
groups with their members) into ``PartyRecord``s. The ``build_party_fixture`` command writes them as the shipped
fixture; ``PartyVocabulary.from_records`` matches text against them. Nothing here touches the database.
"""

import datetime
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


class Kind:
    """What a party is (Party.kind)."""

    STATE = "state"
    ORGANISATION = "organisation"
    GROUP = "group"
    CHOICES = ((STATE, "state"), (ORGANISATION, "organisation"), (GROUP, "group"))


class UNStatus:
    """A state's standing at the United Nations (Party.un_status); organisations and groups have none ("")."""

    MEMBER = "member"
    OBSERVER = "observer"
    NONE = "none"
    CHOICES = ((MEMBER, "UN member state"), (OBSERVER, "UN observer state"), (NONE, "not a UN member"))


class NameKind:
    """What a name beyond the official and short ones is (PartyName.kind)."""

    ALIAS = "alias"  # another name: "U.S.", "ROK", "Turkey", "Chinese Taipei"
    DEMONYM = "demonym"  # an adjective or a name for the people: "Chinese", "Emirati"
    CHOICES = ((ALIAS, "alias"), (DEMONYM, "demonym or adjective"))


@dataclass(frozen=True)
class Membership:
    """``code`` is (or was) a member of a group or organisation, from ``since`` until ``until`` (None: open)."""

    code: str
    since: datetime.date | None = None
    until: datetime.date | None = None

    def on(self, date):
        """Whether the membership holds on ``date`` (always, for ``date=None``: the membership as recorded)."""
        if date is None:
            return True
        return (self.since is None or self.since <= date) and (self.until is None or date <= self.until)


@dataclass(frozen=True)
class PartyRecord:
    """One party: its code, what it is, every name it goes by, and its members (groups and organisations)."""

    code: str
    kind: str
    name: str  # the official name
    short_name: str  # the name a reader expects
    un_status: str = ""
    aliases: tuple = ()
    demonyms: tuple = ()
    members: tuple = ()  # Membership
    note: str = ""


class VocabularyError(ValueError):
    """The curated data contradicts itself or pycountry (an unknown code, a name given to two parties...)."""


def typographic(name):
    """Names are stored as statements print them: with the typographic apostrophe."""
    return name.replace("'", "’")


@cache
def read_data(filename):
    """One of the curated YAML files in ``data/``, parsed."""
    with open(DATA_DIR / filename, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def build_records(states=None, organisations=None, matching=None):
    """Every party of the vocabulary: the states (UN members, observers, others), then organisations and groups.

    ``states``, ``organisations`` and ``matching`` are the parsed data files (default: those in data/).
    Raises VocabularyError when the data is inconsistent: a code pycountry does not know and the data does
    not name, a member that is not a party, or one name given to two parties.
    """
    states = states if states is not None else read_data("states.yaml")
    organisations = organisations if organisations is not None else read_data("organisations.yaml")
    matching = matching if matching is not None else read_data("matching.yaml")
    records = _state_records(states, unnamed=set(matching.get("ambiguous", ()))) + _organisation_records(organisations)
    _check(records)
    return records


def _state_records(data, unnamed):
    members, observers = set(data["un_members"]), set(data["un_observers"])
    curated = data["states"]
    records = []
    for code in sorted(members | observers | set(curated)):
        entry = curated.get(code) or {}
        country = pycountry.countries.get(alpha_2=code.upper())
        iso_name, official, common = (
            _usable(getattr(country, a, "")) for a in ("name", "official_name", "common_name")
        )
        name = typographic(entry.get("official_name") or official or iso_name)
        short_name = typographic(entry.get("short_name") or common or iso_name)
        if not name or not short_name:
            raise VocabularyError(
                f"{code}: pycountry does not know it: states.yaml must give official_name and short_name"
            )
        aliases = [typographic(a) for a in (iso_name, official, common, *entry.get("aliases", ())) if a]
        records.append(
            PartyRecord(
                code=code,
                kind=Kind.STATE,
                name=name,
                short_name=short_name,
                un_status=_un_status(code, members, observers),
                aliases=_unique(aliases, exclude={name, short_name, *unnamed}),
                demonyms=_unique([typographic(d) for d in entry.get("demonyms", ())]),
                note=" ".join(entry.get("note", "").split()),
            )
        )
    return records


def _un_status(code, members, observers):
    if code in members:
        return UNStatus.MEMBER
    return UNStatus.OBSERVER if code in observers else UNStatus.NONE


def _organisation_records(data):
    records = []
    for code, entry in data.items():
        name, short_name = entry["name"], entry.get("short_name", entry["name"])
        records.append(
            PartyRecord(
                code=code,
                kind=entry["kind"],
                name=name,
                short_name=short_name,
                aliases=_unique(entry.get("aliases", ()), exclude={name, short_name}),
                members=tuple(_membership(member) for member in entry.get("members", ())),
                note=" ".join(entry.get("note", "").split()),
            )
        )
    return records


def _membership(member):
    if isinstance(member, str):
        return Membership(member)
    return Membership(member["code"], member.get("since"), member.get("until"))


def _usable(name):
    """A pycountry name as statements write it, or "" for an ISO list form ("Korea, Republic of", "Holy See
    (Vatican City State)"); without the lower-case article of some official names ("the State of Eritrea")."""
    if not name or "," in name or "(" in name:
        return ""
    return name.removeprefix("the ")


def _unique(names, exclude=()):
    """The names in their order, each once, without those in ``exclude``."""
    seen = set(exclude)
    kept = []
    for name in names:
        if name not in seen:
            seen.add(name)
            kept.append(name)
    return tuple(kept)


def _check(records):
    codes = {record.code for record in records}
    owner = {}
    problems = []
    for record in records:
        if record.kind not in dict(Kind.CHOICES):
            problems.append(f"{record.code}: kind {record.kind!r} is not one of {', '.join(dict(Kind.CHOICES))}")
        if record.kind != Kind.STATE and re.fullmatch("[a-z]{2}", record.code) and record.code not in ("eu", "un"):
            problems.append(f"{record.code}: two letters would look like a state's code (only eu and un may)")
        problems += [f"{record.code}: member {m.code!r} is not a party" for m in record.members if m.code not in codes]
        other_names = [*record.aliases, *record.demonyms]
        problems += [
            f"{record.code}: {name!r} is listed twice"
            for name in set(other_names)
            if other_names.count(name) > 1 or name in (record.name, record.short_name)
        ]
        for name in (record.name, record.short_name, *other_names):
            if owner.setdefault(name, record.code) != record.code:
                problems.append(f"{name!r} names both {owner[name]} and {record.code}")
    if problems:
        raise VocabularyError("; ".join(problems))
