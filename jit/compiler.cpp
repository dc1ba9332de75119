// SPDX-License-Identifier: Apache-2.0
// Checks → LLVM IR → machine code (ORC LLJIT). Each check becomes `i32 check_N(ptr evaluation)`,
// which decides: 1 when no rule fires and nothing raises. In the second tier it also becomes
// `i32 explain_N(ptr evaluation)`, run when a rule fires: 1 when it evaluated the check to the
// end, the rules that fired (with their messages' and locations' values) kept in the evaluation
// for the interpreter to report. Either returns 0 when the interpreter must evaluate the check:
// an operation would raise, a value is not of a kind compiled code handles, the budget would be
// reached, or (check_N) a rule fires. So an answer of 1 must be exact, and 0 is always safe.
// Values are 16-byte runtime::Value slots on the stack, borrowed (never counted): what compiled
// code builds, the evaluation keeps until the check ends (runtime::Built). Control flow, bools, loops, step
// counting, null and truth tests and comparisons with constants are code; the other operations
// are calls into the runtime (jit/calls.hpp). Constants the profile decides are folded first
// (jit/constants.hpp).
#include "jit/jit.hpp"

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Support/TargetSelect.h>

#include <fmt/format.h>
#include <cstring>
#include <algorithm>
#include <atomic>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <set>
#include <system_error>

#include "jit/calls.hpp"
#include "jit/constants.hpp"
#include "runtime/builtins/registry.hpp"
#include "runtime/optimizer.hpp"

namespace pol::jit {

bool available() { return true; }

namespace {

using runtime::Expr;
using runtime::Op;
using lang::BinaryOp;

constexpr uint64_t value_bytes = sizeof(runtime::Value);

// A construct compiled code does not handle: the check is left to the interpreter.
struct Unsupported {
  std::string what;
};

// The runtime calls, declared in the module and bound to their addresses in the JIT.
struct Calls {
  llvm::FunctionCallee global, member, find, find_string, node, values, string, index, compare, count, item, builtin,
      binary, template_string, list, push, close_list, fire, steps_left, deadline, charge;
};

class CheckCompiler {
 public:
  // `explain`: a rule that fires has its reason, detail and locations built by the code too
  // (`explain_N`); otherwise the interpreter is asked to evaluate the check as soon as one fires
  // (`check_N`, which decides only).
  CheckCompiler(llvm::Module& module, const Calls& calls, const runtime::Check& check, ProfileConstants& constants,
                bool explain)
      : module_(module), context_(module.getContext()), calls_(calls), check_(check), constants_(constants),
        explain_(explain), b_(context_) {}

  llvm::Function* compile(const std::string& name) {
    auto* ptr = llvm::PointerType::getUnqual(context_);
    function_ = llvm::Function::Create(llvm::FunctionType::get(b_.getInt32Ty(), {ptr}, false),
                                       llvm::Function::ExternalLinkage, name, module_);
    evaluation_ = function_->getArg(0);
    entry_ = llvm::BasicBlock::Create(context_, "entry", function_);
    b_.SetInsertPoint(entry_);
    auto* frame = b_.CreateAlloca(llvm::ArrayType::get(b_.getInt8Ty(), value_bytes * std::max(1u, check_.slot_count)));
    frame->setAlignment(llvm::Align(8));
    frame_ = frame;
    steps_ = b_.CreateAlloca(b_.getInt64Ty());
    b_.CreateStore(b_.getInt64(0), steps_);
    steps_left_ = b_.CreateCall(calls_.steps_left, {evaluation_});
    look_at_ = b_.CreateAlloca(b_.getInt64Ty());
    b_.CreateStore(nearest(b_.getInt64(1024), steps_left_), look_at_);
    for (const runtime::Rule& rule : check_.rules) {
      for (const Expr* e : compiled_parts(rule)) {
        mark_lets(*e);
        mark_values(*e, /*counted=*/false);
      }
    }
    ask_interpreter_ = llvm::BasicBlock::Create(context_, "ask_interpreter", function_);
    {
      llvm::IRBuilder<> at(ask_interpreter_);
      at.CreateRet(at.getInt32(0));
    }
    for (const runtime::Rule& rule : check_.rules) {
      llvm::Value* fires = test(*rule.condition);
      if (!explain_) {
        continue_unless(fires);
        continue;
      }
      when(fires, [&] {
        llvm::Value* reason = value(*rule.reason);
        llvm::Value* null = llvm::ConstantPointerNull::get(ptr);
        llvm::Value* detail = rule.detail ? value(*rule.detail) : null;
        llvm::Value* at = rule.location ? value(*rule.location) : null;
        bail_unless_zero(b_.CreateCall(calls_.fire, {evaluation_, address(&rule), reason, detail, at}));
      });
    }
    llvm::Value* charged = b_.CreateCall(calls_.charge, {evaluation_, b_.CreateLoad(b_.getInt64Ty(), steps_)});
    b_.CreateRet(b_.CreateZExt(b_.CreateICmpEQ(charged, b_.getInt32(0)), b_.getInt32Ty()));
    return function_;
  }

 private:
  // The expressions of a rule that are compiled: its condition, and its messages and locations
  // when they are explained here.
  std::vector<const Expr*> compiled_parts(const runtime::Rule& rule) const {
    std::vector<const Expr*> parts{rule.condition};
    if (explain_) {
      for (const Expr* e : {rule.reason, rule.detail, rule.location}) {
        if (e) parts.push_back(e);
      }
    }
    return parts;
  }

  // Code that may not run where it is emitted (a branch's arm, a loop's body, a let's
  // computation): the lets it computes are not known computed after it.
  class Arm {
   public:
    explicit Arm(CheckCompiler& c) : c_(c), values_(c.known_values_), counts_(c.known_counts_) {}
    ~Arm() {
      c_.known_values_ = std::move(values_);
      c_.known_counts_ = std::move(counts_);
    }
    Arm(const Arm&) = delete;
    Arm& operator=(const Arm&) = delete;

   private:
    CheckCompiler& c_;
    std::set<uint32_t> values_, counts_;
  };

  // ---- values: pointers to 16-byte runtime::Value slots ----

  llvm::Value* value(const Expr& e) {
    if (const runtime::Value* folded = constant(e)) return address(folded);
    switch (e.op) {
      case Op::Constant: return address(&e.constant);
      case Op::Local: return slot(e.slot);
      case Op::LazyLocal: return lazy(e);
      case Op::Global:
        return once(fmt::format("{}", static_cast<int>(e.global)), [&](llvm::Value* out) {
          bail_unless_zero(b_.CreateCall(calls_.global, {evaluation_, b_.getInt32(static_cast<uint32_t>(e.global)), out}));
        });
      case Op::Member:
        if (e.args[0]->op == Op::Global) {
          // `metadata.annotations` in a loop: a document's global and its members do not change.
          std::string path = fmt::format("{}", static_cast<int>(e.args[0]->global));
          for (const std::string& key : e.keys) path += "." + key;
          return once(path, [&](llvm::Value* out) { copy(out, member(e)); });
        }
        return member(e);
      case Op::Index: return index(e);
      case Op::Coalesce: {
        llvm::Value* out = temp();
        llvm::Value* left = value(*e.args[0]);
        llvm::Value* null = is_null(left);
        branch(null, [&] { copy(out, value(*e.args[1])); }, [&] { copy(out, left); });
        return out;
      }
      case Op::Conditional: {
        llvm::Value* out = temp();
        branch(test(*e.args[0]), [&] { copy(out, value(*e.args[1])); }, [&] { copy(out, value(*e.args[2])); });
        return out;
      }
      case Op::Inline:
        enter(e);
        return value(*e.args.back());
      case Op::CallBuiltin: return builtin(e);
      case Op::Quantifier:
        if (e.quantifier == lang::QuantifierKind::Count) return integer(count_kept(e, 0, 1));
        return boolean(test(e));
      case Op::Binary:
        if (!is_comparison(e.binary)) return arithmetic(e);
        return boolean(test(e));
      case Op::Not:
      case Op::And:
      case Op::Or: return boolean(test(e));
      case Op::Comprehension:
        if (e.exists) return boolean(test(e));
        return build_list(e);
      case Op::MakeList: {
        llvm::Value* items = values_of(e.args);
        llvm::Value* out = temp();
        bail_unless_zero(b_.CreateCall(calls_.list, {evaluation_, items, b_.getInt64(e.args.size()), out}));
        return out;
      }
      case Op::Template: {
        llvm::Value* parts = values_of(e.args);
        llvm::Value* out = temp();
        bail_unless_zero(b_.CreateCall(calls_.template_string, {evaluation_, parts, b_.getInt64(e.args.size()), out}));
        return out;
      }
      case Op::CallFunction: throw Unsupported{"a call of a function that is not inlined"};
      default: throw Unsupported{fmt::format("an operation that builds a value ({})", static_cast<int>(e.op))};
    }
  }

  llvm::Value* builtin(const Expr& e) {
    // The length of a list the policy builds, counted without building it.
    if (e.builtin->name == "len" && e.args.size() == 1 && builds_list(*e.args[0])) return integer(count_list(*e.args[0]));
    if (e.builtin->name == "first" && e.args.size() == 1 && counted(*e.args[0])) return first_kept(*e.args[0]);
    llvm::Value* args = values_of(e.args);
    llvm::Value* out = temp();
    bail_unless_zero(b_.CreateCall(calls_.builtin, {evaluation_, address(&e), args, out}));
    return out;
  }

