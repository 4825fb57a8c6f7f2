"""``import FILE`` and ``jobs list|show|rejects|resume``: running imports headless."""

from __future__ import annotations

import argparse
from typing import Any

from campaign_desktop.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_STOPPED, open_service, print_table
from campaign_desktop.cli.progress_bar import TerminalProgress
from campaign_desktop.domain.job import Counters, JobStatus, format_duration


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import a file of recipients (default template: New text import)")
    p.add_argument("file")
    p.add_argument("--template", default="newImport", help="import template: internal name, label or id")
    p.add_argument("--dry-run", action="store_true",
                   help="test: compute everything, write nothing, print the same counters")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="override a template setting, e.g. reconciliation.operation=insert (repeatable)")
    p.add_argument("--rejects", metavar="OUT", help="also write the rejected lines to this file")
    p.add_argument("--label", help="label of the job (default: '<template>: <file name>')")
    p.set_defaults(handler=_import)

    j = sub.add_parser("jobs", help="import and export jobs: list, show, rejects, resume")
    jsub = j.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    jl = jsub.add_parser("list", help="list the jobs, newest first")
    jl.set_defaults(handler=_list)
    js = jsub.add_parser("show", help="a job's status, counters and journal")
    js.add_argument("id", type=int)
    js.set_defaults(handler=_show)
    jr = jsub.add_parser("rejects", help="write a job's rejected lines to a file that can be fixed and re-imported")
    jr.add_argument("id", type=int)
    jr.add_argument("--out", required=True)
    jr.set_defaults(handler=_rejects)
    jres = jsub.add_parser("resume", help="continue a paused or interrupted job after its last saved batch")
    jres.add_argument("id", type=int)
    jres.set_defaults(handler=_resume)


def _run(service, job_id: int, resume: bool, rejects_out: str | None = None,  # type: ignore[no-untyped-def]
         reader: Any = None) -> int:
    bar = TerminalProgress()
    try:
        outcome = service.run_job(job_id, progress=bar, resume=resume, reader=reader)
    finally:
        bar.close()
    print_summary(job_id, outcome.status, outcome.counters, outcome.message)
    if rejects_out and outcome.counters.rejected:
        n = service.export_rejects(job_id, rejects_out)
        print(f"{n:,} rejected line(s) written to {rejects_out}")
    if outcome.bad_input:
        import sys

        print(f"campaign-desktop: {outcome.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if outcome.status in (JobStatus.FINISHED,):
        return EXIT_OK
    return EXIT_STOPPED if outcome.status in (JobStatus.CANCELLED, JobStatus.PAUSED) or \
        outcome.message.startswith("Stopped") else 1


def print_summary(job_id: int, status: JobStatus, c: Counters, message: str) -> None:
    print(f"Job {job_id}: {status.label}")
    if message:
        print(f"  {message}")
    print(f"  Total {c.total:,}  Processed {c.processed:,}  Success {c.success:,}  Empty {c.empty:,}  "
          f"Errors {c.errors:,}  Warnings {c.warnings:,}  Rejects {c.rejected:,}  Doubles {c.doubles:,}  "
          f"Duplicates {c.duplicates:,}")
    print(f"  Inserted {c.inserted:,}  Updated {c.updated:,}  Deleted {c.deleted:,}  Ignored {c.ignored:,}"
          f" (unchanged {c.unchanged:,})  Rejected {c.rejected:,}")


def _import(args: argparse.Namespace) -> int:
    service = open_service(args)
    job_id = service.create_import_job(args.file, args.template, options=args.option, dry_run=args.dry_run,
                                       label=args.label)
    return _run(service, job_id, resume=False, rejects_out=args.rejects, reader=getattr(args, "early_reader", None))


def _resume(args: argparse.Namespace) -> int:
    return _run(open_service(args), args.id, resume=True)


def _list(args: argparse.Namespace) -> int:
    service = open_service(args)
    rows = [
        (j.id, j.status.label, j.label, j.kind.value.capitalize(),
         j.started_at.strftime("%Y-%m-%d %H:%M:%S") if j.started_at else "",
         j.ended_at.strftime("%Y-%m-%d %H:%M:%S") if j.ended_at else "", format_duration(j.duration_s),
         f"{j.counters.processed:,}", f"{j.counters.rejected:,}")
        for j in service.jobs.list()
    ]
    print_table(["Id", "Status", "Label", "Job type", "Start date", "End date", "Duration", "Processed",
                 "Rejects"], rows)
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    service = open_service(args)
    j = service.jobs.get(args.id)
    print(f"Batch job '{j.label}' ({j.kind.value}, template '{j.template.label}')")
    print(f"  File: {j.source_path}")
    print(f"  Start: {j.started_at or ''}  End: {j.ended_at or ''}  Duration: {format_duration(j.duration_s)}"
          + ("  (test run)" if j.dry_run else ""))
    print_summary(j.id, j.status, j.counters, j.message)
    print("Journal:")
    for _, e in service.jobs.journal(j.id):
        print(f"  {e.at:%Y-%m-%d %H:%M:%S} {e.level.value.upper():7} {e.message}")
    return EXIT_OK


def _rejects(args: argparse.Namespace) -> int:
    n = open_service(args).export_rejects(args.id, args.out)
    print(f"{n:,} rejected line(s) written to {args.out}")
    return EXIT_OK
