"""`make bench`: how fast the app is on ten years of journal, measured and written down.

One run, on its own fresh PostgreSQL database (127.0.0.1:5432, user postgres) that it drops
at the end:

1. migrate, collect the static files, and seed with the demo generator: one user with ten
   years (demo@example.com) and 200 more users with a year each, so that every index has
   other users' rows to skip (the 200 are SQL copies of one generated year: seconds, not
   minutes);
2. in this one process, with production settings (DEBUG off), after warm-up, the server time
   (median and 95th percentile) and the query count of each page, through Django's test
   client, next to a bare view that answers "ok" through the same middleware (the floor);
   the pages are measured in round-robin so that noise falls on all of them alike;
3. gunicorn (the project's gunicorn.conf.py, 2 workers, 127.0.0.1 only) under a bounded load
   from wrk (Debian's package, installed when missing) as logged-in users: requests per
   second, median and 99th percentile latency, errors;
4. writes bench/results.json and docs/benchmarks.md (with bench/notes.md, the hand-written
   findings, included as they are).

`--quick` runs a small data set and short samples, and writes to bench/quick/ instead.
`--keep-db` keeps the database and `--reuse-db` seeds nothing (for profiling by hand).
Timings never go in the test suite: query budgets do (tests/test_query_budgets.py and others).
"""

import argparse
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from uuid import uuid4

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
SECRET_KEY = "bench-only-" + "x" * 50
ONE_YEAR_EMAIL = "bench-1y@example.com"  # the ten-year user's last year, for query counts
PAGE_MEDIAN_RATIO = 4.0
PAGE_P95_MS = 50.0
PDF_12M_MS = 2000.0
LOAD_RPS_SHARE = 0.5
RANDOM_PAGE_COST = 1.1


@dataclass(frozen=True)
class Size:
    main_months: int
    other_users: int
    other_months: int
    warmup: int
    samples: int  # per page
    pdf_samples: int
    export_samples: int
    load_seconds: int
    load_warmup_seconds: int
    sessions: int  # session cookies the load rotates over


SIZES = {
    "full": Size(
        main_months=120,
        other_users=200,
        other_months=12,
        warmup=5,
        samples=60,
        pdf_samples=7,
        export_samples=20,
        load_seconds=20,
        load_warmup_seconds=2,
        sessions=8,
    ),
    "quick": Size(
        main_months=12,
        other_users=10,
        other_months=3,
        warmup=2,
        samples=12,
        pdf_samples=2,
        export_samples=4,
        load_seconds=3,
        load_warmup_seconds=1,
        sessions=4,
    ),
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- The database ---------------------------------------------------------------------------


def admin_connection():
    import psycopg

    try:
        return psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
        )
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"The bench needs PostgreSQL on {PG_HOST}:{PG_PORT} (user {PG_USER}, trust auth); "
            "where it is installed but down: pg_ctlcluster --skip-systemctl-redirect "
            f"$(ls /etc/postgresql) main start\n{error}"
        ) from None


def create_database(name: str, pg_defaults: bool) -> None:
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        if not pg_defaults:
            # As README "Running in production" recommends for SSD storage (docs/benchmarks.md
            # has the figures with PostgreSQL's default of 4, made for spinning disks).
            admin.execute(f'ALTER DATABASE "{name}" SET random_page_cost = {RANDOM_PAGE_COST}')


def drop_database(name: str) -> None:
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def configure_environment(database: str, static_root: Path) -> dict[str, str]:
    """Production settings (DEBUG off) on plain HTTP, for this process and gunicorn alike."""
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "HTTPS": "0",  # TLS ends at the proxy in front; the bench talks plain HTTP on loopback
        "DATABASE_URL": f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "plain",
    }
    os.environ.update(env)
    return env


# --- Seeding --------------------------------------------------------------------------------


def seed(size: Size) -> dict:
    """The demo journals, then copies of demo2's year for the other users."""
    from django.db import connection
    from django.utils import timezone

    from journal import demo
    from journal.models import User

    started = time.perf_counter()
    demo.seed_demo(months=size.other_months, users=2)  # demo@ (replaced next) and demo2@
    main = demo.seed_demo(months=size.main_months, users=1)[0]
    generated = time.perf_counter() - started
    source = User.objects.get(email=demo.demo_email(2))
    emails = [demo.demo_email(number) for number in range(3, size.other_users + 2)]
    clone_journal(source, clone_users(source, emails))
    # The ten-year user's last year alone, to check that query counts do not grow with history.
    main_user = User.objects.get(email=main.email)
    since = main_user.night_of(timezone.now()) - timedelta(days=365)
    clone_journal(main_user, clone_users(main_user, [ONE_YEAR_EMAIL]), since=since)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by now
    return {
        "main_user": main.email,
        "main_months": size.main_months,
        "main_counts": journal_counts(main.email),
        "other_users": size.other_users,
        "other_months": size.other_months,
        "generator_seconds": round(generated, 1),
        "seed_seconds": round(time.perf_counter() - started, 1),
        "table_rows": table_rows(),
    }


def clone_users(source, emails: list[str]) -> list[int]:
    from journal.models import User

    fields = [f for f in User._meta.concrete_fields if not f.primary_key and f.name != "email"]
    users = [
        User(email=email, **{f.attname: getattr(source, f.attname) for f in fields})
        for email in emails
    ]
    return [user.pk for user in User.objects.bulk_create(users)]


def clone_journal(source, clone_ids: list[int], since: date | None = None) -> None:
    """Copy `source`'s journal to each clone in one INSERT ... SELECT per table.

    A row's parent in the copy is found by the parent's natural key (a night or a day by its
    date, a medication or a factor by its name) among the clone's own rows, so with `since`
    only nights, days and doses from that date on are copied, and their children with them.
    """
    from django.db import connection

    from journal.models import (
        CrampEpisode,
        CustomFactor,
        CustomFactorValue,
        DayFactors,
        DoseTaken,
        ExerciseSession,
        Medication,
        Night,
    )

    natural_key = {Medication: "name", CustomFactor: "name", DayFactors: "date", Night: "date"}
    order = [
        Medication,
        DoseTaken,
        CustomFactor,
        DayFactors,
        ExerciseSession,
        CustomFactorValue,
        Night,
        CrampEpisode,
    ]
    with connection.cursor() as cursor:
        for model in order:
            columns, values, joins = [], [], []
            for f in model._meta.concrete_fields:
                if f.primary_key:
                    continue
                columns.append(f'"{f.column}"')
                parent = f.related_model if f.is_relation else None
                if parent is not None and parent._meta.model_name == "user":
                    values.append("u.id")
                elif parent is not None:
                    table, key = parent._meta.db_table, natural_key[parent]
                    s, t = f"s_{f.column}", f"t_{f.column}"
                    joins.append(
                        f'JOIN "{table}" {s} ON {s}.id = src."{f.column}" '
                        f'JOIN "{table}" {t} ON {t}.user_id = u.id AND {t}."{key}" = {s}."{key}"'
                    )
                    values.append(f"{t}.id")
                else:
                    values.append(f'src."{f.column}"')
            owner = model.owner_path.split("__")[0]
            where = ["src.user_id = %s" if owner == "user" else f"s_{owner}_id.user_id = %s"]
            params: list = [clone_ids, source.pk]
            if since and model in (Night, DayFactors):
                where.append("src.date >= %s")
                params.append(since)
            elif since and model is DoseTaken:
                where.append("src.taken_at >= %s")
                params.append(datetime.combine(since, datetime.min.time(), UTC))
            cursor.execute(
                f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
                f'SELECT {", ".join(values)} FROM "{model._meta.db_table}" src '
                f'JOIN "journal_user" u ON u.id = ANY(%s) {" ".join(joins)} '
                f"WHERE {' AND '.join(where)}",
                params,
            )


def journal_counts(email: str) -> dict[str, int]:
    """The ten-year user's rows, by the labels of `seed_demo`'s report."""
    from journal.models import (
        CrampEpisode,
        CustomFactorValue,
        DayFactors,
        DoseTaken,
        ExerciseSession,
        Medication,
        Night,
        User,
    )

    user = User.objects.get(email=email)
    nights = Night.objects.for_user(user)
    return {
        "nights logged": nights.count(),
        "nights with cramps": nights.filter(episodes__isnull=False).distinct().count(),
        "cramp episodes": CrampEpisode.objects.for_user(user).count(),
        "days of factors": DayFactors.objects.for_user(user).count(),
        "exercise sessions": ExerciseSession.objects.for_user(user).count(),
        "custom factor values": CustomFactorValue.objects.for_user(user).count(),
        "medications": Medication.objects.for_user(user).count(),
        "doses taken": DoseTaken.objects.for_user(user).count(),
    }


def table_rows() -> dict[str, int]:
    from journal.models import (
        CrampEpisode,
        CustomFactorValue,
        DayFactors,
        DoseTaken,
        ExerciseSession,
        Medication,
        Night,
        User,
    )

    models = [
        User,
        Night,
        CrampEpisode,
        DayFactors,
        ExerciseSession,
        CustomFactorValue,
        Medication,
        DoseTaken,
    ]
    labels = {DoseTaken: "doses taken", DayFactors: "days of factors"}
    return {
        labels.get(model, str(model._meta.verbose_name_plural)): model.objects.count()
        for model in models
    }


