"""The parties in the admin: filters by kind, UN status and group; search by any name; names and members edited
inline, and the matcher reading what curators add."""

import pytest

from statements.models import Party, PartyMembership, PartyName
from statements.vocabulary import How, PartyVocabulary

from .test_admin import change_url, changelist, form_data, listed

pytestmark = pytest.mark.django_db


def codes(response):
    assert response.status_code == 200
    return {party.code for party in listed(response)}


def test_parties_filtered_by_kind_un_status_and_group(admin_client):
    assert codes(admin_client.get(changelist(Party, kind="group"))) >= {"g7", "g20", "quad", "aukus", "brics"}
    assert "nato" not in codes(admin_client.get(changelist(Party, kind="group")))
    assert codes(admin_client.get(changelist(Party, un_status="observer"))) == {"va", "ps"}
    g7 = codes(admin_client.get(changelist(Party, member_of="g7")))
    assert g7 == {"ca", "fr", "de", "it", "jp", "gb", "us"}


def test_parties_found_by_any_of_their_names(admin_client):
    assert codes(admin_client.get(changelist(Party, q="ROK"))) == {"kr"}
    assert codes(admin_client.get(changelist(Party, q="Emirati"))) == {"ae"}
    assert "tw" in codes(admin_client.get(changelist(Party, q="Chinese Taipei")))


def test_a_state_page_shows_its_names_and_groups_a_group_page_its_members(admin_client):
    japan = admin_client.get(change_url(Party.objects.get(code="jp")))
    content = japan.content.decode()
    assert [inline.formset.prefix for inline in japan.context["inline_admin_formsets"]] == ["names"]
    assert "G7" in content and "Quad" in content  # member of
    g7 = admin_client.get(change_url(Party.objects.get(code="g7")))
    (_names, members) = g7.context["inline_admin_formsets"]
    assert [form.instance.member_id for form in members.formset.forms if form.instance.pk] == [
        "ca", "fr", "de", "it", "jp", "gb", "us"
    ]  # fmt: skip


def test_a_curator_adds_an_alias_and_the_matcher_reads_it(admin_client):
    japan = Party.objects.get(code="jp")
    assert PartyVocabulary.from_database().codes("Nippon and Japan") == ["jp"]
    data = form_data(admin_client.get(change_url(japan)))
    extra = data["names-TOTAL_FORMS"]
    data.update({f"names-{extra}-name": "Nippon", f"names-{extra}-kind": "alias", "names-TOTAL_FORMS": int(extra) + 1})
    response = admin_client.post(change_url(japan), data)
    assert response.status_code == 302
    assert PartyName.objects.filter(party=japan, name="Nippon", kind="alias").exists()
    (nippon, _) = PartyVocabulary.from_database().mentions("Nippon and Japan")
    assert (nippon.code, nippon.text, nippon.how) == ("jp", "Nippon", How.ALIAS)


def test_a_name_of_another_party_is_refused_with_the_reason(admin_client):
    japan = Party.objects.get(code="jp")
    data = form_data(admin_client.get(change_url(japan)))
    extra = data["names-TOTAL_FORMS"]
    data.update({f"names-{extra}-name": "ROK", f"names-{extra}-kind": "alias", "names-TOTAL_FORMS": int(extra) + 1})
    response = admin_client.post(change_url(japan), data)
    assert response.status_code == 200
    assert "“ROK” already names South Korea (kr)." in response.content.decode()
    assert not PartyName.objects.filter(party=japan, name="ROK").exists()


def test_a_new_group_with_its_members(admin_client):
    response = admin_client.post(
        "/admin/statements/party/add/",
        {
            "code": "nordic-five",
            "name": "Nordic Council",
            "short_name": "Nordics",
            "kind": "group",
            "un_status": "",
            "note": "",
            "names-TOTAL_FORMS": "1",
            "names-INITIAL_FORMS": "0",
            "names-0-name": "Nordic countries",
            "names-0-kind": "alias",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-member": "dk",
            "memberships-1-member": "fi",
            "memberships-1-since": "2020-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    group = Party.objects.get(code="nordic-five")
    assert [(m.member_id, str(m.since)) for m in group.memberships.all()] == [("dk", "None"), ("fi", "2020-01-01")]
    assert PartyVocabulary.from_database().members("nordic-five") == ["dk", "fi"]


@pytest.mark.parametrize(
    ("kind", "members", "error"),
    [
        ("state", ["dk"], "A state has no members: make the party a group or an organisation first."),
        ("group", ["zz-group"], "A party cannot be its own member."),
    ],
)
def test_members_of_a_state_or_of_itself_are_refused(admin_client, kind, members, error):
    Party.objects.create(code="zz-group", name="Z", short_name="Z", kind="group")
    data = {
        "code": "zz-group" if kind == "group" else "zz",
        "name": "Z",
        "short_name": "Z",
        "kind": kind,
        "un_status": "",
        "note": "",
        "names-TOTAL_FORMS": "0",
        "names-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": str(len(members)),
        "memberships-INITIAL_FORMS": "0",
        **{f"memberships-{i}-member": code for i, code in enumerate(members)},
    }
    url = change_url(Party.objects.get(code="zz-group")) if kind == "group" else "/admin/statements/party/add/"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not PartyMembership.objects.filter(member__in=members, group__in=["zz", "zz-group"]).exists()


def test_un_status_is_only_for_states(admin_client):
    response = admin_client.post(
        "/admin/statements/party/add/",
        {"code": "zz-org", "name": "Z", "short_name": "Z", "kind": "organisation", "un_status": "member",
         "names-TOTAL_FORMS": "0", "names-INITIAL_FORMS": "0", "memberships-TOTAL_FORMS": "0",
         "memberships-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Only a state has a UN status: leave it empty for an organisation or group." in response.content.decode()
    assert not Party.objects.filter(code="zz-org").exists()
