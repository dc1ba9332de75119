// SPDX-License-Identifier: Apache-2.0
// A unified diff of two texts, line by line (Myers' algorithm, 3 lines of context), as
// `diff -u` prints it: what `pol fmt --check` shows for a file that is not formatted.
#pragma once

#include <string>
#include <string_view>

namespace pol::cli {

// Empty when the texts are equal. `name` labels both sides, so `patch -p0` applies it.
std::string unified_diff(std::string_view before, std::string_view after, std::string_view name);

}  // namespace pol::cli
