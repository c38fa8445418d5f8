"""Uploads judged by their content: PDF, spreadsheet, CSV, PNG and JPEG, each checked by a real open."""

from shared.files.formats import MEDIA_TYPES, detect_format
from shared.files.workbooks import MB
from shared.files.kinds import FileKind, check_format, check_size, check_upload

__all__ = ["MB", "MEDIA_TYPES", "FileKind", "check_format", "check_size", "check_upload", "detect_format"]
