// SPDX-License-Identifier: Apache-2.0
// The build without LLVM (POL_JIT off, or llvm-19-dev not installed): no JIT.
#include "jit/jit.hpp"

namespace pol::jit {

bool available() { return false; }

std::shared_ptr<const runtime::CompiledChecks> compile(const runtime::Program&, const runtime::Profile&,
                                                       const std::vector<const runtime::Check*>&,
                                                       std::string& error, std::vector<std::string>*, size_t,
                                                       std::vector<std::string>*) {
  error = "this pol was built without the JIT (LLVM 19 was not found)";
  return nullptr;
}

void wait_optimized(const runtime::CompiledChecks&) {}

bool optimized(const runtime::CompiledChecks&) { return false; }

}  // namespace pol::jit
