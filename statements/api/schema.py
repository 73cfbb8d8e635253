"""drf-spectacular hooks: what the generated schema says about every operation."""

COMMON_ERROR_RESPONSES = {
    "429": (
        "Too many requests from this client: throttled. `Retry-After` says how many seconds to wait "
        "(limits: API_THROTTLE_ANON, API_THROTTLE_USER)."
    ),
    "503": "The database is unavailable for a moment (an outage or a query over the time limit). "
    "`Retry-After` says when to try again.",
}
RETRY_AFTER_HEADER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}
}


def document_common_error_responses(result, generator, request, public):
    """Postprocessing hook: every operation may answer 429 and 503 in the error envelope, with Retry-After."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in COMMON_ERROR_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        "headers": RETRY_AFTER_HEADER,
                        "description": description,
                    },
                )
    return result
