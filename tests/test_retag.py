"""manage.py retag: the enabled rules run again over every clause; the rules' links become what they find, a
curator's link is never touched and never doubled by a rule, and a second run changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count

from statements import retagging
from statements.models import AssignedBy, Clause, ClauseParty, ClauseTopic, Document, Topic, TopicRule

pytestmark = pytest.mark.django_db
JOINT_STATEMENT = "china-belarus-joint-statement-2023-03-02"
SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources" / "whitehouse"


def links(assigned_by):
    return set(ClauseTopic.objects.filter(assigned_by=assigned_by).values_list("clause_id", "topic__slug", "rule"))


def test_retag_replaces_rule_links_and_never_touches_curators(capsys):
    curated = links(AssignedBy.CURATOR)
    clause = Clause.objects.get(document__slug=JOINT_STATEMENT, eid="para_39")
    stale = ClauseTopic.objects.create(
        clause=clause, topic=Topic.objects.get(slug="arctic"), assigned_by=AssignedBy.RULE, rule="topic-rule:gone"
    )
    before = Clause.objects.get(pk=clause.pk).updated_at
    call_command("retag")
    out = capsys.readouterr().out
    assert "Re-tagged 61 clauses with" in out and "1 deleted" in out
    assert not ClauseTopic.objects.filter(pk=stale.pk).exists()
    assert Clause.objects.get(pk=clause.pk).updated_at > before
    assert links(AssignedBy.CURATOR) == curated
    rule_links = links(AssignedBy.RULE)
    assert rule_links and all(rule.startswith("topic-rule:") for _clause, _slug, rule in rule_links)
    # a rule never doubles a curator's link (one link per clause and topic; the curator's wins)
    assert not {(c, s) for c, s, _r in rule_links} & {(c, s) for c, s, _r in curated}
    call_command("retag")
    assert "Topic links: 0 created, 0 deleted, 0 renamed" in capsys.readouterr().out
    assert links(AssignedBy.RULE) == rule_links


def test_a_disabled_rule_takes_its_links_with_it(capsys):
    call_command("retag")
    capsys.readouterr()
    busiest = ClauseTopic.objects.filter(assigned_by=AssignedBy.RULE).values("rule").annotate(n=Count("id"))
    name, made = busiest.order_by("-n").values_list("rule", "n")[0]
    assert made > 0
    rule = TopicRule.objects.get(name=name.removeprefix("topic-rule:"))
    rule.enabled = False
    rule.save()
    call_command("retag")
    assert f"Topic links: 0 created, {made} deleted" in capsys.readouterr().out
    assert not ClauseTopic.objects.filter(rule=f"topic-rule:{rule.name}").exists()


def test_a_curators_change_made_while_retag_tags_is_kept(capsys, monkeypatch):
    """retag reads the links while its workers tag; a curator who takes over a rule's link meanwhile keeps it, even
    when the rules no longer find it."""
    call_command("retag")
    link = ClauseTopic.objects.filter(assigned_by=AssignedBy.RULE).order_by("pk").first()
    TopicRule.objects.filter(name=link.rule.removeprefix("topic-rule:")).update(enabled=False)
    read = retagging.StoredLinks.read

    def read_then_a_curator_edits():
        stored = read()
        ClauseTopic.objects.filter(pk=link.pk).update(assigned_by=AssignedBy.CURATOR, rule="")
        return stored

    monkeypatch.setattr(retagging.StoredLinks, "read", staticmethod(read_then_a_curator_edits))
    call_command("retag")
    assert "deleted" in capsys.readouterr().out
    assert ClauseTopic.objects.get(pk=link.pk).assigned_by == AssignedBy.CURATOR


def speaker_links(documents):
    return set(
        ClauseParty.objects.filter(clause__document__slug__in=documents).values_list(
            "clause__document__slug", "clause__eid", "party__code", "assigned_by", "rule"
        )
    )


def test_retag_finds_the_speakers_the_importer_found(capsys):
    # Every 35th statement of the shipped corpus (readouts, joint statements, group statements), as imported.
    files = sorted(SOURCES.glob("*.md"))[::35]
    seed = set(Document.objects.values_list("slug", flat=True))
    call_command("import_statement", *map(str, files), stdout=StringIO(), stderr=StringIO())
    imported = set(Document.objects.values_list("slug", flat=True)) - seed
    before = speaker_links(imported)
    rules = {rule for *_link, rule in before}
    assert len(imported) == len(files) and any(rule.startswith("attribution: ") for rule in rules)
    call_command("retag")
    capsys.readouterr()
    assert speaker_links(imported) == before
