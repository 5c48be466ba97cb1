// Preloaded into a `jina` server run under valgrind 3.19 (benchmarks/callgrind.sh), nowhere else.
//
// A Swift program with an async `main` ends its main thread in libdispatch's signal thread,
// which calls sigsuspend() with a mask that lives in libdispatch's read-only data. Valgrind
// 3.19's sigsuspend wrapper edits the mask it is given in place (to keep its own signals
// deliverable), so it faults on that page and aborts with "VALGRIND INTERNAL ERROR … signal 11"
// (the faulting address is `_dispatch_sigsuspend.mask`). Handing the system call a writable copy
// of the same mask changes nothing for the program.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    // The kernel's signal set is 64 bits (_NSIG / 8 bytes on Linux), not glibc's 1024-bit sigset_t.
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
