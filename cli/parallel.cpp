// SPDX-License-Identifier: Apache-2.0
#include "cli/parallel.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
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

// Calls task(i) for i in [0, count) on all cores; with `show`, the main thread reports progress
// on stderr as `pol: <verb> N/count inputs` instead of working.
void for_each_parallel(size_t count, const std::function<void(size_t)>& task, bool show, const char* verb) {
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex mutex;
  std::condition_variable finished;
  const auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < count;) {
      task(i);
      if (done.fetch_add(1) + 1 == count) {
        const std::lock_guard lock(mutex);
        finished.notify_all();
      }
    }
  };
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  // Without progress to show, the main thread is one of the workers.
  const size_t threads = std::min(cores, count) - (show || count == 0 ? 0 : 1);
  std::vector<std::thread> workers;
  for (size_t i = 0; i < threads; ++i) workers.emplace_back(work);
  if (show) {
    std::unique_lock lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(200), [&] { return done == count; })) {
      std::fprintf(stderr, "\rpol: %s %zu/%zu inputs", verb, done.load(), count);
      std::fflush(stderr);
    }
    std::fprintf(stderr, "\rpol: %s %zu/%zu inputs\n", verb, count, count);
  } else {
    work();
  }
  for (std::thread& worker : workers) worker.join();
}

}  // namespace

Report evaluate_inputs(const Policy& policy, Admission& admission, const std::vector<std::string>& inputs,
                       ProgressMode progress, bool mutate) {
  const bool show = wants_progress(progress, inputs.size());
  // Fewer inputs than cores: each is read in parts on all cores, and its documents evaluated in
  // parts, so that one large file uses the whole machine as a folder of files does.
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::vector<Documents>> read(inputs.size());
  if (inputs.size() < cores) {
    const Documents::Runner on_all_cores = [](size_t count, const std::function<void(size_t)>& task) {
      for_each_parallel(count, task, false, "");
    };
    for (size_t i = 0; i < inputs.size(); ++i) read[i] = Documents::read_file_parts(inputs[i], cores, on_all_cores);
  } else {
    for_each_parallel(inputs.size(), [&](size_t i) { read[i] = {Documents::read_file(inputs[i])}; }, show, "read");
  }
  std::vector<Documents> documents;
  for (std::vector<Documents>& parts : read) std::move(parts.begin(), parts.end(), std::back_inserter(documents));
  for (const Documents& part : documents) admission.add_namespaces(part);

  std::vector<Report> reports(documents.size());
  for_each_parallel(documents.size(), [&](size_t i) {
    reports[i] = policy.evaluate(documents[i], &admission, mutate);
    documents[i] = {};  // done with it: free its memory early
  }, show && documents.size() == inputs.size(), "checked");

  Report report;
  for (Report& part : reports) {
    std::move(part.results.begin(), part.results.end(), std::back_inserter(report.results));
    std::move(part.errors.begin(), part.errors.end(), std::back_inserter(report.errors));
    report.skipped += part.skipped;
    std::move(part.not_objects.begin(), part.not_objects.end(), std::back_inserter(report.not_objects));
  }
  return report;
}

}  // namespace pol::cli