  // `+`, `-`, `*`, `/`, `%`: the runtime's (strings and lists joined, numbers, errors).
  llvm::Value* arithmetic(const Expr& e) {
    llvm::Value* left = value(*e.args[0]);
    llvm::Value* right = value(*e.args[1]);
    llvm::Value* out = temp();
    bail_unless_zero(b_.CreateCall(calls_.binary, {evaluation_, b_.getInt32(static_cast<uint32_t>(e.binary)), left, right, out}));
    return out;
  }

  static bool is_comparison(BinaryOp op) {
    switch (op) {
      case BinaryOp::Eq: case BinaryOp::Ne: case BinaryOp::In: case BinaryOp::NotIn:
      case BinaryOp::Lt: case BinaryOp::Le: case BinaryOp::Gt: case BinaryOp::Ge: return true;
      default: return false;
    }
  }

  // The values of `exprs`, in order, in consecutive slots (a call's arguments, a list's items).
  llvm::Value* values_of(const std::vector<const Expr*>& exprs) {
    llvm::Value* out = entry_alloca(value_bytes * std::max<size_t>(1, exprs.size()));
    for (size_t i = 0; i < exprs.size(); ++i) copy(at(out, i), value(*exprs[i]));
    return out;
  }

  // `[element for x in source if filter]` built as the interpreter builds it: a step per item,
  // the filter, then the element (each of its items, flattened); a list only once an element is kept.
  llvm::Value* build_list(const Expr& e) {
    llvm::Value* list = entry_alloca_typed(b_.getInt64Ty());
    b_.CreateStore(b_.getInt64(pol_jit_no_list), list);
    auto* done = llvm::BasicBlock::Create(context_, "built", function_);
    each_kept_element(e, done, [&](llvm::Value* element) {
      bail_unless_zero(b_.CreateCall(calls_.push, {evaluation_, list, element, b_.getInt32(e.flatten ? 1 : 0)}));
    });
    b_.SetInsertPoint(done);
    llvm::Value* out = temp();
    llvm::Value* index = b_.CreateLoad(b_.getInt64Ty(), list);
    branch(b_.CreateICmpEQ(index, b_.getInt64(pol_jit_no_list)), [&] {
      // The empty list: no heap block (Value::list of no items).
      clear(out);
      store_field(out, runtime::Value::layout().type, b_.getInt8(static_cast<uint8_t>(runtime::Type::List)));
    }, [&] { bail_unless_zero(b_.CreateCall(calls_.close_list, {evaluation_, index, out})); });
    return out;
  }

  // A comprehension whose list only needs counting: its element is never read, so it must not
  // be able to raise.
  static bool counted(const Expr& e) {
    return e.op == Op::Comprehension && !e.exists && !e.flatten && runtime::cannot_fail(*e.args[0]);
  }

  // An expression whose value is a list the policy builds (or may build, on one branch).
  static bool builds_list(const Expr& e) {
    switch (e.op) {
      case Op::Comprehension: return !e.exists;
      case Op::MakeList: return true;
      case Op::LazyLocal: return builds_list(*e.args[0]);
      case Op::Inline: return builds_list(*e.args.back());
      case Op::Conditional: return builds_list(*e.args[1]) || builds_list(*e.args[2]);
      case Op::Binary: return e.binary == BinaryOp::Add && (builds_list(*e.args[0]) || builds_list(*e.args[1]));
      default: return false;
    }
  }

  // The length `len(e)` has, without building the list: comprehensions are counted, written-out
  // lists have their length, and `+`, `if`, lets and inlined functions combine those. A list
  // whose elements may raise is built, and a value of the document counts its items (a list, or
  // null); anything else asks the interpreter.
  llvm::Value* count_list(const Expr& e) {
    if (const runtime::Value* folded = constant(e)) {
      if (folded->type() != runtime::Type::List) throw Unsupported{"the length of a constant that is not a list"};
      return b_.getInt64(folded->size());
    }
    switch (e.op) {
      case Op::Comprehension:
        if (counted(e) && !e.has_filter && builds_list(*e.args[1])) {
          // `[f(x) for x in L]`, L a list the policy builds: as long as L, a step an item.
          llvm::Value* count = count_list(*e.args[1]);
          step(count);
          return count;
        }
        if (counted(e)) return count_kept(e, 1, 2);
        break;  // its elements may raise: built, then counted
      case Op::MakeList:
        if (!std::all_of(e.args.begin(), e.args.end(), [](const Expr* item) { return runtime::cannot_fail(*item); })) break;
        return b_.getInt64(e.args.size());
      case Op::LazyLocal: return lazy_count(e);
      case Op::Inline:
        enter(e);
        return count_list(*e.args.back());
      case Op::Conditional: {
        llvm::Value* count = entry_alloca_typed(b_.getInt64Ty());
        branch(test(*e.args[0]), [&] { b_.CreateStore(count_list(*e.args[1]), count); },
               [&] { b_.CreateStore(count_list(*e.args[2]), count); });
        return b_.CreateLoad(b_.getInt64Ty(), count);
      }
      case Op::Binary:
        if (e.binary == BinaryOp::Add && builds_list(e)) {
          llvm::Value* left = count_list(*e.args[0]);
          return b_.CreateAdd(left, count_list(*e.args[1]));
        }
        break;
      default: break;
    }
    // A list or null from the document (or a let); `+` of a list and anything else raises.
    llvm::Value* count = entry_alloca_typed(b_.getInt64Ty());
    count_items(value(e), count, /*keys=*/false);
    return b_.CreateLoad(b_.getInt64Ty(), count);
  }

  // Each element a comprehension keeps, as the interpreter builds its list: a step per item, the
  // filter, then the element, which `use` is given.
  template <class Use>
  void each_kept_element(const Expr& e, llvm::BasicBlock* done, Use&& use) {
    each_item(e, 1, done, [&](llvm::BasicBlock* next) {
      auto* kept = llvm::BasicBlock::Create(context_, "kept", function_);
      b_.CreateCondBr(e.has_filter ? test(*e.args[2]) : b_.getInt1(true), kept, next);
      b_.SetInsertPoint(kept);
      use(value(*e.args[0]));
      b_.CreateBr(next);
    });
  }

  // `first([x for ...])`: every item's filter and every kept element evaluated, as the
  // interpreter builds the list, and the first element kept; null when none is.
  llvm::Value* first_kept(const Expr& e) {
    llvm::Value* out = temp();
    clear(out);
    llvm::Value* found = entry_alloca_typed(b_.getInt1Ty());
    b_.CreateStore(b_.getInt1(false), found);
    auto* done = llvm::BasicBlock::Create(context_, "first_done", function_);
    each_kept_element(e, done, [&](llvm::Value* element) {
      when(b_.CreateNot(b_.CreateLoad(b_.getInt1Ty(), found)), [&] {
        copy(out, element);
        b_.CreateStore(b_.getInt1(true), found);
      });
    });
    b_.SetInsertPoint(done);
    return out;
  }

  // The constant `e` is at this profile (its steps charged), or null.
  const runtime::Value* constant(const Expr& e) {
    if (e.op == Op::Constant) return &e.constant;
    const auto folded = constants_.fold(e);
    if (!folded) return nullptr;
    for (uint32_t i = 0; i < folded->steps; ++i) step();
    return folded->value;
  }

  // An inlined function's entry: its parameters bound, its lets unevaluated, its call's step.
  void enter(const Expr& e) {
    const size_t params = e.args.size() - 1;
    for (size_t i = 0; i < params; ++i) copy(slot(e.slot + static_cast<uint32_t>(i)), value(*e.args[i]));
    for (uint32_t s = e.slot + static_cast<uint32_t>(params); s < e.slot + e.slot_count; ++s) reset_let(s);
    step();
  }

  // ---- conditions: i1, with the interpreter's condition() (null is false, other types raise) ----

