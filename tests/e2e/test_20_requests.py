"""Requests that need approval: deny, cancel, self-approval refused, bulk approve.

Roles here ask for no MFA, so no test waits for an authenticator's next step.
"""

from __future__ import annotations

import re

import pytest

from fixtures import workflows as w
from fixtures.workflows import exact, rx

pytestmark = pytest.mark.incremental

DBA = "Database Administrator"
BACKUP = "Backup Operator"


def request(portal, user: str, role: str, justification: str) -> None:
    portal.sign_in(user)
    w.open_activation(portal, role)
    w.fill_activation(portal, exact("1 h"), justification)
    w.submit_activation(portal)
    portal.expect(rx(r"pending approval"))


def my_request_status(portal, user: str, role: str) -> str:
    portal.sign_in(user)
    portal.nav("My requests")
    return portal.row(role).text


def test_admin_sets_up_roles_needing_secops_approval(portal):
    portal.sign_in("admin")
    for role in (DBA, BACKUP):
        w.create_role(portal, role, f"{role} of the intranet")
        w.configure_activation(portal, role, w.Activation(max_duration="2 h", mfa=False, approvers=("secops",)))
    w.assign(portal, DBA, "dave")
    w.assign(portal, DBA, "carol")
    w.assign(portal, BACKUP, "dave")
    w.assign(portal, BACKUP, "alice")


def test_deny_path(portal):
    request(portal, "dave", DBA, "Vacuum the billing database")
    portal.sign_in("carol")
    w.decide(portal, [(DBA, "dave")], "Deny", "Not during the freeze")
    portal.expect(rx(r"denied"))
    row = my_request_status(portal, "dave", DBA)
    assert re.search(r"denied", row, re.I), row
    portal.nav("My roles")
    portal.tab("Active")
    assert not portal.has_row(DBA), "a denied request left an active role"


def test_cancel_path(portal):
    request(portal, "dave", DBA, "Vacuum the billing database after the freeze")
    portal.nav("My requests")
    row = portal.row(DBA, rx(r"pending"))
    portal.click(exact("Cancel"), within=row)
    portal.expect(rx(r"cancel+ed"))
    assert re.search(r"cancel+ed", portal.row(DBA, rx(r"cancel+ed")).text, re.I)
    portal.sign_in("bob")
    portal.nav("Approve requests")
    assert not portal.has_row(DBA, w.who("dave")), "a canceled request is still offered to approvers"


def test_self_approval_refused(portal):
    request(portal, "carol", DBA, "Index maintenance")
    portal.nav("Approve requests")
    if portal.has_row(DBA, w.who("carol")):
        w.decide(portal, [(DBA, "carol")], "Approve", "It is my own change")
        portal.expect("You cannot approve your own request.")
    else:
        # Not offered to her. A hand-made POST of the decision form (her own session's CSRF
        # token, her request's id) must be refused by the server as well.
        portal.nav("My requests")
        cancel = portal.row(DBA, rx(r"pending")).find_element("css selector", "form[action*='/cancel']")
        request_id = re.search(r"/my-requests/(\d+)/cancel", cancel.get_attribute("action")).group(1)
        portal.driver.execute_script("""
            const token = document.querySelector('input[name=csrf]').value;
            const form = document.createElement('form');
            form.method = 'post'; form.action = '/approvals/decide';
            for (const [k, v] of [['csrf', token], ['request', arguments[0]], ['decision', 'approve'],
                                  ['justification', 'It is my own change']]) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = k; input.value = v; form.appendChild(input);
            }
            document.body.appendChild(form);
            window.__e2eOldPage = true;
            form.submit();
        """, request_id)
        import time
        deadline = time.monotonic() + 15
        while not portal._new_document() and time.monotonic() < deadline:
            time.sleep(0.1)
        portal._after_navigation(expect_status=(200, 303, 403, 409, 422))
        assert not re.search(r"approved 1 request", portal.text(), re.I), portal.text()[:1500]
        portal.expect(rx(r"you cannot approve your own request"))
    # Either way the request is still pending and carol holds nothing.
    row = my_request_status(portal, "carol", DBA)
    assert re.search(r"pending", row, re.I), row


def test_bulk_approve(portal):
    request(portal, "dave", BACKUP, "Restore test of Monday's backup")
    request(portal, "alice", BACKUP, "Restore the wiki from backup")
    portal.sign_in("bob")
    w.decide(portal, [(BACKUP, "dave"), (BACKUP, "alice")], "Approve", "Both restores are planned")
    portal.expect(rx(r"approved"))
    for user in ("dave", "alice"):
        assert not portal.has_row(BACKUP, w.who(user)), f"{user}'s request still waits"
    # carol's own request was not part of the bulk decision and still waits for someone else.
    assert portal.has_row(DBA, w.who("carol"))
    for user in ("dave", "alice"):
        portal.sign_in(user)
        portal.nav("My roles")
        portal.tab("Active")
        assert portal.has_row(BACKUP), f"{user} does not hold {BACKUP} after the bulk approval"
