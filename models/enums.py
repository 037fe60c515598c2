"""Enumerations shared by the tables. Values are stored as their lowercase names."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    OFFICER = "officer"        # petugas layanan
    TREASURER = "treasurer"    # bendahara penerimaan
    SUPERVISOR = "supervisor"  # head of the PST unit
    KIOSK = "kiosk"            # the guestbook / poll kiosk


class Channel(enum.StrEnum):
    WALK_IN = "walk_in"  # luring, 1-hour standard
    ONLINE = "online"    # email / WA / Forum Silastik, 10 working days


class RequestState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REDIRECTED = "redirected"
    INVOICED = "invoiced"
    PAID = "paid"
    RECEIPTED = "receipted"
    DELIVERED = "delivered"
    CORRECTION_REQUESTED = "correction_requested"
    VERIFIED = "verified"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ProductKind(enum.StrEnum):
    MICRODATA = "microdata"      # priced by dataset size in bytes
    MAP = "map"                  # peta digital WILKERSTAT, priced per map
    PUBLICATION = "publication"  # electronic publication, priced per 50 pages


class PaymentMethod(enum.StrEnum):
    CASH = "cash"          # tunai at the treasurer's desk
    SIMPONI = "simponi"    # billing code paid at a bank / post / ATM / e-wallet
    TRANSFER = "transfer"  # bank transfer with proof (online, buyers abroad)


class DocumentStatus(enum.StrEnum):
    ISSUED = "issued"
    PAID = "paid"
    CANCELLED = "cancelled"


class VisitStatus(enum.StrEnum):
    WAITING = "waiting"
    SERVING = "serving"
    DONE = "done"


class DeliveryChannel(enum.StrEnum):
    IN_PERSON = "in_person"
    FORUM = "forum"
    EMAIL = "email"
    WA = "wa"  # WhatsApp


class WaiverCategory(enum.StrEnum):
    """Who may receive the Rp0 tariff (SOP Penjualan Nol Rupiah, 2024)."""

    CENTRAL_GOVERNMENT = "central_government"
    REGIONAL_GOVERNMENT = "regional_government"
    EDUCATION = "education"
    FOREIGN_REPRESENTATION = "foreign_representation"
    INTERNATIONAL_ORGANISATION = "international_organisation"


class WaiverPurpose(enum.StrEnum):
    STATE_DUTIES = "state_duties"
    RESEARCH = "research"
    COMMUNITY_EMPOWERMENT = "community_empowerment"
    INTERNATIONAL_OBLIGATIONS = "international_obligations"
