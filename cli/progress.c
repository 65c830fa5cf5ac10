/* cli/progress.c — the progress bar's thread and its line (see progress.h). */
#include "cli/progress.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define BAR_CELLS 20
#define LINE_MAX_CHARS 256

struct cli_progress_bar {
    const sim_progress *p;
    FILE *out;
    const cli_progress_style *style;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    struct timespec start;
    size_t drawn; /* characters of the line now on the terminal (0: nothing drawn) */
};

/* "12.6 d", "3.2 h", "45 min", "12 s": simulated time at a glance. */
static void format_sim_time(char *buf, size_t size, double s) {
    if (s >= 86400.0) snprintf(buf, size, "%.3g d", s / 86400.0);
    else if (s >= 3600.0) snprintf(buf, size, "%.3g h", s / 3600.0);
    else if (s >= 60.0) snprintf(buf, size, "%.3g min", s / 60.0);
    else snprintf(buf, size, "%.3g s", s);
}

static void format_sim_work(char *buf, size_t size, uint64_t done_us, uint64_t total_us) {
    char done[32], total[32];
    format_sim_time(done, sizeof done, (double)done_us / 1e6);
    format_sim_time(total, sizeof total, (double)total_us / 1e6);
    snprintf(buf, size, "sim %s of %s", done, total);
}

const cli_progress_style cli_progress_style_sim = {"items", format_sim_work};

/* Three significant digits, trailing zeros kept so the line does not jitter: 1.20 G, 456 M,
 * 12.3 k, 42.0 */
static void format_rate(char *buf, size_t size, double rate) {
    const char *prefix = "";
    if (rate >= 999.5e6) rate /= 1e9, prefix = " G";
    else if (rate >= 999.5e3) rate /= 1e6, prefix = " M";
    else if (rate >= 999.5) rate /= 1e3, prefix = " k";
    int decimals = rate >= 99.95 ? 0 : rate >= 9.995 ? 1 : 2;
    snprintf(buf, size, "%.*f%s", decimals, rate, prefix);
}

/* h:mm:ss or m:ss */
static void format_clock(char *buf, size_t size, double s) {
    if (!(s >= 0.0)) s = 0.0;
    if (s > 359999.0) s = 359999.0; /* 99:59:59: beyond it an ETA means nothing */
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

size_t cli_progress_render(char *buf, size_t size, size_t width, uint64_t done, uint64_t total,
                           uint64_t items, double elapsed_s, const cli_progress_style *style) {
    if (size == 0) return 0;
    char line[LINE_MAX_CHARS], work[96], rate[32], eta[32];
    size_t n = 0;
    if (total > 0) {
        uint64_t d = done < total ? done : total;
        double f = (double)d / (double)total;
        int cells = (int)(f * BAR_CELLS);
        char bar[BAR_CELLS + 1];
        for (int i = 0; i < BAR_CELLS; i++) bar[i] = i < cells ? '#' : '.';
        bar[BAR_CELLS] = '\0';
        n += (size_t)snprintf(line + n, sizeof line - n, "%3d%% [%s] ", (int)(f * 100.0), bar);
    }
    if (style && style->format_work) style->format_work(work, sizeof work, done, total);
    else if (total > 0)
        snprintf(work, sizeof work, "%llu/%llu", (unsigned long long)done,
                 (unsigned long long)total);
    else snprintf(work, sizeof work, "%llu", (unsigned long long)done);
    format_rate(rate, sizeof rate, elapsed_s > 0.0 ? (double)items / elapsed_s : 0.0);
    if (total == 0) snprintf(eta, sizeof eta, "ETA --:--");
    else if (done >= total) snprintf(eta, sizeof eta, "finishing");
    else if (done == 0) snprintf(eta, sizeof eta, "ETA --:--");
    else {
        char clock[24];
        format_clock(clock, sizeof clock, elapsed_s * (double)(total - done) / (double)done);
        snprintf(eta, sizeof eta, "ETA %s", clock);
    }
    if (n < sizeof line)
        snprintf(line + n, sizeof line - n, "%s  %s %s/s  %s", work, rate,
                 style && style->items ? style->items : "items", eta);
    size_t len = strlen(line);
    if (len > width) len = width;
    if (len > size - 1) len = size - 1;
    memcpy(buf, line, len);
    buf[len] = '\0';
    return len;
}

static double seconds_since(const struct timespec *t0) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Columns of the terminal, less one: writing the last column makes some terminals wrap. */
static size_t terminal_width(FILE *out) {
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) return (size_t)ws.ws_col - 1;
    return 79;
}