  llvm::Value* test(const Expr& e) {
    if (const auto folded = constants_.fold(e)) {
      const runtime::Value& v = *folded->value;
      if (v.type() == runtime::Type::Bool || v.is_null()) {
        constant(e);  // its steps
        return b_.getInt1(v.type() == runtime::Type::Bool && v.as_bool());
      }
    }
    switch (e.op) {
      case Op::Not: return b_.CreateNot(test(*e.args[0]));
      case Op::And:
      case Op::Or: return logical(e);
      case Op::Binary:
        if (is_comparison(e.binary)) {
          if (is_counted_int(*e.args[0]) && is_counted_int(*e.args[1]) && e.binary != BinaryOp::In &&
              e.binary != BinaryOp::NotIn) {
            llvm::Value* left = counted_int(*e.args[0]);
            return b_.CreateICmp(int_predicate(e.binary), left, counted_int(*e.args[1]));
          }
          if (llvm::Value* inline_answer = compare_with_constant(e)) return inline_answer;
          if (llvm::Value* inline_answer = constant_in_list(e)) return inline_answer;
          llvm::Value* left = value(*e.args[0]);
          llvm::Value* right = value(*e.args[1]);
          llvm::Value* result = entry_alloca_typed(b_.getInt32Ty());
          const bool ordered = e.binary != BinaryOp::In && e.binary != BinaryOp::NotIn;
          // Two ints are compared in place (signed, as the interpreter does); the rest by the runtime.
          branch(ordered ? b_.CreateAnd(has_type(left, runtime::Type::Int), has_type(right, runtime::Type::Int)) : b_.getInt1(false),
                 [&] { b_.CreateStore(b_.CreateZExt(b_.CreateICmp(int_predicate(e.binary), int_of(left), int_of(right)), b_.getInt32Ty()), result); },
                 [&] { b_.CreateStore(b_.CreateCall(calls_.compare, {left, right, b_.getInt32(static_cast<uint32_t>(e.binary))}), result); });
          return answer(b_.CreateLoad(b_.getInt32Ty(), result));
        }
        break;
      case Op::Comprehension:
        if (e.exists) return b_.CreateICmpNE(count_kept(e, 1, 2, e.stops_early), b_.getInt64(0));
        break;
      case Op::Quantifier:
        if (e.quantifier == lang::QuantifierKind::Any) {
          return b_.CreateICmpNE(count_kept(e, 0, 1, /*stop_at_first=*/true), b_.getInt64(0));
        }
        if (e.quantifier == lang::QuantifierKind::All) {
          return b_.CreateICmpEQ(count_kept(e, 0, 1, /*stop_at_first=*/true, /*count_failing=*/true), b_.getInt64(0));
        }
        break;
      default: break;
    }
    return truth(value(e));
  }

  llvm::Value* logical(const Expr& e) {
    const bool is_and = e.op == Op::And;
    llvm::Value* left = test(*e.args[0]);
    llvm::BasicBlock* from = b_.GetInsertBlock();
    auto* right_block = llvm::BasicBlock::Create(context_, is_and ? "and" : "or", function_);
    auto* merge = llvm::BasicBlock::Create(context_, "logic", function_);
    if (is_and) b_.CreateCondBr(left, right_block, merge);
    else b_.CreateCondBr(left, merge, right_block);
    b_.SetInsertPoint(right_block);
    llvm::Value* right = nullptr;
    {
      const Arm arm(*this);
      right = test(*e.args[1]);
    }
    llvm::BasicBlock* right_end = b_.GetInsertBlock();
    b_.CreateBr(merge);
    b_.SetInsertPoint(merge);
    llvm::PHINode* phi = b_.CreatePHI(b_.getInt1Ty(), 2);
    phi->addIncoming(b_.getInt1(!is_and), from);
    phi->addIncoming(right, right_end);
    return phi;
  }

  // ---- loops ----

