"""config/settings.py and .env.example: every environment variable the project reads is listed, and only those."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What reads the environment: the settings and the app (Python), what a container runs (bin/start), and compose.
PYTHON_READERS = [*sorted((ROOT / "config").glob("*.py")), *sorted((ROOT / "statements").rglob("*.py"))]
SHELL_READERS = [ROOT / "bin" / "start", ROOT / "docker-compose.yml"]
PYTHON_READ = re.compile(
    r"""(?:environ\.get\(|environ\[|getenv\(|env_bool\(|env_list\(|from_env\(|database\(|env=)\s*["']([A-Z][A-Z0-9_]*)["']"""
)
SHELL_READ = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")
LISTED = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def names_read():
    names = {name for path in PYTHON_READERS for name in PYTHON_READ.findall(path.read_text())}
    return names | {name for path in SHELL_READERS for name in SHELL_READ.findall(path.read_text())}


def test_env_example_lists_exactly_the_variables_the_project_reads():
    listed = set(LISTED.findall((ROOT / ".env.example").read_text()))
    read = names_read()
    assert {"DATABASE_URL", "DJANGO_DEBUG", "GUNICORN_WORKERS", "DJANGO_MIGRATE_ON_START"} <= read  # the scan works
    assert sorted(read - listed) == [], "read but not in .env.example"
    assert sorted(listed - read) == [], "in .env.example but read nowhere"


def test_each_setting_is_assigned_once_and_the_module_keeps_no_stray_names():
    source = (ROOT / "config" / "settings.py").read_text()
    assigned = re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=", source, re.MULTILINE)
    settings = [name for name in assigned if name.isupper()]  # at any indentation: inside an if too
    assert sorted(name for name in set(settings) if settings.count(name) > 1) == []
    module_level = re.findall(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=", source, re.MULTILINE)
    assert [name for name in module_level if not name.isupper()] == []  # settings only: no loop or helper variables
    assert not re.search(r"^for ", source, re.MULTILINE)  # a module-level loop leaves its variable behind
