"""The command line and call loop of the Python drivers (zeep_driver.py, suds_driver.py); standard
library only, as the drivers run in the clients' own virtual environments.

    DRIVER ENDPOINT USER_ID SECRET_KEY OPERATION PARAMS_JSON   one call, one JSON line out
    DRIVER ENDPOINT USER_ID SECRET_KEY                          one call per JSON line read from stdin:
                                                                {"operation": "getLead", "params": {...}}

PARAMS_JSON holds the children of the operation's params element by element name: objects for complex
elements, lists for repeated ones, null for xsi:nil, and "xsi:type": "LeadKeySelector" in an object to
send a subtype. Each answer is one line: {"client", "operation", "ok", "fault_code", "fault_string",
"response"} where response holds the children of the success element; a call the client could not make
at all answers {"client", "operation", "error"}. Exit status of a single call: 0 success, 3 SOAP fault,
2 harness failure (as ../shared/clients).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
import traceback
from datetime import date, datetime, time
from decimal import Decimal

NS = "http://www.marketo.com/mktows/"


def signed_header(user_id: str, secret_key: str) -> dict:
    """AuthenticationHeader fields signed as Marketo documents it: HMAC-SHA1(secret, W3C timestamp + user
    id), lower-case hex; a fresh timestamp for every call."""
    timestamp = datetime.now().astimezone().isoformat(timespec="seconds")
    signature = hmac.new(secret_key.encode(), (timestamp + user_id).encode(), hashlib.sha1).hexdigest()
    return {"mktowsUserId": user_id, "requestSignature": signature, "requestTimestamp": timestamp}


def fault(code, string) -> dict:
    return {"ok": False, "fault_code": None if code is None else str(code), "fault_string": string,
            "response": None}


def success(response) -> dict:
    return {"ok": True, "fault_code": None, "fault_string": None, "response": response}


def _json_default(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _answer(client: str, operation: str, outcome: dict) -> str:
    return json.dumps({"client": client, "operation": operation, **outcome}, default=_json_default)


def _one(client: str, make, operation: str, params: dict, state: dict) -> tuple[str, int]:
    try:
        if "caller" not in state:
            state["caller"] = make()
        outcome = state["caller"].call(operation, params)
    except Exception as error:  # noqa: BLE001 - reported as the call's answer, the loop goes on
        traceback.print_exc(file=sys.stderr)
        return _answer(client, operation, {"error": f"{type(error).__name__}: {error}"}), 2
    return _answer(client, operation, outcome), 0 if outcome["ok"] else 3


def main(client: str, caller_class) -> None:
    """Run the driver: `caller_class(endpoint, user_id, secret_key)` has `call(operation, params)` that
    answers success(response) or fault(code, string)."""
    args = sys.argv[1:]
    if len(args) not in (3, 5):
        print(f"usage: {client} ENDPOINT USER_ID SECRET_KEY [OPERATION PARAMS_JSON]", file=sys.stderr)
        sys.exit(2)
    endpoint, user_id, secret_key = args[:3]
    state: dict = {}

    def make():
        return caller_class(endpoint, user_id, secret_key)

    if len(args) == 5:
        line, status = _one(client, make, args[3], json.loads(args[4]), state)
        print(line, flush=True)
        sys.exit(status)
    for raw in sys.stdin:
        if not raw.strip():
            continue
        request = json.loads(raw)
        line, _ = _one(client, make, request["operation"], request.get("params") or {}, state)
        print(line, flush=True)
