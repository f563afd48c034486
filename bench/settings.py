"""The project's settings with the benchmark's URLconf, which adds a bare "ok" view.

Only `make bench` uses this module (in its own process and in the gunicorn it starts): the
app itself never serves the bare view.
"""

from crampjournal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
