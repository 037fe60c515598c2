"""Does PST Desktop stay as quick in an office's fifth year as on its first day?

Builds the database of five busy years of one office (BPS Kota Jambi) with bulk inserts of core rows
— visitors and visits with their daily queue numbers, requests in final states with their items,
SPPD, Rp0 waivers, referrals, invoices, payments, receipts, cash deposits, deliveries, exit polls,
the document counters so the next numbers continue, and a valid hash-chained audit trail — then times
the everyday steps through the services, on that database and on an empty one with the same office
setup, in the same process. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/history.py [--visits 200000 --requests 60000 --receipts 40000]
                                           [--database URL] [--repeat 30] [--verify] [--plans] [--keep]

By default both databases are temporary SQLite files. ``--database URL`` builds the history there
(an empty, migrated-or-new database); for PostgreSQL the empty comparison database is created beside
it (``<name>_empty``, dropped afterwards) unless ``--empty-database URL`` names one."""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import shutil
import statistics
import string
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from itertools import chain
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import delete, event, func, insert, select, text, update
from sqlalchemy.engine import make_url

from models import (
    Account,
    AuditEntry,
    CarriedBalance,
    Channel,
    ConsultationReferral,
    Delivery,
    DeliveryChannel,
    DeliveryItem,
    Deposit,
    DepositReceipt,
    DocumentCounter,
    DocumentStatus,
    Invoice,
    OfficeProfile,
    Payment,
    PaymentMethod,
    PollAnswer,
    Product,
    Receipt,
    RequestItem,
    RequestState,
    Role,
    ServiceRequest,
    SppdAgreement,
    TariffLine,
    TariffSchedule,
    Visit,
    Visitor,
    VisitStatus,
    Waiver,
)
from pstdesktop import anchors
from pstdesktop.bootstrap import Database, open_url
from pstdesktop.config import sqlite_url
from pstdesktop.services import (
    audit,
    billing,
    catalogue,
    delivery,
    feedback,
    guestbook,
    positions,
    requests,
    search,
    tariffs,
    verification,
)
from pstdesktop.services.access import Actor, actor_of
from pstdesktop.services.clock import ZONES, local_date, utcnow
from pstdesktop.services.deadlines import is_working_day, online_due, walk_in_due
from pstdesktop.services.numbering import invoice_number, next_number, receipt_number, request_number
from pstdesktop.services.office import create_account, setup_office

OFFICE = {"name": "BPS Kota Jambi", "unit_code": "1571", "city": "Jambi", "time_zone": "WIB",
          "address": "Jl. Jenderal A. Yani No. 4, Telanaipura, Kota Jambi", "phone": "(0741) 60497",
          "email": "bps1571@bps.go.id", "treasurer_name": "Dewi Kartika Sari",
          "treasurer_nip": "198803142010122001", "satker_code": "054157", "satker_name": "BPS Kota Jambi"}
PASSWORD = "bench-pst-2026"
TZ_NAME = OFFICE["time_zone"]
TZ = ZONES[TZ_NAME]
YEARS = 5
PRE_2024 = {  # the catalogue ships no PP 7/2015 figures; a benchmark-only schedule so older requests price
    "code": "BENCH-PRE2024", "regulation": "Peraturan Pemerintah No. 7 Tahun 2015 (benchmark placeholder)",
    "effective_from": "2015-01-01",
    "note": "Benchmark data only: PP 13/2024 amounts standing in for the unread PP 7/2015 Lampiran.",
}

FIRST = ("Ahmad", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hendra", "Indah", "Joko", "Kurniawan",
         "Lestari", "Muhammad", "Nur", "Putri", "Rizky", "Sri", "Taufik", "Wahyu", "Yuni", "Zulkifli", "Agus",
         "Rina", "Fajar", "Siti", "Dimas", "Ayu", "Bayu", "Nadia", "Rahmat", "Hafiz", "Mega", "Ilham", "Novi")
LAST = ("Saputra", "Hidayat", "Pratama", "Wijaya", "Siregar", "Nasution", "Harahap", "Lubis", "Syahputra",
        "Rahman", "Kusuma", "Sari", "Utami", "Putra", "Santoso", "Hasibuan", "Yusuf", "Fauzi", "Maulana",
        "Ramadhan", "Anggraini", "Permata", "Firmansyah", "Setiawan")
INSTITUTIONS = ("Universitas Jambi", "UIN Sulthan Thaha Saifuddin Jambi", "Universitas Batanghari",
                "Bappeda Provinsi Jambi", "Dinas Kesehatan Kota Jambi", "Bank Indonesia Perwakilan Jambi",
                "PT Bank Pembangunan Daerah Jambi", "CV Data Mandiri", "Politeknik Jambi",
                "SMA Negeri 1 Kota Jambi", "Dinas Pendidikan Provinsi Jambi", "BPKAD Kabupaten Muaro Jambi",
                "Lembaga Kajian Ekonomi Sumatera", "Universitas Dinamika Bangsa")
OCCUPATIONS = (("Pelajar/Mahasiswa", 40), ("Peneliti/Dosen", 15), ("ASN/TNI/Polri", 20), ("Pegawai BUMN/BUMD", 5),
               ("Pegawai Swasta", 10), ("Wiraswasta", 6), ("Lainnya", 4))
EDUCATION = {"Pelajar/Mahasiswa": ("SMA/Sederajat", "D4/S1"), "Peneliti/Dosen": ("S2", "S3"),
             "ASN/TNI/Polri": ("D4/S1", "S2", "D1/D2/D3"), "Pegawai BUMN/BUMD": ("D4/S1", "S2"),
             "Pegawai Swasta": ("D4/S1", "D1/D2/D3", "SMA/Sederajat"), "Wiraswasta": ("SMA/Sederajat", "D4/S1"),
             "Lainnya": ("SMA/Sederajat", "D4/S1")}
REGENCIES = ("Kota Jambi", "Kabupaten Muaro Jambi", "Kabupaten Batang Hari", "Kabupaten Tanjung Jabung Timur",
             "Kabupaten Tanjung Jabung Barat", "Kabupaten Sarolangun", "Kabupaten Merangin", "Kabupaten Bungo",
             "Kabupaten Tebo", "Kabupaten Kerinci", "Kota Sungai Penuh")
FOREIGN = (("Malaysia", "Kuala Lumpur"), ("Belanda", "Leiden"), ("Australia", "Canberra"))
PURPOSES = (("Pembelian Produk Statistik Berbayar", 38), ("Konsultasi Statistik", 30),
            ("Kunjungan Perpustakaan", 24), ("Rekomendasi Kegiatan Statistik", 4), ("Lainnya", 4))
PURPOSE_OTHER = ("Magang mahasiswa", "Wawancara media", "Legalisir publikasi", "Kunjungan sekolah")
DATASETS = (  # (product, title pattern, low, high) — bytes for microdata, pages or maps otherwise
    ("microdata_raw", "Susenas Maret {y} (KOR) Provinsi Jambi", 80_000_000, 200_000_000),
    ("microdata_raw", "Susenas Maret {y} Modul Konsumsi Kota Jambi", 100_000_000, 300_000_000),
    ("microdata_raw", "Sakernas Agustus {y} Provinsi Jambi", 20_000_000, 60_000_000),
    ("microdata_raw", "Podes {y} Provinsi Jambi", 10_000_000, 50_000_000),
    ("microdata_processed", "Tabulasi Susenas {y}: pengeluaran per kapita menurut kecamatan", 1_000_000, 5_000_000),
    ("pub_electronic", "Kota Jambi Dalam Angka {y}", 120, 420),
    ("map_kab_desa", "Peta WILKERSTAT SLS {y}", 1, 3),
    ("map_kab_kecamatan", "Peta WILKERSTAT kecamatan {y}", 1, 2),
)
ABSTRACTIONS = ("Analisis determinan kemiskinan rumah tangga di Provinsi Jambi untuk skripsi.",
                "Kajian ketenagakerjaan kabupaten/kota untuk perencanaan daerah (RPJMD).",
                "Penelitian dosen tentang ketahanan pangan rumah tangga perdesaan.",
                "Pemetaan wilayah layanan kesehatan menurut desa/kelurahan.")
