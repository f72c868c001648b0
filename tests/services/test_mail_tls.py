"""The mail server's security settings against a real aiosmtpd server with a certificate of its own: STARTTLS
with a login, and TLS from the start. The test's certificate comes from a test authority (trustme), trusted through
SSL_CERT_FILE, so the certificate is verified as it is in production."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import SecretStr

from scheduler.services.mail import deliver, envelope
from scheduler.services.mail_text import Letter
from scheduler.settings import Settings
from tests.smtp_server import _Handler, free_port

LETTER = Letter("en", "Moved: a group", "The session is moved.\n", "The session is moved.")
NOW = datetime(2027, 1, 10, 10, tzinfo=UTC)


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A server context with a certificate for 127.0.0.1 from a test authority (trustme), which the client
    side trusts through SSL_CERT_FILE as it would a county's own authority."""
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


@contextmanager
def _serve(handler: _Handler, **options: Any) -> Iterator[int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def test_starttls_with_a_login(certificate: ssl.SSLContext) -> None:
    handler, logins = _Handler(), []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=True)

    with _serve(handler, tls_context=certificate, require_starttls=True, authenticator=authenticator) as port:
        settings = Settings(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="starttls",
            smtp_user="tarjotin",
            smtp_password=SecretStr("s3cret"),
        )
        deliver(settings, envelope(settings, "anna@county.example", LETTER, NOW))
    assert logins == [(b"tarjotin", b"s3cret")]
    assert [m.rcpt_tos for m in handler.arrived] == [("anna@county.example",)]


def test_tls_from_the_start(certificate: ssl.SSLContext) -> None:
    handler = _Handler()
    with _serve(handler, ssl_context=certificate) as port:
        settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="tls")
        deliver(settings, envelope(settings, "aino@county.example", LETTER, NOW))
    assert handler.arrived[0].message["Subject"] == "Moved: a group"


def test_an_untrusted_certificate_is_refused(certificate: ssl.SSLContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")
    with _serve(_Handler(), tls_context=certificate, require_starttls=True) as port:
        settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="starttls")
        with pytest.raises(ssl.SSLCertVerificationError):
            deliver(settings, envelope(settings, "anna@county.example", LETTER, NOW))
