/* cli/cmd_report.c — `capsim report FILE -o DIR`: one self-contained HTML page.
 *
 * The page needs nothing but itself: styles are inline, and each plot's PNG is embedded as a
 * data: URI (its PNG, SVG and CSV are written beside the page too, by the plot writer, and the
 * page links to those — only to files this command wrote). No script, no font or style from the
 * network. Everything that comes from the scenario or the run (names, descriptions, notes,
 * warnings, the lesson, the effective scenario) is HTML-escaped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/plot.h"
#include "cli/plot_run.h"
#include "models/pricing.h"

/* ---------------------------------------------------------------- HTML pieces */

static void esc(FILE *f, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* A file name in an href: percent-encoded beyond the safe characters. */
static void href(FILE *f, const char *name) {
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~", *c) &&
            *c)
            fputc(*c, f);
        else
            fprintf(f, "%%%02X", *c);
    }
}

/* Writes the file dir/name as base64; false when it cannot be read. */
static bool base64_file(FILE *f, const char *dir, const char *name) {
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *in = fopen(path, "rb");
    if (!in) return false;
    unsigned char buf[3 * 1024];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        for (size_t i = 0; i < n; i += 3) {
            unsigned v = (unsigned)buf[i] << 16;
            if (i + 1 < n) v |= (unsigned)buf[i + 1] << 8;
            if (i + 2 < n) v |= buf[i + 2];
            fputc(tbl[(v >> 18) & 63], f);
            fputc(tbl[(v >> 12) & 63], f);
            fputc(i + 1 < n ? tbl[(v >> 6) & 63] : '=', f);
            fputc(i + 2 < n ? tbl[v & 63] : '=', f);
        }
        if (n < sizeof buf) break;
    }
    bool ok = !ferror(in);
    fclose(in);
    return ok;
}