WAIVER_CATEGORIES = ("regional_government", "education", "central_government")
WAIVER_PURPOSES = {"regional_government": "state_duties", "education": "research",
                   "central_government": "state_duties"}


# --- the office, set up the same way in both databases -------------------------------------------

@dataclass
class Staff:
    office_id: int
    supervisor: Actor
    officer: Actor
    treasurer: Actor
    kiosk: Actor


def set_up_office(db: Database) -> Staff:
    with db.unit_of_work() as s:
        if s.scalar(select(func.count()).select_from(OfficeProfile)):
            raise SystemExit("the database already holds an office: give an empty database")
        office, boss, _code = setup_office(s, OFFICE, "kepala", "Hendra Wijaya", PASSWORD)
        sup = actor_of(boss)
        staff = Staff(office.id, sup,
                      actor_of(create_account(s, sup, "petugas", "Rina Anggraini", Role.OFFICER, PASSWORD)),
                      actor_of(create_account(s, sup, "bendahara", OFFICE["treasurer_name"], Role.TREASURER,
                                              PASSWORD)),
                      actor_of(create_account(s, sup, "kiosk", "Kios Buku Tamu", Role.KIOSK, PASSWORD)))
        catalogue.add_schedule(s, sup, {**PRE_2024, "lines": catalogue.load_catalogue_file()["schedules"][0]["lines"]})
    return staff


# --- five years of history, generated in memory, then bulk-inserted -------------------------------

def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def at_local(day: date, minutes: float) -> datetime:
    return datetime.combine(day, dtime(0), TZ) + timedelta(minutes=minutes)


