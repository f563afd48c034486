"""Log formatting shared by Django (settings.LOGGING) and gunicorn (gunicorn.conf.py).

Everything goes to standard output, one record a line: readable text by default, JSON lines
when LOG_FORMAT=json (for a log collector). Gunicorn's access lines become JSON with the
request's method, path, status, size and duration as their own fields.
"""

import json
import logging
import os
from datetime import UTC, datetime

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and what the record adds."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry |= access_fields(record.args)
        else:
            entry["message"] = record.getMessage()
        status_code = getattr(record, "status_code", None)  # django.request's 4xx and 5xx
        if status_code is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def access_fields(atoms: dict) -> dict[str, object]:
    """Gunicorn's access-log atoms as named fields (no query strings: they can hold data)."""
    try:
        duration_ms = round(int(atoms.get("D", 0)) / 1000, 1)
    except (TypeError, ValueError):
        duration_ms = None
    return {
        "message": f"{atoms.get('m')} {atoms.get('U')} {atoms.get('s')}",
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s"),
        "bytes": atoms.get("B"),
        "duration_ms": duration_ms,
        "remote": atoms.get("h"),
        "user_agent": atoms.get("a"),
    }


def log_format() -> str:
    return "json" if os.environ.get("LOG_FORMAT", "").strip().lower() == "json" else "plain"


def formatters() -> dict[str, dict]:
    return {
        "plain": {"format": PLAIN_FORMAT},
        "json": {"()": "crampjournal.logs.JsonFormatter"},
    }


def stdout_handler() -> dict:
    return {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": log_format(),
    }


def gunicorn_logconfig() -> dict:
    """gunicorn's own loggers (errors and access lines) on stdout, formatted like Django's."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": formatters(),
        "handlers": {"stdout": stdout_handler()},
        "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {
            "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }
