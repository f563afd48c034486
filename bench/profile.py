"""Profile one page of the bench database with cProfile, and list its queries.

    .venv/bin/python -m bench.run --no-load --keep-db --database cramp_bench_dev --only bare
    .venv/bin/python -m bench.profile /month/               # then any page, as often as needed
    .venv/bin/python -m bench.profile /data/export/csv/ --post password=cramp-demo-2026
    .venv/bin/python -m bench.profile /cramps/now/ --post "token={uuid}" --post when=now --htmx

Production settings, logged in as the ten-year user, after warm-up; prints the slowest
functions by cumulative time and each SQL statement with its time.
"""

import argparse
import cProfile
import pstats
import time
from pathlib import Path
from uuid import uuid4

from bench import run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--post", action="append", default=[], help="name=value to POST")
    parser.add_argument("--htmx", action="store_true")
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--database", default="cramp_bench_dev")
    args = parser.parse_args()
    run.configure_environment(args.database, Path("/tmp/cramp-bench-profile-static"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from journal import demo
    from journal.models import User

    call_command("collectstatic", verbosity=0, interactive=False)
    client = run.logged_in_client(User.objects.get(email=demo.demo_email(1)))
    data = dict(item.split("=", 1) for item in args.post)
    headers = {"HX-Request": "true"} if args.htmx else {}

    def request():
        if data:
            posted = {k: str(uuid4()) if v == "{uuid}" else v for k, v in data.items()}
            return client.post(args.path, posted, headers=headers)
        return client.get(args.path, headers=headers)

    for _ in range(3):
        request()
    with CaptureQueriesContext(connection) as queries:
        response = request()
    print(f"{response.status_code}, {len(response.content):,} bytes, {len(queries)} queries:")
    for query in queries:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    timings = []
    for _ in range(args.times):
        started = time.perf_counter()
        request()
        timings.append((time.perf_counter() - started) * 1000)
    print("times, ms:", " ".join(f"{t:.1f}" for t in sorted(timings)))
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.times):
        request()
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
