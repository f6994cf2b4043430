#include "prefilter.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <deque>
#include <type_traits>
#include <unordered_map>

#include "text.h"

namespace selftalk::detail {
namespace {

constexpr int kAll = -1;               // the tree node that always holds
constexpr std::size_t kMaxExact = 16;  // largest set of exact strings kept before turning into atoms
constexpr std::size_t kMaxAtomBytes = 16;  // longer atoms are cut to their first bytes
constexpr int kLanes = 4;                   // texts walked at once by the batch candidates()
constexpr int kMaxMacroDepth = 16;
constexpr int kMaxNesting = 1000;  // groups inside groups (RE2's own limit)

enum class Kind : std::uint8_t { kAtom, kAnd, kOr };

struct Node {
  Kind kind = Kind::kAtom;
  std::vector<int> children;  // for kAnd / kOr
};

// What a piece of a pattern tells: either the exact set of strings it can match (case-folded),
// or a tree node that must hold wherever it matches.
struct Info {
  bool exact = true;
  std::vector<std::string> strings;  // sorted, unique; when exact
  int node = kAll;                   // when not exact

  static Info any() { return Info{false, {}, kAll}; }
  static Info empty() { return Info{true, {std::string()}, kAll}; }
};

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The characters RE2's \s matches. The prefilter reads each run of them, in patterns and in
// text alike, as one ' ', so "no\s+one" needs the atom "no one" rather than two common words.
bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// `a` followed by `b`, a run of white space at the join read as one.
std::string join(const std::string& a, const std::string& b) {
  if (!a.empty() && !b.empty() && a.back() == ' ' && b.front() == ' ') return a + b.substr(1);
  return a + b;
}

// True when every string of an exact set is one space: repeated, it is still one space.
bool only_space(const std::vector<std::string>& v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](const std::string& x) { return x == " "; });
}

void normalise(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// True for a literal found in most English sentences ("in", "the"). Nodes holding such an atom
// are not propagated bottom-up (they would hold in nearly every sentence and reach hundreds of
// parents); they are checked top-down, exactly, only once the rest of a pattern's tree holds.
// Two-character atoms with a non-letter ("'m", "’s") count as strong.
bool weak_atom(std::string_view atom) {
  std::string s;  // white space is left out: "i " or " the " are as common as "i" or "the"
  for (char c : atom)
    if (c != ' ') s += c;
  const std::size_t n = code_points(s);
  const bool letters = std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (letters && n <= 2) return true;
  static constexpr std::string_view kCommon[] = {
      "all", "and", "are", "but", "can", "for", "had", "has", "her", "his", "ing", "ion", "not", "one",
      "our", "out", "she", "that", "the", "they", "thi", "this", "was", "what", "with", "you"};
  return letters && std::find(std::begin(kCommon), std::end(kCommon), s) != std::end(kCommon);
}

// Thrown (and caught in add) when a pattern uses syntax this reader does not follow; the
// pattern then runs on every sentence.
struct Unsupported {};

}  // namespace

struct Prefilter::Data {
  // Aho-Corasick automaton over byte classes of the atoms.
  std::uint8_t byte_class[256] = {};
  int classes = 1;
  // The transition table, [state * classes + class], in 16-bit entries while the states fit
  // (half the memory to fill when the reading loads, and to walk): one of the two is empty.
  std::vector<std::uint32_t> next;
  std::vector<std::uint16_t> next16;
  std::vector<std::uint32_t> out_at;     // per state: range in `out` (size states + 1)
  std::vector<int> out;                  // atom nodes recognised on entering a state
  std::vector<std::uint32_t> fail;       // failure links, kept to save the automaton compactly
  // The tree. Strong nodes are found bottom-up from the atoms present; weak ones (holding a
  // common atom, see weak_atom) only top-down, when a parent needs them.
  std::vector<Kind> kind;
  std::vector<char> weak;
  std::vector<char> exact;  // strong, and the first pass marks it exactly when it holds (derived)
  std::vector<std::uint32_t> strong_needed;  // kAnd: strong children that must hold
  std::vector<std::uint32_t> child_at;       // per node: range in `children`
  std::vector<int> children;
  std::vector<std::uint32_t> parent_at;      // per node: parents it tells when it holds (strong only)
  std::vector<int> parents;
  std::vector<std::uint32_t> root_at;        // per node: patterns it decides
  std::vector<int> roots;
  std::vector<std::pair<int, int>> weak_roots;  // (node, pattern) decided top-down every sentence
  std::vector<int> unfiltered;               // patterns without a usable condition, ascending
  std::size_t patterns = 0;
  std::size_t atoms = 0;

  // Derived, for candidates(): what it reads of a node in one place, and of an edge to a parent.
  struct Hot {
    std::uint32_t child_at, child_end;  // range in `children` and `down`
    std::uint32_t simple_end;           // in `down`, the simple children are [child_at, simple_end)
    std::uint32_t up_at, up_end;        // range in `up`
    Kind kind;
    bool weak, exact, root;  // root: decides some pattern
  };
  struct Up {
    std::uint32_t parent;
    std::uint32_t needed;  // strong children of the parent that must hold (1 for an OR)
  };
  std::vector<Hot> hot;
  std::vector<Up> up;
  // `children` as child << 1 | simple; simple: an atom or a strong exact node, which holds
  // exactly when the first pass marked it. A node's simple children come first.
  std::vector<std::uint32_t> down;
  std::uint32_t first_out = 0;          // states below have no outputs
  std::vector<std::uint32_t> scan_out;  // `out` as atom << 1 | strong

  // Closure lists (made by build() and saved; load_reading checks only their bounds; `closures`
  // false when the tree does not fit them, see derive_closures). Entering state s >= first_out
  // makes true, bottom-up and transitively, the effects in range s - first_out of `effect_at`;
  // AND a's (of several strong children, the a-th in `and_node`) are in range
  // states - first_out + a, run once all its slots are set.
  // An effect is a node to mark (kRoot: it decides patterns) or kSlot | slot << kSlotShift | a.
  static constexpr std::uint32_t kSlot = 1u << 31, kRoot = 1u << 30;
  static constexpr int kSlotShift = 26;
  static constexpr std::size_t kMaxSlots = 32;  // bits of a Scratch::Bits::slots entry
  bool closures = false;
  std::vector<std::uint32_t> effect_at;
  std::vector<std::uint32_t> effects;
  std::vector<std::uint32_t> and_node;
  std::vector<std::uint32_t> and_full;  // the slot bits of all its distinct strong children

  // For the batch candidates(), derived from the closure lists (derive_batch): the ANDs ranked so
  // that an AND's list sets slots only of ANDs ranked after it, and per AND the range of its slot
  // words. `batch_closures` false (each text then runs its lists alone) when no such order exists.
  bool batch_closures = false;
  std::vector<std::uint32_t> and_rank, and_by_rank, slot_at;
  // How many nodes the lists mark, how many of them are roots, how many holds() may remember:
  // bounds of the batch's lists.
  std::size_t batch_marks = 0, batch_roots = 0, batch_checks = 0;

  static constexpr std::size_t kMaxStates16 = std::size_t{1} << 16;
  std::uint32_t transition(std::size_t i) const { return next16.empty() ? next[i] : next16[i]; }

  // Fills the derived fields from the saved ones.
  void derive() {
    derive_exact();
    const std::size_t n = kind.size();
    hot.resize(n);
    up.resize(parents.size());
    down.resize(children.size());
    for (std::size_t k = 0; k < children.size(); ++k) {
      const auto c = static_cast<std::size_t>(children[k]);
      down[k] = static_cast<std::uint32_t>(c) << 1 | (kind[c] == Kind::kAtom || (!weak[c] && exact[c]) ? 1 : 0);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto first = down.begin() + child_at[i], last = down.begin() + child_at[i + 1];
      const auto simple_end = std::stable_partition(first, last, [](std::uint32_t c) { return (c & 1) != 0; });
      hot[i] = Hot{child_at[i], child_at[i + 1], child_at[i] + static_cast<std::uint32_t>(simple_end - first),
                   parent_at[i], parent_at[i + 1], kind[i], weak[i] != 0, exact[i] != 0, root_at[i] != root_at[i + 1]};
    }
    for (std::size_t k = 0; k < parents.size(); ++k) {
      const auto p = static_cast<std::size_t>(parents[k]);
      up[k] = Up{static_cast<std::uint32_t>(p), kind[p] == Kind::kAnd ? strong_needed[p] : 1};
    }
    first_out = 0;
    while (first_out + 1 < out_at.size() && out_at[first_out] == out_at[first_out + 1]) ++first_out;
    scan_out.resize(out.size());
    for (std::size_t k = 0; k < out.size(); ++k)
      scan_out[k] = static_cast<std::uint32_t>(out[k]) << 1 | (weak[static_cast<std::size_t>(out[k])] ? 0 : 1);
  }

  // Sets `closures` and the lists (none when false); after derive().
  void make_closures() {
    closures = derive_closures();
    if (!closures) {
      effect_at = {};
      effects = {};
      and_node = {};
      and_full = {};
    }
  }

  // Fills the batch fields from the closure lists (in bounds: closures_in_bounds).
  void derive_batch() {
    batch_closures = false;
    and_rank.clear();
    and_by_rank.clear();
    slot_at.clear();
    if (!closures) return;
    const std::size_t ands = and_node.size(), first_and = effect_at.size() - 1 - ands;
    slot_at.assign(1, 0);
    for (std::uint32_t full : and_full) slot_at.push_back(slot_at.back() + static_cast<std::uint32_t>(std::popcount(full)));
    auto each_and_set_by = [&](std::size_t b, auto&& fn) {
      for (std::uint32_t k = effect_at[first_and + b]; k < effect_at[first_and + b + 1]; ++k)
        if (effects[k] >= kSlot) fn(effects[k] & ((1u << kSlotShift) - 1));
    };
    // Kahn's order over "b's list sets a slot of a".
    std::vector<std::uint32_t> before(ands, 0);
    for (std::size_t b = 0; b < ands; ++b) each_and_set_by(b, [&](std::uint32_t a) { ++before[a]; });
    for (std::size_t a = 0; a < ands; ++a)
      if (before[a] == 0) and_by_rank.push_back(static_cast<std::uint32_t>(a));
    for (std::size_t r = 0; r < and_by_rank.size(); ++r)
      each_and_set_by(and_by_rank[r], [&](std::uint32_t a) {
        if (--before[a] == 0) and_by_rank.push_back(a);
      });
    if (and_by_rank.size() != ands) return;  // a cycle: not lists build() makes
    std::vector<char> marked(kind.size(), 0), root(kind.size(), 0);
    for (const std::uint32_t e : effects) {
      if (e >= kSlot) continue;
      marked[e & (kRoot - 1)] = 1;
      if ((e & kRoot) != 0) root[e & (kRoot - 1)] = 1;
    }
    batch_marks = static_cast<std::size_t>(std::count(marked.begin(), marked.end(), 1));
    batch_roots = static_cast<std::size_t>(std::count(root.begin(), root.end(), 1));
    batch_checks = 0;
    for (std::size_t i = 0; i < kind.size(); ++i) batch_checks += kind[i] != Kind::kAtom && (weak[i] || !exact[i]);
    and_rank.resize(ands);
    for (std::size_t r = 0; r < ands; ++r) and_rank[and_by_rank[r]] = static_cast<std::uint32_t>(r);
    batch_closures = true;
  }

