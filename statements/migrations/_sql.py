"""What the migrations that run hand-written SQL share. (Django's migration loader skips modules whose name starts
with an underscore: this one is a helper, not a migration.)"""


def run_sql(statements_by_vendor, *, missing=None):
    """A RunPython function that executes, in order, the statements given for the database's vendor.

    A vendor not in ``statements_by_vendor`` is skipped (a PostgreSQL-only feature, which SQLite does without), or,
    with ``missing`` (what every database needs), refused with that message.
    """

    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            if missing is not None:
                raise NotImplementedError(missing.format(vendor=vendor))
            return
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement, params=None)

    return apply
