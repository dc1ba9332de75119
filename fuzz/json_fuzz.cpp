// SPDX-License-Identifier: Apache-2.0
// JSON → documents → the built-in Pod Security Standards (with and without namespace labels);
// the same bytes cut in parts as `pol check` cuts a large file, each read apart; the same bytes
// as an AdmissionReview body → Policy::review, as a webhook would receive them.
#include "fuzz/harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = pol::fuzz::text(data, size);
  pol::fuzz::evaluate(pol::fuzz::read_with(pol::runtime::read_json, text, "fuzz.json"));
  // The same text cut in parts (as `pol check` reads a large file), each part read apart.
  const auto source = std::make_shared<const pol::lang::Source>("fuzz.json", text);
  const pol::runtime::JsonSplit split = pol::runtime::split_json_stream(*source, 64);
  for (const auto& part : split.parts) {
    pol::fuzz::evaluate(pol::fuzz::read_part(source, pol::runtime::read_json_part(source, part, split.items)));
  }
  volatile size_t sink = pol::fuzz::restricted().review(text).body.size();
  (void)sink;
  return 0;
}
