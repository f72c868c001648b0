"""Sign-ins in storage, on SQLite and PostgreSQL: found while live, ended by sign-out, idleness, age and the token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from scheduler.storage.database import session_scope
from scheduler.storage.models import SignInSession
from scheduler.storage.sign_in_sessions import end_sign_in, find_sign_in, purge_sign_ins, start_sign_in
from scheduler.storage.tokens import create_token, revoke_token

START = datetime(2027, 2, 3, 10, 0, tzinfo=UTC)
IDLE = timedelta(hours=2)
LIFETIME = timedelta(hours=12)


def test_a_sign_in_lives_until_it_is_ended_idle_too_old_or_its_token_is_revoked(engine: Engine) -> None:
    with session_scope(engine) as session:
        token, _ = create_token(session, "counsellor", "Anna", now=START)
        ended, idle, old, revoked = (start_sign_in(session, token, START, LIFETIME) for _ in range(4))
    with session_scope(engine) as session:
        assert all(find_sign_in(session, sid, START, IDLE) for sid in (ended, idle, old, revoked))
        assert find_sign_in(session, "not-a-sign-in", START, IDLE) is None
        assert end_sign_in(session, ended, START) and not end_sign_in(session, ended, START)
    later = START + timedelta(hours=1, minutes=59)
    with session_scope(engine) as session:
        assert find_sign_in(session, ended, later, IDLE) is None
        for sid in (old, revoked):
            found = find_sign_in(session, sid, later, IDLE)
            assert found is not None and found.touched
    with session_scope(engine) as session:
        assert find_sign_in(session, idle, START + IDLE, IDLE) is None, "idle for the whole idle time"
        assert find_sign_in(session, old, START + LIFETIME, IDLE) is None, "past its lifetime"
        still = find_sign_in(session, revoked, later + timedelta(seconds=30), IDLE)
        assert still is not None and not still.touched, "last use written again within the minute"
        revoke_token(session, token.id, actor="test")
    with session_scope(engine) as session:
        assert find_sign_in(session, revoked, later + timedelta(minutes=1), IDLE) is None
        assert purge_sign_ins(session, START + LIFETIME) == 4
        assert session.scalar(select(func.count()).select_from(SignInSession)) == 0
