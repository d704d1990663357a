# Sourced by the scripts that run `pim` under valgrind.
#
# valgrind_sigsuspend_shim DIR: builds DIR/sigsuspend.so and prints its path, for LD_PRELOAD.
# Valgrind (3.19) writes into rt_sigsuspend's signal mask, and libdispatch's main thread passes
# a constant one, which the release link keeps in a read-only segment: valgrind then dies of
# SIGSEGV ("the 'impossible' happened"). The shim hands it a writable copy.
valgrind_sigsuspend_shim() {
    cat > "$1/sigsuspend.c" <<'C'
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
int sigsuspend(const sigset_t *mask) { sigset_t copy = *mask; return syscall(SYS_rt_sigsuspend, &copy, 8); }
C
    gcc -shared -fPIC -o "$1/sigsuspend.so" "$1/sigsuspend.c"
    echo "$1/sigsuspend.so"
}
