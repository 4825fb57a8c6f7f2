"""Import speed and memory, as ratios against reference runs made in the same script.

    .venv/bin/python benchmarks/bench_import.py                 # 1,000,000 lines, SQLite + PostgreSQL
    .venv/bin/python benchmarks/bench_import.py --lines 200000 --no-pg --no-pandas
    .venv/bin/python benchmarks/bench_import.py --memory-lines 5000000   # the 1M -> 5M memory growth check

Measured (each in its own process, so peak RSS is that run's own):
  floor      sqlite3 CLI `.import --csv` into a table with a unique index on email
  pandas     pandas.read_csv(dtype=str) + DataFrame.to_sql into the same kind of table
  ours       `campaign-desktop import` (update or insert on email, with validation), fresh database
  ours again the same file a second time (every line matches: the all-updates case)
  PostgreSQL psycopg COPY into a table with a unique index, against ours on PostgreSQL
The SQLite runs go in rounds (``--rounds``, 3 by default: floor, ours, ours again, pandas, in turn) and
each measure is the median of its runs: a single run of each moved the pandas ratio by +-15% from one
minute to the next on a shared machine.
Each row also shows the CPU time of the run and its child processes (ours reads the file in a
second process), and the table header the load average: on shared machines the wall times
move with the load, the CPU times much less.
Targets (issue 3): ours <= 4x floor, faster than pandas, again <= 1.5x ours, peak RSS < 400 MB,
growing < 20% from 1M to 5M lines. Results are appended to benchmarks/RESULTS.md.
"""
# ruff: noqa: E501  (the embedded reference scripts keep their SQL on one line)

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.files import write_recipients_csv  # noqa: E402

PY = sys.executable
RESULTS = ROOT / "benchmarks" / "RESULTS.md"


CPU: dict[float, float] = {}  # wall time of a run -> its CPU time (with its own child processes)


def timed(cmd: list[str], **kw) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one child process (its CPU time goes to ``CPU``)."""
    t = time.perf_counter()
    before = os.times()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    sampler = TreeRss(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    sampler.stop()
    after = os.times()
    # wait4 reports the process itself; its own children (our reader) show in the caller's totals.
    CPU[elapsed] = usage.ru_utime + usage.ru_stime + max(
        0.0, (after.children_user - before.children_user) + (after.children_system - before.children_system)
        - usage.ru_utime - usage.ru_stime)
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0,):
        raise SystemExit(f"{cmd[:4]} failed ({code}): {err[-2000:]}")
    # Our import runs in two processes at once: its peak is the largest sum seen, not either alone.
    return elapsed, max(usage.ru_maxrss / 1024, sampler.peak_mb)


class TreeRss:
    """Samples the resident memory of a process and all its descendants (Linux /proc), every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        try:
            kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return [pid]
        return [pid, *(p for k in kids for p in self._tree(int(k)))]

    def _run(self) -> None:
        while not self._done.wait(0.05):
            total = 0
            for pid in self._tree(self.pid):
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                except OSError:
                    pass
            self.peak_mb = max(self.peak_mb, total / 1024)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def cpu(wall: float) -> str:
    return f"{CPU.get(wall, 0.0):.1f} s"


def floor_sqlite(csv_path: Path, work: Path) -> tuple[float, float]:
    db = work / "floor.db"
    sql = ("CREATE TABLE r(email TEXT, first_name TEXT, last_name TEXT, birth_date TEXT, gender TEXT, "
           "account TEXT, city TEXT, phone TEXT); CREATE UNIQUE INDEX u ON r(email);")
    subprocess.run(["sqlite3", str(db), sql], check=True)
    return timed(["sqlite3", str(db), f".import --csv --skip 1 {csv_path} r"])


PANDAS_SCRIPT = """
import sqlite3, sys, pandas as pd
con = sqlite3.connect(sys.argv[2])
con.execute("CREATE TABLE r(email TEXT, first_name TEXT, last_name TEXT, birth_date TEXT, gender TEXT, account TEXT, city TEXT, phone TEXT)")
con.execute("CREATE UNIQUE INDEX u ON r(email)")
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
df = df.drop_duplicates("email")
df.to_sql("r", con, if_exists="append", index=False, chunksize=10000)
con.commit()
"""


