"""Saving a draft: create a document, or bring an existing one in line with its source (``--replace``).

``save_draft()`` writes in one transaction; ``diff_draft()`` says what it would change without changing
anything. Eids, positions and retirement follow the placement rules (statements.models.placement) that
the admin follows too.

Over 400 lines because ``--replace`` is one algorithm (match paragraphs, keep eids, record aliases, protect
curators' edits, retire) whose steps share the same state; new documents are written by ``creating``.
"""

import difflib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from statements.models import (
    AssignedBy,
    Clause,
    ClauseAlias,
    Document,
    DocumentParty,
    Party,
    RetiredDocument,
    Section,
    Signatory,
)
from statements.models.corpus import retired_slug_message
from statements.models.eids import fresh_eid, next_para
from statements.models.placement import POSITION_SHIFT

from .creating import add_rule_links, create_documents
from .creating import provenance as import_provenance
from .digests import unchanged_slugs
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


def save_draft(draft, replace=False, overwrite_edits=False):
    """Write a draft to the database in one transaction and return a SaveResult.

    A new document is created whole. An existing one is left alone when the file says the same
    thing (importing twice changes nothing); when it differs, ``replace`` must be given, and then
    every clause whose paragraph still exists keeps its eid (see ``match_clauses``), clauses the
    source dropped are kept as RetiredClause rows, and curator links are never touched. A clause a
    curator corrected (or added) in the admin is not overwritten (or retired) unless ``overwrite_edits``:
    the error names the clauses.
    """
    with transaction.atomic():
        document = Document.objects.filter(slug=draft.slug).first()
        if document is None:
            refuse_retired_slug(draft.slug)
            return _create(draft)
        result = _update(document, draft, overwrite_edits=overwrite_edits)
        if result.changed and not replace:
            detail = "; ".join(result.changes[:3])
            raise ImportErrorList(
                [(0, f"document {draft.slug!r} already exists and this file differs ({detail}); use --replace")]
            )
        return result


BATCH = 500  # new documents created together


def save_drafts(drafts, replace=False, overwrite_edits=False, progress=None):
    """Save many drafts in one transaction; a SaveResult each, in order. Bulk where it can be: new documents
    are created together (``create_documents``), and the stored documents are compared with their drafts
    in four queries (``digests.unchanged_slugs``), so that only those that differ are updated one by one.
    ``progress(n)`` is called as documents are done. Raises ImportErrorList as ``save_draft`` does."""
    progress = progress or (lambda done: None)
    with transaction.atomic():
        stored = Document.objects.in_bulk([draft.slug for draft in drafts], field_name="slug")
        new = [draft for draft in drafts if draft.slug not in stored]
        retired = RetiredDocument.objects.filter(slug__in=[draft.slug for draft in new]).values_list("slug", flat=True)
        for slug in retired[:1]:
            error = ImportErrorList([(0, retired_slug_message(slug))])
            error.slug = slug
            raise error
        results = {}
        for start in range(0, len(new), BATCH):
            batch = new[start : start + BATCH]
            create_documents(batch)
            results.update((draft.slug, SaveResult(draft.slug, created=True)) for draft in batch)
            progress(len(batch))
        old = [draft for draft in drafts if draft.slug in stored]
        same = unchanged_slugs(old, stored)
        for draft in old:
            if draft.slug in same:
                results[draft.slug] = SaveResult(draft.slug)
            else:
                try:
                    results[draft.slug] = save_draft(draft, replace=replace, overwrite_edits=overwrite_edits)
                except ImportErrorList as error:
                    error.slug = draft.slug  # which file it was, for the caller's report
                    raise
            progress(1)
    return [results[draft.slug] for draft in drafts]


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
            result = _update(document, draft, overwrite_edits=True, dry_run=True)
            raise _DryRun
    except _DryRun:
        pass
    return result


def _create(draft):
    create_documents([draft])
    return SaveResult(draft.slug, created=True)


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


IMPORT_REASON = "import"  # history_change_reason of the versions an import saves (a curator's have none)


