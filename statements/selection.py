"""Which clauses a list asks for, described explicitly: the filters and the order, as the API validated them.

The API's filter sets (statements.api.v1.filters, django-filter) validate the query parameters and describe
them as a ``ClauseSelection``. Everything that lists clauses works from that description, never from a
QuerySet's internals: the ORM queryset (``queryset``: counts, the document map, orderings other than reading
order, ranked search), the conditions the fast paths write into their fixed SQL (``clause_conditions``), and
the keys under which counts and document maps are cached (``key``). Each filter is written here in both forms,
side by side; tests compare the two on every filter (tests/test_selection.py).
"""

import dataclasses
import datetime
import operator
from dataclasses import dataclass, fields
from functools import reduce

from django.db import connections
from django.db.models import Q

from statements import search
from statements.models import READING_ORDER, ClauseFacet, Party, Topic

# Orderings that keep each document's clauses together, and the order of the documents they imply.
DOCUMENT_MAJOR_ORDERS = {
    READING_ORDER: ("document__date", "document__slug"),
    ("document__date", *READING_ORDER): ("document__date", "document__slug"),
    ("-document__date", *READING_ORDER): ("-document__date", "document__slug"),
}


@dataclass(frozen=True)
class ClauseSelection:
    """The clauses a list shows, and in what order. Filters combine with AND; the values of one filter with OR;
    an empty filter (no values, None) does not filter."""

    documents: tuple = ()  # document ids
    kinds: tuple = ()  # DocumentKind values
    parties: tuple = ()  # party codes: clauses in which any of them speaks or commits
    topics: tuple = ()  # topic slugs: clauses on any of them, a parent topic matching its children too
    date_after: datetime.date | None = None  # documents dated on or after
    date_before: datetime.date | None = None  # documents dated on or before
    updated_since: datetime.datetime | None = None  # clauses changed at or after (aware)
    q: str | None = None  # free text every clause must match (search.matching; unranked)
    order_by: tuple = READING_ORDER  # the ORM ordering
    # The ids ``topics`` (with their children) and ``parties`` name, once read (``with_link_ids``); None: the SQL
    # conditions look them up.
    topic_ids: tuple | None = None
    party_ids: tuple | None = None
    # The ids of the topics ``topics`` names themselves, without their children: their ClauseFacet values (a parent's
    # rows include its children's clauses), once read (``with_link_ids``).
    topic_value_ids: tuple | None = None

    @property
    def document_order(self):
        """The order of the documents, where ``order_by`` keeps each document's clauses together (the lists that
        page through the document map), else None."""
        return DOCUMENT_MAJOR_ORDERS.get(self.order_by)

    @property
    def is_filtered(self):
        """True where any filter narrows the clauses (the order aside)."""
        return any(getattr(self, field.name) not in ((), None) for field in fields(self) if field.name != "order_by")

    def matches_nothing(self, using):
        """True where the filters can match no clause whatever the data: on SQLite, a ``q`` without words."""
        return self.q is not None and not search.has_terms(self.q, connections[using].vendor)

    def key(self):
        """What identifies the clauses selected, whatever their order: a cache key's part."""
        return repr([getattr(self, field.name) for field in fields(self) if field.name != "order_by"])

    def with_link_ids(self, using):
        """This selection with the ids of its topics (their children's too) and parties read from the database
        ``using`` (one query): its SQL conditions then carry them as one parameter each, where otherwise every
        statement looks them up again (an ``ARRAY(SELECT ...)`` of the topic table for each run of a page and each of
        its offsets: a quarter to two fifths of a deep ``topic=`` page's execution time in PostgreSQL). The API reads
        them with the filter parameters, once per data version (``ClauseSelectionMixin.validated``), so they are those
        of the data the request reads."""
        vendor = connections[using].vendor
        found, parts, params = {}, [], []
        for name, values, table, column, children in (
            ("topic_ids", self.topics, "statements_topic", "slug", True),
            ("topic_value_ids", self.topics, "statements_topic", "slug", False),
            ("party_ids", self.parties, "statements_party", "code", False),
        ):
            if values:
                sql, sql_params = rows_named(table, column, values, vendor, children=children)
                found[name] = []
                parts.append(f"SELECT '{name}', named.id FROM ({sql}) AS named")
                params += sql_params
        if not parts:
            return self
        with connections[using].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for name, pk in cursor.fetchall():
                found[name].append(pk)
        return dataclasses.replace(self, **{name: tuple(sorted(ids)) for name, ids in found.items()})

    def facet_values(self):
        """[(facet, value id), ...]: the ClauseFacet values whose rows are the clauses this selection selects in any
        document (one topic, one party, or one of each, intersected), where its ids are read (``with_link_ids``) and it
        has no filter on the clauses' own columns; else None. A page then finds where its run of a document's clauses
        starts from those rows' (facet, value, document, position) index (rows.FACET_SKIP_SQL), and a pair's run is
        read from it (rows.FACET_PAIR_SLICE_SQL)."""
        if self.updated_since is not None or self.q is not None or len(self.topics) > 1 or len(self.parties) > 1:
            return None
        values = []
        for facet, named, ids in ((TOPIC, self.topics, self.topic_value_ids), (PARTY, self.parties, self.party_ids)):
            if named:
                if ids is None or len(ids) != 1:
                    return None
                values.append((facet, ids[0]))
        return values or None

    def queryset(self, queryset):
        """``queryset`` filtered (not ordered) as described."""
        if self.documents:
            queryset = queryset.filter(document__in=self.documents)
        if self.kinds:
            queryset = queryset.filter(reduce(operator.or_, (Q(document__kind=kind) for kind in self.kinds)))
        if self.parties:
            queryset = queryset.by_parties(self.parties)
        if self.topics:
            queryset = queryset.on_topics(self.topics)
        if self.date_after is not None:
            queryset = queryset.filter(document__date__gte=self.date_after)
        if self.date_before is not None:
            queryset = queryset.filter(document__date__lte=self.date_before)
        if self.updated_since is not None:
            queryset = queryset.filter(updated_at__gte=self.updated_since)
        if self.q is not None:
            queryset = search.matching(queryset, self.q)
        return queryset

    def clause_conditions(self, alias, using, *, through_index=False):
        """The filters on a clause's own rows, as SQL conditions on the clause table's ``alias`` (each starting
        with " AND "), and their parameters: what the fast paths add to their fixed SQL.

        The ids a link filter names are a parameter where the selection has read them (``with_link_ids``), else looked
        up in the statement; through the index they are always looked up (below).

        On PostgreSQL a link filter reads the clause row's own ids (statements.models.link_ids): with
        ``through_index``, as the ``&&`` the full-text index answers with a word (a search's matches come from it
        already intersected with the topic's or party's clauses); else through the operator's function, which no index
        answers, checked on the rows the statement reads anyway (a document's clauses in order, the clauses holding a
        word many times: an index on the ids would let the planner read the topic's every clause first).

        On SQLite each link filter is a correlated ``EXISTS``: each candidate clause is looked up in the link table's
        (clause, topic) or (clause, party) unique index. A plain ``IN (subquery)`` let both databases read every
        link of the topic first (SQLite builds that list anew for every statement; PostgreSQL hashed it): a page of
        50 clauses on a topic of 100,000 cost as much as the whole topic.

        The filters on documents (``documents``, ``kinds``, the dates) are not among them: the fast paths read
        one document's clauses at a time, of the documents the document map (``document_counts_sql``) says match.
        """
        vendor = connections[using].vendor
        sql, params = [], []
        for values, read_ids, link_table, column, table, named, children in (
            (self.parties, self.party_ids, "statements_clauseparty", "party", "statements_party", "code", False),
            (self.topics, self.topic_ids, "statements_clausetopic", "topic", "statements_topic", "slug", True),
        ):
            if not values:
                continue
            if read_ids is None or through_index:
                # Through the index the ids stay a lookup in the statement, a value the planner does not know: given
                # them, it estimated a common word's matches of a party from the arrays' statistics and read the whole
                # table in storage order instead of the index (`cooperation` & party=kz: 5,014 buffers, 1,057 read
                # from disk, against the index's 510).
                ids, ids_params = ids_of(table, named, values, vendor, children=children)
            else:
                ids, ids_params = given_ids(read_ids, vendor)
            if vendor == "postgresql":
                array = f"{alias}.{column}_ids"
                sql.append(f"{array} && {ids}" if through_index else f"arrayoverlap({array}, {ids})")
            else:
                link = f"{alias}_{column}"
                sql.append(
                    f"EXISTS (SELECT 1 FROM {link_table} {link} WHERE {link}.clause_id = {alias}.id "
                    f"AND {link}.{column}_id IN ({ids}))"
                )
            params += ids_params
        own, own_params = self.own_conditions(alias, using)
        return "".join(f" AND {condition}" for condition in sql) + own, params + own_params

    def conditions(self, alias, using, *, through_index=False):
        """Every filter as SQL conditions on the clause table's ``alias`` (each starting with " AND "), and their
        parameters: ``clause_conditions`` (``through_index`` is its), and the filters on documents as a semi-join on
        the documents they leave (a few thousand rows). For queries that read clauses from an index of their own
        rather than document by document (a search's matches, from the full-text index)."""
        sql, params = self.clause_conditions(alias, using, through_index=through_index)
        documents, documents_params = self.document_conditions(f"{alias}_document", using)
        if documents:
            sql += (
                f" AND {alias}.document_id IN (SELECT {alias}_document.id FROM statements_document {alias}_document "
                f"WHERE 1 = 1{documents})"
            )
            params = params + documents_params
        return sql, params

    def own_conditions(self, alias, using):
        """The filters on the clause table's own columns (``updated_since``, ``q``), as ``clause_conditions``."""
        connection = connections[using]
        sql, params = [], []
        if self.updated_since is not None:
            sql.append(f"{alias}.updated_at >= %s")
            params.append(connection.ops.adapt_datetimefield_value(self.updated_since))
        if self.q is not None:
            q_sql, q_params = search.matching_sql(alias, self.q, connection.vendor, connection)
            sql.append(q_sql)
            params += q_params
        return "".join(f" AND {condition}" for condition in sql), params

    def document_conditions(self, alias, using):
        """The filters on documents (``documents``, ``kinds``, the dates), as SQL conditions on the document table's
        ``alias`` (each starting with " AND "), and their parameters."""
        connection = connections[using]
        vendor = connection.vendor
        sql, params = [], []
        if self.documents:
            ids, ids_params = any_of(f"{alias}.id", self.documents, vendor)
            sql.append(ids)
            params += ids_params
        if self.kinds:
            kinds, kinds_params = any_of(f"{alias}.kind", self.kinds, vendor)
            sql.append(kinds)
            params += kinds_params
        if self.date_after is not None:
            sql.append(f"{alias}.date >= %s")
            params.append(connection.ops.adapt_datefield_value(self.date_after))
        if self.date_before is not None:
            sql.append(f"{alias}.date <= %s")
            params.append(connection.ops.adapt_datefield_value(self.date_before))
        return "".join(f" AND {condition}" for condition in sql), params

    def document_counts_sql(self, using):
        """SQL and parameters for (document id, clauses selected) of every document with a clause selected, in the
        order of the documents (``document_order``, which must not be None): the document map a list pages through.

        With one topic, one party or neither, and no filter on the clauses' own columns (``updated_since``, ``q``),
        the counts are read from DocumentFacetCount (statements.models.facets), which the database keeps: a few
        thousand rows, whatever the number of clauses. With more, the clauses are counted from ClauseFacet: the rows
        of ``topic=X`` are one range of its primary key in (document, clause) order, a parent's including its
        children's clauses, so a topic or a party is counted without a join, and a second facet intersects it by a
        merge (``EXISTS`` on the same document and clause). Otherwise they are counted from the clause table.
        Either way the document filters keep the documents they leave (a few thousand rows), and the documents are
        joined last, for their order.
        """
        documents, documents_params = self.document_conditions("d", using)
        facets = [(facet, values) for facet, values in ((TOPIC, self.topics), (PARTY, self.parties)) if values]
        own, own_params = self.own_conditions("c", using)
        if not own and (not facets or (len(facets) == 1 and len(facets[0][1]) == 1)):
            # One topic, one party or none: the counts are kept by the database (DocumentFacetCount).
            facet, values = facets[0] if facets else (EVERY_CLAUSE, ())
            where, params = facet_ids(facet, values, using, "k") if values else ("k.value_id = 0", [])
            rows = f"SELECT k.document_id, k.n FROM statements_documentfacetcount k WHERE k.facet = {facet} AND {where}"
            if documents:
                rows += f" AND k.document_id IN (SELECT d.id FROM statements_document d WHERE 1 = 1{documents})"
                params = params + documents_params
            return self.in_document_order(rows), params
        if facets:
            (facet, values), *others = facets
            where, params = facet_ids(facet, values, using, "f")
            counted = "count(*)" if len(values) == 1 else "count(DISTINCT f.clause_id)"
            where = f"f.facet = {facet} AND {where}"
            for other, other_values in others:
                other_ids, other_params = facet_ids(other, other_values, using, "g")
                where += (
                    f" AND EXISTS (SELECT 1 FROM statements_clausefacet g WHERE g.facet = {other} "
                    f"AND {other_ids} AND g.document_id = f.document_id "
                    "AND g.clause_id = f.clause_id)"
                )
                params += other_params
            if own:
                where += f" AND EXISTS (SELECT 1 FROM statements_clause c WHERE c.id = f.clause_id{own})"
                params += own_params
            rows = f"SELECT f.document_id, {counted} AS n FROM statements_clausefacet f WHERE {where}"
            document_column = "f.document_id"
        else:
            where, params = self.clause_conditions("c", using)
            rows = f"SELECT c.document_id, count(*) AS n FROM statements_clause c WHERE 1 = 1{where}"
            document_column = "c.document_id"
        if documents:
            rows += f" AND {document_column} IN (SELECT d.id FROM statements_document d WHERE 1 = 1{documents})"
            params = params + documents_params
        return self.in_document_order(f"{rows} GROUP BY {document_column}"), params

    def in_document_order(self, rows):
        """SQL for (document id, n) from ``rows`` (SQL giving document_id, n), in the selection's document order."""
        order = ", ".join(
            f"d.{name.removeprefix('-').removeprefix('document__')}{' DESC' if name.startswith('-') else ''}"
            for name in self.document_order
        )
        return f"""
SELECT d.id, counted.n FROM ({rows}) AS counted JOIN statements_document d ON d.id = counted.document_id
ORDER BY {order}"""


