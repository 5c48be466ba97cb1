// The lifeline shim: `jina _lifeline-exec PROGRAM ARGS…` (docs/python-executors.md).
//
// `jina flow` holds the write end of every child's stdin: when it dies, even by SIGKILL, the
// kernel closes that pipe. Our own executors watch their stdin themselves; a foreign program
// (Python Jina's worker) does not. This shim sits between them: it forks the program with
// PR_SET_PDEATHSIG = SIGKILL (so the program dies with the shim, whichever way the shim ends),
// then waits for either the program's exit or the end of its stdin. On end of file it sends
// SIGTERM to its process group, gives it `grace_ms`, then SIGKILL.
//
// The shim is single-threaded when it forks, so the "parent thread" that PR_SET_PDEATHSIG
// watches is the shim itself, not a worker thread of `jina flow` that may come and go.
// Written in C because prctl is variadic and Swift cannot call it.

#define _GNU_SOURCE
#include "CJinaLifeline.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// Ends the shim the way the child ended, so the supervisor sees the program's own status.
static _Noreturn void end_like(int status) {
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        signal(sig, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        kill(getpid(), sig);
        _exit(128 + sig);
    }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

// Signals the shim's process group when it leads one (it does under `jina flow`), else the child.
static void signal_all(pid_t child, int sig) {
    if (getpgrp() == getpid()) {
        kill(-getpid(), sig);
    } else {
        kill(child, sig);
    }
}

_Noreturn void jina_lifeline_exec(char *const argv[], int grace_ms) {
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGCHLD);
    sigaddset(&watched, SIGTERM);
    sigaddset(&watched, SIGINT);
    sigaddset(&watched, SIGHUP);
    sigprocmask(SIG_BLOCK, &watched, NULL);
    int signals = signalfd(-1, &watched, SFD_CLOEXEC);
    if (signals < 0) {
        fprintf(stderr, "jina: lifeline: signalfd: %s\n", strerror(errno));
        _exit(1);
    }
    pid_t shim = getpid();
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "jina: lifeline: fork: %s\n", strerror(errno));
        _exit(1);
    }
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != shim) _exit(1);  // the shim died before prctl took effect
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null >= 0) dup2(null, 0);  // dup2 clears FD_CLOEXEC on 0
        sigset_t none;  // the program starts with no signal blocked, whatever the shim inherited
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execvp(argv[0], argv);
        fprintf(stderr, "jina: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int lifeline_open = 1;
    long long kill_at = -1;
    for (;;) {
        struct pollfd fds[2] = {{.fd = signals, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
        int timeout = -1;
        if (kill_at >= 0) {
            long long left = kill_at - now_ms();
            timeout = left > 0 ? (int)left : 0;
        }
        int ready = poll(fds, lifeline_open ? 2 : 1, timeout);
        if (ready < 0 && errno != EINTR) {
            signal_all(child, SIGKILL);
            _exit(1);
        }
        if (kill_at >= 0 && now_ms() >= kill_at) {
            signal_all(child, SIGKILL);
            kill_at = -1;
        }
        if (ready <= 0) continue;
        if (fds[0].revents & POLLIN) {
            struct signalfd_siginfo info;
            if (read(signals, &info, sizeof info) == sizeof info && info.ssi_signo != SIGCHLD
                && (pid_t)info.ssi_pid != getpid()) {
                // A stop sent to the shim reaches the program (a group signal reaches it twice,
                // which Jina's worker takes as one request to stop).
                kill(child, (int)info.ssi_signo);
            }
            int status;
            pid_t done = waitpid(child, &status, WNOHANG);
            if (done == child) end_like(status);
        }
        if (lifeline_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            char buffer[256];
            ssize_t count = read(0, buffer, sizeof buffer);
            if (count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN)) {
                lifeline_open = 0;  // `jina flow` is gone
                signal_all(child, SIGTERM);
                kill_at = now_ms() + grace_ms;
            }
        }
    }
}
