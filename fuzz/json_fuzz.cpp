// SPDX-License-Identifier: Apache-2.0
// JSON → documents → the built-in Pod Security Standards (with and without namespace labels);
// the same bytes as an AdmissionReview body → Policy::review, as a webhook would receive them.
#include "fuzz/harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = pol::fuzz::text(data, size);
  pol::fuzz::evaluate(pol::fuzz::read_with(pol::runtime::read_json, text, "fuzz.json"));
  volatile size_t sink = pol::fuzz::restricted().review(text).body.size();
  (void)sink;
  return 0;
}
