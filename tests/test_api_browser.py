"""Swagger UI in a real browser: served by the project alone, and "Try it out" works."""

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def block_other_hosts(page, live_server):
    """Abort every request that is not for the test server; returns the list of those URLs (filled as it goes).

    No internet: every asset must come from the project itself (drf-spectacular-sidecar).
    """
    origin = urlparse(live_server.url).netloc
    elsewhere = []

    def only_the_project(route):
        if urlparse(route.request.url).netloc == origin:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_project)
    return elsewhere


def test_swagger_ui_tries_out_the_clauses_list_with_a_topic_filter(live_server, live_corpus, page, artifacts_dir):
    elsewhere = block_other_hosts(page, live_server)
    page.goto(f"{live_server.url}/api/v1/docs/")

    operation = page.locator("#operations-clauses-v1_clauses_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator('tr[data-param-name="topic"] input').fill("ukraine-crisis")
    operation.get_by_role("button", name="Execute").click()

    status = operation.locator(".live-responses-table .response .response-col_status").first
    status.wait_for(timeout=15_000)
    assert status.inner_text().strip().startswith("200")
    body = operation.locator(".live-responses-table .response-col_description .microlight").first.inner_text()
    assert '"count": 3' in body
    assert "china-belarus-joint-statement-2023-03-02/para_39" in body
    request_url = operation.locator(".request-url pre").inner_text()
    assert request_url.endswith("/api/v1/clauses/?page=1&page_size=20&topic=ukraine-crisis")

    page.screenshot(path=artifacts_dir / "swagger-clauses.png", full_page=False)
    assert elsewhere == []


def test_redoc_renders_offline(live_server, live_corpus, page):
    elsewhere = block_other_hosts(page, live_server)
    page.goto(f"{live_server.url}/api/v1/redoc/")
    page.get_by_role("heading", name="List and filter clauses").wait_for(timeout=15_000)
    # ReDoc's bundle links its "powered by" badge to Redocly's CDN: a decorative image, nothing the page needs.
    assert [url for url in elsewhere if url != "https://cdn.redoc.ly/redoc/logo-mini.svg"] == []
