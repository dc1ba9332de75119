// SPDX-License-Identifier: Apache-2.0
#include "cli/parallel.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iterator>
#include <mutex>
#include <thread>

namespace pol::cli {

namespace {

constexpr size_t progress_threshold = 1000;  // inputs; smaller runs finish before a bar helps

bool wants_progress(ProgressMode mode, size_t inputs) {
  switch (mode) {
    case ProgressMode::Always: return true;
    case ProgressMode::Never: return false;
    case ProgressMode::Auto: return inputs >= progress_threshold && isatty(STDERR_FILENO);
  }
  return false;
}

void merge(Report& into, Report&& part) {
  std::move(part.results.begin(), part.results.end(), std::back_inserter(into.results));
  std::move(part.errors.begin(), part.errors.end(), std::back_inserter(into.errors));
  into.skipped += part.skipped;
}

}  // namespace

Report evaluate_inputs(const Policy& policy, const std::vector<std::string>& inputs, ProgressMode progress) {
  std::vector<Report> reports(inputs.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex mutex;
  std::condition_variable finished;

  const auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < inputs.size();) {
      reports[i] = policy.evaluate(Documents::read_file(inputs[i]));
      if (done.fetch_add(1) + 1 == inputs.size()) {
        const std::lock_guard lock(mutex);
        finished.notify_all();
      }
    }
  };
  const bool show_progress = wants_progress(progress, inputs.size());
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  // Without progress to show, the main thread is one of the workers.
  const size_t threads = std::min(cores, inputs.size()) - (show_progress || inputs.empty() ? 0 : 1);
  std::vector<std::thread> workers;
  for (size_t i = 0; i < threads; ++i) workers.emplace_back(work);

  if (show_progress) {
    // The main thread reports progress while the workers run; stderr only, never the report.
    std::unique_lock lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(200), [&] { return done == inputs.size(); })) {
      std::fprintf(stderr, "\rpol: %zu/%zu inputs", done.load(), inputs.size());
      std::fflush(stderr);
    }
    std::fprintf(stderr, "\rpol: %zu/%zu inputs\n", inputs.size(), inputs.size());
  } else {
    work();
  }
  for (std::thread& worker : workers) worker.join();

  Report report;
  for (Report& part : reports) merge(report, std::move(part));
  return report;
}

}  // namespace pol::cli
