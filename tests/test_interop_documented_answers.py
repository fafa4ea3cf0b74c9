"""The five real clients read the documented success answer of every operation (tests/interop/
documented_answers.py: the shapes of the facts' verbatim responses) as the case's check in
tests/interop/cases.py expects it. This proves the checks of tests/test_interop_operations.py against
Marketo's shapes before mockmarketo emulates the operation, and the drivers' reading of every answer
type of the WSDL. The answers come from a canned endpoint that serves mockmarketo's WSDL; marker
`interop`.
"""

from __future__ import annotations

import re
import threading

import pytest
from waitress.server import create_server

from mockmarketo.soap.operations import OPERATIONS, operation_of_element
from mockmarketo.soap.wsdl import wsdl_for
from tests.interop.cases import CASES, DEVIATIONS, plain
from tests.interop.documented_answers import ANSWERS
from tests.interop.drivers import CLIENT_NAMES, Drivers

pytestmark = pytest.mark.interop

_REQUEST_ELEMENT = re.compile(rb"<(?:\w+:)?(params\w+)")


def canned_endpoint(environ, start_response):
    """GET: mockmarketo's WSDL; POST: the documented answer of the operation the request names."""
    url = f"http://{environ['HTTP_HOST']}{environ['PATH_INFO']}"
    if environ["REQUEST_METHOD"] == "GET":
        body = wsdl_for(url)
    else:
        request = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        body = ANSWERS[operation_of_element(_REQUEST_ELEMENT.search(request).group(1).decode())]
    start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture(scope="module")
def drivers():
    server = create_server(canned_endpoint, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    started = Drivers(f"http://127.0.0.1:{server.effective_port}/soap/mktows/2_9", "user", "key")
    yield started
    started.close()
    server.close()


def test_every_operation_has_a_documented_answer():
    assert sorted(ANSWERS) == sorted(OPERATIONS)


@pytest.mark.parametrize("client", CLIENT_NAMES)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_client_reads_the_documented_answer_as_the_case_checks_it(drivers, operation, client):
    request = DEVIATIONS.get((client, operation), CASES[operation]).request
    answer = drivers[client].call(operation, request)
    assert (answer["ok"], answer["fault_code"]) == (True, None)
    CASES[operation].check(plain(answer["response"]))
