// SPDX-License-Identifier: Apache-2.0
// JUnit XML, the format every CI system renders: one test suite per source file, one test case
// per object with a pod spec (a failure when it is denied, its warnings as system-out), and
// one test case with an error per document that could not be read or evaluated.
#include <fmt/format.h>

#include <map>

#include "cli/report.hpp"

namespace pol::cli {

namespace {

// Text for an XML attribute (quotes and line breaks escaped) or element. Control characters
// other than tab and newline are not allowed in XML 1.0 at all, so they become U+FFFD.
std::string xml(std::string_view text, bool attribute = true) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += "\xEF\xBF\xBD";
        else out += c;
    }
  }
  return out;
}

struct Suite {
  std::string source;
  std::vector<std::string> cases;
  uint32_t failures = 0;
  uint32_t errors = 0;
};

std::string test_case(const ObjectResult& r) {
  std::string out = fmt::format(R"(    <testcase name="{}" classname="{}" file="{}" line="{}")",
                                xml(fmt::format("document {}: {}", r.document, object_name(r))), xml(r.source),
                                xml(r.source), r.line);
  if (r.allowed() && r.warnings.empty() && r.errors.empty()) return out + "/>\n";
  out += ">\n";
  for (const Error& e : r.errors) {
    out += fmt::format("      <error message=\"{}\" type=\"evaluation\"/>\n", xml(e.message));
  }
  if (!r.violations.empty()) {
    std::string summary, body;
    for (const std::span<const Violation> run : by_policy(r.violations)) {
      summary += (summary.empty() ? "" : "; ") + message(run);
    }
    for (const Violation& v : r.violations) {
      for (const Location& l : v.locations) body += location_text(r, v, l) + "\n";
    }
    out += fmt::format("      <failure message=\"{}\" type=\"policy\">{}</failure>\n", xml(summary), xml(body, false));
  }
  if (!r.warnings.empty()) {
    std::string text;
    for (const std::span<const Violation> run : by_policy(r.warnings)) text += message(run, "warning:") + "\n";
    out += fmt::format("      <system-out>{}</system-out>\n", xml(text, false));
  }
  return out + "    </testcase>\n";
}

}  // namespace

void write_junit(std::ostream& out, const Report& report) {
  std::vector<Suite> suites;
  std::map<std::string, size_t> index;  // source → position in `suites`, in order of first appearance
  const auto suite = [&](const std::string& source) -> Suite& {
    const auto [it, added] = index.try_emplace(source, suites.size());
    if (added) suites.push_back({source, {}, 0, 0});
    return suites[it->second];
  };
  for (const ObjectResult& r : report.results) {
    Suite& s = suite(r.source);
    s.cases.push_back(test_case(r));
    s.failures += !r.violations.empty();  // evaluation errors count among the errors below
  }
  for (const Error& e : report.errors) {
    Suite& s = suite(e.source);
    s.cases.push_back(fmt::format(
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n      <error message=\"{}\" "
        "type=\"input\"/>\n    </testcase>\n",
        xml(fmt::format("document {}", e.document)), xml(e.source), xml(e.source), e.line, xml(e.message)));
    ++s.errors;
  }
  uint32_t failures = 0;
  for (const Suite& s : suites) failures += s.failures;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"pol\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
                     report.results.size() + report.errors.size(), failures, report.errors.size());
  for (const Suite& s : suites) {
    out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n", xml(s.source),
                       s.cases.size(), s.failures, s.errors);
    for (const std::string& c : s.cases) out << c;
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace pol::cli
