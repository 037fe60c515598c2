"""Invoices, payments, receipts (kuitansi), deposits to the state treasury and document counters."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Money, enum_type
from models.enums import DocumentStatus, PaymentMethod

LIVE_INVOICE = "status <> 'cancelled'"  # DocumentStatus is stored as its value
ISSUED_INVOICE = "status = 'issued'"


class DocumentCounter(Base):
    """Last number handed out per office, document kind and period (a year, or a day for queues).

    The row is locked while a number is taken, so numbers have no gap and no duplicate."""

    __tablename__ = "document_counter"
    __table_args__ = (UniqueConstraint("office_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int]  # 0 for the office-independent audit chain
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    last_number: Mapped[int] = mapped_column(default=0)


class Invoice(Base):
    """The bill printed after the conformity check; keeps the schedule, inputs and lines it was issued with."""

    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("office_id", "year", "sequence"),
        UniqueConstraint("office_id", "number"),
        CheckConstraint("total >= 0 AND normal_total >= total", name="amounts"),
        CheckConstraint(
            "billing_code IS NULL OR length(billing_code) = 15", name="billing_code"
        ),
        CheckConstraint("status <> 'cancelled' OR length(cancel_reason) > 0", name="cancel_reason"),
        Index("ix_invoice_request", "request_id"),
        # the treasurer's list of invoices awaiting payment, oldest first: only the open ones are indexed
        Index("ix_invoice_awaiting_payment", "office_id", "issued_at", "id",
              sqlite_where=text(ISSUED_INVOICE), postgresql_where=text(ISSUED_INVOICE)),
        # a SIMPONI billing code names one billing: at most one live (not cancelled) invoice carries it
        Index("ux_invoice_live_billing_code", "billing_code", unique=True,
              sqlite_where=text(LIVE_INVOICE), postgresql_where=text(LIVE_INVOICE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id"))
    year: Mapped[int]
    sequence: Mapped[int]
    number: Mapped[str] = mapped_column(String(40))
    issued_at: Mapped[datetime]
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    payer_name: Mapped[str] = mapped_column(String(200))
    schedule_code: Mapped[str] = mapped_column(String(40))
    lines: Mapped[list] = mapped_column(JSON)  # priced lines as issued: product, inputs, formula, amount
    normal_total: Mapped[int] = mapped_column(Money)  # before an Rp0 waiver
    total: Mapped[int] = mapped_column(Money)
    billing_code: Mapped[str | None] = mapped_column(String(15))  # SIMPONI kode billing
    billing_expires_at: Mapped[datetime | None]
    status: Mapped[DocumentStatus] = mapped_column(enum_type(DocumentStatus), default=DocumentStatus.ISSUED)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None]


class Payment(Base):
    """Money received for one invoice, in full. ``idempotency_key`` makes a double press harmless."""

    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("ntpn IS NULL OR length(ntpn) = 16", name="ntpn"),
        CheckConstraint("method <> 'cash' OR cash_tendered >= amount", name="cash_tendered"),
        Index("ix_payment_paid_at", "office_id", "paid_at"),
        Index("ix_payment_recorded_at", "recorded_at"),  # not by office: the partial index below serves those
        Index("ix_payment_awaiting_receipt", "office_id", "recorded_at", "id",
              sqlite_where=text("awaiting_receipt = 1"), postgresql_where=text("awaiting_receipt")),
        Index("ux_payment_ntpn", "ntpn", unique=True,
              sqlite_where=text("ntpn IS NOT NULL"), postgresql_where=text("ntpn IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    method: Mapped[PaymentMethod] = mapped_column(enum_type(PaymentMethod))
    amount: Mapped[int] = mapped_column(Money)
    cash_tendered: Mapped[int | None] = mapped_column(Money)
    change_given: Mapped[int | None] = mapped_column(Money)
    billing_code: Mapped[str | None] = mapped_column(String(15))
    ntpn: Mapped[str | None] = mapped_column(String(16))
    ntb: Mapped[str | None] = mapped_column(String(32))
    bank: Mapped[str] = mapped_column(String(100), default="")
    proof_file: Mapped[str] = mapped_column(String(400), default="")
    proof_sha256: Mapped[str] = mapped_column(String(64), default="")
    proof_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), index=True)  # the proof's bytes
    proof_reuse_reason: Mapped[str] = mapped_column(Text, default="")  # why a proof used before is accepted
    receiving_account_id: Mapped[int | None] = mapped_column(ForeignKey("receiving_account.id"))
    confirmed_at: Mapped[datetime | None]  # the treasurer saw the transfer on the receiving account
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    paid_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    # no live kuitansi and no refund yet: the treasurer's "waiting for a receipt" list (kept by billing)
    awaiting_receipt: Mapped[bool] = mapped_column(default=False, server_default=false())

    invoice: Mapped[Invoice] = relationship()


class Receipt(Base):
    """Kuitansi written and signed by the bendahara penerimaan. Cancelled, never deleted."""

    __tablename__ = "receipt"
    __table_args__ = (
        UniqueConstraint("office_id", "year", "sequence"),
        UniqueConstraint("office_id", "number"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("status <> 'cancelled' OR length(cancel_reason) > 0", name="cancel_reason"),
        Index("ix_receipt_issued_at", "office_id", "issued_at"),
        Index("ix_receipt_payment", "payment_id"),
        Index("ix_receipt_awaiting_deposit", "office_id", "issued_at", "id",
              sqlite_where=text("awaiting_deposit = 1"), postgresql_where=text("awaiting_deposit")),
        # the corrections booked since an instant (carried balances, a day's totals)
        Index("ix_receipt_cancelled_at", "office_id", "cancelled_at",
              sqlite_where=text("status = 'cancelled'"), postgresql_where=text("status = 'cancelled'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"))
    year: Mapped[int]  # tahun anggaran
    sequence: Mapped[int]
    number: Mapped[str] = mapped_column(String(40))  # Nomor/Kode Satker/Bulan/Tahun
    issued_at: Mapped[datetime]
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    received_from: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(Money)
    description: Mapped[str] = mapped_column(Text)  # untuk pembayaran
    account_code: Mapped[str] = mapped_column(String(40))
    status: Mapped[DocumentStatus] = mapped_column(enum_type(DocumentStatus), default=DocumentStatus.ISSUED)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # cash in the box or a transfer on the receiving account, not yet deposited to Kas Negara
    awaiting_deposit: Mapped[bool] = mapped_column(default=False)
    lines: Mapped[list] = mapped_column(JSON, default=list)  # [{"account_code", "amount"}] per MAK
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))  # the signed kuitansi, scanned

    payment: Mapped[Payment] = relationship()


class Deposit(Base):
    """Takings deposited to the state treasury (Kas Negara) with their own NTPN: cash from the
    treasurer's box, or transfers from the office's receiving account (``source``)."""

    __tablename__ = "deposit"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("source IN ('cash', 'transfer')", name="source"),
        CheckConstraint("length(ntpn) = 16", name="ntpn"),
        UniqueConstraint("ntpn"),
        Index("ix_deposit_office_day", "office_id", "deposited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    deposited_on: Mapped[date]
    source: Mapped[str] = mapped_column(String(10), default="cash")  # the payment method of its kuitansi
    ntpn: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Money)
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))

    receipts: Mapped[list[DepositReceipt]] = relationship(back_populates="deposit")


class DepositReceipt(Base):
    """Which receipts a deposit covers (each cash receipt is deposited once)."""

    __tablename__ = "deposit_receipt"
    __table_args__ = (Index("ix_deposit_receipt_deposit", "deposit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deposit_id: Mapped[int] = mapped_column(ForeignKey("deposit.id"))
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipt.id"), unique=True)

    deposit: Mapped[Deposit] = relationship(back_populates="receipts")


class NtpnUse(Base):
    """The register of NTPNs (state revenue transaction numbers) taken by a SIMPONI payment or a
    deposit to Kas Negara. An NTPN names one transaction: its primary key keeps it on one payment or
    one deposit, never both, also when two PCs record it at the same moment. Written by the billing
    service in the transaction that records the payment or deposit."""

    __tablename__ = "ntpn_use"
    __table_args__ = (
        CheckConstraint("length(ntpn) = 16", name="ntpn"),
        CheckConstraint("(payment_id IS NULL AND deposit_id IS NOT NULL) OR "
                        "(payment_id IS NOT NULL AND deposit_id IS NULL)", name="one_use"),
    )

    ntpn: Mapped[str] = mapped_column(String(16), primary_key=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), unique=True)
    deposit_id: Mapped[int | None] = mapped_column(ForeignKey("deposit.id"), unique=True)




class Refund(Base):
    """Money paid back (pengembalian) for a payment whose kuitansi was cancelled, approved by a
    supervisor. It leaves the position that held the payment: the cash box, the receiving account,
    or the state treasury (SIMPONI)."""

    __tablename__ = "refund"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("method IN ('cash', 'transfer')", name="method"),
        CheckConstraint("length(reason) > 0", name="reason"),
        Index("ix_refund_office_day", "office_id", "refunded_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), unique=True)
    amount: Mapped[int] = mapped_column(Money)
    method: Mapped[str] = mapped_column(String(10))  # how it was handed back: cash or transfer
    refunded_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    recorded_at: Mapped[datetime]


class DailyClosing(Base):
    """A treasurer's day closed with its totals by payment method; later corrections go to the next day."""

    __tablename__ = "daily_closing"
    __table_args__ = (UniqueConstraint("office_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"))
    day: Mapped[date]
    totals: Mapped[dict] = mapped_column(JSON)  # method -> integer Rupiah, plus receipt count
    closed_at: Mapped[datetime]
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    note: Mapped[str] = mapped_column(Text, default="")


