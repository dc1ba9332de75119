// SPDX-License-Identifier: Apache-2.0
// The LLVM ORC JIT: the checks of a plan compiled to machine code that decides them. No LLVM
// header is seen outside jit/. See docs/jit.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/evaluation.hpp"

namespace pol::jit {

// Whether this build has the JIT (CMake option POL_JIT, on when LLVM 19 is found).
bool available();

// Compiles the checks of `plan` (of `program`, which must outlive the result). A check the
// compiler does not support is left to the interpreter; `interpreted` receives one line per such
// check ("id: what is not compiled"). On an LLVM error, returns null and sets `error`.
std::shared_ptr<const runtime::CompiledChecks> compile(const runtime::Program& program, const runtime::Profile& profile,
                                                       const std::vector<const runtime::Check*>& plan,
                                                       std::string& error, std::vector<std::string>* interpreted = nullptr);

}  // namespace pol::jit
