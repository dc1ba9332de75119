// SPDX-License-Identifier: Apache-2.0
// Numbers read and written as Kubernetes reads and writes them. Kubernetes is written in Go, so
// its YAML reader (go-yaml v2) parses numbers with Go's strconv, its JSON writer
// (encoding/json) prints a float with the shortest digits that read back exactly, in plain
// notation from 1e-6 to 1e21, and sigs.k8s.io/yaml turns a float map key into text with Go's
// %g of the float32 nearest to it. pol follows each rule so that what it reads and writes
// matches what the API server stores; tests/yaml_oracle holds it against the real thing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pol::runtime {

// strconv.ParseUint(text, base, 64): base 0 reads the prefixes 0x, 0o, 0b (any case) and a
// leading 0 as octal. No sign; nullopt on a syntax or range error.
std::optional<uint64_t> go_parse_uint(std::string_view text, int base);
// strconv.ParseInt(text, base, 64): an optional sign, then as go_parse_uint.
std::optional<int64_t> go_parse_int(std::string_view text, int base);
// strconv.ParseFloat(text, 64) for decimal text: nullopt when it is out of range (±Inf).
std::optional<double> go_parse_float(std::string_view text);

// A finite float as encoding/json writes it: `1000`, `0.5`, `1e+21`, `1e-7`.
std::string go_json_float(double value);
// A float map key as sigs.k8s.io/yaml writes it: strconv.FormatFloat(key, 'g', -1, 32), with
// `.inf`, `-.inf` and `.nan` for the infinities and NaN.
std::string go_float_key(double value);

}  // namespace pol::runtime
