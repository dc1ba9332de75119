// SPDX-License-Identifier: Apache-2.0
// The webhook's metrics, served as Prometheus' text format on the probe port: counters and a
// latency histogram updated lock-free from every connection's thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace pol::server {

enum class Decision { Allow, Deny, Error };
enum class Rejection { TooLarge, WrongContentType, BadRequest, Overloaded, NotFound, Timeout };

class Metrics {
 public:
  // Buckets of the duration histograms, in seconds: from 0.1 ms, the scale pol works at, to 10 s.
  static constexpr std::array<double, 14> buckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                  0.025,  0.05,    0.1,    0.25,  0.5,    1,     10};

  void decided(bool mutate, Decision decision, double seconds);
  void rejected(Rejection reason) { ++rejections_[static_cast<size_t>(reason)]; }
  std::atomic<int64_t> in_flight{0};
  std::atomic<int64_t> connections{0};
  std::atomic<uint64_t> certificate_reloads{0};
  std::atomic<uint64_t> certificate_reload_failures{0};
  std::atomic<int64_t> certificate_expiry{0};  // Unix seconds

  std::string render() const;

 private:
  struct Histogram {
    std::array<std::atomic<uint64_t>, buckets.size()> counts{};
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_nanoseconds{0};
  };
  std::array<std::array<std::atomic<uint64_t>, 3>, 2> requests_{};  // [validate|mutate][decision]
  std::array<std::atomic<uint64_t>, 6> rejections_{};
  Histogram duration_;
};

}  // namespace pol::server
