"""Uploads are judged by their bytes: a photo counts only if it decodes whole, whatever its name."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from shared.domain import DomainRuleBroken
from shared.files import MB, FileKind, check_upload, detect_format

PHOTO_OR_PDF = FileKind("lampiran", frozenset({"png", "jpeg", "pdf"}), 1 * MB, "foto (JPEG/PNG) atau PDF")


def a_photo(image_format: str) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((64, 48), 50).convert("RGB").save(out, image_format)
    return out.getvalue()


@pytest.mark.parametrize("image_format, detected", [("PNG", "png"), ("JPEG", "jpeg")])
def test_a_real_photo_is_detected_by_its_content(image_format, detected):
    assert detect_format(a_photo(image_format)) == detected
    assert check_upload(PHOTO_OR_PDF, a_photo(image_format)) == detected


def test_text_named_png_is_not_a_photo(tmp_path):
    disguised = tmp_path / "foto.png"
    disguised.write_text("Mohon maaf, ini bukan gambar melainkan teks biasa.")

    assert detect_format(disguised.read_bytes()) not in {"png", "jpeg"}
    with pytest.raises(DomainRuleBroken) as refused:
        check_upload(PHOTO_OR_PDF, disguised.read_bytes())
    assert refused.value.status == 415 and "foto (JPEG/PNG) atau PDF" in str(refused.value)


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
@pytest.mark.parametrize("pillow_told_to_accept_truncated_images", [False, True])  # weasyprint tells it so
def test_a_truncated_photo_does_not_open(image_format, pillow_told_to_accept_truncated_images, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", pillow_told_to_accept_truncated_images)
    photo = a_photo(image_format)

    assert detect_format(photo[: len(photo) // 2]) is None
    assert detect_format(photo[:-20]) is None


def test_only_the_magic_bytes_of_a_png_are_not_enough():
    assert detect_format(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64) is None


def test_an_empty_or_oversized_upload_is_refused_before_it_is_read():
    with pytest.raises(DomainRuleBroken, match="kosong"):
        check_upload(PHOTO_OR_PDF, b"")
    with pytest.raises(DomainRuleBroken, match="melebihi batas 1 MB") as refused:
        check_upload(PHOTO_OR_PDF, b"\xff\xd8\xff" + bytes(MB))
    assert refused.value.status == 413