  // How many items of a comprehension (source args[source], filter args[filter]) or quantifier
  // (source args[0], condition args[1]) are kept (or, with `count_failing`, not kept); with
  // `stop_at_first`, the loop ends at the first one counted.
  llvm::Value* count_kept(const Expr& e, size_t source, size_t filter, bool stop_at_first = false,
                          bool count_failing = false) {
    llvm::Value* kept = entry_alloca_typed(b_.getInt64Ty());
    b_.CreateStore(b_.getInt64(0), kept);
    auto* done = llvm::BasicBlock::Create(context_, "loop_done", function_);
    const bool has_filter = filter < e.args.size() && (e.op != Op::Comprehension || e.has_filter);
    each_item(e, source, done, [&](llvm::BasicBlock* next) {
      llvm::Value* holds = has_filter ? test(*e.args[filter]) : b_.getInt1(true);
      if (count_failing) holds = b_.CreateNot(holds);
      auto* counting = llvm::BasicBlock::Create(context_, "kept", function_);
      b_.CreateCondBr(holds, counting, next);
      b_.SetInsertPoint(counting);
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), kept), b_.getInt64(1)), kept);
      b_.CreateBr(stop_at_first ? done : next);
    });
    b_.SetInsertPoint(done);
    return b_.CreateLoad(b_.getInt64Ty(), kept);
  }

  // Binds each item of the loop's source to its slot and emits `body`, which ends its block by
  // branching to the block it is given (the next item) or to `done`.
  template <class Body>
  void each_item(const Expr& e, size_t source, llvm::BasicBlock* done, Body&& body) {
    llvm::Value* binder = slot(e.slot);
    if (e.literal_source) {
      for (const Expr* item : e.args[source]->args) {
        auto* next = llvm::BasicBlock::Create(context_, "next_item", function_);
        {
          const Arm arm(*this);  // an item's body may not run: an earlier one may end the loop
          copy(binder, value(*item));
          step();
          body(next);
        }
        b_.SetInsertPoint(next);
      }
      b_.CreateBr(done);
      return;
    }
    llvm::Value* list = value(*e.args[source]);
    llvm::Value* size = entry_alloca_typed(b_.getInt64Ty());
    count_items(list, size, /*keys=*/true);
    // The items of a list the policy or the evaluation built (all_containers), read in place.
    llvm::Value* values = entry_alloca_typed(ptr_type());
    branch(is_node(list), [&] { b_.CreateStore(llvm::ConstantPointerNull::get(ptr_type()), values); },
           [&] { b_.CreateStore(b_.CreateCall(calls_.values, {list}), values); });
    loop(b_.CreateLoad(b_.getInt64Ty(), size), done, [&](llvm::Value* i, llvm::BasicBlock* next) {
      // A list's item is read in place; a map's keys are the runtime's.
      branch(b_.CreateAnd(is_node(list), has_type(list, runtime::Type::List)), [&] {
        store_node(binder, node_item(field(node_of(list), offsetof(runtime::Node, items), ptr_type()), i));
      }, [&] {
        llvm::Value* built = b_.CreateLoad(ptr_type(), values);
        branch(b_.CreateICmpNE(built, llvm::ConstantPointerNull::get(ptr_type())),
               [&] { copy(binder, b_.CreateInBoundsGEP(b_.getInt8Ty(), built, b_.CreateMul(i, b_.getInt64(value_bytes)))); },
               [&] { bail_unless_zero(b_.CreateCall(calls_.item, {evaluation_, list, i, binder})); });
      });
      step();
      body(next);
    });
  }

  // `for (i = 0; i < size; ++i)`: `body(i, next)` ends its block by branching to `next` (the
  // next item) or to `done`, where the loop also ends after the last item.
  template <class Body>
  void loop(llvm::Value* size, llvm::BasicBlock* done, Body&& body) {
    llvm::Value* index = entry_alloca_typed(b_.getInt64Ty());
    b_.CreateStore(b_.getInt64(0), index);
    auto* head = llvm::BasicBlock::Create(context_, "loop", function_);
    auto* item = llvm::BasicBlock::Create(context_, "item", function_);
    auto* next = llvm::BasicBlock::Create(context_, "next", function_);
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    llvm::Value* i = b_.CreateLoad(b_.getInt64Ty(), index);
    b_.CreateCondBr(b_.CreateICmpULT(i, size), item, done);
    b_.SetInsertPoint(item);
    {
      const Arm arm(*this);
      body(i, next);
    }
    b_.SetInsertPoint(next);
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), index), b_.getInt64(1)), index);
    b_.CreateBr(head);
  }

  // Item `i` of a document list's items.
  llvm::Value* node_item(llvm::Value* items, llvm::Value* i) {
    return b_.CreateInBoundsGEP(b_.getInt8Ty(), items, b_.CreateMul(i, b_.getInt64(sizeof(runtime::Node))));
  }

  // One step of the budget, as the interpreter takes one per loop item and per call. Like the
  // interpreter, compiled code looks at the clock each time it passes a multiple of 1,024 steps:
  // a loop over `range(100000)` must not outlive a request's deadline.
  // One compare on the way: `look_at_` is the next multiple of 1,024 steps, or the limit if nearer.
  void step(llvm::Value* count = nullptr) {
    llvm::Value* steps = b_.CreateAdd(b_.CreateLoad(b_.getInt64Ty(), steps_), count ? count : b_.getInt64(1));
    b_.CreateStore(steps, steps_);
    when(b_.CreateICmpUGT(steps, b_.CreateLoad(b_.getInt64Ty(), look_at_)), [&] {
      continue_unless(b_.CreateICmpUGT(steps, steps_left_));
      bail_unless_zero(b_.CreateCall(calls_.deadline, {evaluation_}));
      b_.CreateStore(nearest(b_.CreateAdd(steps, b_.getInt64(1024)), steps_left_), look_at_);
    });
  }
  llvm::Value* nearest(llvm::Value* a, llvm::Value* b) { return b_.CreateSelect(b_.CreateICmpULT(a, b), a, b); }

  // ---- lets ----

  void mark_lets(const Expr& e) {
    if (e.op == Op::LazyLocal && lets_.insert(e.slot).second) mark_lets(*e.args[0]);
    for (const Expr* arg : e.args) mark_lets(*arg);
  }

  // The lets whose value is read (`valued_`), not only their length: those are built, and their
  // length is counted from the list. Marks every let but one read only where count_list()
  // counts without building (`counted`), so that no list is both counted and built, which would
  // take its steps twice.
  void mark_values(const Expr& e, bool counted) {
    const auto each = [&](size_t from, size_t to, bool counted_args) {
      for (size_t i = from; i < to; ++i) mark_values(*e.args[i], counted_args);
    };
    switch (e.op) {
      case Op::LazyLocal:
        if (!counted) valued_.insert(e.slot);
        if (walked_.insert(e.slot).second) mark_values(*e.args[0], false);
        return;
      case Op::CallBuiltin:
        if (e.builtin->name == "len" && e.args.size() == 1 && builds_list(*e.args[0])) return mark_values(*e.args[0], true);
        break;
      case Op::Inline:
        if (!counted) break;
        each(0, e.args.size() - 1, false);
        return mark_values(*e.args.back(), true);
      case Op::Conditional:
        if (!counted) break;
        each(0, 1, false);
        return each(1, 3, true);
      case Op::Binary:
        if (!counted || e.binary != BinaryOp::Add) break;
        return each(0, 2, true);
      case Op::Comprehension:
        if (!counted || !this->counted(e) || e.has_filter || !builds_list(*e.args[1])) break;
        each(0, 1, false);
        return each(1, 2, true);
      default: break;
    }
    each(0, e.args.size(), false);
  }

  // A let's value, computed on its first read (its flag), as Op::LazyLocal is.
  llvm::Value* lazy(const Expr& e) {
    llvm::Value* target = slot(e.slot);
    if (known_values_.count(e.slot)) return target;
    llvm::Value* flag = let_flag(e.slot);
    auto* compute = llvm::BasicBlock::Create(context_, "let", function_);
    auto* ready = llvm::BasicBlock::Create(context_, "let_ready", function_);
    b_.CreateCondBr(b_.CreateLoad(b_.getInt1Ty(), flag), ready, compute);
    b_.SetInsertPoint(compute);
    {
      const Arm arm(*this);
      copy(target, value(*e.args[0]));
    }
    b_.CreateStore(b_.getInt1(true), flag);
    b_.CreateBr(ready);
    b_.SetInsertPoint(ready);
    known_values_.insert(e.slot);
    return target;
  }

  // The length of a let's list, computed once: the interpreter builds the list once.
  llvm::Value* lazy_count(const Expr& e) {
    const auto [flag, count] = let_count(e.slot);
    if (known_counts_.count(e.slot)) return b_.CreateLoad(b_.getInt64Ty(), count);
    auto* compute = llvm::BasicBlock::Create(context_, "count", function_);
    auto* ready = llvm::BasicBlock::Create(context_, "count_ready", function_);
    b_.CreateCondBr(b_.CreateLoad(b_.getInt1Ty(), flag), ready, compute);
    b_.SetInsertPoint(compute);
    {
      const Arm arm(*this);
      if (valued_.count(e.slot)) {
        // The list is built for its value elsewhere in the check: counted from it, so that its
        // steps are taken once, as the interpreter builds it once.
        count_items(lazy(e), count, /*keys=*/false);
      } else {
        b_.CreateStore(count_list(*e.args[0]), count);
      }
    }
    b_.CreateStore(b_.getInt1(true), flag);
    b_.CreateBr(ready);
    b_.SetInsertPoint(ready);
    known_counts_.insert(e.slot);
    return b_.CreateLoad(b_.getInt64Ty(), count);
  }

  std::pair<llvm::Value*, llvm::Value*> let_count(uint32_t s) {
    auto [it, fresh] = let_counts_.try_emplace(s);
    if (fresh) {
      it->second.first = entry_alloca_typed(b_.getInt1Ty(), b_.getInt1(false));
      it->second.second = entry_alloca_typed(b_.getInt64Ty());
    }
    return it->second;
  }

  llvm::Value* let_flag(uint32_t s) {
    auto [it, fresh] = let_flags_.try_emplace(s);
    if (fresh) it->second = entry_alloca_typed(b_.getInt1Ty(), b_.getInt1(false));
    return it->second;
  }

  // An inlined function's let, unevaluated again at each entry.
  void reset_let(uint32_t s) {
    if (!lets_.count(s)) return;
    known_values_.erase(s);
    known_counts_.erase(s);
    b_.CreateStore(b_.getInt1(false), let_flag(s));
    b_.CreateStore(b_.getInt1(false), let_count(s).first);
  }

  // ---- values read in place: Value::layout(), and the document's Node and Member ----
  // The common cases are code; the rest are the runtime calls.

  void store_field(llvm::Value* base, size_t offset, llvm::Value* value) {
    b_.CreateStore(value, b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), base, offset));
  }
  llvm::Value* field(llvm::Value* base, size_t offset, llvm::Type* type) {
    return b_.CreateLoad(type, b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), base, offset));
  }
  llvm::Value* type_of(llvm::Value* v) { return field(v, runtime::Value::layout().type, b_.getInt8Ty()); }
  llvm::Value* has_type(llvm::Value* v, runtime::Type t) {
    return b_.CreateICmpEQ(type_of(v), b_.getInt8(static_cast<uint8_t>(t)));
  }
  llvm::Value* is_null(llvm::Value* v) { return has_type(v, runtime::Type::Null); }
  llvm::Value* is_node(llvm::Value* v) {
    return b_.CreateICmpNE(field(v, runtime::Value::layout().from_node, b_.getInt8Ty()), b_.getInt8(0));
  }
  llvm::Value* node_of(llvm::Value* v) { return field(v, runtime::Value::layout().payload, ptr_type()); }

  // `a[k]`: a document map by a string, or a document list by an int, read in place; the rest
  // (which may raise) by the runtime.
  llvm::Value* index(const Expr& e) {
    llvm::Value* target = value(*e.args[0]);
    llvm::Value* key = value(*e.args[1]);
    llvm::Value* out = temp();
    llvm::Value* node = node_of(target);
    branch(b_.CreateAnd(is_node(target), b_.CreateAnd(has_type(target, runtime::Type::Map), has_type(key, runtime::Type::String))),
           [&] { store_node(out, b_.CreateCall(calls_.find_string, {node, key})); },
           [&] {
             branch(b_.CreateAnd(is_node(target), b_.CreateAnd(has_type(target, runtime::Type::List), has_type(key, runtime::Type::Int))),
                    [&] {
                      // A negative index, or one past the end, reads as absent.
                      llvm::Value* i = int_of(key);
                      llvm::Value* size = b_.CreateZExt(field(node, offsetof(runtime::Node, size), b_.getInt32Ty()), b_.getInt64Ty());
                      llvm::Value* inside = b_.CreateICmpULT(i, size);  // unsigned: a negative index is huge
                      llvm::Value* items = field(node, offsetof(runtime::Node, items), ptr_type());
                      clear(out);
                      when(inside, [&] { store_node(out, node_item(items, i)); });
                    },
                    [&] { bail_unless_zero(b_.CreateCall(calls_.index, {target, key, out})); });
           });
    return out;
  }

  // A value computed on its first use in the check (by `compute`, into its slot) and read
  // from there after: what is the same for the whole document, named by `name`.
  template <class Compute>
  llvm::Value* once(const std::string& name, Compute&& compute) {
    auto [it, fresh] = once_.try_emplace(name);
    if (fresh) it->second = {entry_alloca_typed(b_.getInt1Ty(), b_.getInt1(false)), entry_alloca(value_bytes)};
    llvm::Value* flag = it->second.first;  // not a structured binding: clang 14 (fuzz/) cannot capture those
    llvm::Value* out = it->second.second;
    when(b_.CreateNot(b_.CreateLoad(b_.getInt1Ty(), flag)), [&] {
      compute(out);
      b_.CreateStore(b_.getInt1(true), flag);
    });
    return out;
  }

  // `a.b.c`: on a document node, each key found in place (find_key); on a value the policy
  // built (a map), a runtime call.
  llvm::Value* member(const Expr& e) {
    llvm::Value* in = value(*e.args[0]);
    llvm::Value* out = temp();
    branch(is_node(in), [&] {
      llvm::Value* node = node_of(in);
      for (size_t i = 0; i < e.keys.size(); ++i) node = find_key(node, e.keys[i], e.key_shapes[i]);
      store_node(out, node);
    }, [&] {
      // A member of null is null.
      branch(is_null(in), [&] { clear(out); },
             [&] { b_.CreateCall(calls_.member, {in, address(&e), out}); });
    });
    return out;
  }

  // The member `key` of `node` (a node, or null), or null when it has none or is not a map. An
  // inline cache: each lookup site keeps the index where it last found its key (a hint in the
  // module's data, read and written atomically, so threads may share it), and tries that member
  // first: the maps one site sees (a pod's containers, the same chart's pods) mostly have their
  // keys in the same order. Otherwise Node::find scans the map and moves the hint. The code is
  // the key's finder (key_finder), which every site of that key calls with its own hint.
  llvm::Value* find_key(llvm::Value* node, const std::string& key, uint64_t shape) {
    auto* hint = new llvm::GlobalVariable(module_, b_.getInt32Ty(), false, llvm::GlobalValue::InternalLinkage,
                                          b_.getInt32(0), "hint");
    hint->setAlignment(llvm::Align(4));
    llvm::Function* finder = key_finder(key, shape);
    llvm::CallInst* call = b_.CreateCall(finder, {node, hint});
    call->setCallingConv(finder->getCallingConv());
    return call;
  }

  // `ptr find.KEY(ptr node, ptr hint)`, made once per key in the module. Out of line, not in
  // each site: one key is looked up from many sites, and written out at each, restricted's
  // lookups were some 42 KiB of code; as finders, the module compiles a quarter faster for 2%
  // more instructions per pod (docs/jit.md, "Measured").
  llvm::Function* key_finder(const std::string& key, uint64_t shape) {
    const std::string name = "find." + key;
    if (llvm::Function* existing = module_.getFunction(name)) return existing;
    auto* ptr = ptr_type();
    auto* f = llvm::Function::Create(llvm::FunctionType::get(ptr, {ptr, ptr}, false), llvm::Function::InternalLinkage,
                                     name, module_);
    f->setCallingConv(llvm::CallingConv::Fast);
    f->addFnAttr(llvm::Attribute::NoInline);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    llvm::Value* node = f->getArg(0);
    llvm::Value* hint = f->getArg(1);
    const llvm::IRBuilderBase::InsertPointGuard keep(b_);
    auto block = [&](const char* label) { return llvm::BasicBlock::Create(context_, label, f); };
    llvm::BasicBlock *entry = block("entry"), *node_block = block("node"), *map = block("map"), *probe = block("probe"),
                     *verify = block("verify"), *hit = block("hit"), *scan = block("scan"), *none = block("none");
    b_.SetInsertPoint(entry);
    b_.CreateCondBr(b_.CreateICmpEQ(node, llvm::ConstantPointerNull::get(ptr)), none, node_block);
    b_.SetInsertPoint(node_block);
    llvm::Value* kind = field(node, offsetof(runtime::Node, kind), b_.getInt8Ty());
    b_.CreateCondBr(b_.CreateICmpEQ(kind, b_.getInt8(static_cast<uint8_t>(runtime::NodeKind::Map))), map, none);
    b_.SetInsertPoint(map);
    auto* load = b_.CreateAlignedLoad(b_.getInt32Ty(), hint, llvm::Align(4));
    load->setAtomic(llvm::AtomicOrdering::Monotonic);
    llvm::Value* index = b_.CreateZExt(load, b_.getInt64Ty());
    llvm::Value* size = b_.CreateZExt(field(node, offsetof(runtime::Node, size), b_.getInt32Ty()), b_.getInt64Ty());
    b_.CreateCondBr(b_.CreateICmpULT(index, size), probe, scan);
    b_.SetInsertPoint(probe);
    llvm::Value* members = field(node, offsetof(runtime::Node, members), ptr);
    llvm::Value* m = b_.CreateInBoundsGEP(b_.getInt8Ty(), members, b_.CreateMul(index, b_.getInt64(sizeof(runtime::Member))));
    b_.CreateCondBr(b_.CreateICmpEQ(field(m, offsetof(runtime::Member, key_shape), b_.getInt64Ty()), b_.getInt64(shape)),
                    verify, scan);
    b_.SetInsertPoint(verify);
    b_.CreateCondBr(equals_text(field(m, offsetof(runtime::Member, key_chars), ptr), key), hit, scan);
    b_.SetInsertPoint(hit);
    b_.CreateRet(b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), m, offsetof(runtime::Member, value)));
    b_.SetInsertPoint(scan);
    llvm::Value* text = b_.CreateGlobalString(key, "key");
    b_.CreateRet(b_.CreateCall(calls_.find, {node, text, b_.getInt64(key.size()), b_.getInt64(shape), hint}));
    b_.SetInsertPoint(none);
    b_.CreateRet(llvm::ConstantPointerNull::get(ptr));
    return f;
  }

  // Whether the bytes at `chars` are `text`, when they are known to be as many (a key's shape
  // or a string's length matched): loads of 8, 4, 2 or 1 bytes compared with constants, the
  // last one overlapping the one before it so that no byte past them is read.
  llvm::Value* equals_text(llvm::Value* chars, const std::string& text) {
    llvm::Value* same = b_.getInt1(true);
    const size_t n = text.size();
    auto compare = [&](size_t offset, unsigned bytes) {
      uint64_t expected = 0;
      std::memcpy(&expected, text.data() + offset, bytes);  // the host's byte order, as the load's
      llvm::Type* type = b_.getIntNTy(bytes * 8);
      llvm::Value* loaded = b_.CreateAlignedLoad(type, b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), chars, offset),
                                                 llvm::Align(1));
      same = b_.CreateAnd(same, b_.CreateICmpEQ(loaded, llvm::ConstantInt::get(type, expected)));
    };
    for (const unsigned bytes : {8u, 4u, 2u, 1u}) {
      if (n < bytes) continue;
      for (size_t offset = 0; offset + bytes <= n; offset += bytes) compare(offset, bytes);
      if (n % bytes) compare(n - bytes, bytes);
      break;
    }
    return same;
  }

  // `node` as a value in `out`, as Value::node makes it: null for no node; an integer above
  // INT64_MAX, which reads as a float, the runtime's.
  void store_node(llvm::Value* out, llvm::Value* node) {
    static_assert(static_cast<int>(runtime::NodeKind::Map) == static_cast<int>(runtime::Type::Map) &&
                      static_cast<int>(runtime::NodeKind::String) == static_cast<int>(runtime::Type::String) &&
                      static_cast<int>(runtime::NodeKind::Int) == static_cast<int>(runtime::Type::Int),
                  "a node's kind is its value's type");
    clear(out);
    when(b_.CreateICmpNE(node, llvm::ConstantPointerNull::get(ptr_type())), [&] {
      llvm::Value* kind = field(node, offsetof(runtime::Node, kind), b_.getInt8Ty());
      llvm::Value* big = b_.CreateAnd(b_.CreateICmpEQ(kind, b_.getInt8(static_cast<uint8_t>(runtime::NodeKind::Int))),
                                      b_.CreateICmpNE(field(node, offsetof(runtime::Node, boolean), b_.getInt8Ty()), b_.getInt8(0)));
      branch(big, [&] { b_.CreateCall(calls_.node, {node, out}); }, [&] {
        const runtime::Value::Layout layout = runtime::Value::layout();
        store_field(out, layout.type, kind);
        store_field(out, layout.from_node, b_.getInt8(1));
        store_field(out, layout.payload, node);
      });
    });
  }

  // The interpreter's condition(): a bool, null as false, anything else raises (ask it).
  llvm::Value* truth(llvm::Value* v) {
    llvm::Value* boolean = has_type(v, runtime::Type::Bool);
    continue_unless(b_.CreateNot(b_.CreateOr(boolean, is_null(v))));
    return b_.CreateAnd(boolean, as_bool(v));
  }
  llvm::Value* as_bool(llvm::Value* v) {
    // Reads the node only when the value is one: a select would read through any payload.
    llvm::Value* out = entry_alloca_typed(b_.getInt8Ty());
    branch(is_node(v), [&] { b_.CreateStore(field(node_of(v), offsetof(runtime::Node, boolean), b_.getInt8Ty()), out); },
           [&] { b_.CreateStore(field(v, runtime::Value::layout().boolean, b_.getInt8Ty()), out); });
    return b_.CreateICmpNE(b_.CreateLoad(b_.getInt8Ty(), out), b_.getInt8(0));
  }

  // An item count into `size`: a document's list (with `keys`, also a document's map, whose
  // keys a loop visits), or null (no items); the runtime's for a list a policy built; anything
  // else asks the interpreter.
  void count_items(llvm::Value* list, llvm::Value* size, bool keys) {
    auto* node_items = llvm::BasicBlock::Create(context_, "node_items", function_);
    auto* other = llvm::BasicBlock::Create(context_, "other_items", function_);
    auto* done = llvm::BasicBlock::Create(context_, "counted", function_);
    llvm::Value* countable = has_type(list, runtime::Type::List);
    if (keys) countable = b_.CreateOr(countable, has_type(list, runtime::Type::Map));
    b_.CreateCondBr(b_.CreateAnd(is_node(list), countable), node_items, other);
    b_.SetInsertPoint(node_items);
    b_.CreateStore(b_.CreateZExt(field(node_of(list), offsetof(runtime::Node, size), b_.getInt32Ty()), b_.getInt64Ty()),
                   size);
    b_.CreateBr(done);
    b_.SetInsertPoint(other);
    bail_unless_zero(b_.CreateCall(calls_.count, {list, size}));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }

  // `==`, `!=`, `in`, `not in` against a constant string, bool or null, or a constant list of
  // them, as code: none of these can raise. Null when the comparison is not of that form.
  llvm::Value* compare_with_constant(const Expr& e) {
    const BinaryOp op = e.binary;
    const bool equality = op == BinaryOp::Eq || op == BinaryOp::Ne;
    if (!equality && op != BinaryOp::In && op != BinaryOp::NotIn) return nullptr;
    const Expr* fixed = e.args[1];
    const Expr* other = e.args[0];
    if (equality && !constants_.fold(*fixed)) std::swap(fixed, other);
    const auto folded = constants_.fold(*fixed);
    if (!folded || folded->steps > 0) return nullptr;
    const runtime::Value& known = *folded->value;
    std::vector<runtime::Value> choices;
    if (equality) {
      choices.push_back(known);
    } else if (known.type() == runtime::Type::List) {
      for (size_t i = 0; i < known.size(); ++i) choices.push_back(known.at(i));
    } else {
      return nullptr;
    }
    bool strings = false;
    bool ints = false;
    for (const runtime::Value& choice : choices) {
      const runtime::Type type = choice.type();
      if (type != runtime::Type::String && type != runtime::Type::Bool && type != runtime::Type::Null &&
          type != runtime::Type::Int) {
        return nullptr;
      }
      strings = strings || type == runtime::Type::String;
      ints = ints || type == runtime::Type::Int;
    }
    llvm::Value* v = value(*other);
    llvm::Value* matched = entry_alloca_typed(b_.getInt1Ty());
    b_.CreateStore(b_.getInt1(false), matched);
    if (strings) {
      branch(has_type(v, runtime::Type::String), [&] {
        const std::pair<llvm::Value*, llvm::Value*> bytes = string_of(v);
        llvm::Value* chars = bytes.first;  // not a structured binding: clang 14 (fuzz/) cannot capture those
        llvm::Value* size = bytes.second;
        for (const runtime::Value& choice : choices) {
          if (choice.type() != runtime::Type::String) continue;
          const std::string text(choice.as_string());
          when(b_.CreateICmpEQ(size, b_.getInt64(text.size())), [&] {
            when(equals_text(chars, text), [&] { b_.CreateStore(b_.getInt1(true), matched); });
          });
        }
      }, [] {});
    }
    if (ints) {
      // 1 == 1.0 holds: a float (or an integer too big for int64, read as one) is the
      // interpreter's to compare.
      continue_unless(has_type(v, runtime::Type::Float));
      when(has_type(v, runtime::Type::Int), [&] {
        llvm::Value* integer = int_of(v);
        for (const runtime::Value& choice : choices) {
          if (choice.type() != runtime::Type::Int) continue;
          when(b_.CreateICmpEQ(integer, b_.getInt64(static_cast<uint64_t>(choice.as_int()))),
               [&] { b_.CreateStore(b_.getInt1(true), matched); });
        }
      });
    }
    for (const runtime::Value& choice : choices) {
      if (choice.type() == runtime::Type::Null) {
        when(is_null(v), [&] { b_.CreateStore(b_.getInt1(true), matched); });
      } else if (choice.type() == runtime::Type::Bool) {
        when(has_type(v, runtime::Type::Bool), [&] {
          when(b_.CreateICmpEQ(as_bool(v), b_.getInt1(choice.as_bool())), [&] { b_.CreateStore(b_.getInt1(true), matched); });
        });
      }
    }
    llvm::Value* result = b_.CreateLoad(b_.getInt1Ty(), matched);
    return op == BinaryOp::Ne || op == BinaryOp::NotIn ? b_.CreateNot(result) : result;
  }

  static llvm::CmpInst::Predicate int_predicate(BinaryOp op) {
    switch (op) {
      case BinaryOp::Eq: return llvm::CmpInst::ICMP_EQ;
      case BinaryOp::Ne: return llvm::CmpInst::ICMP_NE;
      case BinaryOp::Lt: return llvm::CmpInst::ICMP_SLT;
      case BinaryOp::Le: return llvm::CmpInst::ICMP_SLE;
      case BinaryOp::Gt: return llvm::CmpInst::ICMP_SGT;
      default: return llvm::CmpInst::ICMP_SGE;
    }
  }

  // An int known without reading a value: `len` of a list the policy builds, a `count`
  // quantifier, or a constant int. Compared as i64, never made a value.
  bool is_counted_int(const Expr& e) {
    if (const auto folded = constants_.fold(e)) return folded->value->type() == runtime::Type::Int;
    if (e.op == Op::Quantifier) return e.quantifier == lang::QuantifierKind::Count;
    return e.op == Op::CallBuiltin && e.builtin->name == "len" && e.args.size() == 1 && builds_list(*e.args[0]);
  }
  llvm::Value* counted_int(const Expr& e) {
    if (const runtime::Value* folded = constant(e)) return b_.getInt64(static_cast<uint64_t>(folded->as_int()));
    if (e.op == Op::Quantifier) return count_kept(e, 0, 1);
    return count_list(*e.args[0]);
  }

  // `"ALL" in c.capabilities.drop` (or `not in`): a constant string looked for in a document's
  // list, item by item, in place. A list the policy built, or anything else, is the runtime's.
  // Null when the comparison is not of that form.
  llvm::Value* constant_in_list(const Expr& e) {
    if (e.binary != BinaryOp::In && e.binary != BinaryOp::NotIn) return nullptr;
    const auto folded = constants_.fold(*e.args[0]);
    if (!folded || folded->steps > 0 || folded->value->type() != runtime::Type::String) return nullptr;
    const std::string text(folded->value->as_string());
    llvm::Value* list = value(*e.args[1]);
    llvm::Value* found = entry_alloca_typed(b_.getInt1Ty());
    b_.CreateStore(b_.getInt1(false), found);
    branch(b_.CreateAnd(is_node(list), has_type(list, runtime::Type::List)), [&] {
      llvm::Value* node = node_of(list);
      llvm::Value* size = b_.CreateZExt(field(node, offsetof(runtime::Node, size), b_.getInt32Ty()), b_.getInt64Ty());
      llvm::Value* items = field(node, offsetof(runtime::Node, items), ptr_type());
      auto* done = llvm::BasicBlock::Create(context_, "in_done", function_);
      loop(size, done, [&](llvm::Value* i, llvm::BasicBlock* next) {
        llvm::Value* item = node_item(items, i);
        llvm::Value* is_string = b_.CreateICmpEQ(field(item, offsetof(runtime::Node, kind), b_.getInt8Ty()),
                                                 b_.getInt8(static_cast<uint8_t>(runtime::NodeKind::String)));
        llvm::Value* same_size =
            b_.CreateICmpEQ(field(item, offsetof(runtime::Node, size), b_.getInt32Ty()), b_.getInt32(text.size()));
        when(b_.CreateAnd(is_string, same_size), [&] {
          when(equals_text(field(item, offsetof(runtime::Node, chars), ptr_type()), text),
               [&] { b_.CreateStore(b_.getInt1(true), found); });
        });
        b_.CreateCondBr(b_.CreateLoad(b_.getInt1Ty(), found), done, next);
      });
      b_.SetInsertPoint(done);
    }, [&] {
      // `x in null` is false; a built list, a map or a string is the runtime's (which may raise).
      when(b_.CreateNot(is_null(list)), [&] {
        llvm::Value* result = b_.CreateCall(calls_.compare, {address(folded->value), list, b_.getInt32(static_cast<uint32_t>(BinaryOp::In))});
        b_.CreateStore(answer(result), found);
      });
    });
    llvm::Value* result = b_.CreateLoad(b_.getInt1Ty(), found);
    return e.binary == BinaryOp::NotIn ? b_.CreateNot(result) : result;
  }

  // An Int value's integer: a document node's, or the value's own.
  llvm::Value* int_of(llvm::Value* v) {
    llvm::Value* out = entry_alloca_typed(b_.getInt64Ty());
    branch(is_node(v), [&] { b_.CreateStore(field(node_of(v), offsetof(runtime::Node, integer), b_.getInt64Ty()), out); },
           [&] { b_.CreateStore(field(v, runtime::Value::layout().payload, b_.getInt64Ty()), out); });
    return b_.CreateLoad(b_.getInt64Ty(), out);
  }

  // A string value's bytes: a document's in place, or the runtime's for one a policy built.
  std::pair<llvm::Value*, llvm::Value*> string_of(llvm::Value* v) {
    llvm::Value* chars = entry_alloca_typed(ptr_type());
    llvm::Value* size = entry_alloca_typed(b_.getInt64Ty());
    branch(
        is_node(v),
        [&] {
          llvm::Value* node = node_of(v);
          b_.CreateStore(field(node, offsetof(runtime::Node, chars), ptr_type()), chars);
          b_.CreateStore(b_.CreateZExt(field(node, offsetof(runtime::Node, size), b_.getInt32Ty()), b_.getInt64Ty()), size);
        },
        [&] { b_.CreateStore(b_.CreateCall(calls_.string, {v, chars}), size); });
    return {b_.CreateLoad(ptr_type(), chars), b_.CreateLoad(b_.getInt64Ty(), size)};
  }

  llvm::PointerType* ptr_type() { return llvm::PointerType::getUnqual(context_); }

  // ---- small pieces ----

  llvm::Value* address(const void* p) {
    return b_.CreateIntToPtr(b_.getInt64(reinterpret_cast<uint64_t>(p)), llvm::PointerType::getUnqual(context_));
  }
  llvm::Value* slot(uint32_t s) { return at(frame_, s); }
  llvm::Value* at(llvm::Value* base, size_t i) { return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), base, i * value_bytes); }
  llvm::Value* temp() { return entry_alloca(value_bytes); }
  llvm::Value* entry_alloca(uint64_t bytes) {
    llvm::IRBuilder<> at(entry_, entry_->begin());
    auto* a = at.CreateAlloca(llvm::ArrayType::get(at.getInt8Ty(), bytes));
    a->setAlignment(llvm::Align(8));
    return a;
  }
  llvm::Value* entry_alloca_typed(llvm::Type* type, llvm::Value* initial = nullptr) {
    llvm::IRBuilder<> at(entry_, entry_->begin());
    llvm::AllocaInst* a = at.CreateAlloca(type);
    // Stored right after the alloca: the entry block runs once, before any read.
    if (initial) llvm::IRBuilder<>(a->getNextNode()).CreateStore(initial, a);
    return a;
  }
  // A value's two words copied (or cleared: null) by loads and stores: a 16-byte memcpy or
  // memset would stay a call into libc under the short pipeline and the fast instruction selector.
  void copy(llvm::Value* to, llvm::Value* from) {
    if (to == from) return;
    for (uint64_t offset = 0; offset < value_bytes; offset += 8) {
      llvm::Value* word = b_.CreateAlignedLoad(b_.getInt64Ty(), b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), from, offset),
                                               llvm::Align(8));
      b_.CreateAlignedStore(word, b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), to, offset), llvm::Align(8));
    }
  }
  void clear(llvm::Value* to) {
    for (uint64_t offset = 0; offset < value_bytes; offset += 8) {
      b_.CreateAlignedStore(b_.getInt64(0), b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), to, offset), llvm::Align(8));
    }
  }
  // Value::boolean(b) and Value::integer(i), made by stores (Value::layout()).
  llvm::Value* boolean(llvm::Value* i1) {
    llvm::Value* out = temp();
    clear(out);
    const runtime::Value::Layout layout = runtime::Value::layout();
    store_field(out, layout.type, b_.getInt8(static_cast<uint8_t>(runtime::Type::Bool)));
    store_field(out, layout.boolean, b_.CreateZExt(i1, b_.getInt8Ty()));
    return out;
  }
  llvm::Value* integer(llvm::Value* i64) {
    llvm::Value* out = temp();
    clear(out);
    const runtime::Value::Layout layout = runtime::Value::layout();
    store_field(out, layout.type, b_.getInt8(static_cast<uint8_t>(runtime::Type::Int)));
    store_field(out, layout.payload, i64);
    return out;
  }
  // A 0/1/bail status as i1, asking the interpreter on bail.
  llvm::Value* answer(llvm::Value* status) {
    continue_unless(b_.CreateICmpEQ(status, b_.getInt32(pol_jit_bail)));
    return b_.CreateICmpNE(status, b_.getInt32(0));
  }
  void bail_unless_zero(llvm::Value* status) { continue_unless(b_.CreateICmpNE(status, b_.getInt32(0))); }
  // Goes on in a new block when `ask` is false; asks the interpreter when it is true.
  void continue_unless(llvm::Value* ask) {
    auto* go_on = llvm::BasicBlock::Create(context_, "go_on", function_);
    b_.CreateCondBr(ask, ask_interpreter_, go_on);
    b_.SetInsertPoint(go_on);
  }
  template <class Then>
  void when(llvm::Value* condition, Then&& then) {
    branch(condition, std::forward<Then>(then), [] {});
  }
  template <class Then, class Else>
  void branch(llvm::Value* condition, Then&& then, Else&& otherwise) {
    auto* then_block = llvm::BasicBlock::Create(context_, "then", function_);
    auto* else_block = llvm::BasicBlock::Create(context_, "else", function_);
    auto* merge = llvm::BasicBlock::Create(context_, "merge", function_);
    b_.CreateCondBr(condition, then_block, else_block);
    b_.SetInsertPoint(then_block);
    {
      const Arm arm(*this);
      then();
    }
    b_.CreateBr(merge);
    b_.SetInsertPoint(else_block);
    {
      const Arm arm(*this);
      otherwise();
    }
    b_.CreateBr(merge);
    b_.SetInsertPoint(merge);
  }

  llvm::Module& module_;
  llvm::LLVMContext& context_;
  const Calls& calls_;
  const runtime::Check& check_;
  ProfileConstants& constants_;
  const bool explain_;
  llvm::IRBuilder<> b_;
  llvm::Function* function_ = nullptr;
  llvm::BasicBlock* entry_ = nullptr;
  llvm::BasicBlock* ask_interpreter_ = nullptr;
  llvm::Value* evaluation_ = nullptr;
  llvm::Value* frame_ = nullptr;
  llvm::Value* steps_ = nullptr;
  llvm::Value* steps_left_ = nullptr;
  llvm::Value* look_at_ = nullptr;  // step()
  std::set<uint32_t> lets_;
  std::set<uint32_t> valued_, walked_;  // mark_values()
  // Lets computed on every path to where code is emitted: read from their slot, with no test of
  // their flag and no second copy of their code.
  std::set<uint32_t> known_values_, known_counts_;
  std::map<uint32_t, llvm::Value*> let_flags_;
  std::map<uint32_t, std::pair<llvm::Value*, llvm::Value*>> let_counts_;
  std::map<std::string, std::pair<llvm::Value*, llvm::Value*>> once_;  // flag and slot
};