# The facets of ClauseFacet the filters count, and the models whose ``field`` names their values.
TOPIC, PARTY, EVERY_CLAUSE = ClauseFacet.TOPIC, ClauseFacet.PARTY, ClauseFacet.EVERY_CLAUSE
FACET_VALUES = {TOPIC: (Topic, "slug"), PARTY: (Party, "code")}


def facet_ids(facet, values, using, alias):
    """``{alias}.value_id`` is one of the ids the slugs or codes ``values`` name, as SQL and its parameters (a topic's
    rows in ClauseFacet include its children's clauses: no children here). The ids are read first and written into the
    statement, so the planner knows them: with one, the rows come from the index in (document, clause) order, counted
    as they come and merged with a second facet's, with no sort or hash."""
    model, field = FACET_VALUES[facet]
    ids = list(model.objects.using(using).filter(**{f"{field}__in": values}).values_list("id", flat=True))
    if len(ids) == 1:
        return f"{alias}.value_id = %s", ids
    return any_of(f"{alias}.value_id", ids, connections[using].vendor)


def ids_of(table, column, values, vendor, *, children=False):
    """SQL for the ids of ``table``'s rows whose ``column`` is one of ``values`` (and, with ``children``, of their
    children: the topic tree has two levels), and its parameters: on PostgreSQL an array (``ARRAY(...)``, computed
    once per statement), elsewhere a subquery for ``IN (...)``."""
    sql, params = rows_named(table, column, values, vendor, children=children)
    if vendor == "postgresql":
        return f"ARRAY({sql})", params
    return sql, params


def rows_named(table, column, values, vendor, *, children=False):
    """A query of the ids ``ids_of`` gives (one column, ``id``), and its parameters."""
    named, params = any_of(column, values, vendor)
    sql = f"SELECT id FROM {table} WHERE {named}"
    if children:
        sql += f" OR parent_id IN (SELECT id FROM {table} WHERE {named})"
        params = params + params
    return sql, params


def given_ids(ids, vendor):
    """``ids`` (read already: ``ClauseSelection.with_link_ids``) as ``ids_of`` writes its lookup: on PostgreSQL one
    ``bigint[]`` parameter (the clause arrays' type), elsewhere a list of placeholders for ``IN (...)``."""
    if vendor == "postgresql":
        return "%s::bigint[]", [list(ids)]
    return ", ".join(["%s"] * len(ids)) or "NULL", list(ids)


def any_of(column, values, vendor):
    """``column`` is one of ``values``, as SQL and its parameters: on PostgreSQL one array parameter (the statement is
    the same for any number of values, so it is prepared once; psycopg parses a statement with over 50 parameters
    anew every time), elsewhere a list of placeholders."""
    if vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)
