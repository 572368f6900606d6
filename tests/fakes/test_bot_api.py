"""Tests of the fake Bot API, driven by the real python-telegram-bot client over 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime as dtm
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.factories import (
    as_update,
    callback_update,
    document_update,
    message_update,
    photo_update,
)
from tests.fakes.bot_api import FakeBotAPI

TOKEN = "123:TEST"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours proxy variables; traffic must go straight to 127.0.0.1.
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    # Opt in to PTB 23 behaviour: RetryAfter.retry_after is a timedelta, without a warning.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(token=TOKEN) as fake:
        yield fake
    assert not fake.unknown_calls, f"bot called unknown methods: {fake.unknown_calls}"


def make_bot(api: FakeBotAPI, token: str = TOKEN, read_timeout: float | None = None) -> Bot:
    return Bot(
        token,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        request=HTTPXRequest(read_timeout=read_timeout) if read_timeout else None,
    )


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with make_bot(api) as client:
        yield client


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_server_listens_on_loopback_only(api: FakeBotAPI) -> None:
    assert api.port > 0
    assert api.base_url == f"http://127.0.0.1:{api.port}/bot"
    assert api.base_file_url == f"http://127.0.0.1:{api.port}/file/bot"


async def test_get_me_returns_the_bot_user(api: FakeBotAPI, bot: Bot) -> None:
    me = await bot.get_me()

    assert (me.id, me.username, me.is_bot) == (123, "fake_bot", True)
    assert api.last("getMe").params == {}


async def test_send_message_records_decoded_params_and_echoes_keyboard(
    api: FakeBotAPI, bot: Bot
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Mulai kuis", callback_data="qz1:1")]])

    first = await bot.send_message(
        42, "Halo, <b>Budi</b>", parse_mode="HTML", reply_markup=keyboard
    )
    second = await bot.send_message(42, "123")
    other_chat = await bot.send_message(77, "lain")

    call = api.calls_to("sendMessage")[0]
    assert call["chat_id"] == 42
    assert call["text"] == "Halo, <b>Budi</b>"
    assert call["parse_mode"] == "HTML"
    assert call["reply_markup"] == {
        "inline_keyboard": [[{"text": "Mulai kuis", "callback_data": "qz1:1"}]]
    }
    assert api.last("sendMessage")["text"] == "lain"
    assert api.calls_to("sendMessage")[1]["text"] == "123"  # a numeric text stays a string
    assert first.reply_markup == keyboard
    assert (first.message_id, second.message_id, other_chat.message_id) == (1, 2, 1)
    assert first.chat.id == 42 and first.from_user is not None and first.from_user.is_bot
    assert [c["text"] for c in api.messages_to(42)] == ["Halo, <b>Budi</b>", "123"]


async def test_edit_message_text_returns_edited_message_and_rejects_no_change(
    api: FakeBotAPI, bot: Bot
) -> None:
    sent = await bot.send_message(42, "Pertanyaan 1")

    edited = await bot.edit_message_text("Jawaban benar", chat_id=42, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Jawaban benar", chat_id=42, message_id=sent.message_id)

    assert isinstance(edited, type(sent))
    assert edited.text == "Jawaban benar" and edited.edit_date is not None
    assert api.last("editMessageText").error_code == 400
    assert api.calls_to("editMessageText")[0]["message_id"] == sent.message_id


async def test_edit_reply_markup_and_delete_message(api: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(42, "Pilih")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])

    edited = await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=markup)
    deleted = await bot.delete_message(42, sent.message_id)

    assert not isinstance(edited, bool) and edited.reply_markup == markup
    assert deleted is True
    assert api.last("deleteMessage")["message_id"] == sent.message_id


async def test_answer_callback_query_from_a_built_update(api: FakeBotAPI, bot: Bot) -> None:
    update = as_update(callback_update(42, "qz1:7:q3:b", message_id=5, text="Soal 3"), bot)
    assert update.callback_query is not None
    assert update.callback_query.data == "qz1:7:q3:b"

    answered = await update.callback_query.answer("Tersimpan")

    assert answered is True
    call = api.last("answerCallbackQuery")
    assert call["callback_query_id"] == update.callback_query.id
    assert call["text"] == "Tersimpan"


async def test_send_document_records_uploaded_bytes(api: FakeBotAPI, bot: Bot) -> None:
    content = b"%PDF-1.4 bukti dukung\n" * 50

    message = await bot.send_document(42, content, filename="laporan.pdf", caption="Laporan")

    upload = api.last("sendDocument").files["document"]
    assert upload.data == content
    assert upload.size == len(content)
    assert upload.filename == "laporan.pdf"
    assert upload.mime_type == "application/pdf"
    assert api.last("sendDocument")["caption"] == "Laporan"
    assert message.document is not None
    assert message.document.file_size == len(content)
    assert message.document.file_name == "laporan.pdf"
    # The uploaded document can be fetched back like a real one.
    downloaded = await (await bot.get_file(message.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == content


async def test_send_photo_with_bytes(api: FakeBotAPI, bot: Bot) -> None:
    message = await bot.send_photo(42, b"\x89PNG fake", filename="foto.png")

    assert api.last("sendPhoto").files["photo"].data == b"\x89PNG fake"
    assert message.photo and message.photo[-1].file_size == len(b"\x89PNG fake")


async def test_get_file_and_download_to_memory(api: FakeBotAPI, bot: Bot) -> None:
    import io

    api.add_file("doc-in-1", b"isi berkas", file_path="documents/bukti.pdf")

    file = await bot.get_file("doc-in-1")
    buffer = io.BytesIO()
    await file.download_to_memory(buffer)

    assert file.file_path == f"{api.base_file_url}{TOKEN}/documents/bukti.pdf"
    assert buffer.getvalue() == b"isi berkas"
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("tidak-ada")


async def test_get_updates_returns_updates_until_confirmed_by_offset(
    api: FakeBotAPI, bot: Bot
) -> None:
    first = api.push_update(message_update(42, "halo"))
    second = api.push_update(message_update(43, "/start"))

    unconfirmed = await bot.get_updates(timeout=0)
    again = await bot.get_updates(timeout=0)
    confirmed = await bot.get_updates(offset=second["update_id"] + 1, timeout=0)
    third = api.push_update(message_update(44, "lagi"))
    after = await bot.get_updates(offset=second["update_id"] + 1, timeout=0)

    assert (first["update_id"], second["update_id"], third["update_id"]) == (1, 2, 3)
    assert [u.update_id for u in unconfirmed] == [1, 2]
    assert [u.update_id for u in again] == [1, 2]
    assert confirmed == ()
    assert [u.update_id for u in after] == [3]
    assert after[0].message is not None and after[0].message.text == "lagi"


async def test_get_updates_limit_and_offset_within_queue(api: FakeBotAPI, bot: Bot) -> None:
    for n in range(5):
        api.push_update(message_update(42, f"pesan {n}"))

    limited = await bot.get_updates(limit=2, timeout=0)
    from_third = await bot.get_updates(offset=3, limit=10, timeout=0)

    assert [u.update_id for u in limited] == [1, 2]
    assert [u.update_id for u in from_third] == [3, 4, 5]
    assert [u["update_id"] for u in api.pending_updates] == [3, 4, 5]


async def test_long_poll_waits_for_a_pushed_update(api: FakeBotAPI, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    assert await api.wait_until(lambda: api.polls_waiting == 1)
    assert not poll.done()

    api.push_update(message_update(42, "akhirnya"))
    updates = await asyncio.wait_for(poll, timeout=5)

    assert [u.update_id for u in updates] == [1]
    assert api.last("getUpdates")["timeout"] == 30


async def test_unknown_method_is_answered_404_and_recorded(api: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendHologram", api_kwargs={"chat_id": 42})

    assert [call.method for call in api.unknown_calls] == ["sendHologram"]
    assert api.unknown_calls[0]["chat_id"] == 42
    assert api.last("sendHologram").error_code == 404
    api.unknown_calls.clear()  # expected here; the fixture fails on any other


async def test_wrong_token_is_unauthorized(api: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken):
        async with make_bot(api, token="999:WRONG"):  # initialize() calls getMe
            pass

    assert api.unauthorized_requests == 1
    assert api.calls == []


async def test_raw_http_errors_have_telegram_shape(api: FakeBotAPI) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{api.base_url}{TOKEN}/noSuchMethod", data={"a": "1"})

    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method noSuchMethod",
    }
    api.unknown_calls.clear()


async def test_rate_limit_per_chat_raises_retry_after() -> None:
    clock = FrozenClock()
    async with FakeBotAPI(token=TOKEN, rate_limit=True, clock=clock) as api:
        async with make_bot(api) as bot:
            await bot.send_message(42, "satu")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(42, "dua")
            await bot.send_message(43, "chat lain")
            clock.now += 1.0
            await bot.send_message(42, "dua lagi")

    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert api.last("getMe").error_code is None  # only sends are limited
    assert api.rate_limit_violations == 1
    assert api.delivered_per_chat == {42: 2, 43: 1}
    assert [c["text"] for c in api.messages_to(42)] == ["satu", "dua lagi"]


async def test_rate_limit_overall_sliding_window() -> None:
    clock = FrozenClock()
    async with FakeBotAPI(
        token=TOKEN, rate_limit=True, overall_per_second=3, per_chat_per_second=5, clock=clock
    ) as api:
        async with make_bot(api) as bot:
            for chat_id in (1, 2, 3):
                await bot.send_message(chat_id, "x")
                clock.now += 0.3
            with pytest.raises(RetryAfter):
                await bot.send_message(4, "x")  # 4th send within 0.9 s
            clock.now += 0.15  # the first send left the window
            await bot.send_message(4, "x")
            with pytest.raises(RetryAfter):
                await bot.send_message(5, "x")

    assert api.rate_limit_violations == 2
    assert sum(api.delivered_per_chat.values()) == 4
    assert api.calls_to("sendMessage")[3].error_code == 429


async def test_fail_next_injects_errors_then_recovers(api: FakeBotAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", times=2)
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)

    for _ in range(2):
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(42, "x")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(42, "x")
    message = await bot.send_message(42, "akhirnya")

    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    assert message.text == "akhirnya"
    assert [c.error_code for c in api.calls_to("sendMessage")] == [403, 403, 429, None]


async def test_delay_makes_the_client_time_out(api: FakeBotAPI) -> None:
    api.delay("sendMessage", 30)
    async with make_bot(api, read_timeout=0.2) as slow_bot:
        with pytest.raises(TimedOut):
            await slow_bot.send_message(42, "lambat")
    assert api.last("sendMessage")["text"] == "lambat"


async def test_commands_and_webhook_round_trip(api: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Mulai"), ("kuis", "Kuis kepatuhan")])
    commands = await bot.get_my_commands()
    await bot.set_webhook("https://example.invalid/hook", secret_token="rahasia")
    info = await bot.get_webhook_info()
    with pytest.raises(Exception, match="Conflict"):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()
    await bot.send_chat_action(42, "typing")

    assert [(c.command, c.description) for c in commands] == [
        ("start", "Mulai"),
        ("kuis", "Kuis kepatuhan"),
    ]
    assert info.url == "https://example.invalid/hook"
    assert api.last("setWebhook")["secret_token"] == "rahasia"
    assert (await bot.get_webhook_info()).url == ""
    assert api.last("sendChatAction")["action"] == "typing"


async def test_wait_for_times_out_with_the_transcript(api: FakeBotAPI, bot: Bot) -> None:
    await bot.get_me()
    with pytest.raises(TimeoutError, match=r"sendMessage called 0/1 times; calls: \['getMe'"):
        await api.wait_for("sendMessage", timeout=0.05)


def test_message_update_marks_the_command_entity() -> None:
    update = message_update(42, "/start@fake_bot unit-7", update_id=9, username="budi_asn")

    message = update["message"]
    assert update["update_id"] == 9
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 15}]
    assert message["chat"] == {
        "id": 42,
        "type": "private",
        "first_name": "Budi",
        "username": "budi_asn",
    }
    assert message["from"]["language_code"] == "id"
    assert "entities" not in message_update(42, "apa itu zona hijau?")["message"]


async def test_built_updates_parse_in_ptb(bot: Bot) -> None:
    group = as_update(message_update(42, "/kuis", chat_id=-100123), bot)
    photo = as_update(photo_update(42, file_id="foto-1", caption="Papan informasi"), bot)
    document = as_update(document_update(42, file_id="doc-9", file_size=99), bot)

    assert group.effective_chat is not None and group.effective_chat.type == "supergroup"
    assert group.message is not None and group.message.text == "/kuis"
    assert photo.message is not None and photo.message.photo[-1].file_id == "foto-1"
    assert photo.message.caption == "Papan informasi"
    assert document.message is not None and document.message.document is not None
    assert (document.message.document.file_name, document.message.document.file_size) == (
        "bukti.pdf",
        99,
    )


async def test_application_polling_answers_start(api: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_user is not None
        await update.effective_message.reply_text(f"Halo, {update.effective_user.first_name}!")

    app: Application = (  # type: ignore[type-arg]
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))

    async with app:
        await app.updater.start_polling(timeout=dtm.timedelta(seconds=10))  # type: ignore[union-attr]
        await app.start()
        api.push_update(message_update(42, "/start"))
        await api.wait_for("sendMessage")
        await app.updater.stop()  # type: ignore[union-attr]
        await app.stop()

    reply = api.last("sendMessage")
    assert (reply["chat_id"], reply["text"]) == (42, "Halo, Budi!")
    assert api.pending_updates == []  # PTB confirmed the update on shutdown
    assert api.calls_to("deleteWebhook")


async def test_separate_process_serves_and_reports_stats() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.bot_api",
        "--rate-limit",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        port = int(await asyncio.wait_for(process.stdout.readline(), timeout=20))
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient() as client:
            pushed = await client.post(f"{base}/_fake/updates", json=message_update(42, "halo"))
            async with Bot(TOKEN, base_url=f"{base}/bot") as bot:
                updates = await bot.get_updates(timeout=0)
                await bot.send_message(42, "satu")
                await bot.send_message(43, "dua")
            stats = (await client.get(f"{base}/_fake/stats")).json()
    finally:
        process.terminate()
        await process.wait()

    assert pushed.json() == {"ok": True, "result": [1]}
    assert [u.update_id for u in updates] == [1]
    assert stats["rate_limit_violations"] == 0
    assert stats["delivered_per_chat"] == {"42": 1, "43": 1}
    assert stats["calls"] == {"getMe": 1, "getUpdates": 1, "sendMessage": 2}
