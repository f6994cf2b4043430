#include "generator.h"

#include <string_view>

namespace selftalk::bench {
namespace {

template <std::size_t N>
std::string_view pick(Prng& rng, const std::string_view (&list)[N]) {
  return list[rng.below(N)];
}

constexpr std::string_view kNames[] = {"Sam", "Zoë", "José", "Chloé", "Renée", "Søren", "Anaïs", "Priya", "Mateus",
                          "Dr. Okafor", "Mr. Byrne", "Aoife", "Björn", "Noémie", "Kwame", "Mum", "Dad"};
constexpr std::string_view kPlaces[] = {"the café on Rue Cler", "the river", "the office", "the crèche", "the gym",
                           "the library", "my sister’s flat", "the market", "the station", "the park",
                           "the clinic", "Ana's garden", "the bakery near the école", "work"};
constexpr std::string_view kFoods[] = {"a crème brûlée", "soup", "jalapeño nachos", "a croissant", "pho",
                          "smørrebrød", "the leftover curry", "a flat white", "porridge", "piñata cake",
                          "matcha", "toast with crème fraîche"};
constexpr std::string_view kTimes[] = {"at 7:30", "around 3 p.m.", "before lunch", "after dinner", "this morning",
                          "on Tuesday", "at half past nine", "tonight", "yesterday", "early", "at 10 a.m."};
constexpr std::string_view kFeelings[] = {"tired", "calm", "a bit anxious", "hopeful", "restless", "content", "flat",
                             "grateful", "overwhelmed", "okay", "light", "nervous", "proud"};
constexpr std::string_view kActivities[] = {"went for a run", "read two chapters", "called the bank", "cleaned the kitchen",
                               "answered emails", "walked the dog", "finished the report", "did the laundry",
                               "practised the cello", "fixed the bike", "watched a documentary",
                               "booked the dentist", "tidied my desk", "wrote three pages"};
constexpr std::string_view kWeather[] = {"grey", "sunny", "windy", "drizzly", "cold", "warm", "foggy", "bright"};
constexpr std::string_view kObjects[] = {"the presentation", "the budget", "the slides", "my essay", "the exam",
                            "the interview", "the meeting", "the recital", "the application", "dinner"};
constexpr std::string_view kEmoji[] = {"🙂", "😊", "😩", "🌧️", "☕", "❤️", "🎉", "🤷‍♀️", "👍🏽", "😅", "🌱", "🙃"};
constexpr std::string_view kDays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::string_view kMonths[] = {"January", "February", "March", "April", "May", "June", "July", "August",
                           "September", "October", "November", "December"};

// Ordinary sentences, without final punctuation. Slots: {name} {place} {food} {time} {feel}
// {act} {weather} {obj}.
constexpr std::string_view kNeutral[] = {
    "Long day",
    "I {act} {time}",
    "Had {food} at {place} with {name}",
    "The weather was {weather} and I felt {feel}",
    "{name} texted {time} to ask about {obj}",
    "I'm feeling {feel} today, which is fine",
    "Went to {place} {time}; it was quieter than usual",
    "{name} said the café had run out of {food} (again)",
    "Note to self: buy milk, eggs and bread",
    "I think {obj} went okay, though I'm not sure",
    "We talked about everything and nothing for an hour",
    "It's been {weather} all week — I miss the sun",
    "Tomorrow I have to pick up the kids at 3",
    "I didn't sleep much, maybe five hours",
    "{name} and I laughed about the “emergency” at {place}",
    "Honestly, I don't know what to make of it",
    "Read an article on sleep, e.g. keeping the phone out of the bedroom",
    "The train was 20 min. late, so I {act} on the platform",
    "{name} always brings {food} to the Friday meeting",
    "I never miss my morning coffee",
    "Everything about {place} reminds me of summer",
    "Made a list of what went well: {act}, called {name}, ate well",
    "Is it normal to feel {feel} after {obj}?",
    "Wait, did I lock the door?",
    "I'd like to spend more time at {place}",
    "Spent €12.50 on {food} — worth it",
    "The U.S. office moved {obj} to next week",
    "{name}'s new job sounds great",
    "My therapist asked what I'd tell a friend in my place",
    "I wrote down three things I'm grateful for",
    "Small win: I {act}",
    "Not much to report",
    "There's a strange sort of peace in the laundry room",
    "We watched “Amélie” again and cried at the end",
    "I keep forgetting to water the plants",
    "At {place} {time}, the light was beautiful",
    "I'm not sure why, but I feel {feel}",
    "Called {name}; we'll meet at {place} on Sunday",
};

// The inner critic, without final punctuation.
constexpr std::string_view kCritical[] = {
    "I always ruin everything",
    "I should have known better",
    "I'm such a failure",
    "Nothing I do ever works",
    "I never do anything right",
    "I'm so stupid",
    "I'm such an idiot for forgetting {name}'s birthday",
    "My whole life is a mess",
    "I'm not good enough",
    "I should be further along by now",
    "I always mess things up with {name}",
    "I'm a complete disappointment",
    "It was just luck that I passed {obj}",
    "They were only being nice",
    "Anyone could have done {obj}",
    "I ruined everything again",
    "I'm a terrible friend",
    "I should have done better on {obj}",
    "Everything I touch falls apart",
    "I'm such a loser",
    "I shouldn't cry about {obj}",
    "I'm useless at {obj}",
};

// The critic's words that the context engine should let go: negated, reported, past, quoted.
constexpr std::string_view kLookAlikes[] = {
    "I'm not a failure",
    "My boss said I'm useless",
    "I used to think I was a failure",
    "{name} told me I always ruin everything",
    "I don't think I'm stupid",
    "She said “I'm such an idiot” and then laughed",
    "It's not true that I never do anything right",
    "Back then I believed I was worthless",
    "He keeps telling me I should have known better",
    "I no longer think I'm a disappointment",
};

constexpr std::string_view kEndings[] = {".", ".", ".", ".", ".", ".", ".", ".", ".", ".", "!", "!", "…", "...", "!!"};
constexpr std::string_view kQuestionEndings[] = {"?", "?", "?", "?!", "??"};

class Writer {
 public:
  Writer(std::string& out, const JournalOptions& o) : out_(out), o_(o), rng_(o.seed) {}

