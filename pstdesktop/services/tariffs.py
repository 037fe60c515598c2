"""The tariff calculator.

A line is priced in the regressive shape of the schedule (PP 7/2015 art. 4; PP 13/2024 Lampiran):
``base_amount`` for the first ``base_quantity`` units, then ``step_amount`` for each further
``step_quantity`` units or part of one (partial blocks round up). The schedule in force on the
request's date (office time) applies. An Rp0 request still has its normal tariff computed and shown.

The supervisor's tariff editor lives here too: a new schedule is a copy of the one in force, dated after
the office's today and after the latest schedule; only the lines of a schedule not yet in force can be
edited, because requests were priced with the others (issued invoices keep their own copy anyway)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exports.text import rupiah, thousands
from models import Product, ServiceRequest, TariffLine, TariffSchedule
from pstdesktop.services import audit, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import local_date, utcnow
from pstdesktop.services.errors import NotFound, StateError, ValidationError
from pstdesktop.services.office import office_today
from pstdesktop.services.validate import MAX_AMOUNT


@dataclass(frozen=True)
class PricedLine:
    item_id: int | None
    product_code: str
    product_name: str
    title: str
    region: str
    quantity: int
    unit: str
    account_code: str
    base_amount: int
    base_quantity: int
    step_amount: int
    step_quantity: int
    extra_blocks: int
    amount: int
    formula: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Quote:
    schedule_code: str
    regulation: str
    lines: tuple[PricedLine, ...]
    normal_total: int
    total: int  # 0 when an Rp0 waiver applies

    @property
    def waived(self) -> bool:
        return self.total == 0 and self.normal_total > 0


def line_amount(line: TariffLine, quantity: int) -> tuple[int, int]:
    """(amount, number of further blocks) for ``quantity`` units under ``line``."""
    if quantity <= 0:
        raise ValidationError("positive", "quantity")
    if quantity > MAX_AMOUNT:
        raise ValidationError("too_large", "quantity", max=thousands(MAX_AMOUNT))
    extra = 0 if quantity <= line.base_quantity else -(-(quantity - line.base_quantity) // line.step_quantity)
    amount = line.base_amount + extra * line.step_amount
    if amount > MAX_AMOUNT:
        raise ValidationError("too_large", "quantity", max=thousands(MAX_AMOUNT))
    return amount, extra


def formula(line: TariffLine, product: Product, quantity: int, extra: int, amount: int) -> str:
    """``20.000 (s.d. 1.000.000 byte) + 149.000 × 20 (per 1.000 byte) = Rp3.000.000``"""
    unit = product.unit_id
    if line.base_quantity == 1 and line.step_quantity == 1 and line.base_amount == line.step_amount:
        return f"{thousands(quantity)} {unit} × {rupiah(line.base_amount)} = {rupiah(amount)}"
    text = f"{rupiah(line.base_amount)} (s.d. {thousands(line.base_quantity)} {unit})"
    if extra:
        text += f" + {thousands(extra)} × {rupiah(line.step_amount)} (per {thousands(line.step_quantity)} {unit})"
    return f"{text} = {rupiah(amount)}"


def schedule_in_force(session: Session, on: date) -> TariffSchedule:
    schedule = session.scalar(
        select(TariffSchedule).where(TariffSchedule.effective_from <= on)
        .order_by(TariffSchedule.effective_from.desc(), TariffSchedule.id.desc()).limit(1)
    )
    if schedule is None:
        raise StateError("no_schedule", date=on.strftime("%d-%m-%Y"), product="-")
    return schedule


def price_line(session: Session, schedule: TariffSchedule, product: Product, quantity: int, *,
               title: str = "", region: str = "", item_id: int | None = None) -> PricedLine:
    line = session.scalar(select(TariffLine).where(
        TariffLine.schedule_id == schedule.id, TariffLine.product_id == product.id))
    if line is None:
        raise StateError("no_schedule", date=schedule.effective_from.strftime("%d-%m-%Y"), product=product.name_id)
    amount, extra = line_amount(line, quantity)
    return PricedLine(
        item_id=item_id, product_code=product.code, product_name=product.name_id, title=title, region=region,
        quantity=quantity, unit=product.unit_id, account_code=product.account_code,
        base_amount=line.base_amount, base_quantity=line.base_quantity, step_amount=line.step_amount,
        step_quantity=line.step_quantity, extra_blocks=extra, amount=amount,
        formula=formula(line, product, quantity, extra, amount),
    )


def quote_request(session: Session, request: ServiceRequest, zone_name: str) -> Quote:
    """Price every item of ``request`` by the schedule in force on the day it was received."""
    schedule = schedule_in_force(session, local_date(request.received_at, zone_name))
    lines = []
    for item in request.items:
        product = session.get(Product, item.product_id)
        lines.append(price_line(session, schedule, product, item.quantity, title=item.title,
                                region=item.region, item_id=item.id))
    normal = sum(line.amount for line in lines)
    if normal > MAX_AMOUNT:
        raise ValidationError("too_large", "amount", max=thousands(MAX_AMOUNT))
    return Quote(schedule.code, schedule.regulation, tuple(lines), normal, 0 if request.waiver else normal)


# --- the supervisor's tariff editor ----------------------------------------------------------------------

IN_FORCE, FUTURE, PAST = "in_force", "future", "past"
LINE_FIELDS = ("base_amount", "base_quantity", "step_amount", "step_quantity")


@dataclass(frozen=True)
class ScheduleRow:
    """A schedule as the editor lists it; ``state`` is IN_FORCE, FUTURE or PAST on the office's today."""

    id: int
    code: str
    regulation: str
    effective_from: date
    note: str
    state: str
    lines: int

    @property
    def editable(self) -> bool:
        return self.state == FUTURE


