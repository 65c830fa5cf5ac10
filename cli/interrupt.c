/* cli/interrupt.c — Ctrl-C (SIGINT) and SIGTERM during `capsim run`.
 *
 * The handler only records the request (sim/interrupt.h); the simulation loops poll it and
 * unwind through their error path, so the run ends within a few thousand events, frees
 * everything, and writes nothing; then "capsim: interrupted" and exit 128 + the signal (130 for
 * Ctrl-C). A second signal means "now": the handler removes the temporary output file being
 * written, if any, and exits at once. Other commands keep the default action (they write
 * nothing before they are done). */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sim/interrupt.h"

_Static_assert(ATOMIC_POINTER_LOCK_FREE == 2, "the handler reads the temporary file's name");

/* The temporary file cli_emit is writing, for the handler to remove. */
static _Atomic(const char *) cli_tmp_file_;

static void on_signal(int sig)
{
    if (sim_interrupt_pending()) {
        int saved = errno;
        const char *tmp = atomic_load(&cli_tmp_file_);
        if (tmp)
            unlink(tmp);
        static const char msg[] = "capsim: interrupted\n";
        ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)ignored;
        errno = saved;
        _exit(128 + sig);
    }
    sim_interrupt_request(sig);
}

void cli_interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* reads and writes go on; the loops notice the request */
    /* A SIGINT ignored at start (a background job of a script, nohup) stays ignored. */
    struct sigaction old;
    if (sigaction(SIGINT, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
        sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void cli_interrupt_guard_file(const char *tmp_path)
{
    atomic_store(&cli_tmp_file_, tmp_path);
}

int cli_interrupted(void)
{
    int sig = sim_interrupt_pending();
    if (!sig)
        return 0;
    fprintf(stderr, "capsim: interrupted\n");
    return 128 + (sig > 0 ? sig : SIGINT);
}
