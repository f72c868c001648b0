"""`tarjotin scenario --region`: every built-in region from the command line, the national scenario, the
list of regions in fi, sv and en, and an unknown region refused with the known ones named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli.data import REGION_SUMMARIES, SCENARIO_REGIONS
from scheduler.contract import parse_problem
from scheduler.scenario import NATIONAL_DISPLAY, REGIONS, generate, generate_national
from tests.cli.test_files import flat, run


@pytest.mark.parametrize("name", ["tampere", "pohjanmaa"])
def test_region_writes_that_regions_problem(tmp_path: Path, name: str) -> None:
    out_file = tmp_path / f"{name}.json"
    code, output = run("scenario", "--region", name, "--clients", "40", "--seed", "3", "--out", out_file)
    assert code == 0, output
    problem = parse_problem(json.loads(out_file.read_text(encoding="utf-8")))
    assert problem.region == REGIONS[name].display
    assert problem.dump() == generate(40, 3, region=name, group_kinds=True).dump()
    assert f"{REGIONS[name].display}, 40 clients" in flat(output)


def test_without_region_the_default_is_written(tmp_path: Path) -> None:
    out_file = tmp_path / "default.json"
    assert run("scenario", "--clients", "30", "--seed", "5", "--out", out_file)[0] == 0
    assert parse_problem(json.loads(out_file.read_text(encoding="utf-8"))).region == "Länsi-Uusimaa"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "unknown region 'atlantis': choose one of"),
        ("fi", "tuntematon alue 'atlantis': valitse jokin näistä:"),
        ("sv", "okänd region 'atlantis': välj en av"),
    ],
)
def test_an_unknown_region_is_refused_naming_the_known_ones(tmp_path: Path, lang: str, words: str) -> None:
    out_file = tmp_path / "never.json"
    code, output = run("scenario", "--region", "atlantis", "--lang", lang, "--out", out_file)
    assert code == 2
    assert words in flat(output)
    assert "lansi-uusimaa, lappi, tampere, pohjanmaa, kainuu, national" in flat(output)
    assert "Traceback" not in output and not out_file.exists()


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "most clients ride transit"), ("fi", "joukkoliikenteellä"), ("sv", "åker kollektivt")],
)
def test_list_regions_in_each_language(lang: str, words: str) -> None:
    code, output = run("scenario", "--list-regions", "--lang", lang)
    assert code == 0, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == [*REGIONS, "national"]
    assert words in output
    assert "Pohjanmaa – Österbotten" in output and NATIONAL_DISPLAY in output


def test_every_region_has_a_summary() -> None:
    assert set(REGION_SUMMARIES) == set(SCENARIO_REGIONS) == {*REGIONS, "national"}


def test_the_national_scenario_from_the_command_line(tmp_path: Path) -> None:
    out_file = tmp_path / "national.json"
    code, output = run("scenario", "--region", "national", "--clients", "60", "--seed", "2", "--out", out_file)
    assert code == 0, output
    problem = parse_problem(json.loads(out_file.read_text(encoding="utf-8")))
    assert problem.dump() == generate_national(60, 2, group_kinds=True).dump()
    assert f"{NATIONAL_DISPLAY}, 60 clients" in flat(output)


def test_the_national_scenario_needs_a_client_per_area(tmp_path: Path) -> None:
    out_file = tmp_path / "never.json"
    code, output = run("scenario", "--region", "national", "--clients", "21", "--out", out_file)
    assert code == 2
    assert "at least 22 clients" in flat(output) and not out_file.exists()


def test_a_scenario_without_out_is_a_usage_error() -> None:
    code, output = run("scenario", "--region", "lappi")
    assert code == 64
    assert "--out" in output


def test_an_unknown_list_language_is_refused() -> None:
    code, output = run("scenario", "--list-regions", "--lang", "de")
    assert code == 2
    assert "choose fi, sv or en" in flat(output)
