/* models/scenario_internal.h — the machinery shared by the scenario loader's files.
 *
 * The scenario format is described once, as data: each map of the format is a `scn_section`,
 * an array of `scn_field`s (key, type, where the value goes, range, default). The loader
 * (scenario_load.c) walks a YAML document with these tables, the writer (scenario_write.c)
 * prints a scenario with the same tables, and scenario_destroy frees with them; so a key added
 * to a table is parsed, checked, defaulted, written back and freed without further code.
 * The tables and the rules no table can express (cross-field checks) are in scenario_rules.c;
 * distributions are parsed in scenario_dist.c, arrival traces read in scenario_trace.c, `--set`
 * overrides grafted in scenario_override.c.
 *
 * Offsets are into the struct being filled: `scenario` for the sections of the file, the element
 * struct (scn_burst, ...) for the items of a list. */
#ifndef MODELS_SCENARIO_INTERNAL_H
#define MODELS_SCENARIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <yaml.h>

#include "models/scenario.h"

typedef enum scn_type {
    SCN_T_DURATION,     /* sim_time_us */
    SCN_T_SIZE_MB_INT,  /* int64_t, whole MB (Lambda memory and /tmp are set in MB steps) */
    SCN_T_SIZE_GB,      /* double, GB (EMR Serverless memory) */
    SCN_T_RATE,         /* double per second */
    SCN_T_RATE_PARTS,   /* double count at off, sim_time_us period at off2 */
    SCN_T_INT,          /* int64_t */
    SCN_T_UINT64,       /* uint64_t */
    SCN_T_NUMBER,       /* double */
    SCN_T_BOOL,         /* bool */
    SCN_T_ENUM,         /* int-sized enum, names in .names (index = value) */
    SCN_T_STRING,       /* char *, owned */
    SCN_T_STRBUF,       /* char[.cap] inside the struct */
    SCN_T_DIST_DURATION,/* scn_dist of seconds */
    SCN_T_DIST_SIZE,    /* scn_dist of MB */
    SCN_T_SECTION,      /* a map described by .sub; off2 = bool `present` flag or SCN_NO_OFF */
    SCN_T_LIST,         /* a list of maps described by .sub: pointer at off, size_t count at off2 */
    SCN_T_CUSTOM        /* parsed, written and freed by .custom */
} scn_type;

#define SCN_NO_OFF ((size_t)-1)
#define SCN_PATH_LEN 512 /* room for a dotted key path in messages */

typedef struct scn_walk scn_walk;
typedef struct scn_field scn_field;
typedef struct scn_section scn_section;

/* For values that are one of several shapes (`reserved: none | INT`, `provisioned: N | list`). */
typedef struct scn_custom {
    /* Parses node into base+f->off; reports its own errors. node is never NULL. */
    void (*set)(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base, const char *path);
    /* Writes the value after "key: " (a scalar or flow text; may write a block list, see
     * scn_write_block_list). */
    void (*write)(FILE *out, const scn_field *f, const void *base, int indent);
    void (*destroy)(const scn_field *f, void *base); /* may be NULL */
    /* For `capsim schema` (scenario_schema.c), which cannot see into set(): the value's shapes
     * in words ("none or integer"; NULL: "one of" the field's .names), its range ("" for
     * none), and the table of a list shape's items (NULL when it has none). */
    const char *doc_type;
    const char *doc_range;
    const scn_section *doc_items;
    /* Whether the value is "not set", for omit_if_zero (NULL: never). */
    bool (*is_zero)(const scn_field *f, const void *base);
    /* write() starts a block on the next line: no space after "key:" (no line ends in one). */
    bool block;
} scn_custom;

struct scn_field {
    const char *key;
    scn_type type;
    size_t off, off2;
    /* Range in base units (us, MB, count, per second): checked when has_min/has_max. */
    bool has_min, has_max, min_excl;
    double min, max;
    bool required;
    /* The value when the key is absent, written as a user would write it and parsed by the same
     * code; NULL leaves zero (or what a rule fills in). */
    const char *def;
    const char *const *names;  /* ENUM */
    const scn_section *sub;    /* SECTION, LIST */
    size_t elem_size;          /* LIST */
    bool nonempty;             /* LIST: at least one item */
    size_t cap;                /* STRBUF */
    const scn_custom *custom;  /* CUSTOM */
    bool omit_if_zero;         /* writer: leave out when zero/NULL/false ("not set") */
    bool slug;                 /* STRING/STRBUF: [a-z0-9-]+ */
    /* writer: leave the key out when this says it does not apply (e.g. mmpp: for poisson). */
    bool (*applies)(const scenario *s);
    /* `capsim schema`: what the key means, in SCENARIO-FORMAT.md's words (one short line), and,
     * when a rule fills the default in (def is NULL), that default in words. */
    const char *help;
    const char *def_doc;
};

