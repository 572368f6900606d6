"""A member's zone follows the unit they join unless they chose one themselves."""

from bot.domain.units import zone_on_joining


def test_a_new_member_takes_the_unit_zone() -> None:
    assert zone_on_joining(None, None, "Asia/Makassar") == "Asia/Makassar"


def test_a_zone_taken_from_the_old_unit_follows_the_move() -> None:
    assert zone_on_joining("Asia/Makassar", "Asia/Makassar", "Asia/Jakarta") == "Asia/Jakarta"


def test_a_chosen_zone_stays() -> None:
    assert zone_on_joining("Asia/Jayapura", "Asia/Makassar", "Asia/Jakarta") == "Asia/Jayapura"


def test_a_unit_without_a_zone_changes_nothing() -> None:
    assert zone_on_joining("Asia/Jayapura", None, None) == "Asia/Jayapura"
