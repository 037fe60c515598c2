"""PCs and the office server, on a real PostgreSQL server: a fresh PC joins the server from its first-run
screen (the password in pgpass, the sign-in of that office next); the connection check names what is wrong
in one plain sentence; after a move the SQLite file is renamed and a PC without settings.json refuses to
start a fresh office beside it; and with the server stopped and started again while two PCs run, each says
so plainly and recovers without a restart (the start-up screen's "Coba lagi", the treasurer's banner, an
open checklist that follows a payment made on the other PC)."""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from alembic.script import ScriptDirectory
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton
from sqlalchemy import make_url, text

import ui.app
from models import Invoice, OfficeProfile
from pstdesktop import cli, live, migrate, pgpass, server, transfer
from pstdesktop.bootstrap import open_url
from pstdesktop.config import SETTINGS_FILE, Settings, read_settings_file, sqlite_url
from pstdesktop.services import clock
from tests.conftest import OFFICE, PASSWORD, Office
from tests.pg import PASSWORD_GROUP, _free_port, _pg_bin, _run_as_postgres
from tests.shots import shot
from tests.unit.test_ledger import invoiced, pay
from tests.unit.test_online import online_request
from ui.admin.join import FirstRunDialog, JoinDialog, ServerDownDialog
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.treasurer import TreasurerWindow
from ui.widgets import error_text

pytestmark = pytest.mark.postgres
LEFT = Qt.MouseButton.LeftButton
DB_PASSWORD = "kantor:server\\pst 2026"
DRIVER_WORDS = ("psycopg", "sqlalche", "OperationalError", "connection failed", "Traceback")


def plain(sentence: str) -> bool:
    return sentence and not any(word.lower() in sentence.lower() for word in DRIVER_WORDS)