class Rng(random.Random):
    def digits(self, n: int) -> str:
        return "".join(self.choices(string.digits, k=n))

    def alnum(self, n: int) -> str:
        return "".join(self.choices(string.ascii_uppercase + string.digits, k=n))

    def weighted(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.choices(values, weights)[0]


@dataclass
class Req:
    visitor_id: int
    visit_index: int | None  # index into the visit list (walk-in)
    channel: Channel
    received_at: datetime
    outcome: str = ""
    id: int = 0
    number: str = ""
    items: list = field(default_factory=list)
    item_ids: list = field(default_factory=list)
    quote: tariffs.Quote | None = None
    times: dict = field(default_factory=dict)
    invoice: dict | None = None
    payment: dict | None = None
    receipt: dict | None = None


class History:
    """Everything five years leave in the database, with the audit events that wrote it."""

    def __init__(self, db: Database, staff: Staff, visits: int, requests_n: int, receipts_n: int, seed: int):
        self.db, self.staff, self.rng = db, staff, Rng(seed)
        self.sizes = (visits, requests_n, receipts_n)
        self.rows: dict[type, list[dict]] = defaultdict(list)
        self.events: list[tuple] = []  # (at, tiebreak, actor, action, entity, id, from, to, reason, snapshot)
        self.counters: dict[tuple[str, str], int] = {}
        with db.unit_of_work() as s:
            self.products = {p.code: p for p in s.scalars(select(Product))}
            schedules = s.scalars(select(TariffSchedule).order_by(TariffSchedule.effective_from)).all()
            self.schedules = [(sch.effective_from, sch, {ln.product_id: ln for ln in s.scalars(
                select(TariffLine).where(TariffLine.schedule_id == sch.id))}) for sch in schedules]
            self.accounts = {a.id: a.full_name for a in s.scalars(select(Account))}
        self.today = local_date(utcnow(), TZ_NAME)
        self.first_day = self.today.replace(year=self.today.year - YEARS)
        self.last_day = self.today - timedelta(days=1)

    # events -----------------------------------------------------------------------------------
    def log(self, at: datetime, actor: Actor, action: str, entity: str, entity_id: int, snapshot: dict, *,
            from_state: str = "", to_state: str = "", reason: str = "", extra: dict | None = None) -> None:
        if extra:
            snapshot = {**snapshot, "_extra": extra}
        self.events.append((at, len(self.events), actor.account_id, action, entity, entity_id, from_state,
                            to_state, reason, snapshot))

    def move(self, req: Req, at: datetime, actor: Actor, frm: RequestState, to: RequestState, *,
             reason: str = "", action: str | None = None) -> None:
        self.log(at, actor, action or f"request.{to.value}", "service_request", req.id,
                 self.request_snapshot(req, to), from_state=frm.value, to_state=to.value, reason=reason)

    @staticmethod
    def request_snapshot(req: Req, state: RequestState) -> dict:
        return {"number": req.number, "state": state.value, "visitor_id": req.visitor_id,
                "channel": req.channel.value}

    # visitors and visits ------------------------------------------------------------------------
    def person(self, created: datetime) -> dict:
        rng = self.rng
        first, last = rng.choice(FIRST), rng.choice(LAST)
        occupation = rng.weighted(OCCUPATIONS)
        foreign = rng.random() < 0.006
        country, regency = rng.choice(FOREIGN) if foreign else ("Indonesia", rng.choice(REGENCIES))
        disabled = rng.random() < 0.02
        student = occupation == "Pelajar/Mahasiswa"
        born = created.year - (rng.randint(18, 26) if student else rng.randint(24, 62))
        n = len(self.rows[Visitor]) + 1
        return {
            "id": n, "office_id": self.staff.office_id, "full_name": f"{first} {last}",
            "gender": rng.choice(("Laki-laki", "Perempuan")),
            "institution": rng.choice(INSTITUTIONS) if not foreign else "Universiti Malaya",
            "phone": f"08{rng.choice('1235789')}{rng.digits(9)}" if not foreign else f"+60{rng.digits(9)}",
            "email": f"{first.lower()}.{last.lower()}{n}@{rng.choice(('gmail.com', 'yahoo.co.id', 'unja.ac.id'))}",
            "occupation": occupation, "occupation_other": "Guru honorer" if occupation == "Lainnya" else "",
            "birth_year": max(born, 1940), "education": rng.choice(EDUCATION[occupation]), "country": country,
            "province": "" if foreign else ("Jambi" if rng.random() < 0.9 else rng.choice(
                ("Sumatera Selatan", "Riau", "Sumatera Barat", "DKI Jakarta"))),
            "regency": regency, "has_disability": disabled,
            "disability_type": rng.choice(("Fisik", "Sensorik")) if disabled else "",
            "id_document_type": "Paspor" if foreign else ("KTM" if student and rng.random() < 0.3 else "KTP"),
            "id_document_number": f"A{rng.digits(8)}" if foreign else f"15{rng.digits(14)}",
            "consent_at": created, "created_at": created, "erased_at": None,
        }

    def build_visits(self) -> None:
        rng, (n_visits, _, _) = self.rng, self.sizes
        days = [d for d in (self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1))
                if is_working_day(d)]
        weights = [1.0 + 0.12 * (d - self.first_day).days / 365 + (0.25 if d.weekday() == 0 else 0.0) for d in days]
        per_day = Counter(rng.choices(range(len(days)), weights, k=n_visits))
        self.visits: list[dict] = []
        visitor_created: list[datetime] = []
        for index, day in enumerate(days):
            queue_numbers: Counter = Counter()
            for minute in sorted(rng.uniform(0, 450) for _ in range(per_day[index])):  # 08:00-15:30
                arrived = utc(at_local(day, 480 + minute))
                if not visitor_created or rng.random() < 0.45:
                    person = self.person(arrived)
                    self.rows[Visitor].append(person)
                    visitor_created.append(arrived)
                    visitor_id = person["id"]
                else:
                    visitor_id = rng.randint(1, len(visitor_created))
                purpose = rng.weighted(PURPOSES)
                prefix = guestbook.PURPOSES[purpose]
                queue_numbers[prefix] += 1
                self.visits.append({
                    "id": len(self.visits) + 1, "office_id": self.staff.office_id, "visitor_id": visitor_id,
                    "purpose": purpose, "purpose_other": rng.choice(PURPOSE_OTHER) if purpose == "Lainnya" else "",
                    "arrived_at": arrived, "queue_date": day, "queue_prefix": prefix,
                    "queue_number": queue_numbers[prefix], "station": f"Meja {rng.randint(1, 3)}",
                    "status": VisitStatus.DONE, "served_by_id": self.staff.officer.account_id,
                    "serving_started_at": arrived + timedelta(minutes=rng.uniform(1, 9)),
                    "departed_at": arrived + timedelta(minutes=rng.uniform(15, 45)),
                })
            for prefix, last in queue_numbers.items():
                self.counters[(f"queue-{prefix}", day.isoformat())] = last
        self.visitor_created = visitor_created
        self.rows[Visit] = self.visits

    # requests -----------------------------------------------------------------------------------
    def build_requests(self) -> None:
        rng, (_, n_requests, n_receipts) = self.rng, self.sizes
        n_receipts = min(n_receipts, n_requests)
        buying = [i for i, v in enumerate(self.visits) if v["purpose"] == "Pembelian Produk Statistik Berbayar"]
        n_walk = min(len(buying), round(n_requests * 0.7))
        reqs = [Req(self.visits[i]["visitor_id"], i, Channel.WALK_IN, self.visits[i]["arrived_at"])
                for i in rng.sample(buying, n_walk)]
        online_span = (self.last_day - self.first_day).days - 25  # leaves time for payment and delivery
        for _ in range(n_requests - n_walk):
            received = utc(at_local(self.first_day + timedelta(days=rng.randrange(online_span)),
                                    rng.uniform(0, 1440)))
            known = bisect.bisect_right(self.visitor_created, received)
            visitor_id = rng.randint(1, known) if known else self.add_online_visitor(received)
            reqs.append(Req(visitor_id, None, Channel.ONLINE, received))
        rest = n_requests - n_receipts
        waived, redirected = rest // 2, rest * 3 // 10
        outcomes = (["paid"] * n_receipts + ["waiver"] * waived + ["redirected"] * redirected
                    + ["cancelled"] * (rest - waived - redirected))
        rng.shuffle(outcomes)
        reqs.sort(key=lambda r: r.received_at)
        per_year: Counter = Counter()
        for index, (req, outcome) in enumerate(zip(reqs, outcomes, strict=True)):
            req.id, req.outcome = index + 1, outcome
            year = req.received_at.year  # as requests.open_request numbers them
            per_year[year] += 1
            req.number = request_number(per_year[year], OFFICE["unit_code"], year)
        for year, last in per_year.items():
            self.counters[("request", str(year))] = last
        self.reqs = reqs
        for req in reqs:
            self.walk(req)

    def add_online_visitor(self, received: datetime) -> int:
        person = self.person(received)
        self.rows[Visitor].append(person)
        self.visitor_created.insert(0, received)  # only used as a count from here on
        return person["id"]

    def pick_items(self, req: Req) -> list[tuple]:
        rng, y = self.rng, local_date(req.received_at, TZ_NAME).year
        chosen = []
        for _ in range(1 if rng.random() < 0.75 else 2):
            code, title, low, high = rng.choice(DATASETS)
            region = rng.choice(REGENCIES) if code.startswith("map_kab") else ""
            quantity, data_year = rng.randint(low, high), y - rng.randint(1, 2)
            chosen.append((code, title.format(y=data_year), region, quantity, data_year))
        return chosen

    def price(self, req: Req, waived: bool) -> tariffs.Quote:
        on = local_date(req.received_at, TZ_NAME)
        index = bisect.bisect_right([eff for eff, _, _ in self.schedules], on) - 1
        _eff, schedule, lines = self.schedules[index]
        priced = []
        for item_id, (code, title, region, quantity, _year) in zip(req.item_ids, req.items, strict=True):
            product = self.products[code]
            line = lines[product.id]
            amount, extra = tariffs.line_amount(line, quantity)
            priced.append(tariffs.PricedLine(
                item_id=item_id, product_code=code, product_name=product.name_id, title=title, region=region,
                quantity=quantity, unit=product.unit_id, account_code=product.account_code,
                base_amount=line.base_amount, base_quantity=line.base_quantity, step_amount=line.step_amount,
                step_quantity=line.step_quantity, extra_blocks=extra, amount=amount,
                formula=tariffs.formula(line, product, quantity, extra, amount)))
        normal = sum(p.amount for p in priced)
        return tariffs.Quote(schedule.code, schedule.regulation, tuple(priced), normal, 0 if waived else normal)

    def walk(self, req: Req) -> None:
        """The request's life, from opening to its final state, as rows and audit events."""
        rng, st = self.rng, self.staff
        S = RequestState
        walk_in = req.channel is Channel.WALK_IN
        t = req.received_at + timedelta(minutes=rng.uniform(3, 8))

        def later(lo: float, hi: float, unit: str = "minutes") -> datetime:
            nonlocal t
            t = t + timedelta(**{unit: rng.uniform(lo, hi)})
            return t

        req.items = self.pick_items(req)
        visit = self.visits[req.visit_index] if walk_in else None
        self.log(t, st.officer, "request.open", "service_request", req.id, self.request_snapshot(req, S.DRAFT),
                 to_state=S.DRAFT.value)
        for code, title, region, quantity, data_year in req.items:
            item_id = len(self.rows[RequestItem]) + 1
            req.item_ids.append(item_id)
            self.rows[RequestItem].append({
                "id": item_id, "request_id": req.id, "product_id": self.products[code].id, "title": title,
                "region": region, "year": data_year,
                "data_format": "shp" if code.startswith("map") else ("pdf" if code.startswith("pub") else "dta"),
                "media": "flashdisk" if walk_in else "forum", "quantity": quantity, "variables": "",
                "price": None, "price_formula": ""})
            self.log(later(0.5, 2), st.officer, "request.item_add", "service_request", req.id,
                     self.request_snapshot(req, S.DRAFT), extra={"item": item_id, "product": code, "quantity": quantity})
        self.move(req, later(1, 4), st.officer, S.DRAFT, S.SUBMITTED)
        state = S.SUBMITTED
        if req.outcome == "redirected":
            reason = "Data yang diminta tidak sesuai abstraksi; perlu konsultasi pemilihan data."
            self.move(req, later(3, 10), st.officer, S.SUBMITTED, S.REDIRECTED, reason=reason)
            self.rows[ConsultationReferral].append({"request_id": req.id, "reason": reason,
                                                    "referred_by_id": st.officer.account_id, "referred_at": t})
            if visit:
                visit["station"] = "Konsultasi Statistik"
            self.finish(req, S.REDIRECTED, t, visit)
            return
        cancel_early = req.outcome == "cancelled" and rng.random() < 0.6
        if cancel_early:
            reason = "Pengunjung membatalkan: anggaran belum tersedia."
            self.move(req, later(2, 10), st.officer, S.SUBMITTED, S.CANCELLED, reason=reason)
            self.finish(req, S.CANCELLED, t, visit)
            return
        waived = req.outcome == "waiver"
        req.quote = quote = self.price(req, waived)
        approved = later(3, 12) if walk_in else later(2, 40, "hours")
        req.times["clear_at"] = approved  # every approved request records when it became clear
        if waived:
            category = rng.choice(WAIVER_CATEGORIES)
            self.rows[Waiver].append({
                "request_id": req.id, "category": category, "purpose": WAIVER_PURPOSES[category],
                "letter_number": f"{rng.randint(1, 999):03d}/{rng.choice(('UNJA', 'BAPPEDA', 'DINKES'))}/{approved.year}",
                "letter_date": local_date(approved, TZ_NAME) - timedelta(days=rng.randint(1, 10)),
                "approved_by_id": st.officer.account_id, "normal_amount": quote.normal_total, "recorded_at": approved})
        for line, item_id in zip(quote.lines, req.item_ids, strict=True):
            row = self.rows[RequestItem][item_id - 1]
            row["price"], row["price_formula"] = line.amount, line.formula
        self.move(req, approved, st.officer, S.SUBMITTED, S.APPROVED,
                  reason=f"Rp0: {self.rows[Waiver][-1]['category']}" if waived else "")
        sppd_id = len(self.rows[SppdAgreement]) + 1
        signed = later(1, 5)
        self.rows[SppdAgreement].append({
            "id": sppd_id, "request_id": req.id, "signed_at": signed, "materai_amount": 10_000,
            "originals_expected": 1 if walk_in else 2,
            "originals_received_at": None if walk_in else signed + timedelta(days=rng.uniform(2, 6)),
            "recorded_by_id": st.officer.account_id,
            "snapshot": {"abstraction": rng.choice(ABSTRACTIONS),
                         "items": [{"title": i[1], "region": i[2], "quantity": i[3]} for i in req.items]}})
        self.log(signed, st.officer, "sppd.signed", "service_request", req.id, self.request_snapshot(req, S.APPROVED),
                 extra={"sppd": sppd_id})
        state = S.APPROVED
        if not waived:
            self.invoice(req, later(2, 8) if walk_in else later(1, 6, "hours"))
            state = S.INVOICED
            if not walk_in:  # online: a sample file goes out with the invoice and is checked before paying
                self.sample(req, "sent", t)
                if req.outcome == "paid":
                    self.sample(req, "checked", later(2, 30, "hours"))
            if req.outcome == "cancelled":
                reason = "Pembeli membatalkan sebelum membayar."
                cancelled = later(1, 3, "days") if not walk_in else later(5, 15)
                req.invoice.update(status=DocumentStatus.CANCELLED, cancel_reason=reason, cancelled_at=cancelled)
                self.log(cancelled, st.officer, "invoice.cancel", "invoice", req.invoice["tmp"],
                         self.invoice_snapshot(req), reason=reason)
                self.move(req, cancelled, st.officer, S.INVOICED, S.CANCELLED, reason=reason)
                self.finish(req, S.CANCELLED, t, visit)
                return
            t = self.pay(req, later(5, 20) if walk_in else later(0.5, 5, "days"))
            self.issue_receipt(req, later(2, 6) if walk_in else later(1, 20, "hours"))
            state = S.RECEIPTED
        delivered = later(3, 10) if walk_in else later(1, 24, "hours")
        self.deliver(req, delivered, receipt=not waived)
        self.move(req, delivered, st.officer, state, S.DELIVERED)
        checked = later(3, 10) if walk_in else later(1, 3, "days")
        self.rows[Delivery][-1]["checked_at"] = checked
        self.move(req, checked, st.officer, S.DELIVERED, S.VERIFIED)
        if walk_in:
            closed = later(1, 4)
            visit["departed_at"] = closed
            self.poll(visit, closed)
            self.move(req, closed, st.kiosk, S.VERIFIED, S.CLOSED, action="request.closed_at_exit")
        else:
            self.move(req, later(1, 8, "hours"), st.officer, S.VERIFIED, S.CLOSED)
        self.finish(req, S.CLOSED, t, visit)

    def sample(self, req: Req, what: str, at: datetime) -> None:
        req.times[f"sample_{what}_at"] = at
        self.log(at, self.staff.officer, f"request.sample_{what}", "service_request", req.id,
                 self.request_snapshot(req, RequestState.INVOICED), extra={"at": at.isoformat()})

    def finish(self, req: Req, state: RequestState, last: datetime, visit: dict | None) -> None:
        if visit is not None and visit["departed_at"] < last:
            visit["departed_at"] = last + timedelta(minutes=2)
        self.rows[ServiceRequest].append({
            "id": req.id, "office_id": self.staff.office_id, "number": req.number, "visitor_id": req.visitor_id,
            "visit_id": visit["id"] if visit else None, "channel": req.channel,
            "online_via": "" if visit else self.rng.choice(("email", "wa", "forum")), "received_at": req.received_at,
            "clear_at": req.times.get("clear_at"),
            "due_at": walk_in_due(req.received_at) if visit else (
                online_due(req.times["clear_at"], TZ_NAME) if req.times.get("clear_at") else None),
            "abstraction": self.rng.choice(ABSTRACTIONS), "sample_sent_at": req.times.get("sample_sent_at"),
            "sample_checked_at": req.times.get("sample_checked_at"), "sample_note": "", "state": state, "created_by_id": self.staff.officer.account_id,
            "updated_at": last, "version": 1})

    def invoice(self, req: Req, issued: datetime) -> None:
        simponi = self.rng.random() < (0.4 if req.channel is Channel.WALK_IN else 0.5)
        code = f"8202{self.rng.digits(11)}" if simponi else None
        req.invoice = {
            "tmp": -req.id, "office_id": self.staff.office_id, "request_id": req.id, "issued_at": issued,
            "issued_by_id": self.staff.officer.account_id, "payer_name": self.rows[Visitor][req.visitor_id - 1]["full_name"],
            "schedule_code": req.quote.schedule_code, "lines": [ln.as_dict() for ln in req.quote.lines],
            "normal_total": req.quote.normal_total, "total": req.quote.total, "billing_code": code,
            "billing_expires_at": issued + timedelta(days=7) if code else None, "status": DocumentStatus.ISSUED,
            "cancel_reason": "", "cancelled_at": None}
        self.rows[Invoice].append(req.invoice)
        self.log(issued, self.staff.officer, "invoice.issue", "invoice", req.invoice["tmp"], {})
        self.move(req, issued, self.staff.officer, RequestState.APPROVED, RequestState.INVOICED)

    @staticmethod
    def invoice_snapshot(req: Req) -> dict:
        inv = req.invoice
        return {"number": inv.get("number"), "request_id": req.id, "normal_total": inv["normal_total"],
                "total": inv["total"], "status": inv["status"].value, "billing_code": inv["billing_code"]}

    def pay(self, req: Req, paid: datetime) -> datetime:
        rng, inv = self.rng, req.invoice
        if inv["billing_code"]:
            method = PaymentMethod.SIMPONI
        else:
            method = PaymentMethod.CASH if req.channel is Channel.WALK_IN else PaymentMethod.TRANSFER
        total = inv["total"]
        tendered = -(-total // 50_000) * 50_000 if method is PaymentMethod.CASH else None
        recorded = paid + timedelta(minutes=rng.uniform(0.5, 3) if method is PaymentMethod.CASH else rng.uniform(30, 600))
        req.payment = {
            "office_id": self.staff.office_id, "request_id": req.id, "idempotency_key": f"hist-{req.id}",
            "method": method, "amount": total, "cash_tendered": tendered,
            "change_given": tendered - total if tendered is not None else None, "billing_code": inv["billing_code"],
            "ntpn": rng.alnum(16) if method is PaymentMethod.SIMPONI else None,
            "ntb": (rng.digits(12) if method is not PaymentMethod.CASH else None),
            "bank": rng.choice(("BNI", "BRI", "Bank Mandiri", "Bank Jambi")) if method is not PaymentMethod.CASH else "",
            "proof_file": f"bukti/transfer-{req.number}.pdf" if method is PaymentMethod.TRANSFER else "",
            "proof_sha256": rng.getrandbits(256).to_bytes(32).hex() if method is PaymentMethod.TRANSFER else "",
            "paid_at": paid, "recorded_at": recorded, "recorded_by_id": self.staff.treasurer.account_id}
        self.rows[Payment].append(req.payment)
        inv["status"] = DocumentStatus.PAID
        self.log(recorded, self.staff.treasurer, "payment.record", "payment", -req.id, {})
        self.log(recorded, self.staff.treasurer, "invoice.paid", "invoice", -req.id, {})
        self.move(req, recorded, self.staff.treasurer, RequestState.INVOICED, RequestState.PAID)
        return recorded

    def issue_receipt(self, req: Req, issued: datetime) -> None:
        lines = req.invoice["lines"]
        req.receipt = {
            "office_id": self.staff.office_id, "issued_at": issued, "issued_by_id": self.staff.treasurer.account_id,
            "received_from": req.invoice["payer_name"], "amount": req.payment["amount"],
            "account_code": ", ".join(sorted({ln["account_code"] for ln in lines})),
            "status": DocumentStatus.ISSUED, "cancel_reason": "", "cancelled_at": None, "cancelled_by_id": None,
            "request": req}
        self.rows[Receipt].append(req.receipt)
        self.log(issued, self.staff.treasurer, "receipt.issue", "receipt", -req.id, {})
        self.move(req, issued, self.staff.treasurer, RequestState.PAID, RequestState.RECEIPTED)

    def deliver(self, req: Req, delivered: datetime, receipt: bool) -> None:
        walk_in = req.channel is Channel.WALK_IN
        delivery_id = len(self.rows[Delivery]) + 1
        self.rows[Delivery].append({
            "id": delivery_id, "request_id": req.id, "round": 1,
            "channel": DeliveryChannel.IN_PERSON if walk_in else DeliveryChannel.FORUM,
            "media": "flashdisk" if walk_in else "forum", "media_label": f"PST-{req.id:05d}",
            "delivered_at": delivered, "delivered_by_id": self.staff.officer.account_id,
            "receipt_handed_over": receipt, "fixes": "", "checked_at": None})
        for item_id, (code, title, _region, quantity, _year) in zip(req.item_ids, req.items, strict=True):
            size = quantity if code.startswith("microdata") else quantity * 2_500_000
            self.rows[DeliveryItem].append({
                "delivery_id": delivery_id, "request_item_id": item_id,
                "file_name": title.lower().replace(" ", "_").replace(":", "")[:60] + (".zip" if code.startswith("map") else ".dta"),
                "size_bytes": size, "sha256": self.rng.getrandbits(256).to_bytes(32).hex()})

    def poll(self, visit: dict, answered: datetime) -> None:
        ratings = [min(4, max(1, round(self.rng.gauss(3.4, 0.6)))) for _ in range(9)]
        self.rows[PollAnswer].append({"office_id": self.staff.office_id, "visit_id": visit["id"],
                                      "answered_at": answered, "comment": "",
                                      **{f"u{i + 1}": r for i, r in enumerate(ratings)}})

    # documents numbered in the order they were issued -------------------------------------------
    def number_documents(self) -> None:
        invoices = sorted(self.rows[Invoice], key=lambda r: r["issued_at"])
        per_year: Counter = Counter()
        by_tmp = {}
        for index, inv in enumerate(invoices):
            year = inv["issued_at"].astimezone(TZ).year
            per_year[year] += 1
            inv.update(id=index + 1, year=year, sequence=per_year[year],
                       number=invoice_number(per_year[year], OFFICE["unit_code"], year))
            by_tmp[inv["tmp"]] = inv
        for year, last in per_year.items():
            self.counters[("invoice", str(year))] = last
        self.rows[Invoice] = invoices
        payments = sorted(self.rows[Payment], key=lambda r: r["recorded_at"])
        payment_ids = {}
        for index, pay in enumerate(payments):
            pay["id"] = index + 1
            pay["invoice_id"] = by_tmp[-pay["request_id"]]["id"]
            payment_ids[-pay["request_id"]] = pay["id"]
        self.rows[Payment] = payments
        receipts = sorted(self.rows[Receipt], key=lambda r: r["issued_at"])
        per_year = Counter()
        receipt_ids = {}
        for index, rec in enumerate(receipts):
            shown = rec["issued_at"].astimezone(TZ)
            per_year[shown.year] += 1
            req = rec["request"]
            rec.update(id=index + 1, year=shown.year, sequence=per_year[shown.year], payment_id=req.payment["id"],
                       number=receipt_number(per_year[shown.year], OFFICE["satker_code"], shown.month, shown.year),
                       description=billing.receipt_description(SimpleNamespace(lines=req.invoice["lines"],
                                                                               number=req.invoice["number"]),
                                                               SimpleNamespace(number=req.number)))
            receipt_ids[-req.id] = rec["id"]
        for year, last in per_year.items():
            self.counters[("receipt", str(year))] = last
        self.rows[Receipt] = receipts
        by_request = {req.id: req for req in self.reqs}
        # the audit events named documents by -request id until they had ids
        resolved = []
        for ev in self.events:
            at, tie, actor, action, entity, entity_id, frm, to, reason, snapshot = ev
            if entity_id < 0:
                req = by_request[-entity_id]
                if entity == "invoice":
                    inv = req.invoice
                    status = {"invoice.issue": "issued", "invoice.paid": "paid", "invoice.cancel": "cancelled"}[action]
                    snapshot = {**self.invoice_snapshot(req), "status": status}
                    entity_id = inv["id"]
                elif entity == "payment":
                    pay = req.payment
                    entity_id = pay["id"]
                    snapshot = {"invoice_id": pay["invoice_id"], "method": pay["method"].value, "amount": pay["amount"],
                                "ntpn": pay["ntpn"], "ntb": pay["ntb"], "billing_code": pay["billing_code"]}
                else:
                    rec = req.receipt
                    entity_id = rec["id"]
                    snapshot = {"number": rec["number"], "payment_id": rec["payment_id"], "amount": rec["amount"],
                                "status": "issued", "received_from": rec["received_from"]}
            resolved.append((at, tie, actor, action, entity, entity_id, frm, to, reason, snapshot))
        self.events = resolved
        for pay in payments:
            del pay["request_id"]
        for inv in invoices:
            del inv["tmp"]
        for rec in receipts:
            del rec["request"]

    def build_deposits(self) -> None:
        """Cash takings of each day deposited to Kas Negara the next working day, with their NTPN."""
        cash = defaultdict(list)
        method = {p["id"]: p["method"] for p in self.rows[Payment]}
        for rec in self.rows[Receipt]:
            if method[rec["payment_id"]] is PaymentMethod.CASH:
                cash[rec["issued_at"].astimezone(TZ).date()].append(rec)
        for day in sorted(cash):
            on = day + timedelta(days=1)
            while not is_working_day(on):
                on += timedelta(days=1)
            if on > self.last_day:
                continue  # the last day's takings are deposited today
            deposit_id = len(self.rows[Deposit]) + 1
            recorded = utc(at_local(on, 600 + self.rng.uniform(0, 120)))
            ntpn = self.rng.alnum(16)
            amount = sum(r["amount"] for r in cash[day])
            self.rows[Deposit].append({"id": deposit_id, "office_id": self.staff.office_id, "deposited_on": on,
                                       "ntpn": ntpn, "amount": amount, "recorded_at": recorded,
                                       "recorded_by_id": self.staff.treasurer.account_id})
            self.rows[DepositReceipt].extend({"deposit_id": deposit_id, "receipt_id": r["id"]} for r in cash[day])
            self.log(recorded, self.staff.treasurer, "deposit.record", "deposit", deposit_id,
                     {"ntpn": ntpn, "amount": amount, "deposited_on": on.isoformat()},
                     extra={"receipts": [r["number"] for r in cash[day]]})

    def build(self) -> dict[str, float]:
        stages = {}
        start = time.perf_counter()
        self.build_visits()
        self.build_requests()
        polled = {p["visit_id"] for p in self.rows[PollAnswer]}
        for visit in self.visits:  # half of the other visitors answer the exit poll too
            if visit["id"] not in polled and self.rng.random() < 0.5:
                self.poll(visit, visit["departed_at"])
        self.number_documents()
        self.build_deposits()
        self.rows[PollAnswer].sort(key=lambda r: r["answered_at"])
        for index, row in enumerate(self.rows[PollAnswer]):
            row["id"] = index + 1
        self.rows[ServiceRequest].sort(key=lambda r: r["id"])
        stages["generate"] = time.perf_counter() - start
        start = time.perf_counter()
        self.insert_all()
        stages["insert"] = time.perf_counter() - start
        start = time.perf_counter()
        with self.db.unit_of_work() as s:  # bulk inserts bypass the flush that keeps the search text
            search.refresh(s, [r["id"] for r in self.rows[ServiceRequest]])
            for office_id in s.scalars(select(OfficeProfile.id)):  # and the balances billing carries forward
                s.merge(CarriedBalance(office_id=office_id, **positions.movement_sums(s, office_id)))
        stages["search index"] = time.perf_counter() - start
        start = time.perf_counter()
        self.write_audit_chain()
        stages["audit chain"] = time.perf_counter() - start
        return stages

    # writing ------------------------------------------------------------------------------------
    ORDER = (Visitor, Visit, ServiceRequest, RequestItem, Waiver, ConsultationReferral, SppdAgreement, Invoice,
             Payment, Receipt, Deposit, DepositReceipt, Delivery, DeliveryItem, PollAnswer)

    def insert_all(self, chunk: int = 20_000) -> None:
        with self.db.engine.begin() as conn:
            for model in self.ORDER:
                rows = self.rows[model]
                for i in range(0, len(rows), chunk):
                    conn.execute(insert(model), rows[i:i + chunk])
            existing = {(k, p): n for k, p, n in conn.execute(select(
                DocumentCounter.kind, DocumentCounter.period, DocumentCounter.last_number)
                .where(DocumentCounter.office_id == self.staff.office_id))}
            assert not existing, f"counters already in use: {existing}"
            conn.execute(insert(DocumentCounter), [
                {"office_id": self.staff.office_id, "kind": kind, "period": period, "last_number": last}
                for (kind, period), last in sorted(self.counters.items())])
            if conn.dialect.name == "postgresql":
                for model in self.ORDER:
                    table = model.__table__.name
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"))

    def write_audit_chain(self, chunk: int = 20_000) -> None:
        """Five years of trail as an office that upgraded from the unkeyed trail has it: the setup entries
        (moved to the office's first day) and every event chained by the old SHA-256 rule, then sealed by
        the application itself (``audit.seal``: the keyed epoch and one baseline entry per row)."""
        with self.db.engine.begin() as conn:
            setup = [dict(r._mapping) for r in conn.execute(
                select(AuditEntry.__table__).where(AuditEntry.action.not_in(("audit.epoch", "audit.baseline")))
                .order_by(AuditEntry.seq))]
            opened = utc(at_local(self.first_day, 420))
            for i, entry in enumerate(setup):
                entry["at"] = opened + timedelta(seconds=i)
            for model in (OfficeProfile, Account, TariffSchedule):
                conn.execute(update(model).values(created_at=opened))
            conn.execute(delete(AuditEntry))
            self.events.sort(key=lambda ev: (ev[0], ev[1]))
            prev, seq, batch = audit.GENESIS, 0, []
            stream = [(e["at"], e["actor_id"], e["actor_name"], e["action"], e["entity"], e["entity_id"],
                       e["from_state"], e["to_state"], e["reason"], e["snapshot"]) for e in setup]
            stream_events = ((at, actor, self.accounts[actor], action, entity, entity_id, frm, to, reason, snap)
                             for at, _tie, actor, action, entity, entity_id, frm, to, reason, snap in self.events)
            for at, actor, name, action, entity, entity_id, frm, to, reason, snap in chain(stream, stream_events):
                seq += 1
                snapshot = json.loads(json.dumps(snap))
                prev_hash, prev = prev, audit.legacy_hash(prev, seq, at, actor, name, action, entity, entity_id, frm,
                                                          to, reason, snapshot)
                batch.append({"seq": seq, "at": at, "actor_id": actor, "actor_name": name, "action": action,
                              "entity": entity, "entity_id": entity_id, "from_state": frm, "to_state": to,
                              "reason": reason, "snapshot": snapshot, "prev_hash": prev_hash, "hash": prev})
                if len(batch) >= chunk:
                    conn.execute(insert(AuditEntry), batch)
                    batch = []
            if batch:
                conn.execute(insert(AuditEntry), batch)
            conn.execute(update(DocumentCounter).where(
                DocumentCounter.office_id == audit.CHAIN_OFFICE, DocumentCounter.kind == audit.CHAIN_KIND,
                DocumentCounter.period == audit.CHAIN_PERIOD).values(last_number=seq))
        # the setup trail, its epoch and the anchors of it are gone: the application seals the new trail
        audit._SEALS.pop(self.db.engine, None)
        anchors.anchor_file(self.db.engine.url.render_as_string(hide_password=False)).unlink(missing_ok=True)
        with self.db.unit_of_work() as session:
            audit.seal(session)
            self.audit_entries = session.scalar(select(func.max(AuditEntry.seq)))


# --- timing the services --------------------------------------------------------------------------

class Rollback(Exception):
    pass


@dataclass
class Measure:
    label: str
    required: bool = True
    samples: list[float] = field(default_factory=list)
    commit: list[float] = field(default_factory=list)  # of which: commit (or rollback) and close


class Bench:
    """Times each step through the services, one unit of work per call (commit included)."""

    def __init__(self, db: Database, staff: Staff, repeat: int, files: Path, capture: bool):
        self.db, self.staff, self.repeat, self.files = db, staff, repeat, files
        self.results: dict[str, Measure] = {}
        self.statements: dict[str, dict[str, tuple]] = defaultdict(dict)
        self.spent: dict[str, Counter] = defaultdict(Counter)  # op -> statement -> total ms
        self.calls: dict[str, Counter] = defaultdict(Counter)
        self.current = ""
        event.listen(db.engine, "before_cursor_execute", self._before)
        event.listen(db.engine, "after_cursor_execute", self._after)
        self.capture = capture

    def _before(self, conn, _cursor, statement, parameters, _context, executemany):
        conn.info["bench_started"] = time.perf_counter()
        if self.capture and self.current and not executemany and statement.lstrip().upper().startswith(
                ("SELECT", "UPDATE", "DELETE")):
            self.statements[self.current].setdefault(statement, parameters)

    def _after(self, conn, _cursor, statement, _parameters, _context, _executemany):
        if self.current:
            self.spent[self.current][statement] += (time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())) * 1000
            self.calls[self.current][statement] += 1

    def timed(self, key: str, label: str, work: Callable, *, required: bool = True, rollback: bool = False):
        measure = self.results.setdefault(key, Measure(label, required))
        self.current = key
        start = time.perf_counter()
        session = self.db.sessions()
        try:
            with session.begin():
                result = work(session)
                worked = time.perf_counter()
                if rollback:
                    raise Rollback
        except Rollback:
            result = None
        finally:
            session.close()
        done = time.perf_counter()
        measure.samples.append((done - start) * 1000)
        measure.commit.append((done - worked) * 1000)
        self.current = ""
        return result

    def run(self):
        """The steps in order; a generator that pauses after every timed call, so the two databases
        can be timed call by call in turn and any drift of the machine's load hits both alike."""
        st, n = self.staff, self.repeat + 1  # the first call of each step is a warm-up, not counted
        with self.db.unit_of_work() as s:  # the morning's earlier visitors, so the queue fills a page
            for i in range(max(25, 60 - n)):
                guestbook.register_visit(s, st.kiosk, answers(1000 + i), "Kunjungan Perpustakaan")
        tickets = []
        for i in range(n):
            tickets.append(self.timed("a", "(a) guestbook.register_visit", lambda s, i=i: guestbook.register_visit(
                s, st.kiosk, answers(i), "Pembelian Produk Statistik Berbayar")))
            yield
        rids = []
        for ticket in tickets:
            def open_(s, ticket=ticket):
                req = requests.open_request(s, st.officer, visitor_id=ticket.visitor_id, channel=Channel.WALK_IN,
                                            visit_id=ticket.visit_id, abstraction=ABSTRACTIONS[0])
                requests.add_item(s, st.officer, req.id, product_code="microdata_raw", media="flashdisk",
                                  title="Susenas Maret 2025 (KOR) Provinsi Jambi", quantity=150_000_000)
                return req.id
            rids.append(self.timed("open", "requests.open_request + add_item", open_, required=False))
            yield
        for rid in rids:
            self.timed("submit", "requests.submit", lambda s, rid=rid: requests.submit(s, st.officer, rid),
                       required=False)
            yield
        for rid in rids:
            self.timed("approve", "requests.approve", lambda s, rid=rid: requests.approve(s, st.officer, rid),
                       required=False)
            with self.db.unit_of_work() as s:
                delivery.record_sppd(s, st.officer, rid)
            yield
        invoices = []
        for rid in rids:
            invoices.append(self.timed("invoice", "billing.issue_invoice",
                                       lambda s, rid=rid: billing.issue_invoice(s, st.officer, rid), required=False))
            yield
        payments = []
        for inv in invoices:
            payments.append(self.timed("payment", "billing.record_payment (cash)", lambda s, inv=inv: (
                billing.record_payment(s, st.treasurer, inv.id, method=PaymentMethod.CASH, amount=inv.total,
                                       cash_tendered=inv.total, idempotency_key=f"bench-{inv.id}")), required=False))
            yield
        year = str(local_date(utcnow(), TZ_NAME).year)
        for _ in range(n):
            self.timed("b1", "(b) numbering.next_number('receipt'), rolled back",
                       lambda s: next_number(s, st.office_id, "receipt", year), rollback=True)
            yield
        for pay in payments:
            self.timed("b2", "(b) billing.issue_receipt", lambda s, pay=pay: billing.issue_receipt(
                s, st.treasurer, pay.id))
            yield
        for _ in range(n):
            page = self.timed("c", "(c) guestbook.queue, today's first page",
                              lambda s: [v.queue_code for v in guestbook.queue(s, st.officer)])
            yield
        assert len(page) == 50, len(page)
        for _ in range(n):
            board = self.timed("d", "(d) requests.open_requests, first page",
                               lambda s: [r.id for r in requests.open_requests(s, st.officer)])
            yield
        assert sorted(board) == sorted(rids), (len(board), len(rids))
        for _ in range(n):
            self.timed("counts", "guestbook.queue_counts (today)",
                       lambda s: guestbook.queue_counts(s, st.officer), required=False)
            yield
        for i in range(n):
            self.timed("returning", "guestbook.find_returning (phone)",
                       lambda s, i=i: guestbook.find_returning(s, st.kiosk, answers(i)["phone"]), required=False)
            yield
        for _ in range(n):
            self.timed("search", "requests.find_requests (name)",
                       lambda s: requests.find_requests(s, st.officer, "Hidayat"), required=False)
            yield
        for _ in range(n):
            self.timed("cash", "billing.undeposited_cash (treasurer panel)",
                       lambda s: billing.undeposited_cash(s, st.treasurer), required=False)
            yield
        for rid in rids:
            def hand_over(s, rid=rid):
                item = delivery.items_of(s, rid)[0]
                path = self.files / f"data-{rid}.dta"
                path.write_bytes(b"\x00" * 4096)
                return delivery.deliver(s, st.officer, rid, [delivery.DeliveredFile(item.id, path)],
                                        channel=DeliveryChannel.IN_PERSON, media="flashdisk", receipt_handed_over=True,
                                        size_reason="Berkas uji lebih kecil.")
            self.timed("deliver", "delivery.deliver", hand_over, required=False)
            with self.db.unit_of_work() as s:
                delivery.confirm_checked(s, st.officer, rid)
            yield
        for ticket in tickets:
            self.timed("poll", "feedback.answer_poll (closes the request)", lambda s, t=ticket: feedback.answer_poll(
                s, st.kiosk, t.visit_id, [4, 3, 4, 3, 4, 4, 4, 3, 3]), required=False)
            yield

    def medians(self, commit: bool = False) -> dict[str, float]:
        return {key: statistics.median((m.commit if commit else m.samples)[1:]) for key, m in self.results.items()}


