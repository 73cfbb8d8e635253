"""The Content-Security-Policy headers (django-csp), with the policy the settings make built once, not per response.

django-csp's middleware builds the policy for every response: it merges the settings' directives with its defaults
and joins them, though for nearly every response nothing but the settings decides it. Here that policy (and the
report-only one) is built once per process and settings (rebuilt when a test overrides them) and written as
django-csp writes it: not over a header already set, not on an exempt response or an excluded path, not on a 404 or
500 in DEBUG. A response a view's decorators change the policy of (``@csp_update`` and the like set ``_csp_*`` on
it), or a request whose page used a nonce, is django-csp's own business, as before.
"""

import http.client
from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view's decorators set on a response to change its policy (csp.decorators).
RESPONSE_POLICY_ATTRIBUTES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
DEBUG_EXEMPT_STATUSES = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


@cache
def settings_policies():
    """((header, policy, exempt attribute, excluded path prefixes), ...) for the enforced and the report-only policy
    that the settings make (a policy the settings leave out is not there)."""
    policies = []
    for header, setting, exempt, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
            policies.append((header, policy, exempt, prefixes))
    return tuple(policies)


@receiver(setting_changed)
def forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's CSPMiddleware, the settings' policy written from ``settings_policies``."""

    def process_response(self, request, response):
        nonce_used = getattr(request, "_csp_nonce", None) is not None
        if nonce_used or any(getattr(response, name, None) is not None for name in RESPONSE_POLICY_ATTRIBUTES):
            return super().process_response(request, response)
        if response.status_code in DEBUG_EXEMPT_STATUSES and settings.DEBUG:
            return response
        for header, policy, exempt, prefixes in settings_policies():
            exempt_or_set = getattr(response, exempt, False) is not False or header in response
            if not exempt_or_set and not request.path_info.startswith(prefixes):
                response[header] = policy
        # As django-csp: a nonce asked for once the header is written would be in no header (its error says so).
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
