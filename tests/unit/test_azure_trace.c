/* tests/unit/test_azure_trace.c — replaying the real Azure Functions 2019 sample (500 functions,
 * 480 minutes, 3,037,902 invocations: VALIDATION.md §7): `all: true` gives exactly its total,
 * and every minute's count, as read here independently of the loader; `row: 1` and the busiest
 * function, picked by its hash, give theirs.
 *
 * The sample is third-party data and is not in the repository. Its folder (the one holding
 * invocations.csv) is $CAPSIM_AZURE_TRACE, else the project's shared folder beside the checkout
 * when CTest names one ($CAPSIM_SHARED_FALLBACK/data/azure2019_invitro_sample500); without
 * either, the program says why and exits 77, which CTest reports as skipped. A folder named by
 * $CAPSIM_AZURE_TRACE that lacks the file is a failure: it was asked for. */
#include "workload_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AZURE_MINUTES 480
#define AZURE_ROWS 500
#define AZURE_TOTAL 3037902 /* VALIDATION.md §7 and the sample's README */
#define SKIPPED 77          /* CTest's SKIP_RETURN_CODE (tests/CMakeLists.txt) */

static char azure_file[4096];

/* The sample's counts, read here without the loader: data row `row` (1-based), or the sum of
 * all rows for row 0. Also reports the data row with the most invocations and its hash. */
static void azure_counts(int64_t row, int64_t *minutes, int64_t *busiest_row, char *busiest_hash,
                         size_t hash_len)
{
    FILE *f = fopen(azure_file, "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0;
    int64_t r = -1, best = -1;
    memset(minutes, 0, AZURE_MINUTES * sizeof *minutes);
    while (getline(&line, &cap, f) >= 0) {
        if (++r == 0)
            continue; /* the header */
        char *save = NULL, *tok = strtok_r(line, ",\r\n", &save);
        char hash[128] = "";
        int64_t total = 0;
        for (int col = 0; tok; col++, tok = strtok_r(NULL, ",\r\n", &save)) {
            if (col == 2)
                snprintf(hash, sizeof hash, "%s", tok);
            if (col < 4)
                continue;
            assert_true(col - 4 < AZURE_MINUTES);
            int64_t c = strtoll(tok, NULL, 10);
            total += c;
            if (row == 0 || row == r)
                minutes[col - 4] += c;
        }
        if (total > best) {
            best = total;
            *busiest_row = r;
            snprintf(busiest_hash, hash_len, "%s", hash);
        }
    }
    free(line);
    fclose(f);
    assert_int_equal(r, AZURE_ROWS);
}

static scenario *load_azure(const char *pick)
{
    return load("name: t\nhorizon: 480min\nworkload:\n  arrivals:\n    process: trace\n"
                "    trace: {file: \"%s\", format: per_minute, %s}\nlambda: {}\n", azure_file,
                pick);
}

/* all: true reproduces the sample's total exactly, and every minute's count. */
static void test_azure_all(void **state)
{
    (void)state;
    int64_t want[AZURE_MINUTES], got[AZURE_MINUTES] = {0}, busiest;
    char hash[128];
    azure_counts(0, want, &busiest, hash, sizeof hash);
    assert_int_equal(sum(want, AZURE_MINUTES), AZURE_TOTAL);

    scenario *s = load_azure("all: true");
    assert_int_equal(s->workload.trace.n_minutes, AZURE_MINUTES);
    assert_int_equal(s->workload.trace.total, AZURE_TOTAL);
    assert_int_equal(drain(s, 0, US_PER_MIN, got, AZURE_MINUTES), AZURE_TOTAL);
    assert_counts(got, want, AZURE_MINUTES);
    scenario_destroy(s);
}

/* row: N and function: HASH give that row, minute by minute. */
static void test_azure_row_and_function(void **state)
{
    (void)state;
    int64_t want[AZURE_MINUTES], got[AZURE_MINUTES], busiest;
    char hash[128], pick[256];

    azure_counts(1, want, &busiest, hash, sizeof hash);
    memset(got, 0, sizeof got);
    scenario *s = load_azure("row: 1");
    assert_int_equal(drain(s, 0, US_PER_MIN, got, AZURE_MINUTES), sum(want, AZURE_MINUTES));
    assert_counts(got, want, AZURE_MINUTES);
    scenario_destroy(s);

    /* The busiest function (about 1.9 million invocations), picked by its hash. */
    azure_counts(busiest, want, &busiest, hash, sizeof hash);
    assert_true(sum(want, AZURE_MINUTES) > 1000000);
    snprintf(pick, sizeof pick, "function: %s", hash);
    memset(got, 0, sizeof got);
    s = load_azure(pick);
    assert_int_equal(drain(s, 0, US_PER_MIN, got, AZURE_MINUTES), sum(want, AZURE_MINUTES));
    assert_counts(got, want, AZURE_MINUTES);
    scenario_destroy(s);
}

int main(void)
{
    const char *dir = getenv("CAPSIM_AZURE_TRACE");
    const char *shared = getenv("CAPSIM_SHARED_FALLBACK");
    if (dir && *dir) {
        snprintf(azure_file, sizeof azure_file, "%s/invocations.csv", dir);
        if (access(azure_file, R_OK) != 0) {
            printf("CAPSIM_AZURE_TRACE=%s: cannot read %s\n", dir, azure_file);
            return 1;
        }
    } else if (shared && *shared) {
        snprintf(azure_file, sizeof azure_file,
                 "%s/data/azure2019_invitro_sample500/invocations.csv", shared);
        if (access(azure_file, R_OK) != 0)
            azure_file[0] = '\0';
    }
    if (!azure_file[0]) {
        printf("skipped: the Azure Functions 2019 sample is not here: set CAPSIM_AZURE_TRACE to "
               "the folder holding its invocations.csv (scenarios/azure-trace-replay.yaml says "
               "where to download it)\n");
        return SKIPPED;
    }
    printf("trace: %s\n", azure_file);
    sim_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_azure_all),
        cmocka_unit_test(test_azure_row_and_function),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
