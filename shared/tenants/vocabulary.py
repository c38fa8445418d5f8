"""Closed vocabularies a tenant profile chooses from; the services act on these values."""

from enum import StrEnum


class Role(StrEnum):
    """Who performs a step (pelaksana)."""

    REQUESTER = "requester"  # pemohon
    VERIFIER = "verifier"  # petugas verifikasi
    HEAD_OF_DEPARTMENT = "head_of_department"  # Kepala Dinas
    HEAD_OF_DIVISION = "head_of_division"  # Kepala Bidang
    TECHNICAL_TEAM = "technical_team"  # tim teknis
    OPERATOR = "operator"  # operator virtual meeting
    APPROVER = "approver"  # pejabat yang menyetujui
    COMPLAINTS_OFFICER = "complaints_officer"  # pejabat pengelola pengaduan


class RequestChannel(StrEnum):
    """How a permohonan may arrive."""

    WEB_FORM = "web_form"
    REQUEST_FORM = "request_form"  # e.g. Tangerang's FPVC
    OFFICIAL_LETTER = "official_letter"  # surat resmi
    SRIKANDI = "srikandi"  # national e-office
    SPBE_PORTAL = "spbe_portal"  # sistem layanan digital SPBE


class ComplaintChannel(StrEnum):
    """How a pengaduan may arrive."""

    FACE_TO_FACE = "face_to_face"
    COMPLAINT_BOX = "complaint_box"
    WHATSAPP = "whatsapp"
    TEXT_MESSAGE = "text_message"
    PHONE = "phone"
    EMAIL = "email"
    SOCIAL_MEDIA = "social_media"


class EvaluationPeriod(StrEnum):
    """How often the service is evaluated (evaluasi kinerja pelaksana)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    PER_MEETING = "per_meeting"


class RejectAction(StrEnum):
    """What a step's rejection does to the request."""

    CLOSE = "close"  # ditolak: closed with a reason
    RETURN_TO_REQUESTER = "return_to_requester"  # dikembalikan untuk dilengkapi
    RESTART_FROM_STEP = "restart_from_step"  # e.g. Tangerang: unsigned -> step 1


class CountedFrom(StrEnum):
    """Where a delivery step's standard starts counting."""

    PREVIOUS_STEP = "previous_step"
    EVENT_START = "event_start"


class DoneWhen(StrEnum):
    """The provisioning milestone that finishes a delivery step (the step's output exists)."""

    MEETING_SCHEDULED = "meeting_scheduled"  # the link, ID and passcode exist
    EQUIPMENT_READY = "equipment_ready"  # network, equipment, venue and trial run done
    MEETING_HELD = "meeting_held"  # laporan pelaksanaan recorded
