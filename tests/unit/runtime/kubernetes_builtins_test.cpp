// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "runtime/builtins/registry.hpp"
#include "../helpers.hpp"

using namespace pol::runtime;

namespace {

using pol::test::call;

Value quantity(const std::string& text) { return call("quantity", {Value::string(text)}); }

struct Parsed {
  const char* input;
  int64_t mantissa;  // upstream's decQuantity(mantissa, exponent, format): mantissa * 10^exponent
  int exponent;
};

// kubernetes/apimachinery pkg/api/resource/quantity_test.go, TestQuantityParse: every row of its
// table (the format column left out: pol keeps the value), in upstream's order.
constexpr int64_t Ki = 1024;
const Parsed upstream[] = {
    {"0", 0, 0}, {"0n", 0, 0}, {"0u", 0, 0}, {"0m", 0, 0}, {"0Ki", 0, 0}, {"0k", 0, 0}, {"0Mi", 0, 0}, {"0M", 0, 0},
    {"0Gi", 0, 0}, {"0G", 0, 0}, {"0Ti", 0, 0}, {"0T", 0, 0},
    {"1", 1, 0},
    {"1Ki", Ki, 0}, {"8Ki", 8 * Ki, 0}, {"7Mi", 7 * Ki * Ki, 0}, {"6Gi", 6 * Ki * Ki * Ki, 0},
    {"5Ti", 5 * Ki * Ki * Ki * Ki, 0}, {"4Pi", 4 * Ki * Ki * Ki * Ki * Ki, 0}, {"3Ei", 3 * Ki * Ki * Ki * Ki * Ki * Ki, 0},
    {"10Ti", 10 * Ki * Ki * Ki * Ki, 0}, {"100Ti", 100 * Ki * Ki * Ki * Ki, 0},
    {"5n", 5, -9}, {"4u", 4, -6}, {"3m", 3, -3}, {"9", 9, 0}, {"8k", 8, 3}, {"50k", 5, 4}, {"7M", 7, 6}, {"6G", 6, 9},
    {"5T", 5, 12}, {"40T", 4, 13}, {"300T", 3, 14}, {"2P", 2, 15}, {"1E", 1, 18},
    {"1E-3", 1, -3}, {"1e3", 1, 3}, {"1E6", 1, 6}, {"1e9", 1, 9}, {"1E12", 1, 12}, {"1e15", 1, 15}, {"1E18", 1, 18},
    {"1e14", 1, 14}, {"1e13", 1, 13}, {"1e3", 1, 3}, {"100.035k", 100035, 0},
    {"0.001", 1, -3}, {"0.0005k", 5, -1}, {"0.005", 5, -3}, {"0.05", 5, -2}, {"0.5", 5, -1}, {"0.00050k", 5, -1},
    {"0.00500", 5, -3}, {"0.05000", 5, -2}, {"0.50000", 5, -1}, {"0.5e0", 5, -1}, {"0.5e-1", 5, -2}, {"0.5e-2", 5, -3},
    {"0.5e0", 5, -1}, {"10.035M", 10035, 3},
    {"1.2e3", 12, 2}, {"1.3E+6", 13, 5}, {"1.40e9", 14, 8}, {"1.53E12", 153, 10}, {"1.6e15", 16, 14}, {"1.7E18", 17, 17},
    {"9.01", 901, -2}, {"8.1k", 81, 2}, {"7.123456M", 7123456, 0}, {"6.987654321G", 6987654321, 0},
    {"5.444T", 5444, 9}, {"40.1T", 401, 11}, {"300.2T", 3002, 11}, {"2.5P", 25, 14}, {"1.01E", 101, 16},
    {"3.001n", 4, -9}, {"1.1E-9", 2, -9}, {"0.0000000001", 1, -9}, {"0.0000000005", 1, -9}, {"0.00000000050", 1, -9},
    {"0.5e-9", 1, -9}, {"0.9n", 1, -9}, {"0.00000012345", 124, -9}, {"0.00000012354", 124, -9},
    {"9Ei", std::numeric_limits<int64_t>::max(), 0}, {"9223372036854775807Ki", std::numeric_limits<int64_t>::max(), 0},
    {"12E", 12, 18},
    {"100.035Ki", 10243584, -2}, {"0.5Mi", 512 * Ki, 0}, {"0.05Gi", 536870912, -1}, {"0.025Ti", 274877906944, -1},
    {"0.000000000001Ki", 2, -9}, {".001", 1, -3}, {".0001k", 100, -3}, {"1.", 1, 0}, {"1.G", 1, 9},
};

// The same table's invalid inputs.
const char* const invalid[] = {"1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1", "1 ", ""};

void check_value(const std::string& input, const Value& got, long double expected) {
  INFO(input);
  if (expected == std::floor(expected) && std::fabs(expected) <= 9.3e18L) {
    REQUIRE(got.type() == Type::Int);
    CHECK(got.as_int() == static_cast<int64_t>(expected));
  } else if (got.type() == Type::Int) {
    CHECK(static_cast<long double>(got.as_int()) == Approx(static_cast<double>(expected)));
  } else {
    REQUIRE(got.type() == Type::Float);
    CHECK(got.as_float() == Approx(static_cast<double>(expected)).epsilon(1e-12));
  }
}

}  // namespace

TEST_CASE("quantity reads every example of apimachinery's TestQuantityParse, signed both ways", "[builtins]") {
  for (const Parsed& row : upstream) {
    const long double expected = static_cast<long double>(row.mantissa) * std::pow(10.0L, row.exponent);
    check_value(row.input, quantity(row.input), expected);
    check_value(std::string("+") + row.input, quantity(std::string("+") + row.input), expected);
    check_value(std::string("-") + row.input, quantity(std::string("-") + row.input), -expected);
  }
  for (const char* text : invalid) {
    INFO(text);
    CHECK_THROWS_AS(quantity(text), EvalError);
  }
}

TEST_CASE("quantity compares and adds as numbers, reads YAML numbers and null as they are", "[builtins]") {
  CHECK(quantity("1Gi").as_int() == quantity("1024Mi").as_int());
  CHECK(quantity("500m").as_float() < quantity("1").as_int());
  CHECK(call("quantity", {Value::integer(2)}).as_int() == 2);
  CHECK(call("quantity", {Value::number(0.5)}).as_float() == 0.5);
  CHECK(call("quantity", {Value()}).is_null());
  CHECK_THROWS_AS(call("quantity", {Value::list({})}), EvalError);
}
