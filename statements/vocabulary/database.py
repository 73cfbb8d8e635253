"""The party vocabulary and the database: records to fixture rows (``fixture_objects``), rows to records
(``records_from_database``). The two are inverses: a fixture loaded and read back gives the records again.
"""

from .records import Membership, NameKind, PartyRecord


def fixture_objects(records):
    """The Django fixture of ``records`` (natural keys, parties by code, no ids): parties, names, memberships."""
    parties, names, memberships = [], [], []
    for record in records:
        parties.append(
            {
                "model": "statements.party",
                "fields": {
                    "code": record.code,
                    "name": record.name,
                    "short_name": record.short_name,
                    "kind": record.kind,
                    "un_status": record.un_status,
                    "note": record.note,
                },
            }
        )
        names += [
            {"model": "statements.partyname", "fields": {"party": record.code, "name": name, "kind": kind}}
            for kind, kind_names in ((NameKind.ALIAS, record.aliases), (NameKind.DEMONYM, record.demonyms))
            for name in kind_names
        ]
        memberships += [
            {
                "model": "statements.partymembership",
                "fields": {
                    "group": record.code,
                    "member": m.code,
                    "since": m.since and m.since.isoformat(),
                    "until": m.until and m.until.isoformat(),
                },
            }
            for m in record.members
        ]
    return parties + names + memberships


def records_from_database(using=None):
    """A ``PartyRecord`` for every party in the database (``using``: a database alias), in three queries."""
    from django.db import DEFAULT_DB_ALIAS

    from statements.models import Party

    parties = Party.objects.using(using or DEFAULT_DB_ALIAS).with_names_and_members()
    return [
        PartyRecord(
            code=party.code,
            kind=party.kind,
            name=party.name,
            short_name=party.short_name,
            un_status=party.un_status,
            aliases=tuple(n.name for n in party.names.all() if n.kind == NameKind.ALIAS),
            demonyms=tuple(n.name for n in party.names.all() if n.kind == NameKind.DEMONYM),
            members=tuple(Membership(m.member_id, m.since, m.until) for m in party.memberships.all()),
            note=party.note,
        )
        for party in parties
    ]
