"""Evidence files (bukti dukung): type and size limits, safe storage keys (domain layer, pure).

An evidence file belongs to a unit and points at a target: an indicator of an edition, a
deadline (sent from a reminder), or both (a deadline's file is also filed under the deadline's
first indicator of the current edition, when it names one).
Files are stored under paths *we* generate from the unit code, a random token and an
extension chosen by MIME type from an allow-list; the name the user's device gave the file is kept
only as sanitised metadata for display, never used to build a path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import InvalidInput

# Bot API bots can download files up to 20 MB with getFile
# (https://core.telegram.org/bots/api#getfile), so that is our ceiling too.
MAX_BYTES = 20 * 1024 * 1024

# MIME type -> extension of the stored copy. Anything else is refused.
ALLOWED_TYPES: dict[str, str] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_BY_EXTENSION = {ext: mime for mime, ext in ALLOWED_TYPES.items()} | {"jpeg": "image/jpeg"}
# Telegram re-encodes photos sent as photos to JPEG.
PHOTO_MIME = "image/jpeg"
MAX_NAME = 120
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}/[0-9a-f]{32}\.[a-z0-9]{2,5}$")
_UNIT_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """What the user sent, as Telegram described it (nothing here is trusted)."""

    kind: str  # "photo" or "document"
    file_id: str
    file_unique_id: str
    mime_type: str | None
    size: int | None
    file_name: str | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class AcceptedFile:
    """A file that passed the checks: its normalised MIME type, extension and display name."""

    mime_type: str
    extension: str
    display_name: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """One stored evidence file as handlers see it."""

    id: int
    unit_id: int
    edition: str
    indicator_id: str | None
    deadline_id: int | None
    kind: str
    display_name: str
    mime_type: str
    size: int
    uploaded_by: int | None
    created_at: datetime
    deadline_title: str | None = None
    caption: str = ""
    uploader_name: str | None = None


@dataclass(frozen=True, slots=True)
class DeadlineTarget:
    """A deadline a member may attach evidence to, for their own unit."""

    deadline_id: int
    title: str
    unit_id: int
    indicator_id: str | None  # the first of the deadline's indicators in the current edition


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """An evidence file ready to send back: stored copy (if present) and Telegram file id."""

    evidence: Evidence
    path: str | None
    telegram_file_id: str


def sanitise_name(name: str | None) -> str:
    """A file name fit for display: last path part only, no control characters, bounded.

    "../../etc/passwd" becomes "passwd", "..\\x.pdf" becomes "x.pdf", NUL and other control
    characters disappear. The result is never used to build a path.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = re.split(r"[\\/]", text)[-1].strip().lstrip(".").strip()
    return text[:MAX_NAME]


def accept_file(incoming: IncomingFile, *, max_bytes: int = MAX_BYTES) -> AcceptedFile:
    """Check type and declared size; return how to store the file.

    Raises:
        InvalidInput: ``file/too_large`` above `max_bytes`, ``file/type`` for a type outside the
            allow-list (a missing MIME type is guessed from the name's extension only).
    """
    if incoming.size is not None and incoming.size > max_bytes:
        raise InvalidInput("file", "too_large")
    mime = PHOTO_MIME if incoming.kind == "photo" else (incoming.mime_type or "").lower().strip()
    display = sanitise_name(incoming.file_name)
    if not mime or mime == "application/octet-stream":
        extension = display.rsplit(".", 1)[-1].lower() if "." in display else ""
        mime = _BY_EXTENSION.get(extension, "")
    if mime not in ALLOWED_TYPES:
        raise InvalidInput("file", "type")
    return AcceptedFile(mime, ALLOWED_TYPES[mime], display)


def storage_key(unit_code: str, token: str, extension: str) -> str:
    """The relative path of a stored copy: ``<unit code>/<token>.<extension>``.

    Raises ValueError if any part could reach outside the unit's folder.
    """
    if not _UNIT_CODE.match(unit_code) or not _TOKEN.match(token):
        raise ValueError("unsafe storage key part")
    if extension not in ALLOWED_TYPES.values():
        raise ValueError("extension not allowed")
    return f"{unit_code}/{token}.{extension}"


def is_safe_key(key: str) -> bool:
    """True for keys shaped like ``storage_key`` output (checked again before any file access)."""
    return bool(_KEY.match(key))


def files_per_deadline(
    indicators: Mapping[int, Sequence[str]], files: Iterable[tuple[int, int | None, str | None]]
) -> dict[int, int]:
    """Files that count for each deadline: sent for it, or filed under an indicator it links.

    `indicators` maps deadline id -> the indicator ids it names; `files` are (file id,
    deadline id, indicator id). A file counts once per deadline even if it matches both ways.
    """
    counted: dict[int, set[int]] = {deadline: set() for deadline in indicators}
    for file_id, deadline_id, indicator_id in files:
        for deadline, linked in indicators.items():
            if deadline_id == deadline or (indicator_id is not None and indicator_id in linked):
                counted[deadline].add(file_id)
    return {deadline: len(ids) for deadline, ids in counted.items() if ids}


MAX_CAPTION = 200


def clean_caption(text: str | None) -> str:
    """A caption as stored: one line, control characters dropped, at most MAX_CAPTION long."""
    if not text:
        return ""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(printable.split())[:MAX_CAPTION]
