"""``campaign-desktop``: no arguments opens the GUI; subcommands run headless.

Exit codes: 0 done, 2 bad arguments or unreadable input (message on stderr, no traceback),
3 stopped by the reject threshold or cancelled, 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from campaign_desktop.cli import commands_db, commands_export, commands_jobs, commands_templates
from campaign_desktop.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, fail
from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.serialization import FormatError
from campaign_desktop.storage.database import ENV_VAR, DatabaseUrlError

log = logging.getLogger("campaign_desktop")

COMMAND_MODULES = [commands_jobs, commands_export, commands_templates, commands_db]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="campaign-desktop",
        description="Generic imports and exports of recipient profiles. Without a command, opens the window.",
    )
    parser.add_argument("--db", metavar="URL",
                        help=f"database address (default: ${ENV_VAR}, else the embedded SQLite database), "
                             "e.g. postgresql+psycopg://user@host:5432/campaign")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        from campaign_desktop.gui.app import run_gui  # the only path that loads Qt

        return run_gui(db_url=args.db)
    try:
        return int(args.handler(args) or 0)
    except (UserError, FormatError, DatabaseUrlError) as exc:
        return fail(str(exc), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return fail("Interrupted.", 3)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: short message, exit 1
        from sqlalchemy.exc import OperationalError

        log.debug("failure", exc_info=True)  # the traceback only with -v
        if isinstance(exc, OperationalError):
            return fail(f"Cannot use the database: {str(exc.orig).strip()}", EXIT_BAD_INPUT)
        return fail(f"Unexpected failure: {exc}. Run again with -v for details.", EXIT_FAILURE)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
