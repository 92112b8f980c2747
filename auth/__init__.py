"""Who may see what: users, login, sessions, the audit log and role policy.

* ``db``: the users database, a small SQLite file beside the warehouse (never
  inside it: every load swaps the warehouse file);
* ``passwords``: argon2id hashing (argon2-cffi);
* ``throttle``: refusing rapid failed logins, per user and per address;
* ``users``: the user store and ``authenticate``;
* ``sessions``: a logged-in session and its inactivity timeout;
* ``audit``: the append-only record of logins, row-level views, downloads, loads;
* ``policy``: which pages each role opens, whether it sees personal data, and
  the districts it may see (``scoped_filters``);
* ``cli``: ``python -m auth add|disable|enable|reset-password|list``.

Nothing here imports Streamlit: the login form is ``ui/login.py``. Every
function that depends on the time takes ``now`` (a clock) so tests never sleep.
"""
