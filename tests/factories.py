"""factory_boy factories for building test data that is not the real corpus."""

import datetime

import factory

from statements import models


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Party
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"p{n}")
    name = factory.LazyAttribute(lambda o: f"Republic of {o.code.upper()}")
    short_name = factory.LazyAttribute(lambda o: o.code.upper())


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    description = "A topic made for a test."


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Document

    slug = factory.Sequence(lambda n: f"test-document-{n}")
    title = factory.LazyAttribute(lambda o: f"Joint statement {o.slug}")
    kind = models.DocumentKind.JOINT_STATEMENT
    date = datetime.date(2024, 5, 16)
    publisher = "Test publisher"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Section

    document = factory.SubFactory(DocumentFactory)
    position = factory.Sequence(lambda n: n + 1)
    eid = factory.LazyAttribute(lambda o: f"sec_{o.position}")


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Clause

    section = factory.SubFactory(SectionFactory)
    document = factory.SelfAttribute("section.document")
    position = factory.Sequence(lambda n: n + 1)
    eid = factory.LazyAttribute(lambda o: f"para_{o.position}")
    text = factory.Faker("paragraph")


def document_with_clauses(n_clauses, *, topics=(), parties=(), **document_fields):
    """A document with one section and ``n_clauses`` clauses, each tagged with ``topics`` and ``parties``."""
    document = DocumentFactory(**document_fields)
    section = SectionFactory(document=document, position=1)
    clauses = [ClauseFactory(section=section, position=i, eid=f"para_{i}") for i in range(1, n_clauses + 1)]
    for clause in clauses:
        clause.topics.add(*topics)
        clause.parties.add(*parties)
    document.parties.add(*parties)
    return document
