// SPDX-License-Identifier: Apache-2.0
#include "server/metrics.hpp"

#include <fmt/format.h>

namespace pol::server {

void Metrics::decided(bool mutate, Decision decision, double seconds) {
  ++requests_[mutate ? 1 : 0][static_cast<size_t>(decision)];
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (seconds <= buckets[i]) ++duration_.counts[i];
  }
  ++duration_.count;
  duration_.sum_nanoseconds += static_cast<uint64_t>(seconds * 1e9);
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP pol_admission_requests_total Admission reviews answered, by webhook and decision.\n";
  out += "# TYPE pol_admission_requests_total counter\n";
  static constexpr const char* webhooks[] = {"validate", "mutate"};
  static constexpr const char* decisions[] = {"allow", "deny", "error"};
  for (size_t w = 0; w < 2; ++w) {
    for (size_t d = 0; d < 3; ++d) {
      out += fmt::format("pol_admission_requests_total{{webhook=\"{}\",decision=\"{}\"}} {}\n", webhooks[w],
                         decisions[d], requests_[w][d].load());
    }
  }
  out += "# HELP pol_admission_rejections_total Requests refused before a decision, by reason.\n";
  out += "# TYPE pol_admission_rejections_total counter\n";
  static constexpr const char* reasons[] = {"too_large", "content_type", "bad_request", "overloaded", "not_found", "timeout"};
  for (size_t r = 0; r < rejections_.size(); ++r) {
    out += fmt::format("pol_admission_rejections_total{{reason=\"{}\"}} {}\n", reasons[r], rejections_[r].load());
  }
  out += "# HELP pol_admission_duration_seconds Time from a request's last byte to its answer.\n";
  out += "# TYPE pol_admission_duration_seconds histogram\n";
  for (size_t i = 0; i < buckets.size(); ++i) {
    out += fmt::format("pol_admission_duration_seconds_bucket{{le=\"{}\"}} {}\n", buckets[i], duration_.counts[i].load());
  }
  out += fmt::format("pol_admission_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", duration_.count.load());
  out += fmt::format("pol_admission_duration_seconds_sum {}\n", static_cast<double>(duration_.sum_nanoseconds.load()) / 1e9);
  out += fmt::format("pol_admission_duration_seconds_count {}\n", duration_.count.load());
  out += "# HELP pol_admission_in_flight Reviews being answered now.\n# TYPE pol_admission_in_flight gauge\n";
  out += fmt::format("pol_admission_in_flight {}\n", in_flight.load());
  out += "# HELP pol_connections Open HTTPS connections.\n# TYPE pol_connections gauge\n";
  out += fmt::format("pol_connections {}\n", connections.load());
  out += "# HELP pol_certificate_reloads_total Serving certificates re-read after their files changed, by result.\n";
  out += "# TYPE pol_certificate_reloads_total counter\n";
  out += fmt::format("pol_certificate_reloads_total{{result=\"ok\"}} {}\n", certificate_reloads.load());
  out += fmt::format("pol_certificate_reloads_total{{result=\"refused\"}} {}\n", certificate_reload_failures.load());
  out += "# HELP pol_certificate_expiry_seconds When the serving certificate expires, Unix seconds.\n";
  out += "# TYPE pol_certificate_expiry_seconds gauge\n";
  out += fmt::format("pol_certificate_expiry_seconds {}\n", certificate_expiry.load());
  return out;
}

}  // namespace pol::server
