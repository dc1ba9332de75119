// SPDX-License-Identifier: Apache-2.0
// `pol fmt`: the one layout of a .pol source. Line breaks are the author's (as gofmt keeps them;
// pol never joins or splits a line); everything else is decided by the parse:
//   - indentation: 2 spaces per block ({ } of a check, fn, mutation, grant, if, each); a rule's
//     reason/detail/at clause 2 more; a line that continues a statement 2 more than it; a line
//     inside a bracket that an earlier line opened, 2 more than that line (the line that
//     starts with its closer, as much); a comment line as the code after it;
//   - one space between tokens, none inside ( ) [ ] and map braces, before , : . or a call's or
//     index's bracket, nor after a unary minus; two before a comment that ends a line;
//   - at most one blank line, none after a block opens, before it closes, or at either end.
// Tokens and comments are written as they are, so the result parses to the same AST; it is a
// fixed point (format(format(x)) == format(x)).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "lang/diagnostic.hpp"
#include "lang/source.hpp"

namespace pol::lang {

// The formatted text, or nullopt with the syntax error in `diagnostics`.
std::optional<std::string> format(const std::shared_ptr<const Source>& source, Diagnostics& diagnostics);

}  // namespace pol::lang
