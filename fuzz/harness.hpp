// SPDX-License-Identifier: Apache-2.0
// What the libFuzzer harnesses share: the input as a document source read by one reader, and
// the whole evaluation of it (reports, every output format) so that every path a user's input
// can take is run. A harness fails only by crashing, hanging or tripping a sanitizer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "api/internal.hpp"
#include "pol/pol.hpp"
#include "runtime/document.hpp"

namespace pol::fuzz {

inline std::string text(const uint8_t* data, size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

// `text` read as YAML or JSON (whichever the harness fuzzes), as Documents::parse would hold it.
template <class Reader>
Documents read_with(Reader reader, std::string text, const char* name) {
  auto impl = std::make_shared<Documents::Impl>();
  impl->source = std::make_shared<const lang::Source>(name, std::move(text));
  impl->loaded = reader(impl->source, runtime::LoadLimits{});
  for (const runtime::LoadError& e : impl->loaded.errors) {
    impl->errors.push_back(document_error(impl->source, e.source, e.document, e.line, e.column, e.message));
  }
  Documents documents;
  documents.impl = std::move(impl);
  return documents;
}

// A part of `source` read apart (as FileParts reads it), held as Documents.
inline Documents read_part(std::shared_ptr<const lang::Source> source, runtime::LoadResult loaded) {
  auto impl = std::make_shared<Documents::Impl>();
  impl->source = std::move(source);
  impl->loaded = std::move(loaded);
  Documents documents;
  documents.impl = std::move(impl);
  return documents;
}

// Touches every string of a report, so that what was built is also read (ASan sees it).
inline size_t consume(const Report& report) {
  size_t total = report.errors.size() + report.not_objects.size();
  for (const ObjectResult& r : report.results) {
    for (const auto* list : {&r.violations, &r.warnings}) {
      for (const Violation& v : *list) total += v.reason.size() + v.detail.size() + v.locations.size();
      total += message(by_policy(*list).empty() ? std::span<const Violation>() : by_policy(*list).front()).size();
    }
  }
  for (const Error& e : report.errors) total += e.rendered.size();
  return total;
}

// The built-in profile, compiled once per process.
inline const Policy& restricted() {
  static const Compiled compiled = Engine().compile_profile();
  return *compiled.policy;
}

// The evaluation every document harness runs: the built-in profile alone, then with the
// namespace labels the documents themselves carry and with a fixed set of labels.
inline void evaluate(const Documents& documents) {
  volatile size_t sink = consume(restricted().evaluate(documents));
  Admission admission;
  admission.add_namespaces(documents);
  admission.add_namespaces(Documents::parse(
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fuzz\n  labels:\n"
      "    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: restricted\n",
      "namespace.yaml"));
  sink = sink + consume(restricted().evaluate(documents, &admission));
  (void)sink;
}

}  // namespace pol::fuzz
