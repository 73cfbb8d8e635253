"""Lining documents up topic by topic: what each says on a subject, and what each leaves out.

The rows follow the topic tree: each top-level topic, then its children, in the vocabulary's order.
A row lists a topic only when at least one of the documents has a clause on it. A **parent topic's
row gathers the clauses on the parent itself and on any of its children**, exactly as
``/clauses/?topic=<parent>`` does; a child's row holds only its own clauses. So a clause on
``ukraine-crisis`` is shown under "Ukraine crisis" and again under "International order", which
lets a reader compare at either level.

A document **leaves out** a row's topic when it has no clause in that row while another document
does. Everything is read in three queries, whatever the number of documents.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import Clause, Topic


@dataclass
class TopicRow:
    """One topic and, for each document compared (in the order given), its clauses on it in reading order."""

    topic: Topic
    includes_children: bool
    clauses: dict = field(default_factory=dict)  # document id -> [Clause]

    def by_document(self, documents):
        return [(document, self.clauses.get(document.pk, [])) for document in documents]


@dataclass
class Comparison:
    documents: list
    rows: list

    def left_out(self, document):
        """The topics another document covers and ``document`` does not, in tree order."""
        return [row.topic for row in self.rows if not row.clauses.get(document.pk)]


def tree_order(topics):
    """The topics, each top-level one followed by its children (siblings by position, then slug)."""
    children = {}
    for topic in topics:
        children.setdefault(topic.parent_id, []).append(topic)
    ordered = []
    for parent in children.get(None, []):
        ordered.append(parent)
        ordered.extend(children.get(parent.pk, []))
    return ordered


def compare_documents(documents):
    """Compare ``documents`` (a list of Document, in the order the reader gave) topic by topic."""
    clauses = (
        Clause.objects.filter(document__in=documents)
        .select_related("document")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("pk", "parent_id")))
        .order_by("position")
    )
    on_topic = {}  # topic id -> {document id -> [Clause]}
    for clause in clauses:
        topic_ids = {topic.pk for topic in clause.topics.all()}
        topic_ids |= {topic.parent_id for topic in clause.topics.all() if topic.parent_id}
        for topic_id in topic_ids:
            on_topic.setdefault(topic_id, {}).setdefault(clause.document_id, []).append(clause)
    rows = [
        TopicRow(topic=topic, includes_children=topic.parent_id is None, clauses=on_topic[topic.pk])
        for topic in tree_order(Topic.objects.select_related("parent"))
        if topic.pk in on_topic
    ]
    return Comparison(documents=list(documents), rows=rows)
