// SPDX-License-Identifier: Apache-2.0
// The shapes of the Kubernetes objects pol knows, read from the vendored JSON Schema for PodSpec
// (schema/kubernetes/podspec-v1.json, embedded at build time, parsed once on first use). One
// source of truth for both users of it: the document check (pod_schema.hpp) rejects a pod whose
// known fields have the wrong type, and the checker types the paths a policy reads, so that a
// misspelt field is a compile error instead of a silent null.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pol::runtime::schema {

enum class Kind : uint8_t {
  Any,          // free-form: anything goes
  Bool,
  Int,
  Number,
  String,
  IntOrString,  // intstr.IntOrString: ports of probes, ...
  Quantity,     // resource.Quantity: "500m", 2, 1.5
  Object,       // named fields
  Map,          // any key, every value of `element`'s shape (labels, resources.limits)
  List,         // items of `element`'s shape
};

struct Shape {
  Kind kind = Kind::Any;
  std::string name;  // Objects: the Kubernetes type ("SecurityContext"), for messages
  std::vector<std::pair<std::string, const Shape*>> fields;  // Object: sorted by name
  bool open = false;               // Object: fields beyond `fields` are allowed (pol's wrappers)
  const Shape* element = nullptr;  // List: an item; Map: a value
  std::vector<std::string> values;  // String: the allowed values, when the API has a closed set
  std::string description;          // the API's words for the field of this shape (editors' hover)

  // Object: an open-addressed table of `fields` by their names' Member::shape (set by
  // sort_fields), so that typing a document's member takes a probe or two, not a scan.
  struct FieldSlot {
    uint64_t key = 0;     // Member::shape of the field's name
    uint32_t index = 0;   // in `fields`, plus one (0: an empty slot)
  };
  std::vector<FieldSlot> field_table;  // a power of two in size, at most half full

  const Shape* field(std::string_view field_name) const;
  // The same, given the name's Member::shape (a document's member keeps it). Inline: every
  // field of every document read is typed through it.
  const Shape* field(std::string_view field_name, uint64_t key) const {
    const size_t size = field_table.size();
    if (size == 0) return nullptr;
    for (size_t slot = first_field_slot(key, size);; slot = (slot + 1) & (size - 1)) {
      const FieldSlot& entry = field_table[slot];
      if (entry.index == 0) return nullptr;
      if (entry.key == key && fields[entry.index - 1].first == field_name) return fields[entry.index - 1].second;
    }
  }
  // Where a probe for `key` starts in a table of `size` slots (a power of two): the key's bits
  // mixed (Fibonacci hashing), as its length and edge bytes alone cluster.
  static size_t first_field_slot(uint64_t key, size_t size) {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & (size - 1);
  }
  std::vector<std::string> field_names() const;
  void sort_fields();  // after `fields` are filled
};

// "a boolean", "a list of Container", "an object (SecurityContext)": what a message says a
// value of this shape is.
std::string noun(const Shape& shape);

const Shape& pod_spec();
const Shape& object_meta();
// An element of `all_containers`: Container, EphemeralContainer (a superset) for typing.
const Shape& any_container();
// The global `object`: whatever the kind, it has apiVersion, kind and metadata.
const Shape& any_object();
// AdmissionReview v1's request (k8s.io/api/admission/v1 AdmissionRequest), the global `request`.
const Shape& admission_request();
// The whole object of a kind that carries a pod spec (Pod, Deployment, CronJob, ...), for the
// document check: pol's wrappers around PodSpec and ObjectMeta, open to their other fields.
const Shape& workload(std::string_view kind);

}  // namespace pol::runtime::schema
