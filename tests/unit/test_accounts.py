"""Accounts that hold up: passwords staff can keep, a lock that opens again by itself (an office with one
supervisor is never shut out), guessed approvals counted like sign-ins, unknown names refused alike."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import Account, Role
from pstdesktop.services import ledger
from pstdesktop.services import office as office_service
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import ValidationError
from tests.conftest import PASSWORD
from tests.unit.test_ledger import sold


@pytest.mark.parametrize("password, code", [
    ("123456", "password_short"), ("Pala-Band", "password_short"), ("aaaaaaaaaa", "password_weak"),
    ("1234567890", "password_weak"), ("qwertyuiop", "password_weak"), ("ababababab", "password_weak"),
    ("password123", "password_weak"), ("Password2026", "password_weak"), ("bismillah123", "password_weak"),
    ("Indonesia2026", "password_weak"), ("petugas2-2026", "password_weak"), ("PetugasDua77", "password_weak"),
])
def test_weak_passwords_are_refused_with_a_reason(office, password, code):
    with office.session() as s, pytest.raises(ValidationError) as refused:
        office_service.create_account(s, office.supervisor, "petugas2", "Petugas Dua", Role.OFFICER, password)
    assert refused.value.code == code and refused.value.message("en")
    with office.session() as s:
        assert s.query(Account).filter_by(username="petugas2").count() == 0


def test_a_good_password_is_accepted(office):
    with office.session() as s:
        office_service.create_account(s, office.supervisor, "petugas2", "Petugas Dua", Role.OFFICER, "Pala-Banda-7")
    with office.session() as s:
        assert office_service.login(s, "petugas2", "Pala-Banda-7")[1] == ""


def test_the_lock_opens_again_by_itself(office, time_machine):
    time_machine.move_to(utcnow(), tick=False)
    for _ in range(office_service.MAX_FAILED_LOGINS):
        with office.session() as s:
            actor, code = office_service.login(s, "kepala", "salah-sandi")
    assert code == "login_locked"
    time_machine.shift(timedelta(minutes=office_service.LOCK_MINUTES - 1))
    with office.session() as s:
        assert office_service.login(s, "kepala", PASSWORD) == (None, "login_locked")  # even the right one
    time_machine.shift(timedelta(minutes=2))
    with office.session() as s:
        actor, code = office_service.login(s, "kepala", PASSWORD)
    assert code == "" and actor.account_id == office.supervisor.account_id


def test_guessing_a_supervisor_approval_is_counted_and_locks(office):
    _invoice, _payment, receipt_id = sold(office)
    for _ in range(office_service.MAX_FAILED_LOGINS):
        with office.session() as s, pytest.raises(ValidationError) as refused:
            ledger.cancel_receipt(s, office.treasurer, receipt_id, "Salah nama", "kepala", "tebakan")
        assert refused.value.code == "supervisor_login"
    with office.session() as s:  # the right password no longer approves, and the supervisor is locked
        with pytest.raises(ValidationError):
            ledger.cancel_receipt(s, office.treasurer, receipt_id, "Salah nama", "kepala", PASSWORD)
    with office.session() as s:
        assert office_service.login(s, "kepala", PASSWORD) == (None, "login_locked")
        assert s.get(Account, office.supervisor.account_id).failed_logins == office_service.MAX_FAILED_LOGINS


def test_an_unknown_username_costs_a_password_check_too(office, monkeypatch):
    checked = []
    real = office_service.password_matches
    monkeypatch.setattr(office_service, "password_matches", lambda p, h: checked.append(h) or real(p, h))
    with office.session() as s:
        assert office_service.login(s, "tidak-ada", "apa-saja-123") == (None, "login_failed")
    assert len(checked) == 1  # the same slow hash as for a real account: names cannot be probed by time


def test_every_sign_in_answer_takes_the_same_time(office):
    """Unknown, known with a wrong password, locked and inactive names cost one password hash each: the
    median times are within a ratio of 1.5 of one another (names cannot be probed by timing)."""
    import statistics
    import time

    with office.session() as s:
        for _ in range(office_service.MAX_FAILED_LOGINS):
            office_service.login(s, "bendahara", "salah-sandi")
        office_service.set_active(s, office.supervisor, office.officer.account_id, False)

    names = ("tidak-ada", "kepala", "bendahara", "petugas")  # unknown, known, locked, inactive
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(7):  # interleaved, so a busy machine slows every kind alike
        for name in names:
            with office.session() as s:
                start = time.perf_counter()
                office_service.login(s, name, "tebakan-sandi")
                times[name].append(time.perf_counter() - start)
    unknown = statistics.median(times["tidak-ada"])
    for name in names[1:]:
        assert 1 / 1.5 < statistics.median(times[name]) / unknown < 1.5, name