@dataclass(frozen=True)
class LineRow:
    id: int
    product_code: str
    product_name_id: str
    product_name_en: str
    unit_id: str
    unit_en: str
    base_amount: int
    base_quantity: int
    step_amount: int
    step_quantity: int


@dataclass(frozen=True)
class Rows:
    """One page of a list read from the database (``total`` rows in all)."""

    rows: tuple
    total: int
    offset: int
    limit: int


def _in_force_id(session: Session, today: date) -> int | None:
    return session.scalar(select(TariffSchedule.id).where(TariffSchedule.effective_from <= today)
                          .order_by(TariffSchedule.effective_from.desc(), TariffSchedule.id.desc()).limit(1))


def _state(schedule_id: int, effective_from: date, today: date, in_force_id: int | None) -> str:
    if effective_from > today:
        return FUTURE
    return IN_FORCE if schedule_id == in_force_id else PAST


def list_schedules(session: Session, actor: Actor, *, offset: int = 0, limit: int = 20) -> Rows:
    """The schedules, newest effective date first, with their state on the office's today."""
    today = office_today(session, actor.office_id)
    in_force_id = _in_force_id(session, today)
    counts = (select(TariffLine.schedule_id, func.count(TariffLine.id).label("n"))
              .group_by(TariffLine.schedule_id).subquery())
    query = (select(TariffSchedule, func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.schedule_id == TariffSchedule.id)
             .order_by(TariffSchedule.effective_from.desc(), TariffSchedule.id.desc())
             .limit(limit).offset(offset))
    rows = tuple(ScheduleRow(s.id, s.code, s.regulation, s.effective_from, s.note,
                             _state(s.id, s.effective_from, today, in_force_id), int(n))
                 for s, n in session.execute(query))
    total = session.scalar(select(func.count(TariffSchedule.id))) or 0
    return Rows(rows, int(total), offset, limit)


def schedule_lines(session: Session, schedule_id: int, *, offset: int = 0, limit: int = 50) -> Rows:
    """The lines of one schedule, in catalogue order, with their products' names and units."""
    if session.get(TariffSchedule, validate.record_id("schedule", schedule_id)) is None:
        raise NotFound("not_found", "schedule")
    query = (select(TariffLine, Product).join(Product, Product.id == TariffLine.product_id)
             .where(TariffLine.schedule_id == schedule_id).order_by(Product.id, TariffLine.id)
             .limit(limit).offset(offset))
    rows = tuple(LineRow(line.id, product.code, product.name_id, product.name_en, product.unit_id, product.unit_en,
                         line.base_amount, line.base_quantity, line.step_amount, line.step_quantity)
                 for line, product in session.execute(query))
    total = session.scalar(select(func.count(TariffLine.id)).where(TariffLine.schedule_id == schedule_id)) or 0
    return Rows(rows, int(total), offset, limit)


