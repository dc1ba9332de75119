// SPDX-License-Identifier: Apache-2.0
// `pol lsp`: a Language Server (LSP 3.17) over stdin/stdout for .pol files. Documents are kept
// whole (full sync); each change is compiled again and its diagnostics published. Requests:
// hover, definition, completion (fields after `.`), formatting (pol fmt); shutdown and exit.
#pragma once

#include <iosfwd>

namespace pol::lsp {

// Serves until `exit`: returns 0 if `shutdown` came first, 1 otherwise (as the protocol asks).
int serve(std::istream& in, std::ostream& out);

}  // namespace pol::lsp
