"""Button payloads of reminders (rm1.*) and of /tenggat_baru (tg1.*)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.handlers.callback_data import callback


@callback("rm1.d")
@dataclass(frozen=True, slots=True)
class ReminderDone:
    """ "Sudah siap": the member's unit has the evidence for this deadline."""

    deadline_id: int


@callback("rm1.z")
@dataclass(frozen=True, slots=True)
class ReminderSnooze:
    """ "Ingatkan besok" for the deadlines of one reminder message (outbox row)."""

    outbox_id: int


@callback("rm1.g")
@dataclass(frozen=True, slots=True)
class ReminderGuide:
    """ "Panduan": the Q&A topic linked to the deadline."""

    deadline_id: int


@callback("rm1.e")
@dataclass(frozen=True, slots=True)
class DeadlineEdit:
    """Staff: change the due date (typed next)."""

    deadline_id: int


@callback("rm1.a")
@dataclass(frozen=True, slots=True)
class DeadlineArchive:
    """Staff: ask to archive."""

    deadline_id: int


@callback("rm1.ay")
@dataclass(frozen=True, slots=True)
class DeadlineArchiveConfirm:
    """Staff: archive for real."""

    deadline_id: int


@callback("rm1.h")
@dataclass(frozen=True, slots=True)
class ReminderHour:
    """/pengaturan: local hour reminders arrive at."""

    hour: int


@callback("rm1.w")
@dataclass(frozen=True, slots=True)
class ReminderWeekends:
    """/pengaturan: quiet weekends on or off (the target value, so a double press is harmless)."""

    on: bool


@callback("rm1.m")
@dataclass(frozen=True, slots=True)
class ReminderMute:
    """/pengaturan: mute reminders on or off."""

    on: bool


@callback("tg1.t")
@dataclass(frozen=True, slots=True)
class NewTopic:
    """/tenggat_baru: the related topic by index in the offered list (-1 = skip)."""

    revision: int
    index: int


@callback("tg1.s")
@dataclass(frozen=True, slots=True)
class NewScope:
    """/tenggat_baru: "all", "pick" or "t-<unit type>"."""

    revision: int
    kind: str


@callback("tg1.u")
@dataclass(frozen=True, slots=True)
class NewUnit:
    """/tenggat_baru: toggle one unit."""

    revision: int
    unit_id: int


@callback("tg1.n")
@dataclass(frozen=True, slots=True)
class NewUnitsDone:
    """/tenggat_baru: done choosing units."""

    revision: int


@callback("tg1.y")
@dataclass(frozen=True, slots=True)
class NewConfirm:
    """/tenggat_baru: save."""

    revision: int


@callback("tg1.x")
@dataclass(frozen=True, slots=True)
class NewCancel:
    """/tenggat_baru: stop."""

    revision: int


@callback("rm1.o")
@dataclass(frozen=True, slots=True)
class DeadlineOffsets:
    """Staff: open the reminder schedule (offsets) of a deadline."""

    deadline_id: int


@callback("tg1.o")
@dataclass(frozen=True, slots=True)
class NewOffsets:
    """/tenggat_baru: change the reminder schedule before saving."""

    revision: int


@callback("rm1.ot")
@dataclass(frozen=True, slots=True)
class OffsetToggle:
    """Reminder schedule (editing or /tenggat_baru): add or remove one day."""

    revision: int
    days: int


@callback("rm1.os")
@dataclass(frozen=True, slots=True)
class OffsetSave:
    """Reminder schedule: save the chosen days."""

    revision: int


@callback("rm1.oc")
@dataclass(frozen=True, slots=True)
class OffsetCancel:
    """Reminder schedule: leave it unchanged."""

    revision: int


@callback("rm1.ds")
@dataclass(frozen=True, slots=True)
class DueSave:
    """Staff: save the due date typed in the edit flow at `revision`."""

    revision: int


@callback("rm1.dx")
@dataclass(frozen=True, slots=True)
class DueCancel:
    """Staff: keep the old due date."""

    revision: int
