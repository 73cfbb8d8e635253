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


# How a response leads to the next request (OpenAPI links): a client, or schemathesis' stateful phase, follows them
# with real values. {path: [(link name, operationId, {parameter: runtime expression})]} on the 200 response.
LINKS = {
    "/api/v1/documents/": [
        ("GetDocument", "v1_documents_retrieve", {"slug": "$response.body#/results/0/slug"}),
        ("GetDocumentClauses", "v1_documents_clauses_list", {"slug": "$response.body#/results/0/slug"}),
    ],
    "/api/v1/documents/{slug}/": [
        (
            "GetFirstClause",
            "v1_documents_clauses_retrieve",
            {"slug": "$request.path.slug", "eid": "$response.body#/sections/0/clauses/0/eid"},
        ),
        ("GetAkomaNtoso", "v1_documents_akn_retrieve", {"slug": "$request.path.slug"}),
    ],
    "/api/v1/documents/{slug}/clauses/": [
        (
            "GetClause",
            "v1_documents_clauses_retrieve",
            {"slug": "$request.path.slug", "eid": "$response.body#/results/0/eid"},
        ),
    ],
    "/api/v1/documents/{slug}/clauses/{eid}/": [
        (
            "GetSimilarClauses",
            "v1_documents_clauses_similar_retrieve",
            {"slug": "$request.path.slug", "eid": "$request.path.eid"},
        ),
    ],
    "/api/v1/topics/": [
        ("GetTopic", "v1_topics_retrieve", {"slug": "$response.body#/0/slug"}),
        ("GetTopicStats", "v1_topics_stats_retrieve", {"slug": "$response.body#/0/slug"}),
    ],
    "/api/v1/parties/": [("GetParty", "v1_parties_retrieve", {"code": "$response.body#/0/code"})],
}


def document_links(result, generator, request, public):
    """Postprocessing hook: the links between operations (LINKS) on their 200 responses."""
    for path, links in LINKS.items():
        response = result.get("paths", {}).get(path, {}).get("get", {}).get("responses", {}).get("200")
        if response is not None:
            response["links"] = {
                name: {"operationId": operation, "parameters": parameters} for name, operation, parameters in links
            }
    return result
