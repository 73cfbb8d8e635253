"""The admin's "Import a statement": upload, preview, confirm; and the rule admins."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from statements.models import Clause, ClauseTopic, Document, Party

DATA = Path(__file__).resolve().parent / "data" / "import"
URL = "admin:statements_statementimport_changelist"
SLUG = "china-belarus-test-communique-2024"


def upload(client, name, replace=False, content=None):
    content = (DATA / name).read_bytes() if content is None else content
    data = {"file": SimpleUploadedFile(name, content, content_type="text/plain")}
    if replace:
        data["replace"] = "on"
    return client.post(reverse(URL), data)


@pytest.mark.django_db
class TestImportScreen:
    def test_the_admin_index_offers_it(self, admin_client):
        response = admin_client.get(reverse("admin:index"))
        assert reverse(URL) in response.content.decode()

    def test_upload_shows_the_parsed_preview_and_saves_nothing(self, admin_client):
        documents = Document.objects.count()
        response = upload(admin_client, "numbered-with-headings.txt")
        assert response.status_code == 200
        page = response.content.decode()
        assert f"<code>{SLUG}</code>:\n    a new document." in page
        assert "I. POLITICAL RELATIONS" in page and "Preamble <em>[editorial]</em>" in page
        assert "<code>para_3__subpara_a</code></td><td>(a)</td>" in page
        assert "intergovernmental-cooperation" in page
        assert 'value="Confirm and save"' in page
        assert Document.objects.count() == documents

    def test_confirm_saves_and_opens_the_document(self, admin_client):
        preview = upload(admin_client, "numbered-with-headings.txt")
        confirm = preview.context["confirm"]
        response = admin_client.post(
            reverse(URL), {"confirm": "1", **{name: confirm[name].value() for name in confirm.fields}}
        )
        document = Document.objects.get(slug=SLUG)
        assert response.status_code == 302
        assert response.url == reverse("admin:statements_document_change", args=[document.pk])
        assert document.clauses.count() == 9
        assert ClauseTopic.objects.filter(clause__document=document, assigned_by="rule").exists()

    def test_bad_file_shows_errors_with_line_numbers(self, admin_client):
        documents = Document.objects.count()
        response = upload(admin_client, "not-utf8.txt")
        page = response.content.decode()
        assert response.status_code == 200
        assert "not-utf8.txt:8: the file is not UTF-8 (byte 0xe9 at column 4)" in page
        assert "nothing was saved" in page
        assert Document.objects.count() == documents

    def test_a_changed_document_needs_replace(self, admin_client):
        text = (DATA / "readout-unnumbered.txt").read_text(encoding="utf-8")
        upload(admin_client, "readout-unnumbered.txt")
        confirm = upload(admin_client, "readout-unnumbered.txt").context["confirm"]
        admin_client.post(reverse(URL), {"confirm": "1", **{n: confirm[n].value() for n in confirm.fields}})
        changed = text.replace("deepen political mutual trust", "deepen mutual trust").encode()
        page = upload(admin_client, "readout-unnumbered.txt", content=changed).content.decode()
        assert "exists and differs" in page and 'value="Confirm and save"' not in page
        response = upload(admin_client, "readout-unnumbered.txt", replace=True, content=changed)
        confirm = response.context["confirm"]
        admin_client.post(reverse(URL), {"confirm": "1", **{n: confirm[n].value() for n in confirm.fields}})
        clause = Clause.objects.get(document__slug__startswith="wang-yi-meets", eid="para_2")
        assert clause.text == "Wang Yi said that China is ready to work with Belarus to deepen mutual trust."

    def test_staff_without_document_permissions_cannot_import(self, client, django_user_model):
        user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
        client.force_login(user)
        assert client.get(reverse(URL)).status_code == 403


@pytest.mark.django_db
class TestRuleAdmins:
    @pytest.mark.parametrize("model", ["topicrule", "partyalias", "retiredclause"])
    def test_changelists_run_a_constant_number_of_queries(self, admin_client, django_assert_max_num_queries, model):
        with django_assert_max_num_queries(8):
            response = admin_client.get(reverse(f"admin:statements_{model}_changelist"))
        assert response.status_code == 200

    def test_a_rule_is_editable(self, admin_client):
        from statements.models import TopicRule

        rule = TopicRule.objects.get(name="taiwan")
        response = admin_client.get(reverse("admin:statements_topicrule_change", args=[rule.pk]))
        assert "one phrase a line" in response.content.decode()


@pytest.mark.browser
def test_a_curator_imports_a_statement_in_the_browser(live_server, live_corpus, page, artifacts_dir, django_user_model):
    django_user_model.objects.create_superuser("curator", "curator@example.org", "a-long-test-password")
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.click("text=Import a statement")
    page.set_input_files("#id_file", str(DATA / "numbered-with-headings.txt"))
    page.click("input[value=Preview]")
    # Playwright's count() does not wait: wait for the preview page to show its table first (a loaded host answered
    # after the count had read the form page).
    page.wait_for_selector("#import-preview tr.clause")
    rows = page.locator("#import-preview tr.clause")
    assert rows.count() == 9
    assert rows.nth(4).locator("td").nth(1).inner_text() == "para_3__subpara_a"
    page.screenshot(path=str(artifacts_dir / "admin-import-preview.png"), full_page=True)
    assert not Document.objects.filter(slug=SLUG).exists()
    page.click("input[value='Confirm and save']")
    assert "Imported numbered-with-headings.txt" in page.locator(".messagelist").inner_text()
    assert Document.objects.get(slug=SLUG).clauses.count() == 9


@pytest.mark.django_db
class TestPublishedStatements:
    """Markdown as published, the one size limit, control characters: the admin reads a file as the command does."""

    def test_a_markdown_statement_previews_with_its_warnings_and_saves(self, admin_client, tmp_path):
        Party.objects.get_or_create(code="us", defaults={"name": "United States of America", "short_name": "US"})
        source = (
            b"---\ntitle: Readout of a Call\ndate: '2024-05-01'\n"
            b"source_url: https://www.whitehouse.gov/briefings-statements/2024/05/readout-of-a-call/\n---\n"
            b"Strengthening our shared security\n\nThe President spoke today with the Prime Minister.\n\n\\###\n"
        )
        preview = upload(admin_client, "readout.md", content=source)
        page = preview.content.decode()
        assert "<code>readout-of-a-call-2024-05-01</code>:\n    a new document." in page
        assert "1 warning: what looks wrong but parses." in page
        assert "line 6 (heading): a short line with no final punctuation taken as a heading" in page
        confirm = preview.context["confirm"]
        admin_client.post(reverse(URL), {"confirm": "1", **{name: confirm[name].value() for name in confirm.fields}})
        document = Document.objects.get(slug="readout-of-a-call-2024-05-01")
        assert (document.kind, document.publisher) == ("readout", "The White House")
        assert list(document.clauses.values_list("text", flat=True)) == [
            "The President spoke today with the Prime Minister."
        ]

    def test_the_size_limit_is_the_setting(self, admin_client, settings):
        settings.STATEMENTS_IMPORT_MAX_BYTES = 100
        response = upload(admin_client, "numbered-with-headings.txt")
        size = (DATA / "numbered-with-headings.txt").stat().st_size
        assert f"The file is {size:,} bytes, over the limit of 100 (STATEMENTS_IMPORT_MAX_BYTES)." in (
            response.content.decode()
        )

    def test_a_nul_byte_is_refused_with_its_line(self, admin_client):
        content = (DATA / "numbered-with-headings.txt").read_bytes().replace(b"reaffirmed", b"reaff\x00irmed", 1)
        documents = Document.objects.count()
        page = upload(admin_client, "numbered-with-headings.txt", content=content).content.decode()
        assert "control character U+0000 at column" in page and "nothing was saved" in page
        assert Document.objects.count() == documents
