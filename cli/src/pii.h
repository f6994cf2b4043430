// Recognisable personal data left in worksheets (the anonymisation check) and masking it.
#ifndef SELFTALK_CLI_PII_H
#define SELFTALK_CLI_PII_H

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace selftalk::cli {

// Kinds of personal data the check recognises. The detectors are deliberately simple patterns:
// they find what a careless export leaves behind, not every way a person can be identified.
enum class PiiKind : int { kEmail = 0, kPhone, kUrl, kPostcode, kDate };
inline constexpr std::size_t kPiiKindCount = 5;

// "email", "phone", "url", "postcode", "date".
std::string_view to_string(PiiKind k);

struct PiiSpan {
  PiiKind kind;
  std::size_t begin = 0;  // UTF-8 byte offsets into the scanned text, end exclusive
  std::size_t end = 0;
};

using PiiCounts = std::array<std::size_t, kPiiKindCount>;

// Finds personal data in text: non-overlapping spans in order of position.
// - email: local@domain.tld
// - url: http://, https:// or www. up to the next space (trailing punctuation left out)
// - date: numeric day/month/year dates (12/03/1990, 1990-03-12, 12.03.90) and dates with a
//   month name and a year (12 March 1990, March 12, 1990): possible dates of birth
// - phone: 9 to 15 digits in one number written with spaces, dots, dashes, brackets or a
//   leading +, or 7 digits written ddd-dddd
// - postcode: UK postcodes (SW1A 1AA, M1 1AE), US ZIP+4 (12345-6789), and a five-digit ZIP after
//   a two-letter state code or the word ZIP (CA 94110, zip 10001)
// Thread-safe; linear in the text's length.
std::vector<PiiSpan> find_pii(std::string_view text);

// Counts the spans per kind.
PiiCounts count_pii(const std::vector<PiiSpan>& spans);

// "2 email, 1 phone" (kinds with a count only); "" when there is none.
std::string describe_pii(const PiiCounts& counts);

// Returns text with each span replaced by "[email]", "[phone]", ... REQUIRES: spans as returned
// by find_pii(text).
std::string redact(std::string_view text, const std::vector<PiiSpan>& spans);

// find_pii + redact.
std::string redact(std::string_view text);

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_PII_H
