// SPDX-License-Identifier: Apache-2.0
// Reads and evaluates the CLI's inputs on all cores, with the shared compiled policy (immutable,
// thread-safe). With fewer inputs than cores, each input is cut in parts (FileParts) that are
// read, evaluated and freed on all cores; with more, each input is read on a core. Either way
// every Namespace object of the run is read before any pod is evaluated, since it may set the
// levels of pods anywhere in the run. Reports are merged in input order, so the output does not
// depend on scheduling.
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
