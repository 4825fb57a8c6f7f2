"""Errors a user caused and can fix: the CLI prints them, the GUI shows them; never a traceback."""


class UserError(Exception):
    """Bad input or an impossible request, with a message a marketer understands."""


class NotFoundError(UserError):
    pass


class ReadOnlyError(UserError):
    pass


class SourceFileError(UserError):
    """The file to import cannot be read as configured (encoding, corrupt workbook, ...)."""
