"""The service's routers, one module per resource family."""

from fastapi import APIRouter

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = []


def _collect() -> None:
    from api.routers import calendars, me, offering, plans, reservations, resources, sessions

    for module in (offering, reservations, resources, sessions, plans, me, calendars):
        ROUTERS.append(module.router)


_collect()