Calls declare_calls(llvm::Module& module) {
  llvm::LLVMContext& c = module.getContext();
  auto* ptr = llvm::PointerType::getUnqual(c);
  auto* i32 = llvm::Type::getInt32Ty(c);
  auto* i64 = llvm::Type::getInt64Ty(c);
  auto* void_type = llvm::Type::getVoidTy(c);
  auto declare = [&](const char* name, llvm::Type* result, std::vector<llvm::Type*> params) {
    return module.getOrInsertFunction(name, llvm::FunctionType::get(result, params, false));
  };
  Calls calls;
  calls.global = declare("pol_jit_global", i32, {ptr, i32, ptr});
  calls.member = declare("pol_jit_member", void_type, {ptr, ptr, ptr});
  calls.find = declare("pol_jit_find", ptr, {ptr, ptr, i64, i64, ptr});
  calls.node = declare("pol_jit_node", void_type, {ptr, ptr});
  calls.find_string = declare("pol_jit_find_string", ptr, {ptr, ptr});
  calls.values = declare("pol_jit_values", ptr, {ptr});
  calls.index = declare("pol_jit_index", i32, {ptr, ptr, ptr});
  calls.string = declare("pol_jit_string", i64, {ptr, ptr});
  calls.compare = declare("pol_jit_compare", i32, {ptr, ptr, i32});
  calls.count = declare("pol_jit_count", i32, {ptr, ptr});
  calls.item = declare("pol_jit_item", i32, {ptr, ptr, i64, ptr});
  calls.builtin = declare("pol_jit_builtin", i32, {ptr, ptr, ptr, ptr});
  calls.binary = declare("pol_jit_binary", i32, {ptr, i32, ptr, ptr, ptr});
  calls.template_string = declare("pol_jit_template", i32, {ptr, ptr, i64, ptr});
  calls.list = declare("pol_jit_list", i32, {ptr, ptr, i64, ptr});
  calls.push = declare("pol_jit_push", i32, {ptr, ptr, ptr, i32});
  calls.close_list = declare("pol_jit_close_list", i32, {ptr, i64, ptr});
  calls.fire = declare("pol_jit_fire", i32, {ptr, ptr, ptr, ptr, ptr});
  calls.steps_left = declare("pol_jit_steps_left", i64, {ptr});
  calls.deadline = declare("pol_jit_deadline", i32, {ptr});
  calls.charge = declare("pol_jit_charge", i32, {ptr, i64});
  return calls;
}

