"""The curators' admin: access, lists, forms, automatic positions and eids, tagging, query counts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.admin import site
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from statements.models import (
    AssignedBy,
    Clause,
    ClauseParty,
    ClauseTopic,
    Document,
    Party,
    PartyAlias,
    RetiredClause,
    Section,
    Topic,
    TopicRule,
)
from tests.factories import DocumentFactory, SectionFactory

pytestmark = pytest.mark.django_db

JOINT_STATEMENT = "china-belarus-joint-statement-2023-03-02"
READOUT = "mfa-readout-xi-lukashenko-talks-2023-03-01"


def joint_statement():
    return Document.objects.get(slug=JOINT_STATEMENT)


def clause(slug, eid):
    return Clause.objects.get(document__slug=slug, eid=eid)


def changelist(model, **params):
    url = reverse(f"admin:statements_{model._meta.model_name}_changelist")
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in params.items())}" if params else url


def change_url(obj):
    return reverse(f"admin:statements_{obj._meta.model_name}_change", args=[obj.pk])


def listed(response):
    """The objects on a changelist page, in order."""
    return list(response.context["cl"].result_list)


def form_data(response):
    """The POST data a browser sends for the change form in ``response`` when nothing is edited."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms.extend(inline.formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if field.disabled or value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


# Getting in ----------------------------------------------------------------------------------------

ADMIN_PAGES = [
    "admin:index",
    "admin:statements_document_changelist",
    "admin:statements_clause_changelist",
    "admin:statements_topic_changelist",
    "admin:statements_party_changelist",
    "admin:statements_section_changelist",
    "admin:statements_clause_add",
    "admin:statements_document_add",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_pages_load_for_staff(admin_client, page):
    assert admin_client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_users_who_are_not_staff_are_sent_to_the_login_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="a long passphrase"))
    response = client.get(reverse("admin:statements_clause_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_see_only_what_their_permissions_allow(client, django_user_model):
    reviewer = django_user_model.objects.create_user("reviewer", password="a long passphrase", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_clause"))
    client.force_login(reviewer)
    assert client.get(reverse("admin:statements_clause_changelist")).status_code == 200
    assert client.get(change_url(clause(JOINT_STATEMENT, "para_39"))).status_code == 200
    assert client.get(reverse("admin:statements_clause_add")).status_code == 403
    assert client.get(reverse("admin:statements_document_changelist")).status_code == 403


def test_admin_url_comes_from_the_environment():
    env = {**os.environ, "DJANGO_ADMIN_URL": "/curators/"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.urls import reverse; print(reverse('admin:index'))"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "/curators/"


class TestEnsureSuperuser:
    def test_creates_then_updates_the_superuser(self, monkeypatch, django_user_model):
        monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "curator")
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "first passphrase")
        monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "curator@example.org")
        call_command("ensure_superuser")
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "second passphrase")
        call_command("ensure_superuser")
        user = django_user_model.objects.get(username="curator")
        assert user.is_superuser and user.is_staff and user.is_active
        assert user.email == "curator@example.org"
        assert user.check_password("second passphrase")
        assert django_user_model.objects.filter(username="curator").count() == 1

    def test_does_nothing_without_the_variables(self, monkeypatch, django_user_model):
        monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a passphrase")
        call_command("ensure_superuser")
        assert not django_user_model.objects.exists()

    def test_the_superuser_can_log_in(self, monkeypatch, client):
        monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "curator")
        monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a passphrase")
        call_command("ensure_superuser")
        response = client.post(
            reverse("admin:login"), {"username": "curator", "password": "a passphrase", "next": "/admin/"}
        )
        assert response.status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200


# Lists ---------------------------------------------------------------------------------------------