  // Fills the closure lists from the tree build() made; false (and none) when an AND has more
  // distinct strong children than kMaxSlots, the ids do not fit an effect, or the lists would be
  // far larger than the tree.
  bool derive_closures() {
    effect_at.clear();
    effects.clear();
    and_node.clear();
    and_full.clear();
    const std::size_t n = kind.size();
    const std::size_t states = out_at.size() - 1;
    if (n >= kRoot || states < first_out) return false;
    // The nodes whose mark something reads: roots, and nodes checked top-down with their children.
    std::vector<char> read(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (root_at[i] != root_at[i + 1]) read[i] = 1;
      if (kind[i] == Kind::kAtom || (!weak[i] && exact[i])) continue;
      read[i] = 1;
      for (std::uint32_t k = child_at[i]; k < child_at[i + 1]; ++k) read[static_cast<std::size_t>(children[k])] = 1;
    }
    for (const auto& [node, pattern] : weak_roots) read[static_cast<std::size_t>(node)] = 1;
    constexpr std::uint32_t kNone = ~0u;
    std::vector<std::uint32_t> and_of(n, kNone);
    std::vector<std::vector<int>> slots;
    for (std::size_t i = 0; i < n; ++i) {
      if (kind[i] != Kind::kAnd || weak[i] || strong_needed[i] < 2) continue;
      std::vector<int> distinct;
      for (std::uint32_t k = child_at[i]; k < child_at[i + 1]; ++k) {
        const int c = children[k];
        if (!weak[static_cast<std::size_t>(c)] && std::find(distinct.begin(), distinct.end(), c) == distinct.end())
          distinct.push_back(c);
      }
      if (distinct.size() > kMaxSlots) return false;
      and_of[i] = static_cast<std::uint32_t>(and_node.size());
      and_node.push_back(static_cast<std::uint32_t>(i));
      and_full.push_back(distinct.size() == 32 ? ~0u : (1u << distinct.size()) - 1);
      slots.push_back(std::move(distinct));
    }
    if (and_node.size() >= std::size_t{1} << kSlotShift) return false;
    const std::size_t budget = std::min<std::size_t>(64 * (n + out.size()) + (std::size_t{1} << 20), kSlot);
    // closure(x): x, the read nodes that hold once x does (through ORs and single-strong-child
    // ANDs), and the slots x or those set; memoised per node.
    std::vector<std::vector<std::uint32_t>> memo(n);
    std::vector<char> done(n, 0), visited(n, 0);
    std::vector<std::size_t> stack, touched;
    std::size_t total = 0;
    auto closure = [&](std::size_t x) -> const std::vector<std::uint32_t>& {
      std::vector<std::uint32_t>& list = memo[x];
      if (done[x]) return list;
      done[x] = 1;
      stack.assign(1, x);
      while (!stack.empty()) {
        const std::size_t v = stack.back();
        stack.pop_back();
        if (visited[v]) continue;
        visited[v] = 1;
        touched.push_back(v);
        if (read[v] || v == x)
          list.push_back(static_cast<std::uint32_t>(v) | (root_at[v] != root_at[v + 1] ? kRoot : 0));
        for (std::uint32_t k = parent_at[v]; k < parent_at[v + 1]; ++k) {
          const auto p = static_cast<std::size_t>(parents[k]);
          if (weak[p]) continue;
          if (and_of[p] == kNone) {
            stack.push_back(p);
            continue;
          }
          const std::vector<int>& s = slots[and_of[p]];
          const auto slot = static_cast<std::uint32_t>(std::find(s.begin(), s.end(), static_cast<int>(v)) - s.begin());
          list.push_back(kSlot | slot << kSlotShift | and_of[p]);
        }
      }
      for (std::size_t v : touched) visited[v] = 0;
      touched.clear();
      std::sort(list.begin() + 1, list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      total += list.size();
      return list;
    };
    effect_at.assign(1, 0);
    std::vector<std::uint32_t> list;
    for (std::size_t s = first_out; s < states; ++s) {
      list.clear();
      for (std::uint32_t k = out_at[s]; k < out_at[s + 1]; ++k) {
        const auto a = static_cast<std::size_t>(out[k]);
        if (weak[a]) {
          if (read[a]) list.push_back(static_cast<std::uint32_t>(a));
          continue;
        }
        const std::vector<std::uint32_t>& c = closure(a);
        list.insert(list.end(), c.begin() + (read[a] ? 0 : 1), c.end());
      }
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      effects.insert(effects.end(), list.begin(), list.end());
      effect_at.push_back(static_cast<std::uint32_t>(effects.size()));
      if (effects.size() + total > budget) return false;
    }
    for (std::uint32_t a : and_node) {
      const std::vector<std::uint32_t>& c = closure(a);
      effects.insert(effects.end(), c.begin(), c.end());
      effect_at.push_back(static_cast<std::uint32_t>(effects.size()));
      if (effects.size() + total > budget) return false;
    }
    return true;
  }

  // Fills `exact` from the tree: atoms are marked when present; a strong OR or AND is marked
  // exactly when all its children are strong and exact (an AND with a weak child is marked
  // without looking at it, so only a top-down check can tell).
  void derive_exact() {
    const std::size_t n = kind.size();
    exact.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (kind[i] == Kind::kAtom) {
        exact[i] = 1;
        continue;
      }
      if (weak[i]) continue;
      bool all = true;
      for (std::uint32_t k = child_at[i]; k < child_at[i + 1] && all; ++k) {
        const auto c = static_cast<std::size_t>(children[k]);
        all = !weak[c] && exact[c];
      }
      exact[i] = all;
    }
  }
};

struct PrefilterBuilder::State {
  const std::map<std::string, std::string, std::less<>>* macros;
  std::vector<Node> nodes;
  std::unordered_map<std::string, int> atom_node;
  std::unordered_map<std::string, int> inner_node;  // kind + children -> node
  std::vector<std::string> atom_text;  // by node index (empty for inner nodes)
  std::vector<int> pattern_root;       // kAll when unfiltered
  struct Macro {
    Info info;
    std::vector<std::string> groups;
  };
  std::map<std::string, Macro, std::less<>> macro_memo;
  std::vector<std::string> active;  // macros being read (cycle guard)

  int atom(const std::string& s) {
    auto [it, inserted] = atom_node.emplace(s, static_cast<int>(nodes.size()));
    if (inserted) {
      nodes.push_back(Node{Kind::kAtom, {}});
      atom_text.push_back(s);
    }
    return it->second;
  }

  // An n-ary AND / OR of `children` (kAll children dropped from an AND, absorbing in an OR).
  int node(Kind kind, std::vector<int> children) {
    std::sort(children.begin(), children.end());
    children.erase(std::unique(children.begin(), children.end()), children.end());
    if (!children.empty() && children.front() == kAll) {
      if (kind == Kind::kOr) return kAll;
      children.erase(children.begin());
    }
    if (children.empty()) return kAll;
    if (children.size() == 1) return children.front();
    return intern(Node{kind, std::move(children)});
  }

  // The index of an inner node equal to `n` (same kind, same children), adding it if new.
  int intern(Node n) {
    std::string key(1, static_cast<char>(n.kind));
    for (int c : n.children) key.append(reinterpret_cast<const char*>(&c), sizeof c);
    auto [it, inserted] = inner_node.emplace(std::move(key), static_cast<int>(nodes.size()));
    if (inserted) {
      nodes.push_back(std::move(n));
      atom_text.emplace_back();
    }
    return it->second;
  }

  // The node that holds wherever `info` matches.
  int match(const Info& info) {
    if (!info.exact) return info.node;
    if (info.strings.empty()) return kAll;  // matches nothing: never filter on it
    for (const std::string& s : info.strings)
      if (code_points(s) < kMinAtomCodePoints) return kAll;
    // Long strings are cut to their start (still a necessary condition), which keeps the
    // automaton small.
    std::vector<std::string> strings;
    for (const std::string& s : info.strings) {
      std::size_t n = std::min(s.size(), kMaxAtomBytes);
      while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
      strings.push_back(s.substr(0, n));
    }
    normalise(strings);
    // A string containing another of the set adds nothing to an OR.
    std::vector<const std::string*> kept;
    for (const std::string& s : strings) {
      bool redundant = std::any_of(strings.begin(), strings.end(), [&](const std::string& t) {
        return &t != &s && t.size() < s.size() && s.find(t) != std::string::npos;
      });
      if (!redundant) kept.push_back(&s);
    }
    int node = atom(*kept.front());
    if (kept.size() == 1) return node;
    Node n{Kind::kOr, {}};
    for (const std::string* s : kept) n.children.push_back(atom(*s));
    std::sort(n.children.begin(), n.children.end());
    return intern(std::move(n));
  }

  // Every string of `a` followed by every string of `b` (both exact; the caller keeps the product
  // within kMaxExact).
  static Info concat(const Info& a, const Info& b) {
    Info r;
    for (const std::string& x : a.strings)
      for (const std::string& y : b.strings) r.strings.push_back(join(x, y));
    normalise(r.strings);
    return r;
  }

  // The strings of both (exact) sets.
  static Info alternate(Info a, const Info& b) {
    a.strings.insert(a.strings.end(), b.strings.begin(), b.strings.end());
    normalise(a.strings);
    return a;
  }

  Info optional(Info a) {
    if (!a.exact || a.strings.size() + 1 > kMaxExact) return Info::any();
    a.strings.emplace_back();
    normalise(a.strings);
    return a;
  }
};

namespace {

// A recursive-descent reader of RE2 syntax that keeps only what the prefilter needs.
class Reader {
 public:
  Reader(PrefilterBuilder::State& st, std::string_view src, std::vector<std::string>& groups, int depth)
      : st_(st), s_(src), groups_(groups), depth_(depth) {}

  Info read() {
    Info info = alternation();
    if (i_ != s_.size()) throw Unsupported{};  // an unmatched ')'
    return info;
  }

 private:
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  static bool quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }
  // An ASCII character that stands for itself (not syntax, not an apostrophe).
  bool plain_literal_at(std::size_t i) const {
    const char c = s_[i];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '-' ||
           c == ',' || c == ':' || c == ';' || c == '!' || c == '"' || c == '/' || c == '&' || c == '<' ||
           c == '>' || c == '=' || c == '@' || c == '#' || c == '%' || c == '_' || c == '~';
  }
  bool starts(std::string_view t) const { return s_.compare(i_, t.size(), t) == 0; }

