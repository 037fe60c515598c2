"""``pst demo``: a believable office day in a fresh database, every step done through the services.

The day is the office's current working day once the office has opened (07:30 office time), else
the last working day before it. Visitors arrive from the opening until now (or until 16:00 on a past
day) and each is served within the hour: visits, requests, payments and kuitansi all fall on that one
office date, every instant in the past. The requests stand in every state of the procedure, with cash
and SIMPONI payments, an Rp0 request, a redirect, a correction, a cancellation, online requests and
exit-poll answers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from models import Channel, DeliveryChannel, PaymentMethod, Role, ServiceRequest
from pstdesktop import faults
from pstdesktop.bootstrap import Database
from pstdesktop.services import billing, clock, delivery, feedback, guestbook, online, receiving, requests
from pstdesktop.services.access import Actor, actor_of
from pstdesktop.services.deadlines import is_working_day
from pstdesktop.services.office import create_account, first_office, setup_office

OFFICE = {
    "name": "BPS Provinsi Maluku", "unit_code": "8100", "city": "Ambon",
    "address": "Jl. Jenderal Sudirman, Batu Merah, Ambon 97128", "phone": "(0911) 3832103",
    "email": "bps8100@bps.go.id", "time_zone": "WIT", "treasurer_name": "Maria Latuconsina",
    "treasurer_nip": "198507122009022003", "satker_code": "054081", "satker_name": "BPS Provinsi Maluku",
}
PASSWORD = "demo-pst-2026"
STAFF = (("petugas", "Yohanes Pattiasina", Role.OFFICER), ("bendahara", "Maria Latuconsina", Role.TREASURER),
         ("kiosk", "Kios Buku Tamu", Role.KIOSK))
PEOPLE = (
    ("Rahmat Hidayat", "Laki-laki", "Universitas Pattimura", "081243215678", "Peneliti/Dosen", 1983, "S2"),
    ("Siti Nurhaliza Tuasikal", "Perempuan", "Bappeda Provinsi Maluku", "082198761234", "ASN/TNI/Polri", 1990, "D4/S1"),
    ("Andreas Wattimena", "Laki-laki", "Universitas Pattimura", "085244117788", "Pelajar/Mahasiswa", 2002, "SMA/Sederajat"),
    ("Fransina Leiwakabessy", "Perempuan", "PT Bank Maluku Malut", "081311224455", "Pegawai BUMN/BUMD", 1987, "D4/S1"),
    ("Muhammad Ohorella", "Laki-laki", "CV Data Nusantara", "087812341234", "Wiraswasta", 1979, "D1/D2/D3"),
    ("Grace Sahetapy", "Perempuan", "IAIN Ambon", "081299887766", "Peneliti/Dosen", 1985, "S3"),
    ("Ilham Rumra", "Laki-laki", "Dinas Kesehatan Kota Ambon", "082255443322", "ASN/TNI/Polri", 1992, "D4/S1"),
    ("Yuliana Pical", "Perempuan", "Universitas Kristen Indonesia Maluku", "081377665544", "Pelajar/Mahasiswa", 2001, "SMA/Sederajat"),
    ("Abdul Karim Tuanaya", "Laki-laki", "Lembaga Riset Maritim", "085311112222", "Pegawai Swasta", 1988, "S2"),
    ("Novita Matulessy", "Perempuan", "BPKAD Kabupaten Maluku Tengah", "081244448888", "ASN/TNI/Polri", 1994, "D4/S1"),
    ("Hendrik de Vries", "Laki-laki", "Universiteit Leiden", "+31612345678", "Peneliti/Dosen", 1975, "S3"),
    ("Ratna Sari Rumakat", "Perempuan", "SMA Negeri 1 Ambon", "082111223344", "Lainnya", 1980, "D4/S1"),
)
OPENS, CLOSES = time(7, 30), time(16, 0)  # office hours, office time
STEP = timedelta(minutes=4)  # the longest pause between two steps of one visitor's service
DEMO_SIZE_REASON = "Data demo: berkas contoh kecil, bukan dataset sebenarnya."  # the files differ from the billed size
ABSTRACTION = ("Analisis determinan kemiskinan rumah tangga di Provinsi Maluku untuk tesis magister; "
               "membutuhkan data konsumsi dan karakteristik rumah tangga tingkat kabupaten.")


def person(index: int) -> dict:
    name, gender, inst, phone, job, year, edu = PEOPLE[index]
    foreign = phone.startswith("+31")
    return {
        "full_name": name, "gender": gender, "institution": inst, "phone": phone,
        "email": name.split()[0].lower() + f".{index}@contoh.id", "occupation": job,
        "occupation_other": "Guru" if job == "Lainnya" else "", "birth_year": year, "education": edu,
        "country": "Belanda" if foreign else "Indonesia", "province": "" if foreign else "Maluku",
        "regency": "Leiden" if foreign else "Kota Ambon", "has_disability": index == 5,
        "disability_type": "Fisik" if index == 5 else "", "id_document_type": "Paspor" if foreign else "KTP",
        "id_document_number": "NX1234567" if foreign else _nik(index, gender, year), "consent": True,
    }


def _nik(index: int, gender: str, year: int) -> str:
    """A well-formed NIK of Kota Ambon (81 71) born on 15 June of ``year`` (women: day + 40)."""
    day = 15 + (40 if gender == "Perempuan" else 0)
    return f"8171{index + 1:02d}{day:02d}06{year % 100:02d}{index + 1:04d}"


def office_day(now: datetime, zone_name: str) -> tuple[datetime, datetime]:
    """[opening, end) of the office day the demo fills, as UTC instants: today from the opening until
    ``now`` once the office has opened on a working day, else the whole last working day."""
    shown = clock.local(now, zone_name)
    day = shown.date()
    if is_working_day(day) and shown.time() >= OPENS:
        return _office_time(day, OPENS, zone_name), min(now, _office_time(day, CLOSES, zone_name))
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return _office_time(day, OPENS, zone_name), _office_time(day, CLOSES, zone_name)


def _office_time(day: date, at: time, zone_name: str) -> datetime:
    return clock.at_office(day, at.hour, at.minute, zone_name)


def fill(database: Database, files_dir: Path) -> dict[str, str]:
    """Fill an empty database; returns the demo accounts and their password."""
    files_dir.mkdir(parents=True, exist_ok=True)
    opening, end = office_day(clock.utcnow(), OFFICE["time_zone"])
    with clock.pinned(opening) as pin:
        with database.unit_of_work() as s:
            if first_office(s) is not None:
                raise RuntimeError("the database already holds an office: pst demo only fills a fresh database")
            office, supervisor, _code = setup_office(s, OFFICE, "supervisor", "Kepala Unit PST", PASSWORD)
            boss = actor_of(supervisor)
            staff = {u: actor_of(create_account(s, boss, u, n, r, PASSWORD)) for u, n, r in STAFF}
            receiving.add(s, boss, bank="Bank BRI", number="0123-01-000456-30-1",
                          holder=f"RPL 054 {OFFICE['name']} untuk Penerimaan")
        try:
            _fill_day(database, files_dir, staff, _Timeline(pin, opening, end, len(PEOPLE) + 2))
        except (OSError, SQLAlchemyError) as error:  # the office is written, its day is not: say what to do
            if not faults.disk_full(error):
                raise
            raise faults.Fault("demo_disk_full", url=faults.shown(database.engine.url)) from None
    return {"password": PASSWORD, **{u: r.value for u, _n, r in STAFF}, "supervisor": Role.SUPERVISOR.value}


class _Timeline:
    """The demo's office day cut into one slot per requester; each step of a requester's service comes a
    little after the one before, inside the slot, so the whole day lies between opening and ``end``."""

    def __init__(self, pin: clock.Pin, opening: datetime, end: datetime, slots: int):
        self.pin, self.opening = pin, opening
        self.slot = (end - opening) / slots
        self.step = min(STEP, self.slot / 16)

    def start_slot(self, index: int) -> datetime:
        self.pin.move_to(self.opening + self.slot * index + self.step)
        return self.pin.at

    def tick(self) -> None:
        self.pin.move_to(self.pin.at + self.step)


def _fill_day(database: Database, files_dir: Path, staff: dict[str, Actor], timeline: _Timeline) -> None:
    officer, treasurer, kiosk = staff["petugas"], staff["bendahara"], staff["kiosk"]
    step = _Steps(database, officer, treasurer, kiosk, files_dir, timeline)

    def arrives(index: int):
        purpose = "Konsultasi Statistik" if index == 7 else "Pembelian Produk Statistik Berbayar"
        timeline.start_slot(index)
        with database.unit_of_work() as s:
            return guestbook.register_visit(s, kiosk, person(index), purpose)

    # walk-ins: each arrives at the kiosk in its own slot and is left at a different point of the procedure
    step.walk_in(arrives(0), [("microdata_raw", "Susenas Maret 2024 (KOR) Provinsi Maluku", 150_000_000, "")],
                 until="closed", poll=[4, 3, 4, 3, 4, 4, 4, 3, 3], correct=True)
    step.walk_in(arrives(1), [("map_kab_desa", "Peta WILKERSTAT SE2026", 1, "Kabupaten Maluku Tengah"),
                              ("map_kab_desa", "Peta WILKERSTAT SE2026", 1, "Kota Ambon"),
                              ("map_kab_kecamatan", "Peta WILKERSTAT SE2026", 1, "Kabupaten Buru")],
                 until="closed", waiver=True, poll=[4, 4, 4, 4, 3, 4, 4, 4, 4])
    step.walk_in(arrives(2), [("microdata_raw", "Sakernas Agustus 2025 Provinsi Maluku", 12_500_000, "")],
                 until="correction")
    step.walk_in(arrives(3), [("microdata_processed", "Tabulasi Susenas 2024: pengeluaran per kapita", 2_500_500, "")],
                 until="verified", simponi=True)
    step.walk_in(arrives(4), [("microdata_raw", "Podes 2024 Provinsi Maluku", 48_000_000, "")], until="receipted")
    step.walk_in(arrives(5), [("pub_electronic", "Statistik Daerah Provinsi Maluku 2025", 120, "")], until="paid")
    step.walk_in(arrives(6), [("microdata_raw", "Susenas Maret 2025 (KP) Provinsi Maluku", 95_000_000, "")],
                 until="invoiced")
    step.walk_in(arrives(7), [("microdata_raw", "Sensus Penduduk 2020 long form", 500_000_000, "")], until="redirected")
    step.walk_in(arrives(8), [("microdata_raw", "Survei Ekonomi Kelautan 2024", 8_000_000, "")], until="approved")
    step.walk_in(arrives(9), [("map_kab_kecamatan", "Peta WILKERSTAT", 1, "Kabupaten Seram Bagian Barat")],
                 until="submitted")
    step.walk_in(arrives(10), [("microdata_raw", "Susenas Maret 2024 (KOR)", 150_000_000, "")], until="cancelled")
    step.walk_in(arrives(11), [("pub_electronic", "Maluku Dalam Angka 2026", 400, "")], until="draft")
    # online requests by email / WA / forum, received on earlier days, handled in the last slots
    timeline.start_slot(len(PEOPLE))
    with database.unit_of_work() as s:
        remote = online.register_requester(s, officer, person(8) | {"email": "online.researcher@contoh.id"}).id
    step.online(remote, "forum", [("microdata_raw", "Susenas Maret 2024 (KOR), variabel terpilih", 3_400_000, "R101, R105, R301")],
                until="delivered")
    timeline.start_slot(len(PEOPLE) + 1)
    step.online(remote, "email", [("map_kab_desa", "Peta WILKERSTAT", 1, "Kabupaten Kepulauan Aru")], until="approved")


class _Steps:
    def __init__(self, database: Database, officer: Actor, treasurer: Actor, kiosk: Actor, files_dir: Path,
                 timeline: _Timeline):
        self.db, self.officer, self.treasurer, self.kiosk, self.files = database, officer, treasurer, kiosk, files_dir
        self.timeline, self.zone = timeline, OFFICE["time_zone"]

    def _work(self):
        """The next step of the service, a little later in the day."""
        self.timeline.tick()
        return self.db.unit_of_work()

    def _request(self, visitor_id, visit_id, channel, items, online_via="", received_at=None):
        with self._work() as s:
            guestbook.start_serving(s, self.officer, visit_id, "Meja 1") if channel is Channel.WALK_IN else None
            req = requests.open_request(s, self.officer, visitor_id=visitor_id, channel=channel,
                                        visit_id=visit_id, online_via=online_via, received_at=received_at,
                                        abstraction=ABSTRACTION)
            for code, title, qty, region in items:
                requests.add_item(s, self.officer, req.id, product_code=code, title=title, quantity=qty,
                                  region=region if code.startswith("map_kab") else "",
                                  variables=region if code.startswith("microdata") and channel is Channel.ONLINE else "",
                                  media=delivery.default_channel(channel, online_via)[1],
                                  data_format="shp" if code.startswith("map") else "dta")
            return req.id

    def _go(self, request_id, until, *, waiver=False, simponi=False, channel=DeliveryChannel.IN_PERSON,
            media="flashdisk", poll=None, visit_id=None, correct=False):
        order = ["draft", "submitted", "approved", "invoiced", "paid", "receipted", "delivered", "correction",
                 "verified", "closed"]
        stop = order.index(until) if until in order else None

        def reached(name):
            return stop is not None and order.index(name) <= stop

        if until == "draft":
            return
        with self._work() as s:
            requests.submit(s, self.officer, request_id)
        if until in ("redirected", "cancelled"):
            with self._work() as s:
                if until == "redirected":
                    requests.redirect(s, self.officer, request_id,
                                      "Data yang diminta tidak sesuai abstraksi; perlu konsultasi pemilihan data.")
                else:
                    requests.cancel(s, self.officer, request_id, "Pengunjung membatalkan: anggaran belum tersedia.")
            return
        if not reached("approved"):
            return
        with self._work() as s:
            requests.approve(s, self.officer, request_id, waiver={
                "category": "regional_government", "purpose": "state_duties",
                "letter_number": "050/123/BAPPEDA/XI/2026", "letter_date": clock.today(self.zone) - timedelta(days=2)}
                if waiver else None)
            scan = None
            if s.get(ServiceRequest, request_id).channel is Channel.ONLINE:  # the signed scan, by forum/email
                scan = self.files / f"sppd-bertanda-tangan-{request_id}.pdf"
                scan.write_bytes(f"%PDF-1.4 SPPD bertanda tangan {request_id}\n".encode())
            delivery.record_sppd(s, self.officer, request_id, scan=scan)
        if not waiver:
            if not reached("invoiced"):
                return
            with self._work() as s:
                invoice = billing.issue_invoice(s, self.officer, request_id,
                                                billing_code="820261123465628" if simponi else None)
            if not reached("paid"):
                return
            with self._work() as s:
                if simponi:
                    payment = billing.record_payment(s, self.treasurer, invoice.id, method=PaymentMethod.SIMPONI,
                                                     amount=invoice.total, idempotency_key=f"demo-{request_id}",
                                                     ntpn="A1B2C3D4E5F60718", ntb="BNI0099887766", bank="BNI")
                elif channel is not DeliveryChannel.IN_PERSON:  # an online buyer transfers
                    proof = self.files / f"bukti-transfer-{request_id}.pdf"
                    proof.write_bytes(f"%PDF-1.4 bukti transfer demo {request_id}\n".encode())
                    payment = billing.record_payment(s, self.treasurer, invoice.id, method=PaymentMethod.TRANSFER,
                                                     amount=invoice.total, idempotency_key=f"demo-{request_id}",
                                                     ntb=f"TRF{clock.today(self.zone):%Y%m%d}001", proof_file=proof)
                    billing.confirm_on_account(s, self.treasurer, payment.id)  # seen on the receiving account
                else:
                    payment = billing.record_payment(s, self.treasurer, invoice.id, method=PaymentMethod.CASH,
                                                     amount=invoice.total, cash_tendered=-(-invoice.total // 50_000) * 50_000,
                                                     idempotency_key=f"demo-{request_id}")
            if not reached("receipted"):
                return
            with self._work() as s:
                billing.issue_receipt(s, self.treasurer, payment.id)
        if not reached("delivered"):
            return
        with self._work() as s:
            files = [delivery.DeliveredFile(item.id, self._file(request_id, item.id, "v1"))
                     for item in delivery.items_of(s, request_id)]
            delivery.deliver(s, self.officer, request_id, files, channel=channel, media=media,
                             media_label=f"PST-{request_id:04d}", receipt_handed_over=not waiver,
                             size_reason=DEMO_SIZE_REASON)
        if until == "delivered":
            return
        if until == "correction" or correct:
            with self._work() as s:
                delivery.report_problem(s, self.officer, request_id, "Berkas tidak memuat label variabel.")
            if until == "correction":
                return
            with self._work() as s:
                files = [delivery.DeliveredFile(item.id, self._file(request_id, item.id, "v2"))
                         for item in delivery.items_of(s, request_id)]
                delivery.deliver(s, self.officer, request_id, files, channel=channel, media=media,
                                 media_label=f"PST-{request_id:04d}", fixes="Label variabel ditambahkan.",
                                 size_reason=DEMO_SIZE_REASON)
        with self._work() as s:
            delivery.confirm_checked(s, self.officer, request_id)
        if reached("closed") and poll and visit_id:
            with self._work() as s:
                feedback.answer_poll(s, self.kiosk, visit_id, poll, comment="Pelayanan cepat dan ramah.")

    def _file(self, request_id, item_id, version) -> Path:  # small stand-ins: see DEMO_SIZE_REASON
        path = self.files / f"permintaan-{request_id}-item-{item_id}-{version}.csv"
        path.write_text(f"request,{request_id}\nitem,{item_id}\nversion,{version}\n", encoding="utf-8")
        return path

    def walk_in(self, ticket, items, *, until, waiver=False, simponi=False, poll=None, correct=False):
        request_id = self._request(ticket.visitor_id, ticket.visit_id, Channel.WALK_IN, items)
        self._go(request_id, until, waiver=waiver, simponi=simponi, poll=poll, visit_id=ticket.visit_id,
                 correct=correct)

    def online(self, visitor_id, via, items, *, until):
        received = clock.at_office(clock.today(self.zone) - timedelta(days=2), 10, 15, self.zone)
        request_id = self._request(visitor_id, None, Channel.ONLINE, items, online_via=via, received_at=received)
        channel, media = delivery.default_channel(Channel.ONLINE, via)
        self._go(request_id, until, channel=channel, media=media)
