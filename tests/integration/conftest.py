"""Fixtures of the tests that run on the real PostgreSQL server (tests/pg.py starts it)."""

import pytest

from pstdesktop.bootstrap import open_url
from tests.conftest import Office


@pytest.fixture
def pg_office(postgres_url):
    """An office with its staff accounts on a fresh database of the server."""
    db = open_url(postgres_url)
    try:
        assert db.engine.dialect.name == "postgresql"
        yield Office(db)
    finally:
        db.dispose()
