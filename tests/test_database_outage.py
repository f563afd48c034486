"""The app survives the database going away and coming back, without a restart.

The real app runs under gunicorn with production settings, talking to the real PostgreSQL
server through a small TCP proxy that the test cuts and restores. While the database is
away, requests fail cleanly (the health check says 503, pages show the plain error page and
no traceback); once it is back, the same running app answers normally again.
"""

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = ("127.0.0.1", 5432)


class CuttableProxy:
    """Forwards TCP connections from a local port to PostgreSQL until cut."""

    def __init__(self):
        self.port = free_port()
        self.connections: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        listening = [] if self.listener is None else [self.listener]
        for connection in [*listening, *self.connections]:
            # Ends the TCP connection (or stops listening) even while a thread waits on it;
            # one already closed by its pump has nothing left to shut down.
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self.connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(POSTGRES)
            self.connections += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(source, target), daemon=True).start()


def pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            end.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database():
    """A fresh database on the real PostgreSQL server, dropped afterwards."""
    name = f"cramp_outage_{os.getpid()}"
    try:
        admin = psycopg.connect(
            host=POSTGRES[0], port=POSTGRES[1], user="postgres", dbname="postgres", autocommit=True
        )
    except psycopg.OperationalError as error:
        pytest.fail(f"this test needs the PostgreSQL server on {POSTGRES}: {error}")
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def production_env(database: str, proxy_port: int, static_root: Path) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "PYENV_ROOT"}
    return {key: value for key, value in os.environ.items() if key in keep} | {
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{proxy_port}/{database}",
        "STATIC_ROOT": str(static_root),
        "DJANGO_SUPERUSER_PASSWORD": "outage-password-2026",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )


class Browser:
    """Just enough of a browser: cookies, and the CSRF token from the last form seen."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.csrf = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, **data}).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=15) as response:
                status, html = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, html = error.code, error.read().decode()
        if match := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html):
            self.csrf = match[1]
        return status, html


def test_requests_fail_cleanly_while_the_database_is_away_and_recover(database, tmp_path):
    proxy = CuttableProxy()
    proxy.start()
    env = production_env(database, proxy.port, tmp_path / "static")
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "createsuperuser", "--no-input", "--email", "outage@example.com")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "crampjournal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "20",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        monitor = Browser(f"http://127.0.0.1:{port}")  # a load balancer: no cookies
        for _ in range(100):
            try:
                if monitor.request("/healthz/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert monitor.request("/healthz/") == (200, "ok\n")
        browser.request("/login/")
        browser.request(
            "/login/", {"username": "outage@example.com", "password": "outage-password-2026"}
        )
        assert browser.request("/days/")[0] == 200

        proxy.cut()
        assert monitor.request("/healthz/") == (503, "database unavailable\n")
        status, html = browser.request("/days/")
        assert status == 500
        assert "Something went wrong" in html and "Nothing you saved before is lost" in html
        assert "Traceback" not in html and "psycopg" not in html and "OperationalError" not in html

        proxy.start()  # the database is back; the app was never restarted
        assert monitor.request("/healthz/") == (200, "ok\n")
        status, html = browser.request("/days/")
        assert status == 200 and "Every day and night" in html
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=10)
        proxy.cut()
