"""What `mockmarketo serve` prints once it listens: where everything is and how to call it.

A CI log is often public, so a secret key is printed only when it is the built-in default pair's (which
the README prints too); a configured key is named by where it came from. The database URL is printed
without its password.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from mockmarketo import __version__
from mockmarketo.config import Settings
from mockmarketo.store.lead_store import is_sqlite_memory
from mockmarketo.tls import Certificate

_WILDCARDS = {"0.0.0.0": "every IPv4 interface", "": "every IPv4 interface", "::": "every interface"}


def banner_lines(settings: Settings, base_url: str, certificate: Certificate | None = None) -> list[str]:
    port = base_url.rsplit(":", 1)[1]
    user = settings.credentials[0]
    lines = [f"mockmarketo {__version__} listening on {base_url}"]
    if settings.host in _WILDCARDS:
        lines.append(f"  bound to:    {settings.host or '0.0.0.0'}:{port} ({_WILDCARDS[settings.host]}; the URLs "
                     "below are this machine's)")
    token = ("needs Authorization: Bearer <token>, the control token" if settings.control_token
             else "open: no control token set (MOCKMARKETO_CONTROL_TOKEN)")
    key = (f"{user.secret_key}   (the built-in default)" if not settings.users
           else f"(not shown; from {settings.source('secret_key')})")
    lines += [
        f"  endpoint:    {base_url}/soap/mktows/2_9   (any N_N version)",
        f"  WSDL:        {base_url}/soap/mktows/2_9?WSDL",
        f"  control API: {base_url}/_mock/   ({token})",
        f"  health:      {base_url}/health",
        f"  user id:     {user.user_id}",
        f"  secret key:  {key}",
        f"  database:    {_database(settings.database_url)}",
        f"  server:      {settings.chosen_http_server()}, {settings.workers} process(es) x {settings.threads} threads",
    ]
    if certificate is not None:
        lines.append(f"  TLS:         self-signed; clients trust the CA file {certificate.ca_file}"
                     if certificate.ca_file else f"  TLS:         certificate {certificate.cert_file}")
    # the last line, always
    lines.append(f"  log:         {settings.log_level}, {settings.log_format}"
                 + ("   (one line per call)" if settings.log_level in ("debug", "info") else ""))
    return lines


def _database(url: str) -> str:
    if not url:
        return "(none)"
    shown = make_url(url).render_as_string(hide_password=True)
    return f"{shown}   (in memory: leads go when the server stops)" if is_sqlite_memory(url) else shown
