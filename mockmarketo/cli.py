"""The `mockmarketo` command line: `mockmarketo serve [options]`."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable

from mockmarketo import __version__, access_log, logs, tls
from mockmarketo.access_log import LOG_FORMATS, LOG_LEVELS
from mockmarketo.banner import banner_lines
from mockmarketo.logs import one_line as _one_line
from mockmarketo.config import HTTP_SERVERS, ConfigError, Settings, load_settings
from mockmarketo.store import DatabaseUrlError, LeadStore, SchemaVersionError

SERVE_EPILOG = """\
control API:
  JSON routes under /_mock/ on the same port (GET /_mock/ lists them). They are open unless a control
  token is set, with MOCKMARKETO_CONTROL_TOKEN or [control] token in the config file (not on the command
  line, where other users of the machine could read it); then every /_mock/ route needs
  Authorization: Bearer <token>.

every option can also come from a MOCKMARKETO_* variable (MOCKMARKETO_PORT, ...) or the config file's
[server] section; the command line wins over the environment, which wins over the file."""


class _Parser(argparse.ArgumentParser):
    """argparse, suggesting the option meant when one is misspelt (`--prot`: did you mean --port?)."""

    def error(self, message: str):
        if message.startswith("unrecognized arguments:"):
            known = _option_strings(self)
            for word in message.split(":", 1)[1].split():
                close = difflib.get_close_matches(word.split("=", 1)[0], known, n=1) if word.startswith("-") else []
                if close:
                    message += f" (did you mean {close[0]}?)"
                    break
        super().error(message)


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    found = []
    for action in parser._actions:
        found += [option for option in action.option_strings if option.startswith("--")]
        for sub in (action.choices or {}).values() if isinstance(action, argparse._SubParsersAction) else ():
            found += _option_strings(sub)
    return found


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mockmarketo", description="A local mock of Marketo's SOAP API.")
    parser.add_argument("--version", action="version", version=f"mockmarketo {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="command")
    serve = commands.add_parser("serve", help="run the mock server", epilog=SERVE_EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                description="Serve Marketo's SOAP API (and the control API) on one port.")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1; MOCKMARKETO_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8080; MOCKMARKETO_PORT)")
    serve.add_argument("--database-url", help="sqlite:// (in memory, the default), sqlite:///file.db or "
                                              "postgresql+psycopg://user:password@host/db; MOCKMARKETO_DATABASE_URL")
    serve.add_argument("--config", help="TOML config file (MOCKMARKETO_CONFIG)")
    serve.add_argument("--user-id", help="API user id (MOCKMARKETO_USER_ID)")
    serve.add_argument("--secret-key", help="API secret key (MOCKMARKETO_SECRET_KEY)")
    serve.add_argument("--http-server", choices=HTTP_SERVERS,
                       help="WSGI server (default: waitress for one worker, gunicorn for more or for TLS; "
                            "MOCKMARKETO_HTTP_SERVER)")
    serve.add_argument("--workers", type=int, help="server processes (gunicorn); more than 1 needs a "
                                                   "file or PostgreSQL database (default 1; MOCKMARKETO_WORKERS)")
    serve.add_argument("--threads", type=int, help="threads per process (default 8; MOCKMARKETO_THREADS)")
    serve.add_argument("--log-level", type=str.lower, choices=LOG_LEVELS,
                       help="info (the default) logs a line per call; warning and error leave calls out "
                            "(MOCKMARKETO_LOG_LEVEL)")
    serve.add_argument("--log-format", choices=LOG_FORMATS,
                       help="text (the default) or json, one object a line (MOCKMARKETO_LOG_FORMAT)")
    serve.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this PEM certificate "
                                                          "(with --tls-key; MOCKMARKETO_TLS_CERT)")
    serve.add_argument("--tls-key", metavar="FILE", help="the certificate's PEM private key (MOCKMARKETO_TLS_KEY)")
    serve.add_argument("--tls-self-signed", action="store_const", const=True,
                       help="serve HTTPS with a certificate made at start; prints the CA file clients must "
                            "trust (MOCKMARKETO_TLS_SELF_SIGNED=true)")
    return parser


def _announce(settings: Settings, certificate: tls.Certificate | None) -> Callable[[str], None]:
    """Once the port is bound (and before gunicorn forks its workers): the log, then the banner."""
    def announce(base_url: str) -> None:
        access_log.configure(settings.log_level, settings.log_format)
        for line in banner_lines(settings, base_url, certificate):
            print(line, flush=True)

    return announce


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        settings = load_settings(args.config, {
            "host": args.host, "port": args.port, "database_url": args.database_url,
            "user_id": args.user_id, "secret_key": args.secret_key,
            "http_server": args.http_server, "workers": args.workers, "threads": args.threads,
            "log_level": args.log_level, "log_format": args.log_format,
            "tls_cert": args.tls_cert, "tls_key": args.tls_key, "tls_self_signed": args.tls_self_signed,
        })
        from mockmarketo.app import MockMarketoApp
        from mockmarketo.server import serve

        # open the database once here, so that a refused or unreachable one is reported before serving
        LeadStore(settings.database_url).close()
    except (ConfigError, SchemaVersionError) as err:
        print(f"mockmarketo: {err}", file=sys.stderr)
        return 2
    except DatabaseUrlError as err:
        print(f"mockmarketo: {settings.source('database_url')}: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - e.g. a database that cannot be reached or created
        print(f"mockmarketo: cannot open the database: {_one_line(err)}", file=sys.stderr)
        return 2
    logs.configure()  # one line per incident on stderr, rate-limited
    try:
        with tls.certificate(settings) as certificate:
            serve(settings, lambda: MockMarketoApp(settings), _announce(settings, certificate), certificate)
    except ConfigError as err:
        print(f"mockmarketo: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"mockmarketo: cannot listen on {settings.host}:{settings.port}: "
              f"{err.strerror or err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - one line, never a traceback
        print(f"mockmarketo: cannot start: {_one_line(err)}", file=sys.stderr)
        return 2
    print("mockmarketo stopped", flush=True)
    return 0