  void entry(std::size_t target) {
    heading();
    std::size_t paragraphs = 2 + rng_.below(5);
    for (std::size_t p = 0; p < paragraphs && out_.size() < target; ++p) {
      if (rng_.chance(120)) list(target);
      else paragraph(target);
    }
  }

 private:
  void heading() {
    out_ += "# ";
    out_ += pick(rng_, kDays);
    out_ += ' ';
    out_ += std::to_string(1 + rng_.below(28));
    out_ += ' ';
    out_ += pick(rng_, kMonths);
    out_ += "\n\n";
  }

  void list(std::size_t target) {
    std::size_t items = 2 + rng_.below(4);
    for (std::size_t i = 0; i < items && out_.size() < target; ++i) {
      out_ += "- ";
      sentence();
      out_.erase(out_.find_last_not_of(' ') + 1);  // a list item ends with its line
      out_ += '\n';
    }
    out_ += '\n';
  }

  void paragraph(std::size_t target) {
    const bool wrapped = rng_.chance(250);  // hard-wrapped like hand-edited markdown
    std::size_t line_start = out_.size();
    std::size_t sentences = 1 + rng_.below(7);
    for (std::size_t s = 0; s < sentences && out_.size() < target; ++s) {
      sentence();
      if (wrapped && out_.size() - line_start > 90) {
        out_.back() = '\n';
        line_start = out_.size();
      }
    }
    if (!out_.empty() && out_.back() == ' ') out_.pop_back();
    out_ += "\n\n";
  }

  // Appends one sentence and a following space.
  void sentence() {
    std::string_view tmpl;
    const unsigned roll = static_cast<unsigned>(rng_.below(1000));
    if (roll < o_.critical_per_mille) tmpl = pick(rng_, kCritical);
    else if (roll < o_.critical_per_mille + o_.look_alike_per_mille) tmpl = pick(rng_, kLookAlikes);
    else tmpl = pick(rng_, kNeutral);
    const bool curly = rng_.chance(450);
    const bool lower = rng_.chance(60);  // texting style: "i'm so tired"
    std::size_t start = out_.size();
    expand(tmpl, curly);
    if (lower && out_[start] == 'I') out_[start] = 'i';
    const bool question = out_.back() == '?';
    if (question) out_.pop_back();
    if (rng_.chance(o_.emoji_per_mille)) {
      out_ += ' ';
      out_ += pick(rng_, kEmoji);
    }
    out_ += question ? pick(rng_, kQuestionEndings) : pick(rng_, kEndings);
    out_ += rng_.chance(30) ? "  " : " ";
  }

  void expand(std::string_view t, bool curly) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      const char c = t[i];
      if (c == '\'' && curly) {
        out_ += "\u2019";
      } else if (c == '{') {
        std::size_t close = t.find('}', i);
        slot(t.substr(i + 1, close - i - 1));
        i = close;
      } else {
        out_ += c;
      }
    }
  }

  void slot(std::string_view name) {
    if (name == "name") out_ += pick(rng_, kNames);
    else if (name == "place") out_ += pick(rng_, kPlaces);
    else if (name == "food") out_ += pick(rng_, kFoods);
    else if (name == "time") out_ += pick(rng_, kTimes);
    else if (name == "feel") out_ += pick(rng_, kFeelings);
    else if (name == "act") out_ += pick(rng_, kActivities);
    else if (name == "weather") out_ += pick(rng_, kWeather);
    else if (name == "obj") out_ += pick(rng_, kObjects);
  }

  std::string& out_;
  const JournalOptions& o_;
  Prng rng_;
};

}  // namespace

std::string generate_journal(std::size_t bytes, const JournalOptions& options) {
  std::string out;
  if (bytes == 0) return out;
  out.reserve(bytes + 512);
  Writer w(out, options);
  while (out.size() < bytes) w.entry(bytes);
  return out;
}

std::vector<std::string> generate_documents(std::size_t count, std::size_t bytes_each,
                                            const JournalOptions& options) {
  std::vector<std::string> docs;
  docs.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    JournalOptions o = options;
    o.seed = options.seed + i;
    docs.push_back(generate_journal(bytes_each, o));
  }
  return docs;
}

}  // namespace selftalk::bench
