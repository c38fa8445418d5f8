"""What provisioning's use cases need from outside: meeting providers, tenant profiles, a clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import asyncpg

from provisioning.adapters.providers import MeetingProvider
from provisioning.domain.delivery import DeliveryPlan
from shared.clock import Clock, utc_now
from shared.tenants import TenantProfile

SCHEMA = "provisioning"


@dataclass
class Provisioning:
    providers: dict[str, MeetingProvider]
    time_zone_of: Callable[[str], str]
    clock: Clock = field(default=utc_now)
    profile_of: Callable[[str], TenantProfile | None] = lambda tenant: None

    def plan_for(self, tenant: str, request: asyncpg.Record) -> DeliveryPlan | None:
        """The tenant's delivery steps for this request; None for a tenant without a profile."""
        profile = self.profile_of(tenant)
        if profile is None:
            return None
        return DeliveryPlan(profile.delivery_steps, profile.calendar(), request["approved_at"], request["starts_at"])