class TestDocumentList:
    def test_columns(self, admin_client):
        response = admin_client.get(changelist(Document))
        content = response.content.decode()
        assert [d.slug for d in listed(response)] == [
            "china-belarus-joint-statement-2023-03-02",
            "lukashenko-state-visit-to-china-2023",
            READOUT,
        ]
        assert "Joint statement" in content  # kind
        assert "March 2, 2023" in content  # date
        assert "Belarus, China" in content  # parties
        assert f'?document__id__exact={joint_statement().pk}">43</a>' in content  # clause count, linked

    @pytest.mark.parametrize(
        ("params", "slugs"),
        [
            ({"kind__exact": "readout"}, {READOUT}),
            ({"year": "2023"}, {JOINT_STATEMENT, READOUT, "lukashenko-state-visit-to-china-2023"}),
            ({"year": "2022"}, set()),
            ({"year": "not-a-year"}, set()),
            ({"q": "joint+statement"}, {JOINT_STATEMENT}),
        ],
    )
    def test_filters_and_search(self, admin_client, params, slugs):
        assert {d.slug for d in listed(admin_client.get(changelist(Document, **params)))} == slugs

    def test_party_filter(self, admin_client):
        DocumentFactory(slug="another-document").parties.add(Party.objects.create(code="xx", name="X", short_name="X"))
        party = Party.objects.get(code="xx")
        assert [d.slug for d in listed(admin_client.get(changelist(Document, parties__id__exact=party.pk)))] == [
            "another-document"
        ]

    def test_year_filter_offers_the_years_present(self, admin_client):
        DocumentFactory(date="2024-05-16")
        content = admin_client.get(changelist(Document)).content.decode()
        assert "?year=2024" in content and "?year=2023" in content


class TestClauseList:
    def test_columns_in_document_and_position_order(self, admin_client):
        response = admin_client.get(changelist(Clause, document__id__exact=joint_statement().pk))
        clauses = listed(response)
        assert [c.position for c in clauses] == list(range(1, 44))
        content = response.content.decode()
        assert f"{JOINT_STATEMENT}/para_39" in content  # citation
        assert "sec_9 International and multilateral affairs" in content  # section
        assert "The two sides expressed deep concern over the prolongation of the regional armed" in content  # text
        assert "War in Ukraine" in content  # topics
        assert "Joint statement of the People’s Republic of China" in content  # document (truncated)

    def test_search_in_text(self, admin_client):
        response = admin_client.get(changelist(Clause, q="Taiwan"))
        assert {c.citation for c in listed(response)} == {f"{JOINT_STATEMENT}/para_5", f"{READOUT}/para_3"}

    def test_search_by_eid(self, admin_client):
        response = admin_client.get(changelist(Clause, q="para_39"))
        assert [c.citation for c in listed(response)] == [f"{JOINT_STATEMENT}/para_39"]

    def test_topic_filter_matches_a_parent_topics_children(self, admin_client):
        expected = set(Clause.objects.on_topics(["sovereignty"]).values_list("pk", flat=True))
        response = admin_client.get(changelist(Clause, topic="sovereignty"))
        assert {c.pk for c in listed(response)} == expected
        assert clause(JOINT_STATEMENT, "para_5").pk in expected  # tagged taiwan, a child of sovereignty

    def test_party_filter(self, admin_client):
        party = Party.objects.get(code="by")
        response = admin_client.get(changelist(Clause, parties__id__exact=party.pk))
        assert {c.pk for c in listed(response)} == set(party.clauses.values_list("pk", flat=True))

    def test_section_filter_is_offered_for_the_chosen_document(self, admin_client):
        document = joint_statement()
        assert "section__id__exact=" not in admin_client.get(changelist(Clause)).content.decode()
        section = document.sections.get(eid="sec_9")
        response = admin_client.get(changelist(Clause, document__id__exact=document.pk, section__id__exact=section.pk))
        assert [c.position for c in listed(response)] == list(range(37, 43))
        assert "sec_9 International and multilateral affairs" in response.content.decode()

    def test_machine_assigned_links_are_marked_and_filterable(self, admin_client):
        tagged = clause(JOINT_STATEMENT, "para_39")
        ClauseTopic.objects.create(
            clause=tagged, topic=Topic.objects.get(slug="united-nations"), assigned_by="rule", rule="un-mentions"
        )
        response = admin_client.get(changelist(Clause, review="rule"))
        assert [c.pk for c in listed(response)] == [tagged.pk]
        assert '<span title="assigned by rule un-mentions">The United Nations ⚙</span>' in (response.content.decode())
        assert tagged.pk not in {c.pk for c in listed(admin_client.get(changelist(Clause, review="curator")))}

    def test_confirm_action_promotes_machine_links(self, admin_client):
        tagged = clause(JOINT_STATEMENT, "para_39")
        link = ClauseTopic.objects.create(
            clause=tagged, topic=Topic.objects.get(slug="united-nations"), assigned_by="rule", rule="un-mentions"
        )
        response = admin_client.post(
            changelist(Clause), {"action": "confirm_machine_links", "_selected_action": [tagged.pk]}, follow=True
        )
        assert "Confirmed 1 machine-assigned links." in response.content.decode()
        link.refresh_from_db()
        assert (link.assigned_by, link.rule) == (AssignedBy.CURATOR, "")


