"""`pst demo` fills a fresh database with a day in every state; it refuses a database in use."""

from sqlalchemy import func, select

from models import Correction, Payment, PaymentMethod, PollAnswer, RequestState, ServiceRequest, Visit
from pstdesktop.bootstrap import open_url
from pstdesktop.cli import main
from pstdesktop.config import sqlite_url
from pstdesktop.services import audit


def test_demo_fills_every_state_and_verifies(tmp_path, capsys):
    url = sqlite_url(tmp_path / "demo.sqlite")
    assert main(["--database", url, "--data-dir", str(tmp_path), "demo"]) == 0
    assert "petugas" in capsys.readouterr().out
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