CARRIED = ("paid_cash", "paid_transfer", "paid_simponi", "receipted_held", "cancelled_held", "deposited_cash",
           "deposited_transfer", "refunded_cash", "refunded_transfer", "refunded_simponi")


class CarriedBalance(Base):
    """Every money movement of one office added up since its first day, one column per kind: payments
    by method (dated when paid), kuitansi of held money issued and cancelled, deposits by source and
    refunds by the payment's method. Written by ``billing`` in the transaction that books the movement,
    so a balance at an instant is this less the few movements dated at or after it
    (``positions.positions_at``); ``pst verify`` and the tests check each column against its movements."""

    __tablename__ = "carried_balance"
    __table_args__ = (CheckConstraint(" AND ".join(f"{c} >= 0" for c in CARRIED), name="non_negative"),)

    office_id: Mapped[int] = mapped_column(ForeignKey("office_profile.id"), primary_key=True, autoincrement=False)
    paid_cash: Mapped[int] = mapped_column(Money, default=0)
    paid_transfer: Mapped[int] = mapped_column(Money, default=0)
    paid_simponi: Mapped[int] = mapped_column(Money, default=0)
    receipted_held: Mapped[int] = mapped_column(Money, default=0)   # cash and transfer kuitansi issued
    cancelled_held: Mapped[int] = mapped_column(Money, default=0)   # of those, cancelled
    deposited_cash: Mapped[int] = mapped_column(Money, default=0)
    deposited_transfer: Mapped[int] = mapped_column(Money, default=0)
    refunded_cash: Mapped[int] = mapped_column(Money, default=0)
    refunded_transfer: Mapped[int] = mapped_column(Money, default=0)
    refunded_simponi: Mapped[int] = mapped_column(Money, default=0)