class TestTopicAndPartyLists:
    def test_topics_shown_as_a_tree_with_clause_counts(self, admin_client):
        response = admin_client.get(changelist(Topic))
        topics = listed(response)
        for index, topic in enumerate(topics):
            if topic.parent_id:  # a child comes after its parent and its parent's other children only
                parent_index = next(i for i, t in enumerate(topics) if t.pk == topic.parent_id)
                assert all(t.parent_id == topic.parent_id for t in topics[parent_index + 1 : index])
        content = response.content.decode()
        assert "Indo-Pacific and East Asia › <strong>Taiwan and the Taiwan Strait</strong>" in content
        taiwan = next(t for t in topics if t.slug == "taiwan")
        assert taiwan.clause_count == ClauseTopic.objects.filter(topic=taiwan).count() > 0
        assert f'?topic=taiwan">{taiwan.clause_count}</a>' in content

    def test_topic_search(self, admin_client):
        # by slug, name or scope note: China's scope note names Taiwan (which has its own topic)
        assert [t.slug for t in listed(admin_client.get(changelist(Topic, q="taiwan")))] == ["china", "taiwan"]
        assert [t.slug for t in listed(admin_client.get(changelist(Topic, q="senkaku")))] == ["east-china-sea"]

    def test_topic_autocomplete_labels_show_the_path(self, admin_client):
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "statements", "model_name": "clause", "field_name": "topics", "term": "taiw"},
        )
        assert [r["text"] for r in response.json()["results"]] == [
            "Indo-Pacific and East Asia › China",  # its scope note names Taiwan
            "Indo-Pacific and East Asia › Taiwan and the Taiwan Strait",
        ]

    def test_parties_with_counts_and_search(self, admin_client):
        response = admin_client.get(changelist(Party, q="belarus"))
        (belarus,) = listed(response)
        assert belarus.code == "by"
        assert belarus.clause_count == ClauseParty.objects.filter(party=belarus).count() > 0
        assert belarus.document_count == 3


# Forms ---------------------------------------------------------------------------------------------


def add_clause(client, section, **fields):
    data = {"section": section.pk, "text": "A new paragraph, verbatim.", **fields}
    return client.post(reverse("admin:statements_clause_add"), data)


