// SPDX-License-Identifier: Apache-2.0
// Output formats of `pol check`. The JSON form is a stable contract (DESIGN.md); the text form
// prints, per denied object, the warning line in Pod Security Admission's wording; SARIF and
// JUnit let CI systems show the results natively.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "pol/pol.hpp"

namespace pol::cli {

void write_text(std::ostream& out, const Report& report);
void write_sarif(std::ostream& out, const Report& report);
void write_junit(std::ostream& out, const Report& report);
// `pol explain` (Options::explain): the checks that ran on each object, their rules and lets.
void write_explain_text(std::ostream& out, const Report& report);
void write_explain_json(std::ostream& out, const Report& report);

// Pieces the formats share (report.cpp).

using pol::json_string;
using pol::printable;
using pol::object_name;


// `check at file:line:col container "name" spec.containers[0].securityContext`
std::string location_text(const ObjectResult& object, const Violation& violation, const Location& location);

}  // namespace pol::cli
