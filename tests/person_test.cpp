#include "selftalk/person.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Case {
  std::string_view input;
  std::string_view expected;
};

void check_all(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(selftalk::to_second_person(c.input) == c.expected);
  }
}

}  // namespace

TEST_CASE("to_second_person: I - me - my - mine - myself") {
  check_all({
      {"I ruin everything", "You ruin everything"},
      {"nobody likes me", "nobody likes you"},
      {"it's because of me", "it's because of you"},
      {"This is all my fault", "This is all your fault"},
      {"That mess is mine", "That mess is yours"},
      {"The blame is mine, not theirs", "The blame is yours, not theirs"},
      {"It's mine!", "It's yours!"},
      {"I hate myself", "You hate yourself"},
      {"I myself did it", "You yourself did it"},
      {"I did it myself", "You did it yourself"},
      {"Me too", "You too"},
      {"Everyone left me behind", "Everyone left you behind"},
      {"Why does this always happen to me?", "Why does this always happen to you?"},
      {"Nobody would miss me if I left", "Nobody would miss you if you left"},
      {"I told myself I would try", "You told yourself you would try"},
      {"My brain is my enemy", "Your brain is your enemy"},
      {"It was me.", "It was you."},
      {"Between you and me", "Between you and you"},
      {"Don't leave me, please", "Don't leave you, please"},
      {"image, I, me, my, mine", "image, you, you, your, yours"},
  });
}

TEST_CASE("to_second_person: other verbs keep their form") {
  check_all({
      {"I have no friends", "You have no friends"},
      {"I do everything wrong", "You do everything wrong"},
      {"I did it again", "You did it again"},
      {"I can't do anything right", "You can't do anything right"},
      {"I will never be enough", "You will never be enough"},
      {"I feel like a burden", "You feel like a burden"},
      {"I never finish anything", "You never finish anything"},
      {"I were you", "You were you"},
  });
}

TEST_CASE("to_second_person: am/was agree with subject I") {
  check_all({
      {"I am a failure", "You are a failure"},
      {"I am not good enough", "You are not good enough"},
      {"I really am hopeless", "You really are hopeless"},
      {"I was so stupid", "You were so stupid"},
      {"I was always the problem", "You were always the problem"},
      {"I wasn't good enough", "You weren't good enough"},
      {"I wasn’t ready", "You weren’t ready"},
      {"I wasnt ready", "You werent ready"},
      {"I, too, was to blame", "You, too, were to blame"},
      {"I, for one, am done", "You, for one, are done"},
      {"I myself am the problem", "You yourself are the problem"},
      {"I never was good at this", "You never were good at this"},
      {"I still am a mess", "You still are a mess"},
      {"I honestly was trying", "You honestly were trying"},
      {"Maybe I am just lazy", "Maybe you are just lazy"},
      {"Who I am is not enough", "Who you are is not enough"},
      {"I know I was wrong", "You know you were wrong"},
      {"I am who I am", "You are who you are"},
      {"If only I was smarter", "If only you were smarter"},
      {"I am.", "You are."},
      {"I think it was my fault", "You think it was your fault"},
      {"I said he was right", "You said he was right"},
      {"I sat. Was it me?", "You sat. Was it you?"},
  });
}

TEST_CASE("to_second_person: questions") {
  check_all({
      {"Why am I like this?", "Why are you like this?"},
      {"Am I a bad person?", "Are you a bad person?"},
      {"Am I?", "Are you?"},
      {"Was I too much?", "Were you too much?"},
      {"Wasn't I enough?", "Weren't you enough?"},
      {"What was I thinking", "What were you thinking"},
      {"How stupid was I", "How stupid were you"},
      {"So was I.", "So were you."},
      {"Where am I going with my life?", "Where are you going with your life?"},
      {"Why do I always do this?", "Why do you always do this?"},
      {"What is wrong with me?", "What is wrong with you?"},
      {"Why can't I just be normal?", "Why can't you just be normal?"},
      {"The worst part was I cried.", "The worst part was you cried."},
      {"Woke at 5 am I think", "Woke at 5 am you think"},
  });
}

