"""Filtering and recommending on the kept offering answers exactly what reading the tables answers."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.services.admission import new_joiners
from scheduler.services.kept_offering import build_kept
from scheduler.services.matching import Profile, recommend
from scheduler.services.offering import OfferingFilter, load_offering, select_offering
from scheduler.services.partner_matching import partner_matches
from scheduler.storage.offering_stamp import offering_version
from tests.api.conftest import Service

ON = date(2027, 1, 20)


def _filters(groups: list) -> st.SearchStrategy[OfferingFilter]:
    def one_of(values: set) -> st.SearchStrategy:
        return st.none() | st.sampled_from(sorted(v for v in values if v is not None) or ["x"]) | st.just("nowhere")

    places = [g.place for g in groups if g.place]
    return st.builds(
        OfferingFilter,
        municipality=one_of({p.municipality for p in places}),
        hub=one_of({p.hub_id for p in places}),
        language=one_of({g.language for g in groups}),
        day=one_of({g.day for g in groups}),
        theme=one_of({g.theme for g in groups}),
        audience=one_of({g.audience for g in groups} | {"all"}),
        modality=st.none() | st.sampled_from(["in_person", "remote", "hybrid"]),
        free_only=st.booleans(),
        near=st.none() | st.tuples(st.floats(59.8, 60.6), st.floats(22.9, 24.8)),
        within_minutes=st.none() | st.integers(0, 120),
        mode=st.sampled_from(["car", "transit"]),
    )


def test_every_filter_answers_as_the_tables_do(service: Service) -> None:
    with service.session() as session:
        kept = build_kept(session, offering_version(session), ON)
        groups = load_offering(session, ON)
    assert list(kept.groups) == groups

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(where=_filters(groups))
    def check(where: OfferingFilter) -> None:
        assert kept.select(where) == select_offering(groups, where)

    check()


def test_a_recommendation_from_the_kept_offering_is_the_one_from_the_tables(service: Service) -> None:
    with service.session() as session:
        kept = build_kept(session, offering_version(session), ON)
        shut = new_joiners(session, ON)
        for group in service.plan.groups[:8]:
            client = next(c for c in service.problem.clients if c.id in group.participants)
            profile = Profile(
                languages=client.languages,
                lat=client.home.lat,
                lon=client.home.lon,
                travel_mode=client.travel_mode,
                max_travel_minutes=client.max_travel_minutes,
                available=client.available,
                interests=client.interests,
                audiences=client.audiences,
            )
            fresh = recommend(profile, shut.groups, [], 5, shut.closed, shut.popups, shut.rooms)
            assert kept.recommend(profile, 5) == fresh
            assert kept.partners_for(profile, 5) == partner_matches(session, profile, ON, 5)
