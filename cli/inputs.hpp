// SPDX-License-Identifier: Apache-2.0
// Turns the PATH arguments of the CLI into the list of sources to read: files as given,
// directories searched recursively for *.yaml, *.yml and *.json (sorted, so runs are
// reproducible), and `-` for standard input. No PATH means standard input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pol::cli {

// `suffix` picks the files taken from directories (default: manifests); files named
// explicitly are always taken.
std::vector<std::string> list_inputs(const std::vector<std::string>& paths, std::string_view suffix = "");

}  // namespace pol::cli