TEST_CASE("to_second_person: contractions keep the apostrophe style") {
  check_all({
      {"I'm such a failure, I always mess up", "You're such a failure, you always mess up"},
      {"I'm not smart", "You're not smart"},
      {"I've ruined everything", "You've ruined everything"},
      {"I'd rather disappear", "You'd rather disappear"},
      {"I'll never learn", "You'll never learn"},
      {"I’m a mess", "You’re a mess"},
      {"I’ve failed again", "You’ve failed again"},
      {"I’d only disappoint them", "You’d only disappoint them"},
      {"I’ll mess it up", "You’ll mess it up"},
      {"Honestly I'm tired", "Honestly you're tired"},
      {"ugh i'm so dumb", "ugh you're so dumb"},
      {"i'm so dumb", "You're so dumb"},
      {"i’m lost", "You’re lost"},
      {"and I’m scared", "and you’re scared"},
      {"I'm sure I’m wrong", "You're sure you’re wrong"},
      {"He said “I’m fine”", "He said “you’re fine”"},
  });
}

TEST_CASE("to_second_person: informal spellings") {
  check_all({
      {"im such a loser", "You're such a loser"},
      {"honestly im a loser", "honestly you're a loser"},
      {"Im useless", "You're useless"},
      {"ugh IM useless", "ugh YOU'RE useless"},
      {"ive ruined it", "You've ruined it"},
      {"ok ive ruined it", "ok you've ruined it"},
      {"i hate myself", "You hate yourself"},
      {"why do i do this", "why do you do this"},
      {"i am so tired", "You are so tired"},
      {"why am i like this", "why are you like this"},
  });
}

TEST_CASE("to_second_person: capitalisation") {
  check_all({
      {"I hate that I cry", "You hate that you cry"},
      {"It hurts. I can't stop", "It hurts. You can't stop"},
      {"Why? I don't know", "Why? You don't know"},
      {"Wow! My life is a mess", "Wow! Your life is a mess"},
      {"my fault again", "Your fault again"},
      {"why me", "why you"},
      {"I", "You"},
      {"me", "You"},
      {"  I try", "  You try"},
      {"\"I'm fine,\" I said.", "\"You're fine,\" you said."},
      {"Ugh. \"I am the worst\"", "Ugh. \"You are the worst\""},
      {"it's MY fault", "it's YOUR fault"},
      {"Honestly, I HATE this", "Honestly, you HATE this"},
  });
}

TEST_CASE("to_second_person: all caps stays all caps") {
  check_all({
      {"I'M SUCH AN IDIOT", "YOU'RE SUCH AN IDIOT"},
      {"WHY AM I LIKE THIS", "WHY ARE YOU LIKE THIS"},
      {"MY LIFE IS OVER", "YOUR LIFE IS OVER"},
      {"I HATE MYSELF", "YOU HATE YOURSELF"},
      {"LEAVE ME ALONE", "LEAVE YOU ALONE"},
      {"I WAS SO STUPID", "YOU WERE SO STUPID"},
      {"IT'S ALL MY FAULT", "IT'S ALL YOUR FAULT"},
      {"I’M DONE", "YOU’RE DONE"},
      {"I’VE BEEN BAD", "YOU’VE BEEN BAD"},
      {"OMG I", "OMG YOU"},
      {"MINE", "YOURS"},
  });
}

TEST_CASE("to_second_person: multi-sentence and multi-line") {
  check_all({
      {"I failed. I always fail. Why am I like this?",
       "You failed. You always fail. Why are you like this?"},
      {"I tried my best. It wasn't enough for me.",
       "You tried your best. It wasn't enough for you."},
      {"I'm tired.\nI can't sleep.", "You're tired.\nYou can't sleep."},
      {"first line\nI hate this", "first line\nYou hate this"},
      {"I'm tired\r\nI can't sleep\r\n", "You're tired\r\nYou can't sleep\r\n"},
      {"I lost my keys... I am hopeless", "You lost your keys... You are hopeless"},
      {"Was I wrong? I think I was.", "Were you wrong? You think you were."},
      {"1. I am lazy 2. I am slow", "1. You are lazy 2. You are slow"},
  });
}

