"""Starts the real `pim serve --demo` under pam_wrapper + nss_wrapper (scripts/demo) on a free
loopback port with a fresh database, and gives tests a headless Chromium. A failing test leaves
a screenshot of the page it was on in $PIM_E2E_ARTIFACTS (default /tmp/pim-e2e)."""
import os, shutil, socket, subprocess, tempfile, time, urllib.request
import pytest
from selenium import webdriver

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ARTIFACTS = os.environ.get("PIM_E2E_ARTIFACTS", "/tmp/pim-e2e")


def _binary():
    if os.environ.get("PIM_BIN"):
        return os.environ["PIM_BIN"]
    path = subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT).decode().strip()
    return os.path.join(path, "pim")


@pytest.fixture(scope="session")
def server():
    work = tempfile.mkdtemp(prefix="pim-e2e-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(os.path.join(work, "server.log"), "w")
    proc = subprocess.Popen(
        [os.path.join(ROOT, "scripts/demo/demo-env.sh"), _binary(), "serve", "--demo",
         "--listen", f"127.0.0.1:{port}", "--database", os.path.join(work, "pim.sqlite"),
         "--public", os.path.join(ROOT, "Public"), "--time-zone", "Europe/Berlin"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.terminate()
        raise RuntimeError("pim did not start; see " + log.name)
    yield base
    proc.terminate()
    proc.wait(timeout=15)
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def browser(request):
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options)
    yield driver
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        os.makedirs(ARTIFACTS, exist_ok=True)
        driver.save_screenshot(os.path.join(ARTIFACTS, request.node.name + ".png"))
    driver.quit()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
