""""Copy as curl": a journaled SOAP call as a shell command that sends the same request again."""

from __future__ import annotations

from mockmarketo.control.api import MASK

# headers curl sets itself, or that would be wrong for the copy (the body's length may differ after copying)
_SKIPPED = {"Content-Length", "Host", "Connection", "Accept-Encoding", "Transfer-Encoding"}


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def curl_command(entry: dict, base_url: str) -> str:
    """A curl command that POSTs the entry's request to this server (base_url: `http://host:port/`).
    The signature's timestamp is replayed as it was, so a copy run long after the call meets the
    clock-skew check as a stale client would."""
    path = entry.get("path") or "/soap/mktows/2_9"
    lines = [f"curl -sS -X POST {shell_quote(base_url.rstrip('/') + path)}"]
    for name, value in (entry.get("request_headers") or {}).items():
        if name not in _SKIPPED and value != MASK:  # a masked credential cannot be replayed
            lines.append(f"  -H {shell_quote(f'{name}: {value}')}")
    lines.append(f"  --data-binary {shell_quote(entry.get('request_xml') or '')}")
    return " \\\n".join(lines)
