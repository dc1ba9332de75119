// SPDX-License-Identifier: Apache-2.0
// "Did you mean ...?": the candidate nearest to a misspelt name, by edit distance, when it is
// near enough to be a typo (at most a third of the name's letters differ).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pol::lang {

std::optional<std::string> closest(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace pol::lang
