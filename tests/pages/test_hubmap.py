"""The hub map: hubs projected into the picture, counts of the groups shown, names that do not overlap."""

from __future__ import annotations

from datetime import date

from api.pages.hubmap import hub_map
from scheduler.contract import TemplateName
from scheduler.services.offering import OfferedGroup, Place

HUBS = {
    "ekenas": ("Raasepori", 59.976, 23.433),
    "karis": ("Raasepori", 60.072, 23.660),
    "espoo": ("Espoo", 60.206, 24.658),
    "grankulla": ("Kauniainen", 60.209, 24.727),
    "karkkila": ("Karkkila", 60.533, 24.214),
}


def group(ident: str, hub: str) -> OfferedGroup:
    town, lat, lon = HUBS[hub]
    return OfferedGroup(
        id=ident,
        template_id="t",
        name=TemplateName(fi="Ryhmä", sv="Grupp", en="Group"),
        kind="theme",
        theme="nature",
        audience="all",
        modality="in_person",
        language="fi",
        day="mon",
        start="10:00",
        end="12:00",
        place=Place(hub_id=hub, hub=hub, municipality=town, address=None, lat=lat, lon=lon, accessible=True),
        term_start=date(2027, 1, 11),
        term_end=date(2027, 4, 4),
        leaders=[],
        capacity=8,
        free_seats=2,
        next_sessions=[],
    )


def test_every_hub_is_inside_the_picture_and_west_is_left() -> None:
    offered = [group(f"g{i}", hub) for i, hub in enumerate(HUBS)]
    drawn = hub_map(offered, offered)
    assert {d.hub_id for d in drawn.dots} == set(HUBS)
    assert all(0 < d.x < drawn.width and 0 < d.y < drawn.height for d in drawn.dots)
    at = {d.hub_id: d for d in drawn.dots}
    assert at["ekenas"].x < at["espoo"].x and at["karkkila"].y < at["espoo"].y  # north is up


def test_counts_are_of_the_groups_shown() -> None:
    offered = [group("a", "espoo"), group("b", "espoo"), group("c", "karis")]
    drawn = {d.hub_id: d.groups for d in hub_map(offered, offered[:1]).dots}
    assert drawn == {"espoo": 1, "karis": 0}


def test_municipality_names_do_not_overlap() -> None:
    offered = [group(f"g{i}", hub) for i, hub in enumerate(HUBS)]
    towns = hub_map(offered, offered).towns
    assert sorted(t for t, _, _ in towns) == ["Espoo", "Karkkila", "Kauniainen", "Raasepori"]
    boxes = [(x - 3.6 * len(t), y - 11, x + 3.6 * len(t), y + 2) for t, x, y in towns]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
