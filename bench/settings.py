"""Benchmark settings: production settings plus the ceiling view (bench/urls.py), and nothing else.

The ceiling view exists only here, never in config/urls.py: production cannot serve it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
