// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include "cli/report.hpp"

namespace pol::cli {

namespace {

// Each policy's line, then where each of its violations is.
void write_violations(std::ostream& out, const ObjectResult& r, const std::vector<Violation>& violations,
                      std::string_view verb) {
  for (const std::span<const Violation> run : by_policy(violations)) {
    out << "  " << printable(message(run, verb)) << "\n";
    for (const Violation& v : run) {
      for (const Location& l : v.locations) out << "    " << printable(location_text(r, v, l)) << "\n";
    }
  }
}

}  // namespace

void write_text(std::ostream& out, const Report& report) {
  uint32_t denied = 0;
  for (const ObjectResult& r : report.results) {
    denied += !r.allowed();
    // Everything but the layout comes from documents and policies: printed with controls escaped.
    out << fmt::format("{}: document {}: {}: {}\n", printable(r.source), r.document, printable(object_name(r)),
                       r.allowed() ? "allowed" : "denied");
    for (const Error& e : r.errors) {
      out << printable(fmt::format("  error: {}{}", e.message, r.fail_open ? " (allowed: --on-error allow)" : "")) << "\n";
    }
    for (const TracedValue& t : r.traces) {
      out << printable(fmt::format("  trace: {}:{}:{}: {}", t.file, t.line, t.column, t.value)) << "\n";
    }
    write_violations(out, r, r.violations, "would violate");
    write_violations(out, r, r.warnings, "warning:");
    for (const std::string& change : r.mutated) out << "  mutated: " << printable(change) << "\n";
    for (const Exemption& e : r.exempted) {
      out << printable(fmt::format("  exempted: {} by {}: {}{}{}", e.check == "*" ? "all checks" : "check " + e.check, e.by,
                                   e.why, e.owner.empty() ? "" : " (owner " + e.owner + ")",
                                   e.expires.empty() ? "" : " until " + e.expires))
          << "\n";
    }
  }
  out << fmt::format("{} object{}: {} allowed, {} denied, {} skipped, {} error{}", report.results.size(),
                     report.results.size() == 1 ? "" : "s", report.results.size() - denied, denied, report.skipped,
                     report.errors.size(), report.errors.size() == 1 ? "" : "s");
  const size_t others = report.not_objects.size();
  if (others > 0) out << fmt::format(", {} not Kubernetes object{} (--strict: errors)", others, others == 1 ? "" : "s");
  out << "\n";
}

}  // namespace pol::cli
