"""``python -m auth``: manage the dashboard's users without editing files.

    python -m auth add USERNAME --role ROLE [--district D | --region R] [--name "Full name"]
                       [--oidc-email ADDRESS] [--oidc-subject SUB]
    python -m auth link USERNAME [--oidc-email ADDRESS] [--oidc-subject SUB] | --unlink
    python -m auth reset-password USERNAME
    python -m auth disable USERNAME      /  python -m auth enable USERNAME
    python -m auth list
    python -m auth audit [--limit N] [--user USERNAME] [--action ACTION]
    python -m auth demo                  (demo installs only: the demo-... users)

Passwords are asked for twice at the terminal (never echoed, never an
argument: arguments show in ``ps`` and shell history), read from the first
line of standard input with ``--password-stdin``, or made up with
``--generate`` and printed once. There is no default password: the first
admin is created with ``add ... --role admin``.

Single sign-on (``auth.oidc``): ``--oidc-email``/``--oidc-subject`` link a
user to the identity an OpenID Connect provider asserts. A user added with
an identity and no password option gets no password: they can only sign in
through the provider (``reset-password`` gives them one later).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from auth import audit, policy, users
from auth.db import users_db_path
from auth.passwords import GENERATED_LENGTH, MIN_LENGTH, generate_password

KARACHI = ZoneInfo("Asia/Karachi")


def _password_options(parser: argparse.ArgumentParser) -> None:
    how = parser.add_mutually_exclusive_group()
    how.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )
    how.add_argument(
        "--generate",
        action="store_true",
        help=f"make up a {GENERATED_LENGTH}-character password and print it once",
    )


def _identity_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--oidc-email",
        metavar="ADDRESS",
        help="single sign-on: the email address the provider asserts for this user "
        "(with no password option, the user signs in only this way)",
    )
    parser.add_argument(
        "--oidc-subject",
        metavar="SUB",
        help="single sign-on: the provider's subject id (sub) for this user",
    )


def _read_password(args: argparse.Namespace) -> tuple[str, bool]:
    """(password, generated?)."""
    if args.generate:
        return generate_password(), True
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    if not sys.stdin.isatty():
        raise users.UserError(
            "no terminal to ask for a password: use --password-stdin or --generate"
        )
    first = getpass.getpass(f"Password for {args.username} (at least {MIN_LENGTH} characters): ")
    if getpass.getpass("The same again: ") != first:
        raise users.UserError("the two passwords differ; nothing changed")
    return first, False


def _when(at: object) -> str:
    return "never" if at is None else f"{at.astimezone(KARACHI):%Y-%m-%d %H:%M} PKT"


def _add(args: argparse.Namespace) -> int:
    sso_only = bool(args.oidc_email or args.oidc_subject) and not (
        args.password_stdin or args.generate
    )
    password, generated = (None, False) if sso_only else _read_password(args)
    user = users.add_user(
        args.username,
        password,
        args.role,
        district=args.district,
        region=args.region,
        display_name=args.name or "",
        oidc_email=args.oidc_email,
        oidc_subject=args.oidc_subject,
        path=args.db,
    )
    how = ", single sign-on only" if sso_only else (", single sign-on" if user.sso_linked else "")
    print(f"Added {user.username} ({user.role}, {user.scope_text}{how}).")
    if generated:
        print(f"Password (shown once, give it to them privately): {password}")
    return 0


def _link(args: argparse.Namespace) -> int:
    user = users.link_identity(
        args.username,
        oidc_email=args.oidc_email,
        oidc_subject=args.oidc_subject,
        unlink=args.unlink,
        path=args.db,
    )
    if args.unlink:
        print(f"Unlinked {user.username} from single sign-on; their sign-on sessions end now.")
    else:
        print(f"Linked {user.username} to single sign-on ({_sign_in(user)}).")
    return 0


def _sign_in(user: users.User) -> str:
    """How a user can log in, for ``list``: password, sso (the linked email or
    subject), or both."""
    parts = []
    if user.has_password:
        parts.append("password")
    if user.sso_linked:
        parts.append("sso " + ", ".join(v for v in (user.oidc_email, user.oidc_subject) if v))
    return " + ".join(parts) or "none"


def _reset(args: argparse.Namespace) -> int:
    password, generated = _read_password(args)
    users.reset_password(args.username, password, path=args.db)
    print(f"New password set for {users.normalise_username(args.username)}.")
    if generated:
        print(f"Password (shown once): {password}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    users.set_disabled(args.username, True, path=args.db)
    print(f"Disabled {users.normalise_username(args.username)}; their open sessions end now.")
    return 0


def _enable(args: argparse.Namespace) -> int:
    users.set_disabled(args.username, False, path=args.db)
    print(f"Enabled {users.normalise_username(args.username)}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    rows = users.list_users(path=args.db)
    if not rows:
        print("No users yet. Create the first admin with: python -m auth add NAME --role admin")
        return 0
    print(f"{'username':<20} {'role':<17} {'scope':<28} {'state':<9} {'last login':<20} sign-in")
    for user in rows:
        state = "disabled" if user.disabled else "active"
        print(
            f"{user.username:<20} {user.role:<17} {user.scope_text:<28} {state:<9} "
            f"{_when(user.last_login_at):<20} {_sign_in(user)}"
        )
    return 0


def _audit(args: argparse.Namespace) -> int:
    for entry in audit.entries(
        limit=args.limit, username=args.user, action=args.action, path=args.db
    ):
        print(
            f"{_when(entry.at)}  {entry.username:<20} {entry.action:<16} "
            f"{entry.what}{'  [' + entry.scope + ']' if entry.scope else ''}"
            f"{'  from ' + entry.address if entry.address else ''}"
        )
    return 0


def _demo(args: argparse.Namespace) -> int:
    from auth.demo import demo_text, ensure_demo_users

    print(demo_text(ensure_demo_users(path=args.db)))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m auth",
        description="Manage the dashboard's users (no default users or passwords exist).",
    )
    top.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"users database (default: KP_USERS_DB or {users_db_path()})",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add = commands.add_parser("add", help="create a user", description="Create a user.")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=policy.ROLES)
    scope = add.add_mutually_exclusive_group()
    scope.add_argument("--district", help="a district officer's district")
    scope.add_argument("--region", help="an RPO's police region (district officer role)")
    add.add_argument("--name", help="full name, shown in the app and the load history")
    _identity_options(add)
    _password_options(add)
    add.set_defaults(run=_add)

    link = commands.add_parser(
        "link",
        help="link a user to a single sign-on identity, or unlink them",
        description="Link a user to the email address and/or subject an OpenID Connect "
        "provider asserts (each given replaces the one linked before), or --unlink them.",
    )
    link.add_argument("username")
    _identity_options(link)
    link.add_argument("--unlink", action="store_true", help="remove the user's identity")
    link.set_defaults(run=_link)

    reset = commands.add_parser(
        "reset-password", help="set a new password", description="Set a user's password."
    )
    reset.add_argument("username")
    _password_options(reset)
    reset.set_defaults(run=_reset)

    for name, run, what in (
        ("disable", _disable, "stop a user logging in (ends their sessions)"),
        ("enable", _enable, "let a disabled user log in again"),
    ):
        command = commands.add_parser(name, help=what, description=what.capitalize() + ".")
        command.add_argument("username")
        command.set_defaults(run=run)

    listing = commands.add_parser("list", help="list users", description="List the users.")
    listing.set_defaults(run=_list)

    log = commands.add_parser(
        "audit", help="show the audit log, newest first", description="Show the audit log."
    )
    log.add_argument("--limit", type=int, default=50)
    log.add_argument("--user", help="only this username")
    log.add_argument("--action", choices=sorted(audit.ACTIONS))
    log.set_defaults(run=_audit)

    demo = commands.add_parser(
        "demo",
        help="create the demo users (demo-admin, ...) and print their passwords",
        description="Create one demo user per role, named demo-..., or give existing ones "
        "a new password; print the passwords. KP_DEMO_PASSWORD, when set, is used for all.",
    )
    demo.set_defaults(run=_demo)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except users.UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
