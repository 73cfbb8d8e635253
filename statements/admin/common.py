"""What the admin's pages share: links to the API and to filtered change lists."""

from django.template.defaultfilters import pluralize
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import urlencode


def api_link(view_name, *args, text=None):
    """A link to an object in the Read API (namespace "v1"), or '-' while the API is not mounted."""
    try:
        url = reverse(view_name, args=args)
    except NoReverseMatch:
        return "-"
    return format_html('<a href="{}">{}</a>', url, text or url)


def n_clauses(n):
    return f"{n} clause{pluralize(n)}"


def admin_changelist_link(model, text, **filters):
    url = reverse(f"admin:statements_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), text)


# Autocomplete widgets wide enough for a topic's whole path or a section's whole name.
WIDE = {"style": "width: 45em"}