# --- In-process measurement -----------------------------------------------------------------


class FormFields(HTMLParser):
    """What a browser would send for the form with the given id (no submit buttons)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.select_options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self.select, self.select_options = a["name"], []
        elif tag == "option" and self.select is not None:
            self.select_options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.select_options if selected]
            if not chosen and self.select_options:
                chosen = [self.select_options[0][0]]
            self.fields += [(self.select, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_data(html: str, form_id: str) -> dict[str, list[str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    if not data:
        raise RuntimeError(f"no form #{form_id} on the page")
    return data


@dataclass
class Scenario:
    key: str
    label: str
    kind: str  # floor, page, pdf, export
    path: str
    method: str = "GET"
    expect: int = 200
    htmx: bool = False
    prepare: Callable | None = None  # (client) -> POST data, untimed
    cleanup: Callable | None = None  # (data) -> None, untimed
    samples_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)

    def request(self, client, data=None):
        headers = {"HX-Request": "true"} if self.htmx else {}
        if self.method == "POST":
            response = client.post(self.path, data or {}, headers=headers)
        else:
            response = client.get(self.path, headers=headers)
        if response.status_code != self.expect:
            raise RuntimeError(
                f"{self.label}: {self.method} {self.path} answered {response.status_code}, "
                f"expected {self.expect}"
            )
        return response

    def run(self, client) -> tuple[float, float]:
        """Server time and this process's CPU time of one request, in ms."""
        data = self.prepare(client) if self.prepare else None
        started, cpu = time.perf_counter(), time.process_time()
        self.request(client, data)
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu) * 1000
        if self.cleanup:
            self.cleanup(data)
        return elapsed, cpu


def scenarios(main, exports: bool) -> list[Scenario]:
    from journal import demo
    from journal.models import CrampEpisode, DayFactors, Night

    def cramp_now_data(client):
        return {"token": str(uuid4()), "when": "now"}

    def forget_cramp(data):
        CrampEpisode.objects.filter(client_token=data["token"]).delete()

    def checkin_data(client):
        data = form_data(client.get(checkin_path).content.decode(), "checkin-form")
        return data | {"action": ["save"], "confirm_unusual": ["on"]}

    nights = Night.objects.for_user(main).order_by("-date").values_list("date", flat=True)
    day = nights.filter(episodes__isnull=False).first()
    # The latest night with its sleep diary and its day filled in (the demo's last night; the
    # night in progress when the bench runs is empty).
    checkin_night = nights.filter(
        into_bed__isnull=False, date__in=DayFactors.objects.for_user(main).values("date")
    ).first()
    checkin_path = f"/checkin/{checkin_night:%Y-%m-%d}/"
    listed = [
        Scenario("bare", "bare view (floor)", "floor", "/bench/ok/"),
        Scenario("home", "home (cramp now)", "page", "/"),
        Scenario(
            "cramp_now",
            "save a cramp (htmx)",
            "page",
            "/cramps/now/",
            method="POST",
            htmx=True,
            prepare=cramp_now_data,
            cleanup=forget_cramp,
        ),
        Scenario("checkin", "check-in page", "page", checkin_path),
        Scenario(
            "checkin_save",
            "check-in save",
            "page",
            checkin_path,
            method="POST",
            expect=302,
            prepare=checkin_data,
        ),
        Scenario("days", "day list", "page", "/days/"),
        Scenario("day", "day page", "page", f"/days/{day:%Y-%m-%d}/"),
        Scenario("month", "month page", "page", "/month/"),
        Scenario("trends_1y", "trends, 1 year", "page", "/trends/?range=1y"),
        Scenario("trends_all", "trends, all", "page", "/trends/?range=all"),
        Scenario("factors", "factor analysis (all)", "page", "/trends/factors/"),
        Scenario("summary", "summary page (3 months)", "page", "/summary/"),
        Scenario("summary_pdf_3", "summary PDF, 3 months", "pdf", "/summary/pdf/?months=3"),
        Scenario("summary_pdf_12", "summary PDF, 12 months", "pdf", "/summary/pdf/?months=12"),
    ]
    if exports:
        for kind in ("csv", "json"):
            listed.append(
                Scenario(
                    f"export_{kind}",
                    f"{kind.upper()} export",
                    "export",
                    f"/data/export/{kind}/",
                    method="POST",
                    prepare=lambda client: {"password": demo.DEMO_PASSWORD},
                )
            )
    return listed


