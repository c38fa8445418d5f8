"""The tables of an evaluation, defined once for the PDF, the XLSX and the CSV.

Cells keep their type: numbers stay numbers, instants become local datetimes (a spreadsheet
knows no time zones, so the tenant's own clock is used and named in the header).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from reporting.domain.evaluation import Evaluation
from reporting.entrypoints import labels
from shared.satisfaction import ELEMENTS
from shared.web.formatting import ZONE_NAMES


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list]


def _local(moment: str | None, zone: ZoneInfo) -> datetime | None:
    return datetime.fromisoformat(moment).astimezone(zone).replace(tzinfo=None) if moment else None


def summary_table(e: Evaluation) -> Table:
    rows = [
        [name, _or_no_data(getattr(e.summary, key), key), getattr(e.previous, key), e.change[key]]
        for key, name in labels.SUMMARY.items()
    ]
    return Table("Ringkasan", ["Ukuran", e.period.label, e.period.previous().label, "Perubahan"], rows)


def _or_no_data(value, key: str):
    return "belum ada data" if value is None and key == "ikm" else value


def ikm_table(e: Evaluation) -> Table:
    """Nilai rata-rata per unsur (NRR) and the index with its grade, as the regulation reports it."""
    if e.ikm is None:
        return Table("Indeks Kepuasan Masyarakat", ["Unsur", "Nilai rata-rata (NRR)"], [])
    rows = [[f"{element} {ELEMENTS[element]}", float(value)] for element, value in e.ikm.elements.items()]
    rows += [
        ["IKM", float(e.ikm.ikm)],
        [f"Mutu {e.ikm.grade.letter}", e.ikm.grade.words],
        ["Responden", e.ikm.respondents],
    ]
    if e.ikm_sample_short:
        rows.append(["Sampel minimum (belum tercapai)", e.ikm_sample_short])
    return Table("Indeks Kepuasan Masyarakat", ["Unsur", "Nilai rata-rata (NRR)"], rows)


def outcome_table(e: Evaluation) -> Table:
    rows = [[labels.label(labels.OUTCOMES, code), count] for code, count in e.outcomes.items()]
    rows += [["Pernah dikembalikan untuk dilengkapi", e.returned], ["Dijadwalkan ulang", e.rescheduled]]
    rows += [[f"Gagal: {labels.label(labels.FAILURES, code)}", count] for code, count in e.failures.items()]
    return Table("Hasil permohonan", ["Hasil", "Jumlah"], rows)


def grouped_tables(e: Evaluation) -> list[Table]:
    groups = [
        ("Per instansi", "Instansi", e.by_agency, {}),
        ("Per saluran", "Saluran", e.by_channel, labels.CHANNELS),
        ("Per platform", "Platform", e.by_platform, labels.PLATFORMS),
    ]
    return [
        Table(title, [head, "Permohonan"], [[labels.label(codes, c), n] for c, n in counts.items()])
        for title, head, counts, codes in groups
    ]


def compliance_table(e: Evaluation) -> Table:
    rows = []
    for step in [*e.steps, e.overall]:
        s, worst = step.spread, step.spread.worst
        rows.append(
            [
                step.name,
                step.standard,
                s.count,
                s.met,
                s.late,
                s.median_minutes,
                s.p90_minutes,
                worst and worst.get("tracking_code") or (worst and worst["request_id"]),
                worst and worst["margin_minutes"],
            ]
        )
    return Table(
        "Kepatuhan standar waktu",
        [
            "Langkah",
            "Standar",
            "Jumlah",
            "Tepat waktu",
            "Terlambat",
            "Median (menit kerja)",
            "Persentil 90 (menit kerja)",
            "Terlama",
            "Sisa waktu terlama (menit, negatif = terlambat)",
        ],
        rows,
    )


def complaints_table(e: Evaluation) -> Table:
    return Table(
        "Pengaduan menurut jenis",
        ["Jenis", "Masuk", "Selesai", "Tepat waktu", "Terlambat", "Lewat batas, belum selesai"],
        [[c.name, c.received, c.resolved, c.met, c.late, c.open_overdue] for c in e.complaints]
        + [
            ["Belum diklasifikasi", e.unclassified, None, None, None, None],
            ["Saran/masukan (tanpa batas waktu)", e.feedback.get("suggestion", 0), None, None, None, None],
            ["Apresiasi", e.feedback.get("appreciation", 0), None, None, None, None],
        ],
    )


def months_table(e: Evaluation) -> Table:
    return Table(
        "Per bulan",
        ["Bulan", *labels.SUMMARY.values()],
        [[month.label, *[getattr(summary, key) for key in labels.SUMMARY]] for month, summary in e.months],
    )


def findings_table(e: Evaluation) -> Table:
    rows = [
        [f["period"], f["finding"], f["follow_up"], f.get("follow_up_due")] for f in [*e.carried_findings, *e.findings]
    ]
    return Table(
        "Temuan dan rencana tindak lanjut", ["Periode", "Temuan", "Rencana tindak lanjut", "Batas waktu"], rows
    )


def register_table(e: Evaluation) -> Table:
    zone = ZoneInfo(e.profile.time_zone)
    rows = [
        [
            _local(r["starts_at"], zone),
            r.get("tracking_code"),
            r.get("agency"),
            r.get("event_name"),
            labels.label(labels.CHANNELS, r.get("channel")),
            labels.label(labels.PLATFORMS, r.get("provider")),
            r.get("host_account"),
            r.get("report_venue") or r.get("venue") or ("daring" if r.get("online_only") else None),
            r.get("contact_name"),
            r.get("leading_official_name"),
            r.get("report_leading_official") or r.get("leading_official_position"),
            ", ".join(r.get("officers_on_duty") or []),
            r.get("attendance"),
            "ya" if r.get("recording_kept") else "tidak",
            _local(r.get("recording_deleted_at"), zone),
            labels.label(labels.OUTCOMES, r["outcome"])
            + (f" ({labels.label(labels.FAILURES, r['failure_reason'])})" if r.get("failure_reason") else ""),
        ]
        for r in e.register
    ]
    zone_name = ZONE_NAMES.get(e.profile.time_zone, e.profile.time_zone)
    return Table(
        "Register pelaksanaan",
        [
            f"Mulai ({zone_name})",
            "Kode",
            "Instansi",
            "Kegiatan",
            "Saluran",
            "Platform",
            "Akun",
            "Tempat",
            "Kontak",
            "Nama pejabat yang memimpin",
            "Jabatan pejabat yang memimpin",
            "Petugas",
            "Hadir",
            "Rekaman disimpan",
            f"Rekaman dihapus ({zone_name})",
            "Hasil",
        ],
        rows,
    )


def tables_of(e: Evaluation) -> list[Table]:
    return [
        summary_table(e),
        *([months_table(e)] if e.months else []),
        outcome_table(e),
        *grouped_tables(e),
        compliance_table(e),
        complaints_table(e),
        ikm_table(e),
        findings_table(e),
        register_table(e),
    ]
