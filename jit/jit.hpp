// SPDX-License-Identifier: Apache-2.0
// The LLVM ORC JIT: the checks of a plan compiled to machine code that decides them. No LLVM
// header is seen outside jit/. See docs/jit.md.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/evaluation.hpp"

namespace pol::jit {

// Whether this build has the JIT (CMake option POL_JIT, on when LLVM 19 is found).
bool available();

// Compiles the checks of `plan` (of `program`, which must outlive the result). A check the
// compiler does not support is left to the interpreter; `interpreted` receives one line per such
// check ("id: what is not compiled"). A check decided by compiled code whose messages or
// locations are not compiled is explained by the interpreter when a rule fires; `unexplained`
// receives one line per such check. On an LLVM error, returns null and sets `error`.
//
// Two tiers (docs/jit.md): the checks are compiled at once by the fast code generator, and once
// the result has evaluated `optimize_after` documents, again by the optimizing one, on a thread
// of its own; its code replaces the first. With `optimize_after` 0, the optimizing generator
// compiles them at once (slower to compile, faster to run), and there is no second tier.
inline constexpr size_t default_optimize_after = 100'000;

// POL_JIT_OPTIMIZE_AFTER, the `optimize_after` of pol's policies: default_optimize_after when it
// is unset or empty, nullopt when it is not a number of documents (the CLI refuses it).
inline std::optional<size_t> optimize_after_from_environment() {
  const char* text = std::getenv("POL_JIT_OPTIMIZE_AFTER");
  if (!text || !*text) return default_optimize_after;
  size_t n = 0;
  const auto [end, error] = std::from_chars(text, text + std::strlen(text), n);
  if (error != std::errc() || *end != '\0') return std::nullopt;
  return n;
}
std::shared_ptr<const runtime::CompiledChecks> compile(const runtime::Program& program, const runtime::Profile& profile,
                                                       const std::vector<const runtime::Check*>& plan,
                                                       std::string& error, std::vector<std::string>* interpreted = nullptr,
                                                       size_t optimize_after = default_optimize_after,
                                                       std::vector<std::string>* unexplained = nullptr);

// Compiles the second tier of `checks` now, if it has one still to come, and returns once its
// code is in use (benchmarks and tests).
void wait_optimized(const runtime::CompiledChecks& checks);

// Whether `checks` run the optimizing code generator's code.
bool optimized(const runtime::CompiledChecks& checks);

}  // namespace pol::jit
