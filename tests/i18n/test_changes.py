"""What-if changes and advice in words (`scheduler.i18n.changes`): every kind in Finnish, Swedish and English.

Each sentence names what the change is about in the reader's language: the staff member, the hub
(its name and municipality), the room, the group model by its name in that language, the weekday
as a weekly habit, the language as its speakers' or the group's, the client by id, the date as the
language writes it; no English word is left in the Finnish or Swedish ones.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from scheduler.contract import Problem
from scheduler.contract.advice import AdviceItem, WhatIfDiff
from scheduler.contract.whatif import (
    CHANGE_KINDS,
    Change,
    ClientRemote,
    ClientTravel,
    ClosureLifted,
    NewLeader,
    NewRoom,
    RoomOpened,
    StaffAvailability,
    TemplateLanguage,
)
from scheduler.i18n import LANGS, Lang
from scheduler.i18n.changes import IN_LANGUAGE, SPEAKING, WEEKLY, ChangeNames, advice_sentence, describe_change
from scheduler.scenario import generate


@pytest.fixture(scope="module")
def problem() -> Problem:
    return generate(60, 1)


@pytest.fixture(scope="module")
def names(problem: Problem) -> ChangeNames:
    return ChangeNames.of(problem)


def window(day: str, start: str, end: str) -> dict[str, str]:
    return {"day": day, "start": start, "end": end}


def changes(problem: Problem) -> dict[str, Change]:
    """One change of each kind on the problem's own records (Raasepori's hub, a room at Lohja, ...)."""
    raasepori = next(h for h in problem.hubs if h.municipality == "Raasepori")
    lohja = next(h for h in problem.hubs if h.municipality == "Lohja" and h.rooms)
    client = problem.clients[3]
    return {
        "staff_availability": StaffAvailability.model_validate(
            {"staff": problem.staff[1].id, "add": [window("tue", "09:00", "15:00")], "extra_minutes": 120}
        ),
        "new_leader": NewLeader.model_validate(
            {
                "languages": ["sv"],
                "base_hub": raasepori.id,
                "available": [window("tue", "09:00", "15:00")],
                "max_weekly_minutes": 360,
            }
        ),
        "room_opened": RoomOpened.model_validate(
            {"hub": lohja.id, "room": lohja.rooms[0].id, "add": [window("thu", "12:00", "16:00")]}
        ),
        "new_room": NewRoom.model_validate(
            {"hub": lohja.id, "capacity": 8, "accessible": True, "available": [window("wed", "10:00", "13:00")]}
        ),
        "template_language": TemplateLanguage(template=problem.templates[0].id, language="ar"),
        "client_travel": ClientTravel(client=client.id, max_travel_minutes=45),
        "client_remote": ClientRemote(client=client.id),
        "closure_lifted": ClosureLifted(date=problem.closures[0]),
    }


def expected_words(problem: Problem, change: Change, t: Lang) -> list[str]:
    """What the sentence must name in the language, from the problem and the catalogues (not from the code tested)."""
    hubs = {h.id: h for h in problem.hubs}
    match change:
        case StaffAvailability():
            name = next(s.name for s in problem.staff if s.id == change.staff)
            return [str(name), t.gettext(WEEKLY["tue"]), "120"]
        case NewLeader():
            hub = hubs[change.base_hub]
            return [hub.name, hub.municipality, t.gettext(WEEKLY["tue"]), t.gettext(SPEAKING["sv"])]
        case RoomOpened():
            room = next(r for r in hubs[change.hub].rooms if r.id == change.room)
            return [str(room.name), hubs[change.hub].name, t.gettext(WEEKLY["thu"])]
        case NewRoom():
            return [hubs[change.hub].name, t.gettext(WEEKLY["wed"]), "8"]
        case TemplateLanguage():
            template = next(m for m in problem.templates if m.id == change.template)
            return [str(getattr(template.name, t.code)), t.gettext(IN_LANGUAGE["ar"])]
        case ClientTravel():
            return [change.client, "45"]
        case ClientRemote():
            return [change.client]
        case ClosureLifted():
            return [t.short_date(change.date)]
    raise AssertionError(change)


def test_the_sample_has_every_kind(problem: Problem) -> None:
    assert sorted(changes(problem)) == sorted(CHANGE_KINDS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", CHANGE_KINDS)
def test_every_kind_names_its_places_days_and_languages(
    problem: Problem, names: ChangeNames, kind: str, lang: str
) -> None:
    change = changes(problem)[kind]
    said = describe_change(change, names, lang)
    assert said and said[0] == said[0].upper()
    for word in expected_words(problem, change, Lang(lang)):
        assert word.lower() in said.lower(), f"{word!r} is not in {said!r}"
    assert "{" not in said and "%(" not in said


def test_the_same_change_reads_differently_in_each_language(problem: Problem, names: ChangeNames) -> None:
    for change in changes(problem).values():
        said = {lang: describe_change(change, names, lang) for lang in LANGS}
        assert len(set(said.values())) == 3, said


def test_weekdays_are_said_as_a_weekly_habit() -> None:
    assert [Lang(code).gettext(WEEKLY["tue"]) for code in LANGS] == ["tiistaisin", "på tisdagar", "on Tuesdays"]
    assert [Lang(code).gettext(SPEAKING["sv"]) for code in LANGS] == [
        "ruotsinkielinen",
        "svenskspråkig",
        "Swedish-speaking",
    ]


ENGLISH = re.compile(r"\b(the|on|at|too|free|room|new|leader|client|would|place|clients|run|in|raised|lifted)\b")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_english_word_leaks_into_finnish_or_swedish(problem: Problem, names: ChangeNames, lang: str) -> None:
    for change in changes(problem).values():
        said = describe_change(change, names, lang)
        names_in = " ".join(h.name for h in problem.hubs) + " ".join(t.name.sv for t in problem.templates)
        leaked = [w for w in ENGLISH.findall(said.lower()) if w not in names_in.lower().split()]
        assert not leaked, f"{leaked} in {said!r}"


def item(change: Change, gain: int) -> AdviceItem:
    diff = WhatIfDiff(placed_before=10, placed_after=10 + gain, placed_gain=gain)
    return AdviceItem(change=change, placed_gain=gain, bound=gain + 1, cost_hours=3.0, score=gain / 4, diff=diff)


@pytest.mark.parametrize(
    "lang, seven, one",
    [
        ("en", "would place 7 clients", "would place 1 client"),
        ("fi", "7 asiakasta lisää ryhmiin", "1 asiakas lisää ryhmään"),
        ("sv", "ytterligare 7 klienter placerade", "ytterligare 1 klient placerad"),
    ],
)
def test_an_advice_sentence_says_the_change_and_the_clients_it_places(
    problem: Problem, names: ChangeNames, lang: str, seven: str, one: str
) -> None:
    leader = changes(problem)["new_leader"]
    sentence = advice_sentence(item(leader, 7), names, lang)
    assert seven in sentence and Lang(lang).gettext(SPEAKING["sv"]) in sentence
    assert sentence.startswith(describe_change(leader, names, lang))
    assert one in advice_sentence(item(changes(problem)["client_remote"], 1), names, lang)


def test_a_stored_change_reads_as_the_record_does(problem: Problem, names: ChangeNames) -> None:
    for change in changes(problem).values():
        assert describe_change(change.model_dump(mode="json"), names, "sv") == describe_change(change, names, "sv")


def test_ids_without_names_are_said_as_ids() -> None:
    change = RoomOpened.model_validate({"hub": "h9", "room": "h9/r1", "add": [window("mon", "08:00", "10:00")]})
    assert describe_change(change, ChangeNames(), "en") == "Room r1 (h9) open on Mondays 08:00–10:00"
    lifted = ClosureLifted(date=date(2026, 12, 24))
    assert describe_change(lifted, ChangeNames(), "fi") == "Sulkupäivä 24.12.2026 peruttu"
