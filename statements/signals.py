"""Keep Clause.updated_at honest: a change to a clause's topics or parties is a change to the clause.

Also: the version of a clause or document before its first recorded change is kept (record_the_version_...).

Clients sync with ``updated_since``; without this, re-tagging a clause would be invisible to them.
Fixture loads (``raw``) keep the timestamps the fixture carries.
"""

from django.db import router
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from .models import Clause, ClauseParty, ClauseTopic, Document


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


@receiver(pre_save, sender=Clause)
@receiver(pre_save, sender=Document)
def record_the_version_before_the_first_change(sender, instance, raw=False, **kwargs):
    """A row with no history yet (loaded from a fixture, bulk-imported) gets its stored version recorded first.

    django-simple-history records each version as it is saved; without this, the first edit of a row that
    was never saved one by one would show what it became but not what it was.
    """
    if raw or instance.pk is None:
        return
    primary = router.db_for_write(sender, instance=instance)  # the stored version, not a lagging replica's
    if instance.history.using(primary).exists():
        return
    stored = sender.objects.using(primary).filter(pk=instance.pk).first()
    if stored is not None:
        get_history_manager_for_model(sender).bulk_history_create([stored], default_date=stored.updated_at)
