/* tests/test_util.h — helpers shared by the cmocka tests.
 *
 * cmocka 1.1.5 has no floating-point assertion, so this adds one with an explicit tolerance
 * (GSL's gsl_test_abs/gsl_test_rel style): the message prints both values and the tolerance. */
#ifndef TESTS_TEST_UTIL_H
#define TESTS_TEST_UTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#define assert_double_near(actual, expected, tolerance)                                      \
    do {                                                                                     \
        double a_ = (actual), e_ = (expected), t_ = (tolerance);                             \
        if (!(fabs(a_ - e_) <= t_)) {                                                        \
            print_error("%s = %.9g, expected %.9g within %.3g (off by %.3g)\n", #actual, a_, \
                        e_, t_, fabs(a_ - e_));                                              \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

/* Writes text to dir/rel (rel's folders must exist); fails the test when it cannot. */
static inline void test_write_file(const char *dir, const char *rel, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

#define assert_double_rel(actual, expected, rel) \
    assert_double_near((actual), (expected), fabs((double)(expected)) * (rel))

#endif
