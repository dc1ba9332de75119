// SPDX-License-Identifier: Apache-2.0
// SARIF 2.1.0: one result per violation (level error) or warning (level warning), located at
// the violating field (else the object) in its manifest; unreadable documents become the
// run's tool execution notifications, so code-scanning UIs show both.
#include <fmt/format.h>

#include <map>

#include "cli/report.hpp"

namespace pol::cli {

namespace {

// A relative URI reference for a file path: unreserved characters and '/' kept, others escaped.
std::string uri(std::string_view path) {
  std::string out;
  for (const unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

// The `"physicalLocation": {...}` member of a SARIF location object.
std::string physical_location(std::string_view source, uint32_t line, uint32_t column) {
  std::string region;
  if (line > 0) {
    region = column > 0 ? fmt::format(R"(, "region": {{"startLine": {}, "startColumn": {}}})", line, column)
                        : fmt::format(R"(, "region": {{"startLine": {}}})", line);
  }
  return fmt::format(R"("physicalLocation": {{"artifactLocation": {{"uri": {}}}{}}})", json_string(uri(source)), region);
}

class SarifWriter {
 public:
  // A rule is a policy's check (two policies' `latestTag` are two rules), described by its reason.
  void add(const ObjectResult& object, const Violation& violation, const char* level) {
    const std::string rule_id = violation.policy + "/" + violation.check;
    const auto [rule, added] = rules_.try_emplace(rule_id, rules_.size());
    if (added) rules_in_order_.push_back({rule_id, violation.reason});
    std::string message = fmt::format("{}: {}", object_name(object), violation.reason);
    if (!violation.detail.empty()) message += fmt::format(" ({})", violation.detail);
    const Location* first = violation.locations.empty() ? nullptr : &violation.locations.front();
    const std::string location = first ? physical_location(object.source, first->line, first->column)
                                       : physical_location(object.source, object.line, object.column);
    std::string related;  // every place, when there is more than one
    for (size_t i = 0; violation.locations.size() > 1 && i < violation.locations.size(); ++i) {
      const Location& l = violation.locations[i];
      const std::string what = l.container.empty() ? l.path : fmt::format("container \"{}\" {}", l.container, l.path);
      related += fmt::format(R"({}{{"id": {}, "message": {{"text": {}}}, {}}})", i ? ", " : "", i, json_string(what),
                             physical_location(object.source, l.line, l.column));
    }
    results_.push_back(fmt::format(
        R"({{"ruleId": {}, "ruleIndex": {}, "level": "{}", "message": {{"text": {}}}, "locations": [{{{}}}]{}, "properties": {{"policy": {}, "object": {{"source": {}, "document": {}, "apiVersion": {}, "kind": {}, "namespace": {}, "name": {}}}}}}})",
        json_string(rule_id), rule->second, level, json_string(message), location,
        related.empty() ? "" : fmt::format(R"(, "relatedLocations": [{}])", related),
        json_string(violation.policy), json_string(object.source), object.document, json_string(object.api_version),
        json_string(object.kind), json_string(object.namespace_name), json_string(object.name)));
  }

  void write(std::ostream& out, const Report& report) const {
    out << R"({"$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",)"
        << "\n \"version\": \"2.1.0\", \"runs\": [{\n";
    out << fmt::format(R"(  "tool": {{"driver": {{"name": "pol", "version": {}, "rules": [)", json_string(version()));
    for (size_t i = 0; i < rules_in_order_.size(); ++i) {
      const auto& [id, reason] = rules_in_order_[i];
      out << (i ? ",\n    " : "\n    ")
          << fmt::format(R"({{"id": {}, "shortDescription": {{"text": {}}}}})", json_string(id), json_string(reason));
    }
    out << "]}},\n";
    out << fmt::format("  \"invocations\": [{{\"executionSuccessful\": {}, \"toolExecutionNotifications\": [",
                       report.errors.empty() ? "true" : "false");
    auto notification = [&, first = true](const char* level, const std::string& source, uint32_t document,
                                                uint32_t line, uint32_t column, std::string_view message) mutable {
      out << (first ? "\n    " : ",\n    ")
          << fmt::format(R"({{"level": "{}", "message": {{"text": {}}}, "locations": [{{{}}}]}})", level,
                         json_string(fmt::format("document {}: {}", document, message)),
                         physical_location(source, line, column));
      first = false;
    };
    for (const Error& e : report.errors) notification("error", e.source, e.document, e.line, e.column, e.message);
    for (const NotAnObject& n : report.not_objects) {
      notification("note", n.source, n.document, n.line, n.column, "not a Kubernetes object, not evaluated: " + n.reason);
    }
    out << "]}],\n  \"results\": [";
    for (size_t i = 0; i < results_.size(); ++i) out << (i ? ",\n    " : "\n    ") << results_[i];
    out << "]\n}]}\n";
  }

 private:
  std::map<std::string, size_t> rules_;
  std::vector<std::pair<std::string, std::string>> rules_in_order_;  // id and reason, indexed by ruleIndex
  std::vector<std::string> results_;
};

}  // namespace

void write_sarif(std::ostream& out, const Report& report) {
  SarifWriter writer;
  for (const ObjectResult& object : report.results) {
    for (const Violation& v : object.violations) writer.add(object, v, "error");
    for (const Violation& v : object.warnings) writer.add(object, v, "warning");
  }
  writer.write(out, report);
}

}  // namespace pol::cli
