// SPDX-License-Identifier: Apache-2.0
// List and map builtins. `sort` and `unique` order by bytes (Go's string order), which is what
// Pod Security Admission's messages use.
#include <algorithm>
#include <fmt/format.h>

#include "runtime/builtins/registry.hpp"

namespace pol::runtime {

namespace {

using T = StaticType;

std::vector<Value> items(const Value& list) {
  std::vector<Value> out;
  out.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) out.push_back(list.at(i));
  return out;
}

Value length(const Value* a) {
  const Type t = a[0].type();
  if (t != Type::Null && t != Type::String && t != Type::List && t != Type::Map) {
    throw EvalError(fmt::format("len() needs a string, list or map, got {}", type_name(t)));
  }
  return Value::integer(static_cast<int64_t>(a[0].size()));
}

Value truthy_any(const Value* a) {
  for (size_t i = 0; i < a[0].size(); ++i) {
    const Value v = a[0].at(i);
    if (v.type() == Type::Bool && v.as_bool()) return Value::boolean(true);
  }
  return Value::boolean(false);
}

Value truthy_all(const Value* a) {
  for (size_t i = 0; i < a[0].size(); ++i) {
    const Value v = a[0].at(i);
    if (v.type() != Type::Bool || !v.as_bool()) return Value::boolean(false);
  }
  return Value::boolean(true);
}

Value sort(const Value* a) {
  std::vector<Value> out = items(a[0]);
  std::stable_sort(out.begin(), out.end(), less_than);
  return Value::list(std::move(out));
}

Value unique(const Value* a) {
  std::vector<Value> out = items(a[0]);
  std::stable_sort(out.begin(), out.end(), less_than);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return Value::list(std::move(out));
}

Value distinct(const Value* a) {
  std::vector<Value> out;
  for (size_t i = 0; i < a[0].size(); ++i) {
    const Value v = a[0].at(i);
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return Value::list(std::move(out));
}

Value keys(const Value* a) {
  std::vector<Value> out;
  for (size_t i = 0; i < a[0].size(); ++i) out.push_back(Value::string(std::string(a[0].key_at(i))));
  return Value::list(std::move(out));
}

Value values(const Value* a) {
  std::vector<Value> out;
  for (size_t i = 0; i < a[0].size(); ++i) out.push_back(a[0].value_at(i));
  return Value::list(std::move(out));
}

Value flatten(const Value* a) {
  std::vector<Value> out;
  for (size_t i = 0; i < a[0].size(); ++i) {
    const Value v = a[0].at(i);
    if (v.type() == Type::List) {
      for (size_t k = 0; k < v.size(); ++k) out.push_back(v.at(k));
    } else if (!v.is_null()) {
      out.push_back(v);
    }
  }
  return Value::list(std::move(out));
}

Value sum(const Value* a) {
  int64_t total = 0;
  double real = 0;
  bool is_float = false;
  for (size_t i = 0; i < a[0].size(); ++i) {
    const Value v = a[0].at(i);
    if (v.type() == Type::Int) total += v.as_int();
    else if (v.type() == Type::Float) { real += v.as_float(); is_float = true; }
    else throw EvalError(fmt::format("sum() needs numbers, got {} ({})", type_name(v.type()), v.to_display()));
  }
  return is_float ? Value::number(real + static_cast<double>(total)) : Value::integer(total);
}

Value extreme(const Value& list, bool want_max) {
  if (list.size() == 0) return {};
  Value best = list.at(0);
  for (size_t i = 1; i < list.size(); ++i) {
    const Value v = list.at(i);
    if (want_max ? less_than(best, v) : less_than(v, best)) best = v;
  }
  return best;
}

Value min(const Value* a) { return extreme(a[0], false); }
Value max(const Value* a) { return extreme(a[0], true); }
Value first(const Value* a) { return a[0].at(0); }
Value last(const Value* a) { return a[0].size() ? a[0].at(a[0].size() - 1) : Value(); }
Value type_of(const Value* a) { return Value::string(type_name(a[0].type())); }

// Python-style bounds, as substring's: negative from the end, clamped.
Value slice(const Value* a) {
  const Value& list = a[0];
  const auto count = static_cast<int64_t>(list.size());
  const auto clamp = [&](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + count : i, 0, count); };
  const int64_t from = clamp(a[1].as_int()), to = std::max(from, clamp(a[2].as_int()));
  std::vector<Value> out;
  for (int64_t i = from; i < to; ++i) out.push_back(list.at(static_cast<size_t>(i)));
  return Value::list(std::move(out));
}

Value range(const Value* a) {
  const int64_t n = a[0].as_int();
  if (n > 1'000'000) throw EvalError(fmt::format("range({}): at most 1000000 items", n));
  std::vector<Value> out;
  for (int64_t i = 0; i < n; ++i) out.push_back(Value::integer(i));
  return Value::list(std::move(out));
}

// Maps sorted by one field's value (stable; a missing field sorts as null, first).
Value sort_by(const Value* a) {
  std::vector<Value> out;
  for (size_t i = 0; i < a[0].size(); ++i) out.push_back(a[0].at(i));
  const std::string_view field = a[1].as_string();
  std::stable_sort(out.begin(), out.end(), [&](const Value& x, const Value& y) { return less_than(x.get(field), y.get(field)); });
  return Value::list(std::move(out));
}

}  // namespace

void register_list_builtins(Registry& r) {
  r.add("len", {T::Any}, T::Int, length, "the number of items, members or bytes (0 for null)");
  r.add("count", {T::List}, T::Int, length, "the number of items in a list");
  r.add("any", {T::List}, T::Bool, truthy_any, "whether some item is true");
  r.add("all", {T::List}, T::Bool, truthy_all, "whether every item is true");
  r.add("sort", {T::List}, T::List, sort, "the items in ascending order (strings by bytes)");
  r.add("unique", {T::List}, T::List, unique, "the sorted items without duplicates");
  r.add("distinct", {T::List}, T::List, distinct, "the items without duplicates, first occurrence kept");
  r.add("keys", {T::Map}, T::List, keys, "a map's keys, in document order");
  r.add("values", {T::Map}, T::List, values, "a map's values, in document order");
  r.add("flatten", {T::List}, T::List, flatten, "a list of lists as one list (nulls dropped)");
  r.add("sum", {T::List}, T::Number, sum, "the sum of a list of numbers");
  r.add("min", {T::List}, T::Any, min, "the smallest item, null for an empty list");
  r.add("max", {T::List}, T::Any, max, "the largest item, null for an empty list");
  r.add("first", {T::List}, T::Any, first, "the first item, null for an empty list");
  r.add("last", {T::List}, T::Any, last, "the last item, null for an empty list");
  r.add("type", {T::Any}, T::String, type_of, "the name of a value's type");
  r.add("slice", {T::List, T::Int, T::Int}, T::List, slice, "the items from start to end (exclusive; negative: from the end)");
  r.add("range", {T::Int}, T::List, range, "the integers 0, 1, ... n-1");
  r.add("sort_by", {T::List, T::String}, T::List, sort_by, "maps sorted by the value of one field");
}

}  // namespace pol::runtime
