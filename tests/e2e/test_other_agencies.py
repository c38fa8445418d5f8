"""Other agencies read the public stream: facts about the service, never personal data."""

from __future__ import annotations

import asyncio

import nats
import pytest

from tests.e2e.test_walking_skeleton import TENANT, a_request, letter_for, post
from tests.e2e.identity import requester
from tests.integration.helpers import wait_until

SECRET_FIELDS = ("contact_ref", "tracking_code", "join_url", "passcode", "by", "host_account", "letter_ref")


async def agency_connection(servers):
    nats_server = servers[0]
    return await nats.connect(
        nats_server.url, user="external", password=nats_server.passwords["external"], allow_reconnect=False
    )


async def test_an_agency_reads_public_copies_without_personal_data(system, servers, as_user):
    submitted = await post(
        f"{system.url('intake')}/api/{TENANT}/requests",
        a_request(days_ahead=15, letter=await letter_for(system)),
        requester(),
    )
    request_id = submitted.json()["request_id"]
    approval = f"{system.url('approval')}/api/{TENANT}/requests/{request_id}"

    async def in_inbox():
        return (
            await post(
                f"{approval}/pass", {"role": "head_of_department"}, await as_user(f"head_of_department@{TENANT}")
            )
        ).status_code == 200

    await wait_until(in_inbox, timeout=20)
    await post(f"{approval}/approve", {"role": "head_of_division"}, await as_user(f"head_of_division@{TENANT}"))

    agency = await agency_connection(servers)
    try:
        js = agency.jetstream()
        sub = await js.pull_subscribe(f"vidcon_public.{TENANT}.>", durable=None, stream="VIDCON_PUBLIC")

        async def mine():
            seen = []
            while True:
                try:
                    batch = await sub.fetch(200, timeout=1)
                except asyncio.TimeoutError:
                    return None
                seen += [m for m in batch if request_id.encode() in m.data]
                if any(b"meeting.scheduled" in m.data for m in seen):
                    return seen

        messages = await wait_until(mine, timeout=30)
        types = [m.subject.rsplit(".", 1)[1] for m in messages]
        assert types[:3] == ["request_submitted", "request_disposed", "request_approved"]
        assert "meeting_scheduled" in types
        for message in messages:
            for field in SECRET_FIELDS:
                assert f'"{field}"'.encode() not in message.data, (message.subject, field)
        assert b"Siti" not in b"".join(m.data for m in messages)
    finally:
        await agency.close()


async def test_an_agency_is_refused_the_internal_stream(servers):
    agency = await agency_connection(servers)
    try:
        with pytest.raises(Exception):
            await agency.jetstream(timeout=1).stream_info("VIDCON")
        with pytest.raises(Exception):
            await agency.jetstream(timeout=1).publish("vidcon_public.kaltara.intake.request_submitted", b"{}")
    finally:
        await agency.close()
