/* tests/fuzz/fuzz_util.h — what the libFuzzer harnesses share: load a scenario and check the
 * effective-scenario round trip.
 *
 * A harness must never crash, hang, leak or trip a sanitizer on any input; a loaded scenario must
 * also survive `capsim validate`'s round trip: what validate prints loads back, and prints the
 * same text again. A broken round trip aborts, so libFuzzer keeps it as a crash. */
#ifndef TESTS_FUZZ_FUZZ_UTIL_H
#define TESTS_FUZZ_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario.h"
#include "sim/diag.h"
#include "sim/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The effective scenario, as validate prints it (malloc'ed), or NULL when out of memory. */
static inline char *fuzz_effective(const scenario *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    int rc = scenario_write_yaml(s, f);
    if (fclose(f) != 0 || rc) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Loads text (with overrides); when it loads, checks the round trip and the warnings pass. */
static inline void fuzz_load_and_round_trip(const char *name, const char *text,
                                            const char *const *overrides, size_t n_overrides)
{
    sim_diag diag;
    sim_diag_init(&diag);
    scenario *s = NULL;
    int rc = scenario_load_string(name, text, overrides, n_overrides, &diag, &s);
    sim_diag_fini(&diag);
    if (rc != SIM_OK)
        return;
    sim_diag warnings;
    sim_diag_init(&warnings);
    scenario_warn(s, &warnings);
    sim_diag_fini(&warnings);
    char *first = fuzz_effective(s);
    scenario_destroy(s);
    if (!first)
        return;
    sim_diag_init(&diag);
    scenario *again = NULL;
    rc = scenario_load_string(name, first, NULL, 0, &diag, &again);
    if (rc != SIM_OK) {
        fprintf(stderr, "round trip: the effective scenario does not load back:\n%s\n", first);
        sim_diag_print(&diag, stderr);
        abort();
    }
    sim_diag_fini(&diag);
    char *second = fuzz_effective(again);
    scenario_destroy(again);
    if (second && strcmp(first, second) != 0) {
        fprintf(stderr, "round trip: the effective scenario changed:\n%s\n---\n%s\n", first, second);
        abort();
    }
    free(first);
    free(second);
}

/* A NUL-terminated copy of the fuzzer's bytes (NULL when out of memory). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    if (t) {
        memcpy(t, data, size);
        t[size] = '\0';
    }
    return t;
}

#endif
