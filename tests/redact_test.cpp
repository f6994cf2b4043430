// Tests for the anonymisation check (cli/src/pii.h) and --redact across every output.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app.h"
#include "pii.h"
#include "test_util.h"

namespace {

namespace fs = std::filesystem;
using selftalk::cli::find_pii;
using selftalk::cli::redact;

// "kind:text" for each span found.
std::vector<std::string> found(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& s : find_pii(text))
    out.push_back(std::string(selftalk::cli::to_string(s.kind)) + ":" + text.substr(s.begin, s.end - s.begin));
  return out;
}

int run_cli(std::vector<std::string> args, const std::string& input, std::string* out, std::string* err) {
  args.insert(args.begin(), "selftalk");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::istringstream in(input);
  std::ostringstream o, e;
  int code = selftalk::cli::run(static_cast<int>(argv.size()), argv.data(), in, o, e);
  *out = o.str();
  *err = e.str();
  return code;
}

}  // namespace

TEST_CASE("pii: e-mail addresses and URLs") {
  CHECK(found("write to jo.doe+work@mail.example.co.uk.") ==
        std::vector<std::string>{"email:jo.doe+work@mail.example.co.uk"});
  CHECK(found("see https://example.org/a?b=1, or www.example.com/x).") ==
        std::vector<std::string>{"url:https://example.org/a?b=1", "url:www.example.com/x"});
  CHECK(found("@home, a@b, x@y.z1, me @ work").empty());
}

TEST_CASE("pii: phone numbers but not years or counts or times") {
  CHECK(found("call +44 20 7946 0958 today") == std::vector<std::string>{"phone:+44 20 7946 0958"});
  CHECK(found("or (555) 123-4567, or 07700 900123, or 555-1234.") ==
        std::vector<std::string>{"phone:(555) 123-4567", "phone:07700 900123", "phone:555-1234"});
  CHECK(found("In 2019 I walked 10,000 steps at 9.30 and slept 8 hours; 3 of 4 days.").empty());
  CHECK(found("Room 12, 5 people, 123456 points").empty());
}

TEST_CASE("pii: postcodes and ZIP codes and dates of birth") {
  CHECK(found("SW1A 1AA and M1 1AE and EC1A1BB") ==
        std::vector<std::string>{"postcode:SW1A 1AA", "postcode:M1 1AE", "postcode:EC1A1BB"});
  CHECK(found("Springfield, IL 62704 or 90210-1234; zip: 10001") ==
        std::vector<std::string>{"postcode:62704", "postcode:90210-1234", "postcode:10001"});
  CHECK(found("I ran 12000 steps").empty());
  CHECK(found("born 12/03/1990, DOB 1990-03-12, on 3.4.85") ==
        std::vector<std::string>{"date:12/03/1990", "date:1990-03-12", "date:3.4.85"});
  CHECK(found("born on 12th of March 1990 or March 12, 1990 or 3 Jan 2001") ==
        std::vector<std::string>{"date:12th of March 1990", "date:March 12, 1990", "date:3 Jan 2001"});
  CHECK(found("I may 2 go in March. 1/2 of it, 13/13/2020").empty());
}

TEST_CASE("pii: redact masks every span by kind and keeps the rest") {
  CHECK(redact("Mail jo@example.com or call 020 7946 0958, born 1/2/1990.") ==
        "Mail [email] or call [phone], born [date].");
  CHECK(redact("nothing here") == "nothing here");
  CHECK(selftalk::cli::describe_pii(selftalk::cli::count_pii(find_pii("a@b.io c@d.io 020 7946 0958"))) ==
        "2 email, 1 phone");
}

TEST_CASE("redact: no e-mail address or phone number from the input reaches any batch output") {
  auto dir = fs::temp_directory_path() / ("selftalk-redact-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "in");
  const std::vector<std::string> emails = {"ana.perez@example.org", "j_smith+notes@mail.example.co.uk",
                                           "counsellor@clinic.example"};
  const std::vector<std::string> phones = {"+44 20 7946 0958", "(555) 123-4567", "07700 900123", "555-1234"};
  std::ofstream(dir / "in/one.txt") << "I'm such a failure. Write to " << emails[0] << " or call " << phones[0]
                                    << ".\nI should have known better, my number is " << phones[1] << ".\n";
  std::ofstream(dir / "in/two.md") << "Everyone at " << emails[1] << " thinks I always ruin everything "
                                   << phones[2] << "\n";
  std::ofstream(dir / "in/export.csv") << "id,text\n" << emails[2] << ",\"I'm such a failure, ring " << phones[3]
                                       << "\nor " << emails[0] << "\"\n";
  std::ofstream(dir / "in/records.jsonl") << "{\"id\": \"" << emails[1] << "\", \"text\": \"I'm useless. "
                                          << phones[0] << "\"}\n";
  std::string out, err;
  int code = run_cli({"batch", (dir / "in").string(), (dir / "in/export.csv").string(),
                      (dir / "in/records.jsonl").string(), "--redact", "--all-reframes", "-o", (dir / "out").string()},
                     "", &out, &err);
  CHECK(code == 0);
  std::vector<std::pair<std::string, std::string>> outputs = {{"stdout", out}, {"stderr", err}};
  for (const char* f : {"worksheets.csv", "worksheets.json", "summary.json", "report.html"}) {
    std::ifstream in(dir / "out" / f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    REQUIRE_MESSAGE(!s.str().empty(), f);
    outputs.emplace_back(f, s.str());
  }
  for (const auto& [name, text] : outputs) {
    INFO(name);
    for (const std::string& e : emails) CHECK(text.find(e) == std::string::npos);
    for (const std::string& p : phones) CHECK(text.find(p) == std::string::npos);
    std::string no_css = text;
    for (std::size_t at = no_css.find("@media"); at != std::string::npos; at = no_css.find("@media")) no_css.erase(at, 6);
    CHECK(no_css.find('@') == std::string::npos);
  }
  std::string html = outputs.back().second;
  CHECK(html.find("[email]") != std::string::npos);
  CHECK(html.find("[phone]") != std::string::npos);
  CHECK(html.find("self_label") != std::string::npos);  // the analysis still ran on the masked text
  CHECK(err.find("warning: personal data redacted: 1 email, 2 phone") != std::string::npos);

  // Without --redact the same run warns that personal data is left.
  code = run_cli({"batch", (dir / "in/one.txt").string()}, "", &out, &err);
  CHECK(err.find("warning: personal data left: 1 email, 2 phone") != std::string::npos);
  CHECK(out.find("--redact masks it") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("redact: the single-document command masks text and JSON and JSONL output with ids") {
  std::string out, err;
  CHECK(run_cli({"--redact"}, "I'm such a failure, mail me at ana@example.org", &out, &err) == 0);
  CHECK(out.find("ana@example.org") == std::string::npos);
  CHECK(out.find("[email]") != std::string::npos);
  CHECK(run_cli({"--redact", "--input-format", "jsonl", "--format", "jsonl"},
                "{\"id\": \"ana@example.org\", \"text\": \"call 020 7946 0958\"}\n{\"id\": 5551234567, \"text\": \"x\"}\n",
                &out, &err) == 0);
  std::istringstream lines(out);
  std::string l1, l2;
  REQUIRE(std::getline(lines, l1));
  REQUIRE(std::getline(lines, l2));
  auto j1 = nlohmann::json::parse(l1);
  CHECK(j1["id"] == "[email]");
  CHECK(l1.find("7946") == std::string::npos);
  CHECK(nlohmann::json::parse(l2)["id"] == "[phone]");
}
