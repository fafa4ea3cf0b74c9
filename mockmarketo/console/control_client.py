"""The console's one way to the mock's state: the control API itself, called in process with the
browser's token. Pages show what the pytest helpers see, and a route the server lacks (404) or refuses
(409 with several workers) is an answer the page shows, not an error."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from werkzeug.test import EnvironBuilder, run_wsgi_app

from mockmarketo.control.api import ControlApi


@dataclass
class Answer:
    status: int
    data: Any  # the decoded JSON; None when the body is not JSON

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error(self) -> str | None:
        """The control API's one-line error, None on success."""
        if self.ok:
            return None
        return self.data.get("error") if isinstance(self.data, dict) else f"HTTP {self.status}"


class ControlClient:
    def __init__(self, control: ControlApi):
        self.control = control

    def call(self, method: str, route: str, *, token: str | None = None, instance: str | None = None,
             body: Any = None, **query) -> Answer:
        """`method /_mock/<route>` with the query parameters that are not None."""
        params = {key: str(value) for key, value in query.items() if value is not None}
        if instance is not None:
            params["instance"] = instance
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = json.dumps(body).encode("utf-8") if body is not None else None
        environ = EnvironBuilder(path=f"/_mock/{route}", method=method, query_string=params, headers=headers,
                                 data=data, content_type="application/json" if data else None).get_environ()
        chunks, status, _headers = run_wsgi_app(self.control, environ, buffered=True)
        payload = b"".join(chunks)
        try:
            decoded = json.loads(payload) if payload else None
        except ValueError:
            decoded = None
        return Answer(int(status.split(" ", 1)[0]), decoded)
