"""Where the tests find the repository's own files, wherever a test module sits."""

from pathlib import Path

__all__ = ["DATA", "ROOT"]

ROOT = Path(__file__).resolve().parents[1]
"""The repository's top folder."""

DATA = ROOT / "tests" / "data"
"""The worked example of the contract (tiny-problem.json, tiny-plan.json)."""