/* Rewrites the line in one write: '\r', the text, spaces over what a longer previous line left. */
static void draw(cli_progress_bar *bar, const char *text, size_t len) {
    char buf[LINE_MAX_CHARS * 2 + 1];
    size_t n = 0;
    buf[n++] = '\r';
    memcpy(buf + n, text, len);
    n += len;
    for (size_t i = len; i < bar->drawn && n < sizeof buf; i++) buf[n++] = ' ';
    fwrite(buf, 1, n, bar->out);
    fflush(bar->out);
    bar->drawn = len;
}

static void erase(cli_progress_bar *bar) {
    if (!bar->drawn) return;
    char buf[LINE_MAX_CHARS + 2];
    size_t n = 0;
    buf[n++] = '\r';
    for (size_t i = 0; i < bar->drawn && n < sizeof buf - 1; i++) buf[n++] = ' ';
    buf[n++] = '\r';
    fwrite(buf, 1, n, bar->out);
    fflush(bar->out);
    bar->drawn = 0;
}

static void *bar_thread(void *arg) {
    cli_progress_bar *bar = arg;
    struct timespec next = bar->start;
    pthread_mutex_lock(&bar->lock);
    while (!bar->stop) {
        next.tv_nsec += CLI_PROGRESS_PERIOD_MS * 1000000L;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        while (!bar->stop && pthread_cond_timedwait(&bar->wake, &bar->lock, &next) == 0) {
        }
        if (bar->stop) break;
        double elapsed = seconds_since(&bar->start);
        if (elapsed * 1000.0 < CLI_PROGRESS_DELAY_MS) continue;
        char text[LINE_MAX_CHARS];
        size_t width = terminal_width(bar->out);
        if (width > LINE_MAX_CHARS - 1) width = LINE_MAX_CHARS - 1;
        size_t len = cli_progress_render(text, sizeof text, width, sim_progress_done(bar->p),
                                         sim_progress_total(bar->p), sim_progress_items(bar->p),
                                         elapsed, bar->style);
        draw(bar, text, len);
    }
    erase(bar);
    pthread_mutex_unlock(&bar->lock);
    return NULL;
}

cli_progress_bar *cli_progress_start(const sim_progress *p, FILE *out,
                                     const cli_progress_style *style) {
    if (!p || !out || !isatty(fileno(out))) return NULL;
    cli_progress_bar *bar = calloc(1, sizeof *bar);
    if (!bar) return NULL;
    bar->p = p;
    bar->out = out;
    bar->style = style;
    pthread_condattr_t attr;
    bool ok = pthread_condattr_init(&attr) == 0;
    if (ok) {
        ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
             pthread_cond_init(&bar->wake, &attr) == 0;
        pthread_condattr_destroy(&attr);
    }
    if (!ok) {
        free(bar);
        return NULL;
    }
    pthread_mutex_init(&bar->lock, NULL);
    clock_gettime(CLOCK_MONOTONIC, &bar->start);
    if (pthread_create(&bar->thread, NULL, bar_thread, bar) != 0) {
        pthread_cond_destroy(&bar->wake);
        pthread_mutex_destroy(&bar->lock);
        free(bar);
        return NULL;
    }
    return bar;
}

void cli_progress_stop(cli_progress_bar *bar) {
    if (!bar) return;
    pthread_mutex_lock(&bar->lock);
    bar->stop = true;
    pthread_cond_signal(&bar->wake);
    pthread_mutex_unlock(&bar->lock);
    pthread_join(bar->thread, NULL);
    pthread_cond_destroy(&bar->wake);
    pthread_mutex_destroy(&bar->lock);
    free(bar);
}
