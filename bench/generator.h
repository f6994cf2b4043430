// A deterministic generator of realistic journal text, for benchmarks, tests and fuzz seeds.
//
//   selftalk::bench::JournalOptions o;   // seed 1, 4% critical and 2% look-alike sentences
//   std::string text = selftalk::bench::generate_journal(8 << 20, o);
//
// The text looks like a personal journal in markdown: dated headings, paragraphs, lists, times,
// abbreviations ("Dr. Okafor", "e.g."), mixed punctuation (… — ; ?! and parentheses), straight and
// curly quotes and apostrophes, accented names and words, and emoji (including ZWJ sequences).
// A share of sentences is the inner critic ("I always ruin everything.") or its look-alikes that
// the context engine must let go ("My boss said I'm useless.", "I used to think I was a failure.").
//
// Determinism: the output is a function of (bytes, options) only. The generator uses its own
// PRNG (SplitMix64) and integer arithmetic, never <random> distributions, so it is the same with
// every compiler, standard library and platform. The text is always valid UTF-8.
#ifndef SELFTALK_BENCH_GENERATOR_H
#define SELFTALK_BENCH_GENERATOR_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace selftalk::bench {

// SplitMix64: tiny, fast, good enough for text, and identical everywhere.
class Prng {
 public:
  explicit Prng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // A number in [0, n). REQUIRES: n > 0.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

  // True with probability per_mille / 1000.
  bool chance(unsigned per_mille) { return below(1000) < per_mille; }

 private:
  std::uint64_t state_;
};

struct JournalOptions {
  std::uint64_t seed = 1;
  // Per mille of sentences that are the inner critic.
  unsigned critical_per_mille = 40;
  // Per mille of sentences that only look like it (negated, reported, past, quoted), which the
  // context engine must drop or mark as reported. critical + look-alike must be <= 1000.
  unsigned look_alike_per_mille = 20;
  // Per mille of sentences that carry an emoji.
  unsigned emoji_per_mille = 60;
};

// Journal text of at least `bytes` bytes: generation stops after the sentence that reaches
// `bytes`, so the result is at most a few hundred bytes longer. Returns "" for bytes == 0.
std::string generate_journal(std::size_t bytes, const JournalOptions& options = {});

// `count` independent entries of about `bytes_each` bytes; entry i uses seed options.seed + i.
std::vector<std::string> generate_documents(std::size_t count, std::size_t bytes_each,
                                            const JournalOptions& options = {});

}  // namespace selftalk::bench

#endif  // SELFTALK_BENCH_GENERATOR_H
