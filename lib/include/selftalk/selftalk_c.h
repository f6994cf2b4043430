/* The C interface to selftalk, for C programs and for other languages (Python ctypes, FFI).
 *
 *   selftalk_error* err = NULL;
 *   selftalk_ruleset* rules = selftalk_ruleset_default(&err);
 *   if (!rules) { fprintf(stderr, "%s\n", selftalk_error_message(err)); selftalk_error_free(err); }
 *   selftalk_analyzer* an = selftalk_analyzer_new(rules, NULL, &err);
 *   selftalk_result* r = selftalk_analyze(an, text, strlen(text));
 *   for (size_t i = 0; i < selftalk_result_count(r); ++i) {
 *     const selftalk_finding* f = selftalk_result_finding(r, i);
 *     printf("%zu:%zu %s: %s\n", f->line, f->column, selftalk_category_name(f->category), f->text);
 *   }
 *   selftalk_result_free(r); selftalk_analyzer_free(an); selftalk_ruleset_free(rules);
 *
 * Conventions: every object is an opaque handle created by a *_new or *_from_* function and
 * released by its *_free function (which accepts NULL). Strings are UTF-8, NUL-terminated, and
 * owned by the object they come from unless a function says otherwise. Functions that can fail
 * return NULL (or a negative int) and, when `error` is not NULL, store a selftalk_error the caller
 * frees. No C++ exception crosses this interface.
 *
 * Thread-safety: a selftalk_ruleset is immutable; share it between any number of threads. An
 * analyzer, stream, options or result object must be used by one thread at a time. Freeing a
 * ruleset while analyzers made from it live is allowed (they keep what they need).
 */
#ifndef SELFTALK_SELFTALK_C_H
#define SELFTALK_SELFTALK_C_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct selftalk_error selftalk_error;
typedef struct selftalk_ruleset selftalk_ruleset;
typedef struct selftalk_options selftalk_options;
typedef struct selftalk_analyzer selftalk_analyzer;
typedef struct selftalk_stream selftalk_stream;
typedef struct selftalk_result selftalk_result;

/* Category ids: the values of selftalk::Category (stable). */
enum {
  SELFTALK_SAFETY = 0,
  SELFTALK_ABSOLUTE,
  SELFTALK_SHOULD,
  SELFTALK_SELF_LABEL,
  SELFTALK_CATASTROPHIZING,
  SELFTALK_MIND_READING,
  SELFTALK_FORTUNE_TELLING,
  SELFTALK_PERSONALIZATION,
  SELFTALK_DISCOUNTING_POSITIVE,
  SELFTALK_EMOTIONAL_REASONING,
  SELFTALK_COMPARISON,
  SELFTALK_ISOLATION,
  SELFTALK_OVER_IDENTIFICATION,
  SELFTALK_UNDESERVING,
  SELFTALK_CATEGORY_COUNT
};
enum { SELFTALK_PILLAR_COUNT = 4 };                                  /* none, self_kindness, ... */
enum { SELFTALK_LOW = 1, SELFTALK_MEDIUM = 2, SELFTALK_HIGH = 3 };  /* severities */

/* The linked library's version, e.g. "0.1.0". Static storage. */
const char* selftalk_version(void);

/* Stable snake_case ids ("self_label", "self_kindness", "high"); NULL for an unknown value.
 * Static storage. */
const char* selftalk_category_name(int category);
const char* selftalk_pillar_name(int pillar);
const char* selftalk_severity_name(int severity);
/* The category with this id, or -1. REQUIRES: id is not NULL. */
int selftalk_category_from_name(const char* id);

/* ---- Errors ---- */

/* "file:line:col: pack/rule: message", leaving out the unknown parts. Owned by the error. */
const char* selftalk_error_message(const selftalk_error* error);
/* The parts of the message; "" or 0 when unknown. Owned by the error. */
const char* selftalk_error_file(const selftalk_error* error);
int selftalk_error_line(const selftalk_error* error);
int selftalk_error_column(const selftalk_error* error);
const char* selftalk_error_pack(const selftalk_error* error);
const char* selftalk_error_rule(const selftalk_error* error);
void selftalk_error_free(selftalk_error* error);

/* ---- Rulesets: rule packs compiled once ---- */

/* The embedded English packs, compiled once per process and shared. */
selftalk_ruleset* selftalk_ruleset_default(selftalk_error** error);

/* Packs read from files or directories (every *.json of a directory, sorted). With with_defaults
 * non-zero they are merged over the embedded packs: a pack with a default pack's name replaces it.
 * REQUIRES: paths holds count non-NULL paths. */
selftalk_ruleset* selftalk_ruleset_from_files(const char* const* paths, size_t count, int with_defaults,
                                              selftalk_error** error);

/* Packs given as JSON text, named "string1.json", "string2.json", ... in errors. with_defaults as
 * above. REQUIRES: jsons holds count non-NULL strings. */
selftalk_ruleset* selftalk_ruleset_from_json(const char* const* jsons, size_t count, int with_defaults,
                                             selftalk_error** error);

