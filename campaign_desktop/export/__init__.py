"""The export engine (spec §5), without Qt: filter compiler, query, cell formatting, writers, preview.

The job that runs an export is :mod:`campaign_desktop.jobs.export_job`; the wizard and the CLI
go through :class:`campaign_desktop.services.CampaignService`.

The names below load on first use (PEP 562): the second process of a split export runs
:mod:`campaign_desktop.export.range_reader`, which must not pay for SQLAlchemy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = {"OPERATORS": "conditions", "compile_condition": "conditions", "describe_condition": "conditions",
         "ExportPreview": "preview", "count_matching": "preview", "export_problems": "preview",
         "preview_export": "preview"}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
