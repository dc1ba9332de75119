// SPDX-License-Identifier: Apache-2.0
#include "runtime/mutator.hpp"

#include <fmt/format.h>

#include "lang/diagnostic.hpp"
#include "runtime/interpreter.hpp"
#include "runtime/request.hpp"
#include "runtime/workload.hpp"

namespace pol::runtime {

namespace {

struct MutationError {
  std::string message;
  std::string policy_note;
};

// Runs mutations over object number `object` of a document, through `editor`.
class Run {
 public:
  Run(TreeEditor& editor, Arena& arena, size_t object, const Profile& profile, const Limits& limits,
      const PodView& judged)
      : editor_(editor), arena_(arena), object_(object), profile_(profile), limits_(limits), judged_(judged) {}

  void mutation(const Mutation& mutation, const std::vector<Value>& args) {
    Locals locals(mutation.slot_count);
    for (size_t i = 0; i < args.size(); ++i) locals.bind(static_cast<uint32_t>(i), args[i], editor_.root());
    statements(mutation.body, locals);
  }

  // The object's current pod view (the tree changes after every statement).
  // Found again only when a statement has changed the tree (finding it validates the pod).
  PodView pod() const {
    if (view_root_ != editor_.root()) {
      const Contents contents = read_objects(editor_.root());
      if (object_ >= contents.pods.size()) throw MutationError{"the object no longer has a pod spec", ""};
      view_ = contents.pods[object_];
      inherit_request(view_, judged_);
      view_root_ = editor_.root();
    }
    return view_;
  }

  Value eval(const Expr& expr, Value* frame) const {
    const PodView view = pod();
    try {
      return evaluate_expression(expr, view, profile_, limits_, frame);
    } catch (const ExpressionFailure& failure) {
      throw MutationError{failure.message, failure.policy_note};
    }
  }

 private:
  // Locals, and for those that hold document nodes, where the node is: the tree changes, so a
  // node is found again by its path before each statement.
  struct Locals {
    explicit Locals(uint32_t count) : values(count), pointers(count) {}
    void bind(uint32_t slot, Value value, const Node* root) {
      pointers[slot] = value.document_node() ? pointer_to(root, value.document_node()) : std::nullopt;
      values[slot] = std::move(value);
    }
    void refresh(const Node* root) {
      for (size_t i = 0; i < values.size(); ++i) {
        if (pointers[i]) values[i] = Value::node(resolve(root, *pointers[i]));
      }
    }
    std::vector<Value> values;
    std::vector<std::optional<Pointer>> pointers;
  };

  Pointer base_pointer(const Expr& base, Locals& locals) const {
    if (base.op == Op::Local) {
      if (!locals.pointers[base.slot]) throw MutationError{"the path does not start at a document field", ""};
      return *locals.pointers[base.slot];
    }
    const PodView view = pod();
    std::optional<Pointer> object = pointer_to(editor_.root(), view.object);
    if (!object) throw MutationError{"the object is not in the document", ""};
    if (base.global == Global::Object) return *object;
    for (std::string_view key : base.global == Global::Spec ? spec_path(view.kind) : metadata_path(view.kind)) {
      object->push_back({std::string(key), -1});
    }
    return *object;
  }

  Pointer target(const MutationStatement& s, Locals& locals) const {
    Pointer path = base_pointer(*s.base, locals);
    for (const PathStep& step : s.steps) {
      if (!step.index) {
        path.push_back({step.key, -1});
        continue;
      }
      const Value key = eval(*step.index, locals.values.data());
      if (key.type() == Type::Int && key.as_int() >= 0) path.push_back({"", key.as_int()});
      else if (key.type() == Type::String) path.push_back({std::string(key.as_string()), -1});
      else throw MutationError{"an index in a mutation's path must be a non-negative int or a string", ""};
    }
    return path;
  }

  void check(const std::string& error) const {
    if (!error.empty()) throw MutationError{error, ""};
  }

  void statements(const std::vector<MutationStatement>& list, Locals& locals) {
    for (const MutationStatement& s : list) {
      try {
        statement(s, locals);
      } catch (MutationError& error) {
        if (error.policy_note.empty() && s.source) error.policy_note = note(s);
        throw;
      }
    }
  }

  // `file:line:col: note: in this statement of the policy`, with the source line and caret.
  static std::string note(const MutationStatement& s) {
    // The program owns its sources for as long as it lives; this view does not extend that.
    const std::shared_ptr<const lang::Source> source(std::shared_ptr<const lang::Source>(), s.source);
    return lang::Diagnostic{lang::Severity::Note, source, s.span, "in this statement of the policy", {}}.render();
  }

