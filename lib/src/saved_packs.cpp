#include "saved_packs.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "embedded_packs.h"

namespace selftalk::detail {
namespace {

// The format's version, first in the key: a change of the layout below changes it.
constexpr std::string_view kFormat = "selftalk-packs-1";

bool valid(Category c) { return static_cast<std::size_t>(c) < kCategoryCount; }
bool valid(Pillar p) { return static_cast<std::size_t>(p) < kPillarCount; }
bool valid(Severity s) { return s == Severity::kLow || s == Severity::kMedium || s == Severity::kHigh; }

// Every value is written as 8 bytes (a number, or a length followed by the bytes), so a list of
// n entries needs at least 8n bytes: the reader checks that before making room for them.
class Writer {
 public:
  void operator()(const std::string& s) {
    number(static_cast<std::int64_t>(s.size()));
    out_ += s;
  }
  void operator()(int v) { number(v); }
  void operator()(bool v) { number(v ? 1 : 0); }
  template <class E>
    requires std::is_enum_v<E>
  void operator()(E e) {
    number(static_cast<int>(e));
  }
  template <class T, class F>
  void list(const std::vector<T>& v, F&& each) {
    number(static_cast<std::int64_t>(v.size()));
    for (const T& x : v) each(x);
  }
  std::string take() { return std::move(out_); }

 private:
  void number(std::int64_t v) {
    char b[sizeof v];
    std::memcpy(b, &v, sizeof v);
    out_.append(b, sizeof v);
  }
  std::string out_;
};

// Reads what Writer wrote; after the first thing that does not fit, ok() is false and every
// further read leaves its target as it is.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  void operator()(std::string& s) {
    std::int64_t n = 0;
    if (!number(n) || n < 0 || static_cast<std::uint64_t>(n) > rest_.size()) return fail();
    s.assign(rest_.data(), static_cast<std::size_t>(n));
    rest_.remove_prefix(static_cast<std::size_t>(n));
  }
  void operator()(int& v) {
    std::int64_t n = 0;
    if (!number(n) || n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) return fail();
    v = static_cast<int>(n);
  }
  void operator()(bool& v) {
    std::int64_t n = 0;
    if (!number(n) || (n != 0 && n != 1)) return fail();
    v = n == 1;
  }
  template <class E>
    requires std::is_enum_v<E>
  void operator()(E& e) {
    int n = 0;
    (*this)(n);
    if (!ok_ || !valid(static_cast<E>(n))) return fail();
    e = static_cast<E>(n);
  }
  template <class T, class F>
  void list(std::vector<T>& v, F&& each) {
    std::int64_t n = 0;
    if (!number(n) || n < 0 || static_cast<std::uint64_t>(n) > rest_.size() / sizeof n) return fail();
    v.resize(static_cast<std::size_t>(n));
    for (T& x : v) each(x);
  }
  bool ok() const { return ok_; }
  bool done() const { return ok_ && rest_.empty(); }

 private:
  bool number(std::int64_t& v) {
    if (!ok_ || rest_.size() < sizeof v) {
      fail();
      return false;
    }
    std::memcpy(&v, rest_.data(), sizeof v);
    rest_.remove_prefix(sizeof v);
    return true;
  }
  void fail() { ok_ = false; }
  std::string_view rest_;
  bool ok_ = true;
};

// One field list for both directions (Archive is a Writer over const data or a Reader), so that
// saving and loading cannot disagree on what a pack holds.
template <class Archive, class T>
void io_where(Archive& a, T& w) {
  a(w.file);
  a(w.line);
  a(w.column);
}

template <class Archive, class T>
void io_located(Archive& a, T& l) {
  a(l.text);
  io_where(a, l.where);
}

template <class Archive, class T>
void io_located_list(Archive& a, T& v) {
  a.list(v, [&](auto& l) { io_located(a, l); });
}

template <class Archive, class T>
void io_reframes(Archive& a, T& v) {
  a.list(v, [&](auto& r) {
    a(r.strategy);
    io_located(a, r.text);
  });
}

template <class Archive, class T>
void io_rule(Archive& a, T& r) {
  a(r.id);
  a(r.category);
  a(r.pillar);
  a(r.severity);
  io_located_list(a, r.patterns);
  io_located_list(a, r.exceptions);
  a.list(r.ignore_context, [&](auto& s) { a(s); });
  a(r.message);
  io_located(a, r.friend_view);
  io_reframes(a, r.reframes);
  io_located_list(a, r.match_examples);
  io_located_list(a, r.no_match_examples);
  io_where(a, r.where);
}

template <class Archive, class T>
void io_pack(Archive& a, T& p) {
  a(p.name);
  a(p.version);
  a(p.language);
  a(p.description);
  a(p.source);
  a(p.builtin);
  a.list(p.macros, [&](auto& m) {
    a(m.first);
    io_located(a, m.second);
  });
  io_located_list(a, p.context.negation);
  io_located_list(a, p.context.reported);
  io_located_list(a, p.context.past);
  a.list(p.category_defaults, [&](auto& d) {
    a(d.category);
    io_located(a, d.friend_view);
    io_reframes(a, d.reframes);
  });
  io_located(a, p.support_message);
  io_located(a, p.self_compassion_break);
  a.list(p.absolutist_words, [&](auto& s) { a(s); });
  a.list(p.rules, [&](auto& r) { io_rule(a, r); });
}

}  // namespace

std::string save_packs(const std::vector<RulePack>& packs, std::string_view key) {
  Writer w;
  w(std::string(key));
  w.list(packs, [&](const RulePack& p) { io_pack(w, p); });
  return w.take();
}

std::optional<std::vector<RulePack>> load_saved_packs(std::string_view bytes, std::string_view key) {
  Reader r(bytes);
  std::string saved_key;
  r(saved_key);
  if (!r.ok() || saved_key != key) return std::nullopt;
  std::vector<RulePack> packs;
  r.list(packs, [&](RulePack& p) { io_pack(r, p); });
  if (!r.done()) return std::nullopt;
  return packs;
}

std::string embedded_packs_key() {
  std::string key(kFormat);
  for (const EmbeddedFile& f : embedded_packs()) {
    // FNV-1a over 8-byte words (the tail zero-padded), with the size: enough to tell a build's
    // files apart from another's, which is all the key guards against.
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i < f.text.size(); i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, f.text.data() + i, std::min<std::size_t>(8, f.text.size() - i));
      h = (h ^ word) * 0x100000001b3ULL;
      h ^= h >> 29;
    }
    key += '\n';
    key += f.name;
    key += ' ' + std::to_string(f.text.size()) + ' ' + std::to_string(h);
  }
  return key;
}

}  // namespace selftalk::detail
