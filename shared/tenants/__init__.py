"""Tenants as data: each department's SOP read from tenants/*.yaml."""

from .errors import TenantProfileError
from .fields import LeadTime, OpeningHoursSpec, RequiredDocument, StandardSpec
from .loader import load_tenant, load_tenants
from .profile import ComplaintDeadlines, TenantProfile, WeeklyHours
from .steps import ApprovalStep, DeliveryStep, RejectRule
from .vocabulary import ComplaintChannel, CountedFrom, DoneWhen, EvaluationPeriod, RejectAction, RequestChannel, Role

__all__ = [
    "ApprovalStep",
    "ComplaintChannel",
    "ComplaintDeadlines",
    "CountedFrom",
    "DeliveryStep",
    "DoneWhen",
    "EvaluationPeriod",
    "LeadTime",
    "OpeningHoursSpec",
    "RejectAction",
    "RejectRule",
    "RequestChannel",
    "RequiredDocument",
    "Role",
    "StandardSpec",
    "TenantProfile",
    "TenantProfileError",
    "WeeklyHours",
    "load_tenant",
    "load_tenants",
]
