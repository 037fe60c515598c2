"""The product and tariff catalogue: seeded from ``resources/catalogue/tariffs.json``, edited by a
supervisor afterwards through ``tariffs`` (every change audited). Issued invoices keep their own copy of the lines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

import resources
from models import Product, ProductKind, TariffLine, TariffSchedule
from pstdesktop.services import audit, tariffs, validate
from pstdesktop.services.access import Actor, require
from pstdesktop.services.clock import utcnow
from pstdesktop.services.errors import NotFound

CATALOGUE_FILE = ("catalogue", "tariffs.json")


def load_catalogue_file(path: Path | None = None) -> dict:
    return json.loads((path or resources.path(*CATALOGUE_FILE)).read_text(encoding="utf-8"))


def seed_catalogue(session: Session, data: dict | None = None) -> int:
    """Add the products and schedules the database does not have yet (by code). Returns lines added."""
    data = data if data is not None else load_catalogue_file()
    products = {p.code: p for p in session.scalars(select(Product))}
    for item in data["products"]:
        if item["code"] not in products:
            product = Product(**{**item, "kind": ProductKind(item["kind"])})
            session.add(product)
            products[item["code"]] = product
    session.flush()
    added = 0
    for sched in data["schedules"]:
        if session.scalar(select(TariffSchedule.id).where(TariffSchedule.code == sched["code"])):
            continue
        added += len(add_schedule(session, None, sched, products).lines)
    return added


def add_schedule(session: Session, actor: Actor | None, sched: dict,
                 products: dict[str, Product] | None = None) -> TariffSchedule:
    """A new tariff schedule (e.g. PP 7/2015 figures entered by the office) with its lines."""
    account = require(session, actor, "catalogue.edit") if actor else None
    products = products or {p.code: p for p in session.scalars(select(Product))}
    effective = sched["effective_from"]
    schedule = TariffSchedule(
        code=validate.text("title", sched["code"], max_length=40),
        regulation=validate.text("title", sched["regulation"]),
        effective_from=date.fromisoformat(effective) if isinstance(effective, str) else effective,
        note=sched.get("note", ""), created_at=utcnow(),
    )
    session.add(schedule)
    session.flush()
    for line in sched["lines"]:
        if line["product"] not in products:
            raise NotFound("not_found", "product")
        row = TariffLine(schedule_id=schedule.id, product_id=products[line["product"]].id,
                         **_line_amounts(line))
        session.add(row)
        session.flush()
        audit.record(session, account, "tariff.add", row, extra={"schedule": schedule.code})
    session.refresh(schedule)
    return schedule


def _line_amounts(line: dict) -> dict:
    return {
        "base_amount": validate.integer("amount", line["base_amount"], low=0, high=validate.MAX_AMOUNT),
        "base_quantity": validate.integer("quantity", line["base_quantity"], low=1, high=validate.MAX_AMOUNT),
        "step_amount": validate.integer("amount", line["step_amount"], low=0, high=validate.MAX_AMOUNT),
        "step_quantity": validate.integer("quantity", line["step_quantity"], low=1, high=validate.MAX_AMOUNT),
    }


def update_tariff_line(session: Session, actor: Actor, line_id: int, **amounts: int) -> TariffLine:
    """Change a line of a schedule not yet in force (the rule is ``tariffs.edit_line``'s)."""
    return tariffs.edit_line(session, actor, line_id, **amounts)


def products(session: Session, active_only: bool = True) -> list[Product]:
    query = select(Product).order_by(Product.id)
    if active_only:
        query = query.where(Product.active.is_(True))
    return list(session.scalars(query))


def product_by_code(session: Session, code: str) -> Product:
    product = session.scalar(select(Product).where(Product.code == code))
    if product is None:
        raise NotFound("not_found", "product")
    return product
