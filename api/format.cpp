// SPDX-License-Identifier: Apache-2.0
// format_policy: `pol fmt` for hosts (editors, the language server).
#include "api/internal.hpp"
#include "lang/format.hpp"

namespace pol {

Formatted format_policy(std::string_view text, std::string name) {
  const auto source = std::make_shared<const lang::Source>(std::move(name), std::string(text));
  lang::Diagnostics diagnostics;
  Formatted formatted;
  formatted.text = lang::format(source, diagnostics);
  for (const lang::Diagnostic& d : diagnostics.items()) formatted.diagnostics.push_back(public_diagnostic(d));
  return formatted;
}

}  // namespace pol
