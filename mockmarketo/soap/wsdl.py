"""The WSDL we serve: schemas/mktows.wsdl with soap:address rewritten to the endpoint the client used."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

_ADDRESS = re.compile(rb'(<soap:address location=")[^"]*(")')


def wsdl_path() -> Path:
    """schemas/mktows.wsdl: inside the installed package, or at the top of a source checkout."""
    packaged = resources.files("mockmarketo") / "schemas" / "mktows.wsdl"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "schemas" / "mktows.wsdl"


@lru_cache(maxsize=1)
def _template() -> tuple[bytes, bytes]:
    document = wsdl_path().read_bytes()
    match = _ADDRESS.search(document)
    if match is None:
        raise RuntimeError(f"{wsdl_path()} has no soap:address")
    return document[:match.end(1)], document[match.start(2):]


def wsdl_for(endpoint_url: str) -> bytes:
    """The WSDL advertising `endpoint_url` as the service address."""
    before, after = _template()
    escaped = endpoint_url.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return before + escaped.encode("utf-8") + after
