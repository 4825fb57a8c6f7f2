"""Mapping: guess the destination fields, and convert a line's text values into typed recipient values.

Pure Python (no Qt): the import engine, the CLI and the wizard's preview all use it.
"""

from campaign_desktop.mapping.convert import ConvertedRow, RowConverter
from campaign_desktop.mapping.expression import CalcError, ExpressionError, compile_expression
from campaign_desktop.mapping.guess import guess_mapping
from campaign_desktop.mapping.values import normalize_email

__all__ = [
    "CalcError",
    "ConvertedRow",
    "ExpressionError",
    "RowConverter",
    "compile_expression",
    "guess_mapping",
    "normalize_email",
]
