// SPDX-License-Identifier: Apache-2.0
// A module's AST as text, without source positions: two sources with the same text here mean
// the same thing. `pol fmt` must keep it; its tests and the policy fuzzer compare it.
#pragma once

#include <string>

#include "lang/ast.hpp"

namespace pol::lang {

std::string ast_text(const Module& module);

}  // namespace pol::lang
