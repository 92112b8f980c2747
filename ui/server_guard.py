"""Guard the two HTTP routes of Streamlit's server that no page run sees.

The app's login (``ui/login.py``) guards everything a page draws, but
Streamlit's server answers two kinds of request by itself, outside any
script run (issue 14):

* ``/_stcore/metrics``: the server's own statistics (sessions, caches,
  memory), to anyone. The app does not use them and Streamlit's frontend
  never asks for them, so the route is off: it answers 404.
* ``/media/<file id>``: the bytes of a download button's file (and of any
  image, audio or video a page shows). Served only to a request while a
  session that holds the file is logged in, and from the browser of that
  session: otherwise 404, the answer for a file that does not exist.

How a media request is judged (``may_fetch``):

1. The sessions holding the file: those Streamlit's media file manager lists
   for it (files a page run added), and the session that asked for a deferred
   download's file (a ``st.download_button`` whose ``data`` is a callable, as
   every download of this app is: Streamlit makes the file when the button is
   clicked and keeps no link to the session, so ``install`` records it).
2. Each of them must still be connected (``Runtime.get_app_session``) and hold
   a login in force (``ui.login.holds_login``: not idle too long, the user not
   disabled or changed), so after logout, expiry or the end of the session the
   URL answers 404.
3. The request must come from that session's browser: its XSRF cookie carries
   the same token as the one the session's websocket connected with. A URL
   copied out of the browser (a log, a history, another machine) is useless.
   With XSRF protection off (it is on, ``.streamlit/config.toml``) this step
   cannot be made and is skipped.

``install`` wraps the Starlette app Streamlit builds (``create_starlette_app``
as ``starlette_server`` calls it) in ``ServerGuard``, and the deferred
download handler so it records which session asked. Both are Streamlit
internals (1.67, pinned): ``install`` refuses to start the server when one
is missing rather than run unguarded, and ``tests/test_browser_endpoints.py``
checks the guard on a real server.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from streamlit import config
from streamlit.url_util import make_url_path

from ui import login

log = logging.getLogger(__name__)

METRICS_ROUTE = "_stcore/metrics"
MEDIA_ROUTE = "media"
XSRF_COOKIE = "_streamlit_xsrf"  # Streamlit's name (starlette_server_config.XSRF_COOKIE_NAME)
GRANTS_MAX = 10_000  # deferred files remembered at once; the oldest go first


class DeferredGrants:
    """Which session asked for each deferred download's file (file id ->
    session ids), filled when Streamlit makes the file."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_file: dict[str, set[str]] = {}

    def add(self, file_id: str, session_id: str) -> None:
        with self._lock:
            self._by_file.setdefault(file_id, set()).add(session_id)
            while len(self._by_file) > GRANTS_MAX:
                del self._by_file[next(iter(self._by_file))]

    def holders(self, file_id: str) -> set[str]:
        with self._lock:
            return set(self._by_file.get(file_id, ()))

    def forget_sessions(self, alive: Callable[[str], bool]) -> None:
        """Drop the sessions that are gone (``alive`` false) and files left with none."""
        with self._lock:
            for file_id in list(self._by_file):
                kept = {s for s in self._by_file[file_id] if alive(s)}
                if kept:
                    self._by_file[file_id] = kept
                else:
                    del self._by_file[file_id]


GRANTS = DeferredGrants()


def file_id_of(name: str) -> str:
    """The file id in a media URL's last part (``<id>.csv`` -> ``<id>``), as
    Streamlit's in-memory media storage reads it."""
    return os.path.splitext(name.rsplit("/", 1)[-1])[0]


def _media_sessions(media_file_mgr: Any, file_id: str) -> set[str]:
    """Sessions whose page runs added ``file_id`` (Streamlit's own record)."""
    with media_file_mgr._lock:
        by_session = media_file_mgr._files_by_session_and_coord
        return {sid for sid, files in by_session.items() if file_id in files.values()}


def xsrf_token(cookie: str | None) -> bytes | None:
    """The token inside a ``_streamlit_xsrf`` cookie (its mask differs each
    time the cookie is set; the token does not)."""
    if not cookie:
        return None
    from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

    token, _ = decode_xsrf_token_string(cookie)
    return token


