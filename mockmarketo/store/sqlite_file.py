"""The identity of a SQLite database file, checked before every transaction: a file deleted or replaced
while the server runs would otherwise go unnoticed (SQLite keeps writing to the open, unlinked file)
until a restart loses every write acknowledged since."""

from __future__ import annotations

import os

from mockmarketo.store.guard import DatabaseUnavailable


class SqliteFile:
    def __init__(self, path: str):
        self.path = path
        self._identity: tuple[int, int] | None = None

    def remember(self) -> None:
        """Take the file as it is now as the database's file."""
        status = os.stat(self.path)
        self._identity = (status.st_dev, status.st_ino)

    def check(self) -> None:
        """DatabaseUnavailable if the file is gone or is another file than the one opened."""
        if self._identity is None:
            return
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            raise DatabaseUnavailable(f"the database file {self.path} was deleted while the server ran; writes "
                                      "since then are lost; restart the server") from None
        if (status.st_dev, status.st_ino) != self._identity:
            raise DatabaseUnavailable(f"the database file {self.path} was replaced while the server ran; "
                                      "restart the server")
