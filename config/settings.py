"""Settings for the Statements API.

One file, driven by environment variables (see .env.example). The defaults are
safe for development: SQLite in the project folder, DEBUG on, localhost only.
Production hardening switches on with DJANGO_DEBUG=0.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    """Read a comma-separated environment variable into a list of non-empty items."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)


def secret_key():
    """DJANGO_SECRET_KEY; in development (DEBUG) an insecure built-in key where it is not set."""
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production settings (DJANGO_DEBUG=0) need a "
            "long random secret, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return "django-insecure-development-key-do-not-use-in-production"  # never used once DJANGO_DEBUG=0


SECRET_KEY = secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "statements",
    # Reliability and security (README "Reliability and security").
    "corsheaders",
    "csp",
    "axes",
    "simple_history",
]

MIDDLEWARE = [
    # First: one JSON log line per request with its id, duration included (config/request_logging.py).
    "config.request_logging.RequestLogMiddleware",
    # Before host validation and the HTTPS redirect, so probes by container address work (config/health.py).
    "config.health.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that can answer (CommonMiddleware's redirects), so CORS headers are on every API response.
    "corsheaders.middleware.CorsMiddleware",
    # django-csp's, with the settings' policy built once (config/content_security_policy.py).
    "config.content_security_policy.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, its storage made on first use, skipped for a cookie-less read of the API (config/messages.py).
    "config.messages.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A NUL in a query string is a 400 outside the API, which names it in its own envelope (config/query_strings.py).
    "config.query_strings.NulInQueryStringMiddleware",
    # Rate limits for the API and pages (429 + Retry-After), before the caches answer (statements/api/throttling.py).
    "statements.api.throttling.ThrottleMiddleware",
    # ETag/Last-Modified, 304s and the response cache for GETs under /api/ (statements/api/cache.py).
    "statements.api.cache.ApiCacheMiddleware",
    # A database outage: 503 JSON with Retry-After under /api/, a plain 503 elsewhere, never a 500 (config/errors.py).
    "config.errors.DatabaseUnavailableMiddleware",
    # Who made each admin edit, for the history (django-simple-history); skipped for a read of the API
    # (config/api_reads.py).
    "config.api_reads.HistoryRequestMiddleware",
    # Last, as django-axes requires: locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# No request waits on the database for ever: a connection attempt and any single query are bounded (PostgreSQL).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT") or "5")
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT_MS") or "15000")
# A session left "idle in transaction" (a request that began one and then waited on a slow client) holds its locks
# and snapshot; PostgreSQL ends it after this long (0: never).
DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = int(os.environ.get("DJANGO_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS") or "60000")
# Performance (README "Performance"): the fixed SQL of the hottest paths (statements.api.v1.rows.fixed_sql_cursor)
# is prepared once a connection has run it this many times, so PostgreSQL stops planning it again: half the database
# time of a page of clauses. (The ORM's queries are not prepared: a generic plan would not suit search.) 0 turns it
# off, as a transaction-pooling PgBouncer in front of PostgreSQL requires.
DATABASE_PREPARE_THRESHOLD = int(os.environ.get("DJANGO_DB_PREPARE_THRESHOLD") or "5")


def database(env, **config):
    """The database whose URL is in the environment variable ``env``, with this project's connection options."""
    database = dj_database_url.config(
        env=env, conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")), conn_health_checks=True, **config
    )
    if database.get("ENGINE") == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        # An API's short queries: no JIT (compiling a plan can take longer than running it), no parallel workers,
        # and table scans from the first block, so a search's "first N matches" are the same N every time.
        options.setdefault("options", "-c jit=off -c max_parallel_workers_per_gather=0 -c synchronize_seqscans=off")
        options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        for name, value in [
            ("statement_timeout", DATABASE_STATEMENT_TIMEOUT_MS),
            ("idle_in_transaction_session_timeout", DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS),
        ]:
            if value:
                options["options"] = f"{options['options']} -c {name}={value}".strip()
        options["prepare_threshold"] = DATABASE_PREPARE_THRESHOLD or None
    return database


# SQLite in the project folder unless DATABASE_URL says otherwise (e.g. postgres://user:password@host:5432/statements).
# Scale-out: with a read replica (DATABASE_REPLICA_URL), reads go there and writes stay on the primary
# (config/db_router.py); tests never create a second database: the replica alias points at the primary's.
DATABASES = {
    "default": database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    **(
        {"replica": database("DATABASE_REPLICA_URL", test_options={"MIRROR": "default"})}
        if os.environ.get("DATABASE_REPLICA_URL")
        else {}
    ),
}
DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"] if "replica" in DATABASES else []

# A shared Redis cache across web containers when REDIS_URL is set (redis://host:6379/0), else per process: the
# API's response cache (statements/api/cache.py) keeps pages of ~60 KB, so local memory is bounded.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL"),
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "statements"),
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development (and the test suite) files come from the apps through the finders; collectstatic is
# for production only, so whitenoise must not scan a STATIC_ROOT that is not there yet.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The corpus lives in fixtures/ at the top of the project. CORPUS_FIXTURES is the one list of what
# makes it up, in load order: `manage.py load_corpus`, `seed_corpus` (bin/start) and the tests read it.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
CORPUS_FIXTURES = ["parties", "taxonomy", "corpus", "rules", "topic-rules"]
# Statements imported (import_statement) after the fixtures: directories of .md and .txt sources the project
# ships. fixtures/whitehouse-manifest.tsv is what they import to (README "The corpus").
CORPUS_SOURCES = [BASE_DIR / "fixtures" / "sources" / "whitehouse"]

