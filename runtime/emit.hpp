// SPDX-License-Identifier: Apache-2.0
// Writes a document tree back out, keeping the order of its fields: JSON (compact, one line)
// and YAML (block style, as kubectl prints it). YAML scalars are quoted whenever a plain one
// would read back as another type (`"true"`, `"0644"`, `"1.0"`), so output re-reads as it was.
#pragma once

#include <string>

#include "runtime/document.hpp"
#include "runtime/value.hpp"

namespace pol::runtime {

std::string to_json(const Node& node);
std::string to_json(const Value& value);  // computed values too; a version as "v1.25"
std::string json_quote(std::string_view text);  // a JSON string literal
std::string to_yaml(const Node& node);  // ends with a newline

}  // namespace pol::runtime
