"""``templates list|show|duplicate|rename|delete`` and ``recipients count|list``."""

from __future__ import annotations

import argparse

from campaign_desktop.cli.common import EXIT_BAD_INPUT, fail, open_service, print_table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("templates", help="job templates: list, show (JSON), duplicate, rename, delete")
    tsub = p.add_subparsers(dest="templates_command", metavar="ACTION", required=True)
    p_list = tsub.add_parser("list", help="list the job templates")
    p_list.add_argument("--kind", choices=["import", "export"])
    p_list.set_defaults(handler=_list)
    p_show = tsub.add_parser("show", help="print a template as JSON (docs/templates.md)")
    p_show.add_argument("name", help="internal name, label or id")
    p_show.set_defaults(handler=_show)
    p_dup = tsub.add_parser("duplicate", help="make an editable copy of a template")
    p_dup.add_argument("name")
    p_dup.add_argument("--label", help="label of the copy (default: 'Copy of …')")
    p_dup.set_defaults(handler=_duplicate)
    p_ren = tsub.add_parser("rename", help="rename a user template")
    p_ren.add_argument("name")
    p_ren.add_argument("label")
    p_ren.set_defaults(handler=_rename)
    p_del = tsub.add_parser("delete", help="delete a user template")
    p_del.add_argument("name")
    p_del.set_defaults(handler=_delete)
    p_imp = tsub.add_parser("import", help="store a template from a JSON file as a new user template")
    p_imp.add_argument("file")
    p_imp.set_defaults(handler=_import_json)

    r = sub.add_parser("recipients", help="recipient profiles")
    rsub = r.add_subparsers(dest="recipients_command", metavar="ACTION", required=True)
    r_count = rsub.add_parser("count", help="print the number of recipients")
    r_count.set_defaults(handler=_count)
    r_list = rsub.add_parser("list", help="list recipients, with the GUI's quick search and sort")
    r_list.add_argument("--search", default="", help="the start of an email, a last name or an account number")
    r_list.add_argument("--field", choices=["any", "email", "last_name", "account"], default="any",
                        help="where --search looks (default: all three)")
    r_list.add_argument("--sort", default="email", help="email, last_name, first_name, account, city, created...")
    r_list.add_argument("--desc", action="store_true", help="sort in descending order")
    r_list.add_argument("--limit", type=int, default=200, help="how many to print (default 200)")
    r_list.set_defaults(handler=_recipients_list)


def _list(args: argparse.Namespace) -> int:
    from campaign_desktop.domain.template import JobKind

    service = open_service(args)
    kind = JobKind(args.kind) if args.kind else None
    rows = [
        (t.label, t.kind.value.capitalize(), t.internal_name, "yes" if t.read_only else "",
         t.created_by, t.created_at.strftime("%Y-%m-%d %H:%M") if t.created_at else "")
        for t in service.templates.list(kind)
    ]
    print_table(["Label", "Type", "Internal name", "Built-in", "Created by", "Creation date"], rows)
    return 0


def _show(args: argparse.Namespace) -> int:
    print(open_service(args).templates.get(args.name).to_json())
    return 0


def _duplicate(args: argparse.Namespace) -> int:
    copy = open_service(args).duplicate_template(args.name, label=args.label)
    print(f"Created '{copy.label}' (internal name {copy.internal_name}, id {copy.id}).")
    return 0


def _rename(args: argparse.Namespace) -> int:
    tpl = open_service(args).templates.rename(args.name, args.label)
    print(f"Renamed to '{tpl.label}'.")
    return 0


def _delete(args: argparse.Namespace) -> int:
    open_service(args).templates.delete(args.name)
    print(f"Deleted '{args.name}'.")
    return 0


def _import_json(args: argparse.Namespace) -> int:
    from pathlib import Path

    from campaign_desktop.domain.errors import UserError
    from campaign_desktop.domain.template import JobTemplate

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"Cannot read '{args.file}': {exc.strerror}") from None
    tpl = JobTemplate.from_json(text)
    tpl.id = None
    saved = open_service(args).templates.add(tpl)
    print(f"Stored '{saved.label}' (internal name {saved.internal_name}, id {saved.id}).")
    return 0


def _count(args: argparse.Namespace) -> int:
    print(open_service(args).count_recipients())
    return 0


def _recipients_list(args: argparse.Namespace) -> int:
    from campaign_desktop.storage.recipient_query import SORT_KEYS, RecipientFilter, SearchField, read_page

    if args.sort not in SORT_KEYS:
        return fail(f"Cannot sort on '{args.sort}'. Choose one of: {', '.join(SORT_KEYS)}.", EXIT_BAD_INPUT)
    service = open_service(args)
    flt = RecipientFilter(text=args.search, field=SearchField(args.field))
    with service.engine.connect() as conn:
        page = read_page(conn, flt, args.sort, args.desc, limit=max(1, args.limit))
    print_table(["Email", "First name", "Last name", "Account #", "City", "Denylisted", "Created"],
                [[r.email, r.first_name, r.last_name, r.account, r.city, "yes" if r.denylisted else "",
                  f"{r.created:%Y-%m-%d %H:%M}" if r.created else ""] for r in page.rows])
    return 0
