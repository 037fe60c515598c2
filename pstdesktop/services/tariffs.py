"""The tariff calculator.

A line is priced in the regressive shape of the schedule (PP 7/2015 art. 4; PP 13/2024 Lampiran):
``base_amount`` for the first ``base_quantity`` units, then ``step_amount`` for each further
``step_quantity`` units or part of one (partial blocks round up). The schedule in force on the
request's date (office time) applies. An Rp0 request still has its normal tariff computed and shown."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from exports.text import rupiah, thousands
from models import Product, ServiceRequest, TariffLine, TariffSchedule
from pstdesktop.services.clock import local_date
from pstdesktop.services.errors import StateError, ValidationError
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
