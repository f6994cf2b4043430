// Errors as values. Loading and compiling rule packs can fail; analysing text never does.
//
//   selftalk::Result<selftalk::RulePack> pack = selftalk::load_pack_file("rules/mine.json");
//   if (!pack) { std::cerr << pack.error().to_string() << "\n"; return 3; }
#ifndef SELFTALK_ERROR_H
#define SELFTALK_ERROR_H

#include <string>
#include <utility>
#include <variant>

namespace selftalk {

// Where a piece of a rule pack came from. line and column are 1-based (column in bytes of the
// line); 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  bool operator==(const SourceLocation&) const = default;
};

// A load-time error: what went wrong and where. Any of the location fields may be empty/0.
struct Error {
  std::string message;
  SourceLocation where;
  std::string pack;  // pack name, when known
  std::string rule;  // rule id, when the error concerns one rule

  // "file:line:col: pack/rule: message", leaving out the parts that are unknown.
  std::string to_string() const;
};

// Holds either a T or an Error. A small stand-in for std::expected (C++23).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok().
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace selftalk

#endif  // SELFTALK_ERROR_H
