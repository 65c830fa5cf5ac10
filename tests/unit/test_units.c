/* tests/unit/test_units.c — the strict value parsers and exact formatters of models/units.h.
 *
 * Every unit and form of SCENARIO-FORMAT.md "Values" parses to the right base value; each
 * rejection the format promises (bare number as a duration, 0128, 1e3 for an integer, 128MB for
 * a count, negatives, trailing junk, overflow, empty) is refused with a message that says what is
 * allowed; and what the formatters print parses back to the same value. */
#include "test_util.h"

#include <stdint.h>
#include <string.h>

#include "models/units.h"
#include "sim/error.h"

static char msg[256];

static sim_time_us dur(const char *text)
{
    sim_time_us us = -1;
    int rc = units_parse_duration(text, &us, msg, sizeof msg);
    if (rc) {
        print_error("'%s': %s\n", text, msg);
        fail();
    }
    return us;
}

static int dur_rc(const char *text)
{
    sim_time_us us;
    msg[0] = '\0';
    return units_parse_duration(text, &us, msg, sizeof msg);
}

static void test_durations(void **state)
{
    (void)state;
    assert_int_equal(dur("1us"), 1);
    assert_int_equal(dur("250ms"), 250000);
    assert_int_equal(dur("2s"), 2000000);
    assert_int_equal(dur("1.5min"), 90000000);
    assert_int_equal(dur("1h"), INT64_C(3600000000));
    assert_int_equal(dur("7d"), INT64_C(604800000000));
    assert_int_equal(dur("0s"), 0);
    assert_int_equal(dur("0.5s"), 500000);
    assert_int_equal(dur("1.000001s"), 1000001);
    assert_int_equal(dur("1.5000000000000000000000s"), 1500000); /* trailing zeros are exact */
    assert_int_equal(dur("0.25ms"), 250);
    assert_int_equal(dur("106751991d"), INT64_C(106751991) * 86400 * 1000000);
}

static void test_duration_rejections(void **state)
{
    (void)state;
    assert_int_equal(dur_rc("120"), SIM_EPARSE); /* a bare number is not a duration */
    assert_non_null(strstr(msg, "no unit"));
    assert_non_null(strstr(msg, "250ms, 2s, 1.5min, 1h, 7d"));
    assert_int_equal(dur_rc("-5s"), SIM_ERANGE);
    assert_non_null(strstr(msg, "negative"));
    assert_int_equal(dur_rc("05s"), SIM_EPARSE);
    assert_int_equal(dur_rc("1.5us"), SIM_ERANGE); /* finer than the 1us resolution */
    assert_int_equal(dur_rc("0.0000001s"), SIM_ERANGE);
    assert_int_equal(dur_rc("5 s"), SIM_EPARSE);
    assert_int_equal(dur_rc("5m"), SIM_EPARSE);
    assert_non_null(strstr(msg, "min"));
    assert_int_equal(dur_rc("1e3s"), SIM_EPARSE);
    assert_int_equal(dur_rc(""), SIM_EPARSE);
    assert_int_equal(dur_rc("s"), SIM_EPARSE);
    assert_int_equal(dur_rc(".5s"), SIM_EPARSE);
    assert_int_equal(dur_rc("5."), SIM_EPARSE);
    assert_int_equal(dur_rc("5S"), SIM_EPARSE);
    assert_int_equal(dur_rc("+5s"), SIM_EPARSE);
    assert_int_equal(dur_rc("5sec"), SIM_EPARSE);
    assert_int_equal(dur_rc("5s "), SIM_EPARSE);
    assert_int_equal(dur_rc(" 5s"), SIM_EPARSE);
    assert_int_equal(dur_rc("nan"), SIM_EPARSE);
    assert_int_equal(dur_rc("0x10s"), SIM_EPARSE);
    assert_int_equal(dur_rc("99999999999999999999d"), SIM_ERANGE);
    assert_int_equal(dur_rc("106751992d"), SIM_ERANGE); /* beyond int64 microseconds */
    assert_int_equal(dur_rc(NULL), SIM_EPARSE);
}

