"""The curators' admin in a real browser (headless Debian Chromium driven by Playwright).

A curator logs in, opens the Joint Statement, re-tags one clause through the topics autocomplete,
saves, and sees the change in the admin and in the Read API. Screenshots of the clause list and the
document form are kept in artifacts/screenshots/.
"""

import pytest
from django.urls import reverse

from statements.models import Clause

pytestmark = pytest.mark.browser

JOINT_STATEMENT = "china-belarus-joint-statement-2023-03-02"
CLAUSE_API_PATH = f"/api/v1/documents/{JOINT_STATEMENT}/clauses/para_39/"
PASSWORD = "a long curator passphrase"


@pytest.fixture
def curator(live_corpus, django_user_model):
    return django_user_model.objects.create_superuser("curator", "curator@example.org", PASSWORD)


def log_in(page, live_server, user):
    page.set_viewport_size({"width": 1600, "height": 900})  # a curator's desktop: the clause list has six columns
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("text=Site administration")


def add_topic_to_para_39(page, live_server, artifacts_dir):
    """Open the Joint Statement, then its clauses, then para_39, add the topic Taiwan through the autocomplete, save."""
    page.goto(live_server.url + reverse("admin:statements_document_changelist"))
    page.click("text=Joint statement of the People’s Republic of China and the Republic of Belarus")
    page.wait_for_selector("text=Change document")
    page.screenshot(path=artifacts_dir / "admin-document-form.png", full_page=True)

    page.click("a:has-text('43 clauses')")
    page.wait_for_selector("text=43 clauses")
    page.screenshot(path=artifacts_dir / "admin-clause-list.png", full_page=True)

    page.click(f"a:has-text('{JOINT_STATEMENT}/para_39')")
    topics = page.locator(".field-topic_list")
    topics.locator(".select2-selection__choice").first.wait_for()  # select2 has set up the widget
    chosen = [text.replace("×", "").strip() for text in topics.locator(".select2-selection__choice").all_inner_texts()]
    assert chosen == ["Europe, Eurasia and the Arctic › War in Ukraine"]
    topics.locator(".select2-selection").click()
    page.keyboard.type("Taiwan")
    page.click(".select2-results__option:has-text('Taiwan')")
    page.click("input[name=_save]")
    page.wait_for_selector("text=was changed successfully")


def test_curator_retags_a_clause_and_the_api_serves_the_change(page, live_server, curator, artifacts_dir):
    log_in(page, live_server, curator)
    before = page.request.get(live_server.url + CLAUSE_API_PATH).json()
    assert [topic["slug"] for topic in before["topics"]] == ["ukraine-crisis"]

    add_topic_to_para_39(page, live_server, artifacts_dir)

    # The list shows the new topic; it is recorded as a curator's.
    row = page.locator("tr", has=page.locator(f"a:has-text('{JOINT_STATEMENT}/para_39')"))
    assert "Taiwan" in row.locator(".field-topic_names").inner_text()
    para_39 = Clause.objects.get(document__slug=JOINT_STATEMENT, eid="para_39")
    assert {(link.topic.slug, link.assigned_by) for link in para_39.topic_links.all()} == {
        ("ukraine-crisis", "curator"),
        ("taiwan", "curator"),
    }

    # The API serves the change at once.
    response = page.request.get(live_server.url + CLAUSE_API_PATH)
    assert response.status == 200
    clause = response.json()
    assert clause["citation"] == f"{JOINT_STATEMENT}/para_39"
    assert {topic["slug"] for topic in clause["topics"]} == {"ukraine-crisis", "taiwan"}

    assert (artifacts_dir / "admin-document-form.png").stat().st_size > 10_000
    assert (artifacts_dir / "admin-clause-list.png").stat().st_size > 10_000
