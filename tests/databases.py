"""Add a database alias for the length of a test (a replica mirror, an unreachable server)."""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


@contextmanager
def extra_database(alias, settings_dict):
    """Make ``connections[alias]`` use ``settings_dict`` (missing keys get Django's defaults), then remove it.

    Settings' DATABASES is read once, so tests add aliases to the connection handler directly, as
    Django's test runner does for a TEST MIRROR (overriding DATABASES is unsupported).
    """
    # configure_settings fills in the defaults; it insists on seeing the default alias too.
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    connections.configure_settings({DEFAULT_DB_ALIAS: primary, alias: settings_dict})
    connections.settings[alias] = settings_dict
    try:
        yield connections[alias]
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
