"""Words the officer sees for the stored codes (Indonesian first, English second)."""

from __future__ import annotations

from models import (
    Channel,
    DeliveryChannel,
    PaymentMethod,
    ProductKind,
    VisitStatus,
    WaiverCategory,
    WaiverPurpose,
)
from ui.i18n import language

ONLINE_VIA = {"email": ("Email", "Email"), "wa": ("WhatsApp", "WhatsApp"), "forum": ("Forum Silastik", "Forum Silastik")}
MEDIA = {"flashdisk": ("Flashdisk", "USB flash drive"), "dvd": ("DVD", "DVD"), "harddisk": ("Hard disk", "Hard disk"),
         "email": ("Email", "Email"), "forum": ("Forum Silastik", "Forum Silastik"), "wa": ("WhatsApp", "WhatsApp")}
FORMATS = ("dta", "sav", "csv", "xlsx", "shp", "gpkg", "pdf")
CHANNELS = {Channel.WALK_IN: ("Datang langsung", "Walk-in"), Channel.ONLINE: ("Daring", "Online")}
DELIVERY_CHANNELS = {DeliveryChannel.IN_PERSON: ("Diserahkan langsung", "Handed over in person"),
                     DeliveryChannel.FORUM: ("Melalui Forum Silastik", "Through Forum Silastik"),
                     DeliveryChannel.EMAIL: ("Melalui email", "By email"),
                     DeliveryChannel.WA: ("Melalui WhatsApp", "By WhatsApp")}
PAYMENT = {PaymentMethod.CASH: ("Tunai", "Cash"), PaymentMethod.SIMPONI: ("Kode billing SIMPONI", "SIMPONI billing code"),
           PaymentMethod.TRANSFER: ("Transfer bank", "Bank transfer")}
KINDS = {ProductKind.MICRODATA: ("Data mikro", "Microdata"),
         ProductKind.MAP: ("Peta digital WILKERSTAT", "WILKERSTAT digital map"),
         ProductKind.PUBLICATION: ("Publikasi elektronik", "Electronic publication")}
VISIT = {VisitStatus.WAITING: ("Menunggu", "Waiting"), VisitStatus.SERVING: ("Dilayani", "Being served"),
         VisitStatus.DONE: ("Selesai", "Done")}
CATEGORIES = {
    WaiverCategory.CENTRAL_GOVERNMENT: ("Instansi pemerintah pusat / lembaga negara",
                                        "Central government institution / state institution"),
    WaiverCategory.REGIONAL_GOVERNMENT: ("Instansi pemerintah daerah", "Regional government institution"),
    WaiverCategory.EDUCATION: ("Lembaga pendidikan dalam negeri", "Domestic educational institution"),
    WaiverCategory.FOREIGN_REPRESENTATION: ("Perwakilan negara asing", "Foreign representation"),
    WaiverCategory.INTERNATIONAL_ORGANISATION: ("Organisasi internasional", "International organisation"),
}
PURPOSES = {
    WaiverPurpose.STATE_DUTIES: ("Tugas negara / pemerintahan", "State or government duties"),
    WaiverPurpose.RESEARCH: ("Penelitian dan pengembangan ilmu pengetahuan", "Research and development of science"),
    WaiverPurpose.COMMUNITY_EMPOWERMENT: ("Pemberdayaan masyarakat", "Community empowerment"),
    WaiverPurpose.INTERNATIONAL_OBLIGATIONS: ("Kewajiban internasional", "International obligations"),
}
# map products by (coverage, level): coverage "id" = all Indonesia, "kab" = one regency/city
MAP_PRODUCTS = {("id", "kecamatan"): "map_id_kecamatan", ("id", "desa"): "map_id_desa",
                ("kab", "kecamatan"): "map_kab_kecamatan", ("kab", "desa"): "map_kab_desa"}
MICRODATA_PRODUCTS = {"raw": "microdata_raw", "processed": "microdata_processed"}
SURVEYS = ("Susenas Maret", "Susenas September", "Sakernas Agustus", "Sakernas Februari", "Podes", "Sensus Penduduk",
           "Sensus Pertanian", "Sensus Ekonomi", "Survei Ekonomi Kelautan", "SUSPAS", "SBH")


def word(table: dict, key) -> str:
    """The label of ``key`` in the current language (the key itself when it has none)."""
    pair = table.get(key)
    if pair is None:
        return str(key)
    return pair[1] if language() == "en" else pair[0]
