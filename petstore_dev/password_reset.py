"""Forgot-password for the local user pool, as Cognito does it: a one-time code "sent" to the user, then a new password.

The emulator's own ConfirmForgotPassword accepts any code that doesn't look like one it issued, and hands
its code back in a response header; neither may reach a browser. Locally, the stack issues its own
six-digit code, prints it on its console (the stand-in for the e-mail Cognito would send), and on a
matching code sets the new password through the emulator's admin API, which applies the pool's policy.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CODE_TTL_SECONDS = 3600  # Cognito's codes are valid for one hour
MAX_ATTEMPTS = 5


class ResetRefused(Exception):
    """Cognito's answer to a bad confirmation: its error type and message."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


@dataclass
class _Pending:
    code: str
    expires: float
    attempts: int = 0


class PasswordResets:
    def __init__(
        self,
        cognito: Any,
        user_pool_id: str,
        announce: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cognito = cognito
        self._pool = user_pool_id
        self._announce = announce
        self._clock = clock
        self._pending: dict[tuple[str, str], _Pending] = {}
        self._lock = threading.Lock()

    def start(self, client_id: str, username: str) -> None:
        """A reset was asked for an existing user: issue a code (replacing any earlier one) and print it."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self._lock:
            self._pending[(client_id, username)] = _Pending(code, self._clock() + CODE_TTL_SECONDS)
        self._announce(f"Password reset code for {username}: {code} (valid for one hour)")

    def confirm(self, client_id: str, username: str, code: str, password: str) -> None:
        """Set `password` if `code` is the one issued; ResetRefused (with Cognito's error type) otherwise."""
        key = (client_id, username)
        with self._lock:
            pending = self._pending.get(key)
            if pending is None or pending.expires < self._clock():
                self._pending.pop(key, None)
                raise ResetRefused("ExpiredCodeException", "Invalid code provided, please request a code again.")
            if not hmac.compare_digest(code.encode(), pending.code.encode()):
                pending.attempts += 1
                if pending.attempts >= MAX_ATTEMPTS:
                    del self._pending[key]
                    raise ResetRefused("LimitExceededException", "Attempt limit exceeded, please try after some time.")
                raise ResetRefused("CodeMismatchException", "Invalid verification code provided, please try again.")
            del self._pending[key]  # one use, even when two confirmations race
        try:
            self._cognito.admin_set_user_password(UserPoolId=self._pool, Username=username, Password=password,
                                                  Permanent=True)
        except self._cognito.exceptions.InvalidPasswordException:
            with self._lock:
                self._pending.setdefault(key, pending)
            raise ResetRefused("InvalidPasswordException",
                               "Password does not conform to policy: the code stays valid for another try.") from None
        except self._cognito.exceptions.UserNotFoundException:
            raise ResetRefused("ExpiredCodeException", "Invalid code provided, please request a code again.") from None