def pandas_sqlite(csv_path: Path, work: Path) -> tuple[float, float]:
    return timed([PY, "-c", PANDAS_SCRIPT, str(csv_path), str(work / "pandas.db")])


def ours(csv_path: Path, url: str) -> tuple[float, float]:
    # The file has 1,000 bad lines on purpose: don't stop at the default 100 rejects.
    return timed([PY, "-m", "campaign_desktop.cli.main", "--db", url, "import", str(csv_path),
                  "--option", "advanced.stop_on_rejects=false"], cwd=ROOT)


def prepare_db(url: str) -> None:
    subprocess.run([PY, "-m", "campaign_desktop.cli.main", "--db", url, "db", "upgrade"], check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


COPY_SCRIPT = """
import sys, psycopg
with psycopg.connect(sys.argv[2], autocommit=True) as c:
    c.execute("CREATE TABLE IF NOT EXISTS r(email TEXT, first_name TEXT, last_name TEXT, birth_date TEXT, gender TEXT, account TEXT, city TEXT, phone TEXT)")
    c.execute("CREATE UNIQUE INDEX IF NOT EXISTS u ON r(email)")
    with c.cursor() as cur, open(sys.argv[1], "rb") as f:
        with cur.copy("COPY r FROM STDIN WITH (FORMAT csv, HEADER true)") as cp:
            while chunk := f.read(1 << 20):
                cp.write(chunk)
"""


def record(lines: list[str]) -> None:
    with open(RESULTS, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n\n")


def blank_values(path: Path, share: float) -> None:
    """Blank ``share`` of the optional values (real files have holes), the same ones on every run."""
    import csv
    import random

    rng = random.Random(7)
    tmp = path.with_suffix(".tmp")
    with open(path, newline="", encoding="utf-8") as src, open(tmp, "w", newline="", encoding="utf-8") as dst:
        reader, writer = csv.reader(src), csv.writer(dst, lineterminator="\n")
        writer.writerow(next(reader))
        for row in reader:
            for i in (1, 3, 5, 6, 7):  # first name, birth date, account, city, phone
                if i < len(row) and rng.random() < share:
                    row[i] = ""
            writer.writerow(row)
    tmp.replace(path)


def one_round(csv_path: Path, work: Path, k: int, with_pandas: bool) -> dict[str, tuple[float, float]]:
    """Floor, ours on a fresh database, ours again, pandas: one after the other, each on its own database."""
    folder = work / f"round{k}"
    folder.mkdir()
    try:
        got = {"floor": floor_sqlite(csv_path, folder)}
        url = f"sqlite:///{folder / 'ours.db'}"
        prepare_db(url)
        got["ours"] = ours(csv_path, url)
        got["again"] = ours(csv_path, url)
        if with_pandas:
            got["pandas"] = pandas_sqlite(csv_path, folder)
        return got
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def median(rounds: list[dict[str, tuple[float, float]]], key: str) -> tuple[float, float]:
    """The (time, peak RSS) of the run of median time among the rounds (the machines are noisy)."""
    runs = sorted(r[key] for r in rounds)
    return runs[(len(runs) - 1) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--memory-lines", type=int, default=0, help="also import this many lines to check memory growth")
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--no-pandas", action="store_true")
    ap.add_argument("--no-record", action="store_true")
    ap.add_argument("--rounds", type=int, default=3, help="SQLite runs of each kind, in turn; the medians count")
    ap.add_argument("--blank-share", type=float, default=0.0,
                    help="blank this share of the first names, birth dates, accounts, cities and phones")
    args = ap.parse_args()
    # As installed: pip compiles a package's bytecode (packaging/install.sh does for the editable install),
    # pandas' included. Without it, under PYTHONDONTWRITEBYTECODE, every run of ours would first compile
    # its own modules again, in both its processes.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "campaign_desktop")], check=True,
                   stdout=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="cd-bench-"))
    out: list[str] = [f"## bench_import — {datetime.datetime.now():%Y-%m-%d %H:%M}",
                      f"`{' '.join(['python', *sys.argv])}` — {args.lines:,} lines, {os.cpu_count()} cores, "
                      f"load average at start {os.getloadavg()[0]:.1f}"]
    try:
        csv_path = write_recipients_csv(work / "recipients.csv", args.lines, bad_every=1000)
        if args.blank_share:
            blank_values(csv_path, args.blank_share)
        out.append(f"file: {csv_path.stat().st_size / 1e6:.0f} MB, one bad email every 1,000 lines"
                   + (f", {args.blank_share:.0%} of the optional values blank" if args.blank_share else ""))
        rounds = [one_round(csv_path, work, k, not args.no_pandas) for k in range(max(1, args.rounds))]
        (floor_t, floor_m), (ours_t, ours_m), (again_t, again_m) = (median(rounds, key) for key in
                                                                    ("floor", "ours", "again"))
        if len(rounds) > 1:
            out.append(f"{len(rounds)} rounds (floor, ours, ours again, pandas in turn); each row is the median "
                       "round's run, the ratios are of medians")
        out += [
            "| run | time | ratio | peak RSS | CPU |", "|---|---|---|---|---|",
            f"| sqlite3 .import (floor) | {floor_t:.2f} s | 1.00 | {floor_m:.0f} MB | {cpu(floor_t)} |",
            f"| ours, first import | {ours_t:.2f} s | **{ours_t / floor_t:.2f}× floor** (target ≤ 4) "
            f"| {ours_m:.0f} MB | {cpu(ours_t)} |",
            f"| ours, same file again | {again_t:.2f} s | **{again_t / ours_t:.2f}× first** (target ≤ 1.5) "
            f"| {again_m:.0f} MB | {cpu(again_t)} |",
        ]
        if not args.no_pandas:
            pd_t, pd_m = median(rounds, "pandas")
            each = ", ".join(f"{r['pandas'][0] / r['ours'][0]:.2f}" for r in rounds)
            out.append(f"| pandas read_csv + to_sql | {pd_t:.2f} s | ours is **{pd_t / ours_t:.2f}× faster** "
                       f"(target > 1){f'; round by round {each}' if len(rounds) > 1 else ''} | {pd_m:.0f} MB "
                       f"| {cpu(pd_t)} |")
        if args.memory_lines:
            big = write_recipients_csv(work / "big.csv", args.memory_lines, bad_every=1000)
            url2 = f"sqlite:///{work / 'big.db'}"
            prepare_db(url2)
            big_t, big_m = ours(big, url2)
            out.append(f"| ours, {args.memory_lines:,} lines | {big_t:.2f} s | memory growth "
                       f"**{(big_m / ours_m - 1) * 100:+.0f}%** from {args.lines:,} (target < 20%) | {big_m:.0f} MB "
                       f"| {cpu(big_t)} |")
        if not args.no_pg:
            from tests.support.postgres import ThrowawayCluster, find_pg_bin

            if find_pg_bin() is None:
                out.append("PostgreSQL: skipped (no server binaries)")
            else:
                cluster = ThrowawayCluster().start()
                try:
                    cluster.admin_execute("CREATE DATABASE floor")
                    cluster.admin_execute("CREATE DATABASE ours")
                    copy_t, copy_m = timed([PY, "-c", COPY_SCRIPT, str(csv_path),
                                            cluster.url("floor").replace("+psycopg", "")])
                    prepare_db(cluster.url("ours"))
                    pg_t, pg_m = ours(csv_path, cluster.url("ours"))
                    pg2_t, _ = ours(csv_path, cluster.url("ours"))
                    out += [
                        f"| PostgreSQL COPY (floor) | {copy_t:.2f} s | 1.00 | {copy_m:.0f} MB | {cpu(copy_t)} |",
                        f"| ours on PostgreSQL | {pg_t:.2f} s | **{pg_t / copy_t:.2f}× COPY** | {pg_m:.0f} MB "
                        f"| {cpu(pg_t)} |",
                        f"| ours on PostgreSQL, again | {pg2_t:.2f} s | {pg2_t / pg_t:.2f}× first | | {cpu(pg2_t)} |",
                    ]
                finally:
                    cluster.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out.append(f"load average at the end {os.getloadavg()[0]:.1f}; CPU = client process + its children "
               "(the database server's own CPU is not counted for PostgreSQL)")
    print("\n".join(out))
    if not args.no_record:
        record(out)


if __name__ == "__main__":
    main()
