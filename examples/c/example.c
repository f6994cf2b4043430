/* Analyses a sentence (the first argument, or a sample) with the C API and prints each finding,
 * its reframes and the scores. Exit status: 0 ok, 3 rule error, 4 out of memory. */
#include <selftalk/selftalk_c.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  const char* text = argc > 1 ? argv[1] : "I always ruin everything. I should have known better. I'm such a failure.";
  selftalk_error* error = NULL;
  selftalk_ruleset* rules = selftalk_ruleset_default(&error);
  if (rules == NULL) {
    fprintf(stderr, "selftalk: %s\n", selftalk_error_message(error));
    selftalk_error_free(error);
    return 3;
  }
  selftalk_options* options = selftalk_options_new();
  selftalk_analyzer* analyzer = options ? selftalk_analyzer_new(rules, options, &error) : NULL;
  selftalk_result* result = analyzer ? selftalk_analyze(analyzer, text, strlen(text)) : NULL;
  int status = 0;
  if (result == NULL) {
    fprintf(stderr, "selftalk: %s\n", error ? selftalk_error_message(error) : "out of memory");
    status = 4;
  } else {
    printf("selftalk %s: %zu findings\n", selftalk_version(), selftalk_result_count(result));
    for (size_t i = 0; i < selftalk_result_count(result); ++i) {
      const selftalk_finding* f = selftalk_result_finding(result, i);
      printf("%zu:%zu: %s (%s): \"%s\" [%s]\n", f->line, f->column, selftalk_category_name(f->category),
             selftalk_severity_name(f->severity), f->text, f->rule);
      for (size_t k = 0; k < f->reframe_count; ++k) printf("    try: %s\n", f->reframes[k]);
      if (f->support[0] != '\0') printf("    %s\n", f->support);
    }
    const selftalk_scores* s = selftalk_result_scores(result);
    printf("words: %zu, critic intensity: %.1f per 100 words\n", s->words, s->critic_intensity);
  }
  selftalk_result_free(result);
  selftalk_analyzer_free(analyzer);
  selftalk_options_free(options);
  selftalk_ruleset_free(rules);
  selftalk_error_free(error);
  return status;
}
