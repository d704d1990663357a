"""Every page of the route table reached by navigation, for an administrator and a member, so the
Nu validator (test_90) sees each one; plus the audit CSV as a spreadsheet would receive it."""

from __future__ import annotations

import urllib.request

import pytest

from fixtures import workflows as w
from fixtures.workflows import rx

pytestmark = pytest.mark.incremental

ROLE = "Tour <Role> & \"Quotes\" 'too'"


def test_admin_tour(portal):
    portal.sign_in("admin")
    w.create_role(portal, ROLE, "Names with < & \" ' are escaped")
    w.assign(portal, ROLE, "carol")
    for item in ("Home", "My roles", "My requests", "Approve requests", "Security info", "Roles", "Settings",
                 "Audit", "My audit"):
        portal.nav(item)
        assert portal.last_status == 200, f"{item}: {portal.last_status}"
    portal.nav("My roles")
    for tab in ("Eligible", "Active", "Expired"):
        portal.tab(tab)
    portal.nav("Roles")
    portal.fill(rx(r"search|find|name"), "Tour")
    portal.click(rx(r"^(search|find|filter|apply)"))
    portal.expect(ROLE)
    portal.click(ROLE)
    for tab in ("Eligible", "Active", "Expired"):
        portal.tab(tab)
    portal.click(rx(r"^role settings$"))
    portal.click(rx(r"^edit$"))
    for tab in ("Assignment", "Notification", "Activation"):
        portal.tab(tab)
    portal.nav("Audit")
    portal.select(rx(r"date range"), rx(r"7 days"))
    portal.click(rx(r"^apply"))
    portal.expect(ROLE)


def test_audit_csv_download(portal):
    portal.sign_in("admin")
    portal.nav("Audit")
    link = portal.find_clickable(rx(r"download csv"))
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in portal.driver.get_cookies())
    request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        kind = response.headers.get("Content-Type", "")
    assert "text/csv" in kind, kind
    assert body.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM for spreadsheets"
    text = body.decode("utf-8-sig")
    assert "\r\n" in text, "RFC 4180 wants CRLF line ends"
    assert "roleCreated" in text and "Tour <Role>" in text


def test_member_tour(portal):
    portal.sign_in("carol")
    for item in ("Home", "My roles", "My requests", "Approve requests", "Security info", "My audit"):
        portal.nav(item)
        assert portal.last_status == 200, f"{item}: {portal.last_status}"
    portal.nav("My roles")
    portal.expect(ROLE)
    portal.open("/settings", expect_status=(403,))
    portal.open("/no-such-page", expect_status=(404,))


def test_security_reader_sees_manage_read_only(portal, server):
    from datetime import datetime, timedelta, timezone
    portal.sign_in("admin")
    end = datetime.fromtimestamp(server.now(), timezone.utc) + timedelta(days=30)
    w.assign(portal, "Security Reader", "dave", kind="active", end=end, justification="Quarterly audit")
    portal.sign_in("dave")
    portal.nav("Roles")
    assert portal.last_status == 200
    assert not portal.has_clickable(rx(r"^(new|create|add)( custom)? role$")), "a reader is offered New role"
    portal.click(ROLE)
    assert not portal.has_clickable(rx(r"^add assignments?$")), "a reader is offered Add assignments"
    assert not portal.driver.find_elements("css selector", "main form[method=post]"), "a reader gets forms on a role page"
    portal.nav("Audit")
    portal.expect(ROLE)
    portal.open("/roles/new", expect_status=(403,))
