"""The load benchmark's visitors (locust): the routes a busy county's callers use, mixed.

Run by `python -m benchmarks.load`, which prepares the data this reads from the JSON file
named by TARJOTIN_LOAD_DATA: the counsellor's bearer header, the published groups with
their feeds' ETags, anonymous profiles and (client, group) pairs that fit, for reservations.

Each task is tagged by its route (offering, page, feed, recommend, reserve): `--routes page`
of `benchmarks.load` runs only those. Each visitor sends its next request as soon as the
last is answered (no think time), so the number of visitors is the number of requests in
flight. A reservation's 409 (the group is full: seats run out during the run) is an
expected answer, as is a replayed 201 (the same Idempotency-Key again); a feed asked with
If-None-Match answers 304, or 200 with a new ETag once a reservation changed the group.
Anything else that is not a 2xx counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, tag, task

DATA: dict[str, Any] = json.loads(Path(os.environ["TARJOTIN_LOAD_DATA"]).read_text(encoding="utf-8"))
PAIRS = itertools.cycle(DATA["pairs"])  # the first pass books seats; later passes replay the same keys
FEED = "GET /calendars/groups/{id}.ics"


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task(4)
    @tag("offering")
    def offering(self) -> None:
        self.client.get("/offering", name="GET /offering")

    @task(3)
    @tag("page")
    def offering_page(self) -> None:
        self.client.get("/", name="GET / (page)", headers={"Accept": "text/html"})

    @task(2)
    @tag("feed")
    def feed(self) -> None:
        group = random.choice(DATA["groups"])
        self.client.get(f"/calendars/groups/{group['id']}.ics", name=FEED)

    @task(2)
    @tag("feed")
    def feed_unchanged(self) -> None:
        group = random.choice(DATA["groups"])
        with self.client.get(
            f"/calendars/groups/{group['id']}.ics",
            name=FEED + " If-None-Match",
            headers={"If-None-Match": group["etag"]},
            catch_response=True,
        ) as answer:
            if answer.status_code == 200:  # the group changed since (a reservation): the new ETag from now on
                group["etag"] = answer.headers["ETag"]
            elif answer.status_code != 304:
                answer.failure(f"expected 304 (or 200 with a new ETag), got {answer.status_code}")

    @task(2)
    @tag("recommend")
    def recommend(self) -> None:
        self.client.post(
            "/offering/recommend", name="POST /offering/recommend", json={"profile": random.choice(DATA["profiles"])}
        )

    @task(1)
    @tag("reserve")
    def reserve(self) -> None:
        client, group = next(PAIRS)
        with self.client.post(
            f"/groups/{group}/enrollments",
            name="POST /groups/{id}/enrollments",
            json={"client_id": client},
            headers={**DATA["counsellor"], "Idempotency-Key": f"load-{client}-{group}"},
            catch_response=True,
        ) as answer:
            if answer.status_code in (201, 409):
                answer.success()
            else:
                answer.failure(f"expected 201 or 409 (full), got {answer.status_code}: {answer.text[:200]}")
