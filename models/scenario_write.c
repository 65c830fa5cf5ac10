/* models/scenario_write.c — prints the effective scenario as YAML (`capsim validate`).
 *
 * Walks the same field tables as the loader (scenario_rules.c), so every key is printed, with
 * defaults filled in, in the largest unit that is exact (10min, 1.5GB), and distributions in the
 * form the user chose. Keys that do not apply (the mmpp map of a poisson workload, an absent
 * platform) are left out, because the output must load back: load(write(s)) prints the same text.
 * Also: the duration/size formatting helpers that result writers share. */
#include "models/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario_internal.h"
#include "models/units.h"
#include "sim/error.h"

double scenario_horizons_per_month(const scenario *s)
{
    if (s->pricing.horizons_per_month > 0) return s->pricing.horizons_per_month;
    return (double)s->pricing.month_us / (double)s->horizon_us;
}

void scenario_format_duration(char *buf, size_t len, sim_time_us t_us)
{
    units_format_duration(buf, len, t_us);
}

void scenario_format_size_mb(char *buf, size_t len, double mb)
{
    units_format_size_mb(buf, len, mb);
}

void scn_dist_free(scn_dist *d)
{
    free(d->file);
    free(d->values);
    scn_quantity q = d->quantity;
    memset(d, 0, sizeof *d);
    d->quantity = q;
}

/* ------------------------------------------------------------------ scalars */

static bool is_plain_safe(const char *s)
{
    static const char *const reserved[] = {"null", "Null", "NULL", "~", "true", "false", "none",
                                           NULL};
    size_t n = strlen(s);
    if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' || s[0] == '-')
        return false;
    for (size_t i = 0; reserved[i]; i++)
        if (!strcmp(s, reserved[i]))
            return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '/' || c == '-' || c == ' ';
        if (!ok)
            return false;
    }
    return true;
}

/* Multi-line text that a literal block reproduces exactly (one final newline, no tabs or
 * control characters, not starting with a space or an empty line). */
static bool is_block_safe(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[n - 1] != '\n' || s[n - 2] == '\n' || s[0] == ' ' || s[0] == '\n')
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n')
            return false;
    return true;
}

/* A string as a plain scalar when that reads back the same, else a |-block (multi-line text,
 * lines indented by indent+2) or a double-quoted scalar. */
static void scn_write_string(FILE *out, const char *s, int indent)
{
    if (is_plain_safe(s)) {
        fputs(s, out);
        return;
    }
    if (is_block_safe(s)) {
        fputs("|", out);
        for (const char *p = s; *p;) {
            const char *nl = strchr(p, '\n');
            fputc('\n', out);
            if (nl > p) /* empty lines are written without indentation */
                fprintf(out, "%*s%.*s", indent + 2, "", (int)(nl - p), p);
            p = nl + 1;
        }
        /* the caller ends the line */
        return;
    }
    scn_write_inline_string(out, s);
}

