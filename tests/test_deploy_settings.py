"""Production settings (DJANGO_DEBUG=0), each checked in a fresh interpreter as a deployment starts it.

Settings are read once at import, so every case runs ``manage.py`` or a short script in a
subprocess with the environment a container would have, instead of patching settings in-process.
"""

import json
import os
import secrets
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def production_env(**overrides):
    """The test process's environment without any DJANGO_*/REDIS_URL/replica variable, plus production settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"REDIS_URL", "DATABASE_REPLICA_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="statements.example.org",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args, env):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def run_django(code, env):
    """Run ``code`` after django.setup() in a new interpreter; return the last line it printed, parsed as JSON.

    (The lines before it are the process's own JSON logs on stdout.)
    """
    script = "import django, json\ndjango.setup()\n" + textwrap.dedent(code)
    result = run([sys.executable, "-c", script], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_check_deploy_reports_nothing_with_production_settings():
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"], production_env())

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    result = run([sys.executable, "manage.py", "check"], production_env(DJANGO_SECRET_KEY=None))

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_bin_start_without_a_secret_key_stops_before_serving():
    # What a container does on start-up: bin/start exits at its first manage.py command, gunicorn never runs.
    python_dir = str(Path(sys.executable).parent)
    env = production_env(DJANGO_SECRET_KEY=None, PATH=f"{python_dir}{os.pathsep}{os.environ['PATH']}")
    result = run(["bin/start"], env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "gunicorn" not in result.stdout + result.stderr


def test_development_needs_no_secret_key():
    result = run([sys.executable, "manage.py", "check"], production_env(DJANGO_DEBUG="1", DJANGO_SECRET_KEY=None))

    assert result.returncode == 0, result.stderr


# The API's root needs neither the database nor collected static files, so its response can be read
# in a fresh process. (bin/smoke-test checks the admin's real Secure cookies under gunicorn.)
API_ROOT_HEADERS = """
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="statements.example.org")
https = client.get("/api/v1/", HTTP_X_FORWARDED_PROTO="https")
plain = client.get("/api/v1/")
print(json.dumps({
    "https": {"status": https.status_code, "headers": dict(https.headers)},
    "plain": {"status": plain.status_code, "location": plain.get("Location")},
    "secure_cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def test_security_headers_behind_a_tls_terminating_proxy():
    pages = run_django(API_ROOT_HEADERS, production_env(DJANGO_SECURE_PROXY_SSL_HEADER="1"))

    https = pages["https"]
    assert https["status"] == 200
    assert https["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert https["headers"]["X-Content-Type-Options"] == "nosniff"
    assert https["headers"]["X-Frame-Options"] == "DENY"
    assert https["headers"]["Referrer-Policy"] == "same-origin"
    assert pages["secure_cookies"] == [True, True]
    # Plain HTTP is sent to HTTPS.
    assert pages["plain"] == {"status": 301, "location": "https://statements.example.org/api/v1/"}


def test_hsts_is_configurable():
    pages = run_django(
        API_ROOT_HEADERS,
        production_env(
            DJANGO_SECURE_PROXY_SSL_HEADER="1",
            DJANGO_SECURE_HSTS_SECONDS="600",
            DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
            DJANGO_SECURE_HSTS_PRELOAD="0",
        ),
    )

    assert pages["https"]["headers"]["Strict-Transport-Security"] == "max-age=600"


def test_forwarded_proto_is_ignored_unless_the_proxy_is_trusted():
    # Without DJANGO_SECURE_PROXY_SSL_HEADER a client cannot claim HTTPS by sending the header itself.
    pages = run_django(API_ROOT_HEADERS, production_env())

    assert pages["https"]["status"] == 301


def test_database_replica_url_adds_a_replica_alias_and_the_router():
    config = run_django(
        """
        from django.conf import settings
        replica = settings.DATABASES["replica"]
        print(json.dumps({
            "routers": settings.DATABASE_ROUTERS,
            "replica": [replica["HOST"], replica["NAME"], replica["CONN_HEALTH_CHECKS"], replica["TEST"]["MIRROR"]],
        }))
        """,
        production_env(DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/statements"),
    )

    assert config == {
        "routers": ["config.db_router.PrimaryReplicaRouter"],
        "replica": ["replica.internal", "statements", True, "default"],
    }


def test_no_replica_and_local_memory_cache_by_default():
    config = run_django(
        """
        from django.conf import settings
        print(json.dumps({
            "aliases": sorted(settings.DATABASES),
            "routers": settings.DATABASE_ROUTERS,
            "cache": settings.CACHES["default"]["BACKEND"],
        }))
        """,
        production_env(),
    )

    assert config == {
        "aliases": ["default"],
        "routers": [],
        "cache": "django.core.cache.backends.locmem.LocMemCache",
    }


def test_redis_url_switches_the_cache_to_redis():
    # Against the local Redis (127.0.0.1:6379): a value set by one process is read back by another.
    env = production_env(REDIS_URL="redis://127.0.0.1:6379/0", DJANGO_CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    written = run_django(
        """
        from django.conf import settings
        from django.core.cache import cache
        cache.set("greeting", "hello from web container 1", 30)
        print(json.dumps(settings.CACHES["default"]["BACKEND"]))
        """,
        env,
    )
    read = run_django(
        """
        from django.core.cache import cache
        print(json.dumps(cache.get("greeting")))
        cache.delete("greeting")
        """,
        env,
    )

    assert written == "django.core.cache.backends.redis.RedisCache"
    assert read == "hello from web container 1"


@pytest.mark.parametrize("url", ["/api/v1/anything/", "/admin/anything/"])
def test_server_errors_show_no_traceback(url):
    # A view that fails, in a production process: the client sees a bare 500, never the exception.
    response = run_django(
        f"""
        from unittest import mock
        from django.test import Client
        client = Client(HTTP_HOST="statements.example.org", HTTP_X_FORWARDED_PROTO="https")
        client.raise_request_exception = False
        with mock.patch("django.urls.resolvers.URLResolver.resolve", side_effect=RuntimeError("secret detail")):
            response = client.get("{url}")
        body = response.content.decode()
        print(json.dumps({{"status": response.status_code, "type": response["Content-Type"], "body": body}}))
        """,
        production_env(DJANGO_SECURE_PROXY_SSL_HEADER="1", DJANGO_LOG_LEVEL="CRITICAL"),
    )

    assert response["status"] == 500
    assert "secret detail" not in response["body"]
    assert "Traceback" not in response["body"]
    if url.startswith("/api/"):
        assert response["type"] == "application/json"
        assert json.loads(response["body"]) == {
            "status": 500,
            "code": "server_error",
            "detail": "The server failed to answer this request. Quote the X-Request-ID header when reporting it.",
            "errors": [],
        }
    else:
        assert response["type"].startswith("text/html")


def test_a_gunicorn_worker_hides_what_it_loaded_from_the_garbage_collector():
    """config/gunicorn.conf.py's post_worker_init: the URLconf is loaded and everything so far frozen (gc.freeze)."""
    import gc
    import runpy

    hooks = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    try:
        hooks["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 10_000
        assert "statements.api.v1.views" in sys.modules
    finally:
        gc.unfreeze()


def test_a_gunicorn_worker_keeps_connections_alive_and_logs_no_access_line(tmp_path):
    """config/gunicorn.conf.py as production runs it: the threaded worker (GUNICORN_THREADS, 4 by default), which keeps
    a client's connection for its next request, and no access line of gunicorn's (the Django middleware logs each
    request; gunicorn built a line for every request and dropped it)."""
    import http.client
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS=None,
    )
    # The log lines go to stdout; stderr apart, for Python's own warnings (WhiteNoise's about a checkout that never
    # ran collectstatic), which are no log lines.
    log, errors = tmp_path / "gunicorn.log", tmp_path / "gunicorn.stderr"
    with log.open("w") as output, errors.open("w") as error_output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT, env=env, stdout=output, stderr=error_output,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120  # the worker loads the URLconf and the schema first (post_worker_init)
        while True:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                probe.request("GET", "/healthz")
                assert probe.getresponse().status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text() + errors.read_text()
                time.sleep(0.2)
            finally:
                probe.close()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sockets = []
        for _ in range(2):
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            assert (response.status, json.loads(response.read())) == (200, {"status": "ok"})
            assert response.getheader("Connection") != "close"
            sockets.append(connection.sock)
        assert sockets[0] is sockets[1] is not None  # the second request went on the first one's connection
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert any("Using worker: gthread" in line["message"] for line in lines)
    assert not [line for line in lines if line["logger"] == "gunicorn.access"]
    assert [line["path"] for line in lines if line.get("path")] == ["/healthz"] * 3  # the probe's and the two