  // Exact branches are pooled while the pool stays small; the rest become one OR node.
  Info alternation() {
    Info pool = concatenation();
    std::vector<int> children;
    bool exact = pool.exact;
    if (!pool.exact) {
      children.push_back(pool.node);
      pool = Info{true, {}, kAll};
    }
    while (at('|')) {
      ++i_;
      Info branch = concatenation();
      if (!branch.exact) {
        children.push_back(branch.node);
        exact = false;
      } else if (pool.strings.size() + branch.strings.size() <= kMaxExact) {
        pool = PrefilterBuilder::State::alternate(std::move(pool), branch);
      } else {
        children.push_back(st_.match(pool));
        pool = std::move(branch);
        exact = false;
      }
    }
    if (exact) return pool;
    if (!pool.strings.empty()) children.push_back(st_.match(pool));
    return Info{false, {}, st_.node(Kind::kOr, std::move(children))};
  }

  // Consecutive exact pieces are joined into longer strings (a literal word is one atom, not
  // letters); a piece that is not exact closes the run.
  Info concatenation() {
    Info run = Info::empty();
    std::vector<int> children;
    while (i_ < s_.size() && !at('|') && !at(')')) {
      if (plain_literal_at(i_) && !(i_ + 1 < s_.size() && quantifier(s_[i_ + 1]))) {
        // The common case, a letter of a word: extend the run in place.
        const auto c = static_cast<char>(fold_case(static_cast<unsigned char>(s_[i_++])));
        for (std::string& str : run.strings)
          if (c != ' ' || str.empty() || str.back() != ' ') str += c;
        continue;
      }
      Info piece = repetition();
      if (piece.exact && run.strings.size() * piece.strings.size() <= kMaxExact) {
        run = PrefilterBuilder::State::concat(run, piece);
      } else if (piece.exact) {
        children.push_back(st_.match(run));
        run = std::move(piece);
      } else {
        children.push_back(st_.match(run));
        children.push_back(piece.node);
        run = Info::empty();
      }
    }
    if (children.empty()) return run;
    children.push_back(st_.match(run));
    return Info{false, {}, st_.node(Kind::kAnd, std::move(children))};
  }

  // Parses {n}, {n,} or {n,m} at i_; returns false (and leaves i_) if it is not one.
  bool counted(int& min, int& max) {
    std::size_t j = i_ + 1;
    auto number = [&](int& v) {
      std::size_t start = j;
      v = 0;
      while (j < s_.size() && s_[j] >= '0' && s_[j] <= '9' && j - start < 6) v = v * 10 + (s_[j++] - '0');
      return j > start;
    };
    if (!number(min)) return false;
    max = min;
    if (j < s_.size() && s_[j] == ',') {
      ++j;
      if (!number(max)) max = -1;
    }
    if (j >= s_.size() || s_[j] != '}') return false;
    i_ = j + 1;
    return true;
  }

  Info repetition() {
    Info info = atom();
    for (;;) {
      const bool space = info.exact && only_space(info.strings);
      if (at('*')) {
        ++i_;
        info = space ? Info{true, {"", " "}, kAll} : Info::any();
      } else if (at('+')) {
        ++i_;
        if (!space) info = Info{false, {}, st_.match(info)};
      } else if (at('?')) {
        ++i_;
        info = st_.optional(std::move(info));
      } else if (at('{') && !starts("{{")) {
        int min = 0, max = 0;
        if (!counted(min, max)) break;  // a literal '{', read as an atom next
        if (min == 0) info = (max == 1 || space) ? st_.optional(std::move(info)) : Info::any();
        else if (!(min == 1 && max == 1) && !space) info = Info{false, {}, st_.match(info)};
      } else {
        break;
      }
      if (at('?')) ++i_;  // non-greedy
    }
    return info;
  }

  Info literal(char32_t c) {
    if (c == U'\'' || c == U'\u2019') return Info{true, {"'", "\u2019"}, kAll};
    if (is_space(c)) return Info{true, {" "}, kAll};
    std::string s;
    append_utf8(s, fold_case(c));
    return Info{true, {s}, kAll};
  }

  char32_t decode() {
    const auto* p = reinterpret_cast<const unsigned char*>(s_.data() + i_);
    std::size_t len = utf8_sequence_length(p, s_.size() - i_);
    if (len == 0) throw Unsupported{};
    char32_t c = len == 1 ? p[0] : len == 2 ? (p[0] & 0x1F) : len == 3 ? (p[0] & 0x0F) : (p[0] & 0x07);
    for (std::size_t k = 1; k < len; ++k) c = (c << 6) | (p[k] & 0x3F);
    i_ += len;
    return c;
  }

  char32_t hex_escape() {  // after "\x"
    std::size_t j = i_;
    std::string digits;
    if (j < s_.size() && s_[j] == '{') {
      std::size_t close = s_.find('}', j);
      if (close == std::string_view::npos) throw Unsupported{};
      digits = std::string(s_.substr(j + 1, close - j - 1));
      i_ = close + 1;
    } else {
      digits = std::string(s_.substr(j, 2));
      i_ = j + 2;
    }
    if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      throw Unsupported{};
    return static_cast<char32_t>(std::stoul(digits, nullptr, 16));
  }

  // An escape after '\'. Sets c (a single character) or returns false for a class such as \s.
  bool escape(char32_t& c) {
    if (i_ >= s_.size()) throw Unsupported{};
    const char e = s_[i_++];
    switch (e) {
      case 's': c = ' '; return true;  // any of RE2's white space, read as one ' '
      case 'd': case 'D': case 'S': case 'w': case 'W': case 'C':
        return false;
      case 'p': case 'P':
        if (at('{')) {
          std::size_t close = s_.find('}', i_);
          if (close == std::string_view::npos) throw Unsupported{};
          i_ = close + 1;
        } else {
          ++i_;
        }
        return false;
      case 'x': c = hex_escape(); return true;
      case 'n': c = '\n'; return true;
      case 't': c = '\t'; return true;
      case 'r': c = '\r'; return true;
      case 'f': c = '\f'; return true;
      case 'v': c = '\v'; return true;
      case 'a': c = '\a'; return true;
      default:
        if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9') ||
            static_cast<unsigned char>(e) >= 0x80)
          throw Unsupported{};  // \b, \Q, back-references, ... are handled by the caller or unknown
        c = static_cast<unsigned char>(e);
        return true;
    }
  }

  Info char_class() {  // after '['
    bool negated = at('^');
    if (negated) ++i_;
    std::vector<char32_t> chars;
    bool big = negated;
    bool first = true;
    while (i_ < s_.size() && (first || !at(']'))) {
      first = false;
      char32_t lo = 0;
      if (starts("[:")) {
        std::size_t close = s_.find(":]", i_);
        if (close == std::string_view::npos) throw Unsupported{};
        i_ = close + 2;
        big = true;
        continue;
      }
      if (at('\\')) {
        ++i_;
        if (!escape(lo)) {
          big = true;
          continue;
        }
      } else {
        lo = decode();
      }
      char32_t hi = lo;
      if (at('-') && i_ + 1 < s_.size() && s_[i_ + 1] != ']') {
        ++i_;
        if (at('\\')) {
          ++i_;
          if (!escape(hi)) throw Unsupported{};
        } else {
          hi = decode();
        }
      }
      if (hi < lo) throw Unsupported{};
      if (hi - lo >= kMaxExact) {
        big = true;
        continue;
      }
      for (char32_t c = lo; c <= hi; ++c) chars.push_back(c);
    }
    if (!at(']')) throw Unsupported{};
    ++i_;
    if (big) return Info::any();
    Info info{true, {}, kAll};
    for (char32_t c : chars) {
      Info one = literal(c);
      info.strings.insert(info.strings.end(), one.strings.begin(), one.strings.end());
    }
    normalise(info.strings);
    if (info.strings.size() > 4) return Info::any();
    return info;
  }

  Info group() {  // after '('
    if (++nesting_ > kMaxNesting) throw Unsupported{};  // RE2 refuses such depth; stay off the stack
    if (!at('?')) {
      groups_.emplace_back();
      return group_body();
    }
    ++i_;
    if (starts("P<") || at('<')) {
      i_ += at('P') ? 2 : 1;
      std::size_t close = s_.find('>', i_);
      if (close == std::string_view::npos) throw Unsupported{};
      groups_.emplace_back(s_.substr(i_, close - i_));
      i_ = close + 1;
      return group_body();
    }
    // Flags: (?i) (?-i) (?s:...) ...; they never change which literals a match holds once both
    // the text and the atoms are case-folded.
    while (i_ < s_.size() && std::string_view("imsU-").find(s_[i_]) != std::string_view::npos) ++i_;
    if (at(')')) {
      ++i_;
      --nesting_;
      return Info::empty();
    }
    if (!at(':')) throw Unsupported{};
    ++i_;
    return group_body();
  }

  Info group_body() {
    Info info = alternation();
    if (!at(')')) throw Unsupported{};
    ++i_;
    --nesting_;
    return info;
  }

  Info macro() {  // at "{{"
    std::size_t close = s_.find("}}", i_ + 2);
    if (close == std::string_view::npos || st_.macros == nullptr) throw Unsupported{};
    std::string name(s_.substr(i_ + 2, close - i_ - 2));
    i_ = close + 2;
    auto memo = st_.macro_memo.find(name);
    if (memo == st_.macro_memo.end()) {
      auto body = st_.macros->find(name);
      if (body == st_.macros->end() || depth_ >= kMaxMacroDepth ||
          std::find(st_.active.begin(), st_.active.end(), name) != st_.active.end())
        throw Unsupported{};
      st_.active.push_back(name);
      PrefilterBuilder::State::Macro m;
      m.info = Reader(st_, body->second, m.groups, depth_ + 1).read();
      st_.active.pop_back();
      memo = st_.macro_memo.emplace(name, std::move(m)).first;
    }
    groups_.insert(groups_.end(), memo->second.groups.begin(), memo->second.groups.end());
    return memo->second.info;
  }

  Info atom() {
    if (starts("{{")) return macro();
    const char c = s_[i_];
    switch (c) {
      case '(': ++i_; return group();
      case '[': ++i_; return char_class();
      case '.': ++i_; return Info::any();
      case '^': case '$': ++i_; return Info::empty();
      case '*': case '+': case '?': throw Unsupported{};  // a repetition with nothing to repeat
      case '\\': {
        ++i_;
        if (at('b') || at('B') || at('A') || at('z')) {
          ++i_;
          return Info::empty();
        }
        char32_t ch = 0;
        return escape(ch) ? literal(ch) : Info::any();
      }
      default: return literal(decode());
    }
  }

  PrefilterBuilder::State& st_;
  std::string_view s_;
  std::vector<std::string>& groups_;
  int depth_;
  std::size_t i_ = 0;
  int nesting_ = 0;
};

}  // namespace