TEST_CASE("to_second_person: look-alike words are untouched") {
  check_all({
      {"The image in the mirror", "The image in the mirror"},
      {"She likes to mime", "She likes to mime"},
      {"We moved to Iowa", "We moved to Iowa"},
      {"He works in I.T. now", "He works in I.T. now"},
      {"Let's meet at home", "Let's meet at home"},
      {"Item: immature imitation", "Item: immature imitation"},
      {"a coal mine collapsed", "a coal mine collapsed"},
      {"The mine was closed", "The mine was closed"},
      {"I/O error", "I/O error"},
      {"email me@example.com", "email me@example.com"},
      {"#me", "#me"},
      {"my_var = 1", "my_var = 1"},
      {"Highway I-95 again", "Highway I-95 again"},
      {"Mimi and Emma", "Mimi and Emma"},
      {"Ma'am, it's fine", "Ma'am, it's fine"},
      {"Ich bin müde", "Ich bin müde"},
      {"mé", "mé"},
      {"i.e. later", "i.e. later"},
  });
}

TEST_CASE("to_second_person: other persons are left alone") {
  check_all({
      {"We did our best for us", "We did our best for us"},
      {"You are your own worst critic", "You are your own worst critic"},
      {"They think he is lazy", "They think he is lazy"},
      {"She was late and it was his fault", "She was late and it was his fault"},
      {"I love you", "You love you"},
  });
}

TEST_CASE("to_second_person: emoji - accents - quotes and invalid bytes pass through") {
  check_all({
      {"I 😭 me", "You 😭 you"},
      {"😭 I can't", "😭 You can't"},
      {"so tired 😭 I can't", "so tired 😭 you can't"},
      {"naïve café, I guess", "naïve café, you guess"},
      {"cliché me", "cliché you"},
      {"'I' said it", "'You' said it"},
      {"I \xff\xfe am", "You \xff\xfe am"},
      {"\xffI\xfe", "\xffYou\xfe"},
      {"me\xC3", "You\xC3"},
      {"«I am» — my words", "«You are» — your words"},
  });
}

namespace {

// Drops ASCII letters and straight apostrophes, which are all a rewrite may add.
std::string skeleton(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter && c != '\'') out.push_back(ch);
  }
  return out;
}

}  // namespace

TEST_CASE("to_second_person: random bytes never crash and keep non-letter bytes") {
  const std::vector<std::string_view> pieces = {
      "I", "i", "me", "my", "am", "was", "wasn't", "im", " ", " ", ",", ".", "?",
      "!", "\n", "\r\n", "'", "\xE2\x80\x99", "\xE2\x80", "\xC3\xA9", "\xC3", "\xff", "A", "7"};
  std::uint64_t state = 0x5eed5eedULL;
  auto next = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  };
  for (int n = 0; n < 2000; ++n) {
    std::string input;
    const std::uint32_t target = next() % 65;
    while (input.size() < target) {
      if (next() % 2 == 0) {
        input.push_back(static_cast<char>(next() & 0xFF));
      } else {
        input.append(pieces[next() % pieces.size()]);
      }
    }
    if (input.size() > 64) input.resize(64);
    CAPTURE(input);
    const std::string output = selftalk::to_second_person(input);
    CHECK(output.size() >= input.size());
    CHECK(skeleton(output) == skeleton(input));
    if (input.find_first_of("iImM") == std::string::npos) CHECK(output == input);
  }
}

TEST_CASE("to_second_person: text without first-person words is byte-identical") {
  const std::string text =
      "We went home at 7 am.\r\nThe image of Iowa's I.T. team: \"mime\", emoji 😭🙂, "
      "accents naïve café, curly ’quotes’ and invalid \xff\xfe\xc3 bytes!\n"
      "You were kind; they were not. Was it worth it?";
  CHECK(selftalk::to_second_person(text) == text);
  CHECK(selftalk::to_second_person("").empty());
}
