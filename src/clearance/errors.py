"""The one exception tree of clearance. Every error a user can see is a ClearanceError."""

from __future__ import annotations


class ClearanceError(Exception):
    """Base class of every error clearance raises on purpose."""


class PackError(ClearanceError):
    """A regulation pack is malformed: names the file, the key path and what was expected."""

    def __init__(self, file: str, path: str, message: str) -> None:
        self.file = file
        self.path = path
        self.message = message
        where = f"{file}: {path}" if path else file
        super().__init__(f"{where}: {message}")


class InputError(ClearanceError):
    """A shipment (or other user input) is invalid: names the field and the offending value."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class UnknownRegimeError(InputError):
    """The requested regime has no regulation pack."""


class NoRuleError(ClearanceError):
    """No provision covers the question (e.g. a date before a pack's coverage): never guessed."""


class RuleConflictError(ClearanceError):
    """Two provisions give contradictory answers and neither is declared an exception of the other."""
