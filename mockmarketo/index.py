"""What a browser or curl finds at the server's root: an index of what runs here (version, SOAP endpoint,
WSDL, health check, control routes, docs), as JSON at `/_mock/` and at `/` for clients that do not ask for
HTML, as a small HTML page at `/` for browsers; and the user docs themselves under `/docs/`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


from mockmarketo import __version__
from mockmarketo.json_http import json_response
from mockmarketo.urls import base_url_of

# the user docs the server serves at /docs/<name>
DOCS = ("README.md", "behaviour.md", "control-api.md", "deployment.md")
EXAMPLE_VERSION = "2_9"


def index(environ, control_routes: dict[str, list[str]], token_required: bool) -> dict:
    """The index as JSON, with URLs as this client reaches the server."""
    base = base_url_of(environ)
    endpoint = f"{base}/soap/mktows/{EXAMPLE_VERSION}"
    return {
        "name": "mockmarketo",
        "description": "a local, stateful mock of Marketo's legacy SOAP API (mktows)",
        "version": __version__,
        "endpoint": endpoint,
        "endpoint_versions": "any N_N in the path, e.g. 2_1, 2_9, 3_1",
        "wsdl": f"{endpoint}?WSDL",
        "health": f"{base}/health",
        "control": {"url": f"{base}/_mock/", "token_required": token_required, "routes": control_routes},
        "docs": {name: f"{base}/docs/{name}" for name in DOCS},
    }


def root(environ, start_response, control_routes: dict[str, list[str]], token_required: bool):
    """GET / for clients other than browsers (those get the web console): the JSON index."""
    return json_response(start_response, "200 OK", index(environ, control_routes, token_required))


def doc_path(name: str) -> Path | None:
    """A user doc: inside the installed package (mockmarketo/docs/), or in a source checkout."""
    if name not in DOCS:
        return None
    packaged = resources.files("mockmarketo") / "docs" / name
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[1]
    found = checkout / name if name == "README.md" else checkout / "docs" / name
    return found if found.is_file() else None


def docs(environ, start_response, name: str):
    """GET /docs/<name>: a user doc as text/markdown; /docs/ lists them."""
    if name == "":
        return json_response(start_response, "200 OK", {"docs": index(environ, {}, False)["docs"]})
    path = doc_path(name)
    if path is None:
        return json_response(start_response, "404 Not Found",
                             {"error": f"no doc {name!r} (docs: {', '.join(DOCS)})"})
    body = path.read_bytes()
    start_response("200 OK", [("Content-Type", "text/markdown; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
