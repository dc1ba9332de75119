// SPDX-License-Identifier: Apache-2.0
// Turns the PATH arguments of the CLI into parsed document sources: files, directories (searched
// recursively for *.yaml, *.yml and *.json, in sorted order) and `-` for standard input.
#pragma once

#include <string>
#include <vector>

#include "pol/pol.hpp"

namespace pol::cli {

std::vector<Documents> read_inputs(const std::vector<std::string>& paths);

}  // namespace pol::cli
