"""Query parameters no operation reads are a 400 naming them: the schema is the list of what each one reads.

Without this, ``/api/v1/topics/?cb=1``, ``?cb=2``... each made a new key of the response cache (the key is the
representation: the URL), so a loop with a counter computed every response afresh. A parameter an operation does
not read cannot change its answer, so rather than ignore it in the key (and serve a body whose ``next`` link
carries another client's ``cb``), the request is refused, naming the parameter and what the operation reads.
The list is the OpenAPI schema's, generated once per process: what it documents is exactly what is accepted
(``format``, DRF's renderer override, is read everywhere).
"""

import functools
import re
import threading

from drf_spectacular.generators import SchemaGenerator

from statements.api.errors import InvalidParameters

ALWAYS_READ = {"format"}


# drf-spectacular's generator is not thread-safe (two threads generating at once failed with AttributeErrors inside
# it): the first request of each thread would race. One at a time; gunicorn's workers generate it before serving.
GENERATING = threading.Lock()


def documented_operations():
    """[(path regex, method, {query parameter names})] for every operation of the v1 schema (generated once)."""
    with GENERATING:
        return _documented_operations()


@functools.cache
def _documented_operations():
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
        for method, operation in methods.items():
            names = {p["name"] for p in operation.get("parameters", ()) if p["in"] == "query"}
            operations.append((pattern, method.upper(), names | ALWAYS_READ))
    return operations


@functools.lru_cache(maxsize=1024)  # a client pages through the same few paths again and again
def read_parameters(path, method):
    """The query parameters the operation at ``path`` reads, or None when the schema does not document it."""
    method = "GET" if method in {"HEAD", "OPTIONS"} else method
    for pattern, documented_method, names in documented_operations():
        if documented_method == method and pattern.match(path):
            return names
    return None


def refuse_unknown_parameters(request):
    """A 400 naming every query parameter of ``request`` that its operation does not read."""
    names = read_parameters(request.path, request.method)
    if names is None:
        return
    unknown = [name for name in request.GET if name not in names]
    if unknown:
        reads = ", ".join(sorted(names - ALWAYS_READ)) or "none"
        raise InvalidParameters(
            {
                name: f"Unknown parameter '{name}': this operation reads {reads} (see /api/v1/schema/)."
                for name in unknown
            }
        )