def answers(i: int) -> dict:
    first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
    return {"full_name": f"{first} {last}", "gender": "Perempuan" if i % 2 else "Laki-laki",
            "institution": INSTITUTIONS[i % len(INSTITUTIONS)], "phone": f"0852{70000000 + i:08d}",
            "email": f"{first.lower()}.{last.lower()}.bench{i}@gmail.com", "occupation": "Peneliti/Dosen",
            "occupation_other": "", "birth_year": 1985, "education": "S2", "country": "Indonesia",
            "province": "Jambi", "regency": "Kota Jambi", "has_disability": False, "disability_type": "",
            "id_document_type": "KTP", "consent": True,
            "id_document_number": f"157101{41 if i % 2 else 1:02d}0185{i % 10000:04d}"}  # born 1 Jan 1985


# --- query plans: which statements scan a large table ---------------------------------------------

SMALL = {"office_profile", "account", "product", "tariff_schedule", "tariff_line", "document_counter"}


def full_scans(db: Database, bench: Bench, sizes: dict[str, int]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    big = {t for t, n in sizes.items() if n >= 1000 and t not in SMALL}
    with db.engine.connect() as conn:
        for key, statements in bench.statements.items():
            for statement, params in statements.items():
                if conn.dialect.name == "sqlite":
                    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
                    # a table read in its key order without a filter and stopped by LIMIT (the newest row)
                    stops_early = (" WHERE " not in statement and " LIMIT " in statement
                                   and not any("TEMP B-TREE" in row[-1] for row in rows))
                    for row in rows:
                        detail = row[-1]
                        words = detail.split()
                        if words[0] == "SCAN" and words[1] in big and not (stops_early and len(words) == 2):
                            found[key].append((detail, statement))
                        elif words[0] == "SEARCH" and words[1] in big and detail.endswith("(office_id=?)"):
                            # one office per database: an index on office_id alone still reads every row
                            found[key].append((f"{detail} — every row of the office", statement))
                else:
                    rows = conn.exec_driver_sql(f"EXPLAIN {statement}", params).all()
                    for (line,) in rows:
                        if "Seq Scan on" in line and line.split("Seq Scan on")[1].split()[0] in big:
                            found[key].append((line.strip(), statement))
            conn.rollback()
    return found


def table_sizes(db: Database) -> dict[str, int]:
    from models import Base

    with db.engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in Base.metadata.tables.items()}


