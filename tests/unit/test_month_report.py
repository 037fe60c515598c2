"""The monthly report shows what is late or turned away: open requests past their deadline (as of the
office's today), requests by the channel they came by, and redirects with their reasons — in the data and
in the Excel workbook, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from models import Channel
from pstdesktop import reports
from pstdesktop.bootstrap import open_url
from pstdesktop.services import delivery, ledger, online, requests
from pstdesktop.services.clock import utcnow
from tests.conftest import Office, at, migrated_url, visitor_answers

WIT = 9


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def month_office(request, office_hours, tmp_path, migrated_file):
    """An office on Wednesday 18-11-2026 15:00 WIT (the clock pinned there, ticking)."""
    url = migrated_url(tmp_path / "pst.sqlite", migrated_file) if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    office = Office(open_url(url, tmp_path / "backups"))
    yield office
    office.db.dispose()


def online_request(office: Office, via: str, received, name: str) -> int:
    with office.session() as s:
        person = online.register_requester(s, office.officer, visitor_answers(full_name=name))
        req = requests.open_request(s, office.officer, visitor_id=person.id, channel=Channel.ONLINE, online_via=via,
                                    received_at=received, abstraction="Kajian kemiskinan kabupaten untuk skripsi.")
        requests.add_item(s, office.officer, req.id, product_code="microdata_raw", title="Susenas Maret 2025",
                          quantity=3_400_000, media="email")
        requests.submit(s, office.officer, req.id)
        return req.id


@pytest.fixture
def november(month_office, data_file):
    """Five requests of November 2026: an email request clear on Mon 2 Nov and still waiting (due Mon 16 Nov),
    a forum request clear the same day but handed over (Rp0), a WA request clear today, a forum request
    redirected, and a walk-in opened today."""
    office = month_office
    received = at(2026, 11, 2, 9, 0, zone_hours=WIT)
    ids = {"late": online_request(office, "email", received, "Dewi Terlambat"),
           "handed": online_request(office, "forum", received, "Budi Diserahkan"),
           "fresh": online_request(office, "wa", at(2026, 11, 17, 10, 0, zone_hours=WIT), "Sari Baru"),
           "redirected": online_request(office, "forum", at(2026, 11, 10, 10, 0, zone_hours=WIT), "Andi Alih")}
    with office.session() as s:
        requests.approve(s, office.officer, ids["late"], at=received)
        requests.approve(s, office.officer, ids["handed"], at=received, waiver={
            "category": "education", "purpose": "research", "letter_number": "12/UN13/2026",
            "letter_date": date(2026, 11, 2)})
        delivery.record_sppd(s, office.officer, ids["handed"], scan=data_file("sppd-ttd.pdf", 200, fill=b"s"))
        requests.approve(s, office.officer, ids["fresh"])
        requests.redirect(s, office.officer, ids["redirected"], "Abstraksi untuk kajian pasar, data diminta "
                                                                  "tingkat individu: konsultasi dulu.")
    with office.session() as s:
        item = delivery.items_of(s, ids["handed"])[0]
        delivery.deliver(s, office.officer, ids["handed"], [delivery.DeliveredFile(item.id, data_file("d.zip", 3_400_000))],
                         channel="forum", media="forum", delivered_at=at(2026, 11, 17, 9, 0, zone_hours=WIT))
    _ticket, ids["walk_in"] = office.walk_in()
    with office.session() as s:
        ids["numbers"] = {key: s.get(requests.ServiceRequest, rid).number for key, rid in ids.items()}
    return office, ids


def test_report_lists_open_overdue_counts_channels_and_shows_redirect_reasons(november):
    office, ids = november
    numbers = ids["numbers"]
    with office.session() as s:
        report = ledger.service_report(s, office.office_id, 2026, 11)
    assert [(r.number, r.channel, r.requester, r.due, r.working_days_late) for r in report.overdue] == [
        (numbers["late"], "Email", "Dewi Terlambat", "16-11-2026 23:59 WIT", 2)]
    assert report.overdue[0].clear == "02-11-2026 09:00 WIT" and report.overdue_as_of == date(2026, 11, 18)
    assert {c.label: c.count for c in report.requests_by_channel} == {
        "Datang langsung": 1, "Forum Silastik": 2, "Email": 1, "WhatsApp": 1}
    assert [(r.number, r.channel, r.requester, r.reason) for r in report.redirects] == [
        (numbers["redirected"], "Forum Silastik", "Andi Alih",
         "Abstraksi untuk kajian pasar, data diminta tingkat individu: konsultasi dulu.")]
    online_standard = report.on_time[1]
    assert (online_standard.delivered, online_standard.on_time) == (1, 0)  # handed over a day late: stays


def test_a_past_month_lists_only_what_was_already_late_by_its_end(november):
    office, _ids = november
    with office.session() as s:
        october = ledger.service_report(s, office.office_id, 2026, 10)
    assert october.overdue == [] and october.redirects == []
    assert sum(c.count for c in october.requests_by_channel) == 0


def test_the_workbook_has_the_overdue_channel_and_redirect_sheets(november, tmp_path):
    office, ids = november
    numbers = ids["numbers"]
    out = tmp_path / "laporan.xlsx"
    reports.export_report(office.db, office.treasurer, "2026-11", out)
    book = load_workbook(out)
    assert book.sheetnames[:5] == ["Ringkasan", "Pengunjung", "Permintaan", "Terlambat", "Pengalihan"]
    summary = {row[0].value: (row[1].value, row[2].value) for row in book["Ringkasan"].iter_rows(min_row=6)
               if row[0].value}
    assert summary["Permintaan diterima"][0] == 5
    assert summary["Permintaan diterima"][1] == "Datang langsung 1; Forum Silastik 2; Email 1; WhatsApp 1"
    assert summary["Permintaan terbuka melewati batas waktu"] == (1, "per 18 November 2026")
    assert summary["Dialihkan ke konsultasi statistik"][0] == 1
    sheet = book["Permintaan"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(values) if row[0] == "Saluran")
    assert [row[:2] for row in values[start + 1:start + 5]] == [
        ["Datang langsung", 1], ["Forum Silastik", 2], ["Email", 1], ["WhatsApp", 1]]
    assert values[start + 5][0] == "Jumlah" and values[start + 5][1].startswith("=SUM(B")
    late = [[c.value for c in row] for row in book["Terlambat"].iter_rows() if row[0].value == numbers["late"]]
    assert len(late) == 1 and late[0][1:3] == ["Email", "Dewi Terlambat"] and late[0][5] == "16-11-2026 23:59 WIT"
    assert late[0][7] == 2
    cells = [c.value for row in book["Terlambat"].iter_rows() for c in row]
    assert numbers["fresh"] not in cells and numbers["handed"] not in cells and numbers["walk_in"] not in cells
    redirected = [[c.value for c in row] for row in book["Pengalihan"].iter_rows()
                  if row[1].value == numbers["redirected"]]
    assert redirected[0][2:] == ["Forum Silastik", "Andi Alih", "Universitas Pattimura",
                                 "Abstraksi untuk kajian pasar, data diminta tingkat individu: konsultasi dulu."]


def test_a_walk_in_left_open_past_its_hour_is_listed(month_office, time_machine):
    office = month_office
    _ticket, rid = office.walk_in()
    time_machine.move_to(utcnow() + timedelta(hours=2), tick=True)
    with office.session() as s:
        report = ledger.service_report(s, office.office_id, 2026, 11)
        number = s.get(requests.ServiceRequest, rid).number
    assert [(r.number, r.channel, r.working_days_late) for r in report.overdue] == [(number, "Datang langsung", 0)]
