#!/bin/sh
# Runs PIMAuth's tests under pam_wrapper + nss_wrapper so PAM and NSS go through the real
# libraries with test accounts (pam_wrapper(1), pam_matrix(8), nss_wrapper(1)).
#   swift build --build-tests && scripts/test-auth-env.sh [swift test options]
# Without options it runs `swift test --skip-build --filter PIMAuthTests`.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
libdir=$(dirname "$(find /usr/lib /usr/lib64 -name libpam_wrapper.so -print -quit 2>/dev/null)")
[ -e "$libdir/libpam_wrapper.so" ] && [ -e "$libdir/libnss_wrapper.so" ] || {
    echo "test-auth-env: libpam-wrapper and libnss-wrapper are needed" >&2; exit 1; }
modules="$libdir/pam_wrapper"
security=$(dirname "$(find /usr/lib /lib -name pam_faildelay.so -print -quit 2>/dev/null)")

work=$(mktemp -d "${TMPDIR:-/tmp}/pim-auth-test.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/services"

# Accounts: dave's password is right but pam_matrix's account column allows him only "elsewhere".
cat > "$work/passdb" <<PASSDB
alice:alice-secret:pim
bob:bob-secret:pim
carol:carol-secret:pim
dave:dave-secret:elsewhere
PASSDB
for i in $(seq 1 20); do echo "load$i:load$i-secret:pim" >> "$work/passdb"; done
# The chatty and slow services check the same passdb under their own service names.
sed 's/:pim$/:pim-chatty/' "$work/passdb" | grep -v '^dave' > "$work/passdb-chatty"
sed 's/:pim$/:pim-slow/' "$work/passdb" | grep -v '^dave' > "$work/passdb-slow"

cat > "$work/services/pim" <<SERVICE
auth     required  $modules/pam_matrix.so passdb=$work/passdb
account  required  $modules/pam_matrix.so passdb=$work/passdb
SERVICE
cat > "$work/services/pim-chatty" <<SERVICE
auth     required  $modules/pam_chatty.so num_lines=3 info
auth     required  $modules/pam_matrix.so passdb=$work/passdb-chatty
account  required  $modules/pam_matrix.so passdb=$work/passdb-chatty
SERVICE
# Linux-PAM falls back to "other" for unknown services; make that an explicit refusal.
echo "auth required $security/pam_deny.so" > "$work/services/other"
echo "account required $security/pam_deny.so" >> "$work/services/other"
# Account states pam_matrix cannot produce (expired, must change password, locked) come from a
# tiny test module compiled here, behind pam_matrix's password check.
if cc -shared -fPIC -o "$work/pam_pim_acct.so" "$root/scripts/test-auth/pam_pim_acct.c" -lpam 2>"$work/cc.log"; then
    for user in expired mustchange pwexpired locked fine; do echo "$user:$user-secret:pim-acct"; done > "$work/passdb-acct"
    cat > "$work/services/pim-acct" <<SERVICE
auth     required  $modules/pam_matrix.so passdb=$work/passdb-acct
account  required  $work/pam_pim_acct.so
SERVICE
    export PIM_AUTH_TEST_ACCOUNT_MODULE=1
else
    echo "test-auth-env: no C compiler; account-state tests will be skipped" >&2
fi
# A service whose module cannot be loaded: an operator error, not a wrong password.
echo "auth required $work/no-such-module.so" > "$work/services/pim-broken"
# pam_faildelay(8) asks libpam to wait 3 s after a failed pam_authenticate.
cat > "$work/services/pim-slow" <<SERVICE
auth     optional  $security/pam_faildelay.so delay=3000000
auth     required  $modules/pam_matrix.so passdb=$work/passdb-slow
account  required  $modules/pam_matrix.so passdb=$work/passdb-slow
SERVICE

# NSS test accounts: GECOS with and without extra fields, an empty one, a system account.
cat > "$work/passwd" <<PASSWD
alice:x:2001:2000:Alice Andersen,Room 101,+1 555 0101,:/home/alice:/bin/sh
bob:x:2002:2000:Bob Baker:/home/bob:/bin/sh
carol:x:2003:2000: Carol Chen ,,,:/home/carol:/bin/sh
erin:x:2005:2000::/home/erin:/bin/sh
daemonish:x:500:500:Some Daemon:/:/usr/sbin/nologin
PASSWD
cat > "$work/group" <<GROUP
staff:x:2000:
dba:x:2100:alice,carol
secops:x:2101:bob
dbadmins:x:2102:erin
daemonish:x:500:
GROUP
# Keep the account running the tests resolvable (tools look up their own user).
getent passwd "$(id -u)" >> "$work/passwd" || true
getent group "$(id -g)" >> "$work/group" || true

export PIM_AUTH_TEST_WRAPPERS=1
export LD_PRELOAD="$libdir/libpam_wrapper.so:$libdir/libnss_wrapper.so"
export PAM_WRAPPER=1
export PAM_WRAPPER_SERVICE_DIR="$work/services"
export NSS_WRAPPER_PASSWD="$work/passwd"
export NSS_WRAPPER_GROUP="$work/group"

cd "$root"
if [ $# -eq 0 ]; then set -- --skip-build --filter PIMAuthTests; fi
swift test "$@"
