"""Recipients view speed on a generated 1,000,000-recipient database, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_views.py                      # 1,000,000 recipients, both backends
    .venv/bin/python benchmarks/bench_views.py --rows 200000 --no-pg
    .venv/bin/python benchmarks/bench_views.py --keep /tmp/views-1m.db   # reuse the SQLite file next time

Measured (median of --repeat runs, milliseconds):
  reference      a raw ``SELECT <the 9 columns> FROM recipients LIMIT 200`` on the same connection
  first rows     the Recipients page opened: RecipientsModel.reload() until 200 rows are in the model
                 (worker thread, queued signal, a real QTableView offscreen) -- target < 300 ms
  count          the background count that fills "200 / 1,000,000"
  email prefix   the quick search, Email field, first page (core query) -- target < 100 ms
  any prefix     the quick search over email, last name and account (the default field)
  search in GUI  typing a prefix in the page until its rows are in the model
  sort last name first page by last name, ascending and descending -- target < 1 s
  deep page      the 50th consecutive page (rows 9,800-10,000) by last name: keyset, not OFFSET
Every figure is also given as a ratio to the reference. Results are appended to benchmarks/RESULTS.md.
PostgreSQL runs in a throwaway cluster (tests/support/postgres.py) when initdb/pg_ctl are installed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import Engine, insert, text  # noqa: E402

from campaign_desktop.storage.database import create_db_engine  # noqa: E402
from campaign_desktop.storage.recipient_query import (  # noqa: E402
    RecipientFilter,
    SearchField,
    count_query,
    read_page,
)
from campaign_desktop.storage.schema import recipients  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
COLUMNS = ["email", "first_name", "last_name", "account", "city", "blacklist", "blacklist_email", "created",
           "last_modified"]
SYLLABLES = ["ma", "ri", "du", "pon", "le", "ro", "ber", "tin", "gar", "cia", "mo", "reau", "fa", "ure", "lam",
             "bert", "sch", "midt", "ko", "wal", "ski", "van", "der", "berg", "li", "ang", "ng", "uy", "en", "o"]
CITIES = [f"City{n:03d}" for n in range(300)]


def generate(n: int) -> Iterator[tuple]:
    """Realistic-looking recipients: 50,000-ish last names, mixed case, 2% without a last name."""
    rnd = random.Random(42)
    base = datetime.datetime(2020, 1, 1)
    for i in range(n):
        first = "".join(rnd.choice(SYLLABLES) for _ in range(2)).capitalize()
        last = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3)))
        last = last.upper() if i % 10 == 0 else last.capitalize()
        stamp = base + datetime.timedelta(seconds=i * 37)
        yield (f"{first.lower()}.{last.lower()}{i}@example{i % 50}.com", first, None if i % 50 == 7 else last,
               f"A{i:08d}", CITIES[i % 300], i % 997 == 0, i % 113 == 0, stamp, stamp)


def load_sqlite(engine: Engine, n: int) -> None:
    with engine.begin() as conn:
        batch: list[dict] = []
        for row in generate(n):
            batch.append(dict(zip(COLUMNS, row, strict=True)))
            if len(batch) == 20_000:
                conn.execute(insert(recipients), batch)
                batch = []
        if batch:
            conn.execute(insert(recipients), batch)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def load_postgresql(engine: Engine, n: int) -> None:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy(f"COPY recipients ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in generate(n):
                copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE recipients")


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm the cache: every figure is a warm one, like a user's second look
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def gui_ms(engine: Engine, repeat: int, workdir: Path) -> tuple[float, float]:
    """Opening the page until 200 rows are in; typing a search until its rows are in."""
    from PySide6.QtWidgets import QApplication

    from campaign_desktop.gui.app import CampaignApp, application
    from campaign_desktop.gui.errors import CrashHandler
    from campaign_desktop.gui.explorer.recipients_page import RecipientsPage
    from campaign_desktop.gui.settings import GuiSettings
    from campaign_desktop.services import CampaignService

    application()
    app = CampaignApp(CampaignService(engine), GuiSettings(workdir / "settings.ini"),
                      CrashHandler(log_path=workdir / "crash.log"))
    page = RecipientsPage(app)
    page.resize(1000, 700)
    page.show()

    def until(cond: Callable[[], bool]) -> None:
        while not cond():
            QApplication.processEvents()
            time.sleep(0.0005)

    def open_page() -> None:
        page.model.reload()
        until(lambda: page.model.rowCount() >= 200)

    def search() -> None:
        page.search.setText("mari")
        page.apply_search()
        until(lambda: not page.model.loading and page.model.rowCount() > 0)
        page.search.setText("")
        page.apply_search()
        until(lambda: page.model.rowCount() >= 200)

    first = median_ms(open_page, repeat)
    both = median_ms(search, repeat)
    app.runner.wait_for_idle()
    page.close()
    page.deleteLater()
    return first, both - first  # the search alone (the way back is one more "open")


def measure(engine: Engine, repeat: int, workdir: Path) -> list[tuple[str, float]]:
    cols = ", ".join(["id", *COLUMNS])
    out: list[tuple[str, float]] = []
    with engine.connect() as conn:
        out.append(("reference: raw SELECT … LIMIT 200",
                    median_ms(lambda: conn.execute(text(f"SELECT {cols} FROM recipients LIMIT 200")).all(), repeat)))
        out.append(("first page, core query", median_ms(lambda: read_page(conn, RecipientFilter()), repeat)))
        out.append(("count (background)", median_ms(
            lambda: conn.execute(count_query(RecipientFilter())).scalar(), max(1, repeat // 2))))
        out.append(("email prefix 'mari' (first page)",
                    median_ms(lambda: read_page(conn, RecipientFilter("mari", SearchField.EMAIL)), repeat)))
        rober = RecipientFilter("rober", SearchField.EMAIL)
        out.append(("email prefix 'rober': first page + its count", median_ms(lambda: (
            read_page(conn, rober), conn.execute(count_query(rober)).scalar()), repeat)))
        out.append(("any field prefix 'dupon' (first page)",
                    median_ms(lambda: read_page(conn, RecipientFilter("dupon")), repeat)))
        out.append(("sort by last name, first page", median_ms(lambda: read_page(conn, RecipientFilter(), "last_name"),
                                                               repeat)))
        out.append(("sort by last name desc, first page",
                    median_ms(lambda: read_page(conn, RecipientFilter(), "last_name", True), repeat)))

        def deep() -> None:
            page = read_page(conn, RecipientFilter(), "last_name")
            for _ in range(49):
                page = read_page(conn, RecipientFilter(), "last_name", cursor=page.next)

        out.append(("50 pages by last name (10,000 rows), per page", median_ms(deep, max(1, repeat // 2)) / 50))
    first, search = gui_ms(engine, repeat, workdir)
    out.insert(2, ("GUI: page opened, 200 rows in the model", first))
    out.append(("GUI: typed 'mari', rows in the model", search))
    return out


def report(title: str, rows: list[tuple[str, float]], n: int) -> str:
    ref = rows[0][1]
    lines = [f"\n### {title} — {n:,} recipients", "| measure | median | × reference |", "|---|---|---|"]
    lines += [f"| {name} | {ms:.1f} ms | {ms / ref:.1f} |" for name, ms in rows]
    text_out = "\n".join(lines)
    print(text_out, flush=True)
    return text_out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--keep", type=Path, help="SQLite file to reuse (created if missing)")
    ap.add_argument("--no-record", action="store_true", help="print only; leave RESULTS.md alone")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-views-"))
    sections = []

    db = args.keep or work / "views.db"
    engine = create_db_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM recipients")).scalar()
    if have != args.rows:
        t = time.perf_counter()
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM recipients")
        load_sqlite(engine, args.rows)
        print(f"SQLite: generated {args.rows:,} recipients in {time.perf_counter() - t:.0f} s", flush=True)
    sections.append(report("SQLite", measure(engine, args.repeat, work), args.rows))
    engine.dispose()

    if not args.no_pg:
        from tests.support.postgres import ThrowawayCluster, find_pg_bin

        if find_pg_bin() is None:
            print("PostgreSQL skipped: no initdb/pg_ctl here", flush=True)
        else:
            cluster = ThrowawayCluster().start()
            try:
                cluster.admin_execute("CREATE DATABASE views")
                engine = create_db_engine(cluster.url("views"))
                t = time.perf_counter()
                load_postgresql(engine, args.rows)
                print(f"PostgreSQL: generated {args.rows:,} recipients in {time.perf_counter() - t:.0f} s", flush=True)
                sections.append(report("PostgreSQL", measure(engine, args.repeat, work), args.rows))
                engine.dispose()
            finally:
                cluster.stop()

    if args.no_record:
        return 0
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    cmd = "python benchmarks/bench_views.py " + " ".join(argv if argv is not None else sys.argv[1:])
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(f"\n## bench_views — {stamp}\n`{cmd.strip()}` — {os.cpu_count()} cores, warm cache, "
                f"median of {args.repeat}\n" + "\n".join(sections) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
