"""A replay that decodes only the fields a projection reads folds what decoding it whole folds."""

from datetime import datetime, timezone

import orjson
import pytest

from reporting.adapters.projections import projections
from shared.config import REPO_ROOT
from shared.events import envelope_for
from shared.events.contracts.intake import RequestSubmittedV1
from shared.projections.decoding import decoder
from shared.tenants import load_tenants
from tests.factories import Outboxes, history

PROJECTIONS = projections(load_tenants(REPO_ROOT / "tenants"))
NAMED = [name for name, projection in PROJECTIONS.items() if projection.reads is not None]


def folded(projection, envelopes) -> dict:
    into: dict = {}
    for envelope in envelopes:
        projection.fold(projection.changes(envelope), into)
    return into


def test_usage_and_steps_name_what_they_read():
    assert {"usage", "steps"} <= set(NAMED)


@pytest.mark.parametrize("name", NAMED)
def test_a_history_folds_alike_decoded_in_part_or_whole(name):
    projection = PROJECTIONS[name]
    raws = [payload for _, payload, _ in history(["kaltara", "gorontalo"], 2000, seed=5, outboxes=Outboxes())]
    decode = decoder(projection.reads)

    assert folded(projection, map(decode, raws)) == folded(projection, map(orjson.loads, raws))


def test_an_older_version_is_decoded_whole_for_its_upcaster():
    v1 = RequestSubmittedV1(
        request_id="r1",
        tracking_code="ABCD2345",
        agency="Dinas Pendidikan",
        event_name="Rakor",
        starts_at=datetime(2026, 7, 10, 1, tzinfo=timezone.utc),
        ends_at=datetime(2026, 7, 10, 3, tzinfo=timezone.utc),
        online_only=True,
        contact_ref="kontak-1",
        received_at=datetime(2026, 6, 30, 16, 30, tzinfo=timezone.utc),
    )
    raw = envelope_for(v1, tenant="gorontalo", subject="s", stream_version=1, correlation_id="c").to_json()

    assert decoder(PROJECTIONS["usage"].reads)(raw) == orjson.loads(raw)


def test_a_value_not_shaped_as_the_fields_say_is_decoded_whole():
    raw = (
        b'{"id": "e1", "source": "/vidcon/approval", "type": "id.go.vidcon.request.approved.v1",'
        b' "tenant": "kaltara", "data": {"request_id": "r1", "timing": null}}'
    )

    assert decoder(PROJECTIONS["usage"].reads)(raw) == orjson.loads(raw)
