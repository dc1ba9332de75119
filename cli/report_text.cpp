// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include "cli/report.hpp"

namespace pol::cli {

namespace {

// Each policy's line, then where each of its violations is.
void write_violations(std::ostream& out, const ObjectResult& r, const std::vector<Violation>& violations,
                      std::string_view verb) {
  for (const Range range : by_policy(violations)) {
    out << "  " << policy_line(violations, range, verb) << "\n";
    for (size_t i = range.begin; i < range.end; ++i) {
      for (const Location& l : violations[i].locations) out << "    " << location_text(r, violations[i], l) << "\n";
    }
  }
}

}  // namespace

void write_text(std::ostream& out, const Report& report) {
  uint32_t denied = 0;
  for (const ObjectResult& r : report.results) {
    denied += !r.allowed();
    out << fmt::format("{}: document {}: {}: {}\n", r.source, r.document, object_name(r), r.allowed() ? "allowed" : "denied");
    write_violations(out, r, r.violations, "would violate");
    write_violations(out, r, r.warnings, "warning:");
  }
  out << fmt::format("{} object{}: {} allowed, {} denied, {} skipped, {} error{}\n", report.results.size(),
                     report.results.size() == 1 ? "" : "s", report.results.size() - denied, denied, report.skipped,
                     report.errors.size(), report.errors.size() == 1 ? "" : "s");
}

}  // namespace pol::cli
