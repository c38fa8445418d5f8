"""Photos: a PNG or JPEG counts only if it is whole and Pillow checks and decodes it."""

from __future__ import annotations

import io

JPEG_SCAN_START = b"\xff\xda"
JPEG_END = b"\xff\xd9"


def opens_as_png(content: bytes) -> bool:
    return _decodes_as(content, "PNG")


def opens_as_jpeg(content: bytes) -> bool:
    return _ends_after_its_last_scan(content) and _decodes_as(content, "JPEG")


def _ends_after_its_last_scan(content: bytes) -> bool:
    """Pillow decodes a cut JPEG without complaint once a library (weasyprint does) sets
    ImageFile.LOAD_TRUNCATED_IMAGES, so the end marker is looked for here."""
    return content.rfind(JPEG_END) > content.rfind(JPEG_SCAN_START) >= 0


def _decodes_as(content: bytes, image_format: str) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content), formats=[image_format]) as image:
            if Image.MAX_IMAGE_PIXELS and image.width * image.height > Image.MAX_IMAGE_PIXELS:
                return False  # a small file may still decode to gigabytes
            image.verify()  # chunk checksums up to the end marker, which decoding alone does not need
        with Image.open(io.BytesIO(content), formats=[image_format]) as image:
            image.load()  # verify() leaves the image unusable, so decoding takes a second open
    except Exception:  # noqa: BLE001  any check or decode failure means "not a usable image"
        return False
    return True
