"""TLS (mockmarketo.tls): `--tls-cert/--tls-key`, and `--tls-self-signed`, whose CA file clients trust."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import threading

import pytest

from mockmarketo.config import ConfigError, load_settings
from mockmarketo.server import check_workers
from mockmarketo.tls import check_pair, make_self_signed
from tests.live_server import ServerProcess
from tests.test_repository_files import healthcheck


def handshake(ca_file: str, cert_file: str, key_file: str, server_name: str) -> str:
    """A TLS handshake with a server serving cert/key, from a client that trusts only `ca_file`."""
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def accept():
            connection, _ = listener.accept()
            try:
                with server_context.wrap_socket(connection, server_side=True) as tls:
                    tls.recv(1)
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        client_context = ssl.create_default_context(cafile=ca_file)
        with socket.create_connection(listener.getsockname(), timeout=5) as raw, \
                client_context.wrap_socket(raw, server_hostname=server_name) as tls:
            version = tls.version()
        thread.join(5)
    return version


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    return make_self_signed(tmp_path_factory.mktemp("tls"), ["localhost", "127.0.0.1", "::1", "mock.test"])


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "mock.test"])
def test_a_client_trusting_the_ca_file_verifies_the_self_signed_certificate(self_signed, name):
    assert handshake(self_signed.ca_file, self_signed.cert_file, self_signed.key_file, name).startswith("TLS")


def test_the_certificate_is_not_valid_for_other_names(self_signed):
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(self_signed.ca_file, self_signed.cert_file, self_signed.key_file, "example.com")


def test_the_private_key_is_readable_by_its_owner_only(self_signed):
    assert os.stat(self_signed.key_file).st_mode & 0o777 == 0o600


def test_a_certificate_and_key_that_do_not_load_are_one_line(tmp_path, self_signed):
    (tmp_path / "bad.pem").write_text("not a certificate")
    with pytest.raises(ConfigError) as caught:
        check_pair(str(tmp_path / "bad.pem"), self_signed.key_file, "--tls-cert and --tls-key")
    assert str(caught.value).startswith(f"--tls-cert and --tls-key: cannot load the certificate {tmp_path}/bad.pem "
                                        f"with the key {self_signed.key_file}: ")
    assert "\n" not in str(caught.value)


def test_a_certificate_without_its_key_is_refused():
    with pytest.raises(ConfigError) as caught:
        load_settings(overrides={"tls_cert": "cert.pem"}, environ={})
    assert str(caught.value) == "tls_cert and tls_key: give both (the certificate and its private key) or neither"


def test_tls_is_served_by_gunicorn_and_refused_with_waitress():
    assert load_settings(environ={"MOCKMARKETO_TLS_SELF_SIGNED": "yes"}).chosen_http_server() == "gunicorn"
    settings = load_settings(overrides={"tls_self_signed": True, "http_server": "waitress"}, environ={})
    with pytest.raises(ConfigError) as caught:
        check_workers(settings)
    assert str(caught.value) == ("--http-server: waitress does not serve TLS; leave out --http-server waitress "
                                 "(gunicorn then serves TLS)")


def test_a_tls_variable_that_is_not_a_boolean_is_named():
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"MOCKMARKETO_TLS_SELF_SIGNED": "sure"})
    assert str(caught.value) == "MOCKMARKETO_TLS_SELF_SIGNED: expected true or false, got 'sure'"


@pytest.mark.slow
def test_zeep_over_https_trusting_the_printed_ca_file_syncs_a_lead(tmp_path, monkeypatch):
    """A real client, as clients that hard-code https:// Marketo endpoints need."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):  # requests lets these win over session.verify
        monkeypatch.delenv(name, raising=False)
    import requests
    import zeep
    from zeep.transports import Transport

    from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID
    from mockmarketo.testing import MarketoInstance, MockMarketo

    with ServerProcess(f"sqlite:///{tmp_path}/m.db", "--tls-self-signed") as server:
        [ca_line] = [line for line in server.output if line.startswith("  TLS:")]
        ca_file = ca_line.rsplit(" ", 1)[1].strip()
        assert server.base_url.startswith("https://127.0.0.1:")
        session = requests.Session()
        session.verify = ca_file
        instance = MarketoInstance(MockMarketo(server.base_url), "default", DEFAULT_USER_ID, DEFAULT_SECRET_KEY)
        client = instance.zeep_client(transport=Transport(session=session))
        result = client.service.syncLead(leadRecord={"Email": "tls@example.com"}, returnLead=False)
        assert client.wsdl.services["MktMktowsApiService"].ports["MktowsApiSoapPort"].binding_options[
            "address"] == f"{server.base_url}/soap/mktows/2_9"
        # the image's health check follows the TLS setting
        port = server.base_url.rsplit(":", 1)[1]
        health = subprocess.run([sys.executable, "-c", healthcheck("docker/Dockerfile")], timeout=30,
                                env={**os.environ, "MOCKMARKETO_PORT": port, "MOCKMARKETO_TLS_SELF_SIGNED": "true"})
        assert health.returncode == 0
        assert server.stop() == 0
    assert result.syncStatus.status == "CREATED"
    assert not os.path.exists(ca_file)  # the made certificate goes with the server
