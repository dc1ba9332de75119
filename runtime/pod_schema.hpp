// SPDX-License-Identifier: Apache-2.0
// Documents checked against the Kubernetes schema (schema.hpp): PodSpec and ObjectMeta in
// full, inside pol's wrapper of each kind. An object whose known fields have the wrong type
// (`containers: 5`, a container that is a string) is rejected by the API server, so it is
// reported as an error, never evaluated. Unknown fields and nulls (unset) are accepted.
#pragma once

#include <optional>

#include "runtime/workload.hpp"

namespace pol::runtime {

// The first field of the pod's metadata or spec whose type does not match the API.
std::optional<ObjectError> check_pod_schema(const PodView& pod);

}  // namespace pol::runtime
