// SPDX-License-Identifier: Apache-2.0
// The admission request as policies see it: `request`, `old_object`, `namespace_object`,
// `namespace`, and `object`/`metadata` with the namespace the request gives them. From an
// AdmissionReview the values are its request's; for a plain manifest pol makes the request
// kubectl would send (RequestDefaults: CREATE, the --user, --group and --namespace given).
#pragma once

#include "runtime/value.hpp"
#include "runtime/workload.hpp"

namespace pol::runtime {

// A plain manifest (no AdmissionReview) is judged as the request `defaults` describes: its
// namespace, when the object names none, and its user.
void judge_as(PodView& pod, const RequestDefaults* defaults);
// `pod`, read again from a changed tree (a grant's or a mutation's), keeps the request `from`
// was judged as, and its Namespace object.
void inherit_request(PodView& pod, const PodView& from);

// AdmissionReview v1's `request`: uid, kind, resource, subResource, name, namespace, operation,
// userInfo {username, uid, groups, extra}, object, oldObject, dryRun, options.
Value request_value(const PodView& pod);

// The object, and the pod's metadata, as the API server stores them: an object without
// metadata.namespace gets the request's namespace, as on creation.
Value object_value(const PodView& pod);
Value metadata_value(const PodView& pod);

// The pod's namespace: the object's, else the request's; null when neither says.
Value namespace_value(const PodView& pod);

}  // namespace pol::runtime