class TestNewClauses:
    def test_blank_position_and_eid_continue_the_last_section(self, admin_client):
        document = joint_statement()
        response = add_clause(admin_client, document.sections.get(eid="sec_10"))
        assert response.status_code == 302
        new = Clause.objects.get(document=document, text="A new paragraph, verbatim.")
        assert (new.position, new.eid) == (44, "para_44")

    def test_added_to_an_earlier_section_later_clauses_move_but_keep_their_eids(self, admin_client):
        document = joint_statement()
        before = dict(Clause.objects.filter(document=document).values_list("eid", "position"))
        add_clause(admin_client, document.sections.get(eid="sec_9"))
        new = Clause.objects.get(document=document, text="A new paragraph, verbatim.")
        assert (new.position, new.eid, new.section.eid) == (43, "para_44", "sec_9")
        after = dict(Clause.objects.filter(document=document).exclude(pk=new.pk).values_list("eid", "position"))
        assert after == {eid: position + (position >= 43) for eid, position in before.items()}
        assert sorted([*after.values(), new.position]) == list(range(1, 45))

    def test_first_clause_of_a_new_document(self, admin_client):
        section = SectionFactory(position=1, eid="sec_1")
        add_clause(admin_client, section)
        new = Clause.objects.get(section=section)
        assert (new.document, new.position, new.eid) == (section.document, 1, "para_1")

    def test_a_deleted_clause_is_retired_and_its_eid_never_reused(self, admin_client):
        document = joint_statement()
        last = clause(JOINT_STATEMENT, "para_43")
        confirmation = admin_client.get(reverse("admin:statements_clause_delete", args=[last.pk]))
        assert "A deleted clause is retired, not lost" in confirmation.content.decode()
        response = admin_client.post(reverse("admin:statements_clause_delete", args=[last.pk]), {"post": "yes"})
        assert response.status_code == 302
        retired = document.retired_clauses.get(eid="para_43")
        assert retired.text == last.text
        add_clause(admin_client, document.sections.get(eid="sec_10"))
        new = Clause.objects.get(document=document, text="A new paragraph, verbatim.")
        assert (new.position, new.eid) == (43, "para_44")
        response = add_clause(admin_client, document.sections.get(eid="sec_10"), eid="para_43")
        assert f"{JOINT_STATEMENT}/para_43 was retired" in response.content.decode()

    def test_deleting_clauses_from_the_list_retires_each(self, admin_client):
        document = joint_statement()
        chosen = [clause(JOINT_STATEMENT, eid).pk for eid in ("para_2", "para_40")]
        confirmation = admin_client.post(changelist(Clause), {"action": "delete_selected", "_selected_action": chosen})
        assert "A deleted clause is retired, not lost" in confirmation.content.decode()
        response = admin_client.post(
            changelist(Clause), {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
        )
        assert response.status_code == 302
        assert set(document.retired_clauses.values_list("eid", flat=True)) == {"para_2", "para_40"}
        assert list(document.clauses.values_list("position", flat=True)) == list(range(1, 42))

    def test_deleting_a_clause_closes_the_gap(self, admin_client):
        document = joint_statement()
        admin_client.post(reverse("admin:statements_clause_delete", args=[clause(JOINT_STATEMENT, "para_3").pk]),
                          {"post": "yes"})  # fmt: skip
        assert list(Clause.objects.filter(document=document).values_list("position", flat=True)) == list(range(1, 43))
        assert clause(JOINT_STATEMENT, "para_4").position == 3

    def test_explicit_position_inside_the_section(self, admin_client):
        document = joint_statement()
        add_clause(admin_client, document.sections.get(eid="sec_9"), position=37, eid="para_100")
        new = Clause.objects.get(document=document, eid="para_100")
        assert new.position == 37
        assert clause(JOINT_STATEMENT, "para_37").position == 38

    def test_position_outside_the_section_is_refused_with_the_range(self, admin_client):
        response = add_clause(admin_client, joint_statement().sections.get(eid="sec_9"), position=3)
        assert response.status_code == 200
        assert "takes a position from 37 to 43" in response.content.decode()
        assert not Clause.objects.filter(text="A new paragraph, verbatim.").exists()

    def test_an_eid_already_cited_is_refused(self, admin_client):
        response = add_clause(admin_client, joint_statement().sections.get(eid="sec_10"), eid="para_39")
        assert response.status_code == 200
        assert f"{JOINT_STATEMENT}/para_39 already cites another clause" in response.content.decode()
        assert "(para_44)" in response.content.decode()

    def test_new_clause_topics_and_parties_are_recorded_as_a_curators(self, admin_client):
        taiwan, china = Topic.objects.get(slug="taiwan"), Party.objects.get(code="cn")
        add_clause(admin_client, joint_statement().sections.get(eid="sec_10"), topic_list=[taiwan.pk],
                   party_list=[china.pk])  # fmt: skip
        new = Clause.objects.get(text="A new paragraph, verbatim.")
        assert [(link.topic, link.assigned_by) for link in new.topic_links.all()] == [(taiwan, "curator")]
        assert [(link.party, link.assigned_by) for link in new.party_links.all()] == [(china, "curator")]

    def test_save_and_add_another_keeps_the_section(self, admin_client):
        section = joint_statement().sections.get(eid="sec_10")
        response = add_clause(admin_client, section, _addanother="1")
        assert response["Location"].endswith(f"?section={section.pk}")
        assert f'value="{section.pk}" selected' in admin_client.get(response["Location"]).content.decode()


class TestClauseChangeForm:
    def test_eid_is_locked_and_the_form_says_why(self, admin_client):
        para_39 = clause(JOINT_STATEMENT, "para_39")
        response = admin_client.get(change_url(para_39))
        content = response.content.decode()
        assert 'name="eid" value="para_39"' in content and "disabled" in content.split('name="eid"')[1][:200]
        assert "Locked: the eid is half of the clause's published citation" in content
        assert f"{JOINT_STATEMENT}/para_39" in content

    def test_a_posted_eid_is_ignored(self, admin_client):
        para_39 = clause(JOINT_STATEMENT, "para_39")
        data = {**form_data(admin_client.get(change_url(para_39))), "eid": "para_999", "position": "1"}
        assert admin_client.post(change_url(para_39), data).status_code == 302
        para_39.refresh_from_db()
        assert (para_39.eid, para_39.position) == ("para_39", 39)

    def test_fixing_a_typo_keeps_the_tags(self, admin_client):
        para_39 = clause(JOINT_STATEMENT, "para_39")
        data = {**form_data(admin_client.get(change_url(para_39))), "text": para_39.text + " Fixed."}
        assert admin_client.post(change_url(para_39), data).status_code == 302
        para_39.refresh_from_db()
        assert para_39.text.endswith(" Fixed.")
        assert [t.slug for t in para_39.topics.all()] == ["ukraine-crisis"]

    def test_saving_keeps_the_text_verbatim(self, admin_client):
        para_1 = clause("lukashenko-state-visit-to-china-2023", "para_1")
        assert para_1.text.endswith("\xa0")  # as in the source
        data = form_data(admin_client.get(change_url(para_1)))
        data["topic_list"] = [*data["topic_list"], Topic.objects.get(slug="taiwan").pk]
        assert admin_client.post(change_url(para_1), data).status_code == 302
        assert Clause.objects.get(pk=para_1.pk).text == para_1.text

    def test_retagging_records_the_curator_and_keeps_machine_links_marked(self, admin_client):
        para_39 = clause(JOINT_STATEMENT, "para_39")
        united_nations, taiwan = Topic.objects.get(slug="united-nations"), Topic.objects.get(slug="taiwan")
        ClauseTopic.objects.create(clause=para_39, topic=united_nations, assigned_by="rule", rule="un-mentions")
        response = admin_client.get(change_url(para_39))
        assert f"topic {united_nations} (rule un-mentions, " in response.content.decode()
        assert "›" in str(united_nations)
        data = form_data(response)
        data["topic_list"] = [*data["topic_list"], taiwan.pk]
        admin_client.post(change_url(para_39), data)
        links = {link.topic.slug: (link.assigned_by, link.rule) for link in para_39.topic_links.all()}
        assert links == {
            "ukraine-crisis": ("curator", ""),
            "united-nations": ("rule", "un-mentions"),
            "taiwan": ("curator", ""),
        }

    def test_removing_and_confirming_machine_links(self, admin_client):
        para_39 = clause(JOINT_STATEMENT, "para_39")
        ClauseTopic.objects.create(
            clause=para_39, topic=Topic.objects.get(slug="united-nations"), assigned_by="rule", rule="un"
        )
        ClauseParty.objects.create(clause=para_39, party=Party.objects.get(code="un"), assigned_by="rule", rule="p")
        data = form_data(admin_client.get(change_url(para_39)))
        data["topic_list"] = [Topic.objects.get(slug="ukraine-crisis").pk]  # rejects the rule's topic
        data["confirm_rule_links"] = "on"  # confirms the rule's party
        admin_client.post(change_url(para_39), data)
        assert [(link.topic.slug, link.assigned_by) for link in para_39.topic_links.all()] == [
            ("ukraine-crisis", "curator")
        ]
        assert ("un", "curator") in [(link.party.code, link.assigned_by) for link in para_39.party_links.all()]

    def test_section_choices_are_the_documents_sections_by_heading(self, admin_client):
        content = admin_client.get(change_url(clause(JOINT_STATEMENT, "para_39"))).content.decode()
        select = content.split('<select name="section"')[1].split("</select>")[0]
        assert '<option value="" selected>' not in select
        assert select.count("<option value=") == 1 + 10  # the blank choice and the Joint Statement's sections
        assert ">sec_9 International and multilateral affairs</option>" in select
        assert f'<option value="{Section.objects.get(document__slug=READOUT).pk}"' not in select

    def test_section_must_stay_in_the_document(self, admin_client):
        para_39 = clause(JOINT_STATEMENT, "para_39")
        data = {**form_data(admin_client.get(change_url(para_39))), "section": Section.objects.get(
            document__slug=READOUT).pk}  # fmt: skip
        response = admin_client.post(change_url(para_39), data)
        assert "Select a valid choice" in response.content.decode()
        para_39.refresh_from_db()
        assert para_39.section.eid == "sec_9"

    @pytest.mark.parametrize(("eid", "section_eid", "moves"), [
        ("para_37", "sec_8", True),  # the first clause of sec_9 becomes the last of sec_8
        ("para_42", "sec_10", True),  # the last clause of sec_9 becomes the first of sec_10
        ("para_39", "sec_8", False),  # from the middle of sec_9
        ("para_37", "sec_2", False),  # past whole sections
    ])  # fmt: skip
    def test_moving_to_another_section_keeps_sections_consecutive(self, admin_client, eid, section_eid, moves):
        moved = clause(JOINT_STATEMENT, eid)
        data = {**form_data(admin_client.get(change_url(moved))), "section": joint_statement().sections.get(
            eid=section_eid).pk}  # fmt: skip
        response = admin_client.post(change_url(moved), data)
        moved.refresh_from_db()
        assert (moved.section.eid == section_eid) is moves
        if not moves:
            assert "Sections are runs of consecutive clauses" in response.content.decode()


class TestDocumentForm:
    def test_slug_is_read_only_once_the_document_exists(self, admin_client):
        response = admin_client.get(change_url(joint_statement()))
        assert 'name="slug"' not in response.content.decode()
        assert 'name="slug"' in admin_client.get(reverse("admin:statements_document_add")).content.decode()

    def test_a_section_holding_clauses_cannot_be_deleted(self, admin_client):
        document = joint_statement()
        response = admin_client.get(change_url(document))
        data = form_data(response)
        data["sections-9-DELETE"] = "on"  # sec_10, the closing paragraph
        response = admin_client.post(change_url(document), data)
        assert response.status_code == 200
        assert "Section sec_10 still holds clauses" in response.content.decode()
        assert document.sections.count() == 10

    def test_saved_positions_and_eids_of_sections_and_signatories_do_not_change(self, admin_client):
        document = joint_statement()
        data = form_data(admin_client.get(change_url(document)))
        data.update({"sections-0-position": "2", "sections-1-position": "1"})
        data.update({"sections-0-eid": "sec_2", "sections-1-eid": "sec_1"})
        data.update({"signatories-0-position": "2", "signatories-1-position": "1"})
        assert admin_client.post(change_url(document), data).status_code == 302
        assert list(document.sections.values_list("eid", "position")[:2]) == [("sec_1", 1), ("sec_2", 2)]
        assert document.signatories.get(position=1).name == "Xi Jinping"

    def test_a_new_section_goes_after_the_last(self, admin_client):
        document = joint_statement()
        data = form_data(admin_client.get(change_url(document)))
        data.update({"sections-TOTAL_FORMS": "11", "sections-10-position": "4", "sections-10-eid": "sec_11"})
        response = admin_client.post(change_url(document), data)
        assert "A new section goes after the last one (position 11 or later)" in response.content.decode()
        data["sections-10-position"] = "11"
        assert admin_client.post(change_url(document), data).status_code == 302
        assert document.sections.get(eid="sec_11").position == 11

    def test_sections_and_signatories_are_edited_inline(self, admin_client):
        document = joint_statement()
        data = form_data(admin_client.get(change_url(document)))
        data["sections-0-heading"] = "Opening"
        data["signatories-TOTAL_FORMS"] = "3"
        data.update({"signatories-2-position": "3", "signatories-2-name": "A. Witness", "signatories-2-office": "W",
                     "signatories-2-party": Party.objects.get(code="by").pk})  # fmt: skip
        assert admin_client.post(change_url(document), data).status_code == 302
        assert document.sections.get(eid="sec_1").heading == "Opening"
        assert document.signatories.get(position=3).name == "A. Witness"


# A new statement, end to end --------------------------------------------------------------------------

NEW_SLUG = "china-testland-joint-statement-2026-11-28"


def create_statement_in_the_admin(client):
    """What a curator does for a new joint statement: the document with its sections and signatory, then
    its clauses one after another ("Save and add another"), tagged as they go."""
    china, testland = Party.objects.get(code="cn"), Party.objects.create(code="zt", name="Testland", short_name="ZT")
    response = client.post(
        reverse("admin:statements_document_add"),
        {
            "title": "Joint statement of China and Testland",
            "slug": NEW_SLUG,
            "kind": "joint_statement",
            "date": "2026-11-28",
            "party_links-TOTAL_FORMS": "2",
            "party_links-INITIAL_FORMS": "0",
            "party_links-0-party": china.pk,
            "party_links-1-party": testland.pk,
            "language": "en",
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "0",
            "sections-0-position": "1",
            "sections-0-eid": "sec_1",
            "sections-0-heading": "Preamble",
            "sections-0-heading_is_editorial": "on",
            "sections-1-position": "2",
            "sections-1-eid": "sec_2",
            "sections-1-heading": "Cooperation",
            "sections-1-heading_is_editorial": "on",
            "signatories-TOTAL_FORMS": "1",
            "signatories-INITIAL_FORMS": "0",
            "signatories-0-position": "1",
            "signatories-0-name": "A. Signatory",
            "signatories-0-office": "President of Testland",
            "signatories-0-party": testland.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    document = Document.objects.get(slug=NEW_SLUG)
    preamble, cooperation = document.sections.order_by("position")
    taiwan, trade = Topic.objects.get(slug="taiwan"), Topic.objects.get(slug="trade-and-investment")
    for section, text, topics, parties in [
        (preamble, "The two sides met in Beijing.", [], []),
        (cooperation, "The two sides will expand trade.", [trade], [china, testland]),
        (cooperation, "Testland reaffirms the one-China principle.", [taiwan], [testland]),
    ]:
        response = add_clause(
            client, section, text=text, topic_list=[t.pk for t in topics], party_list=[p.pk for p in parties]
        )
        assert response.status_code == 302
    return document


def test_curator_creates_a_new_statement_end_to_end(admin_client):
    document = create_statement_in_the_admin(admin_client)
    clauses = list(document.clauses.order_by("position"))
    assert [(c.position, c.eid, c.section.eid) for c in clauses] == [
        (1, "para_1", "sec_1"),
        (2, "para_2", "sec_2"),
        (3, "para_3", "sec_2"),
    ]
    assert [link.assigned_by for c in clauses for link in [*c.topic_links.all(), *c.party_links.all()]] == [
        "curator"
    ] * 5
    response = admin_client.get(changelist(Clause, document__id__exact=document.pk))
    assert [c.citation for c in listed(response)] == [f"{NEW_SLUG}/para_{n}" for n in (1, 2, 3)]
    assert document.signatories.get().party.code == "zt"


def test_a_new_statement_is_in_the_api_at_once(admin_client, client):
    create_statement_in_the_admin(admin_client)
    document = client.get(f"/api/v1/documents/{NEW_SLUG}/")
    assert document.status_code == 200
    assert document.json()["title"] == "Joint statement of China and Testland"
    clause = client.get(f"/api/v1/documents/{NEW_SLUG}/clauses/para_3/").json()
    assert clause["citation"] == f"{NEW_SLUG}/para_3"
    assert clause["text"] == "Testland reaffirms the one-China principle."
    assert [topic["slug"] for topic in clause["topics"]] == ["taiwan"]
    assert [party["code"] for party in clause["parties"]] == ["zt"]


def test_document_and_clause_pages_link_to_the_api(admin_client, client):
    document_url = f"/api/v1/documents/{JOINT_STATEMENT}/"
    clause_url = f"/api/v1/documents/{JOINT_STATEMENT}/clauses/para_39/"
    assert f'href="{document_url}"' in admin_client.get(changelist(Document)).content.decode()
    assert f'href="{document_url}"' in admin_client.get(change_url(joint_statement())).content.decode()
    assert f'href="{clause_url}"' in admin_client.get(change_url(clause(JOINT_STATEMENT, "para_39"))).content.decode()
    assert client.get(document_url).status_code == 200
    assert client.get(clause_url).json()["citation"] == f"{JOINT_STATEMENT}/para_39"


# Query counts --------------------------------------------------------------------------------------

MAX_QUERIES_PER_PAGE = 16
# "Show counts" (Django's facets, opt-in per visit) adds one count query per filter.
MAX_QUERIES_WITH_FACETS = 30
MEASURED = {}


def admin_pages(document):
    """The admin pages to measure, for a document and one of its clauses."""
    target = Clause.objects.filter(document=document).order_by("position")[1]
    topics_autocomplete = {"app_label": "statements", "model_name": "clause", "field_name": "topics", "term": "a"}
    return {
        "index": reverse("admin:index"),
        "document list": changelist(Document),
        "document change": change_url(document),
        "document add": reverse("admin:statements_document_add"),
        "clause list": changelist(Clause),
        "clause list, document+section filter": changelist(
            Clause, document__id__exact=document.pk, section__id__exact=target.section_id
        ),
        "clause list, topic filter": changelist(Clause, topic="economy"),
        "clause list, search": changelist(Clause, q="cooperation"),
        "clause list, review filter": changelist(Clause, review="rule"),
        "clause list, with facet counts": changelist(Clause, _facets="True"),
        "document list, with facet counts": changelist(Document, _facets="True"),
        "clause change": change_url(target),
        "clause add": reverse("admin:statements_clause_add"),
        "topic list": changelist(Topic),
        "topic change": change_url(Topic.objects.get(slug="taiwan")),
        "party list": changelist(Party),
        "party change": change_url(Party.objects.get(code="cn")),
        "section list": changelist(Section),
        "retired clause list": changelist(RetiredClause),
        "topic rule list": changelist(TopicRule),
        "party alias list": changelist(PartyAlias),
        "topic autocomplete": f"{reverse('admin:autocomplete')}?"
        + "&".join(f"{k}={v}" for k, v in topics_autocomplete.items()),
    }


def measure(client, pages):
    """Queries each page runs, in the steady state (process-wide caches such as ContentType's are warm)."""
    for url in pages.values():
        client.get(url)
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def add_large_document(n_clauses):
    """A joint statement shaped like the real one (10 sections, 2 signatories) with ``n_clauses`` clauses,
    each with a curator topic, a machine-assigned topic and a party, built with bulk_create."""
    document = DocumentFactory(slug="large-statement")
    parties = Party.objects.filter(code__in=["cn", "by"])
    document.parties.add(*parties)
    for position, party in enumerate(parties, start=1):
        document.signatories.create(position=position, name=f"Signatory {position}", office="President", party=party)
    sections = Section.objects.bulk_create(
        Section(document=document, position=i, eid=f"sec_{i}", heading=f"Part {i}") for i in range(1, 11)
    )
    per_section = n_clauses // len(sections)
    clauses = Clause.objects.bulk_create(
        Clause(
            document=document,
            section=sections[min((i - 1) // per_section, len(sections) - 1)],
            position=i,
            eid=f"para_{i}",
            text=f"Paragraph {i}: the two sides agreed to deepen cooperation.",
        )
        for i in range(1, n_clauses + 1)
    )
    topics = list(Topic.objects.exclude(parent=None))
    party = Party.objects.get(code="cn")
    ClauseTopic.objects.bulk_create(
        link
        for i, c in enumerate(clauses)
        for link in (
            ClauseTopic(clause=c, topic=topics[i % len(topics)]),
            ClauseTopic(clause=c, topic=topics[(i + 1) % len(topics)], assigned_by="rule", rule="keywords"),
        )
    )
    ClauseParty.objects.bulk_create(ClauseParty(clause=c, party=party) for c in clauses)
    return document


def test_admin_pages_run_the_same_bounded_number_of_queries_at_61_and_10000_clauses(admin_client):
    # One machine-assigned link, so that the review filter lists a clause at both sizes.
    ClauseTopic.objects.create(
        clause=clause(JOINT_STATEMENT, "para_2"), topic=Topic.objects.get(slug="taiwan"), assigned_by="rule", rule="r"
    )
    at_corpus = measure(admin_client, admin_pages(joint_statement()))
    assert Clause.objects.count() == 61

    large = add_large_document(10_000 - 61)
    assert Clause.objects.count() == 10_000
    at_10000 = measure(admin_client, admin_pages(large))

    MEASURED.update({name: (at_corpus[name], at_10000[name]) for name in at_corpus})
    print("\nqueries per admin page (61 clauses / 10,000 clauses):")
    for name, (small, big) in MEASURED.items():
        print(f"  {name:40} {small:3} {big:3}")
    assert at_10000 == at_corpus
    for name, count in at_10000.items():
        assert count <= (MAX_QUERIES_WITH_FACETS if "facet" in name else MAX_QUERIES_PER_PAGE), name


@pytest.mark.parametrize("model", [Clause, Document, Topic, Party])
def test_list_queries_do_not_grow_with_the_page_size(admin_client, monkeypatch, model):
    add_large_document(500)
    model_admin = site._registry[model]
    counts = {}
    for per_page in (5, 400):
        monkeypatch.setattr(model_admin, "list_per_page", per_page)
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(changelist(model))
        assert len(listed(response)) == min(per_page, model.objects.count())
        counts[per_page] = len(queries)
    assert counts[5] == counts[400]
