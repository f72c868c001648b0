"""A notice as an e-mail in its recipient's language: the subject and the body, and nothing that names a client.

The mail says "one of your clients", the group's name, the session's time and place, and links to
the signed-in notices page (`/my/notices` under the service's public address), where the counsellor
sees who. No client id and no alias is read here: a notice's `client_id` stays on the lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from scheduler.contract.followup import ABSENCES_IN_A_ROW
from scheduler.i18n import LANGS, N_, Lang
from scheduler.storage.models import GroupModelRow, GroupRow, HubRow, NoticeRow

__all__ = ["NOTICES_PAGE", "Letter", "letter"]

NOTICES_PAGE = "/my/notices"
"""The signed-in page where a notice's recipient reads it in full (a counsellor: which client)."""

SUBJECTS = {
    "offer_made": N_("A group seat was offered to one of your clients: %(group)s"),
    "offer_expiring": N_("An offer to one of your clients ends soon: %(group)s"),
    "session_cancelled": N_("Cancelled: %(group)s on %(date)s"),
    "session_moved": N_("Moved: %(group)s on %(date)s"),
    "absences": N_("Absences without notice in %(group)s"),
}
OPENINGS = {
    "offer_made": N_(
        "One of your clients was offered a seat in the group %(group)s (%(when)s, %(place)s) from %(starts)s. "
        "Answer the offer with the client by %(reply_by)s."
    ),
    "offer_expiring": N_(
        "The seat offered to one of your clients in the group %(group)s (%(when)s, %(place)s) is still waiting "
        "for an answer. Answer it by %(reply_by)s, or the offer expires."
    ),
    "session_cancelled": N_("The session of the group %(group)s on %(date)s at %(time)s (%(place)s) is cancelled."),
    "session_moved": N_(
        "The session of the group %(group)s on %(date)s at %(time)s (%(place)s) is moved: "
        "now on %(new_date)s at %(new_time)s (%(new_place)s)."
    ),
    "absences": N_(
        "One of your clients has been absent without notice %(count)s times in a row from the group %(group)s, "
        "the last time on %(date)s. Please contact them."
    ),
}
ONE_CLIENT = N_("It concerns one of your clients.")
SOME_CLIENTS = N_("It concerns %(count)s of your clients.")
REASON = N_("Reason: %(reason)s")
SEE = N_("Sign in to see the details: %(link)s")
FOOTER = N_("This message was sent by Tarjotin. It names no client; the signed-in page shows who.")
REMOTE = N_("online (a remote session)")


@dataclass(frozen=True)
class Letter:
    """A notice's e-mail: its language, subject and plain-text body (`summary`: what happened, its first part)."""

    lang: str
    subject: str
    body: str
    summary: str


def _one_line(text: str) -> str:
    """A value on one line (a header may not break, and a name may hold a newline)."""
    return " ".join(text.split())


def _group_name(session: Session, group: GroupRow | None, lang: str) -> str:
    if group is None:
        return "–"
    model = session.get(GroupModelRow, group.template_id)
    names: dict[str, Any] = model.name if model is not None and isinstance(model.name, dict) else {}
    return _one_line(str(names.get(lang) or names.get("fi") or group.id))


def _place(session: Session, t: Lang, hub_id: str | None) -> str:
    hub = session.get(HubRow, hub_id) if hub_id else None
    if hub is None:
        return t.gettext(REMOTE)
    return _one_line(f"{hub.name}, {hub.address}" if hub.address else hub.name)


def _day(t: Lang, text: str | None) -> str:
    if not text:
        return "–"
    day = date.fromisoformat(text)
    return f"{t.weekday(day)} {t.short_date(day)}"


def _values(session: Session, t: Lang, notice: NoticeRow) -> dict[str, Any]:
    group = session.get(GroupRow, notice.group_id) if notice.group_id else None
    args: dict[str, Any] = notice.args if isinstance(notice.args, dict) else {}
    before: dict[str, Any] = args.get("from") or {}
    after: dict[str, Any] = args.get("to") or {}
    weekly = f"{t.weekday(group.day, alone=True)} {group.start}–{group.end}" if group is not None else "–"
    return {
        "group": _group_name(session, group, t.code),
        "when": weekly,
        "place": _place(session, t, before.get("hub") if before else (group.hub_id if group else None)),
        "starts": _day(t, args.get("starts_on")),
        "reply_by": _day(t, args.get("reply_by")),
        "date": _day(t, before.get("day") or (notice.day.isoformat() if notice.day else None)),
        "time": f"{before.get('start', '')}–{before.get('end', '')}",
        "new_date": _day(t, after.get("day")),
        "new_time": f"{after.get('start', '')}–{after.get('end', '')}",
        "new_place": _place(session, t, after.get("hub")),
        "count": args.get("count", ABSENCES_IN_A_ROW),
    }


def letter(session: Session, notice: NoticeRow, lang: str, public_url: str) -> Letter:
    """The notice as an e-mail in the language (fi, sv or en; Finnish for any other)."""
    t = Lang(lang if lang in LANGS else "fi")
    values = _values(session, t, notice)
    args: dict[str, Any] = notice.args if isinstance(notice.args, dict) else {}
    lines = [t.gettext(OPENINGS[notice.kind], **values)]
    if notice.kind.startswith("session_") and notice.counsellor_id is not None:
        count = int(args.get("clients") or 1)
        lines.append(t.gettext(ONE_CLIENT) if count == 1 else t.gettext(SOME_CLIENTS, count=count))
    if args.get("reason"):
        lines.append(t.gettext(REASON, reason=_one_line(str(args["reason"]))))
    link = f"{public_url.rstrip('/')}{NOTICES_PAGE}"
    summary = " ".join(lines)
    body = "\n\n".join([summary, t.gettext(SEE, link=link), "-- \n" + t.gettext(FOOTER)]) + "\n"
    return Letter(t.code, _one_line(t.gettext(SUBJECTS[notice.kind], **values)), body, summary)
