"""Role matrix: every admin/coordinator command and button, tried by each kind of person.

The target is always unit "dinkes". People: a plain member of dinkes and of dinsos, the
coordinator of dinkes and of dinsos, and the settings admin. Each gets exactly the data or a
polite refusal, and every refusal is in the audit log with the actor, the action and the unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AuditRow
from bot.domain.evidence import IncomingFile
from bot.domain.units import Member, Role
from bot.handlers import admin_render as view
from bot.handlers import callback_data as cd
from bot.handlers.membership_render import JoinDecide
from bot.handlers.reminder_evidence_data import ReminderEvidence
from bot.handlers.reminders_data import DeadlineOffsets
from bot.services.reminders import DeadlineDraft
from tests.builders import ADMIN, DUE, person, unit_id
from tests.e2e.harness import Harness

REFUSAL = "Maaf, fitur ini hanya untuk koordinator atau admin"
ADMIN_ONLY = "Maaf, fitur ini khusus admin"  # a refusal names the role that is needed
# Evidence for a deadline is refused for what is wrong, not for a role.
REFUSALS = (
    REFUSAL,
    ADMIN_ONLY,
    "tenggat ini bukan untuk unit Anda",
    "daftarkan diri ke unit Anda dulu",
)
ACTORS = ("member_same", "member_other", "coord_same", "coord_other", "admin")


@dataclass
class World:
    people: dict[str, Member]
    target: Member  # a plain member of dinkes whose role and status admins may change
    dinkes: int
    evidence_id: int
    deadline_id: int  # made by the dinkes coordinator for dinkes only


async def _world(services: Any) -> World:
    people = {
        "member_same": await person(services, 7201, "dinkes", name="Ani"),
        "member_other": await person(services, 7202, "dinsos", name="Beni"),
        "coord_same": await person(services, 7203, "dinkes", Role.COORDINATOR, name="Cici"),
        "coord_other": await person(services, 7204, "dinsos", Role.COORDINATOR, name="Dodi"),
        "admin": await person(services, ADMIN, None, name="Admin"),
    }
    target = await person(services, 7205, "dinkes", name="Rahasia Target")

    async def download() -> bytes:
        return b"%PDF-1.4 rahasia"

    item = await services.evidence.attach(
        people["member_same"],
        indicator_id="pr-maklumat",
        incoming=IncomingFile("document", "f-1", "u-f-1", "application/pdf", 16, "rahasia.pdf"),
        download=download,
    )
    dinkes = await unit_id(services, "dinkes")
    deadline = await services.reminders.create_deadline(
        people["coord_same"],
        DeadlineDraft(title="Maklumat dipajang", due_at=DUE, scope={"unit_ids": [dinkes]}),
    )
    return World(people, target, dinkes, item.id, deadline.id)


async def _refusals(services: Any) -> list[AuditRow]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(AuditRow).where(AuditRow.outcome == "refused").order_by(AuditRow.id)
        )
        return list(rows.all())


def _outcome(harness: Harness, user: int, calls_before: int) -> str:
    """What the user got from their last action: the refusal, or the text of the data."""
    new = harness.api.calls[calls_before:]
    for call in new:
        text = str(call.get("text", ""))
        if call.method in {"answerCallbackQuery", "sendMessage"} and any(
            refusal in text for refusal in REFUSALS
        ):
            return "refused"
    texts = [
        str(c.get("text") or c.get("caption") or "")
        for c in new
        if c.method in {"sendMessage", "editMessageText", "sendDocument", "sendPhoto"}
    ]
    methods = [c.method for c in new]
    return "data:" + " | ".join(texts) + " " + ",".join(methods)


# action name -> (how to trigger it, the action audited, who may, what the data looks like)
CASES: dict[str, tuple[str, str, set[str], str]] = {
    "/pengguna": ("command", "users.list", {"admin"}, "<b>Pengguna</b>:"),
    # A coordinator of another unit gets the recap of *their* unit (checked below).
    "/rekap": (
        "command",
        "recap.view",
        {"coord_same", "coord_other", "admin"},
        "<b>Rekap kesiapan</b>",
    ),
    "/siaran": ("command", "broadcast.send", {"admin"}, "Ketik pesan yang akan dikirim"),
    "users page": ("pg1.p", "users.list", {"admin"}, "<b>Pengguna</b>:"),
    "user detail": ("pg1.u", "users.list", {"admin"}, "ID Telegram: 7205"),
    "promote": ("pg1.r", "users.promote", {"admin"}, "sekarang menjadi koordinator"),
    "deactivate": ("pg1.a", "users.deactivate", {"admin"}, "dinonaktifkan"),
    "evidence of dinkes": (
        "bk1.l",
        "evidence.fetch",
        {"member_same", "coord_same", "admin"},
        "rahasia.pdf",
    ),
    "fetch file": ("bk1.f", "evidence.fetch", {"coord_same", "admin"}, "sendDocument"),
    "reminder schedule": (
        "rm1.o",
        "deadline.edit",
        {"coord_same", "admin"},
        "<b>Jadwal pengingat:</b> Maklumat dipajang",
    ),
    # Evidence for a deadline always belongs to the sender's own unit: an admin without a unit
    # and anyone of another unit is refused (audited against the deadline's unit).
    "send evidence for a dinkes deadline": (
        "rb1.s",
        "evidence.upload",
        {"member_same", "coord_same"},
        "Kirim bukti untuk tenggat <b>Maklumat dipajang</b>",
    ),
}


def _payload(kind: str, world: World) -> str:
    target = world.target.user_id
    payloads = {
        "pg1.p": view.UsersPage(0),
        "pg1.u": view.UserShow(target, 0),
        "pg1.r": view.UserRole(target, "c", 0),
        "pg1.a": view.UserActive(target, False, 0),
        "bk1.l": view.EvidenceList(world.dinkes, 0),
        "bk1.f": view.EvidenceFetch(world.evidence_id),
        "rm1.o": DeadlineOffsets(world.deadline_id),
        "rb1.s": ReminderEvidence(world.deadline_id),
    }
    return cd.encode(payloads[kind])


@pytest.mark.parametrize("case", sorted(CASES))
async def test_role_matrix(case: str, harness: Harness, services: Any) -> None:
    kind, action, allowed, shows = CASES[case]
    world = await _world(services)
    # Admin last: its successful change must not alter what the others were tried against.
    for actor in ACTORS:
        member = world.people[actor]
        before = len(harness.api.calls)
        refusals_before = len(await _refusals(services))
        if kind == "command":
            await harness.send(member.telegram_id, case)
        else:
            await harness.press(member.telegram_id, _payload(kind, world), message_id=1)
        outcome = _outcome(harness, member.telegram_id, before)
        refusals = (await _refusals(services))[refusals_before:]
        if actor in allowed:
            assert outcome.startswith("data:") and shows in outcome, (actor, outcome)
            assert "Rahasia" not in outcome or kind in {
                "pg1.u",
                "pg1.r",
                "pg1.a",
                "command",
                "pg1.p",
            }
            assert refusals == [], actor
            if case == "/rekap" and actor == "coord_other":
                assert "Dinas Sosial" in outcome and "Dinas Kesehatan" not in outcome
            if case == "/rekap":
                assert "sendPhoto" in outcome and "sendDocument" in outcome
        else:
            assert outcome == "refused", (actor, outcome)
            said = " ".join(str(c.get("text", "")) for c in harness.api.calls[before:])
            assert (ADMIN_ONLY in said) == (allowed == {"admin"}), (actor, said)
            assert "Rahasia" not in outcome and "rahasia" not in outcome
            assert [(r.actor_user_id, r.action) for r in refusals] == [(member.user_id, action)]
            expected_unit = (
                world.dinkes
                if kind in {"bk1.l", "bk1.f", "pg1.r", "pg1.a", "rm1.o", "rb1.s"}
                else None
            )
            if case == "/rekap":  # a refused recap names the asker's own unit
                expected_unit = member.unit_id
            assert refusals[0].unit_id == expected_unit, (actor, refusals[0].unit_id)
        # Every button press is answered exactly once.
        if kind != "command":
            answered = [c for c in harness.api.calls[before:] if c.method == "answerCallbackQuery"]
            assert len(answered) == 1, (actor, [c.method for c in harness.api.calls[before:]])


async def test_refused_actions_change_nothing(harness: Harness, services: Any) -> None:
    world = await _world(services)
    for actor in ("member_same", "coord_same", "coord_other"):
        telegram_id = world.people[actor].telegram_id
        own_id = world.people[actor].user_id
        await harness.press(telegram_id, cd.encode(view.UserRole(own_id, "a", 0)), message_id=1)
        await harness.press(
            telegram_id, cd.encode(view.UserActive(world.target.user_id, False, 0)), message_id=1
        )
    for actor in ("member_same", "coord_same", "coord_other"):
        again = await services.members.get(world.people[actor].user_id)
        assert again.role is world.people[actor].role
    assert (await services.members.get(world.target.user_id)).active


async def test_settings_admin_cannot_be_demoted_by_anyone(harness: Harness, services: Any) -> None:
    world = await _world(services)
    admin = world.people["admin"]
    promoted = await person(services, 7300, "dinkes", Role.ADMIN, name="Admin Dua")
    assert promoted.role is Role.ADMIN
    for actor in (admin, promoted):
        for payload in (
            view.UserRole(admin.user_id, "m", 0),
            view.UserActive(admin.user_id, False, 0),
        ):
            before = len(harness.api.calls)
            await harness.press(actor.telegram_id, cd.encode(payload), message_id=1)
            answer = [c for c in harness.api.calls[before:] if c.method == "answerCallbackQuery"]
            assert "BOT_ADMIN_IDS" in answer[0]["text"] and answer[0]["show_alert"] is True
    assert (await services.members.get(admin.user_id)).role is Role.ADMIN
    refusals = [r for r in await _refusals(services) if r.detail.get("reason") == "settings_admin"]
    assert len(refusals) == 4
    # A promoted admin is an ordinary database admin: another admin may demote them.
    await harness.press(ADMIN, cd.encode(view.UserRole(promoted.user_id, "m", 0)), message_id=1)
    assert (await services.members.get(promoted.user_id)).role is Role.MEMBER
    assert "sekarang menjadi anggota" in harness.last_text(ADMIN)


async def test_admin_pages_through_users_and_deactivated_user_stays_inactive(
    harness: Harness, services: Any
) -> None:
    world = await _world(services)
    await harness.send(ADMIN, "/pengguna")
    listing = harness.last_text(ADMIN)
    assert "<b>Dinas Kesehatan</b>" in listing and "Rahasia Target — anggota" in listing
    assert "Cici — koordinator" in listing
    await harness.press_label(ADMIN, "Rahasia Target")
    await harness.press_label(ADMIN, "Nonaktifkan")
    assert "dinonaktifkan" in harness.last_text(ADMIN)
    # Writing to the bot again does not undo an admin's deactivation.
    await harness.send(world.target.telegram_id, "/bukti")
    assert not (await services.members.get(world.target.user_id)).active
    await harness.press_label(ADMIN, "Aktifkan kembali")
    assert (await services.members.get(world.target.user_id)).active


async def test_join_request_decisions_by_role(harness: Harness, services: Any) -> None:
    """Only the unit's coordinators and the admins may accept or refuse a join request."""
    world = await _world(services)
    await harness.send(7299, "/start")
    await harness.press_label(7299, "Dinas Kesehatan")
    await harness.press_label(7299, "Ya, benar")
    # The request reached the dinkes coordinator and the admin, and nobody else.
    for actor in ("coord_same", "admin"):
        assert "ingin bergabung ke <b>Dinas Kesehatan</b>" in harness.last_text(
            world.people[actor].telegram_id
        )
    for actor in ("member_same", "member_other", "coord_other"):
        assert not any(
            "ingin bergabung" in text for text in harness.texts(world.people[actor].telegram_id)
        )
    _, data = harness.find_button(world.people["coord_same"].telegram_id, "Terima")
    request_id = cd.decode(data).request_id
    for actor in ("member_same", "member_other", "coord_other"):
        member = world.people[actor]
        before = len(harness.api.calls)
        refusals_before = len(await _refusals(services))
        await harness.press(member.telegram_id, data, message_id=1)
        assert _outcome(harness, member.telegram_id, before) == "refused", actor
        refusals = (await _refusals(services))[refusals_before:]
        assert [(r.actor_user_id, r.action, r.unit_id) for r in refusals] == [
            (member.user_id, "membership.decide", world.dinkes)
        ]
    users = await services.users.list_users(world.people["admin"])
    newcomer = next(u for u in users if u.telegram_id == 7299)
    assert newcomer.unit_id is None
    await harness.press(
        world.people["coord_same"].telegram_id,
        cd.encode(JoinDecide(request_id, True)),
        message_id=harness.last_message_id(world.people["coord_same"].telegram_id),
    )
    assert (await services.members.get(newcomer.user_id)).unit_id == world.dinkes
    # The admin's buttons are stale now: answered, nothing changes.
    await harness.press(ADMIN, cd.encode(JoinDecide(request_id, False)), message_id=1)
    assert "sudah diputuskan" in harness.answers()[-1]["text"]
    assert (await services.members.get(newcomer.user_id)).unit_id == world.dinkes


