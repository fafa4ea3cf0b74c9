"""The URL a client used to reach the server, from a WSGI request: what the WSDL advertises as the SOAP
address and what the index pages link to."""

from __future__ import annotations

from urllib.parse import quote

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _has_port(host: str) -> bool:
    # "[::1]:8080" and "example:8080" have one; "[::1]" and "example" do not
    return ":" in host.rsplit("]", 1)[-1]


def base_url_of(environ) -> str:
    """`scheme://host[:port]` as the client addressed the server.

    When the Host header has no port, the port the request arrived on is added unless it is the scheme's
    default: node-soap 0.2.7 sends `Host: 127.0.0.1` to port 8080 and then posts to the address the WSDL
    names, which must not send it to port 80. Without a Host header (HTTP/1.0) the server's own name
    and port are used. Behind a reverse proxy, set `public_url` instead.
    """
    scheme = environ.get("wsgi.url_scheme", "http")
    port = str(environ.get("SERVER_PORT") or "")
    host = (environ.get("HTTP_HOST") or "").strip()
    if not host:
        host = environ.get("SERVER_NAME") or "localhost"
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
    if not _has_port(host) and port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def url_of(environ) -> str:
    """The request's URL without its query string."""
    path = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), safe="/:@!$&'()*+,;=")
    return base_url_of(environ) + path
