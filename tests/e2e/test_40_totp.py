"""Authenticator codes at activation: a wrong code and a replayed code are refused and the
person is told; a fresh code then activates."""

from __future__ import annotations

import pytest

from fixtures import workflows as w
from fixtures.workflows import exact, rx

pytestmark = pytest.mark.incremental

ROLE = "Firewall Operator"


def test_setup(portal):
    portal.sign_in("admin")
    w.create_role(portal, ROLE, "Change firewall rules")
    w.configure_activation(portal, ROLE, w.Activation(max_duration="1 h", mfa=True))
    w.assign(portal, ROLE, "dave")
    portal.sign_in("dave")
    portal.nav("Security info")
    w.enrol_mfa(portal)
    portal.expect(rx(r"enrol+ed|registered|set up|verified|added"))
    # A new session holds no MFA proof, so the activation form asks for a code.
    portal.sign_out()
    portal.sign_in("dave")


def test_wrong_code_refused(portal):
    app = portal.authenticators["dave"]
    w.open_activation(portal, ROLE)
    assert portal.has_field(rx(r"verification code")), "the activation form of an MFA role asks for no code"
    w.fill_activation(portal, exact("1 h"), "Open port 443 for the new proxy", app.wrong_code())
    w.submit_activation(portal)
    portal.expect(rx(r"that code is not right"))
    assert portal.value(rx(r"justification")) == "Open port 443 for the new proxy", "the form lost what was typed"
    portal.expect_not(rx(r"activated until"))


def test_replayed_code_refused(portal):
    app = portal.authenticators["dave"]
    w.fill_activation(portal, exact("1 h"), "Open port 443 for the new proxy", app.used_code())
    w.submit_activation(portal)
    portal.expect(rx(r"that code was already used"))
    portal.expect_not(rx(r"activated until"))


def test_fresh_code_activates(portal):
    app = portal.authenticators["dave"]
    w.fill_activation(portal, exact("1 h"), "Open port 443 for the new proxy", app.fresh_code())
    w.submit_activation(portal)
    # Same day: "15:30"; past midnight in the portal's zone: "2026-12-06 00:33".
    portal.expect(rx(r"activated until (\d{4}-\d{2}-\d{2} )?\d{1,2}:\d{2}"))


def test_audit_records_refused_codes(portal):
    portal.sign_in("admin")
    portal.nav("Audit")
    portal.expect(rx(r"replay"))
