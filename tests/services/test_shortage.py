"""Where capacity is missing (`scheduler.services.advice.shortage`) on a small county whose numbers are known
(tests/shortage_data.py)."""

from __future__ import annotations

import pytest

from scheduler.contract import Plan
from scheduler.services.advice import UnplacedRow, rule_family, shortage
from tests.builders import build
from tests.shortage_data import county, group, plan


def rows(found: list[UnplacedRow]) -> dict[tuple[str | None, str | None, str | None, str], int]:
    return {(r.municipality, r.language, r.theme, r.reason): r.count for r in found}


def test_unplaced_clients_count_by_municipality_language_theme_and_reason() -> None:
    result = shortage(county(), plan())
    assert result.unplaced_total == 4
    assert rows(result.unplaced) == {
        ("Raasepori", "sv", "nature", "leaders"): 2,  # both Karjaa homes are nearest the Tammisaari hub
        ("Lohja", "fi", "nature", "capacity"): 1,  # the bilingual client: each language × each theme
        ("Lohja", "fi", "art", "capacity"): 1,
        ("Lohja", "sv", "nature", "capacity"): 1,
        ("Lohja", "sv", "art", "capacity"): 1,
        ("Lohja", "fi", "art", "remote"): 1,  # two reasons: under each, a repeated code once
        ("Lohja", "fi", "art", "travel"): 1,
    }
    assert result.unplaced[0].count == 2, "the largest row comes first"
    families = {r.reason: r.rule_family for r in result.unplaced}
    assert families == {"leaders": "leaders", "capacity": "capacity", "remote": "H7", "travel": "H7"}


@pytest.mark.parametrize(
    ("code", "family"),
    [("language", "H2"), ("accessibility", "H4"), ("interest", "H7"), ("decision", "H7"), ("closed", "H7")],
)
def test_a_reason_code_belongs_to_its_rule_family(code: str, family: str) -> None:
    assert rule_family(code) == family


def test_a_leader_leading_two_120_minute_groups_has_led_240_of_their_limit() -> None:
    leaders = {u.staff_id: u for u in shortage(county(), plan()).leaders}
    aino, mikko = leaders["aino"], leaders["mikko"]
    assert (aino.name, aino.groups, aino.led_minutes, aino.max_weekly_minutes) == ("Aino Virtanen", 2, 240, 600)
    assert aino.window_minutes == 360 and not aino.at_limit
    assert (mikko.groups, mikko.led_minutes, mikko.window_minutes) == (0, 0, 240)


def test_a_leader_at_their_limit_is_marked() -> None:
    data = county().dump()
    data["staff"][0]["max_weekly_minutes"] = 240
    aino = shortage(build(data), plan()).leaders[0]
    assert aino.staff_id == "aino" and aino.at_limit


def test_rooms_show_the_hours_groups_take_and_the_hours_their_windows_hold() -> None:
    rooms = {r.room: r for r in shortage(county(), plan()).rooms}
    lohja = rooms["lohja/room"]
    assert (lohja.groups, lohja.used_minutes, lohja.used_hours, lohja.window_hours) == (2, 240, 4.0, 6.0)
    assert (rooms["tammisaari/a"].used_hours, rooms["tammisaari/a"].window_hours) == (0.0, 12.0)
    assert rooms["tammisaari/b"].window_minutes == 180


def test_free_slots_are_grid_starts_where_a_room_is_free_for_the_shortest_session() -> None:
    result = shortage(county(), plan())
    assert (result.slot_minutes, result.session_minutes) == (30, 120)
    slots = {(s.hub, s.day): (s.open_starts, s.free_starts) for s in result.free_slots}
    # Lohja, Tuesday 09:00-15:00: starts 09:00..13:00 (9); groups 09-11 and 13-15 leave only 11:00
    assert slots[("lohja", "tue")] == (9, 1)
    # Tammisaari on Wednesday: room a opens 09:00..13:00, room b 12:00..13:00, the same starts counted once
    assert slots[("tammisaari", "wed")] == (9, 9)
    assert slots[("tammisaari", "tue")] == (9, 9)
    assert ("lohja", "wed") not in slots, "a day without an open room is left out"


def test_a_group_in_another_room_or_a_remote_one_takes_no_start() -> None:
    data = plan().model_dump(by_alias=True)
    data["groups"].append(
        group("wed-a", "09:00", "11:00", ["p0"], hub="tammisaari", room="tammisaari/a", day="wed", leaders=["mikko"])
    )
    data["groups"].append(group("online", "09:00", "11:00", ["p1"], modality="remote", hub=None, room=None, day="wed"))
    found = shortage(county(), Plan.model_validate(data))
    slots = {(s.hub, s.day): (s.open_starts, s.free_starts) for s in found.free_slots}
    # room a is taken 09:00-11:00 on Wednesday: starts 09:00..10:30 are lost, 11:00..13:00 stay (5)
    assert slots[("tammisaari", "wed")] == (9, 5)
    assert {u.staff_id: u.led_minutes for u in found.leaders} == {"aino": 360, "mikko": 120}


def test_the_tables_name_no_client() -> None:
    text = shortage(county(), plan()).model_dump_json()
    assert '"sv1"' not in text and '"bi"' not in text and '"two"' not in text
