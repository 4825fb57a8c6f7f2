"""GUI responsiveness during a big import, and what running it from the GUI costs.

    .venv/bin/python benchmarks/bench_gui_responsiveness.py                # 1,000,000 lines, SQLite
    .venv/bin/python benchmarks/bench_gui_responsiveness.py --lines 200000 --db postgresql://...

In one process, on fresh databases, the same file is imported 1 + 2 x ``--rounds`` times:
  headless   ``service.run_job`` called directly (what ``campaign-desktop import`` does), as reference
  GUI        the main window shown on the jobs list with the job selected (editor following it live),
             the job started through the window's job pool; a 10 ms ``QTimer`` heartbeat records the
             longest gap between two ticks of the event loop
  headless   again after each GUI run; the reference is the mean of all headless runs (shared machines drift)
Targets (issue 4): longest stall < 100 ms; GUI import time <= 1.10x headless. Appended to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.support.files import write_recipients_csv  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HEARTBEAT_MS = 10
OPTIONS = ["advanced.stop_on_rejects=false"]  # one bad line in 1,000: the whole file goes through


def fresh_service(url: str | None, work: Path, name: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from campaign_desktop.services import CampaignService

    if url is None:
        return CampaignService.open(f"sqlite:///{work / (name + '.db')}")
    service = CampaignService.open(url)
    with service.engine.begin() as conn:  # the same empty table for every run
        for table in ("list_members", "subscriptions", "recipients", "job_rejects", "job_journal", "jobs"):
            conn.execute(text(f"DELETE FROM {table}"))
    return service


def headless(csv: Path, url: str | None, work: Path, name: str) -> tuple[float, int]:
    service = fresh_service(url, work, name)
    job_id = service.create_import_job(str(csv), "newImport", options=OPTIONS)
    t = time.perf_counter()
    outcome = service.run_job(job_id)
    elapsed = time.perf_counter() - t
    service.close()
    return elapsed, outcome.counters.processed


def from_gui(csv: Path, url: str | None, work: Path, name: str = "gui") -> tuple[float, int, list[float]]:
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    from campaign_desktop.domain import explorer
    from campaign_desktop.gui.app import CampaignApp, application
    from campaign_desktop.gui.errors import CrashHandler
    from campaign_desktop.gui.explorer.main_window import MainWindow
    from campaign_desktop.gui.settings import GuiSettings

    qapp = application([])
    service = fresh_service(url, work, name)
    job_id = service.create_import_job(str(csv), "newImport", options=OPTIONS)
    app = CampaignApp(service, GuiSettings(work / "settings.ini"), CrashHandler(log_path=work / "crash.log"))
    window = MainWindow(app)
    window.resize(1280, 860)
    window.show()
    window.select_node(explorer.JOBS)
    loop = QEventLoop()
    QTimer.singleShot(500, loop.quit)
    loop.exec()
    window.list_pane.select_key(job_id)

    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    ended: dict[str, float] = {}
    pool = window.jobs.pool
    pool.finished.connect(lambda *_: (ended.setdefault("t", time.perf_counter()), loop.quit()))
    pool.failed.connect(lambda _, exc: (print("failed:", exc), loop.quit()))
    heartbeat.start()
    gui_cpu = time.thread_time()
    start = time.perf_counter()
    window.jobs.start_job(job_id)
    loop.exec()
    heartbeat.stop()
    elapsed = ended.get("t", time.perf_counter()) - start
    print(f"GUI thread CPU during the run: {time.thread_time() - gui_cpu:.2f} s", flush=True)
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    processed = service.jobs.get(job_id).counters.processed
    window.close()
    app.shutdown()
    app.deleteLater()
    del qapp
    return elapsed, processed, gaps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--db", default=None, help="a database URL (default: fresh SQLite files)")
    ap.add_argument("--rounds", type=int, default=1, help="GUI runs, each followed by a headless one")
    args = ap.parse_args()
    heads: list[float] = []
    guis: list[float] = []
    gaps: list[float] = []
    counts: list[int] = []
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as tmp:
        work = Path(tmp)
        csv = write_recipients_csv(work / "recipients.csv", args.lines, bad_every=1000)
        size_mb = csv.stat().st_size / 1e6
        print(f"file: {args.lines:,} lines, {size_mb:.0f} MB", flush=True)
        h, n = headless(csv, args.db, work, "headless0")
        heads.append(h)
        counts.append(n)
        print(f"headless: {h:.2f} s ({n:,} lines)", flush=True)
        for r in range(1, args.rounds + 1):
            g, n, run_gaps = from_gui(csv, args.db, work, f"gui{r}")
            guis.append(g)
            gaps.extend(run_gaps)
            counts.append(n)
            print(f"GUI: {g:.2f} s ({n:,} lines), longest gap {max(run_gaps) * 1000:.0f} ms", flush=True)
            h, n = headless(csv, args.db, work, f"headless{r}")
            heads.append(h)
            counts.append(n)
            print(f"headless: {h:.2f} s", flush=True)
    reference = statistics.mean(heads)
    gui = statistics.mean(guis)
    ratio = gui / reference
    longest = max(gaps) * 1000 if gaps else float("nan")
    p99 = statistics.quantiles(gaps, n=100)[98] * 1000 if len(gaps) > 100 else float("nan")
    over = sum(1 for x in gaps if x > 0.1)
    backend = "SQLite" if args.db is None else "PostgreSQL" if args.db.startswith("postgres") else args.db
    load = os.getloadavg()[0]
    lines = [
        "",
        f"## bench_gui_responsiveness — {datetime.datetime.now():%Y-%m-%d %H:%M}",
        f"`python benchmarks/bench_gui_responsiveness.py --lines {args.lines} --rounds {args.rounds}` — {backend}, "
        f"{os.cpu_count()} cores (load average {load:.1f} at the end), file {size_mb:.0f} MB "
        "(one bad email every 1,000 lines)",
        "| run | time | figure |",
        "|---|---|---|",
        f"| headless run_job × {len(heads)} | {', '.join(f'{x:.2f}' for x in heads)} s | "
        f"reference = mean {reference:.2f} s |",
        f"| from the GUI job pool × {len(guis)} | {', '.join(f'{x:.2f}' for x in guis)} s | "
        f"mean {gui:.2f} s = **{ratio:.2f}× headless** (target ≤ 1.10) |",
        f"| event loop, 10 ms heartbeat | {len(gaps):,} ticks | longest gap **{longest:.0f} ms** "
        f"(target < 100), p99 {p99:.0f} ms, {over} gap(s) > 100 ms |",
    ]
    print("\n".join(lines))
    assert all(n == args.lines for n in counts), "every run must import every line"
    with open(RESULTS, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
