"""Dataclass <-> JSON-compatible dict conversion, strict on the way in.

Templates travel as JSON (shared, reviewed, stored in the database). Reading one back must
refuse unknown keys and wrong types with the path of the problem, so a hand-edited template
fails with "settings.reconciliation.doubles: 'merge' is not one of update, ignore, reject"
rather than with a traceback deep in the engine.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

T = TypeVar("T")


class FormatError(ValueError):
    """A document does not fit the expected shape; the message names the path."""


def to_jsonable(obj: Any) -> Any:
    """Convert dataclasses, enums, lists and dicts into plain JSON values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


def from_jsonable(cls: type[T], data: Any, path: str = "") -> T:
    """Build ``cls`` from JSON values, checking every key and type on the way."""
    return _convert(cls, data, path or cls.__name__)


def _convert(tp: Any, data: Any, path: str) -> Any:
    origin = get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = get_args(tp)
        if data is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(arg, data, path)
            except FormatError as exc:
                errors.append(str(exc))
        raise FormatError(errors[0] if errors else f"{path}: unexpected value {data!r}")
    if origin in (list, tuple):
        if not isinstance(data, list):
            raise FormatError(f"{path}: expected a list, got {type(data).__name__}")
        (item_tp, *_) = get_args(tp) or (Any,)
        return [_convert(item_tp, v, f"{path}[{i}]") for i, v in enumerate(data)]
    if origin is dict:
        if not isinstance(data, dict):
            raise FormatError(f"{path}: expected an object, got {type(data).__name__}")
        key_tp, val_tp = get_args(tp) or (str, Any)
        return {_convert(key_tp, k, path): _convert(val_tp, v, f"{path}.{k}") for k, v in data.items()}
    if origin is typing.Literal:
        if data not in get_args(tp):
            raise FormatError(f"{path}: {data!r} is not one of {', '.join(map(str, get_args(tp)))}")
        return data
    if tp is Any:
        return data
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(data)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise FormatError(f"{path}: {data!r} is not one of {allowed}") from None
    if dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise FormatError(f"{path}: expected an object, got {type(data).__name__}")
        hints = get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        unknown = sorted(set(data) - names)
        if unknown:
            raise FormatError(f"{path}: unknown setting(s) {', '.join(unknown)}")
        kwargs = {k: _convert(hints[k], v, f"{path}.{k}") for k, v in data.items()}
        return tp(**kwargs)
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise FormatError(f"{path}: expected a number, got {data!r}")
        return float(data)
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise FormatError(f"{path}: expected a whole number, got {data!r}")
        return data
    if tp in (str, bool):
        if not isinstance(data, tp):
            raise FormatError(f"{path}: expected {'text' if tp is str else 'true/false'}, got {data!r}")
        return data
    raise FormatError(f"{path}: cannot read a value of type {tp!r}")