static const char STYLE[] =
    "body{font-family:-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif;"
    "max-width:960px;margin:2em auto;padding:0 1em;color:#1d2330;background:#fff;line-height:1.45}"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{font-size:1.3em;margin-top:2em;"
    "border-bottom:2px solid #dde3ec;padding-bottom:.2em}"
    ".meta{color:#5b6478;font-size:.92em}"
    "table{border-collapse:collapse;margin:.8em 0;font-size:.95em}"
    "th,td{padding:.3em .7em;border-bottom:1px solid #e3e7ee;text-align:right}"
    "th:first-child,td:first-child{text-align:left}th{background:#f3f5f9}"
    "tr.best td:first-child{font-weight:bold}"
    ".verdict{font-size:1.1em;padding:.6em .9em;background:#eef6ee;border-left:4px solid #3c8d40}"
    ".overloaded{background:#fdf0ee;border-left:4px solid #c0392b;padding:.5em .9em}"
    ".warning{background:#fff8e5;border-left:4px solid #d9a400;padding:.4em .9em;margin:.3em 0;"
    "font-family:monospace;font-size:.9em}"
    "ul.notes li{margin:.3em 0}"
    "figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #e3e7ee}"
    "figcaption{color:#3a4256;font-size:.92em}"
    "pre{background:#f6f8fa;padding:1em;overflow-x:auto;font-size:.85em;border:1px solid #e3e7ee}"
    ".lesson{background:#f2f6fd;border-left:4px solid #3b6fc4;padding:.6em 1em}"
    "details summary{cursor:pointer;font-weight:bold;margin:.6em 0}"
    "footer{margin-top:3em;color:#8a93a6;font-size:.85em}";

/* ---------------------------------------------------------------- sections */

static void comparison(FILE *f, const scenario *s, const report *r) {
    const report_comparison *c = &r->comparison;
    char horizon[32], month[32];
    scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
    scenario_format_duration(month, sizeof month, s->pricing.month_us);
    fprintf(f, "<section id=\"comparison\"><h2>Comparison</h2>\n<table>\n<tr><th>platform</th>"
            "<th>cost for %s</th><th>per month (%s)</th><th>per 1,000 items</th>"
            "<th>p50 latency</th><th>p99 latency</th><th>completed</th><th>failed</th></tr>\n",
            horizon, month);
    for (size_t i = 0; i < r->n_platforms; i++) {
        const report_section *sec = &r->platforms[i];
        char total[32], per_month[32], per_k[32], p50[32], p99[32], done[32], failed[32];
        cli_format_usd(total, sizeof total, report_value(sec, "cost_usd.total", NAN));
        cli_format_usd(per_month, sizeof per_month, report_value(sec, "cost_usd.per_month", NAN));
        cli_format_usd(per_k, sizeof per_k, report_value(sec, "cost_usd.per_1k_items", NAN));
        cli_format_latency(p50, sizeof p50, report_item_latency(sec, "p50", NAN));
        cli_format_latency(p99, sizeof p99, report_item_latency(sec, "p99", NAN));
        double items = report_value(sec, "items", 0), completed = report_value(sec, "completed", 0);
        cli_format_count(done, sizeof done, completed);
        cli_format_count(failed, sizeof failed, items - completed);
        bool best = (int)i == c->cheapest || (int)i == c->fastest;
        fprintf(f, "<tr%s><td>", best ? " class=\"best\"" : "");
        esc(f, sec->name);
        fprintf(f, "%s</td><td>", sec->overload.overloaded ? " (overloaded)" : "");
        esc(f, total);
        fputs("</td><td>", f);
        esc(f, per_month);
        fputs(c->month_assumed ? "*</td><td>" : "</td><td>", f);
        esc(f, per_k);
        fputs("</td><td>", f);
        esc(f, p50);
        fputs("</td><td>", f);
        esc(f, p99);
        fputs("</td><td>", f);
        esc(f, done);
        fputs("</td><td>", f);
        esc(f, failed);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<p class=\"verdict\">", f);
    if (c->cheapest < 0 && c->fastest < 0) {
        fputs("No platform completed every item and kept up.", f);
    } else {
        fputs("Cheapest: <strong>", f);
        esc(f, c->cheapest >= 0 ? r->platforms[c->cheapest].name : "none");
        fputs("</strong> · fastest: <strong>", f);
        esc(f, c->fastest >= 0 ? r->platforms[c->fastest].name : "none");
        fputs("</strong>", f);
    }
    fputs("</p>\n<p class=\"meta\">Cheapest (lowest cost) and fastest (lowest p99 latency) are "
          "chosen among the platforms that completed every item and keep up. Latency runs from "
          "an item's arrival until it is processed; failed counts the items not completed. "
          "Values are means over replications.</p>\n",
          f);
    for (size_t i = 0; i < r->n_platforms; i++) {
        const report_overload *o = &r->platforms[i].overload;
        if (!o->overloaded) continue;
        size_t mlen = strlen(o->metric);
        bool seconds = mlen > 2 && strcmp(o->metric + mlen - 2, "_s") == 0;
        fputs("<div class=\"overloaded\"><strong>", f);
        esc(f, r->platforms[i].name);
        fputs(" is overloaded:</strong> ", f);
        esc(f, o->metric);
        fprintf(f, " grows by %.0f%s per hour. ", o->growth_per_hour, seconds ? " s" : "");
        esc(f, o->hint);
        fputs("</div>\n", f);
    }
    if (c->n_notes > 0) {
        fputs("<ul class=\"notes\">\n", f);
        for (size_t i = 0; i < c->n_notes; i++) {
            fputs("<li>", f);
            esc(f, c->notes[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    if (r->warnings.count > 0) {
        fputs("<h3>Warnings</h3>\n", f);
        for (size_t i = 0; i < r->warnings.count; i++) {
            fputs("<div class=\"warning\">", f);
            esc(f, r->warnings.entries[i].text);
            fputs("</div>\n", f);
        }
    }
    fputs("</section>\n", f);
}

static int plots(FILE *f, const char *dir, const cli_plot_set *set) {
    fputs("<section id=\"plots\"><h2>Plots</h2>\n", f);
    if (set->gnuplot_missing)
        fputs("<p class=\"warning\">gnuplot was not found, so the plots are not drawn. Their "
              "data is beside this page; capsim printed the gnuplot commands that draw them "
              "(install gnuplot-nox, or set CAPSIM_GNUPLOT).</p>\n",
              f);
    for (size_t i = 0; i < set->n; i++) {
        const cli_plot *p = &set->plots[i];
        char png[96], svg[96], csv[96];
        snprintf(png, sizeof png, "%s.png", p->name);
        snprintf(svg, sizeof svg, "%s.svg", p->name);
        snprintf(csv, sizeof csv, "%s.csv", p->name);
        fprintf(f, "<figure id=\"plot-");
        esc(f, p->name);
        fputs("\">\n", f);
        if (p->drawn) {
            fputs("<img alt=\"", f);
            esc(f, p->title);
            fputs("\" width=\"800\" height=\"500\" src=\"data:image/png;base64,", f);
            if (!base64_file(f, dir, png)) return -1;
            fputs("\">\n", f);
        } else {
            fputs("<p><strong>", f);
            esc(f, p->title);
            fputs("</strong> (not drawn)</p>\n", f);
        }
        fputs("<figcaption>", f);
        esc(f, p->caption);
        fputs(" Data: <a href=\"", f);
        href(f, csv);
        fputs("\">", f);
        esc(f, csv);
        fputs("</a>", f);
        if (p->drawn) {
            fputs(" · vector: <a href=\"", f);
            href(f, svg);
            fputs("\">", f);
            esc(f, svg);
            fputs("</a>", f);
        }
        fputs("</figcaption>\n</figure>\n", f);
    }
    fputs("</section>\n", f);
    return 0;
}

static void metrics(FILE *f, const scenario *s, const report *r) {
    fputs("<section id=\"metrics\"><h2>Every metric</h2>\n<p class=\"meta\">Means over "
          "replications, with the 95&nbsp;% confidence half-width when there are two or more; "
          "docs/results.md defines each.</p>\n",
          f);
    for (size_t i = 0; i <= r->n_platforms; i++) {
        const report_section *sec = i == 0 ? &r->workload : &r->platforms[i - 1];
        fputs("<details", f);
        fputs(i <= 1 ? " open>" : ">", f);
        fputs("<summary>", f);
        esc(f, sec->name);
        fputs("</summary>\n<table>\n<tr><th>metric</th><th>value</th><th>± 95 %</th></tr>\n", f);
        for (size_t k = 0; k < sec->n; k++) {
            const report_metric *m = &sec->metrics[k];
            fputs("<tr><td>", f);
            esc(f, m->path);
            fputs("</td><td>", f);
            if (isnan(m->value)) fputs("-", f);
            else fprintf(f, "%.6g", m->value);
            fputs("</td><td>", f);
            if (m->has_ci && !isnan(m->value)) fprintf(f, "%.3g", m->ci95);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
        if (sec->note[0]) {
            fputs("<p>", f);
            esc(f, sec->note);
            fputs("</p>\n", f);
        }
        fputs("</details>\n", f);
    }
    (void)s;
    fputs("</section>\n", f);
}

/* The lesson's explanation: paragraphs at blank lines. */
static void lesson(FILE *f, const scenario *s) {
    const scn_lesson *l = &s->lesson;
    if (!l->present || (!l->question && !l->explain)) return;
    fputs("<section id=\"lesson\"><h2>Lesson", f);
    if (l->topic) {
        fputs(": ", f);
        esc(f, l->topic);
    }
    fputs("</h2>\n<div class=\"lesson\">\n", f);
    if (l->question) {
        fputs("<p><strong>", f);
        esc(f, l->question);
        fputs("</strong></p>\n", f);
    }
    if (l->explain) {
        fputs("<p>", f);
        for (const char *c = l->explain; *c; c++) {
            if (c[0] == '\n' && c[1] == '\n') {
                fputs("</p>\n<p>", f);
                while (c[1] == '\n') c++;
                continue;
            }
            char one[2] = {*c, 0};
            esc(f, one);
        }
        fputs("</p>\n", f);
    }
    fputs("</div>\n</section>\n", f);
}

static int scenario_section(FILE *f, const scenario *s) {
    char *yaml = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&yaml, &len);
    if (!m) return -1;
    int rc = scenario_write_yaml(s, m);
    if (fclose(m) != 0 || rc) {
        free(yaml);
        return -1;
    }
    fputs("<section id=\"scenario\"><h2>Effective scenario</h2>\n<p class=\"meta\">Every key "
          "with its value, defaults filled in (<code>capsim validate</code> prints the same); "
          "running it reproduces these results.</p>\n<pre>",
          f);
    esc(f, yaml);
    fputs("</pre>\n</section>\n", f);
    free(yaml);
    return 0;
}

static char *render(const scenario *s, const report *r, const char *dir, const cli_plot_set *set) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    char horizon[32], warmup[32];
    scenario_format_duration(horizon, sizeof horizon, s->horizon_us);
    scenario_format_duration(warmup, sizeof warmup, s->warmup_us);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    esc(f, s->name);
    fprintf(f, " · capsim report</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", STYLE);
    esc(f, s->name);
    fputs("</h1>\n", f);
    if (s->description) {
        fputs("<p>", f);
        esc(f, s->description);
        fputs("</p>\n", f);
    }
    fprintf(f, "<p class=\"meta\">capsim %s · seed %llu · %lld replication%s · horizon ",
            CAPSIM_VERSION, (unsigned long long)s->seed, (long long)s->replications,
            s->replications == 1 ? "" : "s");
    esc(f, horizon);
    fputs(" · warmup ", f);
    esc(f, warmup);
    if (s->pricing_table) {
        fputs(" · prices ", f);
        esc(f, s->pricing_table->name);
        fputs(" (", f);
        esc(f, s->pricing_table->date);
        fputs(")", f);
    }
    fputs("</p>\n</header>\n", f);
    comparison(f, s, r);
    lesson(f, s);
    int rc = plots(f, dir, set);
    metrics(f, s, r);
    if (!rc) rc = scenario_section(f, s);
    fputs("<footer>Written by <code>capsim report</code>; the plots' data and vector versions "
          "are the files linked beside each one.</footer>\n</body>\n</html>\n",
          f);
    if (fclose(f) != 0 || rc) {
        free(buf);
        return NULL;
    }
    return buf;
}

int cli_cmd_report(const cli_options *opt) {
    cli_plot_run_result res;
    int code = cli_plot_run(opt, &res);
    cli_plot_set set;
    if (!code) code = cli_plot_write_set(res.s, &res.r, &res.series, opt->out_dir, true, &set);
    if (!code) {
        char *html = render(res.s, &res.r, opt->out_dir, &set);
        if (!html) {
            fprintf(stderr, "capsim: cannot render the report (out of memory, or a plot's PNG "
                    "could not be read)\n");
            code = CLI_EXIT_RUNTIME;
        } else {
            code = cli_emit(opt->out_dir, "report.html", html);
            free(html);
            if (!code && !opt->quiet)
                fprintf(stderr, "capsim: wrote %s/report.html (and the plots beside it)\n",
                        opt->out_dir);
        }
    }
    cli_plot_run_fini(&res);
    return code;
}
