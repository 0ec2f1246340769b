"""The local stack (`petstore-dev`) on real sockets, for tests that talk HTTP to it.

    def test_something(stack):
        tokens = sign_in(stack.url, stack.admin.email, stack.admin.password)
        ... GET f"{stack.url}/pets" with {"Authorization": tokens["IdToken"]}

`stack` (session scope) is a `petstore_dev.stack.StackProcess`: `petstore-dev --port 0` in a child process,
seeded with the sample inventory. Its attributes: `url`, `port`, `users` ({"admin": DemoUser, "user":
DemoUser}; also `admin` and `user`), `client_id`, `user_pool_id`, `cognito_endpoint` (user-facing calls only),
`emulator_url` (the AWS emulator: admin calls such as admin_create_user go there), `region`, `seeded`
(number of sample pets), `agent_client_id` and `agent_client_secret` (the agents' app client, for
`/oauth2/token`), `output()` (what the process printed). The stack is shared by the whole session:
tests that write should create their own pets and not rely on the inventory staying as seeded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from petstore_dev.cognito import DemoUser
from petstore_dev.stack import SignInError, StackProcess, cognito_call, sign_in, stack_config

__all__ = ["DemoUser", "SignInError", "StackProcess", "cognito_call", "running_stack", "sign_in", "stack_config", "stack"]


@contextmanager
def running_stack(**options: Any) -> Iterator[StackProcess]:
    """A stack of its own (options as StackProcess takes them), for tests that must not share one."""
    running = StackProcess(port=0, **options).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def stack() -> Iterator[StackProcess]:
    """The whole pet store on a free loopback port, started once per test session."""
    with running_stack() as running:
        yield running
