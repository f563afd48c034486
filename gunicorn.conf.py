"""gunicorn settings for production, read from environment variables.

    gunicorn crampjournal.wsgi        # picks this file up from the working directory

GUNICORN_BIND   where to listen (default 127.0.0.1:8000: the TLS proxy in front connects
                there; use 0.0.0.0:8000 only inside a container)
WEB_CONCURRENCY worker processes (default 2 × cores + 1, at most 8)
GUNICORN_TIMEOUT seconds a request may take before its worker is restarted (default 30;
                the 12-month PDF summary takes 1–2 seconds)
LOG_FORMAT      json for JSON lines, else readable text; LOG_LEVEL as for the app

Access lines and errors go to standard output, formatted as the app's own log
(crampjournal/logs.py). Any setting can still be overridden on the command line or with
GUNICORN_CMD_ARGS.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crampjournal.logs import gunicorn_logconfig

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # on SIGTERM, finish the requests in flight for up to this long
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'  # JSON: crampjournal/logs.py
errorlog = "-"
logconfig_dict = gunicorn_logconfig()
proc_name = "crampjournal"