void scn_write_inline_string(FILE *out, const char *s)
{
    if (is_plain_safe(s)) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(out, "\\x%02x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void write_quantity(FILE *out, scn_quantity q, double v)
{
    char buf[512];
    if (q == SCN_QTY_DURATION)
        units_format_duration(buf, sizeof buf, (sim_time_us)llround(v * 1e6));
    else
        units_format_size_mb(buf, sizeof buf, v);
    fputs(buf, out);
}

static void write_number(FILE *out, double v)
{
    char buf[512];
    units_format_number(buf, sizeof buf, v);
    fputs(buf, out);
}

void scn_write_dist(FILE *out, const scn_dist *d)
{
    /* name, then the first parameter's key, then the second's (NULL: none; "#" a plain number) */
    static const struct {
        const char *name, *k1, *k2;
        bool k2_number;
    } forms[] = {
        [SCN_FORM_CONSTANT] = {"constant", "value", NULL, false},
        [SCN_FORM_EXPONENTIAL] = {"exponential", "mean", NULL, false},
        [SCN_FORM_LOGNORMAL_SIGMA] = {"lognormal", "median", "sigma", true},
        [SCN_FORM_LOGNORMAL_P99] = {"lognormal", "median", "p99", false},
        [SCN_FORM_UNIFORM] = {"uniform", "min", "max", false},
        [SCN_FORM_GAMMA] = {"gamma", "mean", "cv", true},
        [SCN_FORM_PARETO] = {"pareto", "min", "alpha", true},
    };
    if (d->form == SCN_FORM_PLAIN) {
        write_quantity(out, d->quantity, d->p1);
        return;
    }
    if (d->form == SCN_FORM_EMPIRICAL) {
        fputs("{dist: empirical, file: ", out);
        scn_write_string(out, d->file ? d->file : "", 0);
        fputc('}', out);
        return;
    }
    fprintf(out, "{dist: %s, %s: ", forms[d->form].name, forms[d->form].k1);
    write_quantity(out, d->quantity, d->p1);
    if (forms[d->form].k2) {
        fprintf(out, ", %s: ", forms[d->form].k2);
        if (forms[d->form].k2_number)
            write_number(out, d->p2);
        else
            write_quantity(out, d->quantity, d->p2);
    }
    fputc('}', out);
}

/* ------------------------------------------------------------------ fields */

static bool is_zero(const scn_field *f, const void *base)
{
    const char *slot = (const char *)base + f->off;
    switch (f->type) {
    case SCN_T_DURATION: return *(const sim_time_us *)slot == 0;
    case SCN_T_INT: return *(const int64_t *)slot == 0;
    case SCN_T_NUMBER: return *(const double *)slot == 0.0;
    case SCN_T_BOOL: return !*(const bool *)slot;
    case SCN_T_STRING: return *(char *const *)slot == NULL;
    case SCN_T_LIST: return *(const size_t *)((const char *)base + f->off2) == 0;
    case SCN_T_CUSTOM: return f->custom->is_zero && f->custom->is_zero(f, base);
    default: return false;
    }
}

static void write_value(FILE *out, const scn_field *f, const void *base, int indent)
{
    const char *slot = (const char *)base + f->off;
    char buf[512];
    buf[0] = '\0';
    switch (f->type) {
    case SCN_T_DURATION: units_format_duration(buf, sizeof buf, *(const sim_time_us *)slot); break;
    case SCN_T_SIZE_MB_INT:
        units_format_size_mb(buf, sizeof buf, (double)*(const int64_t *)slot);
        break;
    case SCN_T_SIZE_GB: units_format_size_mb(buf, sizeof buf, *(const double *)slot * 1024.0); break;
    case SCN_T_RATE: units_format_rate_per_s(buf, sizeof buf, *(const double *)slot); break;
    case SCN_T_RATE_PARTS:
        units_format_rate(buf, sizeof buf, *(const double *)slot,
                          *(const sim_time_us *)((const char *)base + f->off2));
        break;
    case SCN_T_INT: snprintf(buf, sizeof buf, "%lld", (long long)*(const int64_t *)slot); break;
    case SCN_T_UINT64:
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)*(const uint64_t *)slot);
        break;
    case SCN_T_NUMBER: units_format_number(buf, sizeof buf, *(const double *)slot); break;
    case SCN_T_BOOL: snprintf(buf, sizeof buf, "%s", *(const bool *)slot ? "true" : "false"); break;
    case SCN_T_ENUM: {
        int v;
        memcpy(&v, slot, sizeof v);
        snprintf(buf, sizeof buf, "%s", f->names[v]);
        break;
    }
    case SCN_T_STRING: scn_write_string(out, *(char *const *)slot, indent); return;
    case SCN_T_STRBUF: scn_write_string(out, slot, indent); return;
    case SCN_T_DIST_DURATION:
    case SCN_T_DIST_SIZE: scn_write_dist(out, (const scn_dist *)slot); return;
    case SCN_T_CUSTOM: f->custom->write(out, f, base, indent); return;
    default: return;
    }
    fputs(buf, out);
}

static bool skipped(const scenario *s, const scn_field *f, const void *base)
{
    if (f->applies && !f->applies(s))
        return true;
    if (f->type == SCN_T_SECTION && f->off2 != SCN_NO_OFF &&
        !*(const bool *)((const char *)base + f->off2))
        return true;
    return f->omit_if_zero && is_zero(f, base);
}

/* A section none of whose keys is written (services.s3 of an account whose functions' triggers
 * decide both its keys) is left out rather than written as an empty key. */
static bool section_empty(const scenario *s, const scn_section *sec, const void *base)
{
    for (size_t i = 0; i < sec->n_fields; i++) {
        const scn_field *f = &sec->fields[i];
        if (skipped(s, f, base))
            continue;
        if (f->type != SCN_T_SECTION || !section_empty(s, f->sub, base))
            return false;
    }
    return true;
}

