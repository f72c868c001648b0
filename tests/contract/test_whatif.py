"""`apply_changes`: each kind of change changes what it says, leaves the original problem untouched,
and refuses an unknown id with `Invalid` naming the field; `merge_windows` joins overlapping windows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import TypeAdapter

from scheduler.contract import Problem, Window
from scheduler.contract.errors import Invalid
from scheduler.contract.whatif import (
    Change,
    ClientRemote,
    ClientTravel,
    ClosureLifted,
    NewLeader,
    NewRoom,
    RoomOpened,
    StaffAvailability,
    TemplateLanguage,
    apply_changes,
    merge_windows,
)
from tests.builders import build, client, hub, leader, problem, room, template, window

CLOSED = date(2027, 2, 16)


def base() -> Problem:
    return build(
        problem(
            hubs=[hub(rooms=[room(available=[window("tue")])])],
            staff=[leader("aino", weekly=300), leader("mikko")],
            templates=[template(languages=("fi",))],
            people=[client("c01", max_travel=30)],
            closures=[CLOSED.isoformat()],
        )
    )


def w(day: str, start: str, end: str) -> Window:
    return Window.model_validate(window(day, start, end))


def spans(windows: list[Window]) -> list[tuple[str, str, str]]:
    return sorted((x.day, x.start, x.end) for x in windows)


def changed(change: Change) -> tuple[Problem, Problem]:
    """The problem with the change made, and the original (checked untouched)."""
    original = base()
    before = original.dump()
    after = apply_changes(original, [change])
    assert original.dump() == before, "apply_changes changed the original problem"
    assert after.dump() != before, "the change changed nothing"
    return after, original


def test_staff_availability_adds_windows_and_minutes() -> None:
    after, _ = changed(StaffAvailability(staff="aino", add=[w("thu", "10:00", "14:00")], extra_minutes=120))
    aino = next(s for s in after.staff if s.id == "aino")
    assert spans(aino.available) == [("thu", "10:00", "14:00"), ("tue", "09:00", "15:00")]
    assert aino.max_weekly_minutes == 420
    assert next(s for s in after.staff if s.id == "mikko").max_weekly_minutes == 960


def test_new_leader_is_added_with_the_hubs_county() -> None:
    change = NewLeader(
        languages=["sv"], base_hub="lohja", available=[w("wed", "09:00", "12:00")], max_weekly_minutes=180
    )
    after, original = changed(change)
    assert len(after.staff) == len(original.staff) + 1
    new = next(s for s in after.staff if s.id == change.id)
    assert new.languages == ["sv"] and new.qualified and new.base_hub == "lohja" and new.max_weekly_minutes == 180
    assert spans(new.available) == [("wed", "09:00", "12:00")]
    assert new.county == next(h for h in after.hubs if h.id == "lohja").county


def test_room_opened_adds_windows_to_that_room() -> None:
    after, _ = changed(RoomOpened(hub="lohja", room="lohja/room", add=[w("thu", "09:00", "15:00")]))
    [opened] = after.hubs[0].rooms
    assert spans(opened.available) == [("thu", "09:00", "15:00"), ("tue", "09:00", "15:00")]


def test_new_room_is_added_at_the_hub() -> None:
    after, _ = changed(NewRoom(hub="lohja", capacity=8, accessible=True, available=[w("fri", "12:00", "16:00")]))
    rooms = {r.id: r for r in after.hubs[0].rooms}
    assert set(rooms) == {"lohja/room", "whatif-room"}
    assert rooms["whatif-room"].capacity == 8 and rooms["whatif-room"].accessible
    assert spans(rooms["whatif-room"].available) == [("fri", "12:00", "16:00")]


def test_template_language_adds_the_language_once() -> None:
    after, _ = changed(TemplateLanguage(template="nature", language="sv"))
    assert after.templates[0].languages == ["fi", "sv"]
    again = apply_changes(after, [TemplateLanguage(template="nature", language="sv")])
    assert again.templates[0].languages == ["fi", "sv"]


def test_client_travel_and_remote_change_that_client() -> None:
    after, _ = changed(ClientTravel(client="c01", max_travel_minutes=90))
    assert after.clients[0].max_travel_minutes == 90
    after, original = changed(ClientRemote(client="c01"))
    assert after.clients[0].remote_ok and not original.clients[0].remote_ok


def test_closure_lifted_removes_that_day() -> None:
    after, original = changed(ClosureLifted(date=CLOSED))
    assert original.closures == [CLOSED] and after.closures == []


def test_several_changes_are_made_in_turn() -> None:
    after = apply_changes(
        base(),
        [
            StaffAvailability(staff="aino", add=[w("tue", "14:00", "17:00")]),
            StaffAvailability(staff="aino", add=[w("tue", "08:00", "09:30")]),
            ClientTravel(client="c01", max_travel_minutes=60),
        ],
    )
    aino = next(s for s in after.staff if s.id == "aino")
    assert spans(aino.available) == [("tue", "08:00", "17:00")]
    assert after.clients[0].max_travel_minutes == 60


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "staff_availability", "staff": "nobody", "add": [window("thu")]}, "changes[0].staff"),
        (
            {"kind": "new_leader", "languages": ["fi"], "base_hub": "nowhere", "available": [window()]}
            | {"max_weekly_minutes": 60},
            "changes[0].base_hub",
        ),
        (
            {"kind": "new_leader", "id": "aino", "languages": ["fi"], "base_hub": "lohja", "available": [window()]}
            | {"max_weekly_minutes": 60},
            "changes[0].id",
        ),
        ({"kind": "room_opened", "hub": "nowhere", "room": "lohja/room", "add": [window()]}, "changes[0].hub"),
        ({"kind": "room_opened", "hub": "lohja", "room": "attic", "add": [window()]}, "changes[0].room"),
        ({"kind": "new_room", "hub": "lohja", "id": "lohja/room", "available": [window()]}, "changes[0].id"),
        ({"kind": "template_language", "template": "music", "language": "sv"}, "changes[0].template"),
        ({"kind": "client_travel", "client": "c99", "max_travel_minutes": 60}, "changes[0].client"),
        ({"kind": "client_remote", "client": "c99"}, "changes[0].client"),
        ({"kind": "closure_lifted", "date": "2027-03-01"}, "changes[0].date"),
    ],
)
def test_an_unknown_id_is_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    parsed = TypeAdapter(Change).validate_python(change)
    original = base()
    before = original.dump()
    with pytest.raises(Invalid) as refused:
        apply_changes(original, [parsed])
    assert [e.field for e in refused.value.errors] == [field]
    assert str(refused.value).startswith(f"{field}: ")
    assert original.dump() == before


def test_every_faulty_change_is_named() -> None:
    good = ClientRemote(client="c01")
    with pytest.raises(Invalid) as refused:
        apply_changes(base(), [good, ClientRemote(client="x"), StaffAvailability(staff="y")], field="whatif")
    assert [e.field for e in refused.value.errors] == ["whatif[1].client", "whatif[2].staff"]


def test_merge_windows_joins_overlapping_and_touching_windows() -> None:
    merged = merge_windows(
        [w("tue", "09:00", "12:00"), w("wed", "09:00", "10:00")],
        [
            w("tue", "11:00", "14:00"),
            w("tue", "14:00", "15:00"),
            w("tue", "16:00", "17:00"),
            w("mon", "08:00", "09:00"),
        ],
    )
    assert spans(merged) == [
        ("mon", "08:00", "09:00"),
        ("tue", "09:00", "15:00"),
        ("tue", "16:00", "17:00"),
        ("wed", "09:00", "10:00"),
    ]
    # a window inside another adds nothing
    assert spans(merge_windows([w("thu", "09:00", "15:00")], [w("thu", "10:00", "11:00")])) == [
        ("thu", "09:00", "15:00")
    ]
