// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the unit tests: compile pol text, read YAML text.
#pragma once

#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "lang/checker.hpp"
#include "lang/loader.hpp"
#include "runtime/builtins/registry.hpp"
#include "runtime/document.hpp"

namespace pol::test {

inline std::shared_ptr<const lang::Source> source(std::string text, std::string name = "test.pol") {
  return std::make_shared<const lang::Source>(std::move(name), std::move(text));
}

// Compiles pol text; on failure returns null and leaves the rendered diagnostics in `errors`.
// `optimize`: as lang::check, off to see the checker's own lowering.
inline std::unique_ptr<runtime::Program> compile(const std::string& text, std::string* errors = nullptr,
                                                 bool optimize = true) {
  lang::Diagnostics diagnostics;
  auto modules = lang::load_modules(source(text), lang::file_resolver("", 16 << 20), diagnostics);
  std::unique_ptr<runtime::Program> program;
  if (!diagnostics.has_errors()) program = lang::check(modules, diagnostics, runtime::Value::list({}), nullptr, optimize);
  diagnostics.sort();
  if (errors) *errors = diagnostics.render();
  return program;
}

// Calls a builtin by name, as the interpreter does.
inline runtime::Value call(const char* name, std::vector<runtime::Value> args) {
  const runtime::Builtin* b = runtime::builtins().find(name);
  REQUIRE(b);
  REQUIRE(args.size() == b->params.size());
  return runtime::call_builtin(*b, args.data());
}

inline runtime::LoadResult yaml(std::string text) { return runtime::read_yaml(source(std::move(text), "doc.yaml")); }
inline runtime::LoadResult json(std::string text) { return runtime::read_json(source(std::move(text), "doc.json")); }

}  // namespace pol::test
