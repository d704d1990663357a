#!/bin/sh
# Runs a command (e.g. `pim serve --demo --listen 127.0.0.1:8080`) under pam_wrapper and
# nss_wrapper with the demo accounts of this folder, or prints the environment to use.
#   scripts/demo/demo-env.sh                 print exports and demo passwords
#   scripts/demo/demo-env.sh CMD [ARGS...]   run CMD in the demo environment
# Needs Debian's libpam-wrapper and libnss-wrapper. The server must refuse demo mode on any
# address but loopback (PIMAuth's DemoMode.checkBindAddress).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
libdir=$(dirname "$(find /usr/lib /usr/lib64 -name libpam_wrapper.so -print -quit 2>/dev/null)")
if [ ! -e "$libdir/libpam_wrapper.so" ] || [ ! -e "$libdir/libnss_wrapper.so" ]; then
    echo "demo-env: install libpam-wrapper and libnss-wrapper (apt-get install libpam-wrapper libnss-wrapper)" >&2
    exit 1
fi
# pam_wrapper reads service files from a directory; point the module lines at this host's path.
# A fresh private directory (mktemp), never a predictable shared /tmp path.
services=${PIM_DEMO_SERVICE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/pim-demo-pam.d.XXXXXX")}
mkdir -p "$services"
sed "s#/usr/lib/x86_64-linux-gnu/pam_wrapper/#$libdir/pam_wrapper/#" "$here/pam.d/pim" > "$services/pim"

export LD_PRELOAD="$libdir/libpam_wrapper.so:$libdir/libnss_wrapper.so${LD_PRELOAD:+:$LD_PRELOAD}"
export PAM_WRAPPER=1
export PAM_WRAPPER_SERVICE_DIR="$services"
export PAM_MATRIX_PASSWD="$here/passdb"
export NSS_WRAPPER_PASSWD="$here/passwd"
export NSS_WRAPPER_GROUP="$here/group"

echo "PIM demo accounts (user / password):" >&2
cut -d: -f1,2 "$here/passdb" | sed 's/^/  /; s#:# / #' >&2
echo "groups: dba (alice, carol), secops (bob). Demo only: loopback addresses only." >&2
if [ $# -eq 0 ]; then
    for name in LD_PRELOAD PAM_WRAPPER PAM_WRAPPER_SERVICE_DIR PAM_MATRIX_PASSWD NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP; do
        eval "printf 'export %s=%s\n' \"$name\" \"\$$name\""
    done
    exit 0
fi
# Through env(1): pam_wrapper sets PAM_WRAPPER_RUNTIME_DIR when it loads, and a `pim` linked with
# Swift's static runtime (--static-swift-stdlib) that gets this variable added at its own start
# sees empty CommandLine.arguments; started from env, whose own pam_wrapper set it, it does not.
exec env "$@"