static double size(const char *text)
{
    double mb = -1;
    int rc = units_parse_size_mb(text, &mb, msg, sizeof msg);
    if (rc) {
        print_error("'%s': %s\n", text, msg);
        fail();
    }
    return mb;
}

static int size_rc(const char *text)
{
    double mb;
    msg[0] = '\0';
    return units_parse_size_mb(text, &mb, msg, sizeof msg);
}

static void test_sizes(void **state)
{
    (void)state;
    assert_true(size("512MB") == 512.0);
    assert_true(size("1.5GB") == 1536.0); /* binary: 1 GB = 1024 MB */
    assert_true(size("10KB") == 10.0 / 1024.0);
    assert_true(size("1TB") == 1048576.0);
    assert_true(size("0MB") == 0.0);
    assert_true(size("0.1GB") == 0.1 * 1024.0);

    assert_int_equal(size_rc("512"), SIM_EPARSE);
    assert_non_null(strstr(msg, "512MB, 1.5GB, 10KB"));
    assert_int_equal(size_rc("512mb"), SIM_EPARSE);
    assert_int_equal(size_rc("-1MB"), SIM_ERANGE);
    assert_int_equal(size_rc("1e3MB"), SIM_EPARSE);
    assert_int_equal(size_rc("512 MB"), SIM_EPARSE);
    assert_int_equal(size_rc("5XB"), SIM_EPARSE);
    assert_int_equal(size_rc("0512MB"), SIM_EPARSE);
    assert_int_equal(size_rc("1MBx"), SIM_EPARSE);
    assert_int_equal(size_rc(""), SIM_EPARSE);
    assert_int_equal(size_rc("99999999999999999999TB"), SIM_ERANGE);
}

static units_rate rate(const char *text)
{
    units_rate r = {0};
    int rc = units_parse_rate(text, &r, msg, sizeof msg);
    if (rc) {
        print_error("'%s': %s\n", text, msg);
        fail();
    }
    return r;
}

static int rate_rc(const char *text)
{
    units_rate r;
    msg[0] = '\0';
    return units_parse_rate(text, &r, msg, sizeof msg);
}

static void test_rates(void **state)
{
    (void)state;
    assert_double_near(rate("100/s").per_s, 100, 0);
    assert_double_near(rate("0.5/s").per_s, 0.5, 0);
    assert_double_near(rate("6000/min").per_s, 100, 0);
    units_rate r = rate("2/h");
    assert_double_near(r.per_s, 2.0 / 3600.0, 1e-18);
    assert_double_near(r.count, 2, 0);
    assert_int_equal(r.period_us, INT64_C(3600000000));
    r = rate("1000/10s");
    assert_double_near(r.count, 1000, 0);
    assert_int_equal(r.period_us, 10000000);
    assert_double_near(r.per_s, 100, 0);
    assert_double_near(rate("3/1.5min").per_s, 3.0 / 90.0, 1e-15);
    assert_double_near(rate("0/s").per_s, 0, 0);
    /* Every duration unit is a period, and so are the words one writes after "per". */
    r = rate("50000/day");
    assert_double_near(r.count, 50000, 0);
    assert_int_equal(r.period_us, INT64_C(86400000000));
    assert_double_near(r.per_s, rate("50000/d").per_s, 0);
    assert_int_equal(rate("2/hour").period_us, rate("2/h").period_us);
    assert_int_equal(rate("6000/minute").period_us, rate("6000/min").period_us);
    assert_int_equal(rate("100/second").period_us, rate("100/s").period_us);
    assert_int_equal(rate("1/ms").period_us, 1000);
    assert_int_equal(rate("1/us").period_us, 1);
    assert_int_equal(rate("7/2d").period_us, INT64_C(172800000000));
    /* Words only alone and in full: not after a number, not plural, not abbreviated otherwise. */
    assert_int_equal(rate_rc("1/2day"), SIM_EPARSE);
    assert_int_equal(rate_rc("1/days"), SIM_EPARSE);
    assert_int_equal(rate_rc("1/Day"), SIM_EPARSE);
    assert_int_equal(rate_rc("1/sec"), SIM_EPARSE);
    assert_non_null(strstr(msg, "50000/day"));

    assert_int_equal(rate_rc("100"), SIM_EPARSE);
    assert_non_null(strstr(msg, "100/s"));
    assert_int_equal(rate_rc("100/"), SIM_EPARSE);
    assert_int_equal(rate_rc("/s"), SIM_EPARSE);
    assert_int_equal(rate_rc("-1/s"), SIM_ERANGE);
    assert_int_equal(rate_rc("1/0s"), SIM_ERANGE);
    assert_int_equal(rate_rc("1/x"), SIM_EPARSE);
    assert_int_equal(rate_rc("1e3/s"), SIM_EPARSE);
    assert_int_equal(rate_rc("5 /s"), SIM_EPARSE);
    assert_int_equal(rate_rc("5/s/s"), SIM_EPARSE);
    assert_int_equal(rate_rc(""), SIM_EPARSE);
}

