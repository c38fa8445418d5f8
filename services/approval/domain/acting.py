"""Pelaksana tugas (Plt.): an official names someone to act in their place for a period."""

from __future__ import annotations

from datetime import datetime

from approval.domain.steps import SUPERVISORS, Actor
from shared.domain import Aggregate, DomainRuleBroken
from shared.events.contracts.approval import ActingOfficialAppointed
from shared.tenants import Role


class ActingAppointments(Aggregate):
    """One official's appointments of acting officials; the id is `<tenant>.<official user id>`."""

    stream_prefix = "acting"

    def __init__(self, id: str, tenant: str):
        super().__init__(id, tenant)
        self.appointments: list[ActingOfficialAppointed] = []

    def appoint(
        self,
        actor: Actor,
        official: str,
        role: Role,
        acting: str,
        starts_at: datetime,
        ends_at: datetime,
        now: datetime,
    ) -> None:
        """`acting` takes over `official`'s work in `role` from `starts_at` until `ends_at`."""
        if actor.user != official and actor.role not in SUPERVISORS:
            raise DomainRuleBroken("official", "hanya pejabat itu sendiri atau atasannya yang dapat menunjuk Plt.", 403)
        if acting == official:
            raise DomainRuleBroken("acting", "Plt. harus orang lain, bukan pejabat itu sendiri")
        if ends_at <= starts_at:
            raise DomainRuleBroken("ends_at", "akhir masa Plt. harus sesudah awalnya")
        if ends_at <= now:
            raise DomainRuleBroken("ends_at", "masa Plt. sudah lewat")
        self.record(
            ActingOfficialAppointed(
                official=official,
                acting=acting,
                role=role.value,
                starts_at=starts_at,
                ends_at=ends_at,
                by=actor.user,
                appointed_at=now,
            )
        )

    def when_official_acting_appointed(self, event: ActingOfficialAppointed) -> None:
        self.appointments.append(event)
