"""Checking what a user typed in a recipient's form before it is saved.

The same rules as an import (spec §8): the email syntax is the import's own check
(:func:`campaign_desktop.mapping.values.normalize_email`), text fits its column, closed
enumerations take only their values, the country is an ISO-3166 alpha-2 code. Errors come
back per field, in words a marketer understands, so the form can show each one beside its
field instead of refusing the whole form with one message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from campaign_desktop.domain.recipient_fields import FIELDS_BY_NAME, FieldType
from campaign_desktop.mapping.values import normalize_email

EDITABLE_FIELDS: tuple[str, ...] = tuple(
    name for name, f in FIELDS_BY_NAME.items() if f.importable and name != "id"
)
"""Fields the form may change (not the primary key nor the dates the application maintains)."""


def _text(name: str, value: Any) -> tuple[Any, str]:
    f = FIELDS_BY_NAME[name]
    text = "" if value is None else str(value).strip()
    if not text:
        return None, ""
    if name == "email":
        normal, problem = normalize_email(text)
        return (normal, "") if normal is not None else (None, problem + ": check the address (name@domain.com).")
    if name == "country_code":
        if len(text) != 2 or not text.isalpha():
            return None, f"'{text}' is not a two-letter country code (FR, US, XX when unknown)."
        return text.upper(), ""
    if f.length and len(text) > f.length:
        return None, f"{f.label}: at most {f.length} characters ({len(text)} typed)."
    return text, ""


def _value(name: str, value: Any) -> tuple[Any, str]:
    f = FIELDS_BY_NAME[name]
    if f.type is FieldType.TEXT:
        return _text(name, value)
    if f.type is FieldType.BOOLEAN:
        return bool(value), ""
    if value is None or value == "":
        return None, ""
    if f.type is FieldType.INTEGER:
        try:
            number = int(value)
        except (TypeError, ValueError):
            return None, f"{f.label}: '{value}' is not a whole number."
        if f.enum and number not in f.enum:
            return None, f"{f.label}: choose one of {', '.join(f.enum.values())}."
        return number, ""
    if f.type is FieldType.DATE:
        if isinstance(value, datetime):
            return value.date(), ""
        if isinstance(value, date):
            return value, ""
        try:
            return date.fromisoformat(str(value).strip()), ""
        except ValueError:
            return None, f"{f.label}: '{value}' is not a date (YYYY-MM-DD)."
    return value, ""


def check_changes(changes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean values and per-field problems of a form's ``changes`` ({field name: typed value}).

    Returns:
        (clean values ready to store, {field name: message}); save only when the second is empty.
    """
    clean: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            problems[name] = f"'{name}' cannot be changed here."
            continue
        stored, problem = _value(name, value)
        if problem:
            problems[name] = problem
        else:
            clean[name] = stored
    return clean, problems