static int int_rc(const char *text, int64_t *v)
{
    msg[0] = '\0';
    return units_parse_int64(text, v, msg, sizeof msg);
}

static void test_integers(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(int_rc("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(int_rc("42", &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(int_rc("-1", &v), 0);
    assert_int_equal(v, -1);
    assert_int_equal(int_rc("9223372036854775807", &v), 0);
    assert_int_equal(v, INT64_MAX);
    assert_int_equal(int_rc("-9223372036854775808", &v), 0);
    assert_true(v == INT64_MIN);

    assert_int_equal(int_rc("0128", &v), SIM_EPARSE);
    assert_non_null(strstr(msg, "leading zero"));
    assert_int_equal(int_rc("1e3", &v), SIM_EPARSE);
    assert_int_equal(int_rc("1.0", &v), SIM_EPARSE);
    assert_int_equal(int_rc("128MB", &v), SIM_EPARSE);
    assert_non_null(strstr(msg, "unit"));
    assert_int_equal(int_rc("+5", &v), SIM_EPARSE);
    assert_int_equal(int_rc("9223372036854775808", &v), SIM_ERANGE);
    assert_int_equal(int_rc("-9223372036854775809", &v), SIM_ERANGE);
    assert_int_equal(int_rc("", &v), SIM_EPARSE);
    assert_int_equal(int_rc(" 5", &v), SIM_EPARSE);
    assert_int_equal(int_rc("5 ", &v), SIM_EPARSE);
    assert_int_equal(int_rc("0x10", &v), SIM_EPARSE);
    assert_int_equal(int_rc("--1", &v), SIM_EPARSE);
    assert_int_equal(int_rc("-", &v), SIM_EPARSE);

    uint64_t u;
    assert_int_equal(units_parse_uint64("18446744073709551615", &u, msg, sizeof msg), 0);
    assert_true(u == UINT64_MAX);
    assert_int_equal(units_parse_uint64("18446744073709551616", &u, msg, sizeof msg), SIM_ERANGE);
    assert_int_equal(units_parse_uint64("-1", &u, msg, sizeof msg), SIM_ERANGE); /* no sign */
    assert_int_equal(units_parse_uint64("007", &u, msg, sizeof msg), SIM_EPARSE);
}

static int num_rc(const char *text, double *v)
{
    msg[0] = '\0';
    return units_parse_number(text, v, msg, sizeof msg);
}

static void test_numbers(void **state)
{
    (void)state;
    double v;
    assert_int_equal(num_rc("0.6", &v), 0);
    assert_true(v == 0.6);
    assert_int_equal(num_rc("1e-4", &v), 0);
    assert_true(v == 1e-4);
    assert_int_equal(num_rc("-2.5", &v), 0);
    assert_true(v == -2.5);
    assert_int_equal(num_rc("12", &v), 0);
    assert_true(v == 12);
    assert_int_equal(num_rc("0", &v), 0);
    assert_int_equal(num_rc("2.5E+3", &v), 0);
    assert_true(v == 2500);

    const char *bad[] = {"nan", "NaN", "inf", "-inf", "0x1p3", "0x10", ".5", "1.", "1.5x", "",
                         "00.5", "1e", "+1", "1,5", "1 ", "0.6.1", "1e3MB"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (num_rc(bad[i], &v) != SIM_EPARSE) {
            print_error("'%s' was accepted as a number\n", bad[i]);
            fail();
        }
    }
    assert_int_equal(num_rc("1e999", &v), SIM_ERANGE);

    bool b;
    assert_int_equal(units_parse_bool("true", &b, msg, sizeof msg), 0);
    assert_true(b);
    assert_int_equal(units_parse_bool("false", &b, msg, sizeof msg), 0);
    assert_false(b);
    assert_int_equal(units_parse_bool("yes", &b, msg, sizeof msg), SIM_EPARSE);
    assert_int_equal(units_parse_bool("True", &b, msg, sizeof msg), SIM_EPARSE);
}

static void test_format(void **state)
{
    (void)state;
    char buf[128];
    struct { sim_time_us us; const char *text; } d[] = {
        {600000000, "10min"}, {90000000, "1.5min"}, {250000, "250ms"}, {0, "0s"}, {1, "1us"},
        {INT64_C(604800000000), "7d"}, {1500, "1.5ms"}, {1001, "1.001ms"}, {1000001, "1000.001ms"}, {7, "7us"}, {2000000, "2s"},
        {INT64_C(129600000000), "1.5d"}, {INT64_C(90000000000), "25h"}, {-2000000, "-2s"},
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        units_format_duration(buf, sizeof buf, d[i].us);
        assert_string_equal(buf, d[i].text);
    }
    struct { double mb; const char *text; } s[] = {
        {1536, "1.5GB"}, {0.5, "512KB"}, {1024, "1GB"}, {1000, "1000MB"},
        {10.0 / 1024, "10KB"}, {0, "0MB"}, {1048576, "1TB"}, {102.4, "102.4MB"},
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        units_format_size_mb(buf, sizeof buf, s[i].mb);
        assert_string_equal(buf, s[i].text);
    }
    units_format_rate_per_s(buf, sizeof buf, 100);
    assert_string_equal(buf, "100/s");
    units_format_rate_per_s(buf, sizeof buf, 2.0 / 3600.0);
    assert_string_equal(buf, "2/h");
    units_format_rate_per_s(buf, sizeof buf, 0.5);
    assert_string_equal(buf, "0.5/s");
    units_format_rate(buf, sizeof buf, 1000, 10000000);
    assert_string_equal(buf, "1000/10s");
    units_format_rate(buf, sizeof buf, 5, 1000000);
    assert_string_equal(buf, "5/s");
    units_format_number(buf, sizeof buf, 0.6);
    assert_string_equal(buf, "0.6");
    units_format_number(buf, sizeof buf, 1500);
    assert_string_equal(buf, "1500");
    units_format_number(buf, sizeof buf, 0.0001);
    assert_string_equal(buf, "0.0001");
}

/* What the formatters print, the parsers read back to the identical value. */
static void test_round_trip(void **state)
{
    (void)state;
    char buf[512];
    uint64_t x = 88172645463325252ULL; /* xorshift: a fixed spread of values */
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sim_time_us t = (sim_time_us)(x % (UINT64_C(1) << (i % 50)));
        units_format_duration(buf, sizeof buf, t);
        assert_int_equal(dur(buf), t);

        double mb = (double)(x % 100000000) / (double)(1u << (i % 20));
        units_format_size_mb(buf, sizeof buf, mb);
        assert_true(size(buf) == mb);

        double per_s = (double)(x % 1000000) / (double)(1 + i % 3600);
        units_format_rate_per_s(buf, sizeof buf, per_s);
        assert_true(rate(buf).per_s == per_s);

        double v = (double)(int64_t)(x % 2000000 - 1000000) / (double)(1 + i % 997);
        units_format_number(buf, sizeof buf, v);
        double back;
        assert_int_equal(num_rc(buf, &back), 0);
        assert_true(back == v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),   cmocka_unit_test(test_duration_rejections),
        cmocka_unit_test(test_sizes),       cmocka_unit_test(test_rates),
        cmocka_unit_test(test_integers),    cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_format),      cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
