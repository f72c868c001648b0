"""Benchmarks of the planner: `python -m benchmarks.run`. Not part of the test suite."""
