"""The Manage and Activity pages clicked through as an administrator does, against the real
binary: the administrator half of the seed scenario (a role, its settings, Alice made eligible),
then the audit and its CSV download; a Security Reader sees it all without a form."""
import urllib.request
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_portal_tasks import click, flash, sign_in

ROLE = "Payroll Administrator"


def tick(d, xpath):
    """Ticks a checkbox once the freshly loaded page has it."""
    WebDriverWait(d, 10).until(EC.element_to_be_clickable((By.XPATH, xpath))).click()


def test_admin_creates_a_role_sets_it_up_and_assigns_alice(server, browser):
    d = browser
    sign_in(d, server, "admin", "/roles")
    click(d, "//a[text()='New role']")
    d.find_element(By.ID, "name").send_keys(ROLE)
    d.find_element(By.ID, "description").send_keys("Pay runs <EU> & \"US\"")
    click(d, "//button[text()='Create role']")
    assert f"Role {ROLE} created" in flash(d)
    role_url = d.current_url

    # Settings: Activation tab, then Notification tab (values carried), then Update.
    click(d, "//a[text()='Role settings']")
    click(d, "//a[text()='Edit']")
    Select(d.find_element(By.ID, "maxMinutes")).select_by_visible_text("1 h")
    tick(d, "//input[@name='requireApproval']")
    d.find_element(By.ID, "approverGroups").send_keys("secops")
    d.find_element(By.ID, "pattern").send_keys("PAY-[0-9")
    click(d, "//button[@name='go' and @value='notification']")
    d.find_element(By.ID, "n_activation_admins_additional").send_keys("pim-alerts@example.org")
    click(d, "//button[@value='update']")
    # The broken pattern sends the form back to the Activation tab with everything kept.
    assert "This is not a valid regular expression." in d.page_source
    assert d.find_element(By.ID, "approverGroups").get_attribute("value") == "secops"
    pattern = d.find_element(By.ID, "pattern")
    pattern.clear()
    click(d, "//button[@value='update']")
    assert f"Settings of {ROLE} updated." in flash(d)
    assert "pim-alerts@example.org" in d.page_source
    assert "Group: secops" in d.page_source

    # The wizard: Alice and the dba group, eligible for 30 days.
    d.get(role_url)
    click(d, "//a[text()='Add assignments']")
    d.find_element(By.ID, "q").send_keys("al")
    click(d, "//button[text()='Search']")
    tick(d, "//input[@name='member' and @value='user:alice']")
    d.find_element(By.ID, "q").clear()
    d.find_element(By.ID, "q").send_keys("dba")
    click(d, "//button[text()='Search']")
    tick(d, "//input[@name='member' and @value='group:dba']")
    click(d, "//button[text()='Next']")
    assert "step-current" in d.page_source
    d.find_element(By.ID, "justification").send_keys("Payroll on-call")
    click(d, "//button[text()='Assign']")
    assert f"Assigned 2 members as eligible for {ROLE}." in flash(d)
    assert "Group: dba" in d.page_source and "Alice" in d.page_source

    # Audit: the role's events, filtered, and the same as CSV.
    click(d, "//nav[@aria-label='Main']//a[text()='Audit']")
    Select(d.find_element(By.ID, "range")).select_by_visible_text("Today")
    Select(d.find_element(By.ID, "role")).select_by_visible_text(ROLE)
    click(d, "//button[text()='Apply filters']")
    actions = [e.text for e in d.find_elements(By.CSS_SELECTOR, "td[data-label=Action]")]
    assert any(a.startswith("roleCreated") for a in actions)
    assert any(a.startswith("roleSettingsUpdated") for a in actions)
    assert sum(a.startswith("assignmentAdded") for a in actions) == 2
    href = d.find_element(By.LINK_TEXT, "Download CSV").get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookies})) as r:
        assert r.headers.get("Transfer-Encoding") == "chunked"
        body = r.read()
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").strip().split("\r\n")
    assert lines[0].startswith("seq,time,actor,action")
    assert len(lines) == 1 + len(actions)


def test_security_reader_sees_manage_pages_without_forms(server, browser):
    d = browser
    sign_in(d, server, "carol", "/roles")
    assert "Add assignments" not in d.page_source
    click(d, "//a[text()='Global Administrator']")
    assert d.find_elements(By.CSS_SELECTOR, "main form[method=post]") == []
    click(d, "//a[text()='Role settings']")
    assert d.find_elements(By.LINK_TEXT, "Edit") == []
    d.get(server + "/roles/new")
    assert "Not allowed" in d.page_source
