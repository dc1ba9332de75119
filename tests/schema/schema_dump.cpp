// SPDX-License-Identifier: Apache-2.0
// Prints every path of pol's PodSpec shape, one per line: `path kind`. tests/schema/compare.py
// compares it with an independent walk of the vendored JSON Schema.
#include <cstdio>
#include <string>

#include "runtime/schema.hpp"

using namespace pol::runtime::schema;

namespace {

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::Any: return "any";
    case Kind::Bool: return "boolean";
    case Kind::Int: return "integer";
    case Kind::Number: return "number";
    case Kind::String: return "string";
    case Kind::IntOrString: return "int-or-string";
    case Kind::Quantity: return "quantity";
    case Kind::Object: return "object";
    case Kind::Map: return "map";
    case Kind::List: return "list";
  }
  return "?";
}

void dump(const Shape& shape, const std::string& path) {
  std::printf("%s %s\n", path.c_str(), kind_name(shape.kind));
  for (const auto& [name, field] : shape.fields) dump(*field, path + "." + name);
  if (shape.element) dump(*shape.element, path + (shape.kind == Kind::List ? "[]" : "{}"));
}

}  // namespace

int main() {
  dump(pod_spec(), "spec");
  return 0;
}
