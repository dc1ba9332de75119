// SPDX-License-Identifier: Apache-2.0
// What the checker resolved, kept when asked (lang::check's `symbols`): each name, call and
// field read at its place, with where it is defined or the schema's shape of it. The language
// server (lsp/) answers hover, go-to-definition and completion from it.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "lang/source.hpp"
#include "runtime/schema.hpp"

namespace pol::lang {

enum class SymbolKind { Local, Constant, Parameter, Function, Builtin, Global, Field };

struct SymbolUse {
  SymbolKind kind = SymbolKind::Local;
  std::string name;
  std::shared_ptr<const Source> source;  // the use
  Span span;
  std::shared_ptr<const Source> definition_source;  // Local, Constant, Parameter, Function
  Span definition;
  const runtime::schema::Shape* shape = nullptr;   // a document value's shape, when known
  const runtime::schema::Shape* object = nullptr;  // Field: the object it is read from
};

// A local name as bound (let, parameter, comprehension or quantifier variable, each).
struct SymbolDefinition {
  std::string name;
  std::shared_ptr<const Source> source;
  Span span;
};

struct Symbols {
  std::vector<SymbolUse> uses;
  std::vector<SymbolDefinition> locals;
  std::deque<runtime::schema::Shape> shapes;  // the checker's own shapes (lists it built) that uses point to
};

}  // namespace pol::lang
