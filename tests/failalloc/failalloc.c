/* tests/failalloc/failalloc.c — allocation-failure injection, in the style of SQLite's tests.
 *
 * Linked into one test executable only (failalloc_sweep), this file defines malloc, calloc,
 * realloc, free and the aligned allocators; the dynamic linker then binds every call in the
 * process to them — capsim's, and libyaml's, jansson's, GSL's and the C library's own (fopen,
 * getline, open_memstream...). Each call forwards to the next definition (the C library's, or
 * AddressSanitizer's in the asan build, found with dlsym(RTLD_NEXT)), except the N-th
 * allocation after failalloc_arm(N), which returns NULL with errno ENOMEM.
 *
 * Not failed, because the failure cannot be handled by capsim:
 *   - allocations made by libgomp: its gomp_malloc ends the process on failure by design
 *     (gomp_fatal: "Out of memory allocating N bytes", exit 1); the sweep runs with one thread,
 *     so libgomp allocates only its own bookkeeping;
 *   - allocations made by the dynamic loader (ld.so, for a dlopen inside the C library): it
 *     leaks what it had allocated when one fails;
 *   - libyaml 0.2.5's loader growing the document's node stack (yaml_stack_extend called under
 *     yaml_parser_load): when that fails, yaml_parser_load_sequence / _mapping return through an
 *     error path that frees the new node's tag and anchor but not its item stack, one block
 *     leaked inside libyaml (src/loader.c). Every other libyaml allocation is failed.
 * A skipped allocation is not counted: N counts the allocations that can fail. Allocations made
 * while dlsym resolves the real functions come from a small static arena. */
#define _GNU_SOURCE
#include "tests/failalloc/failalloc.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <link.h>
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);

static uint64_t fail_at;     /* the eligible allocation to fail (1-based); 0: none */
static uint64_t counted;     /* eligible allocations since failalloc_arm */
static bool fired;
static int64_t live;         /* blocks allocated minus blocks freed (outside the arena) */
static uintptr_t gomp_lo, gomp_hi; /* libgomp's mapped address range */
static uintptr_t ld_lo, ld_hi;     /* the dynamic loader's */
static uintptr_t yext_lo, yext_hi, yload_lo, yload_hi; /* yaml_stack_extend, yaml_parser_load */
static int in_backtrace;           /* allocations made by backtrace() itself pass through */

/* The bootstrap arena, for calls made while dlsym runs. */
static _Alignas(max_align_t) unsigned char arena[8192];
static size_t arena_used;
static int resolving;

static bool in_arena(const void *p)
{
    return (const unsigned char *)p >= arena && (const unsigned char *)p < arena + sizeof arena;
}

static void *arena_alloc(size_t n)
{
    size_t a = _Alignof(max_align_t);
    size_t at = (arena_used + a - 1) / a * a;
    if (at + n > sizeof arena)
        return NULL;
    arena_used = at + n;
    return arena + at;
}

static void resolve(void)
{
    if (real_malloc || resolving)
        return;
    resolving = 1;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
    resolving = 0;
}

/* The address ranges of libgomp and ld.so, whose allocations are not failed. */
static int find_excluded(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    uintptr_t *lo, *hi;
    if (info->dlpi_name && strstr(info->dlpi_name, "libgomp"))
        lo = &gomp_lo, hi = &gomp_hi;
    else if (info->dlpi_name && strstr(info->dlpi_name, "/ld-linux"))
        lo = &ld_lo, hi = &ld_hi;
    else
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        uintptr_t a = info->dlpi_addr + ph->p_vaddr, b = a + ph->p_memsz;
        if (!*lo || a < *lo)
            *lo = a;
        if (b > *hi)
            *hi = b;
    }
    return 0;
}

/* The address range of an exported function (its symbol's size). */
static void symbol_range(const char *name, uintptr_t *lo, uintptr_t *hi)
{
    void *addr = dlsym(RTLD_DEFAULT, name);
    Dl_info info;
    const ElfW(Sym) *sym = NULL;
    if (addr && dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) && sym) {
        *lo = (uintptr_t)addr;
        *hi = *lo + sym->st_size;
    }
}

