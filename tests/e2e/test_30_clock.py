"""Paths that need time to pass: the 5-minute deactivation rule, an expired eligibility, the
approval timeout. The server is restarted on the same database with its wall clock moved
forward (libfaketime), so PIM's own time logic decides; sessions end with the restart and
people sign in again.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fixtures import workflows as w
from fixtures.workflows import exact, rx

from fixtures.server import FAKETIME_LIB

pytestmark = [
    pytest.mark.incremental,
    pytest.mark.skipif(not Path(FAKETIME_LIB).exists(), reason=f"libfaketime missing ({FAKETIME_LIB}): apt-get install libfaketime"),
]

WEB = "Web Operator"
RELEASE = "Release Manager"


def test_admin_sets_up_roles(portal, server):
    portal.sign_in("admin")
    w.create_role(portal, WEB, "Restart the web tier")
    w.configure_activation(portal, WEB, w.Activation(max_duration="1 h", mfa=False))
    w.create_role(portal, RELEASE, "Ship a release")
    w.configure_activation(portal, RELEASE, w.Activation(max_duration="1 h", mfa=False, approvers=("secops",), timeout_hours=1))
    w.assign(portal, WEB, "dave")
    w.assign(portal, RELEASE, "dave")
    # Alice's eligibility ends in 6 minutes (an assignment lasts at least 5).
    end = datetime.fromtimestamp(server.now(), timezone.utc) + timedelta(minutes=6, seconds=30)
    w.assign(portal, WEB, "alice", end=end)


state: dict[str, str] = {}


def test_alice_sees_her_short_eligibility(portal):
    portal.sign_in("alice")
    portal.nav("My roles")
    row = portal.row(WEB)
    link = portal.find_clickable(exact("Activate"), within=row)
    # Kept like a bookmark, to come back to the form after the eligibility has ended.
    state["activate_href"] = link.get_attribute("href")


def test_activation_without_approval_is_active_at_once(portal):
    portal.sign_in("dave")
    w.open_activation(portal, WEB)
    w.fill_activation(portal, exact("1 h"), "Restart the web tier after the patch")
    w.submit_activation(portal)
    # Same day: "15:30"; past midnight in the portal's zone: "2026-12-06 00:33".
    portal.expect(rx(r"activated until (\d{4}-\d{2}-\d{2} )?\d{1,2}:\d{2}"))


def test_deactivate_in_first_five_minutes_refused(portal):
    portal.nav("My roles")
    portal.tab("Active")
    portal.click(exact("Deactivate"), within=portal.row(WEB))
    portal.expect("An activation cannot be deactivated in its first 5 minutes.")
    portal.nav("My roles")
    portal.tab("Active")
    assert portal.has_row(WEB)


def test_request_waiting_for_approval(portal):
    w.open_activation(portal, RELEASE)
    w.fill_activation(portal, exact("1 h"), "Release 2.4")
    w.submit_activation(portal)
    portal.expect(rx(r"pending approval"))


def test_after_ten_minutes_deactivate_works(portal, server):
    server.restart(clock_offset=10 * 60)
    portal.attach(server.base_url)
    portal.sign_in("dave")
    portal.nav("My roles")
    portal.tab("Active")
    portal.click(exact("Deactivate"), within=portal.row(WEB))
    portal.expect(rx(r"deactivated"))
    portal.nav("My roles")
    portal.tab("Active")
    assert not portal.has_row(WEB), "still active after Deactivate"


def test_expired_eligibility_refuses_activation(portal):
    portal.sign_in("alice")
    portal.nav("My roles")
    assert not portal.has_row(WEB), "an ended eligibility is still offered for activation"
    portal.tab("Expired")
    assert portal.has_row(WEB), "the ended eligibility is not under Expired"
    assert not portal.has_clickable(exact("Activate"), within=portal.row(WEB))
    # The form she had bookmarked before: submitting it is refused with PIMCore's sentence.
    portal.driver.get(state["activate_href"].replace(state["activate_href"].split("/my-roles")[0], portal.base_url))
    portal._after_navigation(expect_status=(200, 403, 404))
    if portal.last_status == 200 and portal.has_field(rx(r"duration")):
        w.fill_activation(portal, exact("1 h"), "Hotfix after hours")
        w.submit_activation(portal)
    portal.expect(f"You are not eligible for {WEB}.")
    portal.nav("My roles")
    portal.tab("Active")
    assert not portal.has_row(WEB)


def test_unanswered_request_times_out(portal, server):
    server.restart(clock_offset=75 * 60)
    portal.attach(server.base_url)
    portal.sign_in("dave")
    portal.nav("My requests")
    deadline_text = portal.row(RELEASE).text
    for _ in range(20):  # background work follows "within seconds"
        if re.search(r"timed ?out", deadline_text, re.I):
            break
        import time
        time.sleep(1)
        portal.open("/my-requests")
        deadline_text = portal.row(RELEASE).text
    assert re.search(r"timed ?out", deadline_text, re.I), deadline_text
    portal.sign_in("bob")
    portal.nav("Approve requests")
    assert not portal.has_row(RELEASE, w.who("dave")), "a timed-out request is still offered"
