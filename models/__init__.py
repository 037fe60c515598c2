"""SQLAlchemy 2 tables and enums of PST Desktop. No Qt, no business rules: those live in
``pstdesktop.services``. Money is an integer number of Rupiah; time is stored timezone-aware (UTC)."""

from models.audit import AuditEntry
from models.base import Base
from models.billing import (
    CarriedBalance,
    DailyClosing,
    Deposit,
    DepositReceipt,
    DocumentCounter,
    Invoice,
    NtpnUse,
    Payment,
    Receipt,
    Refund,
)
from models.catalogue import Product, TariffLine, TariffSchedule
from models.delivery import Correction, Delivery, DeliveryItem
from models.enums import (
    Channel,
    DeliveryChannel,
    DocumentStatus,
    PaymentMethod,
    ProductKind,
    RequestState,
    Role,
    VisitStatus,
    WaiverCategory,
    WaiverPurpose,
)
from models.evidence import EVIDENCE_MAX_BYTES, Evidence, ReceivingAccount
from models.feedback import Complaint, PollAnswer
from models.office import Account, OfficeProfile, SigningKey
from models.requests import ConsultationReferral, RequestItem, ServiceRequest, SppdAgreement, Waiver
from models.search import ReceiptSearch, RequestSearch
from models.visitors import Visit, Visitor

__all__ = [
    "Account", "AuditEntry", "Base", "CarriedBalance", "DailyClosing", "Channel", "Complaint", "ConsultationReferral", "Correction",
    "Delivery", "DeliveryChannel", "DeliveryItem", "Deposit", "DepositReceipt", "DocumentCounter",
    "DocumentStatus", "EVIDENCE_MAX_BYTES", "Evidence", "Invoice", "NtpnUse", "OfficeProfile", "Payment", "PaymentMethod", "PollAnswer", "Product",
    "ProductKind", "Receipt", "ReceivingAccount", "Refund", "ReceiptSearch", "RequestItem", "RequestSearch", "RequestState", "Role", "ServiceRequest", "SigningKey", "SppdAgreement",
    "TariffLine", "TariffSchedule", "Visit", "VisitStatus", "Visitor", "Waiver", "WaiverCategory",
    "WaiverPurpose",
]
