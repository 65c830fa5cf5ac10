/* tests/fuzz/fuzz_override.c — libFuzzer harness: `capsim validate BASE ARGS...` through the CLI
 * parser (cli_parse) and the --set overrides grafted into a fixed small scenario, then the round
 * trip (fuzz_util.h). Input: the command-line arguments after the file, one per line (so a
 * `--set` and its KEY=VALUE are two lines; `--set=KEY=VALUE` is one). */
#include "cli/cli.h"
#include "tests/fuzz/fuzz_util.h"

static const char BASE[] =
    "name: fuzz-base\n"
    "horizon: 1h\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 2/s}\n"
    "  work: {cpu: {dist: exponential, mean: 200ms}}\n"
    "lambda:\n"
    "  memory: 1024MB\n"
    "glue: {trigger: {every: 15min}}\n";

enum { MAX_ARGS = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    sim_init();
    char *argv[MAX_ARGS + 4] = {"capsim", "validate", "base.yaml"};
    int argc = 3;
    for (char *p = text; p && argc < MAX_ARGS + 3;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        argv[argc++] = p;
        p = nl ? nl + 1 : NULL;
    }
    argv[argc] = NULL;
    cli_options opt;
    /* Usage errors print to stderr: expected, and part of what is tested (no crash). */
    if (cli_parse(argc, argv, "validate", &opt) == CLI_EXIT_OK && !opt.help)
        fuzz_load_and_round_trip("fuzz.yaml", BASE, opt.overrides, opt.n_overrides);
    cli_options_fini(&opt);
    free(text);
    return 0;
}
