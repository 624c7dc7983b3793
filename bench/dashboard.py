"""The province dashboard at scale: median and p95 of ``dashboard.overview`` over N cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhongcai \\
        .venv/bin/python bench/dashboard.py --cases 1000000 [--repeat 30] [--keep]
    .venv/bin/python bench/dashboard.py --cases 20000 --repeat 10       # SQLite, a quick look

Runs on the database server named by DATABASE_URL (SQLite when unset), never in the project's
own database: on PostgreSQL it creates ``<dbname>_bench`` on the same server and drops it at the
end; on SQLite it uses a temporary file. With ``--keep`` the database stays, and a later run with
``--keep`` and the same ``--cases`` reuses it instead of building the province again.

It migrates, builds the synthetic province (``monitoring.synthetic.build_province``: Shandong,
N accepted cases over five years, their stored figures; no events — see the generator), and then,
for the province administrator (the whole province) and the 济南 and 历下区 administrators, times
``dashboard.overview`` for the current year (what the dashboard page and its JSON endpoint call)
R times after a warm-up: median and p95. The baseline, measured the same way in the same run, is
one raw SQL aggregate over the cases table for the same area and period computing what the case
row alone gives (accepted, closed, carried over, open at the end, collective, online); the ratio
is dashboard ÷ baseline. Both answers are compared, so a fast wrong dashboard would show. No
timing is asserted; the figures are printed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 3


def _s(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# -- The bench database ----------------------------------------------------------------------


class BenchDatabase:
    """``<dbname>_bench`` on the configured PostgreSQL server, or a temporary SQLite file."""

    def __init__(self, configured: str | None, cases: int, keep: bool):
        import dj_database_url

        self.keep = keep
        self.tempdir: Path | None = None
        self.reused = False
        if configured and configured.startswith(("postgres://", "postgresql://")):
            self.vendor = "postgresql"
            self.params = dj_database_url.parse(configured)
            self.name = f"{self.params['NAME']}_bench"
            if self.name == self.params["NAME"]:  # pragma: no cover - cannot happen, but never
                raise SystemExit("The bench database would be the project's own.")
            self.url = configured.rsplit("/", 1)[0] + "/" + self.name
        elif configured and not configured.startswith("sqlite"):
            raise SystemExit(f"Unsupported DATABASE_URL for the bench: {configured.split(':')[0]}")
        else:
            self.vendor = "sqlite"
            if keep:
                path = Path(tempfile.gettempdir()) / "zhongcai_dashboard_bench.sqlite3"
            else:
                self.tempdir = Path(tempfile.mkdtemp(prefix="zhongcai-dashboard-bench-"))
                path = self.tempdir / "bench.sqlite3"
            self.name = str(path)
            self.url = f"sqlite:///{path}"

    def _admin(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """A statement on the server's maintenance database (autocommit: CREATE/DROP DATABASE)."""
        import psycopg

        p = self.params
        with psycopg.connect(
            dbname="postgres",
            user=p.get("USER") or None,
            password=p.get("PASSWORD") or None,
            host=p.get("HOST") or None,
            port=p.get("PORT") or None,
            autocommit=True,
        ) as conn:
            cur = conn.execute(sql, args or None)
            return cur.fetchall() if cur.description else []

    def _cases_held(self) -> int | None:
        """The cases in an existing bench database (None: not a built province)."""
        try:
            if self.vendor == "postgresql":
                import psycopg

                p = self.params
                with psycopg.connect(
                    dbname=self.name,
                    user=p.get("USER") or None,
                    password=p.get("PASSWORD") or None,
                    host=p.get("HOST") or None,
                    port=p.get("PORT") or None,
                ) as conn:
                    return conn.execute("SELECT COUNT(*) FROM cases_case").fetchone()[0]
            import sqlite3

            with sqlite3.connect(self.name) as conn:
                return conn.execute("SELECT COUNT(*) FROM cases_case").fetchone()[0]
        except Exception:  # any failure means "not reusable"
            return None

    def prepare(self, cases: int) -> None:
        """Reuse a kept database of the same size, else start from an empty one."""
        if self.vendor == "postgresql":
            exists = self._admin("SELECT 1 FROM pg_database WHERE datname = %s", self.name)
        else:
            exists = Path(self.name).exists() and self.tempdir is None
        if exists and self.keep and self._cases_held() == cases:
            self.reused = True
            return
        if self.vendor != "postgresql":
            Path(self.name).unlink(missing_ok=True)
            return
        self.drop()
        if self.vendor == "postgresql":
            from psycopg import sql as q

            self._admin(q.SQL("CREATE DATABASE {}").format(q.Identifier(self.name)).as_string())

    def drop(self) -> None:
        if self.vendor == "postgresql":
            from psycopg import sql as q

            self._admin(
                q.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                .format(q.Identifier(self.name))
                .as_string()
            )
        elif self.tempdir is not None:
            shutil.rmtree(self.tempdir, ignore_errors=True)
        else:
            Path(self.name).unlink(missing_ok=True)

    def finish(self) -> None:
        from django.db import connections

        connections.close_all()
        if self.keep:
            print(f"\nKept the bench database {self.name} (--keep).")
        else:
            self.drop()


def setup(db: BenchDatabase) -> None:
    os.environ["DATABASE_URL"] = db.url
    os.environ.pop("REDIS_URL", None)  # nothing is cached between calls; no broker needed
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhongcai.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    _err(f"migrated {db.name} in {_s(started)}")


# -- The province ----------------------------------------------------------------------------

USERNAMES = {
    "province": "synthetic_province_admin",
    "city Jinan": "synthetic_jinan_admin",
    "county Lixia": "synthetic_lixia_admin",
}


