// SPDX-License-Identifier: Apache-2.0
// The type of a YAML scalar, decided exactly as Kubernetes decides it: go-yaml v2's resolve()
// (YAML 1.1 booleans `yes`/`on`/`y`, octal `0644`, `_` in numbers, Go's number syntax; a
// number that overflows stays a string) and sigs.k8s.io/yaml's conversion of keys to text
// (`007:` is "7", `yes:` is "true", `1e3:` is "1000"; a null key is an error).
#pragma once

#include <string>
#include <string_view>

#include "runtime/document.hpp"

namespace pol::runtime {

enum class ScalarStyle : uint8_t { Plain, Quoted };  // block scalars are Quoted: always text

struct TypedScalar {
  Node node;          // Null, Bool, Int, Float or String (String: `text` is the value)
  bool merge = false;  // the merge key `<<`
  std::string error;  // a tag that does not fit the text (`!!int 1.5`)
};

// Types `text`, given its style and tag ("" when it has none). A String node is returned
// without its characters: the caller stores them.
TypedScalar type_scalar(std::string_view text, ScalarStyle style, std::string_view tag);

// The text of a scalar map key, as JSON carries it; an error message when Kubernetes cannot
// use it as a key (null, an integer above INT64_MAX).
struct KeyText {
  std::string text;
  std::string error;
};
KeyText key_text(const Node& key);

}  // namespace pol::runtime
