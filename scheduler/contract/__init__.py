"""The interchange contract v1: a planning problem and its plan (docs/contract.md).

These pydantic models, the contract's times and travel formula, the reason codes and
the rule keys are what every layer shares; this package imports no other project
module. The solver and the calendars import nothing else from the application.
"""

from scheduler.contract.base import Contract, Id, Language, OptionalText, Text, trimmed
from scheduler.contract.errors import Conflict, FieldError, Invalid, NotFound, TarjotinError
from scheduler.contract.issues import ContractError, Issue
from scheduler.contract.plan import Plan, PlanMetrics, Reason, Unassigned, parse_plan
from scheduler.contract.policy import POLICY_PRESETS, Policy, PolicyWeights
from scheduler.contract.problem import (
    Client,
    Group,
    Home,
    Hub,
    Problem,
    Room,
    Staff,
    Template,
    TemplateName,
    Travel,
    group_reference_issues,
    parse_problem,
    problem_reference_issues,
)
from scheduler.contract.reasons import REASON_CODES
from scheduler.contract.rules import RULE_BY_KEY, RULES, Rule
from scheduler.contract.service import Counsellor, Decision, Declined, OfferTerms, ServicePeriod
from scheduler.contract.shape import PlanShape, plan_shape
from scheduler.contract.times import DAYS, Day, Term, Time, Window, hhmm, minutes

__all__ = [
    "DAYS",
    "REASON_CODES",
    "RULES",
    "RULE_BY_KEY",
    "Client",
    "Conflict",
    "Counsellor",
    "Decision",
    "Declined",
    "Contract",
    "ContractError",
    "Day",
    "FieldError",
    "Group",
    "Home",
    "Hub",
    "Id",
    "Invalid",
    "Issue",
    "Language",
    "NotFound",
    "OfferTerms",
    "OptionalText",
    "Plan",
    "PlanMetrics",
    "PlanShape",
    "POLICY_PRESETS",
    "Policy",
    "PolicyWeights",
    "Problem",
    "Reason",
    "Room",
    "ServicePeriod",
    "Rule",
    "Staff",
    "Template",
    "TemplateName",
    "TarjotinError",
    "Text",
    "Term",
    "Time",
    "Travel",
    "Unassigned",
    "Window",
    "group_reference_issues",
    "hhmm",
    "plan_shape",
    "minutes",
    "parse_plan",
    "parse_problem",
    "trimmed",
    "problem_reference_issues",
]
