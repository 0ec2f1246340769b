"""The local user pool: created from template.yaml's settings, with the demo users the README names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .template import user_pool_settings

DEFAULT_PASSWORD = "PetStore-demo-1"
ADMIN_EMAIL = "admin@example.com"
USER_EMAIL = "user@example.com"

# The only calls the local /cognito endpoint passes on: the user-facing ones the page and clients make without
# AWS credentials. No admin call (signed or not), and no SignUp: the pool allows admin-created users only.
PUBLIC_ACTIONS = frozenset({
    "InitiateAuth", "RespondToAuthChallenge", "GetTokensFromRefreshToken", "GetUser", "GlobalSignOut", "RevokeToken",
    "ChangePassword", "ForgotPassword", "ConfirmForgotPassword",
    "AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference",
    "GetUserAttributeVerificationCode", "VerifyUserAttribute",
})
TARGET_PREFIX = "AWSCognitoIdentityProviderService."

# Properties of the template's pool and client that Cognito's API takes as they are.
_POOL_KEYS = ("Policies", "UsernameAttributes", "AutoVerifiedAttributes", "AdminCreateUserConfig",
              "AccountRecoverySetting", "MfaConfiguration", "UsernameConfiguration", "Schema")
_CLIENT_KEYS = ("ClientName", "GenerateSecret", "ExplicitAuthFlows", "PreventUserExistenceErrors",
                "EnableTokenRevocation", "IdTokenValidity", "AccessTokenValidity", "RefreshTokenValidity",
                "TokenValidityUnits", "ReadAttributes", "WriteAttributes")


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    groups: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return "admins" in self.groups


def demo_password() -> str:
    return os.environ.get("PETSTORE_DEMO_PASSWORD") or DEFAULT_PASSWORD


def demo_users(password: str | None = None) -> dict[str, DemoUser]:
    password = password or demo_password()
    return {
        "admin": DemoUser(ADMIN_EMAIL, password, ("admins",)),
        "user": DemoUser(USER_EMAIL, password),
    }


@dataclass(frozen=True)
class UserPool:
    pool_id: str
    client_id: str


def _without_intrinsics(props: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """Keep the listed properties that are plain data (drop !Ref/!Sub values, which need a deployed stack)."""
    def plain(value: Any) -> bool:
        if isinstance(value, dict):
            return not any(key == "Ref" or key.startswith("Fn::") for key in value) and all(map(plain, value.values()))
        if isinstance(value, list):
            return all(map(plain, value))
        return True

    return {key: props[key] for key in keys if key in props and plain(props[key])}


def provision(cognito: Any, users: dict[str, DemoUser], pool_name: str = "petstore-local-users") -> UserPool:
    """Create the template's user pool, app client and groups, then the users with permanent passwords."""
    settings = user_pool_settings()
    pool_id = cognito.create_user_pool(PoolName=pool_name, **_without_intrinsics(settings["pool"], _POOL_KEYS))["UserPool"]["Id"]
    mfa = settings["pool"].get("MfaConfiguration", "OFF")
    if isinstance(mfa, str) and mfa != "OFF":  # TOTP, as the template's EnabledMfas has it
        cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration=mfa,
                                         SoftwareTokenMfaConfiguration={"Enabled": True})
    client_props = _without_intrinsics(settings["client"], _CLIENT_KEYS)
    client_props.setdefault("ClientName", "petstore-web")
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, **client_props)["UserPoolClient"]["ClientId"]
    for group in settings["groups"]:
        cognito.create_group(UserPoolId=pool_id, GroupName=group)
    for user in users.values():
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=user.email,
            UserAttributes=[{"Name": "email", "Value": user.email}, {"Name": "email_verified", "Value": "true"}],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=user.email, Password=user.password, Permanent=True)
        for group in user.groups:
            cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=user.email, GroupName=group)
    return UserPool(pool_id, client_id)
