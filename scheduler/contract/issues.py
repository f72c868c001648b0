"""Faults of a contract document, each with the JSON path of the offending field."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

__all__ = ["ContractError", "Issue", "ReferenceErrors", "issues_of"]


class Issue(BaseModel):
    """One fault in a contract document: where it is and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ReferenceErrors(ValueError):
    """Carries the reference faults of a whole document through pydantic."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues


class ContractError(ValueError):
    """A contract document that cannot be used; `issues` lists every fault."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


def issues_of(error: ValidationError) -> list[Issue]:
    issues: list[Issue] = []
    for item in error.errors(include_url=False):
        nested = (item.get("ctx") or {}).get("error")
        if isinstance(nested, ReferenceErrors):
            issues += nested.issues
            continue
        path = ""
        for part in item["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "required field is missing"
        issues.append(Issue(path=path or "(document)", message=message))
    return issues
