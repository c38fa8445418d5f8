"""Roles, channels and the clock are each written once in shared/: what an event may carry, a
tenant profile may name, and a person may log in as are the same lists."""

from __future__ import annotations

from shared.auth import ROLE_NAMES
from shared.auth import Role as LoginRole
from shared.events.contracts import ComplaintReceived, RequestSubmitted
from shared.tenants import ComplaintChannel, RequestChannel, Role


def _channels_in_schema(event: type) -> list[str]:
    schema = event.model_json_schema()
    channel = schema["properties"]["channel"]
    return schema["$defs"][channel["$ref"].rpartition("/")[2]]["enum"] if "$ref" in channel else channel["enum"]


def test_a_request_arrives_only_by_a_channel_a_tenant_profile_can_name():
    assert _channels_in_schema(RequestSubmitted) == [c.value for c in RequestChannel]


def test_a_complaint_arrives_only_by_a_channel_a_tenant_profile_can_name():
    assert _channels_in_schema(ComplaintReceived) == [c.value for c in ComplaintChannel]


def test_steps_are_performed_by_the_roles_people_log_in_with():
    assert LoginRole is Role
    assert set(ROLE_NAMES) == set(Role), "every role has its Indonesian name"
