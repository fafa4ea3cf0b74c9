"""The web console: HTML pages of the mock's state (overview, request journal, leads, fault
injections) served by the same process at `/` for browsers and under /_mock/ui/, reading everything
through the control API. Templates and static files live beside this module and ship in the wheel."""

from mockmarketo.console.app import Console, wants_console

__all__ = ["Console", "wants_console"]
