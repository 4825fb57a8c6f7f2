"""The open database named for people: in the title bar, the status bar and the home page."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from campaign_desktop.gui.i18n import tr


def short_database_name(url: str) -> str:
    """'campaign.db' for a SQLite file, 'campaign on db.example.com' for a server: fits a title bar."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return (parsed.database or ":memory:").replace("\\", "/").rsplit("/", 1)[-1]
    return tr("{database} on {host}").format(database=parsed.database or "", host=parsed.host or "localhost")


def database_display(url: str) -> str:
    """In words: '/home/me/campaign.db (SQLite file)', 'campaign on db:5432 (PostgreSQL)'."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return tr("{path} (SQLite file)").format(path=parsed.database or ":memory:")
    host = parsed.host or "localhost"
    if parsed.port:
        host += f":{parsed.port}"
    text = tr("{database} on {host} (PostgreSQL)").format(database=parsed.database or "", host=host)
    return text + (" " + tr("as {user}").format(user=parsed.username) if parsed.username else "")
