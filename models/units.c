/* models/units.c — strict parsers and exact formatters for values with units (see units.h).
 *
 * Every parser first checks the text against a small grammar by hand, and only then converts it
 * (integer arithmetic for durations and integers, strtod for the rest), so nothing strtod or
 * strtoll would tolerate — spaces, '+', hex, "nan", "inf", exponents, trailing junk — gets in. */
#include "models/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/error.h"

static const char EXPECT_DURATION[] =
    "expected a duration like 250ms, 2s, 1.5min, 1h, 7d (units us, ms, s, min, h, d)";
static const char EXPECT_SIZE[] = "expected a size like 512MB, 1.5GB, 10KB (units KB, MB, GB, TB)";
static const char EXPECT_RATE[] =
    "expected a rate like 100/s, 0.5/s, 6000/min, 2/h, 50000/d, 1000/10s (or per second, minute, "
    "hour, day: 50000/day)";
static const char EXPECT_INT[] = "expected an integer like 10 (digits only)";
static const char EXPECT_NUMBER[] = "expected a number like 0.6, 12 or 1e-4";

typedef struct unit {
    const char *name;
    double factor; /* base units (us for durations, MB for sizes) per unit */
} unit;

/* Largest first: the formatters try them in this order. */
static const unit DURATION_UNITS[] = {
    {"d", 86400e6}, {"h", 3600e6}, {"min", 60e6}, {"s", 1e6}, {"ms", 1e3}, {"us", 1},
};
/* A rate's period may also be a word ("50000/day" as one writes "per day"): one of these, in
 * full and singular. Durations keep to the units ("1.5day" is not a duration). */
static const unit RATE_PERIOD_WORDS[] = {
    {"day", 86400e6}, {"hour", 3600e6}, {"minute", 60e6}, {"second", 1e6},
};
static const unit SIZE_UNITS[] = {
    {"TB", 1048576.0}, {"GB", 1024.0}, {"MB", 1.0}, {"KB", 1.0 / 1024.0},
};
#define N_UNITS(a) (sizeof(a) / sizeof((a)[0]))

