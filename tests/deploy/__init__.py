"""Deployment: the service as operators run it (behind a reverse proxy, under a sub-path)."""