MEMBER_ONLY = {"tenggat_baru", "rekap", "pengguna", "siaran"}


@pytest.mark.parametrize(
    ("actor", "expected_extra"),
    [
        ("member_same", set()),
        ("coord_same", {"tenggat_baru", "rekap"}),
        ("admin", {"tenggat_baru", "rekap", "pengguna", "siaran"}),
    ],
)
async def test_command_lists_follow_the_role(
    actor: str, expected_extra: set[str], harness: Harness, services: Any
) -> None:
    """/bantuan and the per-chat "/" menu list exactly the commands the role allows."""
    world = await _world(services)
    member = world.people[actor]
    await harness.send(member.telegram_id, "/bantuan")
    help_text = harness.last_text(member.telegram_id)
    listed = {name for name in MEMBER_ONLY if f"/{name} " in help_text}
    assert listed == expected_extra, help_text
    menus = [
        c
        for c in harness.api.calls_to("setMyCommands")
        if c.params.get("scope") == {"type": "chat", "chat_id": member.telegram_id}
    ]
    assert menus, "no per-chat menu was published"
    names = {command["command"] for command in menus[-1]["commands"]}
    assert names & MEMBER_ONLY == expected_extra
    assert {"start", "cek", "skor", "bantuan"} <= names
    # The menu for everyone (default scope) is the plain members' one.
    default = [
        c for c in harness.api.calls_to("setMyCommands") if c.params["scope"]["type"] == "default"
    ]
    assert default and not {c["command"] for c in default[0]["commands"]} & MEMBER_ONLY
