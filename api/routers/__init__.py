"""The service's routers, one module per resource family."""

from fastapi import APIRouter

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = []


def _collect() -> None:
    from api.routers import (
        attendance,
        calendars,
        feedback,
        me,
        notices,
        offering,
        offers,
        partners,
        plans,
        reports,
        reservations,
        resources,
        sessions,
        trial_visits,
    )

    for module in (
        offering,
        reservations,
        offers,
        trial_visits,
        attendance,
        resources,
        sessions,
        plans,
        notices,
        me,
        calendars,
        feedback,
        reports,
        partners,
    ):
        ROUTERS.append(module.router)


_collect()
