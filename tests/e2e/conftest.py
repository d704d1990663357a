"""Harness of the end-to-end tests: one build, a fresh server and database per test module,
one headless Chromium for the whole run, page HTML kept for the Nu validator, screenshots on
failure in artifacts/e2e/failures/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from fixtures.capture import HtmlCapture
from fixtures.portal import Portal
from fixtures.server import PimServer

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("PIM_E2E_ARTIFACTS", REPO / "artifacts" / "e2e"))
HTML_DIR = ARTIFACTS / "html"
FAILURES = ARTIFACTS / "failures"
LOGS = ARTIFACTS / "logs"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "incremental: later tests of the module are skipped once one fails")
    for directory in (HTML_DIR, FAILURES, LOGS):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def pim_binary() -> Path:
    """Build once (unless the caller already did and says so), then use .build/debug/pim."""
    if explicit := os.environ.get("PIM_BIN"):
        return Path(explicit)
    if os.environ.get("PIM_E2E_SKIP_BUILD") != "1":
        subprocess.run(["swift", "build", "--product", "pim"], cwd=REPO, check=True)
    binary = REPO / ".build" / "debug" / "pim"
    assert binary.exists(), f"{binary} missing after swift build"
    return binary


@pytest.fixture(scope="session")
def capture() -> HtmlCapture:
    return HtmlCapture(HTML_DIR)


@pytest.fixture(scope="session")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("PIM_E2E_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1000", "--lang=en-GB", "--no-first-run",
                     "--disable-features=Translate,PasswordLeakDetection", "--password-store=basic"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    service = Service(os.environ.get("PIM_E2E_CHROMEDRIVER", "/usr/bin/chromedriver"),
                      log_output=str(LOGS / "chromedriver.log"))
    browser = webdriver.Chrome(options=options, service=service)
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, pim_binary: Path, tmp_path_factory: pytest.TempPathFactory):
    """A fresh database and `pim serve` for each test module."""
    name = re.sub(r"\W+", "-", request.module.__name__.rsplit(".", 1)[-1])
    pim = PimServer(pim_binary, tmp_path_factory.mktemp(name), REPO, LOGS)
    pim.prepare()
    pim.start()
    yield pim
    pim.stop()


@pytest.fixture(scope="module")
def portal(driver, capture: HtmlCapture, server: PimServer) -> Portal:
    person = Portal(driver, capture)
    person.attach(server.base_url)
    return person


# -- incremental scenarios and failure artifacts ------------------------------------------

_failed_step: dict[str, str] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" and not (report.when == "setup" and report.failed):
        return
    if report.failed:
        if item.get_closest_marker("incremental") is not None:
            _failed_step.setdefault(item.module.__name__, item.name)
        save_failure(item)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("incremental") is not None:
        failed = _failed_step.get(item.module.__name__)
        if failed is not None:
            pytest.skip(f"an earlier step of this scenario failed ({failed})")


def save_failure(item: pytest.Item) -> None:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-120:]
    browser = item.funcargs.get("driver")
    portal = item.funcargs.get("portal")
    if browser is None and portal is not None:
        browser = portal.driver
    if browser is not None:
        try:
            browser.save_screenshot(str(FAILURES / f"{stem}.png"))
            (FAILURES / f"{stem}.html").write_text(browser.page_source, encoding="utf-8")
        except Exception as error:  # the browser itself may be what broke
            (FAILURES / f"{stem}.txt").write_text(f"no screenshot: {error}\n")
    pim = item.funcargs.get("server")
    if pim is not None:
        (FAILURES / f"{stem}.server-log.txt").write_text(pim.log_tail(200))