/* yaml_stack_extend called (at any depth) from yaml_parser_load: see the header. */
static bool libyaml_loader_stack_growth(uintptr_t caller)
{
    if (caller < yext_lo || caller >= yext_hi)
        return false;
    void *frames[64];
    in_backtrace = 1;
    int n = backtrace(frames, 64);
    in_backtrace = 0;
    for (int i = 0; i < n; i++)
        if ((uintptr_t)frames[i] >= yload_lo && (uintptr_t)frames[i] < yload_hi)
            return true;
    return false;
}

/* True when this allocation is the one to fail. */
static bool should_fail(void *caller)
{
    if (!fail_at || fired || in_backtrace)
        return false;
    uintptr_t c = (uintptr_t)caller;
    if ((c >= gomp_lo && c < gomp_hi) || (c >= ld_lo && c < ld_hi) ||
        libyaml_loader_stack_growth(c))
        return false;
    if (++counted < fail_at)
        return false;
    fired = true;
    return true;
}

void failalloc_arm(uint64_t n)
{
    resolve();
    if (!ld_hi)
        dl_iterate_phdr(find_excluded, NULL);
    if (!yext_hi) {
        symbol_range("yaml_stack_extend", &yext_lo, &yext_hi);
        symbol_range("yaml_parser_load", &yload_lo, &yload_hi);
        void *warm[4];
        backtrace(warm, 4); /* its first call loads the unwinder, which allocates */
    }
    fail_at = n;
    counted = 0;
    fired = false;
}

uint64_t failalloc_count(void) { return counted; }
bool failalloc_fired(void) { return fired; }
int64_t failalloc_live(void) { return live; }

void *malloc(size_t n)
{
    resolve();
    if (!real_malloc)
        return arena_alloc(n);
    if (should_fail(__builtin_return_address(0))) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = real_malloc(n);
    live += p != NULL;
    return p;
}

void *calloc(size_t n, size_t size)
{
    resolve();
    if (!real_calloc) {
        if (size && n > SIZE_MAX / size)
            return NULL;
        void *p = arena_alloc(n * size);
        if (p)
            memset(p, 0, n * size);
        return p;
    }
    if (should_fail(__builtin_return_address(0))) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = real_calloc(n, size);
    live += p != NULL;
    return p;
}

void *realloc(void *old, size_t n)
{
    resolve();
    if (in_arena(old) || !real_realloc) {
        void *p = malloc(n);
        if (p && old) {
            size_t room = (size_t)(arena + sizeof arena - (unsigned char *)old);
            memcpy(p, old, n < room ? n : room); /* the old block's size is not kept */
        }
        return p;
    }
    if ((old == NULL || n > 0) && should_fail(__builtin_return_address(0))) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = real_realloc(old, n);
    if (old == NULL)
        live += p != NULL;
    else if (n == 0 && p == NULL)
        live--;
    return p;
}

void free(void *p)
{
    if (!p || in_arena(p))
        return;
    resolve();
    live--;
    real_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    resolve();
    if (should_fail(__builtin_return_address(0)))
        return ENOMEM;
    int rc = real_posix_memalign(out, align, n);
    live += rc == 0;
    return rc;
}

void *aligned_alloc(size_t align, size_t n)
{
    resolve();
    if (should_fail(__builtin_return_address(0))) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = real_aligned_alloc(align, n);
    live += p != NULL;
    return p;
}

void *memalign(size_t align, size_t n)
{
    resolve();
    if (should_fail(__builtin_return_address(0))) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = real_memalign(align, n);
    live += p != NULL;
    return p;
}

/* AddressSanitizer allocates strdup's copy itself, not through malloc: defined here too, so the
 * copies are counted and can fail in every build. */
char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    return p ? memcpy(p, s, n) : NULL;
}

char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}
