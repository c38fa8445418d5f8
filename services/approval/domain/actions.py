"""What an official in a role may do with a case now, with the words the page shows."""

from __future__ import annotations

from dataclasses import dataclass

from approval.domain.case import ApprovalCase
from approval.domain.steps import SUPERVISORS, StepKind, kind_of, performer
from shared.tenants import RejectAction, Role

APPROVE_LABEL = {
    StepKind.VERIFICATION: "Terima permohonan",
    StepKind.DISPOSITION: "Setujui dan disposisikan",
    StepKind.APPROVAL: "Setujui dengan tanda tangan",
}


@dataclass(frozen=True)
class Action:
    name: str
    label: str


def actions_for(case: ApprovalCase, role: Role) -> list[Action]:
    if case.closed or case.with_requester:
        return []
    reassign = [Action("reassign", "Alihkan ke petugas lain")] if role == case.step.role or role in SUPERVISORS else []
    if role != case.step.role:
        return reassign
    return [*_onward(case), *_back(case), _refusal(case), *reassign]


def _onward(case: ApprovalCase) -> list[Action]:
    kind = kind_of(case.step)
    if case.is_last_step:
        to = f" ke {performer(case.hand_over_to)}" if kind is StepKind.DISPOSITION and case.hand_over_to else ""
        return [Action("approve", APPROVE_LABEL[kind] + to)]
    if kind is StepKind.VERIFICATION:
        return [Action("verify", "Verifikasi: lengkap dan sah")]
    return [Action("dispose", f"Disposisikan ke {performer(case.steps[case.step_index + 1])}")]


def _back(case: ApprovalCase) -> list[Action]:
    if case.step_index != case.first_official_index:
        return []
    return [Action("return", "Kembalikan kepada pemohon untuk dilengkapi")]


def _refusal(case: ApprovalCase) -> Action:
    rule = case.step.on_reject
    if rule.action == RejectAction.CLOSE:
        return Action("reject", "Tolak permohonan")
    if rule.action == RejectAction.RETURN_TO_REQUESTER:
        return Action("reject", "Tolak: kembalikan kepada pemohon")
    return Action("reject", f"Tidak disetujui: kembali ke langkah '{case.steps[case.index_of(rule.step)].name}'")
