"""Export speed and memory, as ratios against reference runs made in the same script.

    .venv/bin/python benchmarks/bench_export.py                      # 1,000,000 recipients; xlsx on 100,000
    .venv/bin/python benchmarks/bench_export.py --rows 200000 --xlsx-rows 50000 --no-pandas

Measured (each in its own process, so peak RSS is that run's own):
  floor    `sqlite3 -csv -header db "SELECT ..."` (CSV floor; Python sqlite3 + csv.writer when the binary is missing)
  pandas   pandas.read_sql(...) then .to_csv / .to_excel(engine="openpyxl")
  ours     `campaign-desktop export` (a job: count, stream, escape formulas, temp file + rename, journal)
The same nine columns and the same order (by id) everywhere. Targets (issue 6): CSV <= 3x floor and faster than
pandas; xlsx at least as fast as pandas; peak RSS < 300 MB. Results are appended to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.files import recipient_row  # noqa: E402

PY = sys.executable
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
COLUMNS = ["id", "email", "first_name", "last_name", "birth_date", "gender", "account", "city", "phone"]
SELECT = f"SELECT {', '.join(COLUMNS)} FROM recipients ORDER BY id"


def timed(cmd: list[str], stdout_path: Path | None = None) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one child process."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:4]} failed: {err[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def make_database(db: Path, rows: int) -> None:
    """A migrated database holding ``rows`` recipients, inserted with executemany (not through the import)."""
    from campaign_desktop.storage.database import create_db_engine

    create_db_engine(f"sqlite:///{db}").dispose()
    rng = random.Random(1)
    stamp = datetime.datetime(2026, 1, 1, 12, 0, 0).strftime("%Y-%m-%d %H:%M:%S.%f")
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous=OFF")
    sql = ("INSERT INTO recipients (email, first_name, last_name, birth_date, gender, account, city, phone, "
           "blacklist, blacklist_email, blacklist_mobile, blacklist_phone, blacklist_fax, blacklist_postal_mail, "
           "created, last_modified) VALUES (?,?,?,?,?,?,?,?,0,0,0,0,0,0,?,?)")
    chunk = 50_000
    for start in range(0, rows, chunk):
        batch = []
        for i in range(start, min(rows, start + chunk)):
            r = recipient_row(i, rng)
            batch.append((r[0], r[1], r[2], r[3], int(r[4]), r[5], r[6], r[7], stamp, stamp))
        con.executemany(sql, batch)
    con.commit()
    con.close()


FLOOR_PY = """
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
cur = con.execute(sys.argv[3])
with open(sys.argv[2], "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow([d[0] for d in cur.description])
    while rows := cur.fetchmany(10000):
        w.writerows(rows)
"""

PANDAS = """
import sqlite3, sys, pandas as pd
df = pd.read_sql(sys.argv[3], sqlite3.connect(sys.argv[1]))
if sys.argv[2].endswith(".xlsx"):
    df.to_excel(sys.argv[2], index=False, engine="openpyxl")
else:
    df.to_csv(sys.argv[2], index=False)
"""


def ours(db: Path, out: Path, limit: int = 0) -> tuple[float, float]:
    columns = json.dumps([{"expression": c, "label": c, "enum_labels": False} for c in COLUMNS])
    cmd = [PY, "-m", "campaign_desktop.cli.main", "--db", f"sqlite:///{db}", "export", str(out),
           "--option", f"columns={columns}", "--option", "advanced.batch_size=10000"]
    if limit:
        cmd += ["--option", f"line_limit={limit}"]
    # The previous run's file is removed untimed, as the floor's is truncated before its clock starts:
    # otherwise our atomic rename would pay for freeing the old file's blocks.
    out.unlink(missing_ok=True)
    return timed(cmd)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--xlsx-rows", type=int, default=100_000, help="rows for the .xlsx runs (pandas builds the "
                    "whole workbook in memory: 1M rows does not fit on a small machine)")
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the floor and of our CSV export; the best "
                    "is kept (the shared machine is noisy)")
    ap.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md (trial runs)")
    ap.add_argument("--keep", help="reuse/keep the generated database at this path")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    db = Path(args.keep) if args.keep else work / "campaign.db"
    try:
        if not db.exists():
            t = time.perf_counter()
            make_database(db, args.rows)
            print(f"generated {args.rows:,} recipients in {time.perf_counter() - t:.1f} s", flush=True)
        lines = [f"\n## bench_export — {datetime.datetime.now():%Y-%m-%d %H:%M}",
                 f"`python benchmarks/bench_export.py --rows {args.rows} --xlsx-rows {args.xlsx_rows}` — "
                 f"{args.rows:,} recipients in SQLite, {os.cpu_count()} cores, 9 columns ordered by id, "
                 f"load average at start {os.getloadavg()[0]:.2f}",
                 "| run | time | ratio | peak RSS |", "|---|---|---|---|"]

        def row(label: str, t: float, ratio: str, mb: float) -> None:
            lines.append(f"| {label} | {t:.2f} s | {ratio} | {mb:.0f} MB |")
            print(lines[-1], flush=True)

        def best(run) -> tuple[float, float]:  # type: ignore[no-untyped-def]
            results = [run() for _ in range(max(1, args.repeat))]
            return min(r[0] for r in results), max(r[1] for r in results)

        if shutil.which("sqlite3"):
            floor_t, floor_m = best(lambda: timed(["sqlite3", "-csv", "-header", str(db), SELECT],
                                                  stdout_path=work / "floor.csv"))
            floor_label = "sqlite3 -csv (floor)"
        else:
            floor_t, floor_m = best(lambda: timed([PY, "-c", FLOOR_PY, str(db), str(work / "floor.csv"), SELECT]))
            floor_label = "Python sqlite3 + csv.writer (floor: no sqlite3 binary here)"
        row(f"{floor_label}, best of {args.repeat}", floor_t, "1.00", floor_m)
        ours_t, ours_m = best(lambda: ours(db, work / "ours.csv"))
        row(f"ours, CSV, best of {args.repeat}", ours_t, f"**{ours_t / floor_t:.2f}× floor** (target ≤ 3)", ours_m)
        if not args.no_pandas:
            pd_t, pd_m = timed([PY, "-c", PANDAS, str(db), str(work / "pandas.csv"), SELECT])
            row("pandas read_sql + to_csv", pd_t, f"ours is **{pd_t / ours_t:.2f}× faster** (target > 1)", pd_m)
        n = min(args.xlsx_rows, args.rows)
        ox_t, ox_m = ours(db, work / "ours.xlsx", limit=n)
        row(f"ours, .xlsx, {n:,} rows", ox_t, f"{n / ox_t:,.0f} rows/s", ox_m)
        if not args.no_pandas:
            px_t, px_m = timed([PY, "-c", PANDAS, str(db), str(work / "pandas.xlsx"), f"{SELECT} LIMIT {n}"])
            row(f"pandas read_sql + to_excel(openpyxl), {n:,} rows", px_t,
                f"ours is **{px_t / ox_t:.2f}× faster** (target ≥ 1)", px_m)
        if args.no_record:
            return
        lines.append(f"load average at the end {os.getloadavg()[0]:.2f} (2 shared cores: other work running "
                     "beside the benchmark slows our two processes more than the one-process floor)")
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the outputs (a kept database lives at its own path)


if __name__ == "__main__":
    main()
