"""Stress: SIGKILL a 200,000-line import at random points 20 times, resuming each time (issue 8).

    .venv/bin/python benchmarks/stress_kill_resume.py                   # SQLite and PostgreSQL
    .venv/bin/python benchmarks/stress_kill_resume.py --kills 5 --lines 50000 --no-pg

After every kill: recipients == the job's committed inserts, processed == inserted + rejected, the
status still says running (the next start marks it Interrupted). At the end the recipients must equal
those of an uninterrupted run of the same file. The figures go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from campaign_desktop.services import CampaignService  # noqa: E402
from campaign_desktop.storage.database import create_db_engine  # noqa: E402
from tests.support.files import write_recipients_csv  # noqa: E402
from tests.support.kill_loop import kill_and_resume  # noqa: E402
from tests.support.postgres import ThrowawayCluster, find_pg_bin  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
BATCH = 1000


def state(url: str) -> list[tuple]:
    service = CampaignService(create_db_engine(url))
    try:
        with service.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT email, first_name, last_name, birth_date, account FROM recipients")
            return sorted(tuple(str(v) for v in r) for r in rows)
    finally:
        service.close()


def run(url: str, source: Path, kills: int, options: list[str]) -> tuple[str, dict]:
    service = CampaignService(create_db_engine(url))
    job_id = service.create_import_job(str(source), options=options)
    service.close()
    started = time.monotonic()
    report = kill_and_resume(url, job_id, kills, batch_lines=BATCH, max_delay_s=0.25)
    service = CampaignService(create_db_engine(url))
    job = service.jobs.get(job_id)
    service.close()
    return job.status.value, {"kills": report.kills, "checks": report.checks, "resumes": report.resumes,
                              "problems": report.problems, "processed": job.counters.processed,
                              "inserted": job.counters.inserted, "rejected": job.counters.rejected,
                              "seconds": time.monotonic() - started}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=200_000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--no-pg", action="store_true")
    args = ap.parse_args()
    options = [f"advanced.batch_size={BATCH}", "advanced.stop_on_rejects=false"]
    out = [f"\n## stress_kill_resume — {datetime.datetime.now():%Y-%m-%d %H:%M}",
           f"`python benchmarks/stress_kill_resume.py --lines {args.lines} --kills {args.kills}"
           f"{' --no-pg' if args.no_pg else ''}`", "| backend | kills survived | consistency checks | resumes | "
           "final status | lines | inserted | rejected | equal to an uninterrupted run | problems | time |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        source = write_recipients_csv(tmp / "stress.csv", args.lines, bad_every=1000)
        reference_url = f"sqlite:///{tmp / 'reference.db'}"
        ref = CampaignService(create_db_engine(reference_url))
        ref.run_job(ref.create_import_job(str(source), options=options))
        ref.close()
        expected = state(reference_url)
        backends = [("SQLite", f"sqlite:///{tmp / 'stress.db'}", None)]
        cluster = None
        if not args.no_pg and find_pg_bin() is not None:
            cluster = ThrowawayCluster().start()
            cluster.admin_execute("CREATE DATABASE stress")
            backends.append(("PostgreSQL", cluster.url("stress"), cluster))
        try:
            lost = 0
            for name, url, _ in backends:
                status, r = run(url, source, args.kills, options)
                equal = state(url) == expected
                lost += 0 if equal else 1
                line = (f"| {name} | {r['kills']} | {r['checks']} | {r['resumes']} | {status} | {r['processed']:,} | "
                        f"{r['inserted']:,} | {r['rejected']:,} | {'yes' if equal else '**NO**'} | "
                        f"{len(r['problems'])} | {r['seconds']:.0f} s |")
                print(line, *r["problems"], sep="\n", flush=True)
                out.append(line)
        finally:
            if cluster is not None:
                cluster.stop()
    with open(RESULTS, "a", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    print("\n".join(out))
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
