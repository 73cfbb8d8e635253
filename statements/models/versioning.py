"""The data version: one counter that every write to the published data bumps (the API's cache keys and ETags)."""

from django.db import models
from django.db.models import Q


class DataVersion(models.Model):
    """One row: a counter that every write to the published data bumps, and when that happened.

    Database triggers (migration 0005) bump it for every INSERT, UPDATE or DELETE on the tables the API
    serves, whoever writes (admin, importer, loaddata, bulk_create, COPY, raw SQL), in the writer's own
    transaction. The API puts it in its cache keys and ETags, and answers Last-Modified with ``changed_at``.
    """

    version = models.BigIntegerField(default=0, help_text="Bumped by every write to the published data.")
    changed_at = models.DateTimeField(help_text="When the published data last changed.")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="dataversion_single_row")]

    def __str__(self):
        return f"data version {self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def now(cls):
        """The version in the database now (one query), or None before the row exists."""
        return cls.objects.filter(pk=1).values_list("version", flat=True).first()
