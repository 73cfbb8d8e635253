"""Saving a draft: create a document, or bring an existing one in line with its source (``--replace``).

``save_draft()`` writes in one transaction; ``diff_draft()`` says what it would change without changing
anything. Eids, positions and retirement follow the placement rules (statements.models.placement) that
the admin follows too.
"""

import difflib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from statements.models import (
    AssignedBy,
    Clause,
    ClauseParty,
    ClauseTopic,
    Document,
    Party,
    RetiredDocument,
    Section,
    Signatory,
    Topic,
)
from statements.models.corpus import retired_slug_message
from statements.models.eids import fresh_eid, next_para
from statements.models.placement import POSITION_SHIFT

from .drafts import ImportErrorList


def known_parties():
    """{code: [code, name, short name]} for every party in the database: what ``parse(parties=...)`` expects."""
    return {party.code: [party.code, party.name, party.short_name] for party in Party.objects.all()}


@dataclass
class SaveResult:
    """What save_draft did (or, for an unchanged file, did not do)."""

    slug: str
    created: bool = False
    changes: list = field(default_factory=list)  # human-readable lines, one per change
    retired: list = field(default_factory=list)  # eids of clauses the source no longer has

    @property
    def changed(self):
        return self.created or bool(self.changes)


SIMILAR_TEXT = 0.8  # difflib ratio above which an unnumbered paragraph is "the same paragraph, edited"


def save_draft(draft, replace=False):
    """Write a draft to the database in one transaction and return a SaveResult.

    A new document is created whole. An existing one is left alone when the file says the same
    thing (importing twice changes nothing); when it differs, ``replace`` must be given, and then
    every clause whose paragraph still exists keeps its eid (see ``match_clauses``), clauses the
    source dropped are kept as RetiredClause rows, and curator links are never touched.
    """
    with transaction.atomic():
        document = Document.objects.filter(slug=draft.slug).first()
        if document is None:
            refuse_retired_slug(draft.slug)
            return _create(draft)
        result = _update(document, draft)
        if result.changed and not replace:
            detail = "; ".join(result.changes[:3])
            raise ImportErrorList(
                [(0, f"document {draft.slug!r} already exists and this file differs ({detail}); use --replace")]
            )
        return result


def refuse_retired_slug(slug):
    """A retired document's slug begins published citations: it is never given to an imported document."""
    if RetiredDocument.objects.filter(slug=slug).exists():
        raise ImportErrorList([(0, retired_slug_message(slug))])


class _DryRun(Exception):
    """Raised inside the transaction to roll back a comparison."""


def diff_draft(draft):
    """What save_draft(draft, replace=True) would change, without changing anything: a SaveResult."""
    document = Document.objects.filter(slug=draft.slug).first()
    if document is None:
        refuse_retired_slug(draft.slug)
        return SaveResult(draft.slug, created=True)
    try:
        with transaction.atomic():
            result = _update(document, draft)
            raise _DryRun
    except _DryRun:
        pass
    return result


def _create(draft):
    parties = {party.code: party for party in Party.objects.filter(code__in=draft.parties)}
    document = Document.objects.create(slug=draft.slug, **draft.document_fields())
    document.parties.set([parties[code] for code in draft.parties])
    Signatory.objects.bulk_create(
        Signatory(document=document, position=i, name=s.name, office=s.office, party=_party(s.party))
        for i, s in enumerate(draft.signatories, start=1)
    )
    position, created = 0, []
    for index, section_draft in enumerate(draft.all_sections(), start=1):
        section = Section.objects.create(
            document=document,
            position=index,
            eid=f"sec_{index}",
            heading=section_draft.heading,
            heading_is_editorial=section_draft.heading_is_editorial,
        )
        clauses = []
        for clause_draft in section_draft.clauses:
            position += 1
            clauses.append(
                Clause(
                    document=document,
                    section=section,
                    position=position,
                    eid=clause_draft.eid,
                    label=clause_draft.label,
                    text=clause_draft.text,
                )
            )
        created.extend(zip(Clause.objects.bulk_create(clauses), section_draft.clauses, strict=True))
    _add_rule_links(created)
    return SaveResult(draft.slug, created=True)


def _party(code):
    return Party.objects.get(code=code)


