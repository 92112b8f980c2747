"""The login gate: a plain form, the logged-in session, logout, and audit calls.

``dashboard.py`` asks ``current_session()`` first on every run. With nobody
logged in, ``st.navigation`` lists no page the visitor could open and the
frame draws ``login_form()`` instead of any page. The session is kept on the
server (``st.session_state``), never in the browser: a refresh or a new tab
logs in again. Each run re-checks it (``auth.sessions.resume``): idle too
long, disabled, or given another role, and it ends.

The form is a plain ``st.form`` with fields labelled "Username" and
"Password" (clear on submit, so the password never stays in the session).
Everything else (hashing, throttling, auditing the attempt) is in
``auth.users.authenticate``.

Single sign-on: when the secrets' ``[auth]`` section configures an OpenID
Connect provider and the settings' ``login`` is ``oidc`` or ``both``, the
page offers "Log in with <provider>" (``st.login``), beside the form or
(``oidc``) instead of it. When the provider sends the visitor back,
``st.user`` holds their identity; ``auth.oidc`` maps it to a user of our
users database (role and scope from there), or refuses it, and audits
either. Streamlit keeps that identity in a cookie, so logout and an expired
or revoked session also call ``st.logout()``: the next visit asks the
provider again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from auth import audit, oidc, policy, sessions, users
from auth.sessions import LoginSession
from core.config import load_settings
from metrics.filters import Filters

log = logging.getLogger(__name__)

KEY_SESSION = "auth_session"
KEY_NOTICE = "auth_notice"
KEY_AUDITED_PAGE = "auth_audited_page"
KEY_SSO_REFUSED = "auth_sso_refused"  # why this session's identity was refused (not retried)
FORM_KEY = "login_form"

T = TypeVar("T")


def client_address() -> str:
    """The connection's address (``localhost`` for a local browser).

    Streamlit takes it from the WebSocket connection; behind a reverse proxy
    it is the proxy's, so per-address throttling then counts the proxy."""
    try:
        return st.context.ip_address or "localhost"
    except Exception:  # no browser connection (AppTest): nothing to throttle by
        return "localhost"


def current_session() -> LoginSession | None:
    """The logged-in session of this run, or None (after ending it when it
    expired or was revoked: the login form then says why)."""
    session = st.session_state.get(KEY_SESSION)
    if not isinstance(session, LoginSession):
        return _sso_session()
    resumed = sessions.resume(session)
    if resumed.session is None:
        del st.session_state[KEY_SESSION]
        st.session_state.pop(KEY_AUDITED_PAGE, None)
        if resumed.ended == sessions.EXPIRED:
            audit.record(audit.SESSION_EXPIRED, username=session.username, address=client_address())
            st.session_state[KEY_NOTICE] = "Your session expired. Please log in again."
        else:
            st.session_state[KEY_NOTICE] = "Your account changed. Please log in again."
        _leave_provider(session)
        return None
    st.session_state[KEY_SESSION] = resumed.session
    return resumed.session


def holds_login(value: object) -> bool:
    """Whether ``value`` (``KEY_SESSION`` in some session's state, read by
    ``ui.server_guard`` outside that session's runs) is a login still in
    force: not idle too long, its user unchanged. Nothing is touched."""
    return isinstance(value, LoginSession) and sessions.resume(value).session is not None


# ---------------------------------------------------------------------------
# Single sign-on (auth/oidc.py does the mapping; here: Streamlit's side)
# ---------------------------------------------------------------------------


def _auth_secrets() -> object:
    """The secrets' ``[auth]`` section, or None (no secrets file at all)."""
    try:
        return st.secrets.get("auth")
    except Exception:  # no secrets.toml: Streamlit raises rather than returning nothing
        return None


def sso_providers() -> tuple[oidc.Provider, ...]:
    """The providers the login page offers: those the secrets configure,
    none when the settings say ``login: password``."""
    if load_settings().login == "password":
        return ()
    return oidc.providers_from_secrets(_auth_secrets())


def _claims() -> dict[str, Any]:
    """``st.user`` as a dict (empty when Streamlit has none to give)."""
    try:
        return dict(st.user.to_dict())
    except Exception:  # no user info in this context
        return {}


def _sso_session() -> LoginSession | None:
    """A session for the identity ``st.user`` holds, when single sign-on is
    offered and ``auth.oidc`` maps it to an enabled user; else None (a
    refusal is kept for the login page and not tried again in this session)."""
    if KEY_SSO_REFUSED in st.session_state or not sso_providers():
        return None
    identity = oidc.identity_from_claims(_claims())
    if identity is None:
        return None
    result = oidc.authenticate_identity(identity, address=client_address())
    if not result.ok or result.user is None:
        st.session_state[KEY_SSO_REFUSED] = result.message
        return None
    session = sessions.start(result.user, method=sessions.SSO)
    st.session_state[KEY_SESSION] = session
    return session


def _leave_provider(session: LoginSession | None) -> None:
    """Drop Streamlit's identity cookie (``st.logout()``) when this session
    came from single sign-on or the browser holds an identity: otherwise the
    next page run would log the same person in again without asking."""
    if (session is not None and session.method == sessions.SSO) or _claims().get(
        "is_logged_in"
    ) is True:
        st.logout()


def current_role() -> str | None:
    session = logged_in()
    return session.role if session else None


def logged_in() -> LoginSession | None:
    """The session ``current_session`` checked earlier in this run (not checked again)."""
    value = st.session_state.get(KEY_SESSION)
    return value if isinstance(value, LoginSession) else None