PrefilterBuilder::PrefilterBuilder(const std::map<std::string, std::string, std::less<>>* macros)
    : s_(std::make_unique<State>()) {
  s_->macros = macros;
}
PrefilterBuilder::~PrefilterBuilder() = default;

bool PrefilterBuilder::add(std::string_view pattern, std::vector<std::string>* group_names) {
  std::vector<std::string> groups;
  int root = kAll;
  bool understood = true;
  try {
    root = s_->match(Reader(*s_, pattern, groups, 0).read());
  } catch (const Unsupported&) {
    root = kAll;
    understood = false;
    s_->active.clear();
  }
  s_->pattern_root.push_back(root);
  if (group_names) group_names->insert(group_names->end(), groups.begin(), groups.end());
  return understood;
}

Prefilter PrefilterBuilder::build() {
  State& st = *s_;
  Prefilter p;
  p.d_ = std::make_unique<Prefilter::Data>();
  Prefilter::Data& d = *p.d_;
  d.patterns = st.pattern_root.size();
  const std::size_t n = st.nodes.size();

  // Weakness, bottom-up (children precede their parents): a weak atom, an OR with a weak child,
  // an AND with no strong child.
  d.weak.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Node& node = st.nodes[i];
    auto is_weak = [&](int c) { return d.weak[static_cast<std::size_t>(c)] != 0; };
    if (node.kind == Kind::kAtom) d.weak[i] = weak_atom(st.atom_text[i]);
    else if (node.kind == Kind::kOr) d.weak[i] = std::any_of(node.children.begin(), node.children.end(), is_weak);
    else d.weak[i] = std::all_of(node.children.begin(), node.children.end(), is_weak);
  }
  // Only nodes under some pattern's root take part (pieces built and then absorbed do not).
  std::vector<char> live(n, 0);
  std::vector<int> stack;
  auto mark_live = [&](const std::vector<std::vector<int>>& children_of) {
    live.assign(n, 0);
    for (int r : st.pattern_root)
      if (r != kAll) stack.push_back(r);
    while (!stack.empty()) {
      const auto i = static_cast<std::size_t>(stack.back());
      stack.pop_back();
      if (live[i]) continue;
      live[i] = 1;
      for (int c : children_of[i]) stack.push_back(c);
    }
  };
  std::vector<std::vector<int>> tree(n);
  for (std::size_t i = 0; i < n; ++i) tree[i] = st.nodes[i].children;
  mark_live(tree);
  // An OR inside an OR, or an AND inside an AND, that nothing else uses gives its children to its
  // parent: the same condition with fewer nodes for the first pass to go through. Weakness and
  // the chances below come out the same. Children still precede their parents.
  std::vector<std::uint32_t> uses(n, 0);
  std::vector<char> is_root(n, 0);
  for (int r : st.pattern_root)
    if (r != kAll) is_root[static_cast<std::size_t>(r)] = 1;
  for (std::size_t i = 0; i < n; ++i)
    if (live[i])
      for (int c : tree[i]) ++uses[static_cast<std::size_t>(c)];
  for (std::size_t i = 0; i < n; ++i) {
    if (!live[i] || st.nodes[i].kind == Kind::kAtom) continue;
    std::vector<int> flat;
    for (int c : tree[i]) {
      const auto k = static_cast<std::size_t>(c);
      // (Not a strong node into a weak one: the strong one answers top-down checks at once.)
      if (st.nodes[k].kind == st.nodes[i].kind && uses[k] == 1 && !is_root[k] && !(d.weak[i] && !d.weak[k])) {
        flat.insert(flat.end(), tree[k].begin(), tree[k].end());  // already flat: k < i
      } else {
        flat.push_back(c);
      }
    }
    tree[i] = std::move(flat);
  }
  mark_live(tree);
  d.kind.resize(n);
  d.strong_needed.assign(n, 0);
  std::vector<std::vector<int>> parents(n), roots(n), children(n);
  // A rough chance that a node holds in a sentence (a weak atom 1/2, another 1/20; children
  // independent), so that top-down checks stop early: an OR looks first at the child most
  // likely to hold, an AND at the one most likely not to.
  std::vector<double> chance(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const Node& node = st.nodes[i];
    if (node.kind == Kind::kAtom) {
      chance[i] = d.weak[i] ? 0.5 : 0.05;
      continue;
    }
    double none_or_all = 1.0;  // OR: no child holds; AND: every child holds
    for (int c : tree[i]) {
      const double child = chance[static_cast<std::size_t>(c)];
      none_or_all *= node.kind == Kind::kAnd ? child : 1.0 - child;
    }
    chance[i] = node.kind == Kind::kAnd ? none_or_all : 1.0 - none_or_all;
  }
  for (std::size_t i = 0; i < n; ++i) {
    d.kind[i] = st.nodes[i].kind;
    if (!live[i]) continue;
    children[i] = tree[i];
    const bool likely_first = d.kind[i] == Kind::kOr;
    std::stable_sort(children[i].begin(), children[i].end(), [&](int a, int b) {
      const double pa = chance[static_cast<std::size_t>(a)], pb = chance[static_cast<std::size_t>(b)];
      return likely_first ? pa > pb : pa < pb;
    });
    for (int c : tree[i]) {
      if (d.weak[static_cast<std::size_t>(c)]) continue;
      parents[static_cast<std::size_t>(c)].push_back(static_cast<int>(i));
      ++d.strong_needed[i];
    }
  }
  for (std::size_t pat = 0; pat < st.pattern_root.size(); ++pat) {
    const int r = st.pattern_root[pat];
    if (r == kAll) d.unfiltered.push_back(static_cast<int>(pat));
    else if (d.weak[static_cast<std::size_t>(r)]) d.weak_roots.emplace_back(r, static_cast<int>(pat));
    else roots[static_cast<std::size_t>(r)].push_back(static_cast<int>(pat));
  }
  auto flatten = [](const std::vector<std::vector<int>>& lists, std::vector<std::uint32_t>& at, std::vector<int>& flat) {
    at.assign(1, 0);
    for (const auto& l : lists) {
      flat.insert(flat.end(), l.begin(), l.end());
      at.push_back(static_cast<std::uint32_t>(flat.size()));
    }
  };
  flatten(parents, d.parent_at, d.parents);
  flatten(roots, d.root_at, d.roots);
  flatten(children, d.child_at, d.children);


  // Aho-Corasick over the atoms.
  std::vector<std::pair<const std::string*, int>> atoms;
  for (const auto& [text, node] : st.atom_node)
    if (live[static_cast<std::size_t>(node)]) atoms.emplace_back(&text, node);
  std::sort(atoms.begin(), atoms.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
  d.atoms = atoms.size();
  bool used[256] = {};
  for (const auto& a : atoms)
    for (unsigned char c : *a.first) used[c] = true;
  d.classes = 1;
  for (int b = 0; b < 256; ++b)
    if (used[b]) d.byte_class[b] = static_cast<std::uint8_t>(d.classes++);
  // Upper-case ASCII shares its lower-case class, so ASCII text is folded while it is scanned.
  for (int b = 'A'; b <= 'Z'; ++b) d.byte_class[b] = d.byte_class[b - 'A' + 'a'];
  for (int b : {'\t', '\n', '\r', '\f'}) d.byte_class[b] = d.byte_class[static_cast<int>(' ')];
  const auto classes = static_cast<std::size_t>(d.classes);
  const std::size_t space = d.byte_class[static_cast<unsigned char>(' ')];
  std::vector<std::uint32_t> trie(classes, 0);  // goto function; 0 = none (except from the root)
  std::vector<std::vector<int>> outs(1);
  std::vector<char> after_space(1, 0);  // the state's string ends with white space
  std::size_t states = 1;
  for (const auto& [text, node] : atoms) {
    std::size_t s = 0;
    for (unsigned char c : *text) {
      std::uint32_t& t = trie[s * classes + d.byte_class[c]];
      if (t == 0) {
        t = static_cast<std::uint32_t>(states++);
        trie.resize(states * classes, 0);
        outs.emplace_back();
        after_space.push_back(d.byte_class[c] == space);
      }
      s = trie[s * classes + d.byte_class[c]];
    }
    outs[s].push_back(node);
  }
  // Breadth-first failure links, turning the trie into a full transition table.
  std::vector<std::uint32_t> fail(states, 0);
  std::deque<std::uint32_t> queue;
  for (std::size_t c = 1; c < classes; ++c)
    if (trie[c] != 0) queue.push_back(trie[c]);
  while (!queue.empty()) {
    const std::uint32_t s = queue.front();
    queue.pop_front();
    const auto& inherited = outs[fail[s]];
    outs[s].insert(outs[s].end(), inherited.begin(), inherited.end());
    for (std::size_t c = 0; c < classes; ++c) {
      std::uint32_t& t = trie[s * classes + c];
      const std::uint32_t via_fail = c == 0 ? 0 : trie[fail[s] * classes + c];
      if (t != 0 && c != 0) {
        fail[t] = via_fail;
        queue.push_back(t);
      } else {
        t = via_fail;
      }
    }
  }
  // A run of white space is read as one ' ': white space leaves a state reached by ' ' where it
  // is. (Only such states and, when no atom starts with ' ', the root are entered by ' '.)
  if (space != 0)
    for (std::size_t s = 1; s < states; ++s)
      if (after_space[s]) trie[s * classes + space] = static_cast<std::uint32_t>(s);
  // Renumbered with the states with outputs last (the scan looks up outputs only from
  // d.first_out on); the root stays 0.
  std::vector<std::uint32_t> order(states);
  for (std::size_t s = 0; s < states; ++s) order[s] = static_cast<std::uint32_t>(s);
  std::stable_partition(order.begin(), order.end(), [&](std::uint32_t s) { return outs[s].empty(); });
  std::vector<std::uint32_t> id(states);
  for (std::size_t k = 0; k < states; ++k) id[order[k]] = static_cast<std::uint32_t>(k);
  auto fill = [&](auto& next) {
    using Entry = std::remove_reference_t<decltype(next[0])>;
    next.resize(states * classes);
    for (std::size_t k = 0; k < states; ++k)
      for (std::size_t c = 0; c < classes; ++c) next[k * classes + c] = static_cast<Entry>(id[trie[order[k] * classes + c]]);
  };
  if (states <= Prefilter::Data::kMaxStates16) fill(d.next16);
  else fill(d.next);
  std::vector<std::vector<int>> new_outs(states);
  d.fail.assign(states, 0);
  for (std::size_t k = 0; k < states; ++k) {
    d.fail[k] = id[fail[order[k]]];
    new_outs[k] = std::move(outs[order[k]]);
  }
  flatten(new_outs, d.out_at, d.out);
  d.derive();
  d.make_closures();
  d.derive_batch();
  return p;
}

