"""The session cookie: signed with a key from the admin token, tamper-evident, expiring."""

from __future__ import annotations

from sluiceway.api.auth import AdminToken
from sluiceway.ui.session import Credentials, SessionSigner

TOKEN = AdminToken("ui-test-admin-token-0123456789", False, "test")


def test_a_signed_session_reads_back_with_its_csrf_token() -> None:
    signer = SessionSigner(TOKEN)
    session = signer.new_session("admin")
    assert signer.loads(signer.dumps(session)) == session


def test_a_tampered_or_foreign_cookie_is_no_session() -> None:
    signer = SessionSigner(TOKEN)
    cookie = signer.dumps(signer.new_session("admin"))
    payload, _, signature = cookie.partition(".")
    assert signer.loads(payload + "x." + signature) is None
    other = SessionSigner(AdminToken("another-admin-token-0123456789", False, "test"))
    assert other.loads(cookie) is None
    assert signer.loads("garbage") is None


def test_an_expired_session_is_no_session() -> None:
    signer = SessionSigner(TOKEN, max_age=-1)
    assert signer.loads(signer.dumps(signer.new_session("admin"))) is None


def test_password_login_needs_both_settings() -> None:
    none = Credentials.from_environ(TOKEN, {})
    assert not none.check_password("", "")
    both = Credentials.from_environ(
        TOKEN, {"SLUICEWAY_UI_USER": "ann", "SLUICEWAY_UI_PASSWORD": "s3cret-pass"}
    )
    assert both.check_password("ann", "s3cret-pass")
    assert not both.check_password("ann", "wrong")
    assert both.check_token(TOKEN.value) and not both.check_token("")