def scoped(f: Filters) -> Filters:
    """``f`` narrowed to the logged-in user's districts (nobody logged in:
    to nothing).

    Outside a script run (a download button's data built when it is
    clicked, in Streamlit's request handler, where there is no session
    state) ``f`` is returned as it is: it came from ``frame.page_filters()``
    during the page's run, so it already carries the user's scope."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return f
    return policy.scoped_filters(logged_in(), f)


def scoped_arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A query's arguments with every ``Filters`` among them ``scoped``."""
    return (
        tuple(scoped(a) if isinstance(a, Filters) else a for a in args),
        {k: scoped(v) if isinstance(v, Filters) else v for k, v in kwargs.items()},
    )


def allowed_districts() -> tuple[str, ...] | None:
    """The districts the logged-in user may see (None: all of them)."""
    session = logged_in()
    if session is None:
        return ()
    return policy.scope_districts(session.role, session.scope_kind, session.scope_value)


def login_form() -> bool:
    """The login page: title, a notice if the session just ended, the form.

    Returns True when the person has just logged in (the session is
    started): the caller then leaves this run for the page (``frame.gate``).
    """
    st.title("KP Police Outreach", anchor=False)
    notice = st.session_state.pop(KEY_NOTICE, None)
    if notice:
        st.info(notice)
    if not _sso_buttons():
        return False
    with st.form(FORM_KEY, clear_on_submit=True, enter_to_submit=True):
        username = st.text_input("Username", autocomplete="username", max_chars=80)
        password = st.text_input(
            "Password", type="password", autocomplete="current-password", max_chars=256
        )
        submitted = st.form_submit_button("Log in", type="primary")
    if not users.list_users():
        st.caption(
            "No users yet. Create the first administrator on the server with "
            "`python -m auth add NAME --role admin`, or demo users with "
            "`python -m auth demo`."
        )
    if not submitted:
        return False
    result = users.authenticate(username, password, address=client_address())
    if not result.ok or result.user is None:
        st.error(result.message)
        return False
    st.session_state[KEY_SESSION] = sessions.start(result.user)
    return True


def _sso_buttons() -> bool:
    """The single sign-on part of the login page: why an identity was
    refused, and a "Log in with <provider>" button per provider. Returns
    whether the password form is drawn too (not for ``login: oidc`` with a
    provider configured)."""
    mode = load_settings().login
    providers = sso_providers()
    refused = st.session_state.get(KEY_SSO_REFUSED)
    if refused:
        st.error(refused, icon=":material/block:")
        if _claims().get("is_logged_in") is True:
            st.button("Sign out of the provider", key="auth_sso_logout", on_click=st.logout)
    for provider in providers:
        if st.button(
            provider.button,
            key=f"auth_sso_{provider.name or 'default'}",
            type="primary" if mode == "oidc" else "secondary",
            icon=":material/login:",
        ):
            st.login(provider.name)
    if mode == "oidc" and providers:
        return False
    if mode == "oidc":
        st.warning(
            "Single sign-on is switched on (login: oidc in the settings), but the "
            "secrets configure no provider in [auth]: log in with a password."
        )
    elif providers:
        st.caption("Or log in with your dashboard username and password:")
    return True


def logout() -> None:
    session = st.session_state.pop(KEY_SESSION, None)
    st.session_state.pop(KEY_AUDITED_PAGE, None)
    if isinstance(session, LoginSession):
        audit.record(audit.LOGOUT, username=session.username, address=client_address())
    _leave_provider(session if isinstance(session, LoginSession) else None)


def sidebar_account(session: LoginSession) -> None:
    """Who is logged in (name, role, scope) and the logout button, in the sidebar."""
    rules = policy.policy_of(session.role)
    with st.sidebar:
        st.caption(f":material/person: {session.label} · {rules.label} · {session.scope_text}")
        st.button("Log out", key="auth_logout", on_click=logout, icon=":material/logout:")


def audit_page_view(session: LoginSession, page_key: str) -> None:
    """Record a view of a row-level page, once per page visit (not per rerun)."""
    rule = policy.PAGES.get(page_key)
    if rule is None or not rule.row_level:
        st.session_state[KEY_AUDITED_PAGE] = page_key
        return
    if st.session_state.get(KEY_AUDITED_PAGE) == page_key:
        return
    st.session_state[KEY_AUDITED_PAGE] = page_key
    audit.record(
        audit.VIEW_ROWS,
        username=session.username,
        what=f"page {rule.title}",
        scope=session.scope_text,
        address=client_address(),
    )


def audit_event(action: str, what: str) -> None:
    """Record a download, a load or a rollback by the logged-in user."""
    session = logged_in()
    username = session.username if session else "(nobody)"
    scope = session.scope_text if session else ""
    audit.record(action, username=username, what=what, scope=scope, address=client_address())


def refuse(session: LoginSession | None, page_key: str) -> None:
    """Say a page is not open to this user, and audit the attempt."""
    st.error("This page is not available to your account.", icon=":material/block:")
    if session is not None:
        audit.record(
            audit.PAGE_REFUSED,
            username=session.username,
            what=f"page {page_key}",
            scope=session.scope_text,
            address=client_address(),
        )


def loader_name() -> str:
    """Who loads and rolls back on the Data page: the logged-in username."""
    session = logged_in()
    return session.username if session else "(nobody)"


def audited_download(what: str, build: Callable[[], T]) -> Callable[[], T]:
    """``build`` for a ``st.download_button``'s ``data``, recording the
    download in the audit log when the button is clicked (the data is built
    then, not on every page run)."""
    session = logged_in()

    def audited() -> T:
        audit.record(
            audit.DOWNLOAD,
            username=session.username if session else "(nobody)",
            what=what,
            scope=session.scope_text if session else "",
        )
        return build()

    return audited
