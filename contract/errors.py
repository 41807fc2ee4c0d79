"""The exceptions a user can act on, as types.

Code that decides what to do with an error matches these classes, never the text of a message.
Every message is one line that says what happened and what to do.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """A problem the user can act on; ``str(error)`` is the one line to show them."""


class WarehouseError(UserFacingError):
    """The published warehouse, its folder or a candidate cannot be used as asked."""


class RefreshInProgress(WarehouseError):
    """Another refresh holds the warehouse's lock."""


class WarehouseLocked(WarehouseError):
    """Another program opened the published file read-write, which blocks every reader."""


class DiskProblem(WarehouseError):
    """The disk is full or the folder is not writable; nothing was published."""


class InboxError(UserFacingError):
    """The inbox is missing, is not a folder, or holds no report file."""


class NothingLoaded(InboxError):
    """Every file of the inbox was quarantined and no earlier version could be kept: nothing to publish."""


class ExportError(UserFacingError):
    """An export target the product does not own, or cannot write."""


class GateRefused(UserFacingError):
    """The quality gate did not pass for a candidate: it is not published."""


class QueryRefused(UserFacingError):
    """A statement that `query` does not run (it would write, or read outside the warehouse)."""
