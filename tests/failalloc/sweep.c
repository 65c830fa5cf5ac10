/* tests/failalloc/sweep.c — every allocation of a `capsim run` fails in turn, cleanly.
 *
 *   failalloc_sweep OUT-DIR MAX-N SCENARIO...
 *
 * For each scenario: `capsim run SCENARIO -o OUT-DIR -q -j 1` runs once without failure (it
 * must succeed, and its allocations are counted), then again with allocation N failing, for
 * N = 1, 2, 3, ... until a run makes fewer than N allocations (or N passes MAX-N: then the test
 * fails, raise MAX-N). Each run with a failure must end cleanly: exit 1 and "out of memory" on
 * stderr, nothing in OUT-DIR, and as many blocks allocated as freed (no leak; the asan build's
 * LeakSanitizer checks the same at exit, and ASan that nothing crashed or misbehaved). A run
 * that recovers from the failure (the C library falls back, e.g. an unbuffered stream) may
 * instead succeed, with its output written. capsim's main runs in this process (cli/main.c
 * compiled as capsim_main): a fresh process per N would cost a second each under ASan.
 * FAILALLOC_ONLY=N in the environment runs only N, to debug it (valgrind, gdb). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/failalloc/failalloc.h"

int capsim_main(int argc, char **argv);

static char err_path[4200], out_path[4300];
static char err_text[65536];
static const char *current_scenario = "";
static unsigned long current_n;
static int real_stderr = 2; /* stderr while capsim's is redirected */

/* When a run dies (a sanitizer's report, a crash), say which allocation was failing and show
 * the run's stderr, where the report went. Async-signal-safe: write() only. */
static void put(const char *s) { ssize_t ignored = write(real_stderr, s, strlen(s)); (void)ignored; }
static void report_death(void)
{
    char num[32];
    int i = (int)sizeof num - 1;
    num[i] = '\0';
    unsigned long n = current_n;
    do {
        num[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n && i > 0);
    put("failalloc_sweep: the run died with allocation ");
    put(current_n ? num + i : "(none)");
    put(" failing, scenario ");
    put(current_scenario);
    put("; its stderr:\n");
    int fd = open(err_path, O_RDONLY);
    char buf[4096];
    ssize_t got;
    while (fd >= 0 && (got = read(fd, buf, sizeof buf)) > 0) {
        ssize_t ignored = write(real_stderr, buf, (size_t)got);
        (void)ignored;
    }
}

static void on_crash(int sig)
{
    report_death();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Sanitizer runtimes call this before they end the process (weak: absent in the dev build). */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* Runs capsim with stderr in err_path; returns its exit code. */
static int run_capsim(char **argv, int argc)
{
    fflush(stderr);
    int saved = dup(2);
    int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    real_stderr = saved;
    int rc = capsim_main(argc, argv);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    real_stderr = 2;
    fd = open(err_path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, err_text, sizeof err_text - 1) : 0;
    err_text[n > 0 ? n : 0] = '\0';
    if (fd >= 0)
        close(fd);
    return rc;
}

static int out_exists(void)
{
    return access(out_path, F_OK) == 0;
}

/* Anything but results.txt in the folder (a temporary file left behind). */
static int stray_files(const char *dir)
{
    DIR *d = opendir(dir);
    int stray = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        stray |= strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "results.txt");
    if (d)
        closedir(d);
    return stray;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: failalloc_sweep OUT-DIR MAX-N SCENARIO...\n");
        return 2;
    }
    const char *dir = argv[1];
    unsigned long max_n = strtoul(argv[2], NULL, 10);
    snprintf(err_path, sizeof err_path, "%s/.stderr", dir);
    snprintf(out_path, sizeof out_path, "%s/results.txt", dir);
    char errdir[4200];
    snprintf(errdir, sizeof errdir, "%s/run", dir);
    if (mkdir(errdir, 0700) != 0 && errno != EEXIST) {
        perror(errdir);
        return 2;
    }
    snprintf(out_path, sizeof out_path, "%s/results.txt", errdir);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(report_death);
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGABRT, on_crash);
    int failures = 0;
    for (int s = 3; s < argc; s++) {
        current_scenario = argv[s];
        current_n = 0;
        char *args[] = {"capsim", "run", argv[s], "-o", errdir, "-q", "-j", "1", NULL};
        int nargs = 8;
        failalloc_arm(0);
        int rc = run_capsim(args, nargs);
        if (rc != 0 || !out_exists()) {
            fprintf(stderr, "%s: the run without failures exited %d:\n%s", argv[s], rc, err_text);
            failures++;
            continue;
        }
        unlink(out_path);
        unsigned long n, recovered = 0;
        /* FAILALLOC_ONLY=N: fail only allocation N (to debug it, under valgrind or gdb). */
        const char *only = getenv("FAILALLOC_ONLY");
        unsigned long first = only ? strtoul(only, NULL, 10) : 1;
        for (n = first; n <= max_n && (!only || n == first); n++) {
            int64_t live_before = failalloc_live();
            current_n = n;
            failalloc_arm(n);
            rc = run_capsim(args, nargs);
            int fired = failalloc_fired();
            unsigned long count = (unsigned long)failalloc_count();
            failalloc_arm(0);
            int64_t leaked = failalloc_live() - live_before;
            int had_out = out_exists();
            unlink(out_path);
            int stray = stray_files(errdir);
            if (!fired) {
                if (rc != 0 || !had_out) {
                    fprintf(stderr, "%s: the run of %lu allocations exited %d:\n%s", argv[s],
                            count, rc, err_text);
                    failures++;
                }
                break;
            }
            const char *why = NULL;
            if (rc == 0 && had_out)
                recovered++;
            else if (rc != 1)
                why = "exit code is not 1";
            else if (!strstr(err_text, "out of memory"))
                why = "stderr does not say \"out of memory\"";
            else if (had_out)
                why = "results were written";
            if (!why && stray)
                why = "a file was left in the output folder";
            if (!why && leaked != 0)
                why = "blocks allocated and freed differ (a leak)";
            if (why) {
                fprintf(stderr, "%s: allocation %lu failing: %s (exit %d, %+lld blocks); stderr:\n%s",
                        argv[s], n, why, rc, (long long)leaked, err_text);
                failures++; /* and go on: every bad N is reported */
            }
        }
        if (only)
            continue;
        if (n > max_n) {
            fprintf(stderr, "%s: more than %lu allocations; raise MAX-N\n", argv[s], max_n);
            failures++;
        }
        printf("%s: %lu allocations, each failed in turn (%lu runs recovered)\n", argv[s], n - 1,
               recovered);
    }
    unlink(err_path);
    return failures ? 1 : 0;
}
