// SPDX-License-Identifier: Apache-2.0
// The webhook's metrics, served as Prometheus' text format on the probe port. Counters without
// labels and the histograms are atomics, updated lock-free from every connection's thread; the
// counters labelled by what the requests carried (operation, kind, policy, check) sit in a map
// behind one lock, taken once per decision.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "pol/pol.hpp"

namespace pol::server {

enum class Decision { Allow, Deny, Error };
enum class Rejection { TooLarge, WrongContentType, BadRequest, Overloaded, NotFound, Timeout };

// A latency histogram with buckets from 0.1 ms, the scale pol works at, to 10 s.
class Histogram {
 public:
  static constexpr std::array<double, 14> buckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                  0.025,  0.05,    0.1,    0.25,  0.5,    1,     10};
  void observe(double seconds);
  void render(std::string& out, std::string_view name, std::string_view help) const;

 private:
  std::array<std::atomic<uint64_t>, buckets.size()> counts_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_nanoseconds_{0};
};

// One decision, as the metrics count it.
struct Decided {
  std::string_view webhook;  // validate or mutate
  std::string_view operation, kind;
  Decision decision = Decision::Allow;
  double evaluation_seconds = 0;
  std::span<const Violation> violations;
};

class Metrics {
 public:
  void decided(const Decided& decided);
  void answered(double seconds) { request_duration_.observe(seconds); }  // from the last byte read to the last written
  void rejected(Rejection reason) { ++rejections_[static_cast<size_t>(reason)]; }
  std::atomic<int64_t> in_flight{0};
  std::atomic<int64_t> connections{0};
  std::atomic<uint64_t> certificate_reloads{0};
  std::atomic<uint64_t> certificate_reload_failures{0};
  std::atomic<int64_t> certificate_expiry{0};  // Unix seconds
  std::atomic<uint64_t> policy_reloads{0};
  std::atomic<uint64_t> policy_reload_failures{0};
  std::atomic<bool> policy_stale{false};  // the last reload failed: the policies before it still decide

  std::string render() const;

 private:
  std::array<std::atomic<uint64_t>, 6> rejections_{};
  Histogram request_duration_, evaluation_duration_;
  mutable std::mutex labelled_mutex_;
  std::map<std::string, uint64_t> requests_;    // the labels of pol_admission_requests_total → count
  std::map<std::string, uint64_t> violations_;  // the labels of pol_violations_total → count
};

}  // namespace pol::server
