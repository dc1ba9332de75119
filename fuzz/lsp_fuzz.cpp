// SPDX-License-Identifier: Apache-2.0
// `pol lsp` over a fuzzed session. The input is messages separated by NUL bytes, each framed
// here with its Content-Length header (so that the fuzzer spends its time on the JSON-RPC
// requests and the documents they carry); an input that starts with a NUL is given to the
// server as it is, to fuzz the framing too. Documents name a file in an empty sandbox folder,
// so their imports reach nothing.
#include <sstream>
#include <string>

#include "fuzz/harness.hpp"
#include "lsp/server.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = pol::fuzz::text(data, size);
  std::string stream;
  if (!text.empty() && text.front() == '\0') {
    stream = text.substr(1);
  } else {
    for (size_t begin = 0; begin <= text.size();) {
      size_t end = text.find('\0', begin);
      if (end == std::string::npos) end = text.size();
      const std::string_view message = std::string_view(text).substr(begin, end - begin);
      stream += "Content-Length: " + std::to_string(message.size()) + "\r\n\r\n";
      stream += message;
      begin = end + 1;
    }
  }
  std::istringstream in(stream);
  std::ostringstream out;
  pol::lsp::serve(in, out);
  volatile size_t sink = out.str().size();
  (void)sink;
  return 0;
}
