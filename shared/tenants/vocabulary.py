"""Closed vocabularies a tenant profile chooses from; the services act on these values."""

from enum import StrEnum


class Role(StrEnum):
    """What a person does in a department: the roles people log in with and steps are performed by."""

    REQUESTER = "requester"  # pemohon (staf OPD)
    VERIFIER = "verifier"  # petugas verifikasi
    HEAD_OF_DEPARTMENT = "head_of_department"  # Kepala Dinas
    HEAD_OF_DIVISION = "head_of_division"  # Kepala Bidang
    APPROVER = "approver"  # pejabat yang menyetujui dengan tanda tangan
    TECHNICAL_TEAM = "technical_team"  # tim teknis
    OPERATOR = "operator"  # operator virtual meeting
    COMPLAINTS_OFFICER = "complaints_officer"  # pejabat pengelola pengaduan
    COMPLAINTS_TEAM = "complaints_team"  # tim penanganan pengaduan
    LEADER = "leader"  # pimpinan: membaca laporan
    TENANT_ADMIN = "tenant_admin"  # admin dinas


STEP_PERFORMERS = frozenset(Role) - {Role.COMPLAINTS_TEAM, Role.LEADER, Role.TENANT_ADMIN}
"""Who may perform a step of a profile (pelaksana): readers and admins perform none."""


class RequestChannel(StrEnum):
    """How a permohonan may arrive."""

    WEB_FORM = "web_form"
    REQUEST_FORM = "request_form"  # e.g. Tangerang's FPVC
    OFFICIAL_LETTER = "official_letter"  # surat resmi
    SRIKANDI = "srikandi"  # national e-office
    SPBE_PORTAL = "spbe_portal"  # sistem layanan digital SPBE
    API = "api"  # another program, through the API


class ComplaintChannel(StrEnum):
    """How a pengaduan may arrive."""

    FACE_TO_FACE = "face_to_face"
    COMPLAINT_BOX = "complaint_box"
    WHATSAPP = "whatsapp"
    TEXT_MESSAGE = "text_message"
    PHONE = "phone"
    EMAIL = "email"
    SOCIAL_MEDIA = "social_media"
    WEB_FORM = "web_form"  # the public complaint page


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
