"""The baseline for bench/http_throughput.py: a bare werkzeug + lxml WSGI app that parses a syncLead
envelope and answers a fixed successSyncLead, served by the same server code as mockmarketo.

    python bench/baseline_app.py --http-server gunicorn --workers 1 --threads 8 --port 0
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from lxml import etree
from werkzeug.wrappers import Request, Response

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mockmarketo.config import HTTP_SERVERS, Settings  # noqa: E402
from mockmarketo.server import serve  # noqa: E402

_RESPONSE = ('<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/'
             'soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Body><ns1:successSyncLead>'
             '<result><leadId>{id}</leadId><syncStatus><leadId>{id}</leadId><status>CREATED</status></syncStatus>'
             '</result></ns1:successSyncLead></SOAP-ENV:Body></SOAP-ENV:Envelope>')


class BaselineApp:
    """Parses the body (as any SOAP server must) and answers; no auth, dispatch or storage."""

    def __init__(self):
        self._ids = itertools.count(1000001)

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.method == "POST":
            document = etree.fromstring(request.get_data(), etree.XMLParser(resolve_entities=False))
            email = document.findtext(".//Email")
            body = _RESPONSE.format(id=next(self._ids)) if email else "no Email"
            response = Response(body, content_type="text/xml; charset=utf-8")
        else:
            response = Response('{"status": "ok"}', content_type="application/json")
        return response(environ, start_response)

    def close(self) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--http-server", choices=HTTP_SERVERS, default="waitress")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    settings = Settings(host=args.host, port=args.port, http_server=args.http_server, workers=args.workers,
                        threads=args.threads, database_url="")  # no database: any worker count
    serve(settings, BaselineApp, lambda url: print(f"baseline listening on {url}", flush=True))


if __name__ == "__main__":
    main()
