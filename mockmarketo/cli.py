"""The `mockmarketo` command line: `mockmarketo serve [options]`."""

from __future__ import annotations

import argparse
import sys

from mockmarketo import __version__
from mockmarketo.config import ConfigError, load_settings
from mockmarketo.store import SchemaVersionError


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
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    return parser




def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config, {
            "host": args.host, "port": args.port, "database_url": args.database_url,
            "user_id": args.user_id, "secret_key": args.secret_key,
        })
        from mockmarketo.app import MockMarketoApp
        from mockmarketo.server import HttpServer

        app = MockMarketoApp(settings)
        server = HttpServer(app, settings.host, settings.port, threads=args.threads)
    except (ConfigError, SchemaVersionError) as err:
        print(f"mockmarketo: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"mockmarketo: cannot listen on {args.host or settings.host}:{settings.port}: "
              f"{err.strerror or err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - e.g. a database that cannot be reached
        print(f"mockmarketo: cannot start: {type(err).__name__}: {str(err).splitlines()[0]}", file=sys.stderr)
        return 2
    user = settings.credentials[0]
    print(f"mockmarketo {__version__} listening on {server.base_url}", flush=True)
    print(f"  endpoint:   {server.base_url}/soap/mktows/2_9   (any N_N version)", flush=True)
    print(f"  WSDL:       {server.base_url}/soap/mktows/2_9?WSDL", flush=True)
    print(f"  user id:    {user.user_id}", flush=True)
    print(f"  secret key: {user.secret_key}", flush=True)
    print(f"  database:   {settings.database_url}", flush=True)
    server.serve_forever()
    print("mockmarketo stopped", flush=True)
    return 0