llvm::orc::SymbolMap call_addresses(llvm::orc::LLJIT& jit) {
  llvm::orc::SymbolMap symbols;
  auto add = [&](const char* name, auto* function) {
    symbols[jit.mangleAndIntern(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                          llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  };
  add("pol_jit_global", &pol_jit_global);
  add("pol_jit_member", &pol_jit_member);
  add("pol_jit_find", &pol_jit_find);
  add("pol_jit_node", &pol_jit_node);
  add("pol_jit_find_string", &pol_jit_find_string);
  add("pol_jit_values", &pol_jit_values);
  add("pol_jit_index", &pol_jit_index);
  add("pol_jit_string", &pol_jit_string);
  add("pol_jit_compare", &pol_jit_compare);
  add("pol_jit_count", &pol_jit_count);
  add("pol_jit_item", &pol_jit_item);
  add("pol_jit_builtin", &pol_jit_builtin);
  add("pol_jit_binary", &pol_jit_binary);
  add("pol_jit_template", &pol_jit_template);
  add("pol_jit_list", &pol_jit_list);
  add("pol_jit_push", &pol_jit_push);
  add("pol_jit_close_list", &pol_jit_close_list);
  add("pol_jit_fire", &pol_jit_fire);
  add("pol_jit_steps_left", &pol_jit_steps_left);
  add("pol_jit_deadline", &pol_jit_deadline);
  add("pol_jit_charge", &pol_jit_charge);
  return symbols;
}

// A short function pipeline, not the O1/O2 default pipelines: checks are straight-line code and
// small loops over runtime calls, and this gives the code O2 gives (within 1% of instructions
// per pod) in a fifth of the time (docs/jit.md, "Compile time").
void optimize(llvm::Module& module) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder;
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::FunctionPassManager pipeline;
  pipeline.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));  // value slots to registers
  pipeline.addPass(llvm::EarlyCSEPass(/*UseMemorySSA=*/true));
  pipeline.addPass(llvm::InstCombinePass());
  pipeline.addPass(llvm::SimplifyCFGPass());
  llvm::ModulePassManager passes;
  passes.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(pipeline)));
  passes.run(module, modules);
}

