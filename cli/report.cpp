// SPDX-License-Identifier: Apache-2.0
#include "cli/report.hpp"

#include <fmt/format.h>

namespace pol::cli {

std::string object_name(const ObjectResult& object) {
  const std::string name = object.name.empty() ? "(unnamed)" : object.name;
  return object.namespace_name.empty() ? fmt::format("{} {}", object.kind, name)
                                       : fmt::format("{} {}/{}", object.kind, object.namespace_name, name);
}

std::string location_text(const ObjectResult& object, const Violation& violation, const Location& location) {
  return fmt::format("{} at {}:{}:{}{}{}", violation.check, object.source, location.line, location.column,
                     location.container.empty() ? "" : fmt::format(" container \"{}\"", location.container),
                     location.path.empty() ? "" : " " + location.path);
}

}  // namespace pol::cli
