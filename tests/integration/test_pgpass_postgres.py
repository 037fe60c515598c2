"""A password-protected PostgreSQL role (scram-sha-256) is reached with the password only in the pgpass
file: libpq (psycopg) reads it by itself when the URL from settings.json has none."""

import json
import os
import uuid
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import make_url, text

from pstdesktop import pgpass, transfer
from pstdesktop.config import SETTINGS_FILE, load_settings
from pstdesktop.database import make_engine
from tests.pg import PASSWORD_GROUP

PASSWORD = r"s3cret:with\odd @chars"


@pytest.fixture
def password_role(postgres_url):
    """(role, password URL) of a fresh role that must give its password, on a fresh database."""
    admin = make_url(postgres_url)
    plain = f"postgresql://{admin.username}@{admin.host}:{admin.port}"
    role = f"pst_pw_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (PASSWORD_GROUP,)).fetchone() is None:
            conn.execute(f"CREATE ROLE {PASSWORD_GROUP} NOLOGIN")
        conn.execute(f"SET password_encryption = 'scram-sha-256'; CREATE ROLE {role} LOGIN IN ROLE {PASSWORD_GROUP} "
                     f"PASSWORD '{PASSWORD}'")
    try:
        yield role, f"postgresql://{role}:{quote(PASSWORD, safe='')}@{admin.host}:{admin.port}/{admin.database}"
    finally:
        with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}; DROP ROLE {role}")


@pytest.mark.postgres
def test_a_password_role_connects_with_the_password_only_in_pgpass(tmp_path, monkeypatch, password_role):
    role, url = password_role
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    without = pgpass.without_password(url)
    refused = transfer.check_connection(without)  # no pgpass yet: the server wants the password
    if refused is None and os.environ.get("PST_TEST_POSTGRES_URL"):
        pytest.skip("the server named by PST_TEST_POSTGRES_URL trusts every role")
    assert refused is not None and "password" in refused
    assert "password authentication failed" in transfer.check_connection(url.replace("s3cret", "wrong"))

    data = tmp_path / "data"
    data.mkdir()
    (data / SETTINGS_FILE).write_text(json.dumps({"database_url": url}))  # as older versions wrote it
    load_settings({"PST_DATA_DIR": str(data)})
    stored = json.loads((data / SETTINGS_FILE).read_text(encoding="utf-8"))["database_url"]
    assert stored == without and "s3cret" not in (data / SETTINGS_FILE).read_text(encoding="utf-8")
    assert "s3cret" in (tmp_path / "pgpass").read_text(encoding="utf-8")

    assert transfer.check_connection(stored) is None
    engine = make_engine(stored)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT current_user")) == role
    finally:
        engine.dispose()