Prefilter::Prefilter() = default;
Prefilter::~Prefilter() = default;
Prefilter::Prefilter(Prefilter&&) noexcept = default;
Prefilter& Prefilter::operator=(Prefilter&&) noexcept = default;

std::size_t Prefilter::pattern_count() const { return d_ ? d_->patterns : 0; }
std::size_t Prefilter::atom_count() const { return d_ ? d_->atoms : 0; }
std::size_t Prefilter::unfiltered_count() const { return d_ ? d_->unfiltered.size() : 0; }
std::size_t Prefilter::state_count() const { return d_ ? d_->fail.size() : 0; }

namespace {

inline bool test_bit(const std::uint64_t* bits, std::size_t i) { return (bits[i >> 6] >> (i & 63) & 1) != 0; }

// The counting pass's marks, as holds() reads and writes them.
struct StampMarks {
  Prefilter::Scratch::Mark* marks;
  std::uint32_t stamp;

  bool seen(std::size_t i) const { return marks[i].seen == stamp; }
  bool known(std::size_t i, bool& result) const {
    if (marks[i].checked >> 1 != stamp) return false;
    result = (marks[i].checked & 1) != 0;
    return true;
  }
  void remember(std::size_t i, bool result) { marks[i].checked = stamp << 1 | (result ? 1 : 0); }
};

// The closure lists' marks (bits, see Scratch::Bits), as holds() reads and writes them.
struct BitMarks {
  const std::uint64_t* seen_bits;
  std::uint64_t* checked;
  std::uint64_t* held;
  std::uint32_t* checked_words;
  std::size_t checked_n;

  bool seen(std::size_t i) const { return test_bit(seen_bits, i); }
  bool known(std::size_t i, bool& result) const {
    if (!test_bit(checked, i)) return false;
    result = test_bit(held, i);
    return true;
  }
  void remember(std::size_t i, bool result) {
    const std::size_t w = i >> 6;
    const std::uint64_t bit = std::uint64_t{1} << (i & 63);
    checked_words[checked_n] = static_cast<std::uint32_t>(w);
    checked_n += checked[w] == 0;
    checked[w] |= bit;
    if (result) held[w] |= bit;
  }
};

// Whether `node` holds, exactly, given the atoms present and the first (bottom-up) pass, which
// ignored weak children of ANDs and so may only have said yes too often. Remembered per sentence.
template <class Marks>
bool holds(const Prefilter::Data& d, Marks& m, std::size_t i) {
  const Prefilter::Data::Hot& h = d.hot[i];
  if (h.kind == Kind::kAtom) return m.seen(i);
  if (!h.weak) {
    if (!m.seen(i)) return false;  // not even without its weak children
    if (h.exact) return true;
  }
  bool result = false;
  if (m.known(i, result)) return result;
  result = h.kind == Kind::kAnd;
  for (std::uint32_t k = h.child_at; k < h.child_end; ++k) {
    const std::uint32_t c = d.down[k];
    if (((c & 1) != 0 ? m.seen(c >> 1) : holds(d, m, c >> 1)) != result) {
      result = !result;
      break;
    }
  }
  m.remember(i, result);
  return result;
}

// The second pass, top-down and exact, over the roots the first pass let through and those every
// sentence checks: appends the patterns they decide.
template <class Marks>
void decide(const Prefilter::Data& d, Marks& m, const std::vector<int>& maybe, std::vector<int>& out) {
  for (int node : maybe) {
    const auto i = static_cast<std::size_t>(node);
    if (!holds(d, m, i)) continue;
    for (std::uint32_t k = d.root_at[i]; k < d.root_at[i + 1]; ++k) out.push_back(d.roots[k]);
  }
  for (const auto& [node, pattern] : d.weak_roots)
    if (holds(d, m, static_cast<std::size_t>(node))) out.push_back(pattern);
}

// Puts in sc.hits the states with outputs entered while scanning `scan` (case-folded); returns
// how many. The scan itself does not branch on what it finds.
template <class Entry>
std::size_t walk_table(const Prefilter::Data& d, const Entry* next, std::string_view scan, Prefilter::Scratch& sc) {
  const std::size_t len = scan.size();
  if (sc.hits.size() < 2 * len) sc.hits.resize(2 * len);
  std::uint32_t* hits = sc.hits.data();  // states with outputs entered
  std::size_t n = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(scan.data());
  const auto classes = static_cast<std::size_t>(d.classes);
  const std::uint32_t first_out = d.first_out;
  auto step = [&](std::size_t s, std::size_t i) -> std::size_t { return next[s * classes + d.byte_class[p[i]]]; };
  // Two walks at once, each half as long: the second starts from the root far enough before
  // `mid` (kMaxAtomBytes bytes of the text as read, runs of white space counting once) to be in
  // the first walk's state there, and records from `mid` on.
  std::size_t mid = len, from = len;
  if (len >= 4 * kMaxAtomBytes) {
    mid = from = (len + kMaxAtomBytes) / 2;
    const std::size_t space = d.byte_class[static_cast<unsigned char>(' ')];
    for (std::size_t read = 0; read < kMaxAtomBytes && from > 0;) {
      --from;
      read += from == 0 || d.byte_class[p[from]] != space || d.byte_class[p[from - 1]] != space;
    }
  }
  std::uint32_t* later = hits + len;  // the second walk's, moved after the first's below
  std::size_t m = 0;
  std::size_t s = 0, t = 0, i = 0, j = from;
  for (; i < mid && j < len; ++i, ++j) {
    s = step(s, i);
    t = step(t, j);
    hits[n] = static_cast<std::uint32_t>(s);
    n += s >= first_out;
    later[m] = static_cast<std::uint32_t>(t);
    m += (t >= first_out) & (j >= mid);
  }
  for (; i < mid; ++i) {
    s = step(s, i);
    hits[n] = static_cast<std::uint32_t>(s);
    n += s >= first_out;
  }
  for (; j < len; ++j) {
    t = step(t, j);
    later[m] = static_cast<std::uint32_t>(t);
    m += (t >= first_out) & (j >= mid);
  }
  std::copy_n(later, m, hits + n);
  return n + m;
}

std::size_t walk(const Prefilter::Data& d, std::string_view scan, Prefilter::Scratch& sc) {
  return d.next16.empty() ? walk_table(d, d.next.data(), scan, sc) : walk_table(d, d.next16.data(), scan, sc);
}

// Marks the atoms of the `n` states in `hits` (as a walk found them) and queues the strong ones;
// returns how many were queued.
std::size_t mark_atoms(const Prefilter::Data& d, const std::uint32_t* hits, std::size_t n, Prefilter::Scratch& sc) {
  const std::uint32_t stamp = sc.stamp;
  Prefilter::Scratch::Mark* marks = sc.marks.data();
  int* queue = sc.queue.data();
  std::size_t queued = 0;
  for (std::size_t h = 0; h < n; ++h) {
    for (std::uint32_t k = d.out_at[hits[h]]; k < d.out_at[hits[h] + 1]; ++k) {
      const std::uint32_t atom = d.scan_out[k] >> 1;
      const bool fresh = marks[atom].seen != stamp;
      marks[atom].seen = stamp;
      queue[queued] = static_cast<int>(atom);
      queued += fresh & d.scan_out[k];
    }
  }
  return queued;
}

// candidates() with the closure lists, given the `n` states with outputs a walk entered: the
// first pass runs each entered state's effects, then those of the ANDs they complete; the marks
// are bits. Appends to `out`.
void closure_candidates(const Prefilter::Data& d, const std::uint32_t* hits, std::size_t n, Prefilter::Scratch& sc,
                        std::vector<int>& out) {
  Prefilter::Scratch::Bits& b = sc.bits;
  const std::size_t words = (d.kind.size() + 63) / 64, ands = d.and_node.size();
  if (b.seen.size() != words || b.slots.size() != ands) {
    b.seen.assign(words, 0);
    b.checked.assign(words, 0);
    b.held.assign(words, 0);
    b.seen_words.assign(words + 1, 0);
    b.checked_words.assign(words + 1, 0);
    b.slots.assign(ands, 0);
    b.set_ands.assign(ands + 1, 0);
    b.ready.assign(ands + 1, 0);
    b.seen_n = b.checked_n = b.ands_n = 0;
  }
  std::uint64_t* seen = b.seen.data();
  std::uint32_t* slots = b.slots.data();
  for (std::size_t k = 0; k < b.seen_n; ++k) seen[b.seen_words[k]] = 0;
  for (std::size_t k = 0; k < b.checked_n; ++k) b.checked[b.checked_words[k]] = b.held[b.checked_words[k]] = 0;
  for (std::size_t k = 0; k < b.ands_n; ++k) slots[b.set_ands[k]] = 0;
  b.seen_n = b.checked_n = b.ands_n = 0;
  sc.maybe.clear();

  std::uint32_t* seen_words = b.seen_words.data();
  std::uint32_t* set_ands = b.set_ands.data();
  std::uint32_t* ready = b.ready.data();
  std::size_t seen_n = 0, ands_n = 0, ready_n = 0;
  const std::uint32_t* effects = d.effects.data();
  const std::uint32_t* effect_at = d.effect_at.data();
  const std::uint32_t* and_node = d.and_node.data();
  const std::uint32_t* and_full = d.and_full.data();
  using Data = Prefilter::Data;
  auto run = [&](std::size_t list) {
    for (std::uint32_t k = effect_at[list]; k < effect_at[list + 1]; ++k) {
      const std::uint32_t e = effects[k];
      if (e < Data::kSlot) {
        const std::uint32_t v = e & (Data::kRoot - 1);
        std::uint64_t& word = seen[v >> 6];
        const std::uint64_t bit = std::uint64_t{1} << (v & 63);
        if ((word & bit) != 0) continue;
        seen_words[seen_n] = v >> 6;
        seen_n += word == 0;
        word |= bit;
        if ((e & Data::kRoot) != 0) sc.maybe.push_back(static_cast<int>(v));
        continue;
      }
      const std::uint32_t a = e & ((1u << Data::kSlotShift) - 1);
      if (test_bit(seen, and_node[a])) continue;
      const std::uint32_t before = slots[a];
      const std::uint32_t after = before | 1u << (e >> Data::kSlotShift & 31);
      slots[a] = after;
      set_ands[ands_n] = a;
      ands_n += before == 0;
      ready[ready_n] = a;
      ready_n += after == and_full[a] && before != after;  // once per AND
    }
  };
  for (std::size_t h = 0; h < n; ++h) run(hits[h] - d.first_out);
  const std::size_t first_and = d.effect_at.size() - 1 - d.and_node.size();
  while (ready_n > 0) run(first_and + ready[--ready_n]);
  b.seen_n = seen_n;
  b.ands_n = ands_n;

  BitMarks marks{seen, b.checked.data(), b.held.data(), b.checked_words.data(), 0};
  decide(d, marks, sc.maybe, out);
  b.checked_n = marks.checked_n;
}

// candidates() without closure lists, given what a walk found: the first pass counts each AND's
// strong children as they are found; the marks are stamped. Appends to `out`.
void counting_candidates(const Prefilter::Data& d, const std::uint32_t* hits, std::size_t n, Prefilter::Scratch& sc,
                         std::vector<int>& out) {
  const std::size_t nodes = d.kind.size();
  if (sc.marks.size() != nodes || ++sc.stamp == std::uint32_t{1} << 31) {  // first use, or the stamp wrapped
    sc.marks.assign(nodes, Prefilter::Scratch::Mark{});
    sc.queue.assign(nodes + 1, 0);  // the scan writes one slot past what it has queued
    sc.stamp = 1;
  }
  const std::uint32_t stamp = sc.stamp;
  Prefilter::Scratch::Mark* marks = sc.marks.data();
  sc.maybe.clear();
  std::size_t queued = mark_atoms(d, hits, n, sc);
  // First pass, bottom-up over strong nodes only: an AND holds once its strong children do.
  for (std::size_t q = 0; q < queued; ++q) {
    const auto node = static_cast<std::size_t>(sc.queue[q]);
    const Prefilter::Data::Hot& h = d.hot[node];
    if (h.root) sc.maybe.push_back(static_cast<int>(node));
    for (std::uint32_t k = h.up_at; k < h.up_end; ++k) {
      const Prefilter::Data::Up u = d.up[k];
      Prefilter::Scratch::Mark& m = marks[u.parent];
      if (m.seen == stamp) continue;
      if (u.needed > 1) {
        if (m.counted != stamp) {
          m.counted = stamp;
          m.count = 0;
        }
        if (++m.count < u.needed) continue;
      }
      m.seen = stamp;
      sc.queue[queued++] = static_cast<int>(u.parent);  // once per node: within its size
    }
  }
  StampMarks checks{marks, stamp};
  decide(d, checks, sc.maybe, out);
}

}  // namespace

