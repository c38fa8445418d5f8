"""The nine elements of the survey (PermenPANRB 14/2017) as the page asks them, and the
optional respondent profile. Answer 1 is the worst, 4 the best, each worded for its element."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    title: str
    text: str
    answers: tuple[str, str, str, str]


QUESTIONS = {
    "U1": Question(
        "Persyaratan",
        "Bagaimana kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    "U2": Question(
        "Prosedur",
        "Bagaimana kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    "U3": Question(
        "Waktu pelayanan",
        "Bagaimana kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    "U4": Question(
        "Biaya/tarif",
        "Bagaimana kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    "U5": Question(
        "Produk pelayanan",
        "Bagaimana kesesuaian hasil pelayanan yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    "U6": Question(
        "Kompetensi pelaksana",
        "Bagaimana kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    "U7": Question(
        "Perilaku pelaksana",
        "Bagaimana perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
    ),
    "U8": Question(
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana penanganan pengaduan pengguna layanan?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
    ),
    "U9": Question(
        "Sarana dan prasarana", "Bagaimana kualitas sarana dan prasarana?", ("Buruk", "Cukup", "Baik", "Sangat baik")
    ),
}

PROFILE_QUESTIONS = {
    "age_band": (
        "Usia",
        {
            "under_20": "Di bawah 20 tahun",
            "20_29": "20-29 tahun",
            "30_39": "30-39 tahun",
            "40_49": "40-49 tahun",
            "50_plus": "50 tahun ke atas",
        },
    ),
    "sex": ("Jenis kelamin", {"female": "Perempuan", "male": "Laki-laki"}),
    "education": (
        "Pendidikan terakhir",
        {"sd": "SD", "smp": "SMP", "sma": "SMA/sederajat", "d1_d3": "D1-D3", "s1": "D4/S1", "s2_plus": "S2 ke atas"},
    ),
    "occupation": (
        "Pekerjaan",
        {
            "asn": "ASN",
            "tni_polri": "TNI/Polri",
            "private": "Pegawai swasta",
            "self_employed": "Wiraswasta",
            "other": "Lainnya",
        },
    ),
}