def _update(document, draft, overwrite_edits=False, dry_run=False):
    """Bring ``document`` in line with ``draft``, writing only what differs; a SaveResult lists the changes.

    Raises ImportErrorList when the draft would overwrite or retire a clause a curator corrected or added,
    unless ``overwrite_edits``; a ``dry_run`` lists those clauses among the changes instead.
    """
    result = SaveResult(draft.slug)
    changed_fields = [name for name, value in draft.document_fields().items() if getattr(document, name) != value]
    if changed_fields:
        for name in changed_fields:
            result.changes.append(f"{name}: {_short(getattr(document, name))} → {_short(getattr(draft, name))}")
            setattr(document, name, getattr(draft, name))
        document._change_reason = IMPORT_REASON
        document.save(update_fields=[*changed_fields, "updated_at"])
    _update_parties(document, draft, result)
    _update_signatories(document, draft, result)

    section_drafts = draft.all_sections()
    clause_drafts = draft.clauses()
    existing = list(document.clauses.order_by("position"))
    pairs = match_clauses(existing, clause_drafts)
    kept_eids = {clause.eid for clause in pairs.values()}
    retired = [clause for clause in existing if clause.eid not in kept_eids]
    _refuse_to_overwrite_edits(document, pairs, clause_drafts, retired, overwrite_edits, dry_run, result)
    aliases = set(document.clause_aliases.values_list("eid", flat=True))
    unavailable = kept_eids | set(document.retired_clauses.values_list("eid", flat=True)) | aliases
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
                if "heading" in differs:
                    result.changes.append(
                        f"section {section.eid}: heading {_short(section.heading)} → {_short(section_draft.heading)}"
                    )
                elif set(differs) != {"position"}:
                    result.changes.append(f"section {section.eid}: {', '.join(differs)} changed")
                for name, value in wanted.items():
                    setattr(section, name, value)
                section.save(update_fields=differs)
        else:
            eid = fresh_eid(f"sec_{index}", section_eids)
            section_eids.add(eid)
            section = Section.objects.create(document=document, eid=eid, **wanted)
            result.changes.append(f"section {eid} added: {_short(section_draft.heading)}")
        saved_sections.append(section)

    # Clauses the source no longer has are retired, with their text and links, before eids are given out.
    for clause in retired:
        Clause.objects.retire(clause)
        result.retired.append(clause.eid)
        result.changes.append(f"{clause.eid} retired: {_short(clause.text)}")

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
                clause = Clause(
                    document=document,
                    section=section,
                    position=position,
                    eid=eid,
                    label=clause_draft.label,
                    text=clause_draft.text,
                )
                clause._change_reason = IMPORT_REASON
                clause.save(force_insert=True)
                add_rule_links([(clause.pk, clause_draft)])
                result.changes.append(f"{eid} added: {_short(clause_draft.text)}")
                continue
            if clause_draft.eid != clause.eid and clause_draft.eid not in unavailable:
                # The file now gives this paragraph another eid (the number it lacked): that eid cites it too.
                ClauseAlias.objects.create(document=document, eid=clause_draft.eid, clause_eid=clause.eid)
                unavailable.add(clause_draft.eid)
                result.changes.append(f"{clause.eid} is also cited as {clause_draft.eid}")
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
            if clause.label != clause_draft.label:
                result.changes.append(f"{clause.eid}: label {clause.label or '-'} → {clause_draft.label or '-'}")
            if clause.text != clause_draft.text:
                result.changes.append(f"{clause.eid}: text {describe_text_change(clause.text, clause_draft.text)}")
            text_changed = clause.text != clause_draft.text
            for name, value in wanted.items():
                setattr(clause, name, value)
            clause._change_reason = IMPORT_REASON
            clause.save(update_fields=[*differs, "updated_at"])
            if text_changed:
                _retag(clause, clause_draft)
            if was != (section.pk, position):
                moved += 1
    if moved:
        result.changes.append(f"{moved} clause(s) moved to another position or section")

    for section in sections[len(section_drafts) :]:
        section.delete()
        result.changes.append(f"section {section.eid} removed")
    return result


def _refuse_to_overwrite_edits(document, pairs, clause_drafts, retired, overwrite_edits, dry_run, result):
    """The clauses a curator corrected that the file would change, and those a curator added that it would
    retire: an ImportErrorList naming them, unless ``overwrite_edits`` (a dry run lists them as changes)."""
    changed = [clause for index, clause in pairs.items() if _differs(clause, clause_drafts[index])]
    edits = curator_edits([*changed, *retired])
    if not edits:
        return
    lines = [
        f"{clause.eid} ({'retired' if clause in retired else 'changed'} by the file) was "
        f"{'added' if how == '+' else 'corrected'} by {who} on {when:%Y-%m-%d}"
        for clause in [*changed, *retired]
        if clause.pk in edits
        for who, when, how in [edits[clause.pk]]
    ]
    if dry_run:
        result.changes.extend(f"curator's edit overwritten (--overwrite-edits): {line}" for line in lines)
    elif not overwrite_edits:
        raise ImportErrorList(
            [
                (
                    0,
                    f"document {document.slug!r}: the file would overwrite what curators did in the admin "
                    f"({'; '.join(lines)}); check those clauses, then import with --overwrite-edits to replace them",
                )
            ]
        )


def _differs(clause, clause_draft):
    return clause.text != clause_draft.text or clause.label != clause_draft.label


