"""A real PostgreSQL server for the tests that claim PostgreSQL.

``PST_TEST_POSTGRES_URL`` names a server to use; otherwise a throw-away cluster is created with the
machine's ``initdb`` (Debian's ``postgresql`` package) in a temporary folder on a free local port,
run as the ``postgres`` user when the tests run as root, and removed afterwards. Its roles are trusted,
except members of ``PASSWORD_GROUP``, who must give their password (scram-sha-256) over TCP."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

PASSWORD_GROUP = "pst_password_login"


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as_postgres(cmd: list[str]) -> subprocess.CompletedProcess:
    if os.name != "nt" and os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def postgres_server():
    """Base URL (without database name) of a running PostgreSQL server."""
    given = os.environ.get("PST_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.fail("PostgreSQL is not installed: run the README's test command (bash tests/run.sh), "
                    "which installs Debian's postgresql package, or set PST_TEST_POSTGRES_URL")
    root = Path(tempfile.mkdtemp(prefix="pst-pg-"))
    datadir = root / "data"
    if os.name != "nt" and os.geteuid() == 0:
        shutil.chown(root, "postgres")
    port = _free_port()
    _run_as_postgres([initdb, "-D", str(datadir), "-U", "pst", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
    hba = datadir / "pg_hba.conf"
    hba.write_text(f"host all +{PASSWORD_GROUP} 127.0.0.1/32 scram-sha-256\n{hba.read_text()}")
    _run_as_postgres([pg_ctl, "-D", str(datadir), "-w", "-l", str(root / "log.txt"), "-o",
                      f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60",
                      "start"])
    try:
        yield f"postgresql+psycopg://pst@127.0.0.1:{port}"
    finally:
        _run_as_postgres([pg_ctl, "-D", str(datadir), "-m", "immediate", "stop"])
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the server for one test."""
    import psycopg

    name = f"pst_{uuid.uuid4().hex[:12]}"
    plain = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
