/* tests/failalloc/capsim_main.c — the capsim program's main as a function, capsim_main, so the
 * allocation-failure sweep can run it many times in one process (sweep.c). */
int capsim_main(int argc, char **argv);
#define main capsim_main
#include "cli/main.c"
