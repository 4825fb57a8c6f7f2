"""Where the database is: the embedded SQLite file or a shared PostgreSQL server, and its password.

Team mode points every workstation at one PostgreSQL server. The host, port, database and user
are ordinary settings; the password never is: it lives in the operating system's keyring
(Secret Service, macOS Keychain, Windows Credential Locker, through the ``keyring`` package) or
it is typed at each start. Failures to connect are turned into a sentence a marketer can act
on (wrong password, server not reachable, no such database) rather than a driver's traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

KEYRING_SERVICE = "Campaign Desktop"
CONNECT_TIMEOUT_S = 5


class DatabaseKind(StrEnum):
    EMBEDDED = "sqlite"
    SERVER = "postgresql"


@dataclass
class ConnectionSettings:
    """What a user chooses in the connection dialog (the password excepted)."""

    kind: DatabaseKind = DatabaseKind.EMBEDDED
    host: str = "localhost"
    port: int = 5432
    database: str = "campaign"
    user: str = ""

    @property
    def account(self) -> str:
        """The keyring entry's name: one password per user, server and database."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None = None) -> str | None:
        """The SQLAlchemy URL, or None for the embedded database (its default place)."""
        if self.kind is DatabaseKind.EMBEDDED:
            return None
        return URL.create("postgresql+psycopg", username=self.user or None, password=password or None,
                          host=self.host or "localhost", port=self.port or 5432,
                          database=self.database or None).render_as_string(hide_password=False)

    def problems(self) -> list[str]:
        """What must be filled in before connecting."""
        if self.kind is DatabaseKind.EMBEDDED:
            return []
        missing = []
        if not self.host.strip():
            missing.append("the server's host name")
        if not self.database.strip():
            missing.append("the database name")
        if not self.user.strip():
            missing.append("the user name")
        if not 0 < self.port < 65536:
            missing.append("a port between 1 and 65535")
        return [f"Enter {m}." for m in missing]


class PasswordStoreError(RuntimeError):
    """The keyring could not be used; the message says why."""


class PasswordStore:
    """The operating system's keyring, seen as the place for database passwords."""

    @staticmethod
    def available() -> bool:
        """Whether a real keyring is there (a headless Linux often has none)."""
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)

    def get(self, settings: ConnectionSettings) -> str | None:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, settings.account)
        except KeyringError:
            return None  # no keyring, or it is locked: the user types the password instead

    def set(self, settings: ConnectionSettings, password: str) -> None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, settings.account, password)
        except KeyringError as exc:
            raise PasswordStoreError(
                f"The password could not be saved in the system keyring ({exc or type(exc).__name__}). "
                "It will be asked at each start.") from None

    def forget(self, settings: ConnectionSettings) -> None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(KEYRING_SERVICE, settings.account)
        except (PasswordDeleteError, KeyringError):
            pass  # nothing stored: nothing to forget


def connection_failure(exc: BaseException) -> str:
    """Why a connection failed, in words a user can act on."""
    orig = getattr(exc, "orig", None) or exc
    detail = (str(orig).strip() or type(orig).__name__).splitlines()[0]
    lowered = detail.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return f"The server refused the user name or password ({detail})."
    if "does not exist" in lowered and "database" in lowered:
        return f"The server has no such database ({detail}). Ask its administrator to create it."
    if "connection refused" in lowered or "could not connect" in lowered or "timeout" in lowered \
            or "name or service not known" in lowered or "could not translate host" in lowered:
        return f"The server cannot be reached: check the host name, the port and the network ({detail})."
    return f"The connection failed: {detail}"


def check_connection(url: str) -> str:
    """Connect once and say what answered; raise ``ConnectionError`` with the reason if nothing did."""
    engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}, poolclass=None)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar_one()
        return f"Connected: PostgreSQL {version}"
    except Exception as exc:  # noqa: BLE001 - every failure becomes the user's sentence
        raise ConnectionError(connection_failure(exc)) from None
    finally:
        engine.dispose()


__all__ = ["ConnectionSettings", "DatabaseKind", "PasswordStore", "PasswordStoreError", "check_connection",
           "connection_failure"]
