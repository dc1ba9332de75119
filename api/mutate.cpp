// SPDX-License-Identifier: Apache-2.0
// Policy::mutate: every part's mutations over each document, written out as JSON or YAML with
// the RFC 6902 patch that makes the same change.
#include <fmt/format.h>

#include "api/internal.hpp"
#include "runtime/emit.hpp"

namespace pol {

std::string patch_json(const std::vector<runtime::PatchOperation>& patch, std::string_view under) {
  std::string out = "[";
  for (const runtime::PatchOperation& op : patch) {
    if (!op.path.starts_with(under)) continue;
    out += fmt::format(R"({}{{"op":"{}","path":{})", out.size() > 1 ? "," : "", op.op(),
                       json_string(std::string_view(op.path).substr(under.size())));
    if (op.value) out += ",\"value\":" + runtime::to_json(*op.value);
    out += "}";
  }
  return out + "]";
}

runtime::Mutated Policy::Impl::mutate(const runtime::Node* root, runtime::Arena& arena) const {
  runtime::Mutated all;
  all.root = root;
  for (const Part& part : parts) {
    if (part.program->applies.empty()) continue;
    runtime::Mutated step = part.mutator->mutate(all.root, arena);
    all.root = step.root;
    all.patch.insert(all.patch.end(), step.patch.begin(), step.patch.end());
    all.errors.insert(all.errors.end(), step.errors.begin(), step.errors.end());
  }
  return all;
}

bool Policy::mutates() const {
  for (const Impl::Part& part : impl->parts) {
    if (!part.program->applies.empty()) return true;
  }
  return false;
}

MutationReport Policy::mutate(const Documents& documents, Format format) const {
  MutationReport report;
  report.errors = documents.errors();
  for (const runtime::Document& document : documents.impl->loaded.documents) {
    runtime::Arena arena;
    const runtime::Mutated mutated = impl->mutate(document.root, arena);
    for (const runtime::EvaluationError& e : mutated.errors) {
      Error error = document_error(document.source, document.source->name(), document.index, document.root->line,
                                   document.root->column, fmt::format("mutation '{}' failed: {}", e.check, e.message));
      error.rendered += e.policy_note;
      report.errors.push_back(std::move(error));
    }
    report.documents.push_back({document.source->name(), document.index,
                                format == Format::Json ? runtime::to_json(*mutated.root) : runtime::to_yaml(*mutated.root),
                                patch_json(mutated.patch), mutated.patch.size()});
  }
  return report;
}

}  // namespace pol
