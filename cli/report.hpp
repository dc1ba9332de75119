// SPDX-License-Identifier: Apache-2.0
// Output formats of `pol check`. The JSON form is a stable contract (DESIGN.md); the text form
// prints, per denied object, the warning line in Pod Security Admission's wording.
#pragma once

#include <ostream>
#include <string>

#include "pol/pol.hpp"

namespace pol::cli {

void write_text(std::ostream& out, const Report& report);
void write_json(std::ostream& out, const Report& report);

// JSON string literal with escapes (shared by the JSON writers).
std::string json_string(std::string_view text);

// `would violate policy "name": reason (detail), reason (detail)` for one policy's violations.
std::string violation_line(const std::vector<Violation>& violations, size_t begin, size_t end, const char* verb);

}  // namespace pol::cli
