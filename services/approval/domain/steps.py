"""What kind of work each of the tenant's approval steps is, read from the step's role.

The role in the profile decides the kind, never the tenant: a head of department or of a
division disposes (disposisi), an approver signs (persetujuan), a verifier or technical team
checks the request against the checklist (verifikasi), the requester fills in the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.tenants import ApprovalStep, Role
from shared.tenants.steps import Step


class StepKind(StrEnum):
    REQUESTER = "requester"  # pemohon mengisi formulir
    VERIFICATION = "verification"  # verifikasi / kajian
    DISPOSITION = "disposition"  # disposisi
    APPROVAL = "approval"  # persetujuan dengan tanda tangan


KIND_OF_ROLE = {
    Role.REQUESTER: StepKind.REQUESTER,
    Role.VERIFIER: StepKind.VERIFICATION,
    Role.TECHNICAL_TEAM: StepKind.VERIFICATION,
    Role.OPERATOR: StepKind.VERIFICATION,
    Role.HEAD_OF_DEPARTMENT: StepKind.DISPOSITION,
    Role.HEAD_OF_DIVISION: StepKind.DISPOSITION,
    Role.APPROVER: StepKind.APPROVAL,
}
SUPERVISORS = frozenset({Role.HEAD_OF_DEPARTMENT, Role.HEAD_OF_DIVISION})


def kind_of(step: ApprovalStep) -> StepKind:
    return KIND_OF_ROLE[step.role]


def performer(step: Step) -> str:
    return step.performed_by or str(step.role)


@dataclass(frozen=True)
class Actor:
    """Who acts: a user id, the role they act in, and whom they stand in for as Plt."""

    user: str
    role: Role
    on_behalf_of: str | None = None

    def is_or_stands_in_for(self, user: str) -> bool:
        return user in (self.user, self.on_behalf_of)
