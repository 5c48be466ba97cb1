#ifndef CJINA_LIFELINE_H
#define CJINA_LIFELINE_H

/// Runs `argv[0]` with `argv` as a child that cannot outlive `jina flow` (see lifeline.c).
/// Never returns: the process exits with the child's status (or dies of the child's signal).
/// `grace_ms`: how long the child has to exit after SIGTERM once the lifeline is gone.
_Noreturn void jina_lifeline_exec(char *const argv[], int grace_ms);

#endif
