// SPDX-License-Identifier: Apache-2.0
// Text from documents and policies, made safe to print on a terminal or in a CI log: control
// characters (C0 but tab, DEL, C1 such as CSI and NEL, and the line and paragraph separators)
// are escaped, so an ESC sequence in a pod name cannot reach the terminal and a newline in a
// field cannot forge an output line. Used by the diagnostics and by the text report.
#pragma once

#include <string>
#include <string_view>

namespace pol::lang {

// `\x1b`, `\x0a`, `\u009b`, `\u2028` in place of each control character.
std::string escape_controls(std::string_view text);

// The same characters each replaced by one '?', keeping every other character's column (for
// the source line under which a caret points).
std::string question_controls(std::string_view text);

}  // namespace pol::lang
