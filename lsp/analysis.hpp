// SPDX-License-Identifier: Apache-2.0
// What the language server knows of one open document: its text compiled as `pol compile`
// compiles it (imports from disk, its NAME.params.yaml when there is one), with the checker's
// symbols kept; and the answers drawn from that: hover, go to definition, completion.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"
#include "lang/symbols.hpp"

namespace pol::lsp {

struct Analysis {
  std::shared_ptr<const lang::Source> source;  // the document
  std::vector<lang::Module> modules;           // it last, after what it imports
  lang::Diagnostics diagnostics;
  lang::Symbols symbols;
};

std::unique_ptr<Analysis> analyze(const std::string& path, std::string text);

// Markdown for the name, call, field or import at `offset`.
std::optional<std::string> hover(const Analysis& analysis, uint32_t offset);

struct Target {
  std::string path;                            // a file on disk
  std::shared_ptr<const lang::Source> source;  // null: the file's start
  lang::Span span;
};
// Where the name, call, import or replaced check at `offset` is defined.
std::optional<Target> definition(const Analysis& analysis, uint32_t offset);

struct Completion {
  std::string label;
  int kind = 0;  // LSP CompletionItemKind
  std::string detail;
  std::string documentation;
};
// At `offset` of `text`: after `.`, the fields of the document value before it; elsewhere the
// builtins, document globals, declarations, the locals bound before it in its declaration, and
// keywords.
std::vector<Completion> complete(const std::string& path, std::string_view text, uint32_t offset);

}  // namespace pol::lsp