def curator_edits(clauses):
    """{clause pk: (username, date, "+" added or "~" corrected)} for the clauses whose last recorded version a
    curator saved (a user, not an import); two queries at most, whatever the number of clauses."""
    if not clauses:
        return {}
    versions = (
        Clause.history.filter(id__in=[clause.pk for clause in clauses])
        .order_by("id", "-history_date", "-history_id")
        .values("id", "history_user_id", "history_change_reason", "history_date", "history_type")
    )
    latest = {}
    for version in versions:
        latest.setdefault(version["id"], version)
    by_curator = {
        pk: version
        for pk, version in latest.items()
        if version["history_user_id"] is not None and version["history_change_reason"] != IMPORT_REASON
    }
    users = get_user_model().objects.in_bulk({version["history_user_id"] for version in by_curator.values()})
    return {
        pk: (
            getattr(users.get(version["history_user_id"]), "username", "a curator"),
            version["history_date"],
            version["history_type"],
        )
        for pk, version in by_curator.items()
    }


def _short(value, length=60):
    text = " ".join(str(value).split())
    return repr(text if len(text) <= length else text[: length - 1] + "…")


def describe_text_change(old, new, context=4):
    """What changed in a text, as a reader would say it: the first changed run of words with a few around it,
    before and after ("…the two sides agreed…" → "…the two sides decided…"), and how many runs changed."""
    old_words, new_words = old.split(), new.split()
    opcodes = [
        op
        for op in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if not opcodes:
        return "white space changed"
    _, i1, i2, j1, j2 = opcodes[0]

    def excerpt(words, start, end):
        before, after = max(0, start - context), min(len(words), end + context)
        text = " ".join(words[before:after])
        return ("…" if before else "") + text + ("…" if after < len(words) else "")

    more = f" (and {len(opcodes) - 1} more change(s))" if len(opcodes) > 1 else ""
    return f"“{excerpt(old_words, i1, i2)}” → “{excerpt(new_words, j1, j2)}”{more}"


def _party_ids(codes):
    """{party code: id} for ``codes``, in one query."""
    return dict(Party.objects.filter(code__in=set(codes)).values_list("code", "pk"))


def provenance(rule):
    """creating.provenance as the model's fields."""
    return dict(zip(("assigned_by", "rule"), import_provenance(rule), strict=True))


def _update_parties(document, draft, result):
    """The document's parties become the draft's, but a curator's link is never removed or downgraded: a party the
    source states becomes (or stays) a curator's; a machine one is added, re-ruled, or removed when no longer found."""
    stored = {link.party.code: link for link in document.party_links.select_related("party")}
    changes = []
    for code, link in stored.items():
        if code not in draft.parties and link.assigned_by == AssignedBy.RULE:
            link.delete()
            changes.append(f"-{code}")
    party_ids = _party_ids(code for code in draft.parties if code not in stored)
    for code, rule in draft.parties.items():
        link = stored.get(code)
        if link is None:
            DocumentParty.objects.create(document=document, party_id=party_ids[code], **provenance(rule))
            changes.append(f"+{code}")
        elif link.assigned_by == AssignedBy.RULE and (not rule or link.rule != provenance(rule)["rule"]):
            for name, value in provenance(rule).items():
                setattr(link, name, value)
            link.save(update_fields=["assigned_by", "rule"])
            changes.append(f"{code} {rule or 'stated by the source'}")
    if changes:
        result.changes.append(f"parties: {' '.join(changes)}")


def _update_signatories(document, draft, result):
    """The draft's signatories replace the stored ones when they differ; but signatories a curator recorded or
    confirmed stay unless the source itself states the signature block (the text format's)."""
    stored = list(document.signatories.select_related("party"))
    inferred = all(s.rule for s in draft.signatories)
    if inferred and any(s.assigned_by == AssignedBy.CURATOR for s in stored):
        return
    if [(s.office, s.name, s.party.code, s.rule) for s in stored] == [
        (s.office, s.name, s.party, provenance(s.rule)["rule"]) for s in draft.signatories
    ]:
        return
    document.signatories.all().delete()
    party_ids = _party_ids(s.party for s in draft.signatories)
    Signatory.objects.bulk_create(
        Signatory(
            document=document,
            position=i,
            name=s.name,
            office=s.office,
            party_id=party_ids[s.party],
            **provenance(s.rule),
        )
        for i, s in enumerate(draft.signatories, start=1)
    )
    result.changes.append("signatories changed")


def _retag(clause, clause_draft):
    """New text, new rule links: drop the old rule links, keep every curator link, add the rules' links."""
    clause.topic_links.filter(assigned_by=AssignedBy.RULE).delete()
    clause.party_links.filter(assigned_by=AssignedBy.RULE).delete()
    add_rule_links(
        [(clause.pk, clause_draft)],
        existing_topics=set(clause.topic_links.values_list("topic__slug", flat=True)),
        existing_parties=set(clause.party_links.values_list("party__code", flat=True)),
    )
