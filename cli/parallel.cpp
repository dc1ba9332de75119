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

// Moves `part` to the end of `report`, its documents numbered from `first` on.
void append(Report& report, Report& part, uint32_t first) {
  for (ObjectResult& r : part.results) r.document += first;
  for (Error& e : part.errors) e.document += first;
  for (NotAnObject& n : part.not_objects) n.document += first;
  std::move(part.results.begin(), part.results.end(), std::back_inserter(report.results));
  std::move(part.errors.begin(), part.errors.end(), std::back_inserter(report.errors));
  report.skipped += part.skipped;
  std::move(part.not_objects.begin(), part.not_objects.end(), std::back_inserter(report.not_objects));
}

}  // namespace

Report evaluate_inputs(const Policy& policy, Admission& admission, const std::vector<std::string>& inputs,
                       ProgressMode progress, bool mutate) {
  // Each input is cut in parts of about 1 MiB (FileParts: a small file is one part) that are read,
  // evaluated and freed on all cores, so memory holds the inputs' texts and the parts at work.
  constexpr size_t part_bytes = 1 << 20;
  const bool show = wants_progress(progress, inputs.size());
  std::vector<FileParts> files(inputs.size());
  for_each_parallel(inputs.size(), [&](size_t i) { files[i] = FileParts::open(inputs[i], part_bytes); }, show, "read");
  struct Unit {
    size_t file, part;
    Report report;
    uint32_t length = 0;   // documents the part numbered
    bool broken = false;   // a JSON part that could not be read: the file is read whole instead
  };
  // Namespace objects set the levels of pods anywhere in the run: the parts that may hold one
  // are read first, and the admission keeps them.
  std::vector<Unit> units;
  for (size_t f = 0; f < files.size(); ++f) {
    for (size_t k = 0; k < files[f].size(); ++k) {
      if (files[f].may_hold(k, "Namespace")) admission.add_namespaces(files[f].read(k));
      units.push_back({f, k, {}, 0, false});
    }
  }
  for_each_parallel(units.size(), [&](size_t i) {
    Unit& unit = units[i];
    const FileParts& file = files[unit.file];
    const Documents documents = file.read(unit.part);
    unit.length = documents.stream_length();
    unit.broken = file.json() && file.size() > 1 && !documents.errors().empty();
    if (!unit.broken) unit.report = policy.evaluate(documents, &admission, mutate);
  }, show && units.size() == inputs.size(), "checked");

  Report report;
  size_t objects = 0;
  for (const Unit& unit : units) objects += unit.report.results.size();
  report.results.reserve(objects);  // moved once, not again each time the vector grows
  for (size_t f = 0, u = 0; f < files.size(); ++f) {
    const size_t end = u + files[f].size();
    if (std::any_of(units.begin() + u, units.begin() + end, [](const Unit& unit) { return unit.broken; })) {
      Report whole = policy.evaluate(Documents::read_file(inputs[f]), &admission, mutate);
      append(report, whole, 0);
      u = end;
      continue;
    }
    for (uint32_t first = 0; u < end; ++u) {
      append(report, units[u].report, first);
      first += units[u].length;
    }
  }
  return report;
}

}  // namespace pol::cli
