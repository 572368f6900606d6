"""Evidence rules: allowed types and sizes, display names, storage keys that cannot escape."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.evidence import (
    MAX_BYTES,
    IncomingFile,
    accept_file,
    is_safe_key,
    sanitise_name,
    storage_key,
)
from bot.domain.units import Role
from bot.domain.users import UserSummary, can_change_role

TOKEN = "0123456789abcdef0123456789abcdef"


def _doc(mime: str | None, name: str | None = "x", size: int | None = 10) -> IncomingFile:
    return IncomingFile("document", "f", "u", mime, size, name)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\x.pdf", "x.pdf"),
        ("/etc/shadow", "shadow"),
        ("C:\\Windows\\system.ini", "system.ini"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("..", ""),
        (".hidden.pdf", "hidden.pdf"),
        ("Laporan SKM 2025.xlsx", "Laporan SKM 2025.xlsx"),
        (None, ""),
    ],
)
def test_sanitise_name_keeps_only_a_harmless_last_part(raw: str | None, shown: str) -> None:
    assert sanitise_name(raw) == shown


@pytest.mark.parametrize(
    ("mime", "name", "extension"),
    [
        ("application/pdf", "a.pdf", "pdf"),
        ("image/png", "a.png", "png"),
        ("image/webp", "a.webp", "webp"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a", "docx"),
        ("application/vnd.oasis.opendocument.spreadsheet", "a", "ods"),
        (None, "tabel.XLSX", "xlsx"),  # no MIME type: guessed from the extension
        ("application/octet-stream", "scan.jpeg", "jpg"),
        ("APPLICATION/PDF", "a.pdf", "pdf"),
    ],
)
def test_allowed_types_map_to_our_extension(mime: str | None, name: str, extension: str) -> None:
    assert accept_file(_doc(mime, name)).extension == extension


@pytest.mark.parametrize(
    ("mime", "name"),
    [
        ("application/x-msdownload", "setup.exe"),
        ("text/html", "a.pdf"),  # the declared type decides, not the name
        ("application/zip", "bukti.zip"),
        (None, "noextension"),
        ("image/svg+xml", "logo.svg"),
    ],
)
def test_other_types_are_refused(mime: str | None, name: str) -> None:
    with pytest.raises(InvalidInput) as error:
        accept_file(_doc(mime, name))
    assert error.value.reason == "type"


def test_size_limit_is_the_bot_api_download_limit() -> None:
    assert accept_file(_doc("application/pdf", size=MAX_BYTES)).extension == "pdf"
    with pytest.raises(InvalidInput) as error:
        accept_file(_doc("application/pdf", size=MAX_BYTES + 1))
    assert error.value.reason == "too_large"


def test_photos_are_jpeg_whatever_was_declared() -> None:
    photo = IncomingFile("photo", "p", "u", "text/html", 10, "../x.exe")
    assert accept_file(photo).mime_type == "image/jpeg"


@pytest.mark.parametrize(
    ("unit", "token", "extension"),
    [
        ("../etc", TOKEN, "pdf"),
        ("dinkes/..", TOKEN, "pdf"),
        ("", TOKEN, "pdf"),
        ("dinkes", "../../passwd", "pdf"),
        ("dinkes", TOKEN, "sh"),
        ("dinkes", TOKEN, "pdf/../x"),
    ],
)
def test_storage_key_refuses_unsafe_parts(unit: str, token: str, extension: str) -> None:
    with pytest.raises(ValueError, match="unsafe|not allowed"):
        storage_key(unit, token, extension)


@given(st.text())
def test_only_generated_keys_are_safe(text: str) -> None:
    if is_safe_key(text):
        unit, rest = text.split("/")
        assert ".." not in text and "\\" not in text and "\x00" not in text
        assert storage_key(unit, rest[:32], rest[33:]) == text


def test_settings_admins_cannot_lose_the_admin_role() -> None:
    admin = UserSummary(1, 900, "A", Role.ADMIN, None, None, True, None, settings_admin=True)
    assert can_change_role(admin, Role.ADMIN)
    assert not can_change_role(admin, Role.MEMBER)
    assert not can_change_role(admin, Role.COORDINATOR)
    promoted = UserSummary(2, 901, "B", Role.ADMIN, None, None, True, None, settings_admin=False)
    assert can_change_role(promoted, Role.MEMBER)
