"""The bad-input catalogue: hostile and malformed requests, each with its documented status and a JSON error.

One table, one case a line: malformed and out-of-range parameters, repeated parameters, huge pages, a
10 KB ``q``, SQL and tsquery syntax, NUL bytes and invalid UTF-8 in paths and query strings (sent as raw
WSGI environ values where the test client would encode them), path traversal, unknown versions, every
write method, unsupported ``Accept``, ``HEAD`` and ``OPTIONS``. None may answer 500 or show a traceback.
"""

import pytest
from django.test import Client

from statements.models import Clause

from .openapi import JOINT_STATEMENT, openapi_schema

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
CLAUSES = f"{V1}/clauses/"
SEARCH = f"{V1}/search/"
EXPORT = f"{V1}/clauses/export/"
COMPARE = f"{V1}/compare/"
JS = f"{V1}/documents/{JOINT_STATEMENT}"
SIMILAR = f"{JS}/clauses/para_39/similar/"
TEN_KB = "a" * 10_240
TEN_KB_OF_WORDS = "park " * 2_048
READ_URLS = [
    f"{V1}/",
    f"{V1}/documents/",
    f"{JS}/",
    f"{JS}/clauses/",
    f"{JS}/clauses/para_39/",
    CLAUSES,
    EXPORT,
    SEARCH,
    f"{V1}/topics/",
    f"{V1}/topics/taiwan/",
    f"{V1}/parties/",
    f"{V1}/parties/cn/",
]


def case(id, path, status, *, method="GET", query=None, parameter=None, code=None, **environ):
    """One line of the catalogue; ``query`` is sent as the raw QUERY_STRING (bytes as latin-1, as WSGI does)."""
    if query is not None:
        environ["QUERY_STRING"] = query
    return pytest.param(method, path, environ, status, parameter, code, id=id)


