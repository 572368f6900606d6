"""Registration end to end: the real Application, the fake Bot API, button presses and typing."""

from __future__ import annotations

from typing import Any

from bot.handlers import callback_data as cd
from tests.e2e.harness import Harness

USER = 7001


async def test_start_shows_units_and_registration_completes(
    harness: Harness, services: Any
) -> None:
    await harness.send(USER, "/start")
    texts = harness.texts(USER)
    assert "Halo, <b>Budi</b>" in texts[0]
    labels = [label for label, _ in harness.buttons(USER)]
    assert labels[0] == "Bagian Organisasi Setda" and "Berikutnya ›" in labels

    await harness.press_label(USER, "Dinas Kesehatan")
    assert "Anda memilih <b>Dinas Kesehatan</b>" in harness.last_text(USER)
    await harness.press_label(USER, "Ya, benar")
    assert "Anda terdaftar di <b>Dinas Kesehatan</b>" in harness.last_text(USER)
    assert len(harness.answers()) == 2  # every press answered

    member = (
        await services.members.arrive(
            update_id=None, telegram_id=USER, chat_id=USER, display_name="Budi", language_code="id"
        )
    ).member
    unit = await services.units.get(member.unit_id)
    assert unit.code == "dinkes"
    assert await services.flows.get(member.user_id) is None


async def test_set_my_commands_in_indonesian_and_english(harness: Harness) -> None:
    calls = harness.api.calls_to("setMyCommands")
    by_language = {c.params.get("language_code"): c.params["commands"] for c in calls}
    assert {"command": "start", "description": "Daftar atau ganti unit"} in by_language[None]
    assert {"command": "start", "description": "Register or change your unit"} in by_language["en"]


async def test_typing_searches_units_and_paging_works(harness: Harness) -> None:
    await harness.send(USER, "/start")
    await harness.press_label(USER, "Berikutnya")
    assert "Halaman 2 dari 2" in harness.last_text(USER)
    await harness.send(USER, "puskesmas bontang utara")
    assert "2 unit cocok dengan <b>puskesmas bontang utara</b>" in harness.last_text(USER)
    labels = [label for label, _ in harness.buttons(USER)]
    assert labels == ["UPT Puskesmas Bontang Utara I", "UPT Puskesmas Bontang Utara II"]
    await harness.send(USER, "<b>xyz</b> 🙂")
    assert (
        "Tidak ada unit yang cocok dengan <b>&lt;b&gt;xyz&lt;/b&gt; 🙂</b>"
        in harness.last_text(USER)
    )


async def test_change_unit_from_start(harness: Harness, services: Any) -> None:
    await harness.send(USER, "/start")
    await harness.press_label(USER, "Dinas Sosial")
    await harness.press_label(USER, "Ya, benar")
    await harness.send(USER, "/start")
    assert "Anda terdaftar di <b>Dinas Sosial" in harness.last_text(USER)
    await harness.press_label(USER, "Ganti unit")
    await harness.send(USER, "capil")
    await harness.press_label(USER, "Kependudukan")
    await harness.press_label(USER, "Ya, benar")
    assert "Anda terdaftar di <b>Dinas Kependudukan dan Pencatatan Sipil</b>" in harness.last_text(
        USER
    )


async def test_cancel_mid_flow_then_text_is_not_a_search(harness: Harness) -> None:
    await harness.send(USER, "/start")
    await harness.send(USER, "/batal")
    assert harness.last_text(USER).startswith("Dibatalkan.")
    await harness.send(USER, "/batal")
    assert harness.last_text(USER) == "Tidak ada proses yang perlu dibatalkan."
    await harness.send(USER, "dinas")
    assert "belum terdaftar" in harness.last_text(USER)


async def test_stale_confirm_button_is_answered_and_changes_nothing(
    harness: Harness, services: Any
) -> None:
    await harness.send(USER, "/start")
    await harness.press_label(USER, "Dinas Kesehatan")
    _, old_confirm = harness.find_button(USER, "Ya, benar")
    await harness.press_label(USER, "Pilih lagi")  # the flow moves on
    await harness.press(USER, old_confirm)  # the old "yes" is now stale
    answer = harness.answers()[-1]
    assert "sudah tidak berlaku" in answer.params["text"]
    member = (
        await services.members.arrive(
            update_id=None, telegram_id=USER, chat_id=USER, display_name="Budi", language_code="id"
        )
    ).member
    assert member.unit_id is None


async def test_forged_and_unknown_buttons_get_an_answer(harness: Harness) -> None:
    await harness.send(USER, "/start")
    for data in ["rg1.y:1:999", "rg1.u:99999", "garbage", cd.encode(cd.RegisterBack(42))]:
        await harness.press(USER, data)
    answers = harness.answers()
    assert len(answers) == 4
    assert all("sudah tidak berlaku" in a.params["text"] for a in answers)


async def test_unknown_command_and_long_emoji_text(harness: Harness) -> None:
    await harness.send(USER, "/tidakada")
    assert "tidak mengenal perintah" in harness.last_text(USER)
    await harness.send(USER, "/start")
    await harness.send(USER, "🙂" * 5000)
    assert "Tidak ada unit yang cocok" in harness.last_text(USER)


async def test_settings_change_language_and_zone(harness: Harness) -> None:
    await harness.send(USER, "/pengaturan")
    assert "Zona waktu: WIB (Asia/Jakarta)" in harness.last_text(USER)
    await harness.press_label(USER, "WITA")
    assert "Zona waktu: WITA (Asia/Makassar)" in harness.last_text(USER)
    await harness.press_label(USER, "English")
    assert "Time zone: WITA (Asia/Makassar)" in harness.last_text(USER)
    await harness.send(USER, "/bantuan")
    assert "helps your unit prepare" in harness.last_text(USER)


async def test_repeated_update_is_processed_once(harness: Harness) -> None:
    from tests.factories import as_update, message_update

    payload = message_update(USER, "/bantuan", update_id=555_000)
    await harness.app.process_update(as_update(payload, harness.app.bot))
    await harness.app.process_update(as_update(payload, harness.app.bot))
    assert len(harness.api.calls_to("sendMessage")) == 1


async def test_handler_crash_gets_a_polite_answer(harness: Harness, monkeypatch: Any) -> None:
    async def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database exploded: secret internals")

    monkeypatch.setattr(harness.app.bot_data["services"].units, "list_units", boom)
    await harness.send(USER, "/start")
    text = harness.last_text(USER)
    assert text.startswith("Maaf, terjadi gangguan")
    assert "exploded" not in " ".join(harness.texts(USER))