def plans(db: Database, bench: Bench) -> None:
    with db.engine.connect() as conn:
        for key, statements in bench.statements.items():
            print(f"\n[{key}] {bench.results[key].label}")
            for statement, params in statements.items():
                prefix = "EXPLAIN QUERY PLAN" if conn.dialect.name == "sqlite" else "EXPLAIN"
                print("  " + " ".join(statement.split())[:160])
                for row in conn.exec_driver_sql(f"{prefix} {statement}", params).all():
                    print("      " + str(row[-1]))
            conn.rollback()


# --- databases --------------------------------------------------------------------------------------

def empty_database_for(url: str, given: str | None, workdir: Path) -> tuple[str, Callable[[], None]]:
    if given:
        return given, lambda: None
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return sqlite_url(workdir / "empty.sqlite"), lambda: None
    import psycopg

    name = f"{parsed.database}_empty"
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parsed.set(database=name).render_as_string(hide_password=False), drop


def describe(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database} (WAL, synchronous=FULL)"
    return f"PostgreSQL {parsed.host}:{parsed.port}/{parsed.database}"


def file_size(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return ""
    size = sum(p.stat().st_size for p in Path(parsed.database).parent.glob(Path(parsed.database).name + "*"))
    return f", {size / 1e6:,.0f} MB on disk"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=60_000)
    parser.add_argument("--receipts", type=int, default=40_000)
    parser.add_argument("--database", metavar="URL", help="build the five years here (default: temporary SQLite)")
    parser.add_argument("--empty-database", metavar="URL", help="the empty comparison database")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per step (median reported)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--verify", action="store_true", help="run the audit verification on the history too")
    parser.add_argument("--plans", action="store_true", help="print the query plan of every timed statement")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if not 0 < args.receipts <= args.requests or args.visits <= 0:
        parser.error("need 0 < receipts <= requests and visits > 0")

    workdir = Path(tempfile.mkdtemp(prefix="pst-history-"))
    history_url = args.database or sqlite_url(workdir / "history.sqlite")
    empty_url, drop_empty = empty_database_for(history_url, args.empty_database, workdir)
    try:
        return run(args, workdir, history_url, empty_url)
    finally:
        drop_empty()
        if args.keep:
            print(f"\nkept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path, history_url: str, empty_url: str) -> int:
    print(f"PST Desktop — {YEARS}-year history benchmark")
    print(f"  history: {describe(history_url)}\n  empty:   {describe(empty_url)}")
    history_db, empty_db = open_url(history_url), open_url(empty_url)
    try:
        staff_h, staff_e = set_up_office(history_db), set_up_office(empty_db)
        started = time.perf_counter()
        history = History(history_db, staff_h, args.visits, args.requests, args.receipts, args.seed)
        stages = history.build()
        if history_db.engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
            with history_db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM (ANALYZE)"))
        built = time.perf_counter() - started
        sizes = table_sizes(history_db)
        print(f"  built in {built:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in stages.items())})"
              f"{file_size(history_url)}")
        print("  " + ", ".join(f"{sizes[t]:,} {label}" for t, label in (
            ("visitor", "visitors"), ("visit", "visits"), ("service_request", "requests"),
            ("request_item", "items"), ("invoice", "invoices"), ("payment", "payments"), ("receipt", "receipts"),
            ("deposit", "deposits"), ("poll_answer", "poll answers"), ("document_counter", "counters"),
            ("audit_entry", "audit entries"))))
        first, last = history.first_day, history.last_day
        print(f"  from {first:%d-%m-%Y} to {last:%d-%m-%Y} (office time {TZ_NAME}); "
              f"receipt counter {history.counters.get(('receipt', str(last.year)), 0)} for {last.year}, "
              f"invoice counter {history.counters.get(('invoice', str(last.year)), 0)}")
        if args.verify:
            start = time.perf_counter()
            with history_db.unit_of_work() as s:
                findings = verification.verify(s)
            print(f"  audit.verify on the history: {len(findings)} finding(s) in {time.perf_counter() - start:.1f} s"
                  + "".join(f"\n    - {f}" for f in findings[:10]))

        if history_db.engine.dialect.name == "sqlite":  # an office's file in use, not one just bulk-loaded
            raw = history_db.engine.raw_connection()  # outside a transaction: no BEGIN IMMEDIATE
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        benches = {}
        for name, db, staff in (("empty", empty_db, staff_e), ("history", history_db, staff_h)):
            files = workdir / f"files-{name}"
            files.mkdir(exist_ok=True)
            benches[name] = Bench(db, staff, args.repeat, files, capture=name == "history")
        steps = {name: bench.run() for name, bench in benches.items()}
        for turn in range(10**9):  # one call on each database in turn, the first alternating
            order = ("empty", "history") if turn % 2 == 0 else ("history", "empty")
            if next(steps[order[0]], "done") == "done" or next(steps[order[1]], "done") == "done":
                break
        results = {name: bench.medians() for name, bench in benches.items()}
        commits = {name: bench.medians(commit=True) for name, bench in benches.items()}
        load = f"; machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs" if hasattr(os, "getloadavg") else ""
        print(f"\nmedian of {args.repeat} calls after one warm-up; each call is one unit of work, commit included;"
              f"\nthe two databases timed call by call in turn{load}\n")
        width = max(len(m.label) for m in benches["history"].results.values()) + 2
        print(f"{'operation':<{width}}{'empty ms':>10}{'5-year ms':>11}{'ratio':>8}")
        print("-" * (width + 29))
        rows = benches["history"].results
        for required in (True, False):
            if not required:
                print(f"{'other steps (not in the brief, for context)':<{width}}")
            for key, measure in rows.items():
                if measure.required != required:
                    continue
                empty, full = results["empty"][key], results["history"][key]
                flag = "" if full / empty < 1.5 else "  <-- over the aim"
                print(f"{measure.label:<{width}}{empty:>10.2f}{full:>11.2f}{full / empty:>8.2f}{flag}")
        print("\naim: ratio < 1.5 — the fifth year should feel like the first day. Figures only; nothing asserted.")
        slow = [key for key in rows if results["history"][key] / results["empty"][key] >= 1.5]
        if slow:
            print("\nwhere the time goes in the steps over the aim (5-year database, ms per call, top 3 statements):")
            for key in slow:
                print(f"  {rows[key].label}:")
                spent, calls = benches["history"].spent[key], benches["history"].calls[key]
                before = benches["empty"].spent[key]
                per_call = len(rows[key].samples)
                print(f"    {commits['history'][key]:7.2f} (empty {commits['empty'][key]:5.2f})     commit (median)")
                for statement, total in spent.most_common(3):
                    print(f"    {total / per_call:7.2f} (empty {before.get(statement, 0) / per_call:5.2f})"
                          f" x{calls[statement] // per_call}  {' '.join(statement.split())[:110]}")
        scans = full_scans(history_db, benches["history"], sizes)
        if scans:
            print("\nfull scans of large tables in the 5-year database (query plans):")
            for key, found in scans.items():
                print(f"  {rows[key].label}:")
                for detail, statement in dict((d, s) for d, s in found).items():
                    print(f"    {detail}\n      in: {' '.join(statement.split())[:150]}")
        else:
            print("\nno timed statement scans a large table (query plans checked)")
        if args.plans:
            plans(history_db, benches["history"])
        with history_db.unit_of_work() as s:
            after = verification.verify(s) if args.verify else None
        if after is not None:
            print(f"\naudit.verify after the timed steps: {len(after)} finding(s)")
    finally:
        history_db.dispose()
        empty_db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
