"""TLS for `mockmarketo serve`: Marketo's endpoints were HTTPS, and some clients only speak it.

Either the user's certificate and key (`--tls-cert`/`--tls-key`), checked before serving, or
(`--tls-self-signed`) a certificate made at start: a throw-away certificate authority and a server
certificate it signs for this machine's names (localhost, 127.0.0.1, ::1, the host name, the host
listened on and the public URL's host). Clients trust the CA file, whose path the banner prints; the
files live in a temporary folder removed when the server stops. Making them needs the `cryptography`
package (the `tls` extra), since the standard library cannot.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from mockmarketo.config import ConfigError, Settings

VALID_DAYS = 365


@dataclass(frozen=True)
class Certificate:
    """What the HTTP server serves TLS with; `ca_file` is set for a self-signed certificate."""

    cert_file: str
    key_file: str
    ca_file: str | None = None


def check_pair(cert_file: str, key_file: str, source: str = "tls_cert and tls_key") -> None:
    """ConfigError in one line unless the files hold a certificate and its private key."""
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert_file, key_file)
    except OSError as error:  # ssl.SSLError is an OSError
        detail = error.strerror or getattr(error, "reason", None) or str(error)
        raise ConfigError(f"{source}: cannot load the certificate {cert_file} with the key {key_file}: "
                          f"{detail}") from None


def names_for(settings: Settings) -> list[str]:
    """The names and addresses a self-signed certificate is made for."""
    names = ["localhost", "127.0.0.1", "::1", socket.gethostname()]
    if settings.host not in ("", "0.0.0.0", "::"):
        names.append(settings.host)
    if settings.public_url and urlsplit(settings.public_url).hostname:
        names.append(urlsplit(settings.public_url).hostname)
    return list(dict.fromkeys(name for name in names if name))


def make_self_signed(directory: Path, names: list[str]) -> Certificate:
    """Write ca.pem, cert.pem and key.pem into `directory`: a CA, and a server certificate it signs for
    `names` (host names and IP addresses), valid from yesterday for VALID_DAYS days."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError:
        raise ConfigError("tls_self_signed: making a certificate needs the cryptography package: pip install "
                          "'mockmarketo[tls]' (or pip install cryptography)") from None

    def usage(**granted) -> x509.KeyUsage:
        flags = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                 "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
        return x509.KeyUsage(**{flag: granted.get(flag, False) for flag in flags})

    now = datetime.now(timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mockmarketo self-signed CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=VALID_DAYS))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(usage(key_cert_sign=True, crl_sign=True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    alternative = []
    for name in names:
        try:
            alternative.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternative.append(x509.DNSName(name))
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(digital_signature=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    files = Certificate(str(directory / "cert.pem"), str(directory / "key.pem"), str(directory / "ca.pem"))
    Path(files.ca_file).write_bytes(ca.public_bytes(pem))
    Path(files.cert_file).write_bytes(cert.public_bytes(pem))
    key_path = Path(files.key_file)
    key_path.touch(mode=0o600)
    key_path.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return files


@contextmanager
def certificate(settings: Settings) -> Iterator[Certificate | None]:
    """The certificate to serve with (None without TLS); a self-signed one is removed afterwards."""
    if settings.tls_cert:
        check_pair(settings.tls_cert, settings.tls_key,
                   f"{settings.source('tls_cert')} and {settings.source('tls_key')}")
        yield Certificate(settings.tls_cert, settings.tls_key)
    elif settings.tls_self_signed:
        directory = Path(tempfile.mkdtemp(prefix="mockmarketo-tls-"))
        try:
            yield make_self_signed(directory, names_for(settings))
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    else:
        yield None