def _effective_date(value: object) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError("required", "effective_from") from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError("required", "effective_from")
    return value


def copy_schedule(session: Session, actor: Actor, code: str, regulation: str, effective_from: date | str,
                  note: str = "") -> TariffSchedule:
    """A new schedule with the lines of the one in force today, from ``effective_from`` on. The date is
    after the office's today (a schedule must not reprice requests already received) and after the
    latest schedule's date (schedules follow each other)."""
    account = require(session, actor, "catalogue.edit")
    code = validate.text("schedule_code", code, max_length=40)
    regulation = validate.text("regulation", regulation)
    note = validate.text("note", note, required=False, max_length=400)
    effective = _effective_date(effective_from)
    today = office_today(session, actor.office_id)
    if effective <= today:
        raise ValidationError("effective_not_future", "effective_from", today=today.strftime("%d-%m-%Y"))
    latest = session.scalar(select(TariffSchedule).order_by(TariffSchedule.effective_from.desc(),
                                                            TariffSchedule.id.desc()).limit(1))
    if latest is not None and effective <= latest.effective_from:
        raise ValidationError("effective_after_latest", "effective_from", name=latest.code,
                              date=latest.effective_from.strftime("%d-%m-%Y"))
    if session.scalar(select(TariffSchedule.id).where(func.lower(TariffSchedule.code) == code.lower())):
        raise ValidationError("duplicate", "schedule_code", value=code)
    source = schedule_in_force(session, today)
    schedule = TariffSchedule(code=code, regulation=regulation, effective_from=effective,
                              note=note or f"Salinan dari {source.code}", created_at=utcnow())
    session.add(schedule)
    session.flush()
    audit.record(session, account, "tariff_schedule.create", schedule, to_state=FUTURE, extra={
        "code": code, "regulation": regulation, "effective_from": effective, "copied_from": source.code})
    for line in source.lines:
        row = TariffLine(schedule_id=schedule.id, product_id=line.product_id,
                         **{name: getattr(line, name) for name in LINE_FIELDS})
        session.add(row)
        audit.record(session, account, "tariff.add", row, extra={"schedule": code, "copied_from": source.code})
    session.refresh(schedule)
    return schedule


def line_values(**amounts: object) -> dict[str, int]:
    """The four numbers of a line as the pricing needs them: whole Rupiah amounts of at least 0 and
    quantities of at least 1 (a block of 0 units cannot be counted)."""
    unknown = set(amounts) - set(LINE_FIELDS)
    if unknown:
        raise ValidationError("choice", "amount", choices=", ".join(LINE_FIELDS))
    checked = {}
    for name, value in amounts.items():
        low = 0 if name.endswith("amount") else 1
        checked[name] = validate.integer(name, value, low=low, high=MAX_AMOUNT)
    return checked


def check_editable(session: Session, actor: Actor, schedule_id: int) -> TariffSchedule:
    """The schedule, if ``actor`` may edit its lines: a supervisor, and the schedule not yet in force on the
    office's today. A schedule in force or past is read-only: requests were priced with it."""
    require(session, actor, "catalogue.edit")
    schedule = session.get(TariffSchedule, validate.record_id("schedule", schedule_id))
    if schedule is None:
        raise NotFound("not_found", "schedule")
    if schedule.effective_from <= office_today(session, actor.office_id):
        raise StateError("schedule_read_only", "schedule", name=schedule.code,
                         date=schedule.effective_from.strftime("%d-%m-%Y"))
    return schedule


def edit_line(session: Session, actor: Actor, line_id: int, **amounts: object) -> TariffLine:
    """Change the numbers of one line of a schedule not yet in force (see ``check_editable``); audited
    with the old values."""
    account = require(session, actor, "catalogue.edit")
    line = session.get(TariffLine, validate.record_id("tariff_line", line_id))
    if line is None:
        raise NotFound("not_found", "tariff_line")
    schedule = check_editable(session, actor, line.schedule_id)
    values = line_values(**amounts)
    before = {name: getattr(line, name) for name in LINE_FIELDS}
    for name, value in values.items():
        setattr(line, name, value)
    if {name: getattr(line, name) for name in LINE_FIELDS} != before:
        audit.record(session, account, "tariff.update", line, extra={"schedule": schedule.code, "before": before})
    return line
