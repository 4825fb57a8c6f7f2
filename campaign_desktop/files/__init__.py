"""Reading files to import: format detection, streaming readers (text, fixed width, xlsx), preview.

Pure Python, no Qt: the engine, the CLI and the GUI's workers all call this package.
"""

from campaign_desktop.files.preview import ColumnProfile, Preview, detect_column_formats, preview
from campaign_desktop.files.records import SourceRecord
from campaign_desktop.files.source import OpenedSource, detect_format, open_source

__all__ = [
    "ColumnProfile",
    "OpenedSource",
    "Preview",
    "SourceRecord",
    "detect_column_formats",
    "detect_format",
    "open_source",
    "preview",
]
