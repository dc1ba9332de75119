// SPDX-License-Identifier: Apache-2.0
// Engine: compiles policy files (and the built-in profile) into an immutable Policy.
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "api/internal.hpp"
#include "jit/jit.hpp"
#include "lang/checker.hpp"
#include "lang/loader.hpp"
#include "lang/stdlib.hpp"
#include "lang/suggest.hpp"

namespace pol {

namespace {

std::string today() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

// The root of the built-in Pod Security Standards: restricted imports baseline, and the
// profile's level selects the checks.
constexpr const char* profile_module = "std/pss/restricted.pol";

Diagnostic public_error(const Error& e) { return {e.source, e.line, e.column, e.message, e.rendered}; }

// Compiles each source into one part of a Policy; the policy exists only if every part compiles.
Compiled compile(const std::vector<std::shared_ptr<const lang::Source>>& sources, const Options& options,
                 Compiled compiled = {}) {
  const std::optional<runtime::Profile> profile = runtime::parse_profile(options.profile);
  if (!profile) {
    compiled.diagnostics.push_back({"", 0, 0, fmt::format("invalid profile '{}'", options.profile),
                                    fmt::format("error: invalid profile '{}'\n", options.profile)});
    return compiled;
  }
  // The exception files' documents: the constant `exceptions` of every part.
  std::vector<Documents> exception_files;
  std::vector<runtime::Value> exceptions;
  compiled.files.insert(compiled.files.end(), options.exceptions.begin(), options.exceptions.end());
  for (const std::string& path : options.exceptions) {
    Documents documents = Documents::read_file(path);
    for (const Error& e : documents.errors()) {
      compiled.diagnostics.push_back({e.source, e.line, e.column, e.message, e.rendered});
    }
    for (const runtime::Document& d : documents.impl->loaded.documents) exceptions.push_back(runtime::Value::node(d.root));
    exception_files.push_back(std::move(documents));
  }
  // The parameters' values: one map, or nothing.
  const runtime::Document* params = nullptr;
  if (options.params.impl) {
    for (const Error& e : options.params.errors()) {
      compiled.diagnostics.push_back({e.source, e.line, e.column, e.message, e.rendered});
    }
    const auto& documents = options.params.impl->loaded.documents;
    if (documents.size() > 1 || (documents.size() == 1 && documents[0].root->kind != runtime::NodeKind::Map)) {
      const runtime::Node* at = documents.size() > 1 ? documents[1].root : documents[0].root;
      const std::string name = documents[0].source->name();
      compiled.diagnostics.push_back(public_error(document_error(documents[0].source, name, 0, at->line, at->column,
                                                                 "parameters are one map: NAME: VALUE")));
    } else if (documents.size() == 1) {
      params = &documents[0];
    }
  }
  auto impl = std::make_shared<Policy::Impl>();
  bool failed = !compiled.diagnostics.empty();
  // Every source with its modules (imports resolved), then each compiled into one part.
  struct Loaded {
    std::shared_ptr<const lang::Source> source;
    lang::Diagnostics diagnostics;
    std::vector<lang::Module> modules;
  };
  std::vector<Loaded> loaded;
  for (const auto& source : sources) {
    Loaded& part = loaded.emplace_back();
    part.source = source;
    const std::string folder = std::filesystem::path(source->name()).parent_path().string();
    part.modules = lang::load_modules(source, lang::file_resolver(folder, options.limits.policy_bytes),
                                      part.diagnostics, options.limits.nesting);
    for (const lang::Module& module : part.modules) {
      if (!module.source->name().starts_with("std/") && module.source != source) compiled.files.push_back(module.source->name());
    }
  }
  // A policy that imports the Pod Security Standards already runs them: with --profile too,
  // every check would run twice (messages repeated, a pod both denied and exempted). The
  // profile then only selects the level and version; its checks run once, in the policy.
  const auto imports_standards = [](const Loaded& part) {
    return std::any_of(part.modules.begin(), part.modules.end(), [](const lang::Module& module) {
      return module.source->name() == profile_module || module.source->name() == "std/pss/baseline.pol";
    });
  };
  if (loaded.size() > 1 && loaded.front().source->name() == profile_module &&
      std::any_of(loaded.begin() + 1, loaded.end(), imports_standards)) {
    loaded.erase(loaded.begin());
  }
  // A parameter no policy declares is a typo, not a value to drop.
  if (params) {
    std::vector<std::string> declared;
    for (const Loaded& part : loaded) {
      for (const lang::Module& module : part.modules) {
        for (const lang::ParamDecl& param : module.params) declared.push_back(param.name);
      }
    }
    const runtime::Node* map = params->root;
    for (uint32_t i = 0; i < map->size; ++i) {
      const std::string_view key = map->members[i].key();
      if (std::find(declared.begin(), declared.end(), key) != declared.end()) continue;
      const std::optional<std::string> near = lang::closest(std::string(key), declared);
      // At the key: on the value's line, before the value (block style; a flow map may differ).
      const runtime::Node& value = map->members[i].value;
      const size_t in_line = params->source->line_text(value.line).find(key);
      const uint32_t column = in_line != std::string_view::npos && in_line + 1 < value.column
                                  ? lang::count_characters(params->source->line_text(value.line).substr(0, in_line)) + 1
                                  : value.column;
      compiled.diagnostics.push_back(public_error(document_error(
          params->source, params->source->name(), 0, value.line, column,
          fmt::format("no policy has a parameter '{}'{}", key, near ? fmt::format("; did you mean '{}'?", *near) : ""))));
      failed = true;
    }
  }
  for (Loaded& part : loaded) {
    const std::shared_ptr<const lang::Source>& source = part.source;
    lang::Diagnostics& diagnostics = part.diagnostics;
    const std::vector<lang::Module>& modules = part.modules;
    std::unique_ptr<runtime::Program> program =
        diagnostics.has_errors() ? nullptr
                                 : lang::check(modules, diagnostics, runtime::Value::list(exceptions), params, !options.explain);
    for (const Documents& file : exception_files) {
      if (program) program->keep_alive(file.impl);
    }
    if (program && params) program->keep_alive(options.params.impl);  // parameter values are views of it
    diagnostics.sort();
    for (const lang::Diagnostic& d : diagnostics.items()) compiled.diagnostics.push_back(public_diagnostic(d));
    if (!program) {
      failed = true;
      continue;
    }
    program->limits = {options.limits.steps, options.limits.value_bytes, options.limits.call_depth};
    // The built-in profile speaks as Pod Security Admission does: "restricted:v1.28".
    const std::string label = source->name().starts_with("std/") ? profile->label() : program->name;
    const bool jit = options.backend == Options::Backend::Jit && jit::available() && !options.explain;
    std::string jit_error;
    auto interpreter = Policy::Impl::interpreter(*program, *profile, label, jit, jit_error);
    if (!jit_error.empty()) {
      Diagnostic warning;
      warning.file = source->name();
      warning.warning = true;
      warning.message = "the JIT failed (" + jit_error + "): the interpreter evaluates every check";
      warning.rendered = source->name() + ": warning: " + warning.message + "\n";
      compiled.diagnostics.push_back(std::move(warning));
    }
    impl->jit = jit;
    auto mutator = std::make_unique<runtime::Mutator>(*program, *profile, &impl->request);
    impl->parts.push_back(
        {std::move(program), std::move(interpreter), source->name().starts_with("std/"), std::move(mutator)});
  }
  if (failed || impl->parts.empty()) return compiled;
  impl->name = impl->parts.front().interpreter->policy_label();
  impl->profile = *profile;
  impl->today = options.today.empty() ? today() : options.today;
  impl->strict = options.strict;
  impl->on_error_allow = options.on_error_allow;
  impl->explain = options.explain;
  if (options.backend == Options::Backend::Jit && !jit::available()) {
    Diagnostic warning;
    warning.warning = true;
    warning.message = "this pol was built without the JIT (LLVM 19): the interpreter evaluates every check";
    warning.rendered = "warning: " + warning.message + "\n";
    compiled.diagnostics.push_back(std::move(warning));
  }
  impl->request = {options.request.operation, options.request.user, options.request.groups,
                   options.request.namespace_name};
  auto policy = std::make_shared<Policy>();
  policy->impl = std::move(impl);
  compiled.policy = std::move(policy);
  return compiled;
}

}  // namespace

Engine::Engine(Options options) : options_(std::move(options)) {}

Compiled Engine::compile_file(const std::string& path) const { return compile_files({path}); }

Compiled Engine::compile_files(const std::vector<std::string>& paths) const { return compile_sources(false, paths); }

Compiled Engine::compile_profile(const std::vector<std::string>& paths) const { return compile_sources(true, paths); }

Compiled Engine::compile_sources(bool with_profile, const std::vector<std::string>& paths) const {
  Compiled compiled;
  std::vector<std::shared_ptr<const lang::Source>> sources;
  if (with_profile) sources.push_back(lang::stdlib_source(profile_module));
  for (const std::string& path : paths) {
    compiled.files.push_back(path);  // watched even when it cannot be read yet
    std::string error;
    if (auto source = lang::Source::from_file(path, error, options_.limits.policy_bytes)) {
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

Diagnostic public_diagnostic(const lang::Diagnostic& d) {
  const lang::LineColumn at = d.location();
  const lang::LineColumn end = d.source ? d.source->location(std::max(d.span.begin, d.span.end)) : lang::LineColumn{};
  return Diagnostic{d.source ? d.source->name() : "", at.line,  at.column,
                    d.message, d.render(), d.severity == lang::Severity::Warning, end.line, end.column, d.notes};
}

}  // namespace pol
