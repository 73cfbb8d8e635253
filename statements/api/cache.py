"""Caching by data version: the API's whole responses, counts, and conditional GETs (ETag, Last-Modified); the pages
for people (``cached_page``).

Every write to the published data bumps ``DataVersion`` (database triggers, migration 0005), so a key
that contains the version can never serve stale data: there is nothing to invalidate, old keys are
simply never asked for again and age out of the cache. Reading the version is one query on a one-row
table; a request whose ``If-None-Match`` or ``If-Modified-Since`` is still current is answered 304
without touching the clause tables at all.

The cache is Django's (``CACHES``): local memory per worker by default, Redis when REDIS_URL is set.
"""

import datetime
import functools
import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from statements.models import DataVersion

CACHE_ALIAS = "default"
# Responses larger than this are served but not stored (an export, a huge page): the cache is for pages.
MAX_CACHED_BYTES = 1_000_000
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class Version:
    """The data version as read at the start of a request: ``number``, ``changed_at``, and what derives from them
    (computed once: a process reuses one Version for every request of API_DATA_VERSION_MAX_AGE)."""

    __slots__ = ("changed_at", "last_modified", "number", "token")

    def __init__(self, number, changed_at):
        self.number, self.changed_at = number, changed_at
        # The timestamp too: a database restored from a backup may count the same number again.
        self.token = f"{number}.{changed_at.timestamp():.6f}"
        self.last_modified = http_date(int(changed_at.timestamp()))


class _Memo:
    """The last data version this process read, and when (time.monotonic)."""

    version = None
    read_at = 0.0


def current_version():
    """The data version now: one query on the one-row DataVersion table, at most every API_DATA_VERSION_MAX_AGE s.

    Read on every request, the version costs a database round trip that a cached page otherwise does not need
    (half the throughput of cached pages). So each process reuses what it read for up to
    ``settings.API_DATA_VERSION_MAX_AGE`` seconds (default 1; 0 reads it every time): a write made by another
    process shows in responses at most that much later. A write through the ORM in this process forgets the
    memo at once (``forget_version``). The query is plain SQL: the ORM would spend longer compiling it than
    the database spends answering it.
    """
    max_age = settings.API_DATA_VERSION_MAX_AGE
    now = time.monotonic()
    if max_age > 0 and _Memo.version is not None and now - _Memo.read_at < max_age:
        return _Memo.version
    with connections[DataVersion.objects.db].cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    _Memo.version = Version(row[0], as_datetime(row[1])) if row else Version(0, EPOCH)
    _Memo.read_at = now
    return _Memo.version


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def forget_version(sender=None, **kwargs):
    """Make the next request read the data version: connected to every model's save, delete and m2m signals, it
    acts on a write to a statements model through the ORM (the version itself is bumped by database triggers,
    whoever writes; this only drops this process's memo)."""
    if sender is None or sender._meta.app_label == "statements":
        _Memo.version = None


VERSION_SQL = f"SELECT version, changed_at FROM {DataVersion._meta.db_table} WHERE id = 1"


def as_datetime(value):
    """SQLite hands back text; PostgreSQL an aware datetime."""
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value


def request_version(request):
    """The data version of this request: read once, by the middleware, or here on first use."""
    version = getattr(request, "data_version", None)
    if version is None:
        version = request.data_version = current_version()
    return version


def digest(*parts):
    return hashlib.blake2b("\x1f".join(str(part) for part in parts).encode(), digest_size=16).hexdigest()


def cache():
    return caches[CACHE_ALIAS]


class RecentValues:
    """The values ``cached_for`` last read in this process, kept as they are (not pickled), the least recently used
    dropped beyond ``size``: a worker pages through the same lists again and again, and reading a list's document map
    from the cache unpickled its two arrays (80 kilobytes at 5,000 documents) each time (from Redis, a network round
    trip too). Their keys hold the data version, so a value kept is never stale; the values are never changed once
    computed. Shared by a worker's threads, hence the lock."""

    def __init__(self, size):
        self.size = size
        self.values = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def keep(self, key, value):
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            if len(self.values) > self.size:
                self.values.popitem(last=False)

    def clear(self):
        with self.lock:
            self.values.clear()


# A few dozen: the largest values are document maps, 16 bytes a document (80 kilobytes at 5,000 documents).
recent_values = RecentValues(64)


