"""Pure adapters: Zoom's webhook signature and Jitsi's signed room links."""

from datetime import datetime, timedelta, timezone

from joserfc import jwt
from joserfc.jwk import OctKey

from fakes.zoom_webhooks import signed
from provisioning.adapters.jitsi import JitsiRooms
from provisioning.adapters.providers import MeetingSpec
from provisioning.adapters.zoom_webhooks import signature_valid, url_validation_answer

SECRET = "webhook-secret"


def test_a_signed_webhook_is_accepted_and_a_forged_or_stale_one_refused():
    body, headers = signed(SECRET, {"event": "meeting.started"}, timestamp=1_800_000_000)
    stamp, signature = headers["x-zm-request-timestamp"], headers["x-zm-signature"]

    assert signature_valid(SECRET, stamp, body, signature, now=1_800_000_010)
    assert not signature_valid("another-secret", stamp, body, signature, now=1_800_000_010)
    assert not signature_valid(SECRET, stamp, body.replace(b"started", b"ended"), signature, now=1_800_000_010)
    assert not signature_valid(SECRET, stamp, body, signature, now=1_800_000_000 + 3600)
    assert not signature_valid(SECRET, "not-a-number", body, signature)


def test_url_validation_answers_with_the_hmac_of_the_plain_token():
    answer = url_validation_answer(SECRET, "qgg8vlvZRS6UYooatFL8Aw")
    assert answer["plainToken"] == "qgg8vlvZRS6UYooatFL8Aw" and len(answer["encryptedToken"]) == 64


async def test_a_jitsi_link_carries_a_token_signed_for_the_room_and_the_meeting_time():
    rooms = JitsiRooms("https://meet.example.go.id", "vidcon", "a-jitsi-secret-of-thirty-two-bytes")
    starts = datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc)
    spec = MeetingSpec("req-1", "Rapat", "", starts, starts + timedelta(hours=2), "Asia/Makassar")

    made = await rooms.ensure_meeting("host", spec, [])
    again = await rooms.ensure_meeting("host", spec, [])

    assert made.meeting_id == again.meeting_id == "vidcon-req-1"
    assert made.join_url.startswith("https://meet.example.go.id/vidcon-req-1?jwt=")
    claims = jwt.decode(made.join_url.split("jwt=")[1], OctKey.import_key("a-jitsi-secret-of-thirty-two-bytes")).claims
    assert claims["room"] == "vidcon-req-1" and claims["aud"] == "jitsi" and claims["iss"] == "vidcon"
    assert claims["exp"] == int((starts + timedelta(hours=3)).timestamp())