static void write_section(FILE *out, const scenario *s, const scn_section *sec, const void *base,
                          int indent);
void scn_write_section(FILE *out, const scenario *s, const scn_section *sec, const void *base,
                       int indent)
{
    write_section(out, s, sec, base, indent);
}

static void write_section(FILE *out, const scenario *s, const scn_section *sec, const void *base,
                          int indent)
{
    for (size_t i = 0; i < sec->n_fields; i++) {
        const scn_field *f = &sec->fields[i];
        if (skipped(s, f, base) || (f->type == SCN_T_SECTION && section_empty(s, f->sub, base)))
            continue;
        fprintf(out, "%*s%s:", indent, "", f->key);
        if (f->type == SCN_T_SECTION) {
            fputc('\n', out);
            write_section(out, s, f->sub, base, indent + 2);
            continue;
        }
        if (f->type == SCN_T_LIST) {
            const char *items = *(char *const *)((const char *)base + f->off);
            size_t n = *(const size_t *)((const char *)base + f->off2);
            fputs(n ? "\n" : " []\n", out);
            /* Each item as a flow map on its own line: items hold only scalars. */
            for (size_t j = 0; j < n; j++) {
                const void *item = items + j * f->elem_size;
                fprintf(out, "%*s- {", indent + 2, "");
                bool first = true;
                for (size_t k = 0; k < f->sub->n_fields; k++) {
                    const scn_field *g = &f->sub->fields[k];
                    if (skipped(s, g, item))
                        continue;
                    fprintf(out, "%s%s: ", first ? "" : ", ", g->key);
                    write_value(out, g, item, indent + 4);
                    first = false;
                }
                fputs("}\n", out);
            }
            continue;
        }
        if (f->type != SCN_T_CUSTOM || !f->custom->block)
            fputc(' ', out);
        write_value(out, f, base, indent);
        fputc('\n', out);
    }
}

int scenario_write_yaml(const scenario *s, FILE *out)
{
    write_section(out, s, &scn_root_section, s, 0);
    return ferror(out) ? SIM_EIO : SIM_OK;
}

/* ------------------------------------------------------------------ one value by its path */

int scenario_key_number(const scenario *s, const char *path, double *out)
{
    const scn_section *sec = &scn_root_section;
    const char *k = path;
    for (;;) {
        size_t n = strcspn(k, ".");
        const scn_field *f = NULL;
        for (size_t i = 0; i < sec->n_fields && !f; i++)
            if (strlen(sec->fields[i].key) == n && !strncmp(sec->fields[i].key, k, n))
                f = &sec->fields[i];
        if (!f)
            return SIM_EINVAL;
        if (f->type == SCN_T_SECTION) {
            if (k[n] != '.')
                return SIM_EINVAL;
            sec = f->sub;
            k += n + 1;
            continue;
        }
        if (k[n] != '\0')
            return SIM_EINVAL;
        const char *slot = (const char *)s + f->off;
        switch (f->type) {
        case SCN_T_DURATION: *out = (double)*(const sim_time_us *)slot / 1e6; return SIM_OK;
        case SCN_T_SIZE_MB_INT:
        case SCN_T_INT: *out = (double)*(const int64_t *)slot; return SIM_OK;
        case SCN_T_SIZE_GB: *out = *(const double *)slot * 1024.0; return SIM_OK;
        case SCN_T_RATE:
        case SCN_T_NUMBER: *out = *(const double *)slot; return SIM_OK;
        case SCN_T_RATE_PARTS:
            *out = *(const double *)slot * 1e6 /
                   (double)*(const sim_time_us *)((const char *)s + f->off2);
            return SIM_OK;
        case SCN_T_UINT64: *out = (double)*(const uint64_t *)slot; return SIM_OK;
        case SCN_T_BOOL: *out = *(const bool *)slot; return SIM_OK;
        case SCN_T_DIST_DURATION:
        case SCN_T_DIST_SIZE: {
            const scn_dist *d = (const scn_dist *)slot;
            if (d->form != SCN_FORM_PLAIN && d->form != SCN_FORM_CONSTANT)
                return SIM_EINVAL;
            *out = d->p1;
            return SIM_OK;
        }
        default: return SIM_EINVAL;
        }
    }
}
