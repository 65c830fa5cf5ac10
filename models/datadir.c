/* models/datadir.c — the folders of shipped data (see datadir.h). */
#include "models/datadir.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits.h>

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *datadir_locate(const char *from_bin, const char *source, char *buf, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || (size_t)n >= sizeof exe - 1)
        return source; /* no /proc (not Linux, or a chroot): the source tree it is */
    exe[n] = '\0';
    /* The kernel's path is canonical (no symlinks, no ".."), so each leading "../" of the
     * relative path is exactly one folder up: messages then read /usr/share/..., not bin/../. */
    const char *rel = from_bin;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return source;
    *slash = '\0'; /* the binary's folder */
    while (strncmp(rel, "../", 3) == 0 && (slash = strrchr(exe, '/')) != NULL && slash != exe) {
        *slash = '\0';
        rel += 3;
    }
    int w = snprintf(buf, len, "%s/%s", exe, rel);
    if (w <= 0 || (size_t)w >= len)
        return source;
    return is_dir(buf) || !is_dir(source) ? buf : source;
}
