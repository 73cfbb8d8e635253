"""Property-based tests of the contract: schemathesis generates requests for every operation of the v1 schema.

Each operation gets up to 100 generated cases (fewer only when its parameters allow fewer distinct
requests, e.g. an operation without parameters), valid and invalid ones, sent in-process to the WSGI
application. Every response must be no 5xx and conform to the schema: a documented status code, its
content type and its body schema. ``derandomize`` fixes hypothesis' seed, so a failure reproduces on
every run; the cases run per operation are written to artifacts/schemathesis-cases.json.
"""

import json
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

from .conftest import ARTIFACTS_DIR


def inside_the_test_transaction(wsgi_app):
    """The WSGI app, with the database connection kept open across requests, as Django's test client does.

    Django closes the connection when a request ends (close_old_connections); inside a test's transaction
    that would end the transaction and break the next request on PostgreSQL.
    """

    def app(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = wsgi_app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()  # sends request_finished
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return app


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", inside_the_test_transaction(application))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CASES_RUN = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_cases_run():
    yield
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    (ARTIFACTS_DIR / "schemathesis-cases.json").write_text(json.dumps(dict(sorted(CASES_RUN.items())), indent=2))
    print(f"\nschemathesis: {len(CASES_RUN)} operations, {sum(CASES_RUN.values())} cases")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_within_its_contract(case):
    CASES_RUN[case.operation.label] += 1
    case.call_and_validate(checks=CHECKS)
