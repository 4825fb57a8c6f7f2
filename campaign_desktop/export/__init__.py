"""The export engine (spec §5), without Qt: filter compiler, query, cell formatting, writers, preview.

The job that runs an export is :mod:`campaign_desktop.jobs.export_job`; the wizard and the CLI
go through :class:`campaign_desktop.services.CampaignService`.
"""

from campaign_desktop.export.conditions import OPERATORS, compile_condition, describe_condition
from campaign_desktop.export.preview import ExportPreview, count_matching, export_problems, preview_export

__all__ = ["OPERATORS", "ExportPreview", "compile_condition", "count_matching", "describe_condition",
           "export_problems", "preview_export"]
