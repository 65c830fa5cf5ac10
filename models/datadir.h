/* models/datadir.h — finding the data files capsim ships (pricing tables, scenarios).
 *
 * capsim reads data at run time: the pricing tables (models/pricing/) and the scenarios with
 * their lessons (scenarios/). `cmake --install` puts them under share/capsim/, and a binary in a
 * build tree uses the source tree's. Each kind of data has an environment variable that
 * overrides both (read by its caller, at each call); without it, datadir_locate gives the folder
 * installed beside the running binary, found from the binary's own path (so an installed prefix
 * works wherever it is, even after it is moved), else the source tree's. */
#ifndef MODELS_DATADIR_H
#define MODELS_DATADIR_H

#include <stddef.h>

/* The folder `from_bin` (relative to the folder of /proc/self/exe, e.g. "../share/capsim/pricing")
 * written into buf when it exists, or when `source` (an absolute folder of the source tree) does
 * not; else `source`. Returns buf or source (never NULL). The answer cannot change while the
 * program runs: callers compute it once (call_once) and keep it. */
const char *datadir_locate(const char *from_bin, const char *source, char *buf, size_t len);

#endif
