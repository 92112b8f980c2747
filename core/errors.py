"""Errors the ETL reports to people, in plain words."""

from __future__ import annotations


class EtlError(Exception):
    """An error with a one-line message meant for the person running the load."""


class FileRejected(EtlError):
    """A file that loads nothing: unreadable, of no known kind, or missing columns.

    ``row`` is the spreadsheet row (header = row 1) and ``column`` the
    column name, when the problem has a place.
    """

    def __init__(
        self, file_name: str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file_name = file_name
        self.message = message
        self.row = row
        self.column = column
        super().__init__(self.one_line())

    def one_line(self) -> str:
        place = [self.file_name]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column}")
        return f"{', '.join(place)}: {self.message}"


class LoadBusy(EtlError):
    """Another load holds the warehouse lock."""
