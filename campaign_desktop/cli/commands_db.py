"""``db upgrade`` and ``db info``: the schema, explicitly."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="database: upgrade the schema, show where it is")
    dsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dsub.add_parser("upgrade", help="create or migrate the schema to the latest version")
    up.set_defaults(handler=_upgrade)
    info = dsub.add_parser("info", help="print the database address and schema version")
    info.set_defaults(handler=_info)


def _upgrade(args: argparse.Namespace) -> int:
    from campaign_desktop.storage.database import create_db_engine, describe
    from campaign_desktop.storage.migrate import current_revision, upgrade

    engine = create_db_engine(args.db, migrate=False)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    if before == after:
        print(f"{describe(engine)}: schema already at version {after}.")
    else:
        print(f"{describe(engine)}: schema upgraded from {before or 'empty'} to {after}.")
    return 0


def _info(args: argparse.Namespace) -> int:
    from campaign_desktop.storage.database import create_db_engine, describe
    from campaign_desktop.storage.migrate import current_revision

    engine = create_db_engine(args.db)
    print(f"database: {describe(engine)}")
    print(f"schema version: {current_revision(engine)}")
    return 0
