// SPDX-License-Identifier: Apache-2.0
// The floor: restricted:latest's decisions hand-written in C++ over the same document model the
// interpreter reads. It answers only which checks fail (no messages, no locations); the
// benchmark compares the interpreter's cost per pod with it, and first verifies on the whole
// corpus that both fail the same checks.
#pragma once

#include <vector>

#include "runtime/workload.hpp"

namespace pol::bench {

// The ids of the checks restricted:latest fails for `pod`, in the interpreter's order.
std::vector<const char*> restricted_floor(const runtime::PodView& pod);

}  // namespace pol::bench
