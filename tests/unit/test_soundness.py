"""A database is judged sound and this application's before anything trusts it (issue 11): missing, empty,
not SQLite, damaged, another application's, or a schema of another version are each named."""

from __future__ import annotations

import sqlite3

import pytest

from pstdesktop import faults, soundness
from pstdesktop.bootstrap import open_url
from pstdesktop.config import sqlite_url


@pytest.fixture(scope="module")
def sound(tmp_path_factory):
    path = tmp_path_factory.mktemp("sound") / "pst.sqlite"
    open_url(sqlite_url(path)).dispose()
    return path.read_bytes()


def _write(tmp_path, content: bytes):
    path = tmp_path / "pst.sqlite"
    path.write_bytes(content)
    return path


def codes(path, **kwargs) -> list[str]:
    return [p.code for p in soundness.check_file(path, **kwargs)]


def test_a_database_this_application_made_is_sound_and_marked(tmp_path, sound):
    path = _write(tmp_path, sound)
    assert soundness.check_file(path, thorough=True) == []
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == soundness.APPLICATION_ID == 0x50535444
    connection.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pst.sqlite"]  # read without a -wal or -shm


def test_missing_empty_and_not_sqlite(tmp_path):
    assert codes(tmp_path / "nothing.sqlite") == ["missing"]
    assert codes(_write(tmp_path, b"")) == ["empty"]
    assert codes(_write(tmp_path, b"kantor,pst\n1,2\n" * 100)) == ["not_sqlite"]
    assert codes(tmp_path) == ["folder"]


def test_damaged_and_truncated(tmp_path, sound):
    middle = len(sound) // 2
    assert codes(_write(tmp_path, sound[:middle] + bytes(range(256)) * 40 + sound[middle + 10240:]),
                 thorough=True) == ["damaged"]
    assert codes(_write(tmp_path, sound[: len(sound) // 3])) == ["damaged"]


def test_another_applications_sqlite_file(tmp_path):
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA application_id = 1234")
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    connection.commit()
    connection.close()
    problems = soundness.check_file(path)
    assert [p.code for p in problems] == ["foreign"]
    assert "aplikasi lain" in problems[0].text() and "another application" in problems[0].text()
    with pytest.raises(faults.Fault) as refused:
        faults.check_sqlite_file(path)
    assert refused.value.code == "sqlite_not_ours"


def test_an_unmarked_sqlite_file_with_tables_is_not_ours(tmp_path):
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    connection.commit()
    connection.close()
    assert codes(path) == ["foreign"]
    with pytest.raises(faults.Fault):
        faults.check_sqlite_file(path)


def test_a_file_of_an_older_version_is_ours_and_marked_when_opened(tmp_path, sound):
    path = _write(tmp_path, sound)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA application_id = 0")
    connection.commit()
    connection.close()
    assert codes(path) == []
    open_url(sqlite_url(path)).dispose()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == soundness.APPLICATION_ID
    connection.close()


def test_schema_behind_or_unknown(tmp_path, sound):
    path = _write(tmp_path, sound)
    head, known = soundness.revisions()
    older = sorted(known - {head})[0]
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = ?", (older,))
    connection.commit()
    connection.close()
    assert codes(path) == ["schema_behind"]
    assert codes(path, at_head=False) == []
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    assert codes(path, at_head=False) == ["schema_unknown"]


def test_check_engine(tmp_path):
    database = open_url(sqlite_url(tmp_path / "pst.sqlite"))
    try:
        assert soundness.check_engine(database.engine, thorough=True) == []
    finally:
        database.dispose()