bool Prefilter::uses_closures() const { return d_ && d_->closures; }

namespace {

// Text that folding changes beyond ASCII (`unfolded`: !folds_to_itself) is scanned case-folded
// (appended to `folded`, and true returned); ASCII is folded by the byte classes during the scan.
bool fold_for_scan(std::string_view text, bool unfolded, std::string& folded) {
  if (!unfolded) return false;
  fold_case_utf8(text, folded);
  return true;
}

// Appends the candidates of a text whose walk entered the `n` states in `hits`.
void finish(const Prefilter::Data& d, const std::uint32_t* hits, std::size_t n, Prefilter::Scratch& sc,
            std::vector<int>& out) {
  const std::size_t from = out.size();
  if (d.closures) closure_candidates(d, hits, n, sc, out);
  else counting_candidates(d, hits, n, sc, out);
  out.insert(out.end(), d.unfiltered.begin(), d.unfiltered.end());
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(from), out.end());  // each pattern has one root: no duplicates
}

using TextSet = Prefilter::Scratch::TextSet;

TextSet operator&(const TextSet& a, const TextSet& b) {
  TextSet r;
  for (std::size_t k = 0; k < kTextSetWords; ++k) r.w[k] = a.w[k] & b.w[k];
  return r;
}
TextSet operator|(const TextSet& a, const TextSet& b) {
  TextSet r;
  for (std::size_t k = 0; k < kTextSetWords; ++k) r.w[k] = a.w[k] | b.w[k];
  return r;
}
TextSet operator~(const TextSet& a) {
  TextSet r;
  for (std::size_t k = 0; k < kTextSetWords; ++k) r.w[k] = ~a.w[k];
  return r;
}
bool empty(const TextSet& a) {
  std::uint64_t any = 0;
  for (std::size_t k = 0; k < kTextSetWords; ++k) any |= a.w[k];
  return any == 0;
}
// Texts [0, n).
TextSet first_texts(std::size_t n) {
  TextSet r;
  for (std::size_t k = 0; k < kTextSetWords; ++k)
    r.w[k] = n >= 64 * (k + 1) ? ~std::uint64_t{0} : n <= 64 * k ? 0 : (std::uint64_t{1} << (n - 64 * k)) - 1;
  return r;
}
// Calls fn(t) for each text t of `texts`, ascending.
template <class Fn>
void each_text(const TextSet& texts, Fn&& fn) {
  for (std::size_t k = 0; k < kTextSetWords; ++k)
    for (std::uint64_t bits = texts.w[k]; bits != 0; bits &= bits - 1) fn(64 * k + static_cast<std::size_t>(std::countr_zero(bits)));
}

// holds() for the texts of a batch at once: the texts of `texts` in which `node` holds. Marks as
// in Scratch::Words; remembered.
struct WordChecks {
  const Prefilter::Data& d;
  const TextSet* seen;
  TextSet* checked;
  TextSet* held;
  std::uint32_t* checked_nodes;
  std::size_t checked_n = 0;

  TextSet holds(std::size_t i, TextSet texts) {
    const Prefilter::Data::Hot& h = d.hot[i];
    if (h.kind == Kind::kAtom) return seen[i] & texts;
    if (!h.weak) {
      texts = texts & seen[i];  // not even without its weak children elsewhere
      if (h.exact || empty(texts)) return texts;
    }
    const TextSet known = checked[i] & texts;
    const TextSet todo = texts & ~known;
    if (empty(todo)) return held[i] & known;
    // The simple children (their marks are exact) all at once, then the others while texts are
    // left to decide.
    TextSet result{};
    if (h.kind == Kind::kAnd) {
      result = todo;
      for (std::uint32_t k = h.child_at; k < h.simple_end; ++k) result = result & seen[d.down[k] >> 1];
      for (std::uint32_t k = h.simple_end; k < h.child_end && !empty(result); ++k) result = holds(d.down[k] >> 1, result);
    } else {
      TextSet any{};
      for (std::uint32_t k = h.child_at; k < h.simple_end; ++k) any = any | seen[d.down[k] >> 1];
      result = todo & any;
      TextSet left = todo & ~any;
      for (std::uint32_t k = h.simple_end; k < h.child_end && !empty(left); ++k) {
        const TextSet got = holds(d.down[k] >> 1, left);
        result = result | got;
        left = left & ~got;
      }
    }
    checked_nodes[checked_n] = static_cast<std::uint32_t>(i);
    checked_n += empty(checked[i]);
    checked[i] = checked[i] | todo;
    held[i] = held[i] | result;
    return (held[i] & known) | result;
  }
};

// closure_candidates() for texts [0, n) of the batch (n <= kBatchTexts), given their walks (hit_at,
// hit_n into hits), all at once: each list runs once with the set of texts it holds in, so
// nothing is checked before it is set. ANDs complete in rank order (derive_batch). Appends each
// text's candidates to `out` and the end of them to `ends`.
void word_closure_candidates(const Prefilter::Data& d, const std::uint32_t* hits, const std::size_t* hit_at,
                             const std::size_t* hit_n, std::size_t n, Prefilter::Scratch& sc, std::vector<int>& out,
                             std::vector<std::size_t>& ends) {
  using Data = Prefilter::Data;
  Prefilter::Scratch::Words& w = sc.words;
  const std::size_t nodes = d.kind.size(), ands = d.and_node.size(), states = d.out_at.size() - 1 - d.first_out;
  w.checked_at = nodes;
  w.held_at = 2 * nodes;
  w.state_texts_at = 3 * nodes;
  w.slots_at = w.state_texts_at + states;
  const std::size_t size = w.slots_at + d.slot_at.back();
  if (w.block.size() != size) {  // first use (a Scratch serves one Prefilter)
    w.block.assign(size, TextSet{});
    w.and_ranks.assign((ands + 63) / 64, 0);
    w.entered.assign((states + 63) / 64, 0);
    w.states.assign(states, 0);
    // Each listed once, and one entry written past the list.
    w.nodes.assign(d.batch_marks + 1, 0);
    w.roots.assign(d.batch_roots + 1, 0);
    w.checked_nodes.assign(d.batch_checks + 1, 0);
  }
  // The texts that entered each state, and the states entered (a bit each, then listed once in
  // ascending order: no test per hit of whether its state is new).
  TextSet* const block = w.block.data();
  TextSet* state_texts = block + w.state_texts_at;
  std::uint64_t* entered_bits = w.entered.data();
  for (std::size_t t = 0; t < n; ++t) {
    const std::size_t word = t / 64;
    const std::uint64_t bit = std::uint64_t{1} << (t % 64);
    for (std::size_t h = hit_at[t]; h < hit_at[t] + hit_n[t]; ++h) {
      const std::uint32_t state = hits[h] - d.first_out;
      state_texts[state].w[word] |= bit;
      entered_bits[state >> 6] |= std::uint64_t{1} << (state & 63);
    }
  }
  std::uint32_t* entered = w.states.data();
  std::size_t entered_n = 0;
  for (std::size_t q = 0; q < w.entered.size(); ++q) {
    for (std::uint64_t b = entered_bits[q]; b != 0; b &= b - 1)
      entered[entered_n++] = static_cast<std::uint32_t>(64 * q + static_cast<std::size_t>(std::countr_zero(b)));
    entered_bits[q] = 0;
  }
  TextSet* seen = block;
  TextSet* slots = block + w.slots_at;
  std::uint64_t* and_ranks = w.and_ranks.data();
  std::uint32_t* marked = w.nodes.data();
  std::uint32_t* roots = w.roots.data();
  std::size_t marked_n = 0, roots_n = 0;
  const std::uint32_t* effects = d.effects.data();
  const std::uint32_t* effect_at = d.effect_at.data();
  const std::uint32_t* slot_at = d.slot_at.data();
  const std::uint32_t* and_rank = d.and_rank.data();
  auto run = [&](std::size_t list, const TextSet texts) {
    for (std::uint32_t k = effect_at[list], end = effect_at[list + 1]; k < end; ++k) {
      const std::uint32_t e = effects[k];
      if (e < Data::kSlot) {
        const std::uint32_t v = e & (Data::kRoot - 1);
        const bool fresh = empty(seen[v]);
        seen[v] = seen[v] | texts;
        marked[marked_n] = v;
        roots[roots_n] = v;
        marked_n += fresh;
        roots_n += fresh & ((e & Data::kRoot) != 0);
      } else {
        const std::uint32_t a = e & ((1u << Data::kSlotShift) - 1);
        TextSet& slot = slots[slot_at[a] + (e >> Data::kSlotShift & 31)];
        slot = slot | texts;
        and_ranks[and_rank[a] >> 6] |= std::uint64_t{1} << (and_rank[a] & 63);
      }
    }
  };
  for (std::size_t k = 0; k < entered_n; ++k) {
    const std::uint32_t state = entered[k];
    // The lists of the states a few on, fetched while this one runs: each starts anywhere in
    // `effects`, most often outside the cache.
    if (k + 6 < entered_n) __builtin_prefetch(effect_at + entered[k + 6]);
    if (k + 2 < entered_n) __builtin_prefetch(effects + effect_at[entered[k + 2]]);
    run(state, state_texts[state]);
    state_texts[state] = TextSet{};
  }
  // ANDs in rank order: those a list completes are ranked later, so the scan reaches them.
  const std::size_t first_and = d.effect_at.size() - 1 - ands;
  for (std::size_t word = 0; word < (ands + 63) / 64; ++word) {
    for (std::uint64_t bits; (bits = and_ranks[word]) != 0;) {
      and_ranks[word] = bits & (bits - 1);
      const std::uint32_t a = d.and_by_rank[word * 64 + static_cast<std::size_t>(std::countr_zero(bits))];
      TextSet all = ~TextSet{};
      for (std::uint32_t k = slot_at[a]; k < slot_at[a + 1]; ++k) {
        all = all & slots[k];
        slots[k] = TextSet{};
      }
      if (!empty(all)) run(first_and + a, all);
    }
  }
  // Top-down checks, for all texts at once, of the roots marked and those every text checks.
  WordChecks checks{d, seen, block + w.checked_at, block + w.held_at, w.checked_nodes.data()};
  w.found.clear();
  auto found = [&](const TextSet& texts, int pattern) {
    each_text(texts, [&](std::size_t t) { w.found.push_back(static_cast<std::uint64_t>(t) << 32 | static_cast<std::uint32_t>(pattern)); });
  };
  for (std::size_t r = 0; r < roots_n; ++r) {
    const TextSet texts = checks.holds(roots[r], seen[roots[r]]);
    if (empty(texts)) continue;
    for (std::uint32_t k = d.root_at[roots[r]]; k < d.root_at[roots[r] + 1]; ++k) found(texts, d.roots[k]);
  }
  const TextSet all = first_texts(n);
  for (const auto& [node, pattern] : d.weak_roots) found(checks.holds(static_cast<std::size_t>(node), all), pattern);
  for (int pattern : d.unfiltered) found(all, pattern);
  // Text by text (a counting sort: a text has a few), each text's patterns ascending.
  std::array<std::size_t, kBatchTexts + 1> at{};
  for (const std::uint64_t f : w.found) ++at[(f >> 32) + 1];
  for (std::size_t t = 0; t < n; ++t) at[t + 1] += at[t];
  const std::size_t base = out.size();
  out.resize(base + w.found.size());
  for (const std::uint64_t f : w.found) out[base + at[f >> 32]++] = static_cast<int>(f & 0xFFFFFFFFu);
  for (std::size_t t = 0, begin = base; t < n; ++t) {  // at[t]: the end of text t's now
    const std::size_t end = base + at[t];
    // Insertion: a text has a few candidates, most often none or one.
    for (std::size_t i = begin + 1; i < end; ++i)
      for (std::size_t j = i; j > begin && out[j - 1] > out[j]; --j) std::swap(out[j - 1], out[j]);
    ends.push_back(end);
    begin = end;
  }
  for (std::size_t k = 0; k < marked_n; ++k) seen[marked[k]] = TextSet{};
  for (std::size_t k = 0; k < checks.checked_n; ++k) checks.checked[w.checked_nodes[k]] = checks.held[w.checked_nodes[k]] = TextSet{};
}

