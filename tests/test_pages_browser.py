"""The pages for people in headless Chromium: anchors, links without JavaScript, accessibility (axe-core).

axe-core comes from the npm registry, pinned in package-lock.json and installed by `make node-deps`
(which `make test` runs). The check asserts that axe finds **no violations at all**, of any impact,
for the rule sets wcag2a, wcag2aa, wcag21a, wcag21aa and best-practice (contrast, landmarks, headings,
lang, link names, list structure, ...). Screenshots are kept in artifacts/screenshots/.
"""

import os
from pathlib import Path

import pytest

from .openapi import JOINT_STATEMENT

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: run `make node-deps` (make test does)")
        pytest.skip("axe-core is not installed (make node-deps)")
    return AXE.read_text()


def axe_violations(page, axe_source):
    """Run axe-core in the page; the violations as (rule, impact, first targets)."""
    # Evaluated through the browser's debugging protocol, not as an inline <script>: the Content-Security-Policy
    # (rightly) blocks inline scripts, and the test must not weaken it.
    page.evaluate(f"() => {{ {axe_source}\n }}")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]


def in_viewport(page, selector):
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_reading_page(live_server, live_corpus, page, artifacts_dir, axe_source):
    page.goto(f"{live_server.url}/documents/{JOINT_STATEMENT}/")
    assert page.title().startswith("Joint statement of the People’s Republic of China")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Joint statement")
    assert page.get_by_role("main").count() == 1 and page.get_by_role("navigation").count() == 1
    page.screenshot(path=artifacts_dir / "reading-page.png")
    assert axe_violations(page, axe_source) == []

    page.goto(f"{live_server.url}/documents/{JOINT_STATEMENT}/#para_39")
    assert in_viewport(page, "#para_39")
    assert "Ukraine" in page.locator("#para_39 .clause-text").inner_text()
    page.screenshot(path=artifacts_dir / "reading-page-para_39.png")


def test_topic_page(live_server, live_corpus, page, artifacts_dir, axe_source):
    page.goto(f"{live_server.url}/topics/economy/")
    assert page.get_by_role("heading", level=1).inner_text() == "Economy, growth and industry"
    party_chart = page.get_by_role("table", name="By speaking party")
    assert party_chart.get_by_role("row").count() == 3  # the header, Belarus, China
    bar = party_chart.locator(".bar").first.bounding_box()
    assert bar["width"] > 50  # drawn by CSS, no script
    page.screenshot(path=artifacts_dir / "topic-page.png")
    assert axe_violations(page, axe_source) == []


def test_home_page_is_accessible(live_server, live_corpus, page, axe_source):
    page.goto(f"{live_server.url}/")
    assert axe_violations(page, axe_source) == []


def test_skip_link_comes_first_and_moves_focus_to_the_content(live_server, live_corpus, page):
    page.goto(f"{live_server.url}/documents/{JOINT_STATEMENT}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    assert in_viewport(page, ".skip-link")  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_citations_and_chips_work_without_javascript(live_server, live_corpus, chromium):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/topics/ukraine-crisis/")
        page.get_by_role("link", name=f"{JOINT_STATEMENT}/para_39").click()
        page.wait_for_url(f"**/documents/{JOINT_STATEMENT}/#para_39")
        assert in_viewport(page, "#para_39")
        page.locator("#para_39").get_by_role("link", name="War in Ukraine").click()
        page.wait_for_url("**/topics/ukraine-crisis/")
        assert page.get_by_role("heading", level=1).inner_text() == "War in Ukraine"
    finally:
        context.close()


def test_the_accessibility_check_can_fail(page, axe_source):
    page.set_content('<html><body><img src="chart.png"><p style="color:#ccc">Faint</p></body></html>')
    rules = {rule for rule, _, _ in axe_violations(page, axe_source)}
    assert {"html-has-lang", "image-alt", "color-contrast", "landmark-one-main"} <= rules