struct scn_section {
    const scn_field *fields;
    size_t n_fields;
    /* Cross-field rules, run after the section's fields are parsed and defaulted. map is NULL
     * when the section is absent (then only fill derived values: nothing was written). */
    void (*check)(scn_walk *w, yaml_node_t *map, void *base, const char *path);
};

/* The top-level table (scenario_rules.c). */
extern const scn_section scn_root_section;
/* The rules a section's check enforces, in words, for `capsim schema`: a NULL-terminated list
 * written next to the check function (scenario_rules.c), or NULL when the section has none. */
const char *const *scn_section_rules(const scn_section *sec);

/* ---- loader services for rules and custom fields (scenario_load.c) ---- */
/* The walked document's node by id, or NULL. */
yaml_node_t *scn_node(scn_walk *w, int id);
/* The value of `key` in a mapping node, or NULL. */
yaml_node_t *scn_map_get(scn_walk *w, yaml_node_t *map, const char *key);
/* Reports `FILE:LINE:COL: error: PATH: ...` at node's position (NULL node: no position). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void scn_error(scn_walk *w, yaml_node_t *node, const char *path, const char *fmt, ...);
/* Reports at the value of a key written earlier (recorded in scenario->keys), else at fallback:
 * for cross-field rules, which run after the values were parsed. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void scn_error_key(scn_walk *w, const char *key_path, yaml_node_t *fallback, const char *fmt, ...);
/* Applies field f to node (or its default when node is NULL), as the walker does. */
void scn_apply(scn_walk *w, const scn_field *f, yaml_node_t *node, void *base, const char *path);
/* Walks a list node with an element table, allocating the array; false if it is not a list. */
bool scn_walk_list(scn_walk *w, const scn_section *elem, size_t elem_size, yaml_node_t *node,
                   void **items, size_t *n_items, const char *path);
/* Directory of the scenario file, for relative data files ("" = current directory). */
const char *scn_dir(scn_walk *w);
/* Errors reported so far (to skip follow-up rules on values that already failed). */
size_t scn_error_count(scn_walk *w);
/* In a section's check: true when none of the section's own values had an error. Rules that
 * compare values skip otherwise: a value that failed to parse holds zero, not what was meant. */
bool scn_section_ok(scn_walk *w);
/* Records an allocation failure; the load then returns SIM_ENOMEM. */
void scn_oom(scn_walk *w);
/* The file a data-file path names: environment variables in file are expanded first --
 * `${NAME}` and `$NAME` become the variable's value, `${NAME:?advice}` too, with advice as the
 * message when it is unset or empty, and `$$` is one '$' -- then a relative result is joined to
 * dir (the scenario's folder; "" = the current one) and an absolute one kept. Returns 0 with
 * *out malloc'ed; SIM_ENOMEM; SIM_ESCENARIO with one line in why ("environment variable X is
 * not set: ...") for an unset or empty variable or a '$' that starts no variable. */
int scn_resolve_path(const char *dir, const char *file, char **out, char *why, size_t why_len);
/* scn_resolve_path against the scenario's folder for the data file written at node (key path
 * `path`); a problem is reported there. NULL on failure (reported, or out of memory recorded). */
char *scn_data_path(scn_walk *w, yaml_node_t *node, const char *path, const char *file);
/* Text of a scalar node ("" for others). */
const char *scn_text(yaml_node_t *node);

/* True for a plain empty/~/null scalar (`lambda:` with nothing after it). */
bool scn_is_null(yaml_node_t *node);
/* "a map", "a list", "a single value" or "nothing", for messages. */
const char *scn_node_kind(yaml_node_t *node);
/* True when a failed libyaml call ran out of memory. libyaml 0.2.5 sometimes fails without
 * setting an error (yaml_strdup of a tag in the loader, e.g.): only allocation fails that way. */
#define SCN_YAML_OOM(parser) \
    ((parser)->error == YAML_MEMORY_ERROR || (parser)->error == YAML_NO_ERROR)
