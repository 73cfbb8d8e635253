"""A clause's topic and party ids on its row and in its full-text index (PostgreSQL; statements.models.link_ids).

At a million clauses the table is rewritten once and its indexes rebuilt: about 2 minutes on the shared 2-core
machine (load 6). SQLite changes nothing: its filters read the link tables.
"""

from django.db import migrations

from statements.migrations._sql import run_sql
from statements.models import link_ids


class Migration(migrations.Migration):
    dependencies = [("statements", "0020_drop_covered_indexes")]

    operations = [
        migrations.RunPython(
            run_sql({"postgresql": link_ids.postgresql_forward()}),
            run_sql({"postgresql": link_ids.postgresql_reverse()}),
            elidable=False,
        )
    ]