# The largest source file an import takes, command line and admin alike (import_statement --max-bytes raises it
# for one run). The admin's confirm step posts the source back, so Django's request body limit follows it.
STATEMENTS_IMPORT_MAX_BYTES = int(os.environ.get("STATEMENTS_IMPORT_MAX_BYTES") or 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, 3 * STATEMENTS_IMPORT_MAX_BYTES)

# Where the admin is mounted; change it to keep the login page off the usual path.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Trusted proxies in front of the app (load balancers): the client's address is that many entries from the right of
# X-Forwarded-For; with 0 the header is ignored, since a client could forge it (config/client_address.py).
NUM_PROXIES = int(os.environ.get("DJANGO_NUM_PROXIES") or "0")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["statements.api.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # DRF's, with a request that accepts anything answered without parsing its Accept header.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "statements.api.negotiation.ContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["statements.api.v1.filters.StrictFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",
    "DEFAULT_PAGINATION_CLASS": "statements.api.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "statements.api.errors.exception_handler",
    # Rates per client (config.client_address, or user when logged in), checked by statements.api.throttling's
    # middleware for every request under /api/ and every page for people (cached responses too); the counters live in
    # the cache (see CACHES).
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON") or "120/min",
        "user": os.environ.get("API_THROTTLE_USER") or "600/min",
    },
}
# Off only where an explicit setting says so: the test suite (tests/conftest.py) and the load script.
API_THROTTLING = env_bool("API_THROTTLING", True)
# Exports streaming at once (statements.api.throttling.ExportSlot): per process, kept below the threads of a gunicorn
# worker so that exports (and clients reading them slowly) never hold every thread; per client, in the cache (shared
# with Redis). Over either: 429 with Retry-After API_EXPORT_RETRY_AFTER seconds.
API_EXPORTS_PER_PROCESS = int(os.environ.get("API_EXPORTS_PER_PROCESS") or "1")
API_EXPORTS_PER_CLIENT = int(os.environ.get("API_EXPORTS_PER_CLIENT") or "1")
API_EXPORT_RETRY_AFTER = int(os.environ.get("API_EXPORT_RETRY_AFTER") or "10")

# The API's response cache (statements/api/cache.py; CACHES above): keys carry the data version, so nothing
# is ever stale.
API_CACHE_PATH_PREFIX = "api"
# How long (seconds) a process may reuse the data version it read: writes by other processes (an import, another
# worker's admin) show in API responses at most this much later. 0: read it on every request.
API_DATA_VERSION_MAX_AGE = float(os.environ.get("API_DATA_VERSION_MAX_AGE") or "1")
# Store whole responses (ETags, 304s and cached counts work either way); the benchmark turns it off to
# measure the uncached path.
API_CACHE_RESPONSES = env_bool("API_CACHE_RESPONSES", True)
# Part of every cached response's key and ETag: set it to the release (e.g. the git commit) so a deploy that
# changes how responses look never serves copies made by the previous release from a shared cache.
API_CACHE_RELEASE = os.environ.get("API_CACHE_RELEASE", "")

# /search/ serves the best this many of every match it ranks (its count and deepest page; statements/search_ranking.py).
SEARCH_CANDIDATES = int(os.environ.get("SEARCH_CANDIDATES") or "1000")

SPECTACULAR_SETTINGS = {
    "TITLE": "Statements API",
    "DESCRIPTION": (
        "Diplomatic statements (joint statements, readouts, communiqués and articles) as clean, "
        "citable, structured data. Every clause has a stable citation `<document slug>/<eid>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two fields are called "kind" (a document's, a party's): each enum gets its own name in the schema (the
    # document's keeps the name it had).
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "statements.models.DocumentKind",
        "PartyKindEnum": "statements.vocabulary.records.Kind.CHOICES",
    },
    # 429 (throttled) and 503 (database unavailable) can answer any operation: documented on every one.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "statements.api.schema.document_common_error_responses",
        "statements.api.schema.document_links",
    ],
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False) else None
    )
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # On by default so `check --deploy` is clean; set 0 if the domain must stay off browsers' preload lists.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# One JSON object per line on stdout, each tagged with the id of the request it belongs to.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "config.request_logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django.request repeats every 4xx/5xx that the request log already has; keep its errors (tracebacks) only.
    "loggers": {
        "django.request": {"level": "ERROR"},
        # django-axes announces itself at every start (manage.py commands included); its lockouts are warnings.
        "axes.apps": {"level": "WARNING"},
    },
}

# --- Reliability and security (README "Reliability and security") ---

# Seconds a client is told to wait (Retry-After) when the database is unavailable.
DATABASE_UNAVAILABLE_RETRY_AFTER = int(os.environ.get("DJANGO_DB_UNAVAILABLE_RETRY_AFTER") or "5")

# CORS: read-only cross-origin GETs of the API from these origins (e.g. https://app.example.org); none by default.
CORS_ALLOWED_ORIGINS = env_list("DJANGO_CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "X-Request-ID"]

# Content-Security-Policy (django-csp): only the project's own scripts; inline styles for Swagger UI, ReDoc
# and the admin's widgets; ReDoc renders in a blob: worker.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# In development too, so that what a developer sees is what production serves.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# django-axes: repeated failed admin logins from one address for one username lock that pair out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT") or "5")
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_AXES_COOLOFF_HOURS") or "1")
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
# The same client address as the throttle's (config.client_address): one function reads X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
