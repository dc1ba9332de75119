// SPDX-License-Identifier: Apache-2.0
// `pol fmt [--check] [PATH...]`: policies in pol's one layout (lang/format.hpp).
#pragma once

#include <string>
#include <vector>

namespace pol::cli {

// Files are rewritten in place (their names printed), `-` or no PATH formats standard input to
// standard output; directories give their *.pol files. `check`: write nothing, print a diff for
// each file that is not formatted. Returns 0, 1 (check: some file not formatted) or 2 (a file
// could not be read or parsed; the others are still done).
int run_fmt(const std::vector<std::string>& paths, bool check);

}  // namespace pol::cli