def exports_available() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("data_export_csv")
        reverse("data_export_json")
    except (NoReverseMatch, ImportError):
        return False
    return True


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def logged_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def query_count(scenario: Scenario, client) -> tuple[int, int]:
    """The number of queries of one request, and the size of its response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scenario.run(client)  # the same state for both users (a night created, a form seen)
    data = scenario.prepare(client) if scenario.prepare else None
    with CaptureQueriesContext(connection) as queries:
        response = scenario.request(client, data)
    if scenario.cleanup:
        scenario.cleanup(data)
    return len(queries), len(response.content)


def measure_in_process(size: Size, only: set[str] | None) -> dict:
    from django.contrib.auth.hashers import check_password

    from journal import demo
    from journal.models import User

    main = User.objects.get(email=demo.demo_email(1))
    small = User.objects.get(email=ONE_YEAR_EMAIL)
    client, small_client = logged_in_client(main), logged_in_client(small)
    exports = exports_available()
    listed = [s for s in scenarios(main, exports) if not only or s.key in only | {"bare"}]
    wanted = {
        s.key: {"pdf": size.pdf_samples, "export": size.export_samples}.get(s.kind, size.samples)
        for s in listed
    }
    log(f"warming up {len(listed)} scenarios")
    for scenario in listed:
        for _ in range(size.warmup if scenario.kind != "pdf" else 1):
            scenario.run(client)
    log("measuring, round-robin")
    for round_number in range(max(wanted.values())):
        for scenario in listed:
            if round_number < wanted[scenario.key]:
                elapsed, cpu = scenario.run(client)
                scenario.samples_ms.append(elapsed)
                scenario.cpu_ms.append(cpu)
    log("counting queries (10-year user and 1-year user)")
    results = []
    for scenario in listed:
        samples = scenario.samples_ms
        queries, size = query_count(scenario, client)
        results.append(
            {
                "key": scenario.key,
                "label": scenario.label,
                "kind": scenario.kind,
                "request": f"{scenario.method} {scenario.path}",
                "samples": len(samples),
                "median_ms": round(statistics.median(samples), 2),
                "p95_ms": round(percentile(samples, 0.95), 2),
                "max_ms": round(max(samples), 2),
                "cpu_median_ms": round(statistics.median(scenario.cpu_ms), 2),
                "queries": queries,
                "queries_1y_user": query_count(scenario, small_client)[0],
                "response_kb": round(size / 1024, 1),
            }
        )
    floor = next(r for r in results if r["key"] == "bare")
    for result in results:
        result["median_ratio"] = round(result["median_ms"] / floor["median_ms"], 2)
        result["p95_ratio"] = round(result["p95_ms"] / floor["p95_ms"], 2)
    hashed = main.password
    checks = []
    for _ in range(5):
        started = time.perf_counter()
        check_password(demo.DEMO_PASSWORD, hashed)
        checks.append((time.perf_counter() - started) * 1000)
    return {
        "pages": results,
        "exports_included": exports,
        "password_check_ms": round(statistics.median(checks), 2),
    }


# --- Under load -----------------------------------------------------------------------------


def ensure_wrk() -> str:
    """Debian's wrk, installed when missing (as scripts/ensure-system-packages does)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing Debian's wrk")
        subprocess.run(
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk",
            shell=True,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        if found := shutil.which("wrk"):
            return found
    raise SystemExit("The load test needs wrk: sudo apt-get install wrk (or run with --no-load).")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_cookies(count: int) -> list[str]:
    """Sessions of the ten-year user, as if signed in on several devices."""
    from journal import demo
    from journal.models import User

    main = User.objects.get(email=demo.demo_email(1))
    return [logged_in_client(main).cookies["sessionid"].value for _ in range(count)]


def start_gunicorn(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    keep = {"PATH", "HOME", "LANG", "PYENV_ROOT"}
    server_env = {k: v for k, v in os.environ.items() if k in keep} | env
    server_env |= {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    with open(log_path, "wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "crampjournal.wsgi"],
            cwd=ROOT,
            env=server_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log_path}:\n{log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz/ within 30 s")


def warm(port: int, path: str, cookie: str, times: int) -> None:
    for _ in range(times):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={cookie}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200 or response.url.endswith("/login/"):
                raise RuntimeError(f"{path} answered {response.status} at {response.url}")
            response.read()


# (key, label, the in-process scenario whose path it takes or a path, a dashboard page?)
LOAD_PAGES = [
    ("bare", "bare view (floor)", "bare", False),
    ("home", "home (cramp now)", "home", True),
    ("checkin", "check-in page", "checkin", True),
    ("day", "day page", "day", True),
    ("month", "month page", "month", True),
    ("trends", "trends, 6 months (default)", "/trends/", True),
    ("factors", "factor analysis (all)", "factors", False),
    ("summary", "summary page (3 months)", "summary", False),
]


def measure_load(size: Size, env: dict[str, str], paths: dict[str, str], workdir: Path) -> dict:
    wrk = ensure_wrk()
    port = free_port()
    cookies = session_cookies(size.sessions)
    log_path = workdir / "gunicorn.log"
    server = start_gunicorn(env, port, log_path)
    results = []
    try:
        for key, label, source, dashboard in LOAD_PAGES:
            path = source if source.startswith("/") else paths[source]
            warm(port, path, cookies[0], 2)

            def wrk_for(seconds: int, path=path) -> subprocess.CompletedProcess:
                return subprocess.run(
                    [
                        wrk,
                        "--threads",
                        "2",
                        "--connections",
                        "4",
                        "--duration",
                        f"{seconds}s",
                        "--timeout",
                        "10s",
                        "--script",
                        str(ROOT / "bench" / "wrk_report.lua"),
                        f"http://127.0.0.1:{port}",
                        "--",
                        path,
                        *cookies,
                    ],
                    capture_output=True,
                    text=True,
                    timeout=seconds + 60,
                    check=True,
                )

            wrk_for(size.load_warmup_seconds)  # both workers warm, caches filled
            log(f"load: {label} for {size.load_seconds} s")
            completed = wrk_for(size.load_seconds)
            line = next(
                line for line in completed.stdout.splitlines() if line.startswith("BENCH_JSON ")
            )
            raw = json.loads(line.removeprefix("BENCH_JSON "))
            errors = raw["not_200"] + sum(
                raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
            )
            results.append(
                {
                    "key": key,
                    "label": label,
                    "path": path,
                    "dashboard": dashboard,
                    "requests": raw["requests"],
                    "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
                    "p50_ms": round(raw["latency_p50_us"] / 1000, 1),
                    "p99_ms": round(raw["latency_p99_us"] / 1000, 1),
                    "max_ms": round(raw["latency_max_us"] / 1000, 1),
                    "errors": errors,
                    "error_detail": {
                        k: v for k, v in raw.items() if k.endswith(("errors", "outs", "200"))
                    },
                }
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    floor = next(r for r in results if r["key"] == "bare")
    for result in results:
        result["rps_ratio"] = round(result["rps"] / floor["rps"], 2)
    server_errors = sum(1 for line in log_path.read_text().splitlines() if '" 50' in line)
    return {
        "tool": subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout.split(
            " Copyright"
        )[0],
        "workers": 2,
        "connections": 4,
        "threads": 2,
        "seconds_per_scenario": size.load_seconds,
        "sessions": size.sessions,
        "pages": results,
        "server_5xx_logged": server_errors,
    }


# --- Targets and the report -----------------------------------------------------------------


def evaluate(results: dict) -> list[dict]:
    targets = []
    pages = results["in_process"]["pages"]
    for page in pages:
        if page["kind"] in {"page", "export"}:
            targets.append(
                {
                    "target": f"{page['label']}: median ≤ {PAGE_MEDIAN_RATIO:g}× bare",
                    "measured": f"{page['median_ratio']}×",
                    "met": page["median_ratio"] <= PAGE_MEDIAN_RATIO,
                    "key": page["key"],
                }
            )
            targets.append(
                {
                    "target": f"{page['label']}: p95 < {PAGE_P95_MS:g} ms",
                    "measured": f"{page['p95_ms']} ms",
                    "met": page["p95_ms"] < PAGE_P95_MS,
                    "key": page["key"],
                }
            )
        if page["key"] == "summary_pdf_12":
            targets.append(
                {
                    "target": f"{page['label']}: under {PDF_12M_MS / 1000:g} s (p95)",
                    "measured": f"{page['p95_ms'] / 1000:.2f} s",
                    "met": page["p95_ms"] < PDF_12M_MS,
                    "key": page["key"],
                }
            )
        if page["kind"] != "floor":
            targets.append(
                {
                    "target": f"{page['label']}: same query count at 10 years as at 1 year",
                    "measured": f"{page['queries']} / {page['queries_1y_user']}",
                    "met": page["queries"] == page["queries_1y_user"],
                    "key": page["key"],
                }
            )
    load = results.get("load")
    if load:
        for page in load["pages"]:
            targets.append(
                {
                    "target": f"under load, {page['label']}: zero errors",
                    "measured": str(page["errors"]),
                    "met": page["errors"] == 0,
                    "key": f"load_{page['key']}",
                }
            )
            if page["dashboard"]:
                targets.append(
                    {
                        "target": f"under load, {page['label']}: ≥ {LOAD_RPS_SHARE:g}× bare rps",
                        "measured": f"{page['rps_ratio']}×",
                        "met": page["rps_ratio"] >= LOAD_RPS_SHARE,
                        "key": f"load_{page['key']}",
                    }
                )
    return targets


def machine_and_versions(database: dict[str, str]) -> tuple[dict, dict]:
    import django
    import gunicorn
    import psycopg
    import weasyprint

    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    os_release = Path("/etc/os-release").read_text()
    pretty = re.search(r'PRETTY_NAME="([^"]*)"', os_release)
    machine = {
        "cores": os.cpu_count(),
        "nproc": int(subprocess.run(["nproc"], capture_output=True, text=True).stdout),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "cpu": cpu[1].strip() if cpu else platform.processor(),
        "os": pretty[1] if pretty else platform.platform(),
        "kernel": platform.release(),
    }
    versions = {
        "python": platform.python_version(),
        "django": django.__version__,
        "postgresql": database["server_version"],
        "psycopg": psycopg.__version__,
        "gunicorn": gunicorn.__version__,
        "weasyprint": weasyprint.__version__,
    }
    return machine, versions


def database_settings() -> dict[str, str]:
    from django.db import connection

    names = ["server_version", "random_page_cost", "shared_buffers", "work_mem"]
    with connection.cursor() as cursor:
        settings = {}
        for name in names:
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return settings


def yes(met: bool) -> str:
    return "met" if met else "**missed**"


def markdown(results: dict, notes: str) -> str:
    data, machine, versions = results["data"], results["machine"], results["versions"]
    pg = results["postgresql_settings"]
    in_process = results["in_process"]
    counts = data["main_counts"]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench{' ARGS=--quick' if results['size'] == 'quick' else ''}` "
        f"(bench/run.py) on {results['generated_at'][:16].replace('T', ' ')} UTC; the whole "
        f"run took {results['duration_seconds'] / 60:.1f} minutes. Raw figures: "
        "`bench/results.json`. Timings never go in the test suite; the query budgets do.",
        "",
        "## Machine",
        "",
        f"- {machine['nproc']} cores (`nproc`), {machine['memory_gib']} GiB memory, "
        f"{machine['cpu']}",
        f"- {machine['os']}, kernel {machine['kernel']}; load average (1, 5, 15 min) "
        f"{machine['load_average_before']} before the run and "
        f"{machine['load_average_after']} after: other work on the machine shows up in the "
        "wall-clock figures, less in the CPU ones",
        f"- Python {versions['python']}, Django {versions['django']}, PostgreSQL "
        f"{versions['postgresql']} (same machine, 127.0.0.1), psycopg {versions['psycopg']}, "
        f"gunicorn {versions['gunicorn']}, WeasyPrint {versions['weasyprint']}"
        + (f", {results['load']['tool']}" if results.get("load") else ""),
        "- Production settings: DEBUG off, cached templates, manifest static files, sessions "
        "saved on every request; plain HTTP on loopback (`HTTPS=0`: TLS ends at the proxy).",
        f"- PostgreSQL as installed (shared_buffers {pg['shared_buffers']}, work_mem "
        f"{pg['work_mem']}), except random_page_cost {pg['random_page_cost']} on the bench "
        "database, as README "
        '"Running in production" recommends for SSD storage.',
        "",
        "## Data",
        "",
        f"The demo generator (`journal/demo.py`), on a fresh PostgreSQL database: "
        f"`{data['main_user']}` with {data['main_months'] // 12} years "
        f"({data['main_months'] * 30:,} nights):",
        "",
        "| | rows |",
        "|---|---:|",
        *[f"| {label} | {count:,} |" for label, count in counts.items()],
        "",
        f"plus {data['other_users']} more users with {data['other_months']} months each "
        "(copies of one generated year, made in SQL), so every index has other users' rows "
        f"to skip, and `{ONE_YEAR_EMAIL}`, a copy of only the ten-year user's last year (for "
        "the query counts). Whole database: "
        + ", ".join(f"{count:,} {label}" for label, count in data["table_rows"].items())
        + f". Seeding took {data['seed_seconds']} s.",
        "",
    ]
    if data["main_months"] >= 120 and counts["cramp episodes"] < 7000:
        lines += [
            f"The issue asks for 7,000+ episodes and 10 medications. The generator's planted "
            f"rates give {counts['cramp episodes']:,} episodes and {counts['medications']} "
            "medications over ten years (cramps on about 40% of logged nights, 1.4 a cramp "
            "night); the bench uses that data as it is rather than inflating it. No page's "
            "query count depends on the number of rows (checked below and by the test suite), "
            "and the pages that read the whole history (trends and factor analysis over all "
            "years, the exports) grow linearly with it.",
            "",
        ]
    lines += [
        "## Server time, in one process",
        "",
        "Django's test client with the production middleware, logged in as the ten-year user, "
        "after warm-up; pages measured in round-robin. The floor is a bare view answering "
        '"ok" through the same middleware (session and user read, session saved). '
        "CPU: this process's CPU time (PostgreSQL's is not in it), less sensitive than "
        "the wall-clock times to whatever else the machine is running. Queries: for the "
        "ten-year user / for a copy of only their last year (`bench-1y@example.com`).",
        "",
        "| page | median ms | p95 ms | median × bare | CPU ms | queries (10 y / 1 y) | KB | "
        "samples |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in in_process["pages"]:
        lines.append(
            f"| {page['label']} | {page['median_ms']:.1f} | {page['p95_ms']:.1f} | "
            f"{page['median_ratio']:.1f} | {page['cpu_median_ms']:.1f} | "
            f"{page['queries']} / {page['queries_1y_user']} | {page['response_kb']:g} | "
            f"{page['samples']} |"
        )
    lines += [""]
    if in_process["exports_included"]:
        lines += [
            "The exports ask for the password again; checking it (Argon2, deliberately slow) "
            f"takes {in_process['password_check_ms']:.0f} ms of each export's time.",
            "",
        ]
    else:
        lines += ["The data exports did not exist yet when this ran.", ""]
    load = results.get("load")
    if load:
        lines += [
            "## Under load",
            "",
            f"gunicorn with `gunicorn.conf.py`, {load['workers']} sync workers on 127.0.0.1, "
            f"and wrk with {load['threads']} threads and {load['connections']} connections for "
            f"{load['seconds_per_scenario']} s per page, rotating over {load['sessions']} "
            "session cookies of the ten-year user; wrk, gunicorn and PostgreSQL share the "
            "same 2 cores. Latency includes the wait for a free worker. Any answer but a 200 "
            "counts as an error.",
            "",
            "| page | requests/s | × bare | median ms | p99 ms | errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for page in load["pages"]:
            lines.append(
                f"| {page['label']} | {page['rps']:.0f} | {page['rps_ratio']:.2f} | "
                f"{page['p50_ms']:.1f} | {page['p99_ms']:.1f} | {page['errors']} |"
            )
        lines += [""]
    targets = results["targets"]
    missed = [t for t in targets if not t["met"]]
    lines += [
        "## Targets",
        "",
        f"{len(targets) - len(missed)} of {len(targets)} met."
        + (" Missed:" if missed else " Every target is met."),
        "",
    ]
    if missed:
        lines += ["| target | measured |", "|---|---:|"]
        lines += [f"| {t['target']} | {t['measured']} |" for t in missed]
        lines += [""]
    lines += [
        "<details><summary>Every target</summary>",
        "",
        "| target | measured | |",
        "|---|---:|---|",
        *[f"| {t['target']} | {t['measured']} | {yes(t['met'])} |" for t in targets],
        "",
        "</details>",
        "",
    ]
    if notes.strip():
        lines += [notes.strip(), ""]
    lines += [
        "## Reproduce",
        "",
        "```sh",
        "make bench                 # the full run (under 10 minutes on 2 cores)",
        "make bench ARGS=--quick    # or `make bench-quick`: small data, short samples,",
        "                           # written to bench/quick/ instead",
        "```",
        "",
        "It needs the PostgreSQL server on 127.0.0.1:5432 (user `postgres`, trust auth), "
        "creates and drops its own database (`cramp_bench`), and installs Debian's `wrk` when "
        "missing (as root; otherwise it says what to install). `--no-load` skips the gunicorn "
        "part, `--only home,month` measures some pages, `--pg-defaults` keeps PostgreSQL's "
        "random_page_cost, `--keep-db` keeps the database and `--reuse-db` measures it again "
        "without seeding; any of these writes to bench/quick/ (not committed) instead. "
        "`--render-only` writes this page again from bench/results.json and bench/notes.md "
        "(the hand-written findings above). To see where a page's time goes: "
        "`.venv/bin/python -m bench.profile /month/` (bench/profile.py: cProfile and every "
        "query, on a database kept with `--keep-db --database cramp_bench_dev`).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, short samples")
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn and wrk")
    parser.add_argument("--only", help="comma-separated scenario keys to measure in-process")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--reuse-db", action="store_true", help="measure the kept database")
    parser.add_argument(
        "--pg-defaults",
        action="store_true",
        help=f"keep PostgreSQL's random_page_cost (else {RANDOM_PAGE_COST}, for SSD storage)",
    )
    parser.add_argument("--database", default="cramp_bench")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="write docs/benchmarks.md again from bench/results.json and bench/notes.md",
    )
    args = parser.parse_args()
    if args.render_only:
        results = json.loads((ROOT / "bench" / "results.json").read_text())
        write_markdown(results, ROOT / "docs" / "benchmarks.md")
        return
    size_name = "quick" if args.quick else "full"
    size = SIZES[size_name]
    # Only a standard full run writes the committed files; any other goes to bench/quick/.
    partial = args.quick or args.only or args.no_load or args.reuse_db or args.pg_defaults
    out_dir = ROOT / "bench" / "quick" if partial else ROOT
    started = time.perf_counter()
    if not args.no_load:
        ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="cramp-bench-"))
    env = configure_environment(args.database, workdir / "static")
    phases = {}
    try:
        if not args.reuse_db:
            log(f"creating database {args.database}")
            create_database(args.database, args.pg_defaults)
        import django
        from django.core.management import call_command

        django.setup()
        phase = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        phases["migrate_and_collectstatic"] = round(time.perf_counter() - phase, 1)
        if args.reuse_db:
            from journal import demo

            data = {
                "main_user": demo.demo_email(1),
                "main_months": size.main_months,
                "main_counts": journal_counts(demo.demo_email(1)),
                "other_users": size.other_users,
                "other_months": size.other_months,
                "seed_seconds": 0,
                "table_rows": table_rows(),
            }
        else:
            log(
                f"seeding: {size.main_months} months for one user, {size.other_users} users "
                f"with {size.other_months} months"
            )
            data = seed(size)
            log(f"seeded in {data['seed_seconds']} s: {data['table_rows']}")
        phases["seed"] = data["seed_seconds"]
        database = database_settings()
        machine, versions = machine_and_versions(database)
        machine["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
        phase = time.perf_counter()
        only = set(args.only.split(",")) if args.only else None
        in_process = measure_in_process(size, only)
        phases["in_process"] = round(time.perf_counter() - phase, 1)
        print_pages(in_process["pages"])
        results = {
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "size": size_name,
            "machine": machine,
            "versions": versions,
            "postgresql_settings": database,
            "data": data,
            "in_process": in_process,
        }
        if not args.no_load:
            phase = time.perf_counter()
            paths = {p["key"]: p["request"].split(" ", 1)[1] for p in in_process["pages"]}
            results["load"] = measure_load(size, env, paths, workdir)
            phases["load"] = round(time.perf_counter() - phase, 1)
            print_load(results["load"]["pages"])
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            log(f"dropping database {args.database}")
            drop_database(args.database)
        shutil.rmtree(workdir, ignore_errors=True)
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["phases_seconds"] = phases
    results["duration_seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = evaluate(results)
    json_path = (out_dir / "bench" if out_dir == ROOT else out_dir) / "results.json"
    doc_path = (out_dir / "docs" if out_dir == ROOT else out_dir) / "benchmarks.md"
    for path in (json_path, doc_path):
        path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    write_markdown(results, doc_path)
    missed = [t for t in results["targets"] if not t["met"]]
    log(f"done in {results['duration_seconds'] / 60:.1f} min; wrote {json_path} and {doc_path}")
    for target in missed:
        log(f"missed: {target['target']} (measured {target['measured']})")


def write_markdown(results: dict, path: Path) -> None:
    notes_path = ROOT / "bench" / "notes.md"
    notes = notes_path.read_text() if notes_path.exists() else ""
    path.write_text(markdown(results, notes))


def print_pages(pages: list[dict]) -> None:
    print(f"{'page':32} {'median':>8} {'p95':>8} {'×bare':>6} {'queries':>9}")
    for p in pages:
        print(
            f"{p['label']:32} {p['median_ms']:8.1f} {p['p95_ms']:8.1f} {p['median_ratio']:6.1f} "
            f"{p['queries']:>4}/{p['queries_1y_user']:<4}"
        )


def print_load(pages: list[dict]) -> None:
    print(f"{'page':32} {'rps':>7} {'×bare':>6} {'p50':>7} {'p99':>7} {'errors':>6}")
    for p in pages:
        print(
            f"{p['label']:32} {p['rps']:7.0f} {p['rps_ratio']:6.2f} {p['p50_ms']:7.1f} "
            f"{p['p99_ms']:7.1f} {p['errors']:6}"
        )


if __name__ == "__main__":
    main()
