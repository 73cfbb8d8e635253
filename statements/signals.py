"""Keep Clause.updated_at honest: a change to a clause's topics or parties is a change to the clause.

Clients sync with ``updated_since``; without this, re-tagging a clause would be invisible to them.
Fixture loads (``raw``) keep the timestamps the fixture carries.
"""

from django.db.models.functions import Greatest
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import PARA_EID, Clause, ClauseParty, ClauseTopic, Document


def touch_clauses(clause_ids):
    Clause.objects.filter(pk__in=clause_ids).update(updated_at=timezone.now())


@receiver(post_save, sender=ClauseTopic)
@receiver(post_save, sender=ClauseParty)
@receiver(post_delete, sender=ClauseTopic)
@receiver(post_delete, sender=ClauseParty)
def link_saved_or_deleted(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_clauses([instance.clause_id])


@receiver(m2m_changed, sender=ClauseTopic)
@receiver(m2m_changed, sender=ClauseParty)
def links_changed_through_manager(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        touch_clauses([instance.pk])
    elif pk_set:
        touch_clauses(pk_set)


@receiver(post_delete, sender=Clause)
def clause_deleted(sender, instance, origin=None, **kwargs):
    """Retire a deleted clause's para_N eid, so that Clause.objects.next_eid never gives it out again.

    Nothing to record when the whole document is being deleted.
    """
    match = PARA_EID.match(instance.eid)
    origin_model = getattr(origin, "model", type(origin))
    if match and origin_model is not Document:
        Document.objects.filter(pk=instance.document_id).update(
            highest_retired_para=Greatest("highest_retired_para", int(match[1]))
        )
