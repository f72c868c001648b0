"""The service's routers, one module per resource family."""

from fastapi import APIRouter

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = []


def _collect() -> None:
    from . import me, offering, plans, reservations, resources

    for module in (offering, reservations, resources, plans, me):
        ROUTERS.append(module.router)


_collect()