@pytest.fixture
def office_server(postgres_url, tmp_path, monkeypatch):
    """An office on the server, owned by a role that must give its password; PGPASSFILE in tmp_path.
    Returns (URL with the password, the Office)."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    admin = make_url(postgres_url)
    plain_admin = f"postgresql://{admin.username}@{admin.host}:{admin.port}"
    role = f"pst_join_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{plain_admin}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (PASSWORD_GROUP,)).fetchone() is None:
            conn.execute(f"CREATE ROLE {PASSWORD_GROUP} NOLOGIN")
        conn.execute(f"SET password_encryption = 'scram-sha-256'; CREATE ROLE {role} LOGIN IN ROLE {PASSWORD_GROUP} "
                     f"PASSWORD '{DB_PASSWORD.replace(chr(39), chr(39) * 2)}'")
        conn.execute(f'ALTER DATABASE "{admin.database}" OWNER TO {role}')
    with psycopg.connect(f"{plain_admin}/{admin.database}", autocommit=True) as conn:
        conn.execute(f"ALTER SCHEMA public OWNER TO {role}")
    url = f"postgresql://{role}:{quote(DB_PASSWORD, safe='')}@{admin.host}:{admin.port}/{admin.database}"
    db = open_url(url)
    office = Office(db)
    try:
        yield url, office, role
    finally:
        db.dispose()
        with psycopg.connect(f"{plain_admin}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{admin.database}" WITH (FORCE)')
            conn.execute(f"DROP OWNED BY {role}; DROP ROLE {role}")


def fill(dialog: QDialog, host: str, port: int, database: str, user: str, password: str) -> None:
    dialog.findChild(QLineEdit, "joinHost").setText(host)
    dialog.form.port.setValue(port)
    dialog.findChild(QLineEdit, "joinDatabase").setText(database)
    dialog.findChild(QLineEdit, "joinUser").setText(user)
    dialog.findChild(QLineEdit, "joinPassword").setText(password)


def join_and_wait(qtbot, dialog: JoinDialog) -> str:
    qtbot.mouseClick(dialog.join_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    return dialog.status.text()


def test_a_fresh_pc_joins_the_office_server_from_first_run(qtbot, office_server, tmp_path, monkeypatch):
    url, _office, role = office_server
    parts = make_url(url)
    data = tmp_path / "pc2"
    data.mkdir()
    settings = Settings(data_dir=data, database_url=sqlite_url(data / "pst.sqlite"))
    seen: dict[str, str] = {}

    def choose(dialog: FirstRunDialog):
        dialog.resize(1366, 768)
        dialog.show()
        shot(dialog, tmp_path, "first_run.png")
        assert dialog.new_button.isEnabled() and not dialog.findChild(QLabel, "firstRunMoved").isVisible()
        qtbot.mouseClick(dialog.findChild(QPushButton, "firstRunJoin"), LEFT)
        return dialog.result()

    def join(dialog: JoinDialog):
        dialog.show()
        fill(dialog, parts.host, parts.port, parts.database, role, "salah-sekali")
        seen["wrong"] = join_and_wait(qtbot, dialog)
        fill(dialog, parts.host, parts.port, "tidak_ada_db", role, DB_PASSWORD)
        seen["missing"] = join_and_wait(qtbot, dialog)
        fill(dialog, parts.host, parts.port, parts.database, role, DB_PASSWORD)
        qtbot.mouseClick(dialog.test_button, LEFT)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
        seen["tested"] = dialog.status.text()
        dialog.resize(1366, 768)
        shot(dialog, tmp_path, "join_checked.png")
        seen["joined"] = join_and_wait(qtbot, dialog)
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", choose)
    monkeypatch.setattr(JoinDialog, "exec", join)
    app = QApplication.instance()
    assert ui.app._session(app, settings) == (0, True)  # joined: start again on the server
    assert "menolak pengguna" in seen["wrong"] and plain(seen["wrong"])
    assert "tidak ada di server" in seen["missing"] and "tidak_ada_db" in seen["missing"] and plain(seen["missing"])
    assert seen["tested"].startswith("Server") and OFFICE["name"] in seen["tested"]

    stored = read_settings_file(data)["database_url"]
    assert stored.startswith("postgresql://") and DB_PASSWORD not in stored and "kantor" not in stored
    assert "kantor" not in (data / SETTINGS_FILE).read_text(encoding="utf-8")
    assert pgpass.lookup(stored) == DB_PASSWORD
    assert not (data / "pst.sqlite").exists()  # no local office was made on the way

    signed_in: list[str] = []

    def sign_in(dialog: LoginDialog):
        signed_in.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(LoginDialog, "exec", sign_in)
    assert ui.app._session(app, replace(settings, database_url=stored)) == (0, False)
    assert OFFICE["name"] in signed_in[0]  # the sign-in of the office on the server


def test_the_connection_check_says_what_is_wrong_in_plain_words(office_server, postgres_server):
    url, office, role = office_server
    parts = make_url(url)
    without = pgpass.without_password(url)
    assert server.check(url).code == "ok" and server.check(url).office == OFFICE["name"]
    checks = {
        "auth": server.check(url.replace(quote(DB_PASSWORD, safe=""), "salah")),
        "no_database": server.check(str(parts.set(database="belum_dibuat").render_as_string(hide_password=False))),
        "unreachable": server.check(f"postgresql://{role}@127.0.0.1:{_free_port()}/pst"),
        "unknown_host": server.check(f"postgresql://{role}@server-pst.tidak-ada.invalid/pst"),
    }
    for code, found in checks.items():
        assert found.code == code and not found.joinable
        assert plain(found.sentence("id")) and plain(found.sentence("en")), found.sentence("id")
    assert "menolak pengguna" in checks["auth"].sentence("id")
    assert "wrong" in checks["auth"].sentence("en")
    assert "belum_dibuat" in checks["no_database"].sentence("id")
    assert without  # the password itself never appears in a sentence
    assert all(DB_PASSWORD not in found.sentence(lang) for found in checks.values() for lang in ("id", "en"))

    with office.session() as s:  # another version of PST Desktop made the server's schema
        s.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    newer = server.check(url)
    assert newer.code == "newer" and "lebih baru" in newer.sentence("id")
    with pytest.raises(Exception) as opening:  # at start: the same sentence, not alembic's words
        open_url(url)
    assert server.explain(opening.value, url).code == "newer"
    with office.session() as s:
        s.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": migrate.head_revision()})


def test_an_empty_or_foreign_database_and_an_older_schema(postgres_url):
    assert server.check(postgres_url).code == "empty"  # joinable: first-run setup follows, on the server
    with psycopg.connect(postgres_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("CREATE TABLE pelanggan (id int)")
    assert server.check(postgres_url).code == "not_pst"
    with psycopg.connect(postgres_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP TABLE pelanggan")
    db = open_url(postgres_url)
    Office(db)
    db.dispose()
    ok = server.check(postgres_url)
    assert ok.code == "ok"
    previous = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(
        migrate.head_revision()).down_revision
    engine = db.engine
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": previous})
    older = server.check(postgres_url)
    assert older.code == "older" and older.joinable and "lebih lama" in older.sentence("id")
    engine.dispose()


def test_after_a_move_the_sqlite_file_is_renamed_and_never_reopened(qtbot, postgres_url, tmp_path, monkeypatch,
                                                                      capsys):
    data = tmp_path / "pc1"
    data.mkdir()
    file = data / "pst.sqlite"
    local = open_url(sqlite_url(file), data / "backups")
    office = Office(local)
    office.walk_in()
    local.dispose()
    settings = Settings(data_dir=data, database_url=sqlite_url(file))
    transfer.copy_all(settings.database_url, postgres_url)

    sessions = iter([(0, True), (0, False)])

    def session(_app, current: Settings):
        if current.is_sqlite:  # what ServerTab does when the copy is done, then asks for a restart
            from pstdesktop.config import write_settings_file

            write_settings_file(data, database_url=postgres_url)
        return next(sessions)

    monkeypatch.setattr(ui.app, "_session", session)
    monkeypatch.setattr(ui.app, "catch_faults", lambda _folder: None)
    assert ui.app.run(settings) == 0
    day = clock.today(OFFICE["time_zone"])
    moved = data / f"pst.moved-to-server-{day:%Y%m%d}.sqlite"
    assert not file.exists() and moved.exists() and server.holds_office(moved)
    assert not list(data.glob("pst.sqlite*"))

    (data / SETTINGS_FILE).unlink()  # settings.json lost: no fresh local office beside the moved data
    code = cli.main(["--data-dir", str(data), "demo"])
    assert code == 2 and moved.name in capsys.readouterr().err and not file.exists()

    shown: list[FirstRunDialog] = []

    def first_run(dialog: FirstRunDialog):
        dialog.resize(1366, 768)
        dialog.show()
        shot(dialog, tmp_path, "first_run_moved.png")
        shown.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(FirstRunDialog, "exec", first_run)
    monkeypatch.undo()  # ui.app._session back, only the first-run screen replaced
    monkeypatch.setattr(FirstRunDialog, "exec", first_run)
    assert ui.app._session(QApplication.instance(), settings) == (0, False)
    notice = shown[0].findChild(QLabel, "firstRunMoved")
    assert notice.isVisible() and moved.name in notice.text() and "sudah dipindahkan ke server" in notice.text()
    assert not shown[0].new_button.isEnabled() and shown[0].join_button.isEnabled()
    assert not file.exists()  # nothing was created


# --- the server stopped and started again while two PCs run ----------------------------------------------

class Cluster:
    """A PostgreSQL server of this test alone, so that it can be stopped and started again."""

    def __init__(self):
        self.initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            pytest.fail("PostgreSQL is not installed: run the README's test command (bash tests/run.sh), which "
                        "installs Debian's postgresql package")
        self.root = Path(tempfile.mkdtemp(prefix="pst-pg-stop-"))
        self.data = self.root / "data"
        import os

        if os.name != "nt" and os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self.port = _free_port()
        _run_as_postgres([self.initdb, "-D", str(self.data), "-U", "pst", "--auth=trust", "-E", "UTF8",
                          "--locale=C.UTF-8"])
        self.start()
        with psycopg.connect(f"postgresql://pst@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE pst")
        self.url = f"postgresql://pst@127.0.0.1:{self.port}/pst"

    def start(self) -> None:
        _run_as_postgres([self.pg_ctl, "-D", str(self.data), "-w", "-l", str(self.root / "log.txt"), "-o",
                          f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"])

    def stop(self) -> None:
        _run_as_postgres([self.pg_ctl, "-D", str(self.data), "-w", "-m", "fast", "stop"])

    def remove(self) -> None:
        try:
            _run_as_postgres([self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"])
        except Exception:  # noqa: BLE001 - already stopped
            pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster():
    made = Cluster()
    try:
        yield made
    finally:
        made.remove()


def test_server_stopped_and_restarted_while_two_pcs_run(qtbot, cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(live, "RECONNECT_S", 0.5)
    pc1, pc2 = open_url(cluster.url), open_url(cluster.url)
    office = Office(pc2)  # PC2: the officer's and treasurer's work through services
    try:
        invoice_id = invoiced(office)
        request_id = online_request(office)
        with office.session() as s:
            from pstdesktop.services import billing

            online_invoice = billing.issue_invoice(s, office.officer, request_id).id
        treasurer = TreasurerWindow(pc1, office.treasurer)  # PC1: the treasurer's panel and an officer's checklist
        qtbot.addWidget(treasurer)
        treasurer.show()
        staff = MainWindow(pc1, office.officer)
        qtbot.addWidget(staff)
        staff.show()
        checklist = staff.open_checklist(request_id)
        assert "belum diterima bendahara" in checklist.findChild(QLabel, "paymentStatus").text()

        cluster.stop()
        boxes: list[Exception] = []
        monkeypatch.setattr("ui.main_window.show_error", lambda _parent, error: boxes.append(error))
        staff.live_refresh()  # the staff window's background refresh: said in its status bar, no box
        assert not boxes and staff.statusBar().currentMessage() == server.lost_sentence("id")
        qtbot.mouseClick(treasurer.refresh_button, LEFT)  # PC1 asks the stopped server
        banner = treasurer.message
        assert banner.isVisible() and banner.server_lost
        assert banner.text() == server.lost_sentence("id") and plain(banner.text())
        treasurer.resize(1366, 768)
        shot(treasurer, tmp_path, "treasurer_server_lost.png")
        try:  # PC2 records a payment meanwhile: one plain sentence, nothing saved
            pay(office, invoice_id)
        except Exception as error:  # noqa: BLE001 - the failure is what is checked
            failure = error
        assert error_text(failure) == server.lost_sentence("id")
        monkeypatch.setattr("ui.i18n._language", "en")
        assert error_text(failure) == server.lost_sentence("en") and "try again" in error_text(failure)
        monkeypatch.setattr("ui.i18n._language", "id")

        # a PC that starts now: one sentence, "Coba lagi" while it is still down, then again once it is back
        settings = Settings(data_dir=tmp_path, database_url=cluster.url)
        steps: list[str] = []

        def down(dialog: ServerDownDialog):
            dialog.resize(1366, 768)
            dialog.show()
            shot(dialog, tmp_path, "server_down.png")
            steps.append(dialog.sentence.text())
            assert dialog.change_button.isEnabled() and dialog.close_button.isEnabled()
            qtbot.mouseClick(dialog.retry_button, LEFT)
            qtbot.waitUntil(lambda: dialog.retry_button.isEnabled(), timeout=30_000)
            steps.append(dialog.sentence.text())
            cluster.start()
            qtbot.mouseClick(dialog.retry_button, LEFT)
            qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=30_000)
            return dialog.result()

        monkeypatch.setattr(ServerDownDialog, "exec", down)
        assert ui.app._session(QApplication.instance(), settings) == (0, True)  # start again, on the server
        assert steps[0] == steps[1] and "tidak dapat dihubungi" in steps[0] and plain(steps[0])
        assert f"127.0.0.1 (port {cluster.port})" in steps[0]

        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)  # the banner goes once it answers
        qtbot.waitUntil(lambda: staff.statusBar().currentMessage() != server.lost_sentence("id"), timeout=10_000)
        assert not boxes
        pay(office, online_invoice)  # PC2 records the online payment: PC1's open checklist follows
        qtbot.waitUntil(lambda: "belum diterima" not in checklist.findChild(QLabel, "paymentStatus").text(),
                        timeout=5_000)
        with pc1.unit_of_work() as s:
            assert s.get(Invoice, online_invoice) is not None and s.get(OfficeProfile, office.office_id)
        treasurer.close()
        staff.close()
    finally:
        pc1.dispose()
        pc2.dispose()


def test_change_server_needs_a_supervisor_of_the_office_on_the_new_server(qtbot, office_server, tmp_path):
    url, _office, role = office_server
    parts = make_url(url)
    data = tmp_path / "pc3"
    data.mkdir()
    old = f"postgresql://{role}@127.0.0.1:{_free_port()}/pst"
    (data / SETTINGS_FILE).write_text(json.dumps({"database_url": old}))
    settings = Settings(data_dir=data, database_url=old)
    dialog = JoinDialog(settings, supervisor=True, current=old)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, parts.host, parts.port, parts.database, role, DB_PASSWORD)
    dialog.supervisor_name.setText("petugas")  # an officer of that office is not enough
    dialog.supervisor_password.setText(PASSWORD)
    answer = join_and_wait(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert "Hanya supervisor" in dialog.status.text(), answer
    assert json.loads((data / SETTINGS_FILE).read_text())["database_url"] == old  # nothing changed
    dialog.supervisor_name.setText("kepala")
    dialog.supervisor_password.setText(PASSWORD)
    dialog.resize(1366, 768)
    shot(dialog, tmp_path, "change_server.png")
    qtbot.mouseClick(dialog.join_button, LEFT)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=30_000)
    stored = read_settings_file(data)["database_url"]
    assert stored == pgpass.without_password(dialog.form.address().url()) and DB_PASSWORD not in stored


def test_a_pc_with_its_own_office_joins_the_server_from_the_admin_tab(qtbot, office_server, office, tmp_path,
                                                                     monkeypatch):
    from ui.admin import AdminDialog
    from ui.admin import server as server_tab

    url, _server_office, role = office_server
    parts = make_url(url)
    local = Path(office.db.engine.url.database)
    settings = Settings(data_dir=local.parent, database_url=sqlite_url(local))
    monkeypatch.setattr(server_tab, "inform", lambda *_a, **_k: None)

    def join(dialog: JoinDialog):
        dialog.show()
        fill(dialog, parts.host, parts.port, parts.database, role, DB_PASSWORD)
        dialog.supervisor_name.setText("kepala")
        dialog.supervisor_password.setText(PASSWORD)
        qtbot.mouseClick(dialog.join_button, LEFT)
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=30_000)
        return dialog.result()

    monkeypatch.setattr(JoinDialog, "exec", join)
    admin = AdminDialog(office.db, settings, office.supervisor)
    qtbot.addWidget(admin)
    with qtbot.waitSignal(admin.restart_required, timeout=60_000):
        qtbot.mouseClick(admin.findChild(QPushButton, "joinServerButton"), LEFT)
    stored = read_settings_file(local.parent)["database_url"]
    assert stored.startswith("postgresql://") and pgpass.lookup(stored) == DB_PASSWORD
    office.db.dispose()  # the restart closes this PC's file, then renames it
    renamed = server.after_move(settings.database_url, stored)
    assert renamed is not None and renamed.exists() and not local.exists()
