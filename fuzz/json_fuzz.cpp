// SPDX-License-Identifier: Apache-2.0
// JSON → documents → the built-in Pod Security Standards (with and without namespace labels).
#include "fuzz/harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pol::fuzz::evaluate(pol::fuzz::read_with(pol::runtime::read_json, pol::fuzz::text(data, size), "fuzz.json"));
  return 0;
}