// Walks scans[k] for every k, `Lanes` texts at once (each a chain of dependent loads; together
// they overlap): puts the states with outputs entered in scans[k] in sc.hits from
// sc.lanes.hit_at[k] on (at most one a byte), and their number in sc.lanes.hit_n[k].
template <int Lanes, class Entry>
void walk_lanes(const Prefilter::Data& d, const Entry* next, std::span<const std::string_view> scans,
                Prefilter::Scratch& sc) {
  auto& at = sc.lanes.hit_at;
  auto& count = sc.lanes.hit_n;
  at.resize(scans.size() + 1);
  count.assign(scans.size(), 0);
  at[0] = 0;
  for (std::size_t k = 0; k < scans.size(); ++k) at[k + 1] = at[k] + scans[k].size();
  if (sc.hits.size() < at.back()) sc.hits.resize(at.back());
  std::uint32_t* hits = sc.hits.data();
  const auto classes = static_cast<std::size_t>(d.classes);
  const std::uint32_t first_out = d.first_out;
  struct Lane {
    const unsigned char* p;
    const unsigned char* end;
    std::uint32_t* out;
    std::size_t state, text;
  };
  constexpr std::size_t kNone = SIZE_MAX;
  std::size_t taken = 0;
  auto take = [&](Lane& l) {  // the next text, or none (false)
    if (taken == scans.size()) {
      l.text = kNone;
      return false;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(scans[taken].data());
    l = Lane{p, p + scans[taken].size(), hits + at[taken], 0, taken};
    ++taken;
    return true;
  };
  auto step = [&](Lane& l) {
    l.state = next[l.state * classes + d.byte_class[*l.p++]];
    *l.out = static_cast<std::uint32_t>(l.state);
    l.out += l.state >= first_out;
  };
  // Every lane holds a text while `more`; each round runs them all as far as the shortest goes.
  Lane lanes[Lanes];
  bool more = true;
  for (Lane& l : lanes) more &= take(l);
  while (more) {
    std::size_t steps = SIZE_MAX;
    for (const Lane& l : lanes) steps = std::min(steps, static_cast<std::size_t>(l.end - l.p));
    for (std::size_t t = 0; t < steps; ++t)
      for (Lane& l : lanes) step(l);
    for (Lane& l : lanes) {
      while (l.text != kNone && l.p == l.end) {
        count[l.text] = static_cast<std::size_t>(l.out - (hits + at[l.text]));
        more &= take(l);
      }
    }
  }
  // Fewer texts than lanes are left: each runs to its end alone.
  for (Lane& l : lanes) {
    if (l.text == kNone) continue;
    while (l.p != l.end) step(l);
    count[l.text] = static_cast<std::size_t>(l.out - (hits + at[l.text]));
  }
}

}  // namespace

void Prefilter::candidates(std::string_view text, Scratch& sc, std::vector<int>& out) const {
  out.clear();
  if (!d_) return;
  const Data& d = *d_;
  sc.folded.clear();
  const std::string_view scan = fold_for_scan(text, !folds_to_itself(text), sc.folded) ? std::string_view(sc.folded) : text;
  const std::size_t n = walk(d, scan, sc);
  finish(d, sc.hits.data(), n, sc, out);
}

void Prefilter::candidates(std::span<const std::string_view> texts, Scratch& sc, std::vector<int>& out,
                           std::vector<std::size_t>& ends, std::span<const char> unfolded) const {
  if (!d_) {
    ends.insert(ends.end(), texts.size(), out.size());
    return;
  }
  const Data& d = *d_;
  std::vector<std::string_view>& scans = sc.lanes.scans;
  scans.assign(texts.begin(), texts.end());
  sc.folded.clear();
  auto& folded = sc.lanes.folded;
  folded.clear();
  for (std::size_t k = 0; k < texts.size(); ++k) {
    const std::size_t begin = sc.folded.size();
    if (fold_for_scan(texts[k], unfolded.empty() ? !folds_to_itself(texts[k]) : unfolded[k] != 0, sc.folded))
      folded.push_back({k, begin, sc.folded.size()});
  }
  for (const auto& f : folded)  // sc.folded no longer moves
    scans[f.text] = std::string_view(sc.folded).substr(f.begin, f.end - f.begin);
  if (d.next16.empty()) walk_lanes<kLanes>(d, d.next.data(), scans, sc);
  else walk_lanes<kLanes>(d, d.next16.data(), scans, sc);
  const std::uint32_t* hits = sc.hits.data();
  if (d.batch_closures) {
    for (std::size_t k = 0; k < texts.size(); k += kBatchTexts)
      word_closure_candidates(d, hits, sc.lanes.hit_at.data() + k, sc.lanes.hit_n.data() + k,
                              std::min(kBatchTexts, texts.size() - k), sc, out, ends);
    return;
  }
  for (std::size_t k = 0; k < texts.size(); ++k) {
    finish(d, hits + sc.lanes.hit_at[k], sc.lanes.hit_n[k], sc, out);
    ends.push_back(out.size());
  }
}

PatternReading read_patterns(const MacroMap& macros, std::span<const std::string_view> patterns) {
  PatternReading r;
  PrefilterBuilder builder(&macros);
  r.group_names.resize(patterns.size());
  r.understood.resize(patterns.size());
  for (std::size_t i = 0; i < patterns.size(); ++i) r.understood[i] = builder.add(patterns[i], &r.group_names[i]);
  r.prefilter = builder.build();
  return r;
}

std::string reading_key(const MacroMap& macros, std::span<const std::string_view> patterns) {
  // Lengths first, so no choice of texts makes two different inputs spell the same key.
  std::string key;
  auto add = [&key](std::string_view s) {
    key += std::to_string(s.size());
    key += ':';
    key += s;
  };
  add("macros");
  for (const auto& [name, body] : macros) {
    add(name);
    add(body);
  }
  add("patterns");
  for (std::string_view p : patterns) add(p);
  return key;
}

