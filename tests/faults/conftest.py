"""Fault tests run real servers over real databases; the planned scenario is the API tests' own."""

from tests.api.conftest import published, scenario

__all__ = ["published", "scenario"]
