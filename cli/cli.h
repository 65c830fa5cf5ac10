/* cli/cli.h — shared pieces of the capsim program: exit codes, parsed options, writers.
 *
 * Exit codes (RESULTS-FORMAT.md) are defined once here, in an X-macro table that also feeds
 * `capsim --help`. Options are defined once in options.c (name, argument, help, commands). */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "models/report.h"
#include "models/scenario.h"

#define CLI_EXIT_MAP(X)                                                   \
    X(OK, 0, "success")                                                   \
    X(RUNTIME, 1, "simulation or runtime failure")                        \
    X(USAGE, 2, "usage error (unknown command or option, bad argument)")   \
    X(SCENARIO, 3, "invalid scenario (every problem is printed as FILE:LINE:COL)") \
    X(IO, 4, "I/O error (cannot read the scenario or write an output)")             \
    X(INTERRUPTED, 130, "interrupted (Ctrl-C; 143 for SIGTERM): nothing was written")

enum cli_exit {
#define CLI_X_(name, code, text) CLI_EXIT_##name = code,
    CLI_EXIT_MAP(CLI_X_)
#undef CLI_X_
};

typedef enum cli_format { CLI_FORMAT_TABLE, CLI_FORMAT_JSON, CLI_FORMAT_CSV } cli_format;

#define CLI_MAX_OPTIONS 64 /* entries of the option table (options.c checks) */

typedef struct cli_options {
    const char *command;
    const char *file;
    const char **overrides; /* --set values, then -s/-r as "seed=N", "replications=N" (owned array) */
    size_t n_overrides;
    char seed_override[64], reps_override[64];
    int threads;            /* 0 = all cores */
    cli_format format;
    const char *out_dir;    /* NULL = stdout */
    bool quiet;
    bool help;
    const char *values[CLI_MAX_OPTIONS]; /* a command's own options, as text (cli_option_value) */
    const char **varies;    /* sweep: the --vary arguments, in order (owned array) */
    size_t n_varies;
    const char **files;     /* merge: the FILE arguments (owned array) */
    size_t n_files;
    const char **goals;     /* optimize: the --goal arguments, in order (owned array) */
    size_t n_goals;
} cli_options;

/* Parses argv[2..] for `command`. Returns CLI_EXIT_OK, or CLI_EXIT_USAGE after printing why. */
int cli_parse(int argc, char **argv, const char *command, cli_options *opt);
void cli_options_fini(cli_options *opt);
/* The text given to a command's own option (`--memory 1536MB` -> "1536MB"; "" for a flag), or
 * NULL when it was not given. long_name must be in the option table. */
const char *cli_option_value(const cli_options *opt, const char *long_name);
/* 1: a command of this version; 0: a planned command; -1: no such command. */
int cli_command_status(const char *name);
/* Prints the help of one command (or the program's when command is NULL). */
void cli_print_help(FILE *out, const char *command);

/* `capsim cost` (cmd_cost.c): prices the usage given as options; returns an exit code. */
int cli_cmd_cost(const cli_options *opt);
/* `capsim sweep` (cmd_sweep.c) and `capsim merge` (cmd_merge.c); return an exit code. */
int cli_cmd_sweep(const cli_options *opt);
int cli_cmd_merge(const cli_options *opt);
/* `capsim optimize` (cmd_optimize.c); returns an exit code. */
int cli_cmd_optimize(const cli_options *opt);
/* `capsim plot` (cmd_plot.c) and `capsim report` (cmd_report.c); return an exit code. */
int cli_cmd_plot(const cli_options *opt);
int cli_cmd_report(const cli_options *opt);

/* Loads opt->file with its overrides; prints diagnostics and returns an exit code (load.c). */
int cli_load_scenario(const cli_options *opt, scenario **out);
/* Prints diag (stderr) and turns a loader's result into an exit code: 0, 3 for an invalid
 * scenario, 4 for I/O, else 1 with the error named after file. */
int cli_load_exit(const char *file, int rc, const sim_diag *diag);
/* `capsim lesson [TOPIC]` (cmd_lesson.c): list the lessons, or run one; returns an exit code. */
int cli_cmd_lesson(const cli_options *opt);

/* Writers: render the report into a malloc'ed string (NULL when out of memory). */
char *cli_render_json(const scenario *s, const report *r);
char *cli_render_table(const scenario *s, const report *r);
char *cli_render_csv(const scenario *s, const report *r);

/* Pieces of the run writers shared with the sweep writers (output.c): a report section as the
 * run's JSON object (new reference, NULL when out of memory); "$0.1234"/"$12.34"; "1.234 s" /
 * "2.5 min"; "12" / "12.5"; text word-wrapped to width, lines after the first indented. */
struct json_t *cli_section_json(const report_section *sec, bool with_ci);
/* json_dumps(root, flags) with a final newline (writers print lines); NULL when out of memory. */
char *cli_json_text(struct json_t *root, size_t flags);
void cli_format_usd(char *buf, size_t len, double usd);
void cli_format_latency(char *buf, size_t len, double s);
void cli_format_count(char *buf, size_t len, double v);
void cli_print_wrapped(FILE *f, const char *first, const char *text, int width);

/* Writes text to stdout (dir == NULL) or atomically to dir/name (temporary file, then rename).
 * Returns CLI_EXIT_OK or CLI_EXIT_IO after printing why, or cli_interrupted()'s code (nothing
 * written) when a stop was requested before the rename. */
int cli_emit(const char *dir, const char *name, const char *text);
/* Makes the output folder dir and its missing parents (mkdir -p; an existing folder is fine).
 * Returns CLI_EXIT_OK or CLI_EXIT_IO after printing why (outdir.c). */
int cli_out_dir_create(const char *dir);

/* Ctrl-C and SIGTERM (interrupt.c). Installs the handlers that turn a signal into a stop request
 * (a second one exits at once, removing the temporary file cli_interrupt_guard_file names). */
void cli_interrupt_install(void);
void cli_interrupt_guard_file(const char *tmp_path); /* NULL: none */
/* 0, or after printing "capsim: interrupted" the exit code: 128 + the signal. */
int cli_interrupted(void);

#endif
