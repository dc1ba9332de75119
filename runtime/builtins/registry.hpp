// SPDX-License-Identifier: Apache-2.0
// Builtin functions, declared once: name, parameter and result types, and the C++ function.
// The checker reads the same table for arity and static types that the interpreter calls
// through, so the two cannot disagree. Each family registers itself (strings.cpp, lists.cpp).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value.hpp"

namespace pol::runtime {

// Types as the checker knows them before a document is read. Any: not known statically
// (anything read from a document). Number: int or float.
enum class StaticType : uint8_t { Any, Null, Bool, Int, Float, Number, String, List, Map, Version };

const char* static_type_name(StaticType type);
// "an int", "a string": the type name with its article, for messages.
std::string a_type(StaticType type);
StaticType static_type_of(Type type);
// Whether a runtime value of type `actual` is acceptable where `expected` is declared.
bool accepts(StaticType expected, Type actual);
// Whether two statically known types can ever meet at runtime (Any meets everything).
bool compatible(StaticType expected, StaticType actual);

// An error raised while evaluating; the interpreter adds the position of the expression.
// `culprit` is the document node whose value caused the error, when there is one.
struct EvalError : std::runtime_error {
  explicit EvalError(const std::string& message, const Node* culprit_node = nullptr)
      : std::runtime_error(message), culprit(culprit_node) {}
  const Node* culprit = nullptr;
};

using BuiltinFn = Value (*)(const Value* args);

constexpr size_t max_builtin_params = 4;  // Registry::add refuses more

struct Builtin {
  std::string name;
  std::vector<StaticType> params;
  StaticType result = StaticType::Any;
  BuiltinFn fn = nullptr;
  std::string summary;  // one line, for docs and `did you mean`
};

class Registry {
 public:
  void add(std::string name, std::vector<StaticType> params, StaticType result, BuiltinFn fn, std::string summary);
  const Builtin* find(std::string_view name) const;
  const std::vector<Builtin>& all() const { return builtins_; }

 private:
  std::vector<Builtin> builtins_;
};

void register_string_builtins(Registry& registry);
void register_kubernetes_builtins(Registry& registry);
void register_list_builtins(Registry& registry);

// Every builtin, registered on first use.
const Registry& builtins();

// Calls a builtin after checking its arguments' runtime types; a null argument where a
// string, list or map is expected reads as the empty one (absent fields are not errors).
Value call_builtin(const Builtin& builtin, Value* args);  // as many args as builtin.params

}  // namespace pol::runtime
