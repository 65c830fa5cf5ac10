/* models/pricing.c — the built-in pricing table (see pricing.h for the source). */
#include "models/pricing.h"

#include <string.h>

static const pricing_table tables[] = {
    {
        .name = "aws-us-east-1",
        .source = "AWS Lambda pricing page, us-east-1, as stored late 2026 (shared/AWS-REFERENCE.md)",
        .lambda_usd_per_request = 0.20 / 1e6,
        .lambda = {
            [SCN_ARCH_X86_64] = {0.0000166667, 0.0000041667, 0.0000097222},
            [SCN_ARCH_ARM64] = {0.0000133334, 0.0000033334, 0.0000077778},
        },
        .lambda_ephemeral_usd_per_gb_s = 0.0000000309,
        .lambda_provisioned_round_s = 300.0,
    },
};

const pricing_table *pricing_find(const char *name) {
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (strcmp(tables[i].name, name) == 0) return &tables[i];
    return NULL;
}
