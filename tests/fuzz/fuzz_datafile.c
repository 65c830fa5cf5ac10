/* tests/fuzz/fuzz_datafile.c — libFuzzer harness: the data files a scenario names. Input: one
 * byte that picks the reader, then the file's bytes, which are written to a temporary file that
 * a small scenario names:
 *   0 a timestamps trace, 1 an Azure per-minute trace (all rows), 2 the same picking row 2,
 *   3 the same picking HashFunction f1, 4 an empirical table of durations, 5 of sizes;
 * each with loop on and off. Then the round trip (fuzz_util.h). */
#include <unistd.h>

#include "tests/fuzz/fuzz_util.h"

static char path[64];

static void remove_path(void) { unlink(path); }

static const char *scenario_for(unsigned pick, char *buf, size_t len)
{
    static const char *const arrivals[] = {
        "{process: trace, trace: {file: %s, loop: %s}}",
        "{process: trace, trace: {file: %s, format: per_minute, all: true, loop: %s}}",
        "{process: trace, trace: {file: %s, format: per_minute, row: 2, loop: %s}}",
        "{process: trace, trace: {file: %s, format: per_minute, function: f1, loop: %s}}",
    };
    const char *loop = (pick / 6) % 2 ? "true" : "false";
    char arr[256], work[256] = "{}", item[256] = "{}";
    pick %= 6;
    if (pick < 4) {
        snprintf(arr, sizeof arr, arrivals[pick], path, loop);
    } else {
        snprintf(arr, sizeof arr, "{process: poisson, rate: 5/s}");
        if (pick == 4)
            snprintf(work, sizeof work, "{cpu: {dist: empirical, file: %s}}", path);
        else
            snprintf(item, sizeof item, "{size: {dist: empirical, file: %s}}", path);
    }
    snprintf(buf, len,
             "name: fuzz-data\nhorizon: 1h\nworkload:\n  arrivals: %s\n  work: %s\n  item: %s\n"
             "lambda: {}\n", arr, work, item);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (4u << 20))
        return 0;
    sim_init();
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/capsim-fuzz-data-%ld.txt", (long)getpid());
        atexit(remove_path);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    size_t n = fwrite(data + 1, 1, size - 1, f);
    if (fclose(f) != 0 || n != size - 1)
        return 0;
    char text[1024];
    fuzz_load_and_round_trip("fuzz.yaml", scenario_for(data[0], text, sizeof text), NULL, 0);
    return 0;
}
