// SPDX-License-Identifier: Apache-2.0
// The checker: resolves every name (locals, constants, functions, builtins, document globals),
// checks arity, duplicate ids and the types it can see before a document is read, folds
// constants, and lowers the modules into a runtime::Program. It reports every error it finds
// in one pass; a Program is returned only when there are none.
#pragma once

#include <memory>
#include <vector>

#include "lang/ast.hpp"
#include "lang/symbols.hpp"
#include "lang/diagnostic.hpp"
#include "runtime/document.hpp"
#include "runtime/program.hpp"

namespace pol::lang {

// `modules` in dependency order, the policy's own module last (as load_modules returns them).
// `exceptions` is the value of the constant of that name: the documents of the run's
// exception files (`pol check --exceptions`), a list, empty without any. `params` is the map
// of the run's parameter values (`--params FILE`), or null: errors in it are located there.
// `optimize`: rewrite the program to do less per document (runtime/optimizer.hpp); off only to
// compare the answers of both forms. `symbols`, when given, receives what each name resolved to.
std::unique_ptr<runtime::Program> check(const std::vector<Module>& modules, Diagnostics& diagnostics,
                                        runtime::Value exceptions = runtime::Value::list({}),
                                        const runtime::Document* params = nullptr, bool optimize = true,
                                        Symbols* symbols = nullptr);

// Names every policy can read without declaring them, for docs and suggestions.
const std::vector<std::string>& document_globals();

}  // namespace pol::lang
