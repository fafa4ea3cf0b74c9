"""The bare baseline every benchmark compares against: werkzeug + lxml parsing the same syncLead
envelope (safe parser, header fields read, HMAC checked, Email and attributes read) and answering a
canned successSyncLead. It does none of mockmarketo's real work (no dispatch, store or matching).

In process: `make_baseline_app(secret_key)`. Served by the same server code as mockmarketo (for
bench/http_throughput.py):

    python -m bench.baseline --http-server waitress --workers 1 --threads 8 --port 0
"""

from __future__ import annotations

import argparse
import hashlib
import hmac

from lxml import etree
from werkzeug.wrappers import Request, Response

NS = "http://www.marketo.com/mktows/"
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
CANNED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/'
          b'soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com'
          b'/mktows/"><SOAP-ENV:Body><ns1:successSyncLead><result><leadId>1000001</leadId><syncStatus><leadId>'
          b'1000001</leadId><status>UPDATED</status><error xsi:nil="true"/></syncStatus><leadRecord xsi:nil="true"/>'
          b'</result></ns1:successSyncLead></SOAP-ENV:Body></SOAP-ENV:Envelope>\n')


def _signed(root, secret_key: str) -> bool:
    """Whether the envelope's AuthenticationHeader carries the right HMAC-SHA1 signature."""
    auth = root.find(f".//{{{NS}}}AuthenticationHeader")
    user_id = auth.findtext("mktowsUserId")
    timestamp = auth.findtext("requestTimestamp")
    expected = hmac.new(secret_key.encode(), (timestamp + user_id).encode(), hashlib.sha1).hexdigest()
    return hmac.compare_digest(expected, auth.findtext("requestSignature").lower())


def _shape(element) -> tuple:
    return (element.tag, dict(element.attrib), element.text, [_shape(child) for child in element])


def _build(shape, parent=None):
    tag, attributes, text, children = shape
    element = etree.Element(tag, attributes, nsmap=_NSMAP) if parent is None else \
        etree.SubElement(parent, tag, attributes)
    element.text = text
    for child in children:
        _build(child, element)
    return element


_NSMAP = {"SOAP-ENV": "http://schemas.xmlsoap.org/soap/envelope/", "xsi": "http://www.w3.org/2001/XMLSchema-instance",
          "ns1": NS}


def make_reading_baseline_app(secret_key: str, answer: bytes):
    """The bare baseline of any operation: the envelope parsed, the signature checked, every element of
    the request read, and `answer` (mockmarketo's own answer to it, taken apart once into Python values)
    built again with lxml and written out."""
    shape = _shape(etree.fromstring(answer))

    @Request.application
    def app(request: Request) -> Response:
        root = etree.fromstring(request.get_data(), _PARSER)
        if not _signed(root, secret_key):
            return Response(b"fault", status=500, content_type="text/xml; charset=utf-8")
        body = root[-1][0]
        _texts = [element.text for element in body.iter()]
        written = b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(_build(shape), encoding="UTF-8")
        return Response(written, content_type="text/xml; charset=utf-8")

    app.close = lambda: None
    return app


def make_baseline_app(secret_key: str):
    @Request.application
    def app(request: Request) -> Response:
        if request.method != "POST":
            return Response('{"status": "ok"}', content_type="application/json")
        root = etree.fromstring(request.get_data(), _PARSER)
        if not _signed(root, secret_key):
            return Response(b"fault", status=500, content_type="text/xml; charset=utf-8")
        record = root.find(f".//{{{NS}}}paramsSyncLead/leadRecord")
        _email = record.findtext("Email")
        _attributes = {a.findtext("attrName"): a.findtext("attrValue") for a in record.iter("attribute")}
        return Response(CANNED, content_type="text/xml; charset=utf-8")

    app.close = lambda: None
    return app


def main() -> None:
    from mockmarketo.config import DEFAULT_SECRET_KEY, HTTP_SERVERS, Settings
    from mockmarketo.server import serve

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--http-server", choices=HTTP_SERVERS, default="waitress")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    settings = Settings(host=args.host, port=args.port, http_server=args.http_server, workers=args.workers,
                        threads=args.threads, database_url="")  # no database: any worker count
    serve(settings, lambda: make_baseline_app(DEFAULT_SECRET_KEY),
          lambda url: print(f"baseline listening on {url}", flush=True))


if __name__ == "__main__":
    main()