namespace {

constexpr std::string_view kMagic = "selftalk prefilter 3";

class Writer {
 public:
  // Each returns true, so saving and loading can share one list of fields (transfer()).
  bool u64(std::uint64_t v) {
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof v);
    return true;
  }
  bool str(std::string_view s) {
    u64(s.size());
    bytes_ += s;
    return true;
  }
  template <class T>
  bool vec(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    u64(v.size());
    bytes_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    return true;
  }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : rest_(bytes) {}
  bool u64(std::uint64_t& v) {
    if (rest_.size() < sizeof v) return false;
    std::memcpy(&v, rest_.data(), sizeof v);
    rest_.remove_prefix(sizeof v);
    return true;
  }
  bool str(std::string_view& s) {
    std::uint64_t n = 0;
    if (!u64(n) || n > rest_.size()) return false;
    s = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  template <class T>
  bool vec(std::vector<T>& v) {
    std::uint64_t n = 0;
    if (!u64(n) || n > rest_.size() / sizeof(T)) return false;
    v.resize(n);
    if (n > 0) std::memcpy(v.data(), rest_.data(), n * sizeof(T));  // data() may be null when empty
    rest_.remove_prefix(n * sizeof(T));
    return true;
  }
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// `at` has one more entry than there are lists, starts at 0, never decreases and ends at `total`.
bool valid_ranges(const std::vector<std::uint32_t>& at, std::size_t lists, std::size_t total) {
  if (at.size() != lists + 1 || at.front() != 0 || at.back() != total) return false;
  return std::is_sorted(at.begin(), at.end());
}

// Whether loaded closure lists keep closure_candidates in bounds (not that they are right): the
// ranges cover every state with outputs and every AND, and each effect names a node, or an AND
// and one of its slots. After derive() (first_out).
bool closures_in_bounds(const Prefilter::Data& d) {
  using Data = Prefilter::Data;
  if (!d.closures) return d.effect_at.empty() && d.effects.empty() && d.and_node.empty() && d.and_full.empty();
  const std::size_t n = d.kind.size(), states = d.out_at.size() - 1, ands = d.and_node.size();
  if (states < d.first_out || d.and_full.size() != ands || ands >= std::size_t{1} << Data::kSlotShift ||
      !valid_ranges(d.effect_at, states - d.first_out + ands, d.effects.size()))
    return false;
  for (std::size_t a = 0; a < ands; ++a) {
    const std::uint32_t full = d.and_full[a];  // the low 1 to 32 bits
    if (d.and_node[a] >= n || full == 0 || (full & (full + 1)) != 0) return false;
  }
  // Without branches (the lists are long): an AND index past the end reads the 0 appended.
  std::vector<std::uint32_t> full(d.and_full);
  full.push_back(0);
  const auto last = static_cast<std::uint32_t>(ands);
  std::uint32_t bad = 0;
  for (const std::uint32_t e : d.effects) {
    const std::uint32_t a = std::min(e & ((1u << Data::kSlotShift) - 1), last);
    const std::uint32_t no_slot = (full[a] >> (e >> Data::kSlotShift & 31) & 1) ^ 1;
    const std::uint32_t no_node = (e & (Data::kRoot - 1)) >= n ? 1 : 0;
    bad |= e >= Data::kSlot ? no_slot : no_node;
  }
  return bad == 0;
}

// What is saved besides Data's own vectors: the automaton's compact form and plain numbers.
struct Saved {
  std::vector<std::uint8_t> byte_class;
  std::uint64_t classes = 0;
  std::vector<std::uint32_t> diff_at, diff;  // per state: (class, target) pairs unlike its failure state's
  std::vector<int> weak_roots;               // (node, pattern) pairs, flat
  std::uint64_t patterns = 0, atoms = 0;
  std::uint64_t closures = 0;
};

// The saved fields in their order, read by a Cursor or written by a Writer.
template <class IO, class D>
bool transfer(IO& io, D& d, std::conditional_t<std::is_const_v<D>, const Saved, Saved>& x,
              std::conditional_t<std::is_const_v<D>, const std::vector<char>, std::vector<char>>& understood) {
  return io.vec(x.byte_class) && io.u64(x.classes) && io.vec(d.fail) && io.vec(x.diff_at) && io.vec(x.diff) &&
         io.vec(d.out_at) && io.vec(d.out) && io.vec(d.kind) && io.vec(d.weak) && io.vec(d.strong_needed) &&
         io.vec(d.child_at) && io.vec(d.children) && io.vec(d.parent_at) && io.vec(d.parents) && io.vec(d.root_at) &&
         io.vec(d.roots) && io.vec(x.weak_roots) && io.vec(d.unfiltered) && io.u64(x.patterns) && io.u64(x.atoms) &&
         io.u64(x.closures) && io.vec(d.effect_at) && io.vec(d.effects) && io.vec(d.and_node) && io.vec(d.and_full) &&
         io.vec(understood);
}

}  // namespace

std::string save_reading(const PatternReading& reading, std::string_view key) {
  const Prefilter::Data& d = *reading.prefilter.d_;
  Writer w;
  w.str(kMagic);
  w.str(key);
  // The transition table is saved as each state's differences from its failure state's row
  // (the root's from a row of zeros): about one entry per state instead of one per byte class.
  Saved x;
  x.classes = static_cast<std::uint64_t>(d.classes);
  const auto classes = static_cast<std::size_t>(d.classes);
  const std::size_t states = d.fail.size();
  x.diff_at.assign(1, 0);
  for (std::size_t s = 0; s < states; ++s) {
    for (std::size_t c = 0; c < classes; ++c) {
      const std::uint32_t t = d.transition(s * classes + c);
      const std::uint32_t inherited = s == 0 ? 0 : d.transition(d.fail[s] * classes + c);
      if (t == inherited) continue;
      x.diff.push_back(static_cast<std::uint32_t>(c));
      x.diff.push_back(t);
    }
    x.diff_at.push_back(static_cast<std::uint32_t>(x.diff.size() / 2));
  }
  x.byte_class.assign(std::begin(d.byte_class), std::end(d.byte_class));
  for (const auto& [node, pattern] : d.weak_roots) {
    x.weak_roots.push_back(node);
    x.weak_roots.push_back(pattern);
  }
  x.patterns = d.patterns;
  x.atoms = d.atoms;
  x.closures = d.closures ? 1 : 0;
  transfer(w, d, x, reading.understood);
  for (const auto& names : reading.group_names) {
    w.u64(names.size());
    for (const std::string& n : names) w.str(n);
  }
  return w.take();
}

std::optional<PatternReading> load_reading(std::string_view bytes, std::string_view key) {
  Cursor in(bytes);
  std::string_view magic, saved_key;
  if (!in.str(magic) || magic != kMagic || !in.str(saved_key) || saved_key != key) return std::nullopt;
  PatternReading r;
  r.prefilter.d_ = std::make_unique<Prefilter::Data>();
  Prefilter::Data& d = *r.prefilter.d_;
  Saved x;
  if (!transfer(in, d, x, r.understood)) return std::nullopt;
  const std::vector<std::uint8_t>& byte_class = x.byte_class;
  const std::vector<std::uint32_t>& diff_at = x.diff_at;
  const std::vector<std::uint32_t>& diff = x.diff;
  const std::vector<int>& weak_roots = x.weak_roots;
  const std::uint64_t classes = x.classes, patterns = x.patterns, atoms = x.atoms;
  if (byte_class.size() != 256 || classes < 1 || classes > 256 || patterns != r.understood.size())
    return std::nullopt;
  r.group_names.resize(patterns);
  for (auto& names : r.group_names) {
    std::uint64_t n = 0;
    if (!in.u64(n) || n > bytes.size()) return std::nullopt;
    names.resize(n);
    for (std::string& name : names) {
      std::string_view v;
      if (!in.str(v)) return std::nullopt;
      name = v;
    }
  }
  if (!in.done()) return std::nullopt;

  // Every index in range, and the tree a DAG (children before their parents), so a damaged copy
  // can neither read out of bounds nor recurse without end.
  std::copy(byte_class.begin(), byte_class.end(), d.byte_class);
  d.classes = static_cast<int>(classes);
  d.patterns = patterns;
  d.atoms = atoms;
  const std::size_t states = d.fail.size(), nodes = d.kind.size();
  if (std::any_of(byte_class.begin(), byte_class.end(), [&](std::uint8_t c) { return c >= classes; })) return std::nullopt;
  if (states == 0 || d.fail[0] != 0 || diff.size() % 2 != 0 || !valid_ranges(diff_at, states, diff.size() / 2) ||
      !valid_ranges(d.out_at, states, d.out.size()))
    return std::nullopt;
  if (std::any_of(d.fail.begin(), d.fail.end(), [&](std::uint32_t f) { return f >= states; })) return std::nullopt;
  for (std::size_t k = 0; k < diff.size(); k += 2)
    if (diff[k] >= classes || diff[k + 1] >= states) return std::nullopt;
  if (d.weak.size() != nodes || d.strong_needed.size() != nodes || !valid_ranges(d.child_at, nodes, d.children.size()) ||
      !valid_ranges(d.parent_at, nodes, d.parents.size()) || !valid_ranges(d.root_at, nodes, d.roots.size()))
    return std::nullopt;
  for (std::size_t i = 0; i < nodes; ++i) {
    if (d.kind[i] != Kind::kAtom && d.kind[i] != Kind::kAnd && d.kind[i] != Kind::kOr) return std::nullopt;
    for (std::uint32_t k = d.child_at[i]; k < d.child_at[i + 1]; ++k)
      if (d.children[k] < 0 || static_cast<std::size_t>(d.children[k]) >= i) return std::nullopt;
    for (std::uint32_t k = d.parent_at[i]; k < d.parent_at[i + 1]; ++k)
      if (static_cast<std::size_t>(d.parents[k]) <= i || static_cast<std::size_t>(d.parents[k]) >= nodes)
        return std::nullopt;
  }
  for (int atom : d.out)
    if (atom < 0 || static_cast<std::size_t>(atom) >= nodes || d.kind[static_cast<std::size_t>(atom)] != Kind::kAtom)
      return std::nullopt;
  auto is_pattern = [&](int p) { return p >= 0 && static_cast<std::uint64_t>(p) < patterns; };
  if (!std::all_of(d.roots.begin(), d.roots.end(), is_pattern) ||
      !std::all_of(d.unfiltered.begin(), d.unfiltered.end(), is_pattern) || weak_roots.size() % 2 != 0)
    return std::nullopt;
  for (std::size_t k = 0; k < weak_roots.size(); k += 2) {
    if (weak_roots[k] < 0 || static_cast<std::size_t>(weak_roots[k]) >= nodes || !is_pattern(weak_roots[k + 1]))
      return std::nullopt;
    d.weak_roots.emplace_back(weak_roots[k], weak_roots[k + 1]);
  }

  // The transition table: a state's row is its failure state's row with its own differences.
  auto fill = [&](auto& next) {
    using Entry = std::remove_reference_t<decltype(next[0])>;
    next.resize(states * classes);
    std::vector<char> done(states, 0);
    std::vector<std::uint32_t> chain;
    for (std::size_t s = 0; s < states; ++s) {
      chain.clear();
      for (std::size_t t = s; !done[t]; t = d.fail[t]) {
        if (chain.size() > states) return false;  // the failure links loop
        chain.push_back(static_cast<std::uint32_t>(t));
        if (t == 0) break;
      }
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const std::size_t t = *it;
        Entry* row = next.data() + t * classes;
        if (t == 0) std::fill_n(row, classes, Entry{0});
        else std::copy_n(next.data() + d.fail[t] * classes, classes, row);
        for (std::uint32_t k = diff_at[t]; k < diff_at[t + 1]; ++k) row[diff[2 * k]] = static_cast<Entry>(diff[2 * k + 1]);
        done[t] = 1;
      }
    }
    return true;
  };
  if (!(states <= Prefilter::Data::kMaxStates16 ? fill(d.next16) : fill(d.next))) return std::nullopt;
  d.derive();
  d.closures = x.closures == 1;
  if (x.closures > 1 || !closures_in_bounds(d)) return std::nullopt;
  d.derive_batch();
  return r;
}

}  // namespace selftalk::detail
