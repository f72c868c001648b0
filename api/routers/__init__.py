"""The service's routers, one module per resource family."""

from fastapi import APIRouter

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = []


def _collect() -> None:
    from api.routers import (
        advice,
        attendance,
        calendars,
        feedback,
        head_counts,
        health,
        me,
        notices,
        offering,
        offers,
        partners,
        planning_settings,
        plans,
        reports,
        reservations,
        resources,
        sessions,
        sheets,
        shortage,
        trial_visits,
    )

    for module in (
        health,
        offering,
        reservations,
        offers,
        trial_visits,
        attendance,
        head_counts,
        resources,
        sessions,
        plans,
        shortage,
        advice,
        planning_settings,
        notices,
        me,
        calendars,
        feedback,
        reports,
        partners,
        sheets,
    ):
        ROUTERS.append(module.router)


_collect()