/* Reports a libyaml failure at its problem mark: `file:line:col: error: YAML syntax: ...`; for
 * an override (line_base > 0) at `--set:line_base:col_base+col`. */
void scn_report_yaml_error(sim_diag *diag, const char *file, int line_base, int col_base,
                           const char *path, const yaml_parser_t *p, const char *text, size_t len);

/* Every duration and time a scenario gives is at most SIM_TIME_LIMIT_US (sim/time.h), so no sum
 * the simulator forms can overflow; this is how messages and the reference write it. */
#define SCN_TIME_LIMIT_TEXT "36525d (100 years)"
/* True when us is within SIM_TIME_LIMIT_US; else reports "TEXT is beyond capsim's time limit". */
bool scn_check_time_limit(scn_walk *w, yaml_node_t *node, const char *path, sim_time_us us,
                          const char *text);
/* A bound of f's range (base units) as the range messages print it: "128MB", "1s", "0/s", "1". */
void scn_format_bound(char *buf, size_t len, const scn_field *f, double v);
/* "a.b" + "c" -> "a.b.c" into buf (keys at the top level have no prefix). */
void scn_join_path(char *buf, size_t len, const char *parent, const char *key);
/* Records where the key at `path` was written (scenario->keys); nothing while in a default. */
void scn_record_key(scn_walk *w, const char *path, yaml_node_t *key, yaml_node_t *value);
/* Reports an unknown key, suggesting the closest of `known` or listing them all. */
void scn_unknown_key(scn_walk *w, yaml_node_t *key, const char *path, const char *const *known,
                     size_t n_known);
sim_diag *scn_diag(scn_walk *w);

/* ---- functions and account (scenario_functions.c) ---- */
extern const scn_section *const scn_workload_section;       /* scenario_rules.c */
extern const scn_section *const scn_stage_workload_section; /* a `from` function's workload */
extern const scn_section *const scn_lambda_section;
extern const scn_section *const scn_glue_section;            /* a Glue stage's too */
extern const scn_section *const scn_emr_section;             /* an EMR stage's too */
extern const scn_custom scn_functions_custom;               /* `functions:` */
extern const scn_section scn_functions_from_trace_section;  /* `functions_from_trace:` */
/* The root scenario being loaded (a function's lambda is parsed into a scratch scenario). */
scenario *scn_root(scn_walk *w);
/* Root rules of format 1.1: functions vs lambda, the account's reservations, and the expansion
 * of functions_from_trace into one function per trace row. */
void scn_functions_check(scn_walk *w, yaml_node_t *map, scenario *s);
/* Writes a section of the table at indent, with s deciding what applies (scenario_write.c). */
void scn_write_section(FILE *out, const scenario *s, const scn_section *sec, const void *base,
                       int indent);

/* ---- other documents walked by the same machinery (pricing tables, pricing.c) ---- */
/* What kind of file a document is, for the messages about its shape. */
typedef struct scn_doc_kind {
    const char *what;       /* "scenario", "pricing table" */
    const char *root_keys;  /* "name:, horizon:, workload:, ..." */
    const scn_section *root;
} scn_doc_kind;
/* Parses text as one YAML document named `name` (for messages) and walks it with kind->root into
 * base, exactly as a scenario is walked: every problem recorded in diag as
 * `name:LINE:COL: error: PATH: message`; relative paths resolve against dir. Returns 0,
 * SIM_ESCENARIO or SIM_ENOMEM; on failure what was filled in base is freed (scn_free_section). */
int scn_load_doc(const char *name, const char *dir, const char *text, size_t len,
                 const scn_doc_kind *kind, void *base, sim_diag *diag);
/* Reads a whole file (at most 16 MB) into a malloc'ed buffer; 0 or an errno value. */
int scn_read_file(const char *path, char **text, size_t *len);
/* "dir/x.yaml" -> "dir"; "x.yaml" -> "" (the current directory); "/x.yaml" -> "/". NULL on OOM. */
char *scn_dir_of(const char *path);
/* Frees everything a table describes at base, recursively (also used on failure paths). */
void scn_free_section(const scn_section *sec, void *base);

/* ---- distributions (scenario_dist.c) ---- */
/* Parses a plain value or a {dist: ...} map of quantity q into d (freed first). */
void scn_parse_dist(scn_walk *w, yaml_node_t *node, const char *path, scn_quantity q,
                    scn_dist *d);
/* The kinds of `{dist: ...}` map, for `capsim schema`: the i-th kind's example and the checks on
 * its parameters in words; false when i is past the last kind. */
