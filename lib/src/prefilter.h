// Private: the literal prefilter. Each pattern's source is read (not compiled) to find the
// literal strings ("atoms") any match must contain, as an AND/OR tree; one Aho-Corasick pass over
// a case-folded sentence finds the atoms present, and only patterns whose tree holds are handed
// to RE2. The condition is necessary, never sufficient: a pattern it cannot read is always run.
#ifndef SELFTALK_SRC_PREFILTER_H
#define SELFTALK_SRC_PREFILTER_H

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace selftalk::detail {

struct PatternReading;

// 64-bit words of a set of texts the batch candidates() runs at once (see Scratch::Words).
inline constexpr std::size_t kTextSetWords = 4;

class Prefilter {
 public:
  // Per-thread working memory for candidates(); reused across sentences, never shared.
  struct Scratch {
    // Per node, for the sentence whose stamp they hold.
    struct Mark {
      std::uint32_t seen = 0;     // == stamp: atom present / first pass holds
      std::uint32_t counted = 0;  // == stamp: `count` is this sentence's
      std::uint32_t count = 0;    // AND: strong children found to hold
      std::uint32_t checked = 0;  // == stamp << 1 | result: found (not) to hold exactly
    };
    std::string folded;
    std::vector<Mark> marks;
    std::vector<int> queue;           // nodes found to hold in the first pass (one slot per node, + 1)
    std::vector<std::uint32_t> hits;  // states with outputs the scan entered
    std::vector<int> maybe;           // roots the first pass let through
    std::uint32_t stamp = 0;          // below 2^31

    // When the prefilter has closure lists (instead of marks): a bit per node, and per AND of
    // several strong children a bit per child found to hold. Each list of words or ANDs names
    // those the last sentence made nonzero (`*_n` of them), which the next one clears first.
    struct Bits {
      std::vector<std::uint64_t> seen, checked, held;  // held: valid where checked
      std::vector<std::uint32_t> slots;
      std::vector<std::uint32_t> seen_words, checked_words, set_ands;  // one slot more than can be listed
      std::size_t seen_n = 0, checked_n = 0, ands_n = 0;
      std::vector<std::uint32_t> ready;  // ANDs whose slots are all set, to be run
    } bits;

    // The batch candidates()'s: per text, what to scan, and where its walk's states begin in
    // `hits` and how many there are; where in Scratch::folded the texts scanned folded are.
    struct Lanes {
      std::vector<std::string_view> scans;
      std::vector<std::size_t> hit_at, hit_n;
      struct Folded {
        std::size_t text, begin, end;  // text `text` is scanned as folded[begin, end)
      };
      std::vector<Folded> folded;
    } lanes;

    // A set of the texts whose closure lists run at once: text t is bit t % 64 of w[t / 64].
    struct TextSet {
      std::array<std::uint64_t, kTextSetWords> w;
    };

    // The batch candidates()'s closure lists, run for up to 64 * kTextSetWords texts at once: per
    // node, state with outputs, and AND slot, the set of texts it holds in. The lists name what
    // the last batch made nonempty, which the next one clears first.
    struct Words {
      // Made once, emptied, and kept empty between batches: per node seen, checked and held, per
      // state with outputs its texts, the AND slots; and a bit per AND rank.
      std::vector<TextSet> block;
      std::vector<std::uint64_t> and_ranks;
      std::size_t checked_at = 0, held_at = 0, state_texts_at = 0, slots_at = 0;
      std::vector<std::uint32_t> states, nodes, roots, checked_nodes;
      std::vector<std::uint64_t> entered;  // a bit per state with outputs, kept zero between batches
      std::vector<std::uint64_t> found;  // text << 32 | pattern
    } words;
  };

  Prefilter();
  ~Prefilter();
  Prefilter(Prefilter&&) noexcept;
  Prefilter& operator=(Prefilter&&) noexcept;

  // Replaces `out` with the indexes (ascending) of the patterns that may match somewhere in
  // `text` (valid UTF-8). Thread-safe with one Scratch per thread.
  void candidates(std::string_view text, Scratch& scratch, std::vector<int>& out) const;

  // The same for each of `texts` in turn, appended to `out`; after text k's, out.size() is
  // appended to `ends`. Gives what one call per text gives, faster (several texts are walked at
  // once). Batches of up to kBatchTexts texts or kBatchBytes bytes keep the scratch small.
  // `unfolded`, when not empty, tells for each text whether folds_to_itself() is false for it
  // (count_invalid_utf8 finds that for a whole text at once); else each text is checked here.
  void candidates(std::span<const std::string_view> texts, Scratch& scratch, std::vector<int>& out,
                  std::vector<std::size_t>& ends, std::span<const char> unfolded = {}) const;

  std::size_t pattern_count() const;
  std::size_t atom_count() const;
  std::size_t unfiltered_count() const;  // patterns run on every sentence
  std::size_t state_count() const;       // the automaton's
  // Whether candidates() runs per-state closure lists; else (a tree they do not fit) it counts
  // each AND's strong children as they are found.
  bool uses_closures() const;

  struct Data;  // defined in prefilter.cpp

 private:
  friend class PrefilterBuilder;
  friend std::string save_reading(const PatternReading&, std::string_view);
  friend std::optional<PatternReading> load_reading(std::string_view, std::string_view);
  std::unique_ptr<Data> d_;
};

// Reads pattern sources, as written in packs: {{NAME}} macros (from `macros`) and apostrophes
// standing for both ' and ’, as the Ruleset's expander treats them.
class PrefilterBuilder {
 public:
  explicit PrefilterBuilder(const std::map<std::string, std::string, std::less<>>* macros);
  ~PrefilterBuilder();

  // Adds the next pattern (index = number of earlier calls) and appends to *group_names one entry
  // per capturing group, in order ("" when unnamed). Returns false if the source uses syntax this
  // reader does not follow: the pattern then always runs and the group names are incomplete.
  bool add(std::string_view pattern, std::vector<std::string>* group_names);

  Prefilter build();

  struct State;  // defined in prefilter.cpp

 private:
  std::unique_ptr<State> s_;
};

// What reading a list of patterns gives: the prefilter over them and, per pattern, what add()
// told (its capturing groups' names, and whether the reader followed its syntax).
struct PatternReading {
  Prefilter prefilter;
  std::vector<std::vector<std::string>> group_names;
  std::vector<char> understood;
};

using MacroMap = std::map<std::string, std::string, std::less<>>;

// Reads `patterns` in order with a PrefilterBuilder.
PatternReading read_patterns(const MacroMap& macros, std::span<const std::string_view> patterns);

// Everything a reading depends on, as one string: equal keys, equal readings.
std::string reading_key(const MacroMap& macros, std::span<const std::string_view> patterns);

// `reading` as bytes for load_reading (same build of the library only: the layout is native).
std::string save_reading(const PatternReading& reading, std::string_view key);

// The reading saved in `bytes` under `key`; nullopt when the key differs or the bytes are not a
// well-formed reading (every index is checked, so a damaged copy cannot be used out of bounds).
std::optional<PatternReading> load_reading(std::string_view bytes, std::string_view key);

// How many sentences (or bytes of them, whichever is reached first) to hand the batch
// Prefilter::candidates at once.
inline constexpr std::size_t kBatchTexts = 64 * kTextSetWords;
inline constexpr std::size_t kBatchBytes = 32 << 10;

// Replaces `batch` with the sentences of `text` given by spans[k] on (anything with `begin` and
// `end`), up to kBatchTexts of them or kBatchBytes of text; returns the index after the last.
template <class Spans>
std::size_t next_batch(std::string_view text, const Spans& spans, std::size_t k, std::vector<std::string_view>& batch) {
  batch.clear();
  for (std::size_t bytes = 0; k < spans.size() && batch.size() < kBatchTexts && bytes < kBatchBytes; ++k) {
    batch.push_back(text.substr(spans[k].begin, spans[k].end - spans[k].begin));
    bytes += batch.back().size();
  }
  return k;
}

// Minimum length, in code points, of an atom: shorter literals ("i", "a") are everywhere.
inline constexpr std::size_t kMinAtomCodePoints = 2;

}  // namespace selftalk::detail

#endif  // SELFTALK_SRC_PREFILTER_H
