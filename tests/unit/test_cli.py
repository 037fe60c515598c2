"""`pst demo` fills a fresh database with a day in every state; it refuses a database in use."""

from sqlalchemy import func, select

from models import Correction, Payment, PaymentMethod, PollAnswer, RequestState, ServiceRequest, Visit
from pstdesktop.arguments import build_parser
from pstdesktop.bootstrap import open_url
from pstdesktop.cli import NO_ARGUMENTS, main
from pstdesktop.config import sqlite_url
from pstdesktop.services import audit


def test_demo_fills_every_state_and_verifies(tmp_path, capsys):
    url = sqlite_url(tmp_path / "demo.sqlite")
    assert main(["--database", url, "--data-dir", str(tmp_path), "demo"]) == 0
    out = capsys.readouterr().out
    assert "hari kantor demo ditulis" in out and "demo office day written" in out
    assert "bendahara / treasurer" in out and "petugas" in out
    db = open_url(url)
    with db.unit_of_work() as s:
        states = set(s.scalars(select(ServiceRequest.state)))
        assert states == set(RequestState)
        assert s.scalar(select(func.count(Visit.id))) >= 12
        assert {m for m in s.scalars(select(Payment.method))} == set(PaymentMethod)
        assert s.scalar(select(func.count(Correction.id))) >= 1
        assert s.scalar(select(func.count(PollAnswer.id))) >= 2
        assert audit.verify(s) == []
    db.dispose()
    assert main(["--database", url, "--data-dir", str(tmp_path), "demo"]) == 2
    assert "fresh database" in capsys.readouterr().err


def test_account_management_is_audited_and_guarded(office):
    import pytest

    from models import Account
    from pstdesktop.services import office as office_service
    from pstdesktop.services.errors import PermissionDenied, ValidationError

    with office.session() as s:
        for _ in range(5):
            office_service.login(s, "petugas", "salah")
    with office.session() as s:
        assert office_service.login(s, "petugas", "rahasia-123") == (None, "login_locked")
    with office.session() as s, pytest.raises(PermissionDenied):
        office_service.unlock_account(s, office.officer, office.officer.account_id)
    with office.session() as s:
        office_service.unlock_account(s, office.supervisor, office.officer.account_id)
    with office.session() as s:
        actor, error = office_service.login(s, "petugas", "rahasia-123")
        assert error == "" and actor == office.officer
    with office.session() as s, pytest.raises(ValidationError):
        office_service.set_active(s, office.supervisor, office.supervisor.account_id, False)
    with office.session() as s:
        office_service.set_active(s, office.supervisor, office.treasurer.account_id, False)
    with office.session() as s:
        assert office_service.login(s, "bendahara", "rahasia-123") == (None, "login_inactive")
        assert s.get(Account, office.treasurer.account_id) is not None  # deactivated, never deleted


def test_bad_arguments_are_one_bilingual_line(capsys):
    import pytest

    for argv in (["--bogus"], ["document", "invoice"], ["export", "ledger", "--out", "x.xlsx", "--year", "abc"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
        captured = capsys.readouterr()
        line, = captured.err.splitlines()
        assert "argumen tidak benar" in line and " / bad arguments" in line and "pst --help" in line


def test_no_arguments_are_what_the_parser_makes_of_none():
    """The application started from its icon skips the parser: what it uses instead must be the same."""
    assert vars(build_parser().parse_args([])) == vars(NO_ARGUMENTS)