bool scn_dist_kind_doc(size_t i, const char **example, const char **rule);

/* ---- arrival traces (scenario_trace.c) ---- */
/* Reads the data file of workload.arrivals.trace (t->path, already resolved and checked to be
 * readable) into t->minute_counts or t->times_s, for the picked function / row / all. map is the
 * trace map, path its dotted key. Problems in the file are reported as DATAFILE:LINE, a pick the
 * file does not have at the pick's key. */
void scn_trace_load(scn_walk *w, yaml_node_t *map, const char *path, scn_trace *t);
/* Frees the loaded data (not the table's fields); leaves t with no data. */
void scn_trace_data_free(scn_trace *t);

/* ---- limits on the YAML itself (scenario_limits.c) ---- */
/* Lists and maps nested deeper than this are refused before a document is built. */
#define SCN_MAX_DEPTH 64
/* A document (file and overrides together), or one override's value, may stand for at most
 * this many nodes once every alias is expanded. */
#define SCN_MAX_NODES 100000
/* Streams text and reports the first list or map nested deeper than SCN_MAX_DEPTH at its
 * position (line_base > 0: an override, `FILE:line_base:col_base+COL`). Returns 0 (also for text
 * that is not valid YAML: loading it reports that), SIM_ESCENARIO after reporting, SIM_ENOMEM. */
int scn_yaml_check_depth(sim_diag *diag, const char *file, int line_base, int col_base,
                         const char *path, const char *text, size_t len);
/* The byte offset of a libyaml mark (0-based line and column) in text, at most len. */
int scn_text_offset(const char *text, size_t len, size_t line, size_t column);
typedef struct scn_yaml_measure_out {
    int64_t nodes;            /* nodes reachable from the root, aliases expanded (<= limit+1) */
    yaml_node_t *big_node;    /* a deepest node that alone passes the limit, or NULL */
    yaml_node_t *cycle_node;  /* a node that contains an alias to itself, or NULL */
    yaml_node_t *nul_node;    /* the first string holding a NUL character, or NULL */
} scn_yaml_measure_out;
/* Measures what node `root` of doc stands for, in time linear in the document's real nodes.
 * Returns 0 or SIM_ENOMEM. */
int scn_yaml_measure(yaml_document_t *doc, int root, int64_t limit, scn_yaml_measure_out *out);

/* Data files (traces, empirical tables) are at most this large: 512 MB, room for a day of the
 * Azure Functions trace (about 150 MB) several times over. */
#define SCN_MAX_DATA_FILE_BYTES (512 << 20)
/* Opens a data file for reading, refusing (with an error at node, key_path) what is not a
 * regular file ("is a directory", FIFOs, devices, sockets) or is larger than
 * SCN_MAX_DATA_FILE_BYTES. NULL after reporting (or after scn_oom). */
FILE *scn_open_data_file(scn_walk *w, yaml_node_t *node, const char *key_path, const char *file);
/* Strips a data line's ending (LF or CRLF: the Azure files come from Windows tools too). */
void scn_chomp(char *line);
/* Splits line in place at commas into fields (at most cap; *n is the real count even beyond
 * cap, so a too-long row is still recognised as such). */
void scn_split_csv(char *line, char **fields, size_t cap, size_t *n);
/* For each line read (n bytes) from a data file: false after reporting FILE:LINENO when the line
 * holds a NUL byte or the bytes read so far (*total) pass the limit (the file grew). */
bool scn_data_line_ok(scn_walk *w, const char *file, int lineno, const char *key_path,
                      const char *line, size_t n, int64_t *total);

/* ---- --set overrides (scenario_override.c) ---- */
/* The file name of positions in overrides. */
#define SCN_OVERRIDE_SOURCE "--set"
/* Grafts override number index (0-based) "KEY=VALUE" into doc, whose root must be a mapping
 * (node 1). A malformed override is reported in diag and skipped; returns SIM_ENOMEM or 0. */
int scn_override_apply(yaml_document_t *doc, const char *text, int index, sim_diag *diag);

/* ---- writer services (scenario_write.c) ---- */
void scn_write_dist(FILE *out, const scn_dist *d);
/* A string on one line, plain when that reads back the same, else double-quoted: for values
 * inside a flow list or map ([a, "b=c"]). */
void scn_write_inline_string(FILE *out, const char *s);
void scn_dist_free(scn_dist *d);

#endif
