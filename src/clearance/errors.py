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

    def __init__(self, field: str, message: str, value: object = None) -> None:
        self.field = field
        self.message = message
        self.value = value
        super().__init__(f"{field}: {message}")


class UnknownRegimeError(InputError):
    """The requested regime has no regulation pack."""


class NoRuleError(ClearanceError):
    """No provision covers the question (e.g. a date before a pack's coverage): never guessed."""


class ScreeningError(ClearanceError):
    """Restricted-party screening failed: the base of the screening errors."""


class ListFormatError(ScreeningError):
    """A screening list (or a batch of parties) is unreadable or malformed: names the file, the row and the problem."""

    def __init__(self, file: str, row: int | str | None, message: str) -> None:
        self.file = file
        self.row = row
        self.message = message
        where = f"{file}: row {row}" if row is not None else file
        super().__init__(f"{where}: {message}")


class UnknownListError(ScreeningError):
    """The requested screening list or list version is not in the store."""


class DecisionError(ScreeningError):
    """A reviewer decision is invalid (unknown verdict, missing reason, unknown hit)."""


class NotFoundError(ClearanceError):
    """A requested record (licence, audit record, API key) does not exist: names what was asked for."""


class ConflictError(ClearanceError):
    """A write clashes with what is stored (a duplicate licence number, an idempotency key reused for other data)."""


class LicenceRefusedError(ClearanceError):
    """A drawdown is refused (overdraw, expired, destination/item/counterparty not covered), with the reason."""

    def __init__(self, licence: str, reason: str, message: str) -> None:
        self.licence = licence
        self.reason = reason
        self.message = message
        super().__init__(f"licence {licence}: {reason}: {message}")


class AuthenticationError(ClearanceError):
    """No API key was given, or the key is unknown or revoked."""


class PermissionDeniedError(ClearanceError):
    """The API key's role does not allow the operation: names the role needed."""


class LimitExceededError(InputError):
    """A request is larger than allowed (body size, batch length, page size): names the field and the limit."""


class InvalidInputError(InputError):
    """Input that does not validate: every bad field is named, the first one in the message."""

    def __init__(self, field: str, message: str, value: object = None, problems: tuple[object, ...] = ()) -> None:
        super().__init__(field, message, value)
        self.problems = problems


class UnreadableBodyError(InputError):
    """A request body cannot be read at all (not JSON, not UTF-8): nothing in it was looked at."""


class UnsupportedMediaError(InputError):
    """A request body was sent as another media type than the route reads (e.g. a form instead of JSON)."""


class PreconditionFailedError(ClearanceError):
    """A conditional write's precondition does not hold (``If-Match`` names another version of the record)."""


class StoreError(ClearanceError):
    """The database cannot be opened, migrated or written: names the database (never its password) and the problem."""


class ReplayError(ClearanceError):
    """An audit record cannot be re-run (it is not a determination, or its inputs no longer parse)."""


class SparkUnavailableError(ClearanceError):
    """A Spark job cannot run here: the ``spark`` extra or Java is missing (names which and how to install it)."""
