"""Indonesian words for the codes the figures are counted by (pages and exports)."""

from __future__ import annotations

from reporting.domain.register import FAILURES, OUTCOMES

CHANNELS = {
    "web_form": "Formulir web",
    "request_form": "Formulir permohonan",
    "official_letter": "Surat resmi",
    "srikandi": "SRIKANDI",
    "spbe_portal": "Portal SPBE",
    "api": "Aplikasi lain (API)",
}
PLATFORMS = {"zoom": "Zoom", "jitsi": "Jitsi", "-": "Belum ada rapat"}
KIND_SLUGS = {"bulan": "month", "triwulan": "quarter", "tahun": "year"}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}
DEFAULT_KIND = {"monthly": "month", "per_meeting": "month", "quarterly": "quarter", "yearly": "year"}
SUMMARY = {
    "requests": "Permohonan",
    "held": "Terlaksana",
    "failed": "Gagal",
    "attendance": "Peserta hadir",
    "steps_met_share": "Langkah tepat waktu (%)",
    "overall_met_share": "Standar SOP terpenuhi (%)",
    "complaints": "Pengaduan",
    "complaints_met_share": "Pengaduan selesai tepat waktu (%)",
    "ikm": "Indeks Kepuasan Masyarakat (IKM)",
}
GROUPS = {
    "outcome": ("hasil", OUTCOMES),
    "agency": ("instansi", {}),
    "channel": ("saluran", CHANNELS),
    "platform": ("platform", PLATFORMS),
    "failure": ("gagal", FAILURES),
}


__all__ = ["CHANNELS", "FAILURES", "OUTCOMES", "PLATFORMS", "label"]


def label(codes: dict[str, str], code: str | None) -> str:
    return codes.get(code or "-", code or "-")
