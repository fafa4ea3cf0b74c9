"""The `mockmarketo` command line: `mockmarketo serve [options]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy.engine import make_url

from mockmarketo import __version__
from mockmarketo import logs
from mockmarketo.config import HTTP_SERVERS, ConfigError, Settings, load_settings
from mockmarketo.logs import one_line as _one_line
from mockmarketo.store import LeadStore, SchemaVersionError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockmarketo", description="A local mock of Marketo's SOAP API.")
    parser.add_argument("--version", action="version", version=f"mockmarketo {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the mock server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1; MOCKMARKETO_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8080; MOCKMARKETO_PORT)")
    serve.add_argument("--database-url", help="SQLAlchemy URL (default sqlite://, in memory; "
                                              "MOCKMARKETO_DATABASE_URL)")
    serve.add_argument("--config", help="TOML config file (MOCKMARKETO_CONFIG)")
    serve.add_argument("--user-id", help="API user id (MOCKMARKETO_USER_ID)")
    serve.add_argument("--secret-key", help="API secret key (MOCKMARKETO_SECRET_KEY)")
    serve.add_argument("--http-server", choices=HTTP_SERVERS,
                       help="WSGI server (default: waitress for one worker, gunicorn for more; "
                            "MOCKMARKETO_HTTP_SERVER)")
    serve.add_argument("--workers", type=int, help="server processes (gunicorn); more than 1 needs a "
                                                   "file or PostgreSQL database (default 1; MOCKMARKETO_WORKERS)")
    serve.add_argument("--threads", type=int, help="threads per process (default 8; MOCKMARKETO_THREADS)")
    return parser


def _announce(settings: Settings) -> Callable[[str], None]:
    def announce(base_url: str) -> None:
        user = settings.credentials[0]
        print(f"mockmarketo {__version__} listening on {base_url}", flush=True)
        print(f"  endpoint:   {base_url}/soap/mktows/2_9   (any N_N version)", flush=True)
        print(f"  WSDL:       {base_url}/soap/mktows/2_9?WSDL", flush=True)
        print(f"  user id:    {user.user_id}", flush=True)
        print(f"  secret key: {user.secret_key}", flush=True)
        print(f"  database:   {make_url(settings.database_url).render_as_string(hide_password=True)}"
              if settings.database_url else "  database:   (none)", flush=True)
        print(f"  server:     {settings.chosen_http_server()}, {settings.workers} process(es) x "
              f"{settings.threads} threads", flush=True)

    return announce


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config, {
            "host": args.host, "port": args.port, "database_url": args.database_url,
            "user_id": args.user_id, "secret_key": args.secret_key,
            "http_server": args.http_server, "workers": args.workers, "threads": args.threads,
        })
        from mockmarketo.app import MockMarketoApp
        from mockmarketo.server import serve

        # open the database once here, so that a refused or unreachable one is reported before serving
        LeadStore(settings.database_url).close()
    except (ConfigError, SchemaVersionError) as err:
        print(f"mockmarketo: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - e.g. a database that cannot be reached or created
        print(f"mockmarketo: cannot open the database: {_one_line(err)}", file=sys.stderr)
        return 2
    logs.configure()  # one line per incident on stderr, rate-limited
    try:
        serve(settings, lambda: MockMarketoApp(settings), _announce(settings))
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
