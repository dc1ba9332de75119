// SPDX-License-Identifier: Apache-2.0
// Parses one .pol source into a Module. PEGTL builds a parse tree (which discards the nodes of
// alternatives that backtrack), and the tree is then turned into the AST. A syntax error becomes
// a Diagnostic at the byte where the parse could not go on; the parser stops at the first one.
#pragma once

#include <memory>
#include <cstdint>
#include <optional>

#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"

namespace pol::lang {

// `max_nesting`: how deeply expressions may nest (Limits::nesting); deeper is a syntax error.
std::optional<Module> parse(std::shared_ptr<const Source> source, Diagnostics& diagnostics, uint32_t max_nesting = 64);

}  // namespace pol::lang
