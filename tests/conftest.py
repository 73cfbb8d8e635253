"""Shared test fixtures.

The real corpus (fixtures/taxonomy.json, fixtures/corpus.json) is loaded once per
test session into the test database, so every ``db`` test sees it and rolls its
own changes back. Tests that need committed data (live server, browser) use
``live_corpus``, because transactional tests empty the database when they end.
"""

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


CONTRACT_CASES = pytest.StashKey[Counter]()


def contract_cases(config):
    """The schemathesis cases run per operation (tests/test_api_contract.py) in this process, or in the
    pytest-xdist controller summed over its workers."""
    return config.stash.setdefault(CONTRACT_CASES, Counter())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist, in the controller: a worker finished; add the contract cases it ran."""
    contract_cases(node.config).update(node.workeroutput.get("contract_cases", {}))


def pytest_sessionfinish(session):
    """Write artifacts/schemathesis-cases.json once, from the whole run (a worker hands its count to the controller)."""
    cases = contract_cases(session.config)
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker
        session.config.workeroutput["contract_cases"] = dict(cases)
    elif cases:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        (ARTIFACTS_DIR / "schemathesis-cases.json").write_text(json.dumps(dict(sorted(cases.items())), indent=2))
        terminal = session.config.pluginmanager.get_plugin("terminalreporter")
        terminal.write_line(f"schemathesis: {len(cases)} operations, {sum(cases.values())} cases")


def load_corpus():
    """The seed corpus (the fixtures): the shipped sources are imported by the tests that need them."""
    call_command("load_corpus", "--no-sources", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_corpus()


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Hash test passwords with a cheap hasher: production's PBKDF2 (a million rounds, by design ~0.3 s of CPU per hash)
    ran for every admin_client, create_user and login, a quarter of the admin tests' time. No test asserts on the
    hash itself; bin/smoke-test and the subprocess tests of test_deploy_settings.py keep production's hashers."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Every test starts with an empty cache, so one test's cached responses and counts never meet another's data.

    And every request reads the data version (API_DATA_VERSION_MAX_AGE = 0), so query counts do not depend on
    what the test before did; test_api_cache.py tests the memo.
    """
    from django.core.cache import cache

    from statements import search_ranking
    from statements.api.cache import forget_version, recent_values
    from statements.api.throttling import ExportSlot
    from statements.api.v1.rows import vocabulary
    from statements.importing.sources import forget_party_vocabulary

    settings.API_DATA_VERSION_MAX_AGE = 0
    cache.clear()
    recent_values.clear()  # versions repeat after each rollback: so would their keys
    vocabulary.cache_clear()
    search_ranking.one_term_lexemes.cache_clear()
    forget_version()  # each test's transaction starts from the version the database holds
    forget_party_vocabulary()  # the importer's, compiled per data version: versions repeat after each rollback
    ExportSlot.running = 0  # an export a test left unread holds no place in the next test


@pytest.fixture
def live_corpus(transactional_db):
    """The corpus, committed, for tests that run a live server."""
    load_corpus()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(scope="session")
def artifacts_dir():
    """Where browser tests keep screenshots (artifacts/ at the project top, ignored by git)."""
    path = ARTIFACTS_DIR / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium driven by Playwright. Skipped without Chromium, except in CI where it must run."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI installs it with `make browser-deps`")
        pytest.skip(f"{CHROMIUM} is not installed (make browser-deps)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# ReDoc's "powered by" badge loads Redocly's logo from their CDN: decorative, and the policy rightly blocks it.
CSP_BLOCKS_EXPECTED = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)
# Reports each Content-Security-Policy violation on the console, where the page fixture collects it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def page(chromium):
    """A fresh browser page. The test fails if the page reports any Content-Security-Policy violation."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and not any(url in message.text for url in CSP_BLOCKS_EXPECTED)
            and csp_violations.append(message.text)
        ),
    )
    yield page
    context.close()
    assert csp_violations == [], "the Content-Security-Policy blocked something the page needs"


@pytest.fixture(autouse=True)
def no_throttling(settings):
    """The suite sends many requests from one address: throttling is off unless a test switches it on."""
    settings.API_THROTTLING = False
