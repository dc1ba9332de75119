// SPDX-License-Identifier: Apache-2.0
// The public interface over lang (compile) and runtime (documents, interpreter).
#include "pol/pol.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "lang/checker.hpp"
#include "lang/loader.hpp"
#include "lang/stdlib.hpp"
#include "runtime/document.hpp"
#include "runtime/interpreter.hpp"
#include "runtime/workload.hpp"

namespace pol {

struct Documents::Impl {
  std::shared_ptr<const lang::Source> source;
  runtime::LoadResult loaded;
  std::vector<Error> errors;
};

struct Policy::Impl {
  struct Part {
    std::unique_ptr<runtime::Program> program;
    std::unique_ptr<runtime::Interpreter> interpreter;
  };
  std::string name;  // the first part's, or the profile's label
  std::vector<Part> parts;
};

namespace {

// The root of the built-in Pod Security Standards: restricted imports baseline, and the
// profile's level selects the checks.
constexpr const char* profile_module = "std/pss/restricted.pol";

// A document-side error, rendered like a policy diagnostic when its position is known.
Error document_error(const std::shared_ptr<const lang::Source>& source, std::string name, uint32_t document,
                     uint32_t line, uint32_t column, std::string message) {
  Error error{std::move(name), document, line, column, std::move(message), {}};
  if (source && line > 0) {
    const uint32_t offset = source->offset({line, column});
    error.rendered = lang::Diagnostic{lang::Severity::Error, source, {offset, offset}, error.message, {}}.render();
  } else {
    error.rendered = fmt::format("{}: error: {}\n", error.source, error.message);
  }
  return error;
}

Documents make_documents(std::shared_ptr<const lang::Source> source) {
  auto impl = std::make_shared<Documents::Impl>();
  impl->source = source;
  impl->loaded = runtime::read_document_stream(source);
  for (const runtime::LoadError& e : impl->loaded.errors) {
    impl->errors.push_back(document_error(source, e.source, e.document, e.line, e.column, e.message));
  }
  Documents documents;
  documents.impl = std::move(impl);
  return documents;
}

Diagnostic public_diagnostic(const lang::Diagnostic& d) {
  const lang::LineColumn at = d.location();
  return Diagnostic{d.source ? d.source->name() : "", at.line, at.column, d.message, d.render()};
}

// Compiles each source into one part of a Policy; the policy exists only if every part compiles.
Compiled compile(const std::vector<std::shared_ptr<const lang::Source>>& sources, const Options& options,
                 Compiled compiled = {}) {
  const std::optional<runtime::Profile> profile = runtime::parse_profile(options.profile);
  if (!profile) {
    compiled.diagnostics.push_back({"", 0, 0, fmt::format("invalid profile '{}'", options.profile),
                                    fmt::format("error: invalid profile '{}'\n", options.profile)});
    return compiled;
  }
  auto impl = std::make_shared<Policy::Impl>();
  bool failed = !compiled.diagnostics.empty();
  for (const auto& source : sources) {
    lang::Diagnostics diagnostics;
    const std::vector<lang::Module> modules = lang::load_modules(source, lang::file_resolver(), diagnostics);
    std::unique_ptr<runtime::Program> program = diagnostics.has_errors() ? nullptr : lang::check(modules, diagnostics);
    diagnostics.sort();
    for (const lang::Diagnostic& d : diagnostics.items()) compiled.diagnostics.push_back(public_diagnostic(d));
    if (!program) {
      failed = true;
      continue;
    }
    // The built-in profile speaks as Pod Security Admission does: "restricted:v1.28".
    const std::string label = source->name().starts_with("std/") ? profile->label() : program->name;
    auto interpreter = std::make_unique<runtime::Interpreter>(*program, *profile, label);
    impl->parts.push_back({std::move(program), std::move(interpreter)});
  }
  if (failed || impl->parts.empty()) return compiled;
  impl->name = impl->parts.front().interpreter->policy_label();
  auto policy = std::make_shared<Policy>();
  policy->impl = std::move(impl);
  compiled.policy = std::move(policy);
  return compiled;
}

}  // namespace

Documents Documents::parse(std::string text, std::string source_name) {
  return make_documents(std::make_shared<const lang::Source>(std::move(source_name), std::move(text)));
}

Documents Documents::read_file(const std::string& path) {
  const bool stdin = path == "-";
  const std::string name = stdin ? "<stdin>" : path;
  std::string error;
  std::shared_ptr<const lang::Source> source =
      lang::Source::from_file(stdin ? "/dev/stdin" : path, error, runtime::LoadLimits{}.max_bytes, name);
  if (!source) {
    auto impl = std::make_shared<Impl>();
    impl->errors.push_back(document_error(nullptr, name, 0, 0, 0, "cannot read: " + error));
    Documents documents;
    documents.impl = std::move(impl);
    return documents;
  }
  return make_documents(std::move(source));
}

size_t Documents::size() const { return impl ? impl->loaded.documents.size() : 0; }
const std::vector<Error>& Documents::errors() const { return impl->errors; }

const std::string& Policy::name() const { return impl->name; }

namespace {

void convert(const std::vector<runtime::Violation>& from, std::vector<Violation>& to) {
  for (const runtime::Violation& v : from) {
    Violation out{v.policy, v.check, v.reason, v.detail, {}};
    for (const runtime::Location& l : v.locations) out.locations.push_back({l.container, l.path, l.line, l.column});
    to.push_back(std::move(out));
  }
}

}  // namespace

Report Policy::evaluate(const Documents& documents) const {
  Report report;
  report.errors = documents.errors();
  for (const runtime::Document& document : documents.impl->loaded.documents) {
    const std::string& source = document.source->name();
    runtime::Contents contents = runtime::read_objects(document.root);
    report.skipped += contents.skipped;
    for (const runtime::ObjectError& e : contents.errors) {
      const std::string path = runtime::locate(document.root, e.at).path;
      report.errors.push_back(document_error(document.source, source, document.index, e.at->line, e.at->column,
                                             path.empty() ? e.message : path + ": " + e.message));
    }
    for (const runtime::PodView& pod : contents.pods) {
      ObjectResult object;
      object.source = source;
      object.document = document.index;
      object.line = pod.object->line;
      object.column = pod.object->column;
      object.api_version = std::string(pod.api_version);
      object.kind = std::string(pod.kind);
      object.namespace_name = std::string(pod.namespace_name);
      object.name = std::string(pod.name);
      for (const Impl::Part& part : impl->parts) {
        const runtime::Result result = part.interpreter->evaluate(document, pod);
        convert(result.violations, object.violations);
        convert(result.warnings, object.warnings);
        for (const runtime::EvaluationError& e : result.errors) {
          const runtime::Node* at = e.culprit ? e.culprit : pod.object;
          Error error = document_error(document.source, source, document.index, at->line, at->column,
                                       fmt::format("check '{}' failed: {}", e.check, e.message));
          error.rendered += e.policy_note;
          report.errors.push_back(std::move(error));
        }
      }
      report.results.push_back(std::move(object));
    }
  }
  // Reading errors come first from the reader; list all errors in document order.
  std::stable_sort(report.errors.begin(), report.errors.end(), [](const Error& a, const Error& b) {
    return a.document < b.document;
  });
  return report;
}

Engine::Engine(Options options) : options_(std::move(options)) {}

Compiled Engine::compile_file(const std::string& path) const { return compile_files({path}); }

Compiled Engine::compile_files(const std::vector<std::string>& paths) const { return compile_sources(false, paths); }

Compiled Engine::compile_profile(const std::vector<std::string>& paths) const { return compile_sources(true, paths); }

Compiled Engine::compile_sources(bool with_profile, const std::vector<std::string>& paths) const {
  Compiled compiled;
  std::vector<std::shared_ptr<const lang::Source>> sources;
  if (with_profile) sources.push_back(lang::stdlib_source(profile_module));
  for (const std::string& path : paths) {
    std::string error;
    if (auto source = lang::Source::from_file(path, error)) {
      sources.push_back(std::move(source));
    } else {
      compiled.diagnostics.push_back(
          {path, 0, 0, "cannot read: " + error, fmt::format("{}: error: cannot read: {}\n", path, error)});
    }
  }
  return compile(sources, options_, std::move(compiled));
}

Compiled Engine::compile_string(const std::string& source_name, std::string text) const {
  return compile({std::make_shared<const lang::Source>(source_name, std::move(text))}, options_);
}

const char* version() { return POL_VERSION; }

}  // namespace pol