  void statement(const MutationStatement& s, Locals& locals) {
    locals.refresh(editor_.root());
    Value* frame = locals.values.data();
    switch (s.kind) {
      case lang::MutationKind::Let: locals.bind(s.slot, eval(*s.value, frame), editor_.root()); break;
      case lang::MutationKind::Default: {
        const Pointer path = target(s, locals);
        const Node* current = resolve(editor_.root(), path);
        if (current && current->kind != NodeKind::Null) break;  // only what is unset
        check(editor_.set(path, to_node(eval(*s.value, frame), arena())));
        break;
      }
      case lang::MutationKind::Set: {
        const Pointer path = target(s, locals);
        const Value value = eval(*s.value, frame);
        const Node* current = resolve(editor_.root(), path);
        if (current && Value::node(current) == value) break;  // already so: nothing to change
        check(editor_.set(path, to_node(value, arena())));
        break;
      }
      case lang::MutationKind::Remove: editor_.remove(target(s, locals)); break;
      case lang::MutationKind::Add: {
        const Pointer path = target(s, locals);
        const Value value = eval(*s.value, frame);
        const Value list = Value::node(resolve(editor_.root(), path));
        bool present = false;
        for (size_t i = 0; list.type() == Type::List && i < list.size(); ++i) present |= list.at(i) == value;
        if (!present) check(editor_.append(path, to_node(value, arena())));
        break;
      }
      case lang::MutationKind::If: {
        const Value condition = eval(*s.value, frame);
        if (condition.type() != Type::Bool && !condition.is_null()) {
          throw MutationError{fmt::format("the condition of 'if' must be a bool, got {}", condition.to_display()), ""};
        }
        statements(condition.type() == Type::Bool && condition.as_bool() ? s.body : s.else_body, locals);
        break;
      }
      case lang::MutationKind::Each: {
        const Value items = eval(*s.value, frame);
        std::vector<std::pair<Value, std::optional<Pointer>>> bound;
        for (size_t i = 0; items.type() == Type::List && i < items.size(); ++i) {
          const Value item = items.at(i);
          bound.emplace_back(item, item.document_node() ? pointer_to(editor_.root(), item.document_node())
                                                        : std::nullopt);
        }
        for (const auto& [item, pointer] : bound) {
          locals.values[s.slot] = item;
          locals.pointers[s.slot] = pointer;
          statements(s.body, locals);
          locals.refresh(editor_.root());
        }
        break;
      }
      case lang::MutationKind::Apply: {
        std::vector<Value> args;
        for (const Expr* arg : s.args) args.push_back(eval(*arg, frame));
        mutation(*s.mutation, args);
        break;
      }
    }
  }

  Arena& arena() const { return arena_; }

  TreeEditor& editor_;
  Arena& arena_;
  mutable const Node* view_root_ = nullptr;  // the tree `view_` was found in
  mutable PodView view_;
  size_t object_;
  const Profile& profile_;
  const Limits& limits_;
  const PodView& judged_;  // the request and Namespace object the object is judged with
};

}  // namespace

std::optional<EvaluationError> Mutator::run(TreeEditor& editor, Arena& arena, size_t object,
                                            const Mutation& mutation, const std::vector<Value>& args,
                                            const PodView* judged) const {
  PodView plain;
  plain.defaults = defaults_;
  try {
    Run(editor, arena, object, profile_, program_.limits, judged ? *judged : plain).mutation(mutation, args);
  } catch (const MutationError& error) {
    return EvaluationError{mutation.name, error.message, error.policy_note, nullptr};
  }
  return std::nullopt;
}

Mutated Mutator::mutate(const Node* root, Arena& arena) const {
  Mutated result;
  TreeEditor editor(root, arena);
  const size_t objects = read_objects(root).pods.size();
  PodView plain;  // judged as the request defaults_ describe
  plain.defaults = defaults_;
  for (size_t object = 0; object < objects; ++object) {
    Run run(editor, arena, object, profile_, program_.limits, plain);
    for (const Apply& apply : program_.applies) {
      try {
        std::vector<Value> frame(apply.slot_count);
        if (apply.condition) {
          const Value condition = run.eval(*apply.condition, frame.data());
          if (condition.type() != Type::Bool || !condition.as_bool()) continue;
        }
        std::vector<Value> args;
        for (const Expr* arg : apply.args) args.push_back(run.eval(*arg, frame.data()));
        run.mutation(*apply.mutation, args);
      } catch (const MutationError& error) {
        result.errors.push_back({apply.mutation->name, error.message, error.policy_note, nullptr});
      }
    }
  }
  result.root = editor.root();
  result.patch = editor.operations();
  return result;
}

}  // namespace pol::runtime
