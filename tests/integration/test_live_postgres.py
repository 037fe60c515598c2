"""Live across PCs on a real PostgreSQL server: a unit of work that writes sends NOTIFY when it commits
(never when it only reads or rolls back), and the other PC's watcher and its screens see it within the
refresh period; a watcher whose connection was cut opens it again and reports a change."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from models import Invoice, OfficeProfile, RequestState
from pstdesktop import live
from pstdesktop.bootstrap import open_url
from pstdesktop.services import guestbook
from tests.conftest import Office
from tests.unit.test_ledger import invoiced, pay
from ui.live import POLL_MS, LiveRefresh
from ui.main_window import MainWindow

pytestmark = pytest.mark.postgres
WITHIN_MS = 3 * POLL_MS


@pytest.fixture
def two_pcs(postgres_url):
    first, second = open_url(postgres_url), open_url(postgres_url)
    try:
        yield Office(first), second
    finally:
        first.dispose()
        second.dispose()


def test_notify_only_after_a_committed_write(qtbot, two_pcs):
    office, other = two_pcs
    watcher = live.watch(other.engine)
    try:
        assert not watcher.changed()
        with office.session() as s:
            guestbook.queue_counts(s, office.officer)
        with pytest.raises(RuntimeError), office.session() as s:  # written (NOTIFY sent), then rolled back
            s.get(OfficeProfile, office.office_id).city = "X"
            s.flush()
            raise RuntimeError("rolled back")
        qtbot.wait(300)
        assert not watcher.changed()
        office.approved()
        qtbot.waitUntil(watcher.changed, timeout=WITHIN_MS)
        assert not watcher.changed()
    finally:
        watcher.close()


def test_checklist_follows_a_payment_on_the_other_pc(qtbot, two_pcs):
    office, other = two_pcs
    invoice_id = invoiced(office)
    with office.session() as s:
        request_id = s.get(Invoice, invoice_id).request_id
    window = MainWindow(other, office.officer)
    qtbot.addWidget(window)
    window.show()
    checklist = window.open_checklist(request_id)
    assert checklist.case.state is RequestState.INVOICED
    pay(office, invoice_id)
    qtbot.waitUntil(lambda: checklist.case.state is RequestState.PAID, timeout=WITHIN_MS)
    window.close()


def test_lost_connection_is_opened_again(qtbot, two_pcs, monkeypatch):
    office, other = two_pcs
    monkeypatch.setattr(live, "RECONNECT_S", 0.0)
    refresher = LiveRefresh(other)
    try:
        with office.session() as s:  # the server ends the watcher's session (a restart, a cut cable)
            s.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"))
        with qtbot.waitSignal(refresher.changed, timeout=5 * POLL_MS):
            pass  # reconnected: whatever was missed meanwhile is refreshed
        with qtbot.waitSignal(refresher.changed, timeout=WITHIN_MS):
            office.approved()
    finally:
        refresher.stop()