/* Number of rules. */
size_t selftalk_ruleset_rule_count(const selftalk_ruleset* rules);
void selftalk_ruleset_free(selftalk_ruleset* rules);

/* ---- Options: what to report (copied into each analyzer or stream made with them) ---- */

/* All categories, minimum severity low, two reframes per finding, no reported speech. NULL only
 * when out of memory. */
selftalk_options* selftalk_options_new(void);
/* Turns reporting of one category on (non-zero) or off. Returns 0, or -1 for an unknown category. */
int selftalk_options_set_category(selftalk_options* options, int category, int enabled);
/* Reports only findings of at least this severity. Returns 0, or -1 for an unknown severity. */
int selftalk_options_set_min_severity(selftalk_options* options, int severity);
/* Also report findings in someone else's voice (reported or quoted speech). */
void selftalk_options_set_include_reported(selftalk_options* options, int enabled);
/* Every applicable reframe rather than two. */
void selftalk_options_set_all_reframes(selftalk_options* options, int enabled);
void selftalk_options_free(selftalk_options* options);

/* ---- Analysis ---- */

/* An analyzer for rules with options (NULL for the defaults). Cheap to keep, not to create. */
selftalk_analyzer* selftalk_analyzer_new(const selftalk_ruleset* rules, const selftalk_options* options,
                                         selftalk_error** error);
void selftalk_analyzer_free(selftalk_analyzer* analyzer);

/* Analyses `length` bytes of UTF-8 at `utf8` (need not be NUL-terminated; invalid bytes are
 * counted, never fatal). NULL only when out of memory. */
selftalk_result* selftalk_analyze(selftalk_analyzer* analyzer, const char* utf8, size_t length);

/* One finding. Offsets are in the analysed text (for a stream: from the stream's start); begin/end
 * in UTF-8 bytes, cp_* in code points, utf16_* in UTF-16 units; line and column (code points) are
 * 1-based. Fields may be added at the end in later versions; the struct is always owned by the
 * library. */
typedef struct selftalk_finding {
  const char* rule;
  int category;
  int pillar;
  int severity;
  int reported;          /* non-zero: someone else's words (only with include_reported) */
  size_t begin, end;
  size_t line, column;
  size_t cp_begin, cp_end;
  size_t utf16_begin, utf16_end;
  size_t sentence_begin, sentence_end;  /* byte span of the sentence (its piece, for one of 500+ bytes) */
  const char* text;        /* the matched text */
  const char* message;
  const char* friend_view; /* "" for safety findings */
  const char* support;     /* safety findings only, else "" */
  size_t reframe_count;
  const char* const* reframes;            /* reframe_count reframes */
  const char* const* reframe_strategies;  /* their strategies */
} selftalk_finding;

/* Scores of one text (for a stream result: of everything analysed so far). */
typedef struct selftalk_scores {
  size_t words;
  size_t sentences;
  size_t by_category[SELFTALK_CATEGORY_COUNT];
  size_t by_pillar[SELFTALK_PILLAR_COUNT];
  double critic_intensity; /* severity weight per 100 words */
  size_t absolutist_words;
  double absolutist_rate;
} selftalk_scores;

/* Number of findings: safety findings first, then by position. */
size_t selftalk_result_count(const selftalk_result* result);
/* The finding at index, owned by the result; NULL when index >= count. */
const selftalk_finding* selftalk_result_finding(const selftalk_result* result, size_t index);
/* Owned by the result. */
const selftalk_scores* selftalk_result_scores(const selftalk_result* result);
/* The pack's Self-Compassion Break for an entry dense with findings, else "". */
const char* selftalk_result_self_compassion_break(const selftalk_result* result);
size_t selftalk_result_invalid_utf8_bytes(const selftalk_result* result);
/* The result as JSON (docs/output-schema.json, one document). The caller frees the string with
 * selftalk_string_free. NULL only when out of memory; *length (if not NULL) gets its size. */
char* selftalk_result_to_json(const selftalk_result* result, size_t* length);
void selftalk_result_free(selftalk_result* result);
void selftalk_string_free(char* s);

/* ---- Streams: long or incremental input (see selftalk/stream.h) ---- */

/* A stream for rules with options (NULL for the defaults); buffers at most 64 KiB. */
selftalk_stream* selftalk_stream_new(const selftalk_ruleset* rules, const selftalk_options* options,
                                     selftalk_error** error);
/* Appends bytes (a chunk may end inside a character) and returns the findings of the sentences
 * completed since the last call. NULL only when out of memory. */
selftalk_result* selftalk_stream_feed(selftalk_stream* stream, const char* utf8, size_t length);
/* Ends the stream: the findings of the rest, and the scores of the whole stream. A later feed
 * starts a new stream. NULL only when out of memory. */
selftalk_result* selftalk_stream_finish(selftalk_stream* stream);
void selftalk_stream_free(selftalk_stream* stream);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* SELFTALK_SELFTALK_C_H */
