#include "progress.h"

#include <algorithm>
#include <cstdio>

namespace selftalk::cli {

std::string render_progress(std::size_t done, std::size_t total, std::size_t bytes, double seconds, int width) {
  double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  const int filled = std::clamp(static_cast<int>(fraction * width), 0, std::max(width, 0));
  std::string bar = "[";
  bar.append(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(std::max(width, 0) - filled), '.');
  bar += ']';
  double mb_per_s = seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0;
  std::string eta = "--:--";
  if (done > 0 && done < total) {
    auto left = static_cast<long>(seconds * static_cast<double>(total - done) / static_cast<double>(done) + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", left / 60, left % 60);
    eta = buf;
  } else if (done >= total) {
    eta = "0:00";
  }
  char line[160];
  std::snprintf(line, sizeof line, "%s %zu/%zu documents  %.1f MB/s  ETA %s", bar.c_str(), done, total, mb_per_s,
                eta.c_str());
  return line;
}

ProgressBar::ProgressBar(const BatchProgress& counters, std::ostream& out, bool enabled)
    : counters_(counters), out_(out), enabled_(enabled), start_(std::chrono::steady_clock::now()) {
  if (!enabled_) return;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) draw();
  });
}

ProgressBar::~ProgressBar() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
  draw();
  out_ << "\n";
  out_.flush();
}

void ProgressBar::draw() {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  out_ << "\r" << render_progress(counters_.done, counters_.total, counters_.bytes, seconds) << "\x1b[K";
  out_.flush();
}

}  // namespace selftalk::cli
