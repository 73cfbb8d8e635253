"""Property-based tests of the contract: schemathesis generates requests for every operation of the v1 schema.

Every check schemathesis has runs on every response (``CHECKS.get_all()``: no 5xx; a documented status, content
type, headers and body; the API accepts what the schema allows (positive data acceptance) and refuses what it
forbids (negative data rejection); unsupported methods; ...). Each operation gets up to 100 generated cases, valid
and invalid ones, sent in-process to the WSGI application; then the stateful phase follows the links between
operations (a document of the list, then its clauses, a clause's similar clauses; a topic, then its statistics),
chaining real values from one response into the next request. Hypothesis runs from this project's own seed
(SEED), so a failure reproduces on every run and a change of seed explores anew. The cases run per operation are
written to artifacts/schemathesis-cases.json. Throttling is off (tests/conftest.py), as the contract is about
answers, not rates.
"""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, seed, settings
from schemathesis.checks import CHECKS, load_all_checks

from config.wsgi import application

from .conftest import contract_cases


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
load_all_checks()
EVERY_CHECK = CHECKS.get_all()
# This project's seed for hypothesis (issue 14: "with a seed of your own"); change it to explore other cases.
SEED = 14_2026_1202
CASES_RUN = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_cases_run(pytestconfig):
    """This process's cases go to the session's count, which conftest.py writes once every worker has finished."""
    yield
    contract_cases(pytestconfig).update(CASES_RUN)


@pytest.mark.django_db
@schema.parametrize()
@seed(SEED)
@settings(
    max_examples=100,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_within_its_contract(case):
    CASES_RUN[case.operation.label] += 1
    case.call_and_validate(checks=EVERY_CHECK)


class LinkedOperations(schema.as_state_machine()):
    """The stateful phase: sequences of calls along the schema's links, every check on every response."""

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        CASES_RUN[f"linked: {case.operation.label}"] += 1
        case.validate_response(response, checks=EVERY_CHECK, transport_kwargs=kwargs or None)


@pytest.mark.django_db
def test_linked_operations_answer_within_their_contract():
    LinkedOperations._hypothesis_internal_use_seed = SEED
    LinkedOperations.run(
        settings=settings(
            max_examples=30,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
