/* cli/options.c — the one place that defines every command, option and its help text.
 *
 * Each option lists the commands it applies to; the parser and `--help` both walk the same
 * table, so an option can never be accepted without being documented or vice versa. Options
 * common to the scenario commands are interpreted here; a command's own options (OPT_VALUE:
 * `capsim cost --memory 1536MB`) are only recorded, as text, and interpreted by the command
 * with the strict parsers of models/units.h (cli_option_value). */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sim/error.h"

enum { CMD_RUN = 1, CMD_VALIDATE = 2, CMD_COST = 4, CMD_SCHEMA = 8, CMD_SWEEP = 16, CMD_MERGE = 32,
       CMD_OPTIMIZE = 64, CMD_PLOT = 128, CMD_REPORT = 256, CMD_LESSON = 512 };

typedef struct cli_command {
    const char *name;
    unsigned bit;           /* 0: listed but not in this version */
    const char *synopsis;
    const char *summary;
    int takes_file;         /* 1: a scenario FILE argument is required; 2: one or more FILEs;
                               3: one optional argument (lesson's TOPIC, in opt->file) */
    const char *details;    /* more, for the command's own --help (NULL: none) */
} cli_command;

static const cli_command commands[] = {
    {"run", CMD_RUN, "capsim run FILE [options]",
     "simulate every platform in the scenario and print the results", true, NULL},
    {"validate", CMD_VALIDATE, "capsim validate FILE [--set KEY=VALUE]...",
     "check a scenario; print it with every default filled in", true, NULL},
    {"cost", CMD_COST,
     "capsim cost --requests N --duration D --memory M [--arch arm64] [--ephemeral M]\n"
     "                   [--provisioned N --provisioned-hours H [--provisioned-requests R\n"
     "                    --provisioned-duration D]] [--free-tier]\n"
     "                   [--glue-dpu N --glue-hours H [--glue-flex]]\n"
     "                   [--emr-instance TYPE --emr-count N --emr-hours H]\n"
     "                   [--kinesis-shards N --kinesis-hours H] [--kinesis-put-units U]\n"
     "                   [--sqs-requests N] [--s3-put N] [--s3-get N] [--sfn-transitions N]\n"
     "                   [--logs-gb G] [--format json]",
     "price a monthly usage directly, like AWS's calculator (no simulation)", false, NULL},
    {"schema", CMD_SCHEMA, "capsim schema",
     "print every scenario key: type, range, default, meaning (scenarios/SCHEMA.md)", false, NULL},
    {"sweep", CMD_SWEEP,
     "capsim sweep FILE --vary KEY=V1,V2,... [--vary KEY=...]... [--zip] [--shard I/N] [options]",
     "run the scenario at each value of the varied keys (several --vary: a grid)", true, NULL},
    {"optimize", CMD_OPTIMIZE,
     "capsim optimize FILE --vary KEY=V1,V2,... [--vary ...]... --goal 'METRIC<=VALUE'...\n"
     "                       [--objective METRIC] [--confirm-runs K] [options]",
     "find the cheapest configuration (of the --vary values) that meets every goal", true, NULL},
    {"plot", CMD_PLOT, "capsim plot FILE -o DIR [options]\n       capsim plot SWEEP.csv -o DIR",
     "run, then write plots (PNG, SVG and the CSV of each) into DIR; or plot a sweep's CSV", true,
     "A scenario gives Lambda's environments over time, its queue (async, Kinesis, SQS), items "
     "waiting for Glue or EMR jobs, the latency distribution and the cost breakdown per "
     "platform, and the cost accrued over time. A sweep's CSV (capsim sweep --format csv, one "
     "varied key) gives the memory curve for lambda.memory, cost and p99 latency per platform "
     "against the key (the crossover, for workload.arrivals.rate), or the cold-start share "
     "against lambda.keep_alive or lambda.concurrency.provisioned. Each plot is drawn by "
     "`gnuplot -c plots/TEMPLATE.gp NAME.csv NAME.png`; gnuplot is $CAPSIM_GNUPLOT when set, "
     "else gnuplot on the PATH. Without it the CSVs are written, the gnuplot commands printed "
     "on stdout, and capsim exits 0."},
    {"report", CMD_REPORT, "capsim report FILE -o DIR [options]",
     "run, then write DIR/report.html: comparison, verdict, plots, scenario, lesson", true,
     "One self-contained HTML page (styles and images inline, no network): the comparison "
     "table, the verdict with its notes and warnings, the plots (their CSV, PNG and SVG files "
     "are written beside it), every metric per platform, the effective scenario and its "
     "lesson. Without gnuplot the page says so and lists the data files."},
    {"lesson", CMD_LESSON, "capsim lesson [TOPIC] [-s N] [-r N] [-j N] [--format table|json] [-o DIR]",
     "list the lessons, or run one and answer its question with the numbers", 3, NULL},
    {"merge", CMD_MERGE, "capsim merge FILE... [--format table|json|csv] [-o DIR]",
     "combine the shard files of a sweep (--shard) into the whole sweep's output", 2, NULL},
};

