"""``--option KEY=VALUE``: override one setting of a template from the command line.

KEY is the dotted path of a setting in the template's JSON form (docs/templates.md), e.g.
``reconciliation.operation=insert``, ``file_format.separator=;``, ``advanced.max_rejects=1000``,
``reconciliation.key1=email,account``, ``recipients.list_name=Newsletter``. The value is read
as JSON when it parses as such (numbers, true/false, lists), else as text; a comma list is
accepted where a list is expected. The result is checked like any template.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any, get_args, get_origin, get_type_hints

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.serialization import FormatError
from campaign_desktop.domain.template import ExportSettings, ImportSettings, JobKind, JobTemplate


def apply_options(template: JobTemplate, options: list[str]) -> JobTemplate:
    if not options:
        return template
    doc = template.settings_document()
    root: type = ImportSettings if template.kind is JobKind.IMPORT else ExportSettings
    for opt in options:
        key, sep, raw = opt.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--option '{opt}': expected KEY=VALUE, e.g. advanced.max_rejects=1000")
        _set(doc, root, key.strip().split("."), raw, key.strip())
    out = template.copy()
    try:
        out.set_settings_document(doc)
    except FormatError as exc:
        raise UserError(f"--option: {exc}") from None
    return out


def _set(doc: dict[str, Any], tp: type, path: list[str], raw: str, full: str) -> None:
    hints = get_type_hints(tp)
    name = path[0]
    if name not in hints:
        names = ", ".join(f.name for f in dataclasses.fields(tp))
        raise UserError(f"--option {full}: unknown setting '{name}' (known here: {names})")
    field_tp = _unwrap(hints[name])
    if len(path) > 1:
        if not dataclasses.is_dataclass(field_tp):
            raise UserError(f"--option {full}: '{name}' has no sub-settings")
        if not isinstance(doc.get(name), dict):
            doc[name] = {}
        _set(doc[name], field_tp, path[1:], raw, full)
        return
    doc[name] = _parse(raw, field_tp)


def _unwrap(tp: Any) -> Any:
    if get_origin(tp) in (typing.Union, __import__("types").UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def _parse(raw: str, tp: Any) -> Any:
    if tp is str or (isinstance(tp, type) and issubclass(tp, str)):
        return raw
    if get_origin(tp) is list and not raw.lstrip().startswith("["):
        return [p.strip() for p in raw.split(",") if p.strip()]
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        if tp is bool:
            return raw.lower() in ("yes", "on", "y", "oui")
        return raw
