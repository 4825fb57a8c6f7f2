"""``export OUT``: run an export headless, with the same exit codes as ``import``."""

from __future__ import annotations

import argparse

from campaign_desktop.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, EXIT_STOPPED, fail, open_service
from campaign_desktop.cli.progress_bar import TerminalProgress
from campaign_desktop.domain.job import JobStatus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export recipients to a file (default template: New text export)")
    p.add_argument("out", help="the file to write (tokens {date} {time} {template} {count}); a folder uses the "
                               "template's file name")
    p.add_argument("--template", default="newExport", help="export template: internal name, label or id")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="override a template setting, e.g. output.separator=; (repeatable)")
    p.add_argument("--label", help="label of the job (default: '<template>: <file name>')")
    p.add_argument("--preview", action="store_true", help="print the SQL, the count and the first lines; write nothing")
    p.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    from campaign_desktop.domain.options import apply_options

    service = open_service(args)
    if args.preview:
        tpl = apply_options(service.templates.get(args.template), args.option)
        p = service.preview_export(tpl, lines=20)
        print(p.sql)
        print(f"-- {p.count:,} record(s)")
        print("\t".join(p.headers))
        for row in p.rows:
            print("\t".join("" if v is None else str(v) for v in row))
        return 0
    job_id = service.create_export_job(args.out, args.template, options=args.option, label=args.label)
    bar = TerminalProgress(outcomes=False)
    try:
        outcome = service.run_job(job_id, progress=bar)
    finally:
        bar.close()
    c = outcome.counters
    print(f"Job {job_id}: {outcome.status.label}")
    if outcome.message:
        print(f"  {outcome.message}")
    print(f"  Total {c.total:,}  Processed {c.processed:,}  Warnings {c.warnings:,}")
    if outcome.bad_input:
        return fail(outcome.message, EXIT_BAD_INPUT)
    if outcome.status is JobStatus.FINISHED:
        return EXIT_OK
    return EXIT_STOPPED if outcome.status in (JobStatus.CANCELLED, JobStatus.PAUSED) else EXIT_FAILURE