std::string message_of(llvm::Error error) {
  std::string text;
  llvm::handleAllErrors(std::move(error), [&](const llvm::ErrorInfoBase& info) { text = info.message(); });
  return text;
}

using Decide = int32_t (*)(runtime::Evaluation*);

// Functions compiled by one code generator into one LLJIT, which owns their code: one per check
// of the plan, null where a check has none.
struct Code {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::vector<Decide> functions;
};

// `define(module, calls, i)` adds check i's function to the module and returns its name, or an
// empty name. `optimized`: the selection DAG's code generator, else the fast instruction
// selector, which compiles 3-6 times as fast for code that runs about a quarter slower
// (docs/jit.md, "Two tiers").
template <class Define>
std::optional<Code> compile_module(size_t checks, bool optimized, Define&& define, std::string& error) {
  static std::once_flag targets;
  std::call_once(targets, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  auto target = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!target) {
    error = message_of(target.takeError());
    return std::nullopt;
  }
  target->setCodeGenOptLevel(optimized ? llvm::CodeGenOptLevel::Less : llvm::CodeGenOptLevel::None);
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*target)).create();
  if (!jit) {
    error = message_of(jit.takeError());
    return std::nullopt;
  }
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>("pol", *context);
  module->setDataLayout((*jit)->getDataLayout());
  module->setTargetTriple((*jit)->getTargetTriple().str());
  const Calls calls = declare_calls(*module);
  std::vector<std::string> names(checks);
  for (size_t i = 0; i < checks; ++i) names[i] = define(*module, calls, i);
  std::string broken;
  llvm::raw_string_ostream out(broken);
  if (llvm::verifyModule(*module, &out)) {
    error = "the JIT built an invalid module: " + broken;
    return std::nullopt;
  }
  optimize(*module);
  if (llvm::Error e = (*jit)->getMainJITDylib().define(llvm::orc::absoluteSymbols(call_addresses(**jit)))) {
    error = message_of(std::move(e));
    return std::nullopt;
  }
  if (llvm::Error e = (*jit)->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))) {
    error = message_of(std::move(e));
    return std::nullopt;
  }
  Code code;
  code.functions.assign(checks, nullptr);
  for (size_t i = 0; i < checks; ++i) {
    if (names[i].empty()) continue;
    auto address = (*jit)->lookup(names[i]);
    if (!address) {
      error = message_of(address.takeError());
      return std::nullopt;
    }
    code.functions[i] = address->toPtr<Decide>();
  }
  code.jit = std::move(*jit);
  return code;
}