typedef enum opt_id { OPT_SEED, OPT_REPS, OPT_THREADS, OPT_SET, OPT_FORMAT, OPT_OUT, OPT_QUIET,
                      OPT_HELP, OPT_VARY, OPT_GOAL,
                      OPT_VALUE /* recorded as text for the command (cli_option_value) */ } opt_id;

typedef struct cli_option {
    opt_id id;
    char short_name;        /* 0 = none */
    const char *long_name;
    const char *arg;        /* NULL = a flag */
    unsigned commands;
    const char *help;
} cli_option;

static const cli_option options[] = {
    {OPT_SEED, 's', "seed", "N", CMD_RUN | CMD_VALIDATE | CMD_SWEEP | CMD_OPTIMIZE | CMD_PLOT | CMD_REPORT |
     CMD_LESSON,
     "random seed (overrides the scenario's)"},
    {OPT_REPS, 'r', "replications", "N", CMD_RUN | CMD_VALIDATE | CMD_SWEEP | CMD_OPTIMIZE | CMD_PLOT | CMD_REPORT |
     CMD_LESSON,
     "independent replications (overrides the scenario's)"},
    {OPT_THREADS, 'j', "threads", "N", CMD_RUN | CMD_SWEEP | CMD_OPTIMIZE | CMD_PLOT | CMD_REPORT |
     CMD_LESSON,
     "threads for replications and sweep points (default: all cores); results do not depend on it"},
    {OPT_SET, 0, "set", "KEY=VALUE", CMD_RUN | CMD_VALIDATE | CMD_SWEEP | CMD_OPTIMIZE | CMD_PLOT | CMD_REPORT,
     "override a scenario key by its dotted path, e.g. --set lambda.memory=2048MB (repeatable)"},
    /* capsim sweep: */
    {OPT_VARY, 0, "vary", "KEY=V1,V2,...", CMD_SWEEP | CMD_OPTIMIZE,
     "vary a key over values: a list (lambda.memory=512MB,1GB), ranges A..B:xK (multiply) or "
     "A..B:+S (add), e.g. lambda.memory=128MB..3008MB:x2 (repeatable: a grid; optimize: the "
     "candidate values of a platform's keys)"},
    {OPT_VALUE, 0, "zip", NULL, CMD_SWEEP,
     "pair the --vary lists value by value (they must be as long) instead of forming a grid"},
    {OPT_VALUE, 0, "shard", "I/N", CMD_SWEEP,
     "run only the points p with p mod N = I-1 and write them as a shard file (JSON, whatever "
     "--format says) for capsim merge"},
    /* capsim optimize: */
    {OPT_GOAL, 0, "goal", "'METRIC OP VALUE'", CMD_OPTIMIZE,
     "a goal every platform with the metric must meet, e.g. 'latency_s.p99<=2s', "
     "'throttle_ratio<=0.1%', 'lambda.cold_start_ratio<0.01' (OP: <= < >= >; repeatable)"},
    {OPT_VALUE, 0, "objective", "METRIC", CMD_OPTIMIZE,
     "the metric to make lowest among the configurations meeting the goals (default "
     "cost_usd.per_month)"},
    {OPT_VALUE, 0, "confirm-runs", "K", CMD_OPTIMIZE,
     "run the best and the runner-up K more times with seeds SEED+1..SEED+K to tell them apart "
     "(default 3; 0: no confirmation)"},
    /* capsim plot and report: */
    {OPT_VALUE, 0, "bucket", "DURATION", CMD_PLOT | CMD_REPORT,
     "width of the time buckets of the plots over time, e.g. 10s (default: warmup + horizon in "
     "200 buckets)"},
    {OPT_FORMAT, 0, "format", "table|json|csv", CMD_RUN | CMD_COST | CMD_SWEEP | CMD_MERGE |
     CMD_OPTIMIZE | CMD_LESSON, "output format (default table; optimize, lesson: table or json)"},
    {OPT_OUT, 'o', "out", "DIR", CMD_RUN | CMD_SWEEP | CMD_MERGE | CMD_OPTIMIZE | CMD_PLOT | CMD_REPORT |
     CMD_LESSON,
     "write the output into DIR (made if missing) instead of stdout: run writes "
     "results.{txt,json,csv}, sweep and merge sweep.{txt,json,csv}, a shard "
     "sweep.shard-I-of-N.json, optimize optimize.{txt,json}; plot NAME.{csv,png,svg} per plot; "
     "report report.html and the plots (required for plot and report), lesson lesson.txt, "
     "lesson.json and each run's and sweep's CSV"},
    {OPT_QUIET, 'q', "quiet", NULL, CMD_RUN | CMD_SWEEP | CMD_MERGE | CMD_OPTIMIZE | CMD_PLOT |
     CMD_REPORT | CMD_LESSON,
     "print nothing but errors and the data"},
    /* capsim cost (RESULTS-FORMAT.md): a month of usage. Lambda on-demand: */
    {OPT_VALUE, 0, "requests", "N", CMD_COST,
     "on-demand requests in the month (not served by provisioned concurrency)"},
    {OPT_VALUE, 0, "duration", "D", CMD_COST,
     "duration of each on-demand request, e.g. 120ms (billed rounded up to 1 ms); "
     "--requests 0 needs no --duration or --memory"},
    {OPT_VALUE, 0, "memory", "SIZE", CMD_COST, "function memory, 128MB..10240MB, e.g. 1536MB"},
    {OPT_VALUE, 0, "arch", "x86_64|arm64", CMD_COST, "architecture (default x86_64)"},
    {OPT_VALUE, 0, "ephemeral", "SIZE", CMD_COST,
     "/tmp storage, 512MB..10240MB (default 512MB, which is included)"},
    /* Lambda provisioned concurrency: */
    {OPT_VALUE, 0, "provisioned", "N", CMD_COST, "provisioned concurrency (environments)"},
    {OPT_VALUE, 0, "provisioned-hours", "H", CMD_COST,
     "hours it is configured in the month (billed rounded up to 5 minutes)"},
    {OPT_VALUE, 0, "provisioned-requests", "N", CMD_COST,
     "requests served by provisioned environments"},
    {OPT_VALUE, 0, "provisioned-duration", "D", CMD_COST, "duration of each of those requests"},
    {OPT_VALUE, 0, "free-tier", NULL, CMD_COST,
     "apply the monthly free tier (requests and on-demand GB-s, never provisioned concurrency)"},
    /* Glue and EMR: */
    {OPT_VALUE, 0, "glue-dpu", "N", CMD_COST, "DPUs of a Glue job (Spark: at least 2)"},
    {OPT_VALUE, 0, "glue-hours", "H", CMD_COST,
     "hours each Glue run lasts (billed per second, at least 1 minute; 10 on Glue 0.9/1.0)"},
    {OPT_VALUE, 0, "glue-runs", "N", CMD_COST, "Glue runs in the month (default 1)"},
    {OPT_VALUE, 0, "glue-version", "V", CMD_COST, "Glue version, 0.9..5.0 (default 4.0)"},
    {OPT_VALUE, 0, "glue-flex", NULL, CMD_COST, "Glue Flex execution class"},
    {OPT_VALUE, 0, "emr-instance", "TYPE", CMD_COST,
     "EMR on EC2 instance type from the pricing table, e.g. m5.xlarge"},
    {OPT_VALUE, 0, "emr-count", "N", CMD_COST, "EMR instances, primary included (default 1)"},
    {OPT_VALUE, 0, "emr-hours", "H", CMD_COST,
     "hours the EMR instances run (billed per second, at least 1 minute)"},
    /* The services around the compute: */
    {OPT_VALUE, 0, "kinesis-shards", "N", CMD_COST, "Kinesis Data Streams shards (provisioned)"},
    {OPT_VALUE, 0, "kinesis-hours", "H", CMD_COST, "hours the shards exist in the month"},
    {OPT_VALUE, 0, "kinesis-put-units", "U", CMD_COST,
     "Kinesis PUT payload units (25 KB of a record each, at least 1 per record)"},
    {OPT_VALUE, 0, "sqs-requests", "N", CMD_COST,
     "SQS requests (each 64 KB chunk of a payload is one)"},
    {OPT_VALUE, 0, "s3-put", "N", CMD_COST, "S3 PUT requests"},
    {OPT_VALUE, 0, "s3-get", "N", CMD_COST, "S3 GET requests"},
    {OPT_VALUE, 0, "sfn-transitions", "N", CMD_COST, "Step Functions (Standard) state transitions"},
    {OPT_VALUE, 0, "logs-gb", "G", CMD_COST, "CloudWatch Logs data ingested, GB"},
    {OPT_VALUE, 0, "pricing", "TABLE", CMD_COST,
     "pricing table: a name in the pricing directory or a path (default aws-us-east-1)"},
    {OPT_HELP, 'h', "help", NULL,
     CMD_RUN | CMD_VALIDATE | CMD_COST | CMD_SCHEMA | CMD_SWEEP | CMD_MERGE | CMD_OPTIMIZE |
     CMD_PLOT | CMD_REPORT | CMD_LESSON,
     "show this help"},
};
_Static_assert(sizeof options / sizeof options[0] <= CLI_MAX_OPTIONS, "raise CLI_MAX_OPTIONS");

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const cli_command *command_find(const char *name) {
    for (size_t i = 0; i < COUNT(commands); i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

/* Prints text word-wrapped to `width` columns, starting at column `indent` (where the cursor
 * is) and indenting every further line as far. */
static void print_wrapped_text(FILE *out, const char *text, int indent, int width) {
    int col = indent;
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > indent && col + 1 + (int)word > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fwrite(text, 1, word, out);
        col += (int)word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

/* Prints an option's help after its 31-column head, wrapped to stay within 100 columns. */
static void print_help_text(FILE *out, const char *text) { print_wrapped_text(out, text, 31, 100); }

void cli_print_help(FILE *out, const char *command) {
    const cli_command *cmd = command ? command_find(command) : NULL;
    if (!cmd) {
        fprintf(out,
                "capsim %s — capacity-planning and cost simulator for serverless data pipelines\n\n"
                "usage: capsim COMMAND [ARGS] [OPTIONS]\n       capsim --help | --version\n\n"
                "commands:\n",
                CAPSIM_VERSION);
        for (size_t i = 0; i < COUNT(commands); i++)
            fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
        fprintf(out, "\n`capsim COMMAND --help` lists a command's options.\n\nexit codes:\n");
#define CLI_X_(name, code, text) fprintf(out, "  %-3d  %s\n", code, text);
        CLI_EXIT_MAP(CLI_X_)
#undef CLI_X_
        fprintf(out, "\nScenario format: docs/scenario-guide.md, scenarios/SCHEMA.md; results: docs/results.md.\n");
        return;
    }
    fprintf(out, "usage: %s\n\n%s\n", cmd->synopsis, cmd->summary);
    if (cmd->details) {
        fputc('\n', out);
        print_wrapped_text(out, cmd->details, 0, 100);
    }
    if (!cmd->bit) {
        fprintf(out, "\nNot available in capsim %s.\n", CAPSIM_VERSION);
        return;
    }
    fprintf(out, "\noptions:\n");
    for (size_t i = 0; i < COUNT(options); i++) {
        const cli_option *o = &options[i];
        if (!(o->commands & cmd->bit)) continue;
        char head[64];
        if (o->short_name)
            snprintf(head, sizeof head, "-%c, --%s%s%s", o->short_name, o->long_name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
        else
            snprintf(head, sizeof head, "    --%s%s%s", o->long_name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(out, "  %-28s ", head);
        print_help_text(out, o->help);
    }
}

static int usage_error(const char *command, const char *fmt, const char *arg) {
    fprintf(stderr, "capsim%s%s: ", command ? " " : "", command ? command : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'capsim %s%s--help'.\n", command ? command : "", command ? " " : "");
    return CLI_EXIT_USAGE;
}

/* Strict non-negative decimal integer (no sign, no leading zeros, no junk). */
static bool parse_count(const char *s, uint64_t max, uint64_t *out) {
    if (!*s || (s[0] == '0' && s[1]) || strspn(s, "0123456789") != strlen(s)) return false;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno || v > max) return false;
    *out = v;
    return true;
}

static int add_text(const char ***list, size_t *n, const char *text) {
    const char **o = realloc(*list, (*n + 1) * sizeof *o);
    if (!o) return -1;
    *list = o;
    o[(*n)++] = text;
    return 0;
}

static int add_override(cli_options *opt, const char *text) {
    return add_text(&opt->overrides, &opt->n_overrides, text);
}

int cli_parse(int argc, char **argv, const char *command, cli_options *opt) {
    memset(opt, 0, sizeof *opt);
    opt->command = command;
    const cli_command *cmd = command_find(command);
    bool seed_set = false, reps_set = false;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (cmd->takes_file == 2) {
                if (add_text(&opt->files, &opt->n_files, a))
                    return usage_error(command, "%s", "out of memory");
                continue;
            }
            if (opt->file || !cmd->takes_file)
                return usage_error(command, "unexpected argument '%s'", a);
            opt->file = a;
            continue;
        }
        const cli_option *o = NULL;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (size_t k = 0; k < COUNT(options); k++)
                if (strlen(options[k].long_name) == len && strncmp(options[k].long_name, name, len) == 0)
                    o = &options[k];
            if (o && eq) value = eq + 1;
        } else if (a[1]) {
            /* -j 2, or joined as getopt allows: -j2 (for an option that takes a value). */
            for (size_t k = 0; k < COUNT(options); k++)
                if (options[k].short_name == a[1]) o = &options[k];
            if (o && a[2]) {
                if (!o->arg) return usage_error(command, "option '%s' takes no value", a);
                value = a + 2;
            }
        }
        if (!o || !(o->commands & cmd->bit)) return usage_error(command, "unknown option '%s'", a);
        if (o->arg && !value) {
            if (i + 1 >= argc) return usage_error(command, "option '%s' needs a value", a);
            value = argv[++i];
        } else if (!o->arg && value) {
            return usage_error(command, "option '%s' takes no value", a);
        }
        uint64_t n;
        switch (o->id) {
        case OPT_SEED:
            if (!parse_count(value, (uint64_t)INT64_MAX, &n))
                return usage_error(command, "--seed needs a non-negative integer, not '%s'", value);
            snprintf(opt->seed_override, sizeof opt->seed_override, "seed=%s", value);
            seed_set = true;
            break;
        case OPT_REPS:
            if (!parse_count(value, 100000, &n) || n == 0)
                return usage_error(command, "--replications needs an integer 1..100000, not '%s'", value);
            snprintf(opt->reps_override, sizeof opt->reps_override, "replications=%s", value);
            reps_set = true;
            break;
        case OPT_THREADS:
            if (!parse_count(value, 1024, &n) || n == 0)
                return usage_error(command, "--threads needs an integer 1..1024, not '%s'", value);
            opt->threads = (int)n;
            break;
        case OPT_SET:
            if (!strchr(value, '='))
                return usage_error(command, "--set needs KEY=VALUE, not '%s'", value);
            if (add_override(opt, value)) return usage_error(command, "%s", "out of memory");
            break;
        case OPT_VARY:
            if (!strchr(value, '='))
                return usage_error(command, "--vary needs KEY=V1,V2,..., not '%s'", value);
            if (add_text(&opt->varies, &opt->n_varies, value))
                return usage_error(command, "%s", "out of memory");
            break;
        case OPT_GOAL:
            if (!strpbrk(value, "<>"))
                return usage_error(command, "--goal needs METRIC OP VALUE with OP one of <= < >= >, "
                                   "like 'latency_s.p99<=2s', not '%s'", value);
            if (add_text(&opt->goals, &opt->n_goals, value))
                return usage_error(command, "%s", "out of memory");
            break;
        case OPT_FORMAT:
            if (strcmp(value, "table") == 0) opt->format = CLI_FORMAT_TABLE;
            else if (strcmp(value, "json") == 0) opt->format = CLI_FORMAT_JSON;
            else if (strcmp(value, "csv") == 0) opt->format = CLI_FORMAT_CSV;
            else return usage_error(command, "--format must be table, json or csv, not '%s'", value);
            break;
        case OPT_OUT: opt->out_dir = value; break;
        case OPT_QUIET: opt->quiet = true; break;
        case OPT_HELP: opt->help = true; break;
        case OPT_VALUE: {
            size_t k = (size_t)(o - options);
            if (opt->values[k]) return usage_error(command, "option '%s' is given twice", a);
            opt->values[k] = value ? value : "";
            break;
        }
        }
    }
    /* -s and -r go last, so they win over --set and the file, and get the same checks. */
    if ((seed_set && add_override(opt, opt->seed_override)) ||
        (reps_set && add_override(opt, opt->reps_override)))
        return usage_error(command, "%s", "out of memory");
    if (!opt->help && cmd->takes_file == 1 && !opt->file)
        return usage_error(command, "%s", "missing scenario FILE");
    if (!opt->help && cmd->takes_file == 2 && opt->n_files == 0)
        return usage_error(command, "%s", "missing FILE (the shard files to merge)");
    return CLI_EXIT_OK;
}

void cli_options_fini(cli_options *opt) {
    free(opt->overrides);
    opt->overrides = NULL;
    opt->n_overrides = 0;
    free(opt->varies);
    opt->varies = NULL;
    opt->n_varies = 0;
    free(opt->files);
    opt->files = NULL;
    opt->n_files = 0;
    free(opt->goals);
    opt->goals = NULL;
    opt->n_goals = 0;
}

const char *cli_option_value(const cli_options *opt, const char *long_name) {
    for (size_t k = 0; k < COUNT(options); k++)
        if (options[k].id == OPT_VALUE && strcmp(options[k].long_name, long_name) == 0)
            return opt->values[k];
    SIM_ASSERT(!"cli_option_value: no such option");
    return NULL;
}

int cli_command_status(const char *name) {
    const cli_command *cmd = command_find(name);
    return !cmd ? -1 : cmd->bit ? 1 : 0;
}