/* Writes "'text'" into msg-friendly form: long texts are cut so a message stays one line. */
static const char *quoted(char *buf, size_t len, const char *text)
{
    if (strlen(text) > 40)
        snprintf(buf, len, "'%.37s...'", text);
    else
        snprintf(buf, len, "'%s'", text);
    return buf;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(char *msg, size_t msg_len, int code, const char *fmt, ...)
{
    if (msg && msg_len > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msg_len, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* The NUMBER of a value with a unit: digits, then optionally '.' and digits. Returns its length
 * (0 if there is none) and whether the integer part has a leading zero ("05", not "0.5"). */
static size_t scan_decimal(const char *s, bool *leading_zero)
{
    size_t i = 0;
    while (isdigit((unsigned char)s[i]))
        i++;
    if (i == 0)
        return 0;
    *leading_zero = (i > 1 && s[0] == '0');
    if (s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
        i++;
        while (isdigit((unsigned char)s[i]))
            i++;
    }
    return i;
}

static const unit *find_unit(const unit *units, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(units[i].name, name) == 0)
            return &units[i];
    return NULL;
}

/* Checks "NUMBER UNIT" and finds the unit; shared by durations and sizes. */
static int parse_number_unit(const char *text, const unit *units, size_t n_units,
                             const char *what, const char *expect, size_t *num_len,
                             const unit **u, char *msg, size_t msg_len)
{
    char q[64];
    if (!text || !*text)
        return fail(msg, msg_len, SIM_EPARSE, "empty value; %s", expect);
    if (text[0] == '-' && isdigit((unsigned char)text[1]))
        return fail(msg, msg_len, SIM_ERANGE, "%s: a %s cannot be negative",
                    quoted(q, sizeof q, text), what);
    bool lz = false;
    size_t n = scan_decimal(text, &lz);
    if (n == 0)
        return fail(msg, msg_len, SIM_EPARSE, "%s is not a %s; %s", quoted(q, sizeof q, text),
                    what, expect);
    if (lz)
        return fail(msg, msg_len, SIM_EPARSE, "%s has a leading zero; %s",
                    quoted(q, sizeof q, text), expect);
    const char *name = text + n;
    if (!*name)
        return fail(msg, msg_len, SIM_EPARSE, "%s has no unit; %s", quoted(q, sizeof q, text),
                    expect);
    *u = find_unit(units, n_units, name);
    if (!*u) {
        if (units == DURATION_UNITS && strcmp(name, "m") == 0)
            return fail(msg, msg_len, SIM_EPARSE, "%s: write 'min' for minutes; %s",
                        quoted(q, sizeof q, text), expect);
        if (name[0] == ' ')
            return fail(msg, msg_len, SIM_EPARSE, "%s: no space between number and unit; %s",
                        quoted(q, sizeof q, text), expect);
        return fail(msg, msg_len, SIM_EPARSE, "%s has an unknown unit; %s",
                    quoted(q, sizeof q, text), expect);
    }
    *num_len = n;
    return 0;
}

int units_parse_duration(const char *text, sim_time_us *out_us, char *msg, size_t msg_len)
{
    size_t n = 0;
    const unit *u = NULL;
    int rc = parse_number_unit(text, DURATION_UNITS, N_UNITS(DURATION_UNITS), "duration",
                               EXPECT_DURATION, &n, &u, msg, msg_len);
    if (rc)
        return rc;
    /* Exact integer arithmetic: mantissa * unit / 10^frac_digits, which must be whole us.
     * Trailing zeros of the fraction are dropped first so "1.500000000000000000000s" works. */
    char q[64];
    const char *dot = memchr(text, '.', n);
    size_t int_len = dot ? (size_t)(dot - text) : n;
    size_t frac_len = dot ? n - int_len - 1 : 0;
    while (frac_len > 0 && dot[frac_len] == '0')
        frac_len--;
    uint64_t mant = 0;
    for (size_t i = 0; i < int_len + (frac_len ? frac_len + 1 : 0); i++) {
        if (text[i] == '.')
            continue;
        if (mant > (UINT64_MAX - 9) / 10)
            return fail(msg, msg_len, SIM_ERANGE, "%s is too large", quoted(q, sizeof q, text));
        mant = mant * 10 + (uint64_t)(text[i] - '0');
    }
    uint64_t unit_us = (uint64_t)u->factor;
    if (mant > (uint64_t)INT64_MAX / unit_us)
        return fail(msg, msg_len, SIM_ERANGE, "%s is too large", quoted(q, sizeof q, text));
    uint64_t scaled = mant * unit_us, div = 1;
    for (size_t i = 0; i < frac_len; i++) {
        if (div > UINT64_MAX / 10 || scaled % (div * 10) != 0)
            return fail(msg, msg_len, SIM_ERANGE,
                        "%s is finer than the resolution of 1us", quoted(q, sizeof q, text));
        div *= 10;
    }
    *out_us = (sim_time_us)(scaled / div);
    return 0;
}

int units_parse_size_mb(const char *text, double *out_mb, char *msg, size_t msg_len)
{
    size_t n = 0;
    const unit *u = NULL;
    char q[64];
    int rc = parse_number_unit(text, SIZE_UNITS, N_UNITS(SIZE_UNITS), "size", EXPECT_SIZE, &n,
                               &u, msg, msg_len);
    if (rc)
        return rc;
    char num[64];
    if (n >= sizeof num)
        return fail(msg, msg_len, SIM_ERANGE, "%s is too large", quoted(q, sizeof q, text));
    memcpy(num, text, n);
    num[n] = '\0';
    double v = strtod(num, NULL) * u->factor;
    if (!isfinite(v) || v > 1e15)
        return fail(msg, msg_len, SIM_ERANGE, "%s is too large", quoted(q, sizeof q, text));
    *out_mb = v;
    return 0;
}

/* Count per second as a single expression, so the parser and the formatter agree to the bit. */
static double rate_per_s(double count, sim_time_us period_us)
{
    return count / ((double)period_us / 1e6);
}

int units_parse_rate(const char *text, units_rate *out, char *msg, size_t msg_len)
{
    char q[64], inner[160];
    if (!text || !*text)
        return fail(msg, msg_len, SIM_EPARSE, "empty value; %s", EXPECT_RATE);
    const char *slash = strchr(text, '/');
    if (!slash)
        return fail(msg, msg_len, SIM_EPARSE, "%s has no '/period'; %s",
                    quoted(q, sizeof q, text), EXPECT_RATE);
    if (text[0] == '-')
        return fail(msg, msg_len, SIM_ERANGE, "%s: a rate cannot be negative",
                    quoted(q, sizeof q, text));
    bool lz = false;
    size_t n = scan_decimal(text, &lz);
    if (n == 0 || text + n != slash)
        return fail(msg, msg_len, SIM_EPARSE, "%s: the count before '/' must be a number; %s",
                    quoted(q, sizeof q, text), EXPECT_RATE);
    if (lz)
        return fail(msg, msg_len, SIM_EPARSE, "%s has a leading zero; %s",
                    quoted(q, sizeof q, text), EXPECT_RATE);
    char num[64];
    if (n >= sizeof num)
        return fail(msg, msg_len, SIM_ERANGE, "%s is too large", quoted(q, sizeof q, text));
    memcpy(num, text, n);
    num[n] = '\0';
    double count = strtod(num, NULL);
    if (!isfinite(count))
        return fail(msg, msg_len, SIM_ERANGE, "%s is too large", quoted(q, sizeof q, text));

    const char *per = slash + 1;
    sim_time_us period_us;
    const unit *u = find_unit(DURATION_UNITS, N_UNITS(DURATION_UNITS), per);
    if (!u) u = find_unit(RATE_PERIOD_WORDS, N_UNITS(RATE_PERIOD_WORDS), per);
    if (u) {
        period_us = (sim_time_us)u->factor; /* "/min" means per one minute */
    } else {
        int rc = units_parse_duration(per, &period_us, inner, sizeof inner);
        if (rc)
            return fail(msg, msg_len, rc, "%s: the period after '/' must be a unit or a duration; %s",
                        quoted(q, sizeof q, text), EXPECT_RATE);
        if (period_us <= 0)
            return fail(msg, msg_len, SIM_ERANGE, "%s: the period must be longer than 0",
                        quoted(q, sizeof q, text));
    }
    out->count = count;
    out->period_us = period_us;
    out->per_s = rate_per_s(count, period_us);
    return 0;
}

/* Checks an integer's form and says precisely what is wrong with it; digits at text+start. */
static int check_integer_form(const char *text, size_t start, char *msg, size_t msg_len)
{
    char q[64];
    const char *d = text + start;
    if (!*text)
        return fail(msg, msg_len, SIM_EPARSE, "empty value; %s", EXPECT_INT);
    if (text[0] == '+')
        return fail(msg, msg_len, SIM_EPARSE, "%s: write integers without '+'; %s",
                    quoted(q, sizeof q, text), EXPECT_INT);
    size_t n = 0;
    while (isdigit((unsigned char)d[n]))
        n++;
    if (n == 0)
        return fail(msg, msg_len, SIM_EPARSE, "%s is not an integer; %s",
                    quoted(q, sizeof q, text), EXPECT_INT);
    if (d[n] == '.' || d[n] == 'e' || d[n] == 'E')
        return fail(msg, msg_len, SIM_EPARSE,
                    "%s is not an integer: no decimal point or exponent; %s",
                    quoted(q, sizeof q, text), EXPECT_INT);
    if (isalpha((unsigned char)d[n]))
        return fail(msg, msg_len, SIM_EPARSE, "%s is not a plain count: no unit here; %s",
                    quoted(q, sizeof q, text), EXPECT_INT);
    if (d[n])
        return fail(msg, msg_len, SIM_EPARSE, "%s is not an integer; %s",
                    quoted(q, sizeof q, text), EXPECT_INT);
    if (n > 1 && d[0] == '0')
        return fail(msg, msg_len, SIM_EPARSE,
                    "%s has a leading zero (some YAML readers take it as octal); %s",
                    quoted(q, sizeof q, text), EXPECT_INT);
    return 0;
}

/* Accumulates the (already checked) digits; false on overflow of `limit`. */
static bool accumulate(const char *d, uint64_t limit, uint64_t *out)
{
    uint64_t v = 0;
    for (; *d; d++) {
        uint64_t digit = (uint64_t)(*d - '0');
        if (v > (limit - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    *out = v;
    return true;
}

int units_parse_int64(const char *text, int64_t *out, char *msg, size_t msg_len)
{
    char q[64];
    if (!text)
        text = "";
    bool neg = text[0] == '-';
    int rc = check_integer_form(text, neg ? 1 : 0, msg, msg_len);
    if (rc)
        return rc;
    uint64_t v;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (!accumulate(text + (neg ? 1 : 0), limit, &v))
        return fail(msg, msg_len, SIM_ERANGE, "%s is too large for an integer",
                    quoted(q, sizeof q, text));
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return 0;
}

int units_parse_uint64(const char *text, uint64_t *out, char *msg, size_t msg_len)
{
    char q[64];
    if (!text)
        text = "";
    if (text[0] == '-')
        return fail(msg, msg_len, SIM_ERANGE, "%s: must not be negative; %s",
                    quoted(q, sizeof q, text), EXPECT_INT);
    int rc = check_integer_form(text, 0, msg, msg_len);
    if (rc)
        return rc;
    if (!accumulate(text, UINT64_MAX, out))
        return fail(msg, msg_len, SIM_ERANGE, "%s is too large (at most %llu)",
                    quoted(q, sizeof q, text), (unsigned long long)UINT64_MAX);
    return 0;
}

int units_parse_number(const char *text, double *out, char *msg, size_t msg_len)
{
    char q[64];
    if (!text || !*text)
        return fail(msg, msg_len, SIM_EPARSE, "empty value; %s", EXPECT_NUMBER);
    size_t i = text[0] == '-' ? 1 : 0;
    bool lz = false;
    size_t n = scan_decimal(text + i, &lz);
    if (n == 0 || (text[i + n] == '.'))
        return fail(msg, msg_len, SIM_EPARSE, "%s is not a number; %s", quoted(q, sizeof q, text),
                    EXPECT_NUMBER);
    if (lz)
        return fail(msg, msg_len, SIM_EPARSE, "%s has a leading zero; %s",
                    quoted(q, sizeof q, text), EXPECT_NUMBER);
    i += n;
    if (text[i] == 'e' || text[i] == 'E') {
        size_t j = i + 1;
        if (text[j] == '+' || text[j] == '-')
            j++;
        size_t k = j;
        while (isdigit((unsigned char)text[k]))
            k++;
        if (k == j)
            return fail(msg, msg_len, SIM_EPARSE, "%s is not a number; %s",
                        quoted(q, sizeof q, text), EXPECT_NUMBER);
        i = k;
    }
    if (text[i]) {
        if (isalpha((unsigned char)text[i]))
            return fail(msg, msg_len, SIM_EPARSE, "%s is not a plain number: no unit here; %s",
                        quoted(q, sizeof q, text), EXPECT_NUMBER);
        return fail(msg, msg_len, SIM_EPARSE, "%s is not a number; %s", quoted(q, sizeof q, text),
                    EXPECT_NUMBER);
    }
    errno = 0;
    double v = strtod(text, NULL);
    if (errno == ERANGE || !isfinite(v))
        return fail(msg, msg_len, SIM_ERANGE, "%s is out of the range of a number",
                    quoted(q, sizeof q, text));
    *out = v;
    return 0;
}

int units_parse_bool(const char *text, bool *out, char *msg, size_t msg_len)
{
    char q[64];
    if (text && strcmp(text, "true") == 0) {
        *out = true;
        return 0;
    }
    if (text && strcmp(text, "false") == 0) {
        *out = false;
        return 0;
    }
    return fail(msg, msg_len, SIM_EPARSE, "%s: expected true or false",
                quoted(q, sizeof q, text ? text : ""));
}

/* ---- formatting ---- */

void units_format_number(char *buf, size_t len, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, len, "%.0f", v == 0 ? 0.0 : v); /* no "-0" */
        return;
    }
    /* Fixed point, the fewest decimals that read back exactly (the parsers take no exponent in
     * values with units, so prefer this to %g). */
    char tmp[400];
    for (int prec = 1; prec <= 60 && fabs(v) < 1e300; prec++) {
        snprintf(tmp, sizeof tmp, "%.*f", prec, v);
        if (strtod(tmp, NULL) == v) {
            snprintf(buf, len, "%s", tmp);
            return;
        }
    }
    snprintf(buf, len, "%.17g", v);
}

void units_format_duration(char *buf, size_t len, sim_time_us t)
{
    if (t == 0) {
        snprintf(buf, len, "0s");
        return;
    }
    const char *sign = "";
    uint64_t a = (uint64_t)t;
    if (t < 0) {
        sign = "-";
        a = (uint64_t)0 - (uint64_t)t;
    }
    /* The largest unit in which the value is >= 1 with at most three exact decimals. */
    for (size_t i = 0; i < N_UNITS(DURATION_UNITS); i++) {
        uint64_t u = (uint64_t)DURATION_UNITS[i].factor;
        uint64_t whole = a / u, rest = a % u;
        if (whole == 0 || (rest * 1000) % u != 0)
            continue;
        if (rest == 0) {
            snprintf(buf, len, "%s%llu%s", sign, (unsigned long long)whole,
                     DURATION_UNITS[i].name);
        } else {
            char frac[24];
            snprintf(frac, sizeof frac, "%03llu", (unsigned long long)(rest * 1000 / u));
            for (int k = 2; k > 0 && frac[k] == '0'; k--)
                frac[k] = '\0';
            snprintf(buf, len, "%s%llu.%s%s", sign, (unsigned long long)whole, frac,
                     DURATION_UNITS[i].name);
        }
        return;
    }
    snprintf(buf, len, "%s%lluus", sign, (unsigned long long)a); /* not reached: us always fits */
}

/* Writes v in unit u if that is short (<= 3 decimals) and reads back to exactly mb. */
static bool try_size_unit(char *buf, size_t len, double mb, const unit *u)
{
    double v = mb / u->factor;
    char num[64];
    snprintf(num, sizeof num, "%.3f", v);
    char *end = num + strlen(num) - 1;
    while (*end == '0')
        *end-- = '\0';
    if (*end == '.')
        *end = '\0';
    if (strtod(num, NULL) * u->factor != mb)
        return false;
    snprintf(buf, len, "%s%s", num, u->name);
    return true;
}

void units_format_size_mb(char *buf, size_t len, double mb)
{
    if (mb == 0) {
        snprintf(buf, len, "0MB");
        return;
    }
    const unit *kb = &SIZE_UNITS[N_UNITS(SIZE_UNITS) - 1];
    for (size_t i = 0; i < N_UNITS(SIZE_UNITS); i++) {
        const unit *u = &SIZE_UNITS[i];
        if ((mb / u->factor >= 1 || u == kb) && try_size_unit(buf, len, mb, u))
            return;
    }
    /* Not short in any unit: the exact decimal, in KB below 1 MB. */
    char num[400];
    const unit *u = mb < 1 ? kb : &SIZE_UNITS[2];
    units_format_number(num, sizeof num, mb / u->factor);
    snprintf(buf, len, "%s%s", num, u->name);
}

void units_format_rate_per_s(char *buf, size_t len, double per_s)
{
    static const char *const periods[] = {"s", "min", "h", "d"};
    char num[400];
    for (size_t i = 0; i < 4; i++) {
        const unit *u = find_unit(DURATION_UNITS, N_UNITS(DURATION_UNITS), periods[i]);
        double count = per_s * (u->factor / 1e6);
        units_format_number(num, sizeof num, count);
        const char *dot = strchr(num, '.');
        bool is_short = !strchr(num, 'e') && (!dot || strlen(dot + 1) <= 3);
        if (is_short && rate_per_s(strtod(num, NULL), (sim_time_us)u->factor) == per_s) {
            snprintf(buf, len, "%s/%s", num, periods[i]);
            return;
        }
    }
    units_format_number(num, sizeof num, per_s);
    snprintf(buf, len, "%s/s", num);
}

void units_format_rate(char *buf, size_t len, double count, sim_time_us period_us)
{
    char num[400], per[64];
    units_format_number(num, sizeof num, count);
    units_format_duration(per, sizeof per, period_us);
    /* "1s" is written as "/s": per one unit reads better. */
    const char *p = per;
    if (p[0] == '1' && isalpha((unsigned char)p[1]))
        p++;
    snprintf(buf, len, "%s/%s", num, p);
}