CATALOGUE = [
    # Malformed and out-of-range query parameters: a 400 naming the parameter.
    case("page-negative", CLAUSES, 400, query="page=-1", parameter="page"),
    case("page-decimal", CLAUSES, 400, query="page=1.5", parameter="page"),
    case("page-exponent", CLAUSES, 400, query="page=1e3", parameter="page"),
    case("page-empty", CLAUSES, 400, query="page=", parameter="page"),
    case("page-huge", CLAUSES, 404, query="page=99999999999999999999999999", parameter="page"),
    case("page-out-of-range", CLAUSES, 404, query="page=999999999", parameter="page"),
    case("page-unicode-digits", CLAUSES, 400, query="page=%D9%A3", parameter="page"),
    case("page-size-negative", CLAUSES, 400, query="page_size=-5", parameter="page_size"),
    case("page-size-huge", CLAUSES, 400, query="page_size=100000000000", parameter="page_size"),
    case("page-size-empty", CLAUSES, 400, query="page_size=", parameter="page_size"),
    case("page-size-too-big-search", SEARCH, 400, query="q=park&page_size=101", parameter="page_size"),
    case("page-huge-documents", f"{V1}/documents/", 404, query="page=4294967296", parameter="page"),
    case("date-impossible", CLAUSES, 400, query="date_after=2023-02-30", parameter="date_after"),
    case("date-five-digit-year", CLAUSES, 400, query="date_before=99999-01-01", parameter="date_before"),
    case("date-nul", CLAUSES, 400, query="date_before=%00", parameter="date_before"),
    case("datetime-bad-hour", CLAUSES, 400, query="updated_since=2023-03-01T25:00:00Z", parameter="updated_since"),
    case(
        "datetime-leaves-range-in-utc",
        CLAUSES,
        400,
        query="updated_since=0001-01-01T00:00:00%2B01:00",
        parameter="updated_since",
    ),
    case("ordering-unknown-field", CLAUSES, 400, query="ordering=-position,-nope", parameter="ordering"),
    case("ordering-sql", CLAUSES, 400, query="ordering=id;DROP%20TABLE%20x", parameter="ordering"),
    case("kind-unknown", CLAUSES, 400, query="kind=treaty", parameter="kind"),
    case("topic-nul", CLAUSES, 400, query="topic=%00", parameter="topic"),
    case("party-sql", CLAUSES, 400, query="party=cn'%20OR%20'1'='1", parameter="party"),
    case("document-traversal", CLAUSES, 400, query="document=../../etc/passwd", parameter="document"),
    # Repeated parameters: multi-value filters take every value; a bad one among them is named.
    case("repeated-topic-one-bad", CLAUSES, 404, query="topic=taiwan&topic=nope", parameter="topic"),
    case("repeated-ordering-one-bad", CLAUSES, 400, query="ordering=-date&ordering=bogus", parameter="ordering"),
    case("repeated-topic-valid", CLAUSES, 200, query="topic=taiwan&topic=ukraine-crisis"),
    case("repeated-party-valid", CLAUSES, 200, query="party=cn&party=by&party=cn"),
    case("unknown-parameter-refused", CLAUSES, 400, query="colour=blue", parameter="colour"),
    # q: at most 500 characters (longer is a 400: see statements.search); SQL and tsquery syntax are only words.
    case("q-10kb-word", CLAUSES, 400, query=f"q={TEN_KB}", parameter="q"),
    case("q-10kb-words-search", SEARCH, 400, query=f"q={TEN_KB_OF_WORDS}", parameter="q"),
    case("q-10kb-word-search", SEARCH, 400, query=f"q={TEN_KB}", parameter="q"),
    case("q-longest-allowed-search", SEARCH, 200, query=f"q={TEN_KB_OF_WORDS[:500]}"),
    case("q-quote", SEARCH, 200, query="q='"),
    case("q-tsquery-operators", SEARCH, 200, query="q=%26%7C!"),
    case("q-tsquery-prefix", SEARCH, 200, query="q=:*"),
    case("q-tsquery-word-prefix", SEARCH, 200, query="q=park:*"),
    case("q-tsquery-expression", SEARCH, 200, query="q=(park%20%26%20!trade)%20%7C%20<->"),
    case("q-unbalanced-quotes", SEARCH, 200, query='q="park'),
    case("q-sql-injection", SEARCH, 200, query="q=';%20DROP%20TABLE%20statements_clause;%20--"),
    case("q-sql-injection-clauses", CLAUSES, 200, query="q=1'%20OR%20'1'='1"),
    case("q-backslashes", SEARCH, 200, query="q=%5C%5C%5C"),
    case("q-missing-search", SEARCH, 400, parameter="q"),
    case("q-empty-search", SEARCH, 400, query="q=", parameter="q"),
    case("q-nul-search", SEARCH, 400, query="q=park%00", parameter="q"),
    # The export: the same filters, its own format parameter.
    case("export-unknown-format", EXPORT, 400, query="format=xml", parameter="format"),
    case("export-format-nul", EXPORT, 400, query="format=csv%00", parameter="format"),
    case("export-10kb-q", EXPORT, 400, query=f"format=csv&q={TEN_KB}", parameter="q"),
    case("export-unknown-topic", EXPORT, 404, query="topic=nope", parameter="topic"),
    case("export-bad-date", EXPORT, 400, query="format=jsonl&date_after=2023-02-30", parameter="date_after"),
    # Analysis: compare, similar clauses, topic statistics, Akoma Ntoso.
    case("compare-missing", COMPARE, 400, parameter="documents"),
    case("compare-one-document", COMPARE, 400, query=f"documents={JOINT_STATEMENT}", parameter="documents"),
    case("compare-unknown", COMPARE, 404, query=f"documents={JOINT_STATEMENT},nope", parameter="documents"),
    case("compare-nul", COMPARE, 400, query=f"documents={JOINT_STATEMENT},a%00b", parameter="documents"),
    case("compare-traversal", COMPARE, 400, query=f"documents={JOINT_STATEMENT},../../etc", parameter="documents"),
    case("compare-many", COMPARE, 400, query="&".join(["documents=a"] * 200), parameter="documents"),
    case("similar-score-too-big", SIMILAR, 400, query="min_score=2", parameter="min_score"),
    case("similar-score-nan", SIMILAR, 400, query="min_score=nan", parameter="min_score"),
    case("similar-limit-zero", SIMILAR, 400, query="limit=0", parameter="limit"),
    case("similar-limit-huge", SIMILAR, 400, query="limit=99999999999999999999", parameter="limit"),
    case("similar-nul-eid", f"{JS}/clauses/para%00_39/similar/", 404),
    case("similar-unknown-eid", f"{JS}/clauses/para_9999/similar/", 404),
    case("stats-unknown-topic", f"{V1}/topics/nope/stats/", 404),
    case("akn-unknown-document", f"{V1}/documents/nope/akn/", 404),
    case("akn-traversal", f"{V1}/documents/..%2F..%2Fetc/akn/", 404),
    # Invalid UTF-8 and NUL bytes, percent-encoded and raw.
    case("query-invalid-utf8-encoded", CLAUSES, 400, query="topic=%FF%FE", parameter="topic"),
    case("query-invalid-utf8-raw", CLAUSES, 400, query="topic=\xff\xfe", parameter="topic"),
    case("q-invalid-utf8-raw", SEARCH, 200, query="q=\xc3\x28"),
    case("query-overlong-utf8", CLAUSES, 400, query="party=%C0%AF", parameter="party"),
    case("query-raw-nul-key", CLAUSES, 400, query="\x00=1", parameter="\x00"),
    case("path-invalid-utf8", f"{V1}/documents/%FF%FE/", 404),
    case("path-invalid-utf8-raw", f"{V1}/topics/\xc3\x28/", 404),
    case("path-nul-slug", f"{V1}/documents/a%00b/", 404),
    case("path-nul-eid", f"{JS}/clauses/para%00_39/", 404),
    case("path-nul-party", f"{V1}/parties/c%00n/", 404),
    case("path-overlong-utf8-slash", f"{V1}/topics/%C0%AF/", 404),
    case("path-newline", f"{V1}/documents/%0Aslug/", 404),
    case("path-newline-eid", f"{JS}/clauses/para_39%0A/", 404),
    case("path-huge-eid", f"{JS}/clauses/{'x' * 5000}/", 404),
    # Path traversal in slugs and eids.
    case("traversal-dots", f"{V1}/documents/../../etc/passwd", 404),
    case("traversal-encoded-slashes", f"{V1}/documents/..%2F..%2Fetc%2Fpasswd/", 404),
    case("traversal-encoded-dots", f"{V1}/documents/%2e%2e/", 404),
    case("traversal-eid", f"{JS}/clauses/..%2F..%2Fsettings.py/", 404),
    case("traversal-eid-dots", f"{JS}/clauses/..%5C..%5Cwindows/", 404),
    case("traversal-backslashes", f"{V1}/parties/..%5C..%5Cwin.ini/", 404),
    case("traversal-static", "/api/v1/../../config/settings.py", 404),
    # Unknown versions and resources.
    case("version-0", "/api/v0/", 404),
    case("version-2-clauses", "/api/v2/clauses/", 404),
    case("version-decimal", "/api/v1.1/clauses/", 404),
    case("version-uppercase", "/api/V1/clauses/", 404),
    case("version-latest", "/api/latest/documents/", 404),
    case("unknown-document", f"{V1}/documents/no-such-document/", 404),
    case("unknown-eid", f"{JS}/clauses/para_9999/", 404),
    case("unknown-topic", f"{V1}/topics/nope/", 404),
    case("unknown-party", f"{V1}/parties/zz/", 404),
    # Content negotiation.
    case("accept-xml", CLAUSES, 406, HTTP_ACCEPT="application/xml"),
    case("accept-html", f"{JS}/", 406, HTTP_ACCEPT="text/html"),
    case("accept-image", f"{V1}/topics/", 406, HTTP_ACCEPT="image/png"),
    case("accept-garbage", f"{V1}/parties/", 406, HTTP_ACCEPT="\x00\xff;;;q=x"),
    case("format-xml", CLAUSES, 404, query="format=xml"),
    case("accept-any", CLAUSES, 200, HTTP_ACCEPT="*/*"),
    case("accept-json-weighted", CLAUSES, 200, HTTP_ACCEPT="text/html;q=0.9, application/json;q=0.8"),
    # HEAD and OPTIONS.
    case("head-list", CLAUSES, 200, method="HEAD"),
    case("head-detail", f"{JS}/clauses/para_39/", 200, method="HEAD"),
    case("head-unknown", f"{V1}/documents/no-such-document/", 404, method="HEAD"),
    case("options-list", CLAUSES, 200, method="OPTIONS"),
    case("options-detail", f"{V1}/parties/cn/", 200, method="OPTIONS"),
    case("options-unknown-version", "/api/v2/", 404, method="OPTIONS"),
    # Every write method on every read endpoint: 405 (and TRACE, CONNECT, unknown methods too).
    *(
        case(f"{method.lower()}-{url.removeprefix(V1) or '/'}", url, 405, method=method)
        for method in ("POST", "PUT", "PATCH", "DELETE")
        for url in READ_URLS
    ),
    case("trace", CLAUSES, 405, method="TRACE"),
    case("connect", CLAUSES, 405, method="CONNECT"),
    case("made-up-method", CLAUSES, 405, method="BREW"),
    case("post-with-body", CLAUSES, 405, method="POST", CONTENT_TYPE="application/json"),
]


@pytest.mark.parametrize(("method", "path", "environ", "status", "parameter", "code"), CATALOGUE)
def test_bad_input_gets_its_documented_status_and_a_json_error(method, path, environ, status, parameter, code):
    clauses_before = Clause.objects.count()
    response = Client().generic(method, path, **environ)

    assert response.status_code == status, response.content[:500]
    assert b"Traceback" not in response.content and b'File "/' not in response.content
    if method == "HEAD":
        assert response.content == b""
    elif status >= 400:
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["status"] == status
        assert isinstance(body["code"], str) and body["code"]
        assert isinstance(body["detail"], str) and body["detail"]
        assert isinstance(body["errors"], list)
        if parameter is not None:
            assert parameter in {error["parameter"] for error in body["errors"]}, body
        error_schema = openapi_schema()["components"]["schemas"]["Error"]
        assert set(body) == set(error_schema["required"])
    else:
        assert response["Content-Type"] == "application/json"
        response.json()
    assert Clause.objects.count() == clauses_before
