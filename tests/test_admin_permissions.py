"""Admin actions need the permission of what they change.

Issue 14, finding 4: a staff user with only the view permission could run "Confirm machine-assigned links" on
the clause list, and it changed 4 links from rule to curator.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from statements.models import AssignedBy, Clause, ClauseTopic

pytestmark = pytest.mark.django_db
CLAUSES = "admin:statements_clause_changelist"


@pytest.fixture
def rule_links():
    links = ClauseTopic.objects.filter(clause__document__slug="china-belarus-joint-statement-2023-03-02")[:4]
    ids = [link.pk for link in links]
    ClauseTopic.objects.filter(pk__in=ids).update(assigned_by=AssignedBy.RULE, rule="topic-rule:test")
    return ClauseTopic.objects.filter(pk__in=ids)


def staff_with(django_user_model, *codenames):
    user = django_user_model.objects.create_user("reviewer", password="a long passphrase", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def confirm(client, links):
    clause_ids = sorted({link.clause_id for link in links})
    data = {"action": "confirm_machine_links", "_selected_action": clause_ids, "index": 0}
    return client.post(reverse(CLAUSES), data)


def test_a_user_who_may_only_view_clauses_cannot_confirm_machine_links(client, django_user_model, rule_links):
    client.force_login(staff_with(django_user_model, "view_clause"))
    page = client.get(reverse(CLAUSES))
    assert page.status_code == 200
    assert "confirm_machine_links" not in page.content.decode()  # not offered
    confirm(client, rule_links)  # nor run when posted anyway
    assert set(rule_links.values_list("assigned_by", flat=True)) == {AssignedBy.RULE}


def test_a_user_who_may_change_clauses_can(client, django_user_model, rule_links):
    client.force_login(staff_with(django_user_model, "view_clause", "change_clause"))
    assert confirm(client, rule_links).status_code == 302
    assert set(rule_links.values_list("assigned_by", flat=True)) == {AssignedBy.CURATOR}
    assert Clause.objects.with_rule_links().filter(pk__in=[link.clause_id for link in rule_links]).count() == 0
