/* cli/outdir.c — the output folder of -o DIR: created, with its missing parents, like mkdir -p. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "cli/cli.h"

/* mkdir(path) unless it is a directory already; 0 or an errno. */
static int make_one(const char *path) {
    if (mkdir(path, 0777) == 0) return 0;
    int err = errno;
    struct stat st;
    if (err == EEXIST) return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    /* Some systems say EACCES or EROFS for a folder that exists (a mount point). */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    return err;
}

int cli_out_dir_create(const char *dir) {
    char path[4096];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof path) {
        fprintf(stderr, "capsim: cannot create output folder '%s': %s\n", dir,
                len ? strerror(ENAMETOOLONG) : "empty name");
        return CLI_EXIT_IO;
    }
    memcpy(path, dir, len + 1);
    /* Each prefix ending before a '/', then the whole path. */
    for (size_t i = 1; i <= len; i++) {
        if (i < len && path[i] != '/') continue;
        if (path[i - 1] == '/') continue; /* "a//b", or a trailing '/' */
        char saved = path[i];
        path[i] = '\0';
        int err = make_one(path);
        path[i] = saved;
        if (err) {
            char part[4096];
            snprintf(part, sizeof part, "%.*s", (int)i, path);
            if (i == len)
                fprintf(stderr, "capsim: cannot create output folder '%s': %s\n", dir,
                        strerror(err));
            else
                fprintf(stderr, "capsim: cannot create output folder '%s': %s: %s\n", dir, part,
                        strerror(err));
            return CLI_EXIT_IO;
        }
    }
    return CLI_EXIT_OK;
}
