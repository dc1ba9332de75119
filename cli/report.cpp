// SPDX-License-Identifier: Apache-2.0
#include "cli/report.hpp"

#include <fmt/format.h>

namespace pol::cli {

std::string location_text(const ObjectResult& object, const Violation& violation, const Location& location) {
  return fmt::format("{} at {}:{}:{}{}{}", violation.check, object.source, location.line, location.column,
                     location.container.empty() ? "" : fmt::format(" container \"{}\"", location.container),
                     location.path.empty() ? "" : " " + location.path);
}

}  // namespace pol::cli
