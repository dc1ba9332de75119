// SPDX-License-Identifier: Apache-2.0
// Reads and evaluates the CLI's inputs on all cores, with the shared compiled policy (immutable,
// thread-safe). Every input's text is read first, and cut in parts of about 1 MiB (FileParts: a
// YAML stream at `---` lines, a JSON array between items; a small file is one part); the parts
// are then read, evaluated and freed on all cores, so memory holds the texts and the parts at
// work. The parts that may hold a Namespace object are read before any pod is evaluated, since
// one may set the levels of pods anywhere in the run. Reports are merged in input order, so the
// output does not depend on scheduling.
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