// The plan's checks compiled for one tier: the constants the code reads, and each check's
// functions (null for what is left to the interpreter). One decides; in the optimizing tier,
// another evaluates the check again to explain it when the first finds a rule firing. That one
// runs only then, so it is compiled by the fast code generator, in a JIT of its own: the
// optimizing generator took 2.5 times as long over the explanations' larger code.
struct Tier {
  std::unique_ptr<ProfileConstants> constants;
  Code decide, explain;
};

std::optional<Tier> compile_tier(const runtime::Profile& profile, const std::vector<const runtime::Check*>& plan,
                                 bool optimized, std::string& error, std::vector<std::string>* interpreted,
                                 std::vector<std::string>* unexplained) {
  Tier tier;
  tier.constants = std::make_unique<ProfileConstants>(profile);
  std::vector<bool> decided(plan.size());
  const auto define = [&](bool explain, std::vector<std::string>* not_compiled) {
    return [&, explain, not_compiled](llvm::Module& module, const Calls& calls, size_t i) -> std::string {
      if (explain && !decided[i]) return "";
      const std::string name = fmt::format("{}_{}", explain ? "explain" : "check", i);
      try {
        CheckCompiler(module, calls, *plan[i], *tier.constants, explain).compile(name);
        decided[i] = decided[i] || !explain;
        return name;
      } catch (const Unsupported& unsupported) {
        if (llvm::Function* partial = module.getFunction(name)) partial->eraseFromParent();
        if (not_compiled) not_compiled->push_back(plan[i]->id + ": " + unsupported.what);
        return "";
      }
    };
  };
  auto decide = compile_module(plan.size(), optimized, define(false, interpreted), error);
  if (!decide) return std::nullopt;
  tier.decide = std::move(*decide);
  if (optimized) {
    auto explain = compile_module(plan.size(), /*optimized=*/false, define(true, unexplained), error);
    if (!explain) return std::nullopt;
    tier.explain = std::move(*explain);
  } else {
    tier.explain.functions.assign(plan.size(), nullptr);
  }
  return tier;
}

// Compiled checks in two tiers: the fast code generator's code first, then, once the policy has
// evaluated `optimize_after` documents, the optimizing generator's, compiled on a thread of its
// own and swapped in check by check. A run of a few documents never pays for the second.
class JitChecks final : public runtime::CompiledChecks {
 public:
  static constexpr size_t never = std::numeric_limits<size_t>::max();
  // `first_optimized`: the first tier is the optimizing generator's, and there is no second.
  JitChecks(Tier first, bool first_optimized, const runtime::Profile& profile, std::vector<const runtime::Check*> plan,
            size_t optimize_after)
      : first_(std::move(first)), first_optimized_(first_optimized), profile_(profile), plan_(std::move(plan)),
        optimize_after_(first_optimized ? never : optimize_after), decide_(plan_.size()), explain_(plan_.size()) {
    for (size_t i = 0; i < plan_.size(); ++i) {
      decide_[i].store(first_.decide.functions[i], std::memory_order_relaxed);
      explain_[i].store(first_.explain.functions[i], std::memory_order_relaxed);
    }
    if (optimize_after_ == never) started_.store(true, std::memory_order_relaxed);  // nothing to count
  }
  ~JitChecks() override {
    if (worker_.joinable()) worker_.join();
  }

  bool decides(size_t plan_index, runtime::Evaluation& evaluation, bool explain) const override {
    if (plan_index == 0) count_document();
    if (plan_index >= decide_.size()) return false;
    const Decide decide = decide_[plan_index].load(std::memory_order_acquire);
    if (!decide) return false;
    runtime::Budget* budget = evaluation.budget;
    const bool bytes_reached = budget && budget->bytes_reached();
    // What compiled code built and then asked the interpreter about is dropped, and so is a
    // value limit only its values reached: each attempt evaluates the check from the start.
    const auto attempt = [&](Decide code) {
      if (code(&evaluation) == 1) return true;
      evaluation.built.clear();
      if (budget && !bytes_reached) budget->forget_bytes_reached();
      return false;
    };
    if (attempt(decide)) return true;
    const Decide explainer = explain ? explain_[plan_index].load(std::memory_order_acquire) : nullptr;
    return explainer && attempt(explainer);
  }

  bool optimized() const { return first_optimized_ || swapped_.load(std::memory_order_acquire); }

  // Not from two threads at once (both would join the worker).
  void wait_optimized() const {
    if (first_optimized_) return;
    start_worker();
    if (worker_.joinable()) worker_.join();
  }

 private:
  void count_document() const {
    if (started_.load(std::memory_order_relaxed)) return;
    if (evaluated_.fetch_add(1, std::memory_order_relaxed) + 1 < optimize_after_) return;
    start_worker();
  }

  // Once. A thread that cannot be made leaves the first tier's code in place.
  void start_worker() const {
    started_.store(true);
    try {
      std::call_once(start_, [this] { worker_ = std::thread([this] { optimize_now(); }); });
    } catch (const std::system_error&) {
    }
  }

  // On the worker thread. An LLVM error (or no memory) leaves the first tier's code in place.
  void optimize_now() const try {
    std::string error;
    std::optional<Tier> tier = compile_tier(profile_, plan_, /*optimized=*/true, error, nullptr, nullptr);
    if (!tier) return;
    for (size_t i = 0; i < plan_.size(); ++i) {
      if (tier->decide.functions[i]) decide_[i].store(tier->decide.functions[i], std::memory_order_release);
      if (tier->explain.functions[i]) explain_[i].store(tier->explain.functions[i], std::memory_order_release);
    }
    optimized_ = std::move(*tier);
    swapped_.store(true, std::memory_order_release);
  } catch (...) {
  }

  Tier first_;  // owns the code every check starts with
  const bool first_optimized_;
  const runtime::Profile profile_;
  const std::vector<const runtime::Check*> plan_;
  const size_t optimize_after_;
  mutable std::vector<std::atomic<Decide>> decide_, explain_;
  mutable std::atomic<size_t> evaluated_{0};
  mutable std::atomic<bool> started_{false};
  mutable std::atomic<bool> swapped_{false};  // the second tier's code is in use
  mutable std::once_flag start_;
  mutable std::thread worker_;
  mutable Tier optimized_;  // written by the worker, which the destructor joins
};

}  // namespace

std::shared_ptr<const runtime::CompiledChecks> compile(const runtime::Program& /*program*/, const runtime::Profile& profile,
                                                       const std::vector<const runtime::Check*>& plan,
                                                       std::string& error, std::vector<std::string>* interpreted,
                                                       size_t optimize_after, std::vector<std::string>* unexplained) {
  std::optional<Tier> first =
      compile_tier(profile, plan, /*optimized=*/optimize_after == 0, error, interpreted, unexplained);
  if (!first) return nullptr;
  return std::make_shared<JitChecks>(std::move(*first), optimize_after == 0, profile, plan, optimize_after);
}

void wait_optimized(const runtime::CompiledChecks& checks) {
  if (const auto* jit = dynamic_cast<const JitChecks*>(&checks)) jit->wait_optimized();
}

bool optimized(const runtime::CompiledChecks& checks) {
  const auto* jit = dynamic_cast<const JitChecks*>(&checks);
  return jit && jit->optimized();
}

}  // namespace pol::jit
