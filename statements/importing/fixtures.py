"""Fixture output: a draft as natural-key fixture objects (what ``loaddata`` reads), without a database."""

import datetime

from .creating import provenance


def _provenance(rule, stamp=None):
    """A fixture object's Provenance fields (and a link's ``created_at``, given ``stamp``)."""
    assigned_by, rule = provenance(rule)
    return {"assigned_by": assigned_by, "rule": rule, **({"created_at": stamp} if stamp else {})}


def draft_to_fixture(draft, now=None):
    """The draft as a list of natural-key fixture objects (what ``loaddata`` reads), without a database."""
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    document_fields = draft.document_fields()
    document_fields["date"] = draft.date.isoformat()
    objects = [
        {
            "model": "statements.document",
            "fields": {
                "slug": draft.slug,
                **document_fields,
                "created_at": stamp,
                "updated_at": stamp,
            },
        },
        *(
            {
                "model": "statements.documentparty",
                "fields": {"document": [draft.slug], "party": [code], **_provenance(rule, stamp)},
            }
            for code, rule in draft.parties.items()
        ),
    ]
    for position, signatory in enumerate(draft.signatories, start=1):
        objects.append(
            {
                "model": "statements.signatory",
                "fields": {
                    "document": [draft.slug],
                    "position": position,
                    "name": signatory.name,
                    "office": signatory.office,
                    "party": [signatory.party],
                    **_provenance(signatory.rule),
                },
            }
        )
    clause_objects, link_objects, position = [], [], 0
    for index, section in enumerate(draft.all_sections(), start=1):
        objects.append(
            {
                "model": "statements.section",
                "fields": {
                    "document": [draft.slug],
                    "position": index,
                    "eid": f"sec_{index}",
                    "heading": section.heading,
                    "heading_is_editorial": section.heading_is_editorial,
                },
            }
        )
        for clause in section.clauses:
            position += 1
            clause_objects.append(
                {
                    "model": "statements.clause",
                    "fields": {
                        "document": [draft.slug],
                        "section": [draft.slug, f"sec_{index}"],
                        "position": position,
                        "eid": clause.eid,
                        "label": clause.label,
                        "text": clause.text,
                        "created_at": stamp,
                        "updated_at": stamp,
                    },
                }
            )
            for model, key, links in (
                ("clausetopic", "topic", clause.topics),
                ("clauseparty", "party", clause.parties),
            ):
                for target, rule in links.items():
                    link_objects.append(
                        {
                            "model": f"statements.{model}",
                            "fields": {
                                "clause": [draft.slug, clause.eid],
                                key: [target],
                                "assigned_by": "rule",
                                "rule": rule[:200],
                                "created_at": stamp,
                            },
                        }
                    )
    return objects + clause_objects + link_objects
