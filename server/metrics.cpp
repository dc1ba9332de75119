// SPDX-License-Identifier: Apache-2.0
#include "server/metrics.hpp"

#include <fmt/format.h>

namespace pol::server {

namespace {

// A label value in the text format: backslash, double quote and line feed escaped.
std::string label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void counters(std::string& out, std::string_view name, std::string_view help, const std::map<std::string, uint64_t>& by_labels) {
  header(out, name, "counter", help);
  for (const auto& [labels, count] : by_labels) out += fmt::format("{}{{{}}} {}\n", name, labels, count);
}

}  // namespace

void Histogram::observe(double seconds) {
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (seconds <= buckets[i]) ++counts_[i];
  }
  ++count_;
  sum_nanoseconds_ += static_cast<uint64_t>(seconds * 1e9);
}

void Histogram::render(std::string& out, std::string_view name, std::string_view help) const {
  header(out, name, "histogram", help);
  for (size_t i = 0; i < buckets.size(); ++i) out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, buckets[i], counts_[i].load());
  out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name, count_.load());
  out += fmt::format("{}_sum {}\n", name, static_cast<double>(sum_nanoseconds_.load()) / 1e9);
  out += fmt::format("{}_count {}\n", name, count_.load());
}

void Metrics::decided(const Decided& d) {
  evaluation_duration_.observe(d.evaluation_seconds);
  static constexpr const char* decisions[] = {"allow", "deny", "error"};
  const std::string labels = fmt::format(R"(webhook="{}",operation="{}",kind="{}",decision="{}")", d.webhook,
                                         label(d.operation), label(d.kind), decisions[static_cast<size_t>(d.decision)]);
  const std::lock_guard lock(labelled_mutex_);
  ++requests_[labels];
  for (const Violation& v : d.violations) ++violations_[fmt::format(R"(policy="{}",check="{}")", label(v.policy), label(v.check))];
}

std::string Metrics::render() const {
  std::string out;
  {
    const std::lock_guard lock(labelled_mutex_);
    counters(out, "pol_admission_requests_total", "Admission reviews answered, by webhook, operation, kind and decision.", requests_);
    counters(out, "pol_violations_total", "Violations found in the reviews answered, by policy and check.", violations_);
  }
  header(out, "pol_admission_rejections_total", "counter", "Requests refused before a decision, by reason.");
  static constexpr const char* reasons[] = {"too_large", "content_type", "bad_request", "overloaded", "not_found", "timeout"};
  for (size_t r = 0; r < rejections_.size(); ++r) {
    out += fmt::format("pol_admission_rejections_total{{reason=\"{}\"}} {}\n", reasons[r], rejections_[r].load());
  }
  request_duration_.render(out, "pol_admission_duration_seconds", "Time from an HTTPS request's last byte read to its answer's last byte written.");
  evaluation_duration_.render(out, "pol_evaluation_duration_seconds", "Time Policy::review took for a request.");
  header(out, "pol_admission_in_flight", "gauge", "Reviews being answered now.");
  out += fmt::format("pol_admission_in_flight {}\n", in_flight.load());
  header(out, "pol_connections", "gauge", "Open HTTPS connections.");
  out += fmt::format("pol_connections {}\n", connections.load());
  header(out, "pol_certificate_reloads_total", "counter", "Serving certificates re-read after their files changed, by result.");
  out += fmt::format("pol_certificate_reloads_total{{result=\"ok\"}} {}\n", certificate_reloads.load());
  out += fmt::format("pol_certificate_reloads_total{{result=\"refused\"}} {}\n", certificate_reload_failures.load());
  header(out, "pol_certificate_expiry_seconds", "gauge", "When the serving certificate expires, Unix seconds.");
  out += fmt::format("pol_certificate_expiry_seconds {}\n", certificate_expiry.load());
  header(out, "pol_policy_reloads_total", "counter", "Policies and namespaces read again (SIGHUP or a file changed), by result.");
  out += fmt::format("pol_policy_reloads_total{{result=\"ok\"}} {}\n", policy_reloads.load());
  out += fmt::format("pol_policy_reloads_total{{result=\"refused\"}} {}\n", policy_reload_failures.load());
  header(out, "pol_policy_stale", "gauge", "1 when the last reload was refused and the policies before it still decide.");
  out += fmt::format("pol_policy_stale {}\n", policy_stale.load() ? 1 : 0);
  return out;
}

}  // namespace pol::server
