"""What happens after a seat is taken: attendance, how a seat ends, notices, feedback.

The handbook: the leader and the counsellor meet the client before and after the group;
repeated absences without notice lead, after contact, to ending the service (the client may
apply again); feedback is collected from every group and, anonymously, from every client at
the end of their service (THL's national client-feedback questions); the county follows
end reasons and where people go next (the *jatkosuunnitelma*).

Every word here is a code; what users read is in the catalogues (`scheduler/i18n`).
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from scheduler.contract.base import Contract, Id, Text

__all__ = [
    "ABSENCES_IN_A_ROW",
    "ATTENDANCE_STATUSES",
    "DEFAULT_FEEDBACK_QUESTIONS",
    "END_REASONS",
    "FEEDBACK_KINDS",
    "FEEDBACK_SCALES",
    "NEXT_STEPS",
    "NOTICE_KINDS",
    "NOTICE_WINDOW_HOURS",
    "AttendanceStatus",
    "EndReason",
    "FeedbackKind",
    "FeedbackQuestion",
    "FeedbackScale",
    "NextStep",
    "NoticeKind",
]

AttendanceStatus = Literal["present", "excused", "absent"]
"""A participant at one session: present, absent with notice (`excused`), absent without notice (`absent`)."""
ATTENDANCE_STATUSES: tuple[str, ...] = get_args(AttendanceStatus)

ABSENCES_IN_A_ROW = 2
"""This many absences without notice in a row (the client's sessions of one group, in date order)
notify the client's counsellor: the handbook's 'repeated absences lead, after contact, to ending'."""

EndReason = Literal["completed", "work", "education", "other_service", "moved_away", "health", "own_wish", "absences"]
"""Why a seat ended: the group or the service period completed, work trial or work, education,
another service, moved away, health, the client's own wish, absences without notice."""
END_REASONS: tuple[str, ...] = get_args(EndReason)

NextStep = Literal[
    "work",
    "work_trial",
    "education",
    "employment_services",
    "health_services",
    "other_social_service",
    "social_rehabilitation",
    "none",
    "unknown",
]
"""Where the client goes next (the follow-up plan): work, a work trial, education, employment
services, health services, another social service, on in social rehabilitation (another group,
a new period), nothing planned, not known."""
NEXT_STEPS: tuple[str, ...] = get_args(NextStep)

NoticeKind = Literal["absences", "offer_made", "offer_expiring", "session_cancelled", "session_moved"]
"""What a notice tells: absences in a row (to the counsellor), an offer made or about to expire
(to the counsellor), a session cancelled or moved soon (to its leaders and the participants'
counsellors)."""
NOTICE_KINDS: tuple[str, ...] = get_args(NoticeKind)

NOTICE_WINDOW_HOURS = 48
"""A cancelled or moved session starting within this many hours is told by notice (and e-mail):
calendar subscriptions refresh too slowly for it (Outlook: every 3 to 24 hours)."""

FeedbackKind = Literal["group", "client"]
"""Feedback from a group at its end (the leaders with the participants) or from a client at the
end of their service (with their counsellor). Both are anonymous: no client is named."""
FEEDBACK_KINDS: tuple[str, ...] = get_args(FeedbackKind)

FeedbackScale = Literal["1-5", "0-10"]
"""A question's answer: 1 (not at all) to 5 (very much), or THL's 0-10 likelihood to recommend."""
FEEDBACK_SCALES: tuple[str, ...] = get_args(FeedbackScale)


def _every_kind() -> list[FeedbackKind]:
    return ["group", "client"]


class FeedbackQuestion(Contract):
    """One question of the feedback form; the county keeps its own list (the defaults follow THL)."""

    id: Id
    kinds: list[FeedbackKind] = Field(default_factory=_every_kind, min_length=1)
    scale: FeedbackScale = "1-5"
    text: dict[Literal["fi", "sv", "en"], Text] = Field(
        description="the question in each language; Finnish at least", min_length=1
    )


DEFAULT_FEEDBACK_QUESTIONS: tuple[FeedbackQuestion, ...] = (
    FeedbackQuestion(
        id="satisfaction",
        text={
            "fi": "Kuinka tyytyväinen olet saamaasi palveluun?",
            "sv": "Hur nöjd är du med tjänsten du fått?",
            "en": "How satisfied are you with the service you received?",
        },
    ),
    FeedbackQuestion(
        id="commitment",
        text={
            "fi": "Kuinka hyvin pystyit sitoutumaan toimintaan?",
            "sv": "Hur väl kunde du förbinda dig till verksamheten?",
            "en": "How well could you commit to the activity?",
        },
    ),
    FeedbackQuestion(
        id="benefit",
        text={
            "fi": "Kuinka paljon hyötyä sait?",
            "sv": "Hur mycket nytta hade du?",
            "en": "How much did it help you?",
        },
    ),
    FeedbackQuestion(
        id="recommend",
        scale="0-10",
        text={
            "fi": "Kuinka todennäköisesti suosittelisit palvelua muille?",
            "sv": "Hur sannolikt är det att du skulle rekommendera tjänsten till andra?",
            "en": "How likely are you to recommend the service to others?",
        },
    ),
)
"""THL's national client-feedback themes as the handbook names them: satisfaction, commitment
to the service, likelihood to recommend (0-10), the benefit received."""
