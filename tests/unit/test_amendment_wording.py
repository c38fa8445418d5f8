from intake.domain.amendment import changes_in_words


def test_an_amendment_is_told_in_indonesian_field_names_never_the_codes():
    changes = {"documents": {"request_letter": "ref"}, "venue": "Aula", "speakers": None, "speaker_count": 2}
    assert changes_in_words(changes) == "berkas, lokasi kegiatan, narasumber"
