// SPDX-License-Identifier: Apache-2.0
// Go's number syntax and formatting, as tests/yaml_oracle saw the real Go do them.
#include <catch2/catch.hpp>

#include "runtime/go_numbers.hpp"

using namespace pol::runtime;

TEST_CASE("integers parse as Go's strconv parses them", "[go_numbers]") {
  CHECK(go_parse_int("0644", 0) == 420);
  CHECK(go_parse_int("0O17", 0) == 15);
  CHECK(go_parse_int("-0x1F", 0) == -31);
  CHECK(go_parse_int("0b101", 0) == 5);
  CHECK(go_parse_int("0", 0) == 0);
  CHECK_FALSE(go_parse_int("08", 0));
  CHECK_FALSE(go_parse_int("0x", 0));
  CHECK_FALSE(go_parse_int("9223372036854775808", 0));
  CHECK(go_parse_int("-9223372036854775808", 0) == INT64_MIN);
  CHECK(go_parse_uint("18446744073709551615", 0) == UINT64_MAX);
  CHECK_FALSE(go_parse_uint("18446744073709551616", 0));
  CHECK_FALSE(go_parse_uint("+1", 0));
  CHECK(go_parse_int("-101", 2) == -5);
}

TEST_CASE("floats are written as encoding/json writes them", "[go_numbers]") {
  CHECK(go_json_float(1000.0) == "1000");
  CHECK(go_json_float(0.5) == "0.5");
  CHECK(go_json_float(1e21) == "1e+21");
  CHECK(go_json_float(1e20) == "100000000000000000000");
  CHECK(go_json_float(1e-7) == "1e-7");
  CHECK(go_json_float(0.000001) == "0.000001");
  CHECK(go_json_float(-9223372036854775809.0) == "-9223372036854776000");
  CHECK(go_json_float(-0.0) == "-0");
  CHECK(go_json_float(1.5e-300) == "1.5e-300");
}

TEST_CASE("float keys are written as sigs.k8s.io/yaml writes them", "[go_numbers]") {
  CHECK(go_float_key(1000.0) == "1000");
  CHECK(go_float_key(0.1) == "0.1");
  CHECK(go_float_key(1e6) == "1e+06");
  CHECK(go_float_key(123456789.0) == "1.2345679e+08");
  CHECK(go_float_key(0.0001) == "0.0001");
  CHECK(go_float_key(0.00001) == "1e-05");
  CHECK(go_float_key(1e300) == ".inf");
}
