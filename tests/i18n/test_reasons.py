"""Every reason code is said in Finnish, Swedish and English from the one set of catalogues
(`scheduler.i18n.reasons`)."""

from __future__ import annotations

import re

import pytest

from scheduler.contract import REASON_CODES
from scheduler.i18n import LANGS
from scheduler.i18n.reasons import MESSAGES, reason_text

SAMPLE: dict[str, object] = {
    "interests": ["nature", "art"],
    "audiences": ["men"],
    "themes": ["nature"],
    "offered": ["fi"],
    "spoken": ["sv", "en"],
    "languages": ["sv"],
    "days": ["tue", "wed", "thu"],
    "minutes": 75,
    "limit": 30,
    "count": 4,
    "mode": "car",
    "nearest": "Hanko",
    "places": ["Raasepori"],
    "skills": ["first_aid"],
    "options": ["nature@lohja/fi/tue/0900"],
    "date": "2026-11-30",
    "first": "2027-01-11",
    "start": "2027-01-04",
    "end": "2027-01-05",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def args_for(message: str, case: str | None) -> dict[str, object]:
    """Sample args for each blank of the message, with its case."""
    args = {name: SAMPLE[name] for name in PLACEHOLDER.findall(message)}
    return {**args, "case": case} if case else args


def test_every_reason_code_has_its_messages_and_no_other() -> None:
    assert {code for code, _ in MESSAGES} == set(REASON_CODES)


@pytest.mark.parametrize("code", REASON_CODES)
@pytest.mark.parametrize("lang", LANGS)
def test_every_reason_code_is_said_in_every_language(code: str, lang: str) -> None:
    cases = [(case, message) for (c, case), message in MESSAGES.items() if c == code]
    assert cases
    for case, message in cases:
        said = reason_text(lang, code, args_for(message, case), "the English detail")
        assert said.lang == lang and said.text and "%(" not in said.text, (code, case, said)
        english = message % args_for(message, None)  # the msgid filled in, as English would say it
        if lang != "en":
            assert said.text != message and said.text != english, f"{lang}: {code}/{case} is not translated"


def test_the_words_come_from_codes_in_the_readers_language() -> None:
    args = {"case": "qualified_near", "languages": ["sv"], "minutes": 75, "places": ["Raasepori"]}
    args["days"] = ["tue", "wed", "thu"]
    assert reason_text("en", "leaders", args, "x").text == (
        "No qualified leader who speaks Swedish and lives within 75 min of Raasepori is free"
        " when the client can come (Tuesday–Thursday)."
    )
    fi = reason_text("fi", "leaders", args, "x").text
    assert "(ruotsi)" in fi and "(tiistai–torstai)" in fi and "Raasepori" in fi
    sv = reason_text("sv", "leaders", {**args, "days": ["tue", "thu"]}, "x").text
    assert "svenska" in sv and "(tisdag och torsdag)" in sv
    travel = {"limit": 30, "mode": "transit", "nearest": "Hanko", "minutes": 80}
    assert reason_text("fi", "travel", travel, "x").text == (
        "Yksikään toimipiste ei ole 30 minuutin päässä julkisilla (lähin: Hanko, 80 min)."
    )


@pytest.mark.parametrize(
    "code, args",
    [
        ("leaders", None),  # a plan written before args
        ("leaders", {}),
        ("leaders", {"case": "no-such-case", "languages": ["sv"]}),
        ("leaders", {"case": "reach", "languages": ["sv"]}),  # a blank left unfilled
        ("no-such-code", {"case": "language"}),
    ],
)
def test_a_reason_its_args_cannot_say_shows_the_english_detail(code: str, args: dict[str, object] | None) -> None:
    said = reason_text("fi", code, args, "no leader speaks Swedish")
    assert (said.text, said.lang) == ("no leader speaks Swedish", "en")
