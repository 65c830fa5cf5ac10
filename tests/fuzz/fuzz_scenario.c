/* tests/fuzz/fuzz_scenario.c — libFuzzer harness: the scenario loader, as `capsim validate`
 * runs it (YAML, every key's checks, data files, pricing table, warnings), and the effective
 * scenario's round trip (fuzz_util.h). Input: a scenario file's text. Relative data-file paths
 * resolve against the working directory. */
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0; /* scenarios are a few KB; big inputs only slow the fuzzer down */
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    sim_init();
    fuzz_load_and_round_trip("fuzz.yaml", text, NULL, 0);
    free(text);
    return 0;
}