def cached_for(request, name, identity, compute):
    """``compute()``, cached under the data version, ``name`` and ``identity`` (what the value depends on). A request
    reads a key once (a search's count and its page both read its ranking), from this process's ``recent_values``
    where it is there, else from the cache."""
    version = current_version() if request is None else request_version(request)
    key = "statements:" + name + ":" + digest(version.token, *identity)
    read = {} if request is None else request.__dict__.setdefault("cached_for", {})
    value = read.get(key)
    if value is None:
        value = recent_values.get(key)
        if value is None:
            value = cache().get(key)
            if value is None:
                value = compute()
                cache().set(key, value)
            recent_values.keep(key, value)
        read[key] = value
    return value


class ApiCacheMiddleware:
    """Conditional GETs and a response cache for every GET and HEAD under ``/api/``.

    The ETag is derived from the data version and the representation asked for (absolute URL with its
    query string, since responses carry absolute links, and the Accept header); Last-Modified is when the
    data last changed. A matching ``If-None-Match`` (or, without one, an ``If-Modified-Since`` not older
    than the last change) is a 304; otherwise a stored copy of the response is served if there is one,
    else the view runs and its 200 is stored. Streaming responses (exports) get the headers but are not
    stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.API_CACHE_PATH_PREFIX.strip("/") + "/"

    def __call__(self, request):
        if request.method not in {"GET", "HEAD"} or not request.path.startswith(self.prefix):
            return self.get_response(request)
        try:
            version = request_version(request)
        except Exception:  # the database is unreachable: no caching; the view reports (and logs) the real error
            return self.get_response(request)
        # request.META, not request.headers: building the headers mapping costs more than this whole method.
        representation = digest(
            settings.API_CACHE_RELEASE, request.build_absolute_uri(), request.META.get("HTTP_ACCEPT", "")
        )
        tag = digest(version.token, representation)
        etag, last_modified = quote_etag(tag), version.last_modified
        if self.not_modified(request, etag, version):
            response = HttpResponseNotModified()
            self.add_headers(response, etag, last_modified)
            return response
        key = "statements:response:" + tag
        stored = cache().get(key) if settings.API_CACHE_RESPONSES else None
        if stored is not None:
            status, content_type, content = stored
            response = HttpResponse(content, status=status, content_type=content_type)
            response["X-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if (
                settings.API_CACHE_RESPONSES
                and response.status_code == 200
                and not response.streaming
                and len(response.content) <= MAX_CACHED_BYTES
            ):
                cache().set(key, (response.status_code, response["Content-Type"], response.content))
            response["X-Cache"] = "miss"
        if response.status_code == 200:
            self.add_headers(response, etag, last_modified)
        return response

    @staticmethod
    def not_modified(request, etag, version):
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return etag in tags or "*" in tags
        raw = request.META.get("HTTP_IF_MODIFIED_SINCE")
        if raw is None:  # most requests: no date to parse (parsing "" raised and caught an exception)
            return False
        if_modified_since = parse_http_date_safe(raw)
        return if_modified_since is not None and int(version.changed_at.timestamp()) <= if_modified_since

    @staticmethod
    def add_headers(response, etag, last_modified):
        response["ETag"] = etag
        response["Last-Modified"] = last_modified
        # Clients and proxies may keep a copy but must revalidate it (a cheap 304) before using it.
        response["Cache-Control"] = "public, no-cache"
        patch_vary_headers(response, ["Accept"])


def cached_page(*reads):
    """A decorator for the views of pages for people: their 200s are computed once per data version and stored.

    The key is the data version, the release, the absolute URL's scheme, host and path, and the values of the query
    parameters the view reads (``reads``, e.g. ``"page"``): any other parameter cannot change the page, so it is
    ignored rather than allowed to make a new key (``/?cb=1``, ``/?cb=2``... would each have cost a page computed
    afresh). Pages are small; the cache is the API's (local memory per worker, Redis when REDIS_URL is set).
    """

    def decorator(view):
        @functools.wraps(view)
        def cached_view(request, *args, **kwargs):
            if request.method not in {"GET", "HEAD"} or not settings.API_CACHE_RESPONSES:
                return view(request, *args, **kwargs)
            version = request_version(request)
            asked = [f"{name}={request.GET.getlist(name)!r}" for name in reads]
            key = "statements:page:" + digest(
                settings.API_CACHE_RELEASE, version.token, request.scheme, request.get_host(), request.path, *asked
            )
            stored = cache().get(key)
            if stored is not None:
                content_type, content = stored
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming and len(response.content) <= MAX_CACHED_BYTES:
                cache().set(key, (response["Content-Type"], response.content))
            return response

        return cached_view

    return decorator
