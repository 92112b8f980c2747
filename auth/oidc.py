"""Single sign-on: an OpenID Connect identity mapped to a dashboard user.

Where the deployment has an OpenID Connect provider, Streamlit's own
``st.login`` does the protocol (Authlib) and hands the app the provider's
claims as ``st.user``. This module decides, without Streamlit, what those
claims may open:

* ``providers_from_secrets``: which providers the ``[auth]`` section of the
  secrets configures (the unnamed default one, and ``[auth.NAME]`` ones), in
  the shape ``st.login`` needs, so the login page can offer a button for each;
* ``identity_from_claims``: the claims the mapping uses (provider, subject,
  email, whether the email is verified, when the token was issued);
* ``authenticate_identity``: the identity mapped to a user of our users
  database, linked by ``python -m auth add|link --oidc-email/--oidc-subject``.
  The role and the district scope always come from our database, never from
  the provider. Refused: an identity linked to no user, a disabled user, an
  email the provider says is not verified, and a sign-in issued more than
  ``sessions.MAX_AGE`` ago (Streamlit keeps the identity in a cookie for 30
  days; the dashboard accepts it for as long as a password login lasts).
  Every outcome is audited.

The provider proves who someone is; the users database says what they may
see. Nothing here can create a user or widen a role.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from auth import audit
from auth.clock import Clock, as_text, utc_now
from auth.db import connect, transaction
from auth.sessions import MAX_AGE
from auth.users import User, find_by_identity, normalise_email
from core.privacy import keyed_hash

# The keys Streamlit requires of a provider (``validate_auth_credentials``).
PROVIDER_KEYS: tuple[str, ...] = ("client_id", "client_secret", "server_metadata_url")
SHARED_KEYS: tuple[str, ...] = ("redirect_uri", "cookie_secret")
DEFAULT_LABEL = "single sign-on"
# Streamlit refuses provider names with "_"; keep to what a button can say.
_PROVIDER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Provider:
    """A provider the login page offers: ``name`` for ``st.login(name)``
    (None: the unnamed default provider) and the words on its button."""

    name: str | None
    label: str

    @property
    def button(self) -> str:
        return f"Log in with {self.label}"


def providers_from_secrets(auth_section: object) -> tuple[Provider, ...]:
    """The providers an ``[auth]`` secrets section configures completely.

    Nothing (an empty tuple) when the section is missing or lacks
    ``redirect_uri``/``cookie_secret``; a named provider missing one of
    ``PROVIDER_KEYS``, or with a name Streamlit refuses, is left out."""
    if not isinstance(auth_section, Mapping):
        return ()
    if any(not auth_section.get(key) for key in SHARED_KEYS):
        return ()
    found: list[Provider] = []
    if all(auth_section.get(key) for key in PROVIDER_KEYS):
        found.append(Provider(None, DEFAULT_LABEL))
    for name, section in auth_section.items():
        if (
            isinstance(section, Mapping)
            and name != "client_kwargs"
            and _PROVIDER_NAME.match(str(name))
            and all(section.get(key) for key in PROVIDER_KEYS)
        ):
            found.append(Provider(str(name), str(name).replace("-", " ").title()))
    return tuple(found)


@dataclass(frozen=True)
class Identity:
    """What the mapping reads from a provider's claims."""

    provider: str
    subject: str | None
    email: str | None
    email_verified: bool | None
    issued_at: datetime | None


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _verified(value: object) -> bool | None:
    """``email_verified`` as the provider sent it (some send "true" as text);
    None when it says nothing."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _issued_at(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def identity_from_claims(claims: Mapping[str, object]) -> Identity | None:
    """The identity in ``st.user``'s claims; None unless it says the
    visitor is logged in through a provider."""
    if claims.get("is_logged_in") is not True:
        return None
    email = _text(claims.get("email"))
    return Identity(
        provider=_text(claims.get("provider")) or "default",
        subject=_text(claims.get("sub")),
        email=normalise_email(email) if email else None,
        email_verified=_verified(claims.get("email_verified")),
        issued_at=_issued_at(claims.get("iat")),
    )


OK, UNLINKED, DISABLED, UNVERIFIED, EXPIRED, NO_IDENTITY = (
    "ok",
    "unlinked",
    "disabled",
    "unverified",
    "expired",
    "no_identity",
)

_MESSAGES = {
    UNLINKED: "You signed in, but no dashboard account is linked to that identity. "
    "Ask an administrator to link it (python -m auth link).",
    DISABLED: "Your dashboard account is disabled. Ask an administrator.",
    UNVERIFIED: "Your provider has not verified your email address, so it cannot "
    "open a dashboard account.",
    EXPIRED: "Your single sign-on has expired. Please log in again.",
    NO_IDENTITY: "Your provider sent neither an email address nor a subject id.",
}


@dataclass(frozen=True)
class SsoResult:
    """The outcome of mapping an identity; ``message`` is what the login
    page shows when it is refused."""

    outcome: str
    user: User | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == OK

    @property
    def message(self) -> str:
        return _MESSAGES.get(self.outcome, "")


def _unknown(identity: Identity) -> str:
    """How an identity linked to no user goes into the audit log: a keyed
    hash, never the email itself (repeat attempts stay countable)."""
    key = identity.subject or identity.email or ""
    return f"unknown identity #{keyed_hash(key, 'audit-oidc')[:12]}"


def authenticate_identity(
    identity: Identity,
    *,
    address: str | None = None,
    path: Path | None = None,
    now: Clock = utc_now,
    max_age: timedelta = MAX_AGE,
) -> SsoResult:
    """Map a provider's identity to an enabled user of the users database,
    and audit the outcome (``login`` or ``login_failed``, the provider and
    the reason in ``what``)."""
    at = now()
    how = f"single sign-on ({identity.provider})"
    with connect(path) as con:
        user = find_by_identity(con, email=None, subject=identity.subject)
        if user is None and identity.email and identity.email_verified is not False:
            user = find_by_identity(con, email=identity.email, subject=None)
        if user is None:
            if not (identity.subject or identity.email):
                outcome = NO_IDENTITY
            elif identity.email and identity.email_verified is False:
                outcome = UNVERIFIED
            else:
                outcome = UNLINKED
            audit.record_in(
                con,
                audit.LOGIN_FAILED,
                username=_unknown(identity),
                what=f"{how}: {outcome.replace('_', ' ')}",
                address=address,
                at=at,
            )
            return SsoResult(outcome)
        refused = None
        if user.disabled:
            refused = DISABLED
        elif identity.issued_at is not None and at - identity.issued_at > max_age:
            refused = EXPIRED
        if refused is not None:
            audit.record_in(
                con,
                audit.LOGIN_FAILED,
                username=user.username,
                what=f"{how}: {refused}",
                address=address,
                at=at,
            )
            return SsoResult(refused)
        with transaction(con):
            con.execute(
                "update users set last_login_at = ? where username = ?",
                [as_text(at), user.username],
            )
            audit.record_in(
                con,
                audit.LOGIN,
                username=user.username,
                what=how,
                scope=user.scope_text,
                address=address,
                at=at,
            )
    return SsoResult(OK, user=user)