def _add_rule_links(clauses, existing_topics=(), existing_parties=()):
    """Create the rule links of [(clause, clause_draft)], skipping topics and parties a curator already linked.

    Two lookups and two inserts whatever the number of clauses.
    """
    topic_slugs = {slug for _, draft in clauses for slug in draft.topics}
    party_codes = {code for _, draft in clauses for code in draft.parties}
    topics = Topic.objects.in_bulk(topic_slugs, field_name="slug") if topic_slugs else {}
    parties = Party.objects.in_bulk(party_codes, field_name="code") if party_codes else {}
    ClauseTopic.objects.bulk_create(
        ClauseTopic(clause=clause, topic=topics[slug], assigned_by=AssignedBy.RULE, rule=rule[:200])
        for clause, draft in clauses
        for slug, rule in draft.topics.items()
        if slug in topics and slug not in existing_topics
    )
    ClauseParty.objects.bulk_create(
        ClauseParty(clause=clause, party=parties[code], assigned_by=AssignedBy.RULE, rule=rule[:200])
        for clause, draft in clauses
        for code, rule in draft.parties.items()
        if code in parties and code not in existing_parties
    )


def match_clauses(existing, drafts):
    """Pair each draft clause with the existing clause it continues: {draft index: existing clause}.

    1. A numbered paragraph continues the clause with the same eid and label (its number did not change).
    2. Any other paragraph continues an unpaired clause with exactly the same text, first come first served.
    3. Then one whose text is similar (difflib ratio >= 0.8), the most similar first: an edited paragraph.
    Unpaired draft clauses are new; unpaired existing clauses are retired.
    """
    pairs, free = {}, list(existing)
    by_eid = {clause.eid: clause for clause in existing}
    for index, draft in enumerate(drafts):
        clause = by_eid.get(draft.eid)
        if draft.label and clause is not None and clause.label == draft.label:
            pairs[index] = clause
            free.remove(clause)
    for index, draft in enumerate(drafts):
        if index in pairs:
            continue
        clause = next((c for c in free if c.text == draft.text), None)
        if clause is not None:
            pairs[index] = clause
            free.remove(clause)
    candidates = []
    for index, draft in enumerate(drafts):
        if index in pairs:
            continue
        for clause in free:
            ratio = difflib.SequenceMatcher(None, clause.text, draft.text, autojunk=False).ratio()
            if ratio >= SIMILAR_TEXT:
                candidates.append((-ratio, index, clause.pk, clause))
    for _, index, _, clause in sorted(candidates, key=lambda c: c[:3]):
        if index not in pairs and clause in free:
            pairs[index] = clause
            free.remove(clause)
    return pairs


