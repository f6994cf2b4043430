// FUZZ_CHECK(condition): an invariant of a fuzz target. A failure prints the condition and
// aborts, which libFuzzer reports as a crash and saves the input.
#ifndef SELFTALK_FUZZ_CHECK_H
#define SELFTALK_FUZZ_CHECK_H

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                    \
  do {                                                                                           \
    if (!(condition)) {                                                                          \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition);    \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)

#endif  // SELFTALK_FUZZ_CHECK_H
