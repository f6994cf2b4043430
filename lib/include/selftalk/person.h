#ifndef SELFTALK_PERSON_H_
#define SELFTALK_PERSON_H_

#include <string>
#include <string_view>

namespace selftalk {

// Rewrites first-person English self-talk into the second person, as a friend
// would echo it back: "I'm such a failure, I always mess up" becomes
// "You're such a failure, you always mess up".
//
// Input and output are UTF-8. Only whole ASCII words change: I/i, me, my,
// mine, myself, I'm/I've/I'd/I'll (apostrophe kept straight or curly as
// written), informal im/ive, and am/was/wasn't agreeing with a nearby subject
// I ("I really am", "Why am I"). A replacement starting a sentence or line is
// capitalised and ALL-CAPS text stays all caps. Words glued to '.', '/', '@',
// '#', '_' or digits ("I.T.", "I/O", "me@x.org") and "mine" as a noun
// ("the mine", "a coal mine") are left alone. All other bytes, including
// invalid UTF-8, are copied unchanged. Pure function; thread-safe.
std::string to_second_person(std::string_view first_person);

}  // namespace selftalk

#endif  // SELFTALK_PERSON_H_
