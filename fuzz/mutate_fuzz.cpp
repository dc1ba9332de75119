// SPDX-License-Identifier: Apache-2.0
// Documents (YAML or JSON, as Documents::parse decides) → policies/welkin.pol's mutations →
// YAML, JSON and patches; then the mutated YAML is read back, which must work.
#include <cstdlib>

#include "fuzz/harness.hpp"

namespace {

const pol::Policy& welkin() {
  static const pol::Compiled compiled = pol::Engine().compile_file(POL_SOURCE_DIR "/policies/welkin.pol");
  if (!compiled) std::abort();
  return *compiled.policy;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const pol::Documents documents = pol::Documents::parse(pol::fuzz::text(data, size), "fuzz.yaml");
  for (const pol::Format format : {pol::Format::Json, pol::Format::Yaml}) {
    const pol::MutationReport report = welkin().mutate(documents, format);
    for (const pol::MutatedDocument& d : report.documents) {
      // What pol writes, pol reads back (tests/mutation/patches.py checks the values too).
      const pol::Documents again = pol::Documents::parse(d.text, "mutated");
      if (!again.errors().empty()) std::abort();
    }
  }
  volatile size_t sink = pol::fuzz::consume(welkin().evaluate(documents, nullptr, true));
  (void)sink;
  return 0;
}
