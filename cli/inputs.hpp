// SPDX-License-Identifier: Apache-2.0
// Turns the PATH arguments of the CLI into the list of sources to read: files as given,
// directories searched recursively for *.yaml, *.yml and *.json (sorted, so runs are
// reproducible), and `-` for standard input. No PATH means standard input.
#pragma once

#include <string>
#include <vector>

namespace pol::cli {

std::vector<std::string> list_inputs(const std::vector<std::string>& paths);

}  // namespace pol::cli
