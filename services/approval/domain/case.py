"""A request on its way through the tenant's approval steps (verifikasi, disposisi, persetujuan).

The steps, their roles, standard times and the checklist come from the tenant profile, never
from code. The department's clock stops while the request is back with the requester.
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from approval.domain.case_state import CaseState
from approval.domain.steps import SUPERVISORS, Actor, StepKind, kind_of, performer
from shared.events.contracts.approval import (
    Disposed,
    RequestApproved,
    RequestReassigned,
    RequestRejected,
    RequestReopened,
    RequestResubmitted,
    RequestReturned,
    RequestVerified,
)
from shared.domain import DomainRuleBroken
from shared.tenants import RejectAction

UNSIGNED = "Persetujuan tidak ditandatangani"


class ApprovalCase(CaseState):
    def pass_on(
        self, actor: Actor, now: datetime, note: str = "", addressee: str | None = None, checked: Sequence[str] = ()
    ) -> None:
        """Verify or dispose, whichever the current step is."""
        if kind_of(self.step) is StepKind.VERIFICATION:
            self.verify(actor, list(checked), now)
        else:
            self.dispose(actor, note, addressee, now)

    def verify(self, actor: Actor, checked: list[str], now: datetime) -> None:
        """Verifikasi lulus: every item of the checklist is there."""
        self._may_act(actor, StepKind.VERIFICATION)
        self._not_last("setujui (terima) atau tolak permohonan")
        self.record(
            RequestVerified(
                request_id=self.id,
                by=actor.user,
                on_behalf_of=actor.on_behalf_of,
                timing=self.timing(now),
                checked_items=self.checklist.confirm_complete(checked),
            )
        )

    def dispose(self, actor: Actor, note: str, addressee: str | None, now: datetime) -> None:
        """Disposisi: hand the request on to the next step's role, with a note."""
        self._may_act(actor, StepKind.DISPOSITION)
        self._not_last("setujui dan disposisikan, atau tolak permohonan")
        following = self.steps[self.step_index + 1]
        self.record(
            Disposed(
                request_id=self.id,
                by=actor.user,
                on_behalf_of=actor.on_behalf_of,
                timing=self.timing(now),
                to_step=following.id,
                to_role=following.role.value,
                addressee=addressee,
                note=note,
            )
        )

    def approve(
        self,
        actor: Actor,
        now: datetime,
        signed: bool = True,
        note: str = "",
        addressee: str | None = None,
        checked: Sequence[str] = (),
    ) -> None:
        """Persetujuan at the last step; where it is a disposition, it hands on to the delivery team."""
        self._may_act(actor)
        if not self.is_last_step:
            raise DomainRuleBroken("action", f"permohonan masih pada langkah '{self.step.name}'", 409)
        if not signed:
            return self._refuse(actor, UNSIGNED, now)
        confirmed = self.checklist.confirm_complete(list(checked)) if self._verifies() else []
        hand_on = self.hand_over_to
        self.record(
            RequestApproved(
                request_id=self.id,
                by=actor.user,
                on_behalf_of=actor.on_behalf_of,
                timing=self.timing(now),
                signed=True,
                checked_items=confirmed,
                note=note,
                addressee=addressee,
                to_step=hand_on.id if hand_on else None,
                to_role=hand_on.role.value if hand_on else None,
                to_step_due_at=self.opened_calendar().due(now, hand_on.standard.to_standard())
                if hand_on and hand_on.standard
                else None,
            )
        )

    def return_to_requester(self, actor: Actor, missing: list[str], note: str, now: datetime) -> None:
        """Dikembalikan: back to the requester with the missing checklist items."""
        self._may_act(actor)
        if self.step_index != self.first_official_index:
            raise DomainRuleBroken(
                "action",
                f"permohonan hanya dapat dikembalikan pada langkah '{self.steps[self.first_official_index].name}'",
                409,
            )
        if not missing and not note.strip():
            raise DomainRuleBroken("missing", "sebutkan kelengkapan yang kurang atau beri catatan")
        self._record_return(actor, self.checklist.names_of(missing), note, self.step.id, now)

    def reject(self, actor: Actor, reason: str, now: datetime) -> None:
        """Tolak, or what the step's `on_reject` rule says instead (return, restart)."""
        self._may_act(actor)
        self._refuse(actor, reason, now)

    def reassign(self, actor: Actor, to_user: str, reason: str, now: datetime) -> None:
        """Alihkan: the request waits for another official; the step's clock keeps running."""
        self._must_be_open()
        if actor.role != self.step.role and actor.role not in SUPERVISORS:
            raise DomainRuleBroken("role", f"hanya {performer(self.step)} atau atasan yang dapat mengalihkan", 403)
        if to_user == self.addressee:
            raise DomainRuleBroken("to", "permohonan sudah ditujukan kepada petugas ini")
        self.record(
            RequestReassigned(
                request_id=self.id,
                by=actor.user,
                step=self.step.id,
                from_user=self.addressee,
                to_user=to_user,
                reason=reason,
                reassigned_at=now,
            )
        )

    def resubmit(self, amended_at: datetime, amended_fields: list[str]) -> bool:
        """The requester's amendment is back: the department's clock starts again. False if not waiting."""
        if self.closed or not self.with_requester:
            return False
        self.record(
            RequestResubmitted(
                request_id=self.id,
                resubmitted_at=amended_at,
                resumes_at_step=self.step.id,
                amended_fields=amended_fields,
            )
        )
        return True

    def reopen(self, rescheduled_at: datetime) -> bool:
        """Dijadwalkan ulang: back to the first official's step with a fresh clock. False if rejected."""
        if self.outcome == "rejected":
            return False
        self.record(
            RequestReopened(
                request_id=self.id,
                reopened_at=rescheduled_at,
                resumes_at_step=self.steps[self.first_official_index].id,
                previous_outcome=self.outcome,
            )
        )
        return True

    def _refuse(self, actor: Actor, reason: str, now: datetime) -> None:
        rule = self.step.on_reject
        if rule.action == RejectAction.RETURN_TO_REQUESTER:
            return self._record_return(actor, [], reason, self.step.id, now)
        if rule.action == RejectAction.CLOSE:
            return self.record(
                RequestRejected(
                    request_id=self.id,
                    by=actor.user,
                    on_behalf_of=actor.on_behalf_of,
                    timing=self.timing(now),
                    reason=reason,
                )
            )
        target = self.index_of(rule.step)
        if kind_of(self.steps[target]) is StepKind.REQUESTER:
            return self._record_return(actor, [], reason, self.steps[self.official_index_from(target)].id, now)
        self.record(
            Disposed(
                request_id=self.id,
                by=actor.user,
                on_behalf_of=actor.on_behalf_of,
                timing=self.timing(now),
                to_step=rule.step,
                to_role=self.steps[target].role.value,
                note=reason,
            )
        )

    def _record_return(self, actor: Actor, missing: list[str], note: str, resumes_at: str, now: datetime) -> None:
        self.record(
            RequestReturned(
                request_id=self.id,
                by=actor.user,
                on_behalf_of=actor.on_behalf_of,
                timing=self.timing(now),
                missing_items=missing,
                note=note,
                resumes_at_step=resumes_at,
            )
        )

    def _verifies(self) -> bool:
        return kind_of(self.step) is StepKind.VERIFICATION

    def _not_last(self, what_instead: str) -> None:
        if self.is_last_step:
            raise DomainRuleBroken("action", f"langkah terakhir: {what_instead}", 409)

    def _may_act(self, actor: Actor, kind: StepKind | None = None) -> None:
        self._must_be_open()
        if self.with_requester:
            raise DomainRuleBroken(
                "request_id", "permohonan sedang dikembalikan kepada pemohon untuk dilengkapi; tunggu perbaikannya", 409
            )
        if actor.role != self.step.role:
            raise DomainRuleBroken("role", f"langkah '{self.step.name}' dikerjakan oleh {performer(self.step)}", 403)
        if self.addressee and not actor.is_or_stands_in_for(self.addressee):
            raise DomainRuleBroken(
                "by",
                f"permohonan ini ditujukan kepada {self.addressee}; hanya petugas itu "
                "atau Plt.-nya yang dapat menindaklanjuti",
                403,
            )
        if kind is not None and kind_of(self.step) is not kind:
            raise DomainRuleBroken("action", f"langkah '{self.step.name}' bukan {kind.value}", 409)
