// Streams generated journal text through selftalk::StreamAnalyzer and reports the peak resident
// memory, to show it stays bounded however long the input is:
//
//   selftalk_stream_memory --mib 1024 --max-rss-mb 100
//
// The text is made on the fly (nothing is held but one chunk), cycling through sentences with and
// without findings, multi-byte characters, line breaks and one long run without a sentence end.
// Reported: the peak resident memory while streaming (VmHWM, reset once the ruleset is compiled
// and the compiler's freed scratch memory is returned to the system) and the process's peak
// including Ruleset::compile. Exit status: 0 when every byte was analysed and the streaming peak
// is <= --max-rss-mb MiB, else 1.
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "selftalk/selftalk.h"
#include "selftalk/stream.h"

namespace {

constexpr std::string_view kSentences[] = {
    "I always ruin everything. ",
    "The bus was late again, so I walked along the river. ",
    "I should have known better than to say that.\n",
    "I'm such a failure at this. ",
    "My friend said the soup was lovely — “a real treat,” she wrote. ",
    "Nobody will ever want to spend time with me. ",
    "Café at 9, then the 🚲 ride home.\r\n",
    "If I can't do it perfectly, there's no point in trying at all. ",
    "Today I finished the report and felt okay about it.\n\n",
};

std::size_t process_peak_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss);  // KiB on Linux
}

// A field of /proc/self/status in KiB ("VmHWM", "VmRSS"), or 0.
std::size_t status_kib(const char* field) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  std::size_t kib = 0;
  const std::size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f) != nullptr)
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') kib = std::strtoull(line + n + 1, nullptr, 10);
  std::fclose(f);
  return kib;
}

// Makes VmHWM start again from the current RSS (Linux >= 4.0). False when not permitted.
bool reset_peak() {
  std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (f == nullptr) return false;
  const bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

double to_mib(std::size_t kib) { return static_cast<double>(kib) / 1024.0; }

}  // namespace

int main(int argc, char** argv) {
  std::size_t mib = 1024, max_rss_mb = 100, chunk_size = 64 * 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::size_t value = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--mib") == 0) mib = value;
    else if (std::strcmp(argv[i], "--max-rss-mb") == 0) max_rss_mb = value;
    else if (std::strcmp(argv[i], "--chunk") == 0) chunk_size = value > 0 ? value : 1;
  }
  auto rules = selftalk::Ruleset::default_ruleset();
  if (!rules) {
    std::fprintf(stderr, "%s\n", rules.error().to_string().c_str());
    return 1;
  }
  selftalk::StreamAnalyzer stream(*rules);
  const std::size_t total = mib * 1024 * 1024;
  const std::size_t compile_peak = process_peak_kib();
  malloc_trim(0);
  const bool reset = reset_peak();
  const std::size_t rss_before = status_kib("VmRSS");
  std::string chunk;
  std::size_t fed = 0, findings = 0, n = 0;
  const auto start = std::chrono::steady_clock::now();
  while (fed < total) {
    chunk.clear();
    while (chunk.size() < chunk_size) {
      if (++n % 5000 == 0) {
        for (int k = 0; k < 20000; ++k) chunk += "and then ";  // 180 KB without a sentence end
      }
      chunk += kSentences[n % std::size(kSentences)];
    }
    if (chunk.size() > total - fed) chunk.resize(total - fed);  // may cut a character: allowed
    findings += stream.feed(chunk).size();
    fed += chunk.size();
  }
  findings += stream.finish().size();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::size_t rss = reset ? status_kib("VmHWM") : process_peak_kib();
  const selftalk::Scores& s = stream.scores();
  std::printf("streamed %zu bytes (%.1f MiB/s), %zu findings, %zu sentences, %zu words\n", fed,
              static_cast<double>(fed) / (1024.0 * 1024.0) / seconds, findings, s.sentences, s.words);
  std::printf("peak RSS while streaming: %.1f MiB (%.1f MiB at the start)%s\n", to_mib(rss), to_mib(rss_before),
              reset ? "" : " [VmHWM not resettable: process peak]");
  std::printf("peak RSS before streaming (Ruleset::compile): %.1f MiB\n", to_mib(compile_peak));
  const bool ok = stream.consumed() == fed && rss <= max_rss_mb * 1024;
  if (!ok) std::printf("FAILED: consumed %zu of %zu bytes, limit %zu MiB\n", stream.consumed(), fed, max_rss_mb);
  return ok ? 0 : 1;
}
