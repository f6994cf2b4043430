// Private: the context engine. Decides, once for every rule, whether a match is the writer's own
// critic: not denied ("I don't think I'm stupid"), not someone else's words ("my boss said",
// text in quotes), not a belief left behind ("I used to think"). Cue patterns come from packs.
#ifndef SELFTALK_SRC_CONTEXT_H
#define SELFTALK_SRC_CONTEXT_H

#include <cstddef>
#include <string_view>
#include <vector>

#include "text.h"

namespace selftalk::detail {

// How far back (bytes) the engine looks for cues before a match.
inline constexpr std::size_t kCueWindow = 200;

// Start of the clause holding `pos` in `sentence`. Weak clauses also end at commas, colons and
// dashes; strong ones only at ; . ! ? and "but"/"though"/"although"/"however". A clause that
// starts more than kCueWindow bytes back is cut to the first word inside the window.
std::size_t clause_begin(std::string_view sentence, std::size_t pos, bool weak);

// End (exclusive) of the weak clause holding `pos`, without trailing punctuation or spaces; at
// most kCueWindow bytes on, cut after the last word inside the window.
std::size_t clause_end(std::string_view sentence, std::size_t pos);

// Spans of quoted text in a sentence ("…", “…”, and ‘…’ or '…' used as quotes, not apostrophes),
// contents only. Appends to out.
void quoted_spans(std::string_view sentence, std::vector<Span>& out);

}  // namespace selftalk::detail

#endif  // SELFTALK_SRC_CONTEXT_H
