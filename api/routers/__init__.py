"""The service's routers, one module per resource family."""

from fastapi import APIRouter

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = []


def _collect() -> None:
    from api.routers import calendars, me, notices, offering, offers, plans, reservations, resources, sessions

    for module in (offering, reservations, offers, resources, sessions, plans, notices, me, calendars):
        ROUTERS.append(module.router)


_collect()
