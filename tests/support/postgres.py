"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl on 127.0.0.1.

``initdb`` refuses to run as root, so as root the cluster runs as the ``postgres`` user.
The cluster lives in a temporary folder and is removed by :meth:`stop`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def find_pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when no server is installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        # Debian's /usr/local/bin or /usr/bin wrappers may be pg_wrapper links: prefer the real ones.
        real = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        return Path(real[-1]).parent if real else Path(found).parent
    real = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(real[-1]).parent if real else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayCluster:
    def __init__(self) -> None:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.bin_dir = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="cd-pg-"))
        self.data = self.root / "data"
        self.user = "postgres" if os.geteuid() == 0 else None
        self.superuser = "postgres"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.root)

    def start(self) -> ThrowawayCluster:
        if self.user:
            shutil.chown(self.root, self.user)
            os.chmod(self.root, 0o755)
        self._run("initdb", "-D", str(self.data), "-U", self.superuser, "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        opts = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"), "-w", "start")
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def admin_execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.superuser, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def restart(self) -> None:
        """Stop and start the server again (fault tests: 'server restarted mid-job')."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "restart")


def wait_for(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False
