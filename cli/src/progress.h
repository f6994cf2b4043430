// A progress bar on a terminal's stderr while a batch runs.
#ifndef SELFTALK_CLI_PROGRESS_H
#define SELFTALK_CLI_PROGRESS_H

#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "batch.h"

namespace selftalk::cli {

// One line of progress, without the leading "\r": bar, documents done/total, MB/s, ETA.
// seconds is the time since the start; width the bar's width in cells.
std::string render_progress(std::size_t done, std::size_t total, std::size_t bytes, double seconds, int width = 24);

// Redraws render_progress() on `out` about five times a second from its own thread, until
// destroyed; then draws the final state and ends the line. Does nothing when !enabled.
// The counters must outlive this object.
class ProgressBar {
 public:
  ProgressBar(const BatchProgress& counters, std::ostream& out, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

 private:
  void draw();

  const BatchProgress& counters_;
  std::ostream& out_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_PROGRESS_H