def province(db: BenchDatabase, cases: int, seed: int, years: int) -> dict[str, Any]:
    """The three administrators; the province is built unless a kept one of this size exists."""
    from django.db import connection

    from zhongcai.accounts.models import User
    from zhongcai.monitoring.synthetic import build_province

    if db.reused:
        print(f"Reusing the kept bench database {db.name} ({cases:,} cases).")
        return {
            k: User.objects.select_related("organisation").get(username=u)
            for k, u in USERNAMES.items()
        }
    started = time.perf_counter()
    built = build_province(cases, seed=seed, years=years, progress=_err)
    print(
        f"Built the province: {built.cases:,} cases, {built.days:,} organisation-days "
        f"in {_s(started)}."
    )
    for name, counts in built.counts.items():
        total = sum(counts.values()) or 1
        shares = ", ".join(
            f"{k} {v / total:.0%}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
        )
        print(f"  {name}: {shares}")
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {_s(started)}.")
    return {
        "province": built.province_admin,
        "city Jinan": built.city_admin,
        "county Lixia": built.county_admin,
    }


# -- Timing ----------------------------------------------------------------------------------


def timed(call: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    for _ in range(WARM_UP):
        result = call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


BASELINE = """
SELECT
  COUNT(*),
  SUM(CASE WHEN c.accepted_on >= %(start)s THEN 1 ELSE 0 END),
  SUM(CASE WHEN c.closed_at < %(end_at)s THEN 1 ELSE 0 END),
  SUM(CASE WHEN c.accepted_on < %(start)s THEN 1 ELSE 0 END),
  SUM(CASE WHEN c.closed_at IS NULL OR c.closed_at >= %(end_at)s THEN 1 ELSE 0 END),
  SUM(CASE WHEN c.accepted_on >= %(start)s AND c.collective THEN 1 ELSE 0 END),
  SUM(CASE WHEN c.accepted_on >= %(start)s AND c.origin = 'system' THEN 1 ELSE 0 END)
FROM {case} c JOIN {org} o ON o.id = c.institute_id
WHERE o.path LIKE %(path)s
  AND c.accepted_on <= %(end)s
  AND (c.closed_at IS NULL OR c.closed_at >= %(start_at)s)
"""
BASELINE_FIELDS = (
    "accepted",
    "closed",
    "carried_over",
    "open_at_end",
    "accepted_collective",
    "accepted_online",
)


def baseline(path: str, start: date, end: date) -> dict[str, int]:
    """One aggregate over the cases of the area that touch the period: what the case row gives."""
    from django.db import connection
    from django.utils import timezone

    from zhongcai.cases.models import Case
    from zhongcai.orgs.models import Organisation

    tz = timezone.get_current_timezone()
    sql = BASELINE.format(case=Case._meta.db_table, org=Organisation._meta.db_table)
    params = {
        "path": path + "%",
        "start": start,
        "end": end,
        "start_at": datetime.combine(start, clock.min, tzinfo=tz),
        "end_at": datetime.combine(end + timedelta(days=1), clock.min, tzinfo=tz),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return dict(zip(BASELINE_FIELDS, (int(v or 0) for v in row[1:]), strict=True))


def measure(users: dict[str, Any], repeat: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from zhongcai.cases.models import Case
    from zhongcai.monitoring import dashboard

    end = timezone.localdate()
    start = date(end.year, 1, 1)
    print(f"\nPeriod {start} – {end}; {repeat} timed calls each after {WARM_UP} warm-up calls.\n")
    header = (
        f"  {'scope':16}{'cases in scope':>15}{'in period':>11}{'median ms':>11}"
        f"{'p95 ms':>9}{'baseline ms':>13}{'base p95':>10}{'ratio':>8}  agree"
    )
    print(header)
    for label, user in users.items():
        area = user.organisation
        in_scope = Case.objects.filter(institute__path__startswith=area.path).count()
        times, result = timed(
            lambda user=user: dashboard.overview(user=user, start=start, end=end), repeat
        )
        base_times, base = timed(lambda area=area: baseline(area.path, start, end), repeat)
        totals = result.totals
        agree = all(getattr(totals, name) == base[name] for name in BASELINE_FIELDS)
        median, base_median = statistics.median(times), statistics.median(base_times)
        print(
            f"  {label:16}{in_scope:>15,}{base['accepted']:>11,}{median:>11.1f}{p95(times):>9.1f}"
            f"{base_median:>13.1f}{p95(base_times):>10.1f}{median / base_median:>8.2f}  "
            f"{'yes' if agree else 'NO'}"
        )
        if not agree:
            for name in BASELINE_FIELDS:
                print(f"      {name}: dashboard {getattr(totals, name)}, baseline {base[name]}")
    print(
        f"\n(children {len(result.children)}, counties {len(result.counties)}, "
        f"months {len(result.months)} in the last overview; vendor {connection.vendor})"
    )


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, required=True, help="accepted cases in the province")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per scope")
    parser.add_argument("--keep", action="store_true", help="keep (or reuse) the bench database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    if args.cases < 1 or args.repeat < 1:
        parser.error("--cases and --repeat must be at least 1")

    db = BenchDatabase(os.environ.get("DATABASE_URL"), args.cases, args.keep)
    db.prepare(args.cases)
    try:
        setup(db)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT version()"
                if connection.vendor == "postgresql"
                else "SELECT 'SQLite ' || sqlite_version()"
            )
            version = cursor.fetchone()[0]
        from django.utils import timezone

        now = timezone.localtime()
        print(f"{now:%Y-%m-%d %H:%M} ({now.tzname()})  N = {args.cases:,}  database: {version}")
        print(f"Machine: {machine()}")
        users = province(db, args.cases, args.seed, args.years)
        measure(users, args.repeat)
    finally:
        db.finish()


if __name__ == "__main__":
    main()