def _same_browser(runtime: Any, session_id: str, request_token: bytes | None) -> bool:
    if not config.get_option("server.enableXsrfProtection"):
        return True
    client = runtime.get_client(session_id)
    context = getattr(client, "client_context", None)
    if context is None or request_token is None:
        return False
    return xsrf_token(context.cookies.get(XSRF_COOKIE)) == request_token


def _logged_in(app_session: Any) -> bool:
    try:
        value = app_session.session_state[login.KEY_SESSION]
    except KeyError:
        return False
    return login.holds_login(value)


def may_fetch(runtime: Any, file_id: str, xsrf_cookie: str | None) -> bool:
    """Whether a request with ``xsrf_cookie`` may have media file ``file_id``
    (see the module's docstring). Any failure refuses."""
    try:
        holders = _media_sessions(runtime.media_file_mgr, file_id) | GRANTS.holders(file_id)
        token = xsrf_token(xsrf_cookie)
        for session_id in sorted(holders):
            app_session = runtime.get_app_session(session_id)
            if (
                app_session is not None
                and _same_browser(runtime, session_id, token)
                and _logged_in(app_session)
            ):
                return True
    except Exception:  # a Streamlit internal that changed: refuse, say why in the log
        log.exception("cannot tell who holds media file %s: refused", file_id)
    return False


class ServerGuard:
    """ASGI middleware around Streamlit's Starlette app: ``/_stcore/metrics``
    answers 404; ``/media/...`` answers 404 unless ``may_fetch``."""

    def __init__(self, app: ASGIApp, runtime: Any) -> None:
        self.app = app
        self.runtime = runtime
        base = config.get_option("server.baseUrlPath") or ""
        self.metrics_path = make_url_path(base, METRICS_ROUTE)
        self.media_prefix = make_url_path(base, MEDIA_ROUTE) + "/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope.get("path", "")
            if path.rstrip("/") == self.metrics_path:
                await _not_found(scope, receive, send)
                return
            if path.startswith(self.media_prefix):
                file_id = file_id_of(path[len(self.media_prefix) :])
                cookie = Request(scope).cookies.get(XSRF_COOKIE)
                allowed = await to_thread.run_sync(may_fetch, self.runtime, file_id, cookie)
                if not allowed:
                    await _not_found(scope, receive, send)
                    return
        await self.app(scope, receive, send)


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)


def _missing(names: Iterable[tuple[object, str]]) -> list[str]:
    """The attributes of ``names`` (owner, attribute) that are not there."""
    return [name for owner, name in names if not hasattr(owner, name)]


_installed = False


def install() -> None:
    """Put the guard in place before the server starts (``ui.serve.main``).

    Raises RuntimeError, and the dashboard does not start, when the Streamlit
    internals it hooks are not there (a Streamlit other than the pinned one)."""
    global _installed
    if _installed:
        return
    from streamlit.runtime import backend_operation_handler
    from streamlit.web.server.starlette import starlette_server

    handler_class = backend_operation_handler.DeferredFileHandler
    missing = _missing([(starlette_server, "create_starlette_app"), (handler_class, "handle")])
    if missing:
        raise RuntimeError(
            f"ui.server_guard: this Streamlit has no {', '.join(missing)}; "
            "/_stcore/metrics and /media/ would be unguarded, so the dashboard does not start"
        )

    create_app = starlette_server.create_starlette_app

    def guarded_app(runtime: Any) -> ASGIApp:
        manager = runtime.media_file_mgr
        gaps = _missing([(manager, "_lock"), (manager, "_files_by_session_and_coord")])
        if gaps:
            raise RuntimeError(
                f"ui.server_guard: this Streamlit's media file manager has no {', '.join(gaps)}"
            )
        return ServerGuard(create_app(runtime), runtime)

    handle = handler_class.handle

    async def recorded_handle(self: Any, request: Any, session_id: str) -> Any:
        response = await handle(self, request, session_id)
        url = response.deferred_file.url if response.HasField("deferred_file") else ""
        if url:
            _record_grant(file_id_of(url), session_id)
        return response

    starlette_server.create_starlette_app = guarded_app
    handler_class.handle = recorded_handle
    _installed = True


def _record_grant(file_id: str, session_id: str) -> None:
    from streamlit import runtime

    if runtime.exists():
        GRANTS.forget_sessions(runtime.get_instance().is_active_session)
    GRANTS.add(file_id, session_id)