def _update(document, draft):
    """Bring ``document`` in line with ``draft``, writing only what differs; a SaveResult lists the changes."""
    result = SaveResult(draft.slug)
    changed_fields = [name for name, value in draft.document_fields().items() if getattr(document, name) != value]
    if changed_fields:
        for name in changed_fields:
            setattr(document, name, getattr(draft, name))
        document.save(update_fields=[*changed_fields, "updated_at"])
        result.changes.append(f"document fields changed: {', '.join(changed_fields)}")
    if sorted(document.parties.values_list("code", flat=True)) != sorted(draft.parties):
        document.parties.set(list(_parties(draft.parties)))
        result.changes.append("parties changed")
    signatories = [(s.office, s.name, s.party.code) for s in document.signatories.select_related("party")]
    if signatories != [(s.office, s.name, s.party) for s in draft.signatories]:
        document.signatories.all().delete()
        Signatory.objects.bulk_create(
            Signatory(document=document, position=i, name=s.name, office=s.office, party=_party(s.party))
            for i, s in enumerate(draft.signatories, start=1)
        )
        result.changes.append("signatories changed")

    section_drafts = draft.all_sections()
    clause_drafts = draft.clauses()
    existing = list(document.clauses.order_by("position"))
    pairs = match_clauses(existing, clause_drafts)
    kept_eids = {clause.eid for clause in pairs.values()}
    retired = [clause for clause in existing if clause.eid not in kept_eids]
    unavailable = kept_eids | set(document.retired_clauses.values_list("eid", flat=True))
    unavailable |= {clause.eid for clause in retired}

    # Sections: the i-th section of the file updates the i-th existing one (sections are not cited).
    sections = list(document.sections.order_by("position"))
    needs_reorder = len(sections) != len(section_drafts) or len(existing) != len(clause_drafts) or bool(retired)
    needs_reorder = needs_reorder or any(
        pairs.get(i) is None or pairs[i].position != i + 1 for i in range(len(clause_drafts))
    )
    if needs_reorder:
        document.sections.update(position=F("position") + POSITION_SHIFT)
        document.clauses.update(position=F("position") + POSITION_SHIFT)
    section_eids = {section.eid for section in sections}
    saved_sections = []
    for index, section_draft in enumerate(section_drafts, start=1):
        wanted = {
            "position": index,
            "heading": section_draft.heading,
            "heading_is_editorial": section_draft.heading_is_editorial,
        }
        if index <= len(sections):
            section = sections[index - 1]
            if needs_reorder:
                section.position += POSITION_SHIFT
            differs = [name for name, value in wanted.items() if getattr(section, name) != value]
            if differs:
                for name, value in wanted.items():
                    setattr(section, name, value)
                section.save(update_fields=differs)
                if set(differs) != {"position"}:
                    result.changes.append(f"section {section.eid}: {', '.join(differs)} changed")
        else:
            eid = fresh_eid(f"sec_{index}", section_eids)
            section_eids.add(eid)
            section = Section.objects.create(document=document, eid=eid, **wanted)
            result.changes.append(f"section {eid} added")
        saved_sections.append(section)

    # Clauses the source no longer has are retired, with their text and links, before eids are given out.
    for clause in retired:
        Clause.objects.retire(clause)
        result.retired.append(clause.eid)
        result.changes.append(f"{clause.eid} retired")

    position = moved = 0
    for section, section_draft in zip(saved_sections, section_drafts, strict=True):
        for clause_draft in section_draft.clauses:
            position += 1
            clause = pairs.get(position - 1)
            if clause is None:
                if clause_draft.label or clause_draft.eid not in unavailable:
                    eid = fresh_eid(clause_draft.eid, unavailable)
                else:
                    # An unnumbered paragraph's eid was its position when first published: take the next number.
                    eid = next_para(unavailable | {c.eid for c in clause_drafts})
                unavailable.add(eid)
                clause = Clause.objects.create(
                    document=document,
                    section=section,
                    position=position,
                    eid=eid,
                    label=clause_draft.label,
                    text=clause_draft.text,
                )
                _add_rule_links([(clause, clause_draft)])
                result.changes.append(f"{eid} added")
                continue
            was = (clause.section_id, clause.position)
            if needs_reorder:
                clause.position += POSITION_SHIFT
            wanted = {
                "section_id": section.pk,
                "position": position,
                "label": clause_draft.label,
                "text": clause_draft.text,
            }
            differs = [name for name, value in wanted.items() if getattr(clause, name) != value]
            if not differs:
                continue
            text_changed = clause.text != clause_draft.text
            for name, value in wanted.items():
                setattr(clause, name, value)
            clause.save(update_fields=[*differs, "updated_at"])
            if text_changed:
                _retag(clause, clause_draft)
            edited = [name for name in differs if name in ("label", "text")]
            if edited:
                result.changes.append(f"{clause.eid}: {', '.join(edited)} changed")
            if was != (section.pk, position):
                moved += 1
    if moved:
        result.changes.append(f"{moved} clause(s) moved to another position or section")

    for section in sections[len(section_drafts) :]:
        section.delete()
        result.changes.append(f"section {section.eid} removed")
    return result


def _parties(codes):
    return Party.objects.filter(code__in=codes)


def _retag(clause, clause_draft):
    """New text, new rule links: drop the old rule links, keep every curator link, add the rules' links."""
    clause.topic_links.filter(assigned_by=AssignedBy.RULE).delete()
    clause.party_links.filter(assigned_by=AssignedBy.RULE).delete()
    _add_rule_links(
        [(clause, clause_draft)],
        existing_topics=set(clause.topic_links.values_list("topic__slug", flat=True)),
        existing_parties=set(clause.party_links.values_list("party__code", flat=True)),
    )
