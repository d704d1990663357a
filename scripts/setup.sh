#!/usr/bin/env bash
# Installs everything PIM needs to build, run and test on a fresh Debian machine (run as root).
# The Swift toolchain itself (6.x) is a prerequisite: Debian does not package it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: run as root (it installs Debian packages)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Build: the C libraries PIM links. Run/test: pam_wrapper + nss_wrapper (demo sign-in and tests),
# wrk (benchmarks), openssl (test certificates), a browser and Java for end-to-end and markup tests.
apt-get install -y -qq --no-install-recommends \
    build-essential pkg-config \
    libsqlite3-dev libpam0g-dev liboath-dev libqrencode-dev libcurl4-openssl-dev \
    libpam-wrapper libnss-wrapper libfaketime oathtool openssl ca-certificates \
    python3 python3-pip python3-venv \
    ${PIM_SETUP_TEST:+chromium chromium-driver default-jre-headless wrk} >/dev/null

if [ -n "${PIM_SETUP_TEST:-}" ]; then
    # Python side of the tests: SMTP sink, browser driver, HTML validator.
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
        -r scripts/requirements-test.txt
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup.sh: the Swift 6 toolchain is not on PATH; install it from swift.org first" >&2
    exit 1
fi
