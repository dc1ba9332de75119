// SPDX-License-Identifier: Apache-2.0
// Reads and evaluates the CLI's inputs on all cores. First every input is read (in parallel;
// with fewer inputs than cores, each in parts: Documents::read_file_parts), so that Namespace
// objects anywhere in the run can set the levels of their pods; then every input or part is
// evaluated with the shared compiled policy (immutable, thread-safe). Reports are merged in
// input order, so the output does not depend on scheduling.
#pragma once

#include <string>
#include <vector>

#include "pol/pol.hpp"

namespace pol::cli {

enum class ProgressMode { Auto, Always, Never };

// Auto shows progress on stderr only when it is a terminal and the run has 1,000 inputs or more.
// With `mutate`, each document is mutated by the policy first and the checks see the result.
Report evaluate_inputs(const Policy& policy, Admission& admission, const std::vector<std::string>& inputs,
                       ProgressMode progress, bool mutate = false);

}  // namespace pol::cli
