from shared.messaging.positions import position_in


def test_a_replay_reads_the_outbox_position_from_headers_as_they_come():
    headers = b"NATS/1.0\r\nNats-Msg-Id: e1\r\nVidcon-Position: s1_intake:42\r\n\r\n"
    assert position_in(headers, "/vidcon/intake", 7) == ("s1_intake", 42)


def test_an_event_published_before_the_position_header_counts_by_its_stream_sequence():
    assert position_in(b"NATS/1.0\r\nNats-Msg-Id: e1\r\n\r\n", "/vidcon/intake", 7) == ("stream", 7)
    assert position_in(None, "/vidcon/intake", 7) == ("stream", 7)


def test_a_position_without_an_outbox_counts_under_the_events_source():
    assert position_in(b"NATS/1.0\r\nVidcon-Position: 42\r\n\r\n", "/vidcon/intake", 7) == ("/vidcon/intake", 42)
