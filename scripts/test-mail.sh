#!/bin/sh
# PIMMail tests against a real SMTP server (tests/smtp_sink.py, aiosmtpd) with TLS certificates
# made by openssl at test time. The tests start and stop the server themselves.
#   CI needs:  apt-get install -y libcurl4-openssl-dev openssl python3
#              pip install aiosmtpd        (or: apt-get install -y python3-aiosmtpd)
set -eu
cd "$(dirname "$0")/.."
python3 -c 'import aiosmtpd' 2>/dev/null || {
    echo "aiosmtpd missing: pip install aiosmtpd (or apt-get install python3-aiosmtpd)" >&2
    exit 1
}
command -v openssl >/dev/null || { echo "openssl missing: apt-get install openssl" >&2; exit 1; }
swift build --build-tests
# The kill -9 test runs the `pim` executable built next to the test bundle (override: PIM_BINARY).
swift test --skip-build --filter PIMMailTests "$@"
