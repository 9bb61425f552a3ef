"""A real PostgreSQL server for the tests and the benchmarks: a throwaway cluster, or one already running.

With ``PARTNERLIB_TEST_POSTGRES_URL`` set (a URL whose user may create
databases, e.g. ``postgresql://postgres@127.0.0.1:5432/postgres``) that server
is used. Otherwise, when PostgreSQL's programs are installed
(``/usr/lib/postgresql/*/bin``, Debian's ``postgresql`` package), a cluster is
made in a temporary folder, started on a free loopback port, and removed at the
end. As root, the cluster runs as the ``postgres`` user, as PostgreSQL requires.
When neither is there, :func:`missing_reason` says why the tests skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

#: An already running server to use instead of a throwaway cluster.
URL_ENV = "PARTNERLIB_TEST_POSTGRES_URL"
#: Where Debian puts PostgreSQL's programs (one folder per major version).
BIN_PATTERN = "/usr/lib/postgresql/*/bin"


def programs() -> Path | None:
    """Return the newest installed PostgreSQL's programs folder, or None."""
    found = sorted(glob.glob(BIN_PATTERN), key=lambda path: int(Path(path).parent.name))
    folder = Path(found[-1]) if found else None
    return folder if folder and (folder / "initdb").exists() else None


def missing_reason() -> str | None:
    """Say why no PostgreSQL server can be had, or None when one can."""
    if os.environ.get(URL_ENV) or programs():
        return None
    return (
        f"PostgreSQL is not installed (no initdb under {BIN_PATTERN}) and {URL_ENV} is not set: "
        "the PostgreSQL workspace tests are skipped (apt-get install postgresql runs them)."
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A PostgreSQL server the tests may make databases on."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.admin_url = os.environ.get(URL_ENV, "")
        if not self.admin_url:
            self._start()

    def _run(self, *line: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, *line], check=True, capture_output=True, text=True, timeout=120)

    def _start(self) -> None:
        bin_folder = programs()
        if bin_folder is None:
            raise RuntimeError(missing_reason())
        self.folder = Path(tempfile.mkdtemp(prefix="partnerlib-postgres-"))
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        data = self.folder / "data"
        port = _free_port()
        self._run(str(bin_folder / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                  "--encoding=UTF8", "--locale=C.UTF-8")
        # A throwaway cluster: no need to survive a power cut, so no waiting for the disk.
        options = (f"-p {port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(bin_folder / "pg_ctl"), "-D", str(data), "-o", options,
                  "-l", str(self.folder / "server.log"), "-w", "start")
        self._pg_ctl = bin_folder / "pg_ctl"
        self.admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def url(self, database: str) -> str:
        """Return the URL of one database on this server."""
        return self.admin_url.rsplit("/", 1)[0] + f"/{database}"

    def create_database(self, prefix: str = "workspace") -> str:
        """Make a new, empty database and return its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" STRATEGY = FILE_COPY')  # faster than WAL_LOG here
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Remove a database made by :meth:`create_database` (closing its connections)."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop a throwaway cluster at once and remove its folder (a running server is left alone)."""
        if self.folder is None:
            return
        try:
            self._run(str(self._pg_ctl), "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
