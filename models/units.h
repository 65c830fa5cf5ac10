/* models/units.h — strict parsing and exact formatting of values with units.
 *
 * Scenario files and CLI options (`capsim cost --duration 120ms --memory 1536MB`) write durations,
 * sizes, rates, counts and plain numbers as text. These parsers accept exactly the forms of
 * SCENARIO-FORMAT.md "Values" and nothing else, because a lenient parser (libcyaml reads `128MB`
 * as 128 and `0128` as octal) turns typos into silently wrong simulations:
 *   duration  NUMBER UNIT, no space, UNIT one of us ms s min h d          250ms 2s 1.5min 7d
 *   size      NUMBER UNIT, UNIT one of KB MB GB TB (binary: 1 GB = 1024 MB)  512MB 1.5GB 10KB
 *   rate      NUMBER "/" (UNIT | WORD | DURATION), WORD one of second minute hour day
 *                                                              100/s 6000/min 50000/day 1000/10s
 *   integer   digits, optional leading '-', no leading zero, no '+', no exponent   42 -1
 *   number    like integer, plus an optional fraction and exponent         0.6 1e-4 -2.5
 * NUMBER in values with units is digits with an optional fraction ("1.5"; not ".5", "1e3",
 * "+1" or "-1"): a unit already scales it, and negative durations and sizes make no sense.
 *
 * Each parser returns 0, or a negative sim_error code (SIM_EPARSE: not of the form; SIM_ERANGE:
 * negative, too large, or finer than the unit allows) and writes into msg a one-line message that
 * quotes the text and says what is allowed. Range checks (128MB..10240MB) are the caller's.
 *
 * The formatters write the shortest text that the parsers read back to the identical value,
 * using the largest unit that represents it with at most three decimals (90s -> "1.5min"). */
#ifndef MODELS_UNITS_H
#define MODELS_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/time.h"

/* A rate as written (count per period) and as used (per second). */
typedef struct units_rate {
    double count;          /* >= 0 */
    sim_time_us period_us; /* > 0 */
    double per_s;          /* count / period in seconds */
} units_rate;

/* Durations are whole microseconds (sim_time_us); "1.5us" is an error. */
int units_parse_duration(const char *text, sim_time_us *out_us, char *msg, size_t msg_len);
/* Sizes in MB (binary units, so every accepted value is exact in a double). */
int units_parse_size_mb(const char *text, double *out_mb, char *msg, size_t msg_len);
int units_parse_rate(const char *text, units_rate *out, char *msg, size_t msg_len);
int units_parse_int64(const char *text, int64_t *out, char *msg, size_t msg_len);
/* Like units_parse_int64 without a sign (seeds). */
int units_parse_uint64(const char *text, uint64_t *out, char *msg, size_t msg_len);
/* A finite decimal number; no nan, inf, hex or leading '+'. */
int units_parse_number(const char *text, double *out, char *msg, size_t msg_len);
/* `true` or `false` only (not YAML 1.1's yes/no/on/off, which surprise people). */
int units_parse_bool(const char *text, bool *out, char *msg, size_t msg_len);

/* "250ms", "10min", "1.5h", "0s". Negative values get a leading '-'. */
void units_format_duration(char *buf, size_t len, sim_time_us t_us);
/* "512MB", "1.5GB", "10KB"; sizes below 1 MB in KB. */
void units_format_size_mb(char *buf, size_t len, double mb);
/* "2/s", "6000/min" -> written back as "100/s": the per-second value with the smallest of
 * s, min, h, d that gives a short exact count. */
void units_format_rate_per_s(char *buf, size_t len, double per_s);
/* "1000/10s": a count per period, as written. */
void units_format_rate(char *buf, size_t len, double count, sim_time_us period_us);
/* The shortest fixed-point decimal that reads back to exactly v ("0.6", "1500", "0.0001"). */
void units_format_number(char *buf, size_t len, double v);

#endif
