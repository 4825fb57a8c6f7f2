"""The desktop GUI: the only package that imports PySide6."""

from campaign_desktop.gui import qt_fixes as _qt_fixes  # noqa: F401 - must run before any signal is emitted
