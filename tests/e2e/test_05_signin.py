"""Sign-in through PAM (pam_wrapper + pam_matrix), the generic failure, sign-out, and what the
navigation offers to each kind of user."""

from __future__ import annotations

import re

import pytest

from fixtures.users import USERS
from fixtures.workflows import rx


def test_pages_need_sign_in(portal):
    portal.open("/my-roles")
    assert portal.path().startswith("/signin"), f"/my-roles without a session shows {portal.path()}"


def test_wrong_password_gets_the_generic_message(portal):
    portal.open("/signin")
    portal.fill("User name", "alice")
    portal.fill("Password", "not-her-password")
    portal.click("Sign in")
    assert portal.path().startswith("/signin")
    wrong_password = portal.text()
    portal.fill("User name", "mallory")
    portal.fill("Password", "whatever-1")
    portal.click("Sign in")
    unknown_user = portal.text()
    portal.expect_not(rx(r"sign out"))
    message = lambda text: re.sub(r"\s+", " ", text)
    assert message(wrong_password) == message(unknown_user), "unknown user and wrong password are told apart"


def test_sign_in_and_out(portal):
    portal.sign_in("alice")
    portal.expect(USERS["alice"].gecos)
    portal.sign_out()
    portal.open("/my-roles")
    assert portal.path().startswith("/signin"), "the session survived Sign out"


@pytest.mark.parametrize("user, sees_manage", [("admin", True), ("alice", False)])
def test_navigation_per_kind_of_user(portal, user, sees_manage):
    portal.sign_in(user)
    for item in ("My roles", "My requests", "Approve requests", "Security info"):
        assert portal.has_clickable(portal.counted(item)), f"{user} lacks {item}"
    assert portal.has_clickable(portal.counted("Roles")) == sees_manage
    assert portal.has_clickable(portal.counted("Audit")) == sees_manage


def test_manage_pages_forbidden_to_members(portal):
    portal.sign_in("alice")
    portal.open("/roles", expect_status=(403,))
    portal.open("/audit", expect_status=(403,))
