// SPDX-License-Identifier: Apache-2.0
// Declarations: top-level names, functions, constants (folded here) and checks.
#include <algorithm>
#include <filesystem>
#include <utility>
#include <fmt/format.h>

#include "lang/checker_impl.hpp"
#include "lang/suggest.hpp"
#include "runtime/interpreter.hpp"
#include "runtime/optimizer.hpp"

namespace pol::lang {

namespace {

std::string where(const Module& module, Span span) {
  const LineColumn at = module.source->location(span.begin);
  return fmt::format("{}:{}:{}", module.source->name(), at.line, at.column);
}

}  // namespace

const std::vector<std::string>& document_globals() {
  static const std::vector<std::string> names = {"object",  "metadata",   "spec",       "all_containers",
                                                 "version", "level",      "latest",     "request",
                                                 "old_object", "namespace_object", "namespace"};
  return names;
}

std::unique_ptr<runtime::Program> check(const std::vector<Module>& modules, Diagnostics& diagnostics,
                                        runtime::Value exceptions, const runtime::Document* params, bool optimize,
                                        Symbols* symbols) {
  Checker checker(diagnostics, std::move(exceptions), params, symbols);
  std::unique_ptr<runtime::Program> program = checker.run(modules);
  if (symbols) symbols->shapes = checker.take_shapes();
  if (!program) return nullptr;
  if (optimize) runtime::optimize(*program);
  program->seal();
  return program;
}

void Checker::error(Span span, std::string message, std::vector<std::string> notes) {
  // A function checked again for one call reports only what the schema says of its arguments:
  // that `caps != "*"` is always true when this call passes a list is no error in the function.
  if (!call_notes_.empty()) return;
  schema_error(span, std::move(message), std::move(notes));
}

// A function checked again for a call reports what its first check found only once.
bool Checker::reported_before(Span span, const std::string& message) const {
  if (call_notes_.empty()) return false;
  return std::any_of(diagnostics_.items().begin(), diagnostics_.items().end(), [&](const Diagnostic& d) {
    return d.source == module_->source && d.span.begin == span.begin && d.message == message;
  });
}

void Checker::schema_error(Span span, std::string message, std::vector<std::string> notes) {
  if (reported_before(span, message)) return;
  notes.insert(notes.end(), call_notes_.rbegin(), call_notes_.rend());
  diagnostics_.error(module_->source, span, std::move(message), std::move(notes));
}

void Checker::warning(Span span, std::string message, std::vector<std::string> notes) {
  if (reported_before(span, message)) return;
  notes.insert(notes.end(), call_notes_.rbegin(), call_notes_.rend());
  diagnostics_.add({Severity::Warning, module_->source, span, std::move(message), std::move(notes)});
}

std::vector<std::string> Checker::suggest(const std::string& name, const std::vector<std::string>& candidates) const {
  const std::optional<std::string> best = closest(name, candidates);
  if (!best) return {};
  return {fmt::format("did you mean '{}'?", *best)};
}

std::vector<std::string> Checker::visible_names() const {
  std::vector<std::string> names = document_globals();
  names.push_back("exceptions");
  for (const auto& [name, info] : consts_) names.push_back(name);
  if (frame_) {
    for (const auto& scope : frame_->scopes) {
      for (const auto& [name, slot] : scope) names.push_back(name);
    }
  }
  return names;
}

bool Checker::declare_name(const std::string& name, const Module& module, Span span, const char* what) {
  module_ = &module;
  if (runtime::builtins().find(name)) {
    error(span, fmt::format("{} '{}' has the name of a builtin function", what, name));
    return false;
  }
  if (std::find(document_globals().begin(), document_globals().end(), name) != document_globals().end()) {
    error(span, fmt::format("{} '{}' has the name of a document global", what, name));
    return false;
  }
  if (const auto it = declared_.find(name); it != declared_.end()) {
    error(span, fmt::format("'{}' is already defined", name),
          {fmt::format("first defined at {}", where(*it->second.first, it->second.second))});
    return false;
  }
  declared_.emplace(name, std::make_pair(&module, span));
  return true;
}

void Checker::declare(const Module& module) {
  for (const ConstDecl& c : module.consts) {
    if (!declare_name(c.name, module, c.name_span, "constant")) continue;
    ConstInfo& info = consts_[c.name];
    info.decl = &c;
    info.module = &module;
  }
  for (const ParamDecl& p : module.params) declare_param(p, module);
  for (const FnDecl& f : module.functions) {
    if (!declare_name(f.name, module, f.name_span, "function")) continue;
    runtime::Function* fn = program_->new_function();
    fn->name = f.name;
    fn->param_count = static_cast<uint32_t>(f.params.size());
    functions_[f.name] = FnInfo{&f, &module, fn};
  }
  for (const MutationDecl& m : module.mutations) {
    if (!declare_name(m.name, module, m.name_span, "mutation")) continue;
    runtime::Mutation* mutation = program_->new_mutation();
    mutation->name = m.name;
    mutation->param_count = static_cast<uint32_t>(m.params.size());
    mutations_[m.name] = MutationInfo{&m, &module, mutation};
  }
}

uint32_t Checker::bind(const std::string& name, Span span, ValueType type) {
  auto& scope = frame_->scopes.back();
  for (const auto& [existing, slot] : scope) {
    if (existing == name) error(span, fmt::format("'{}' is already defined here", name));
  }
  const uint32_t slot = frame_->slot_count++;
  scope.emplace_back(name, slot);
  frame_->types.resize(slot + 1);
  frame_->types[slot] = type;
  frame_->spans.resize(slot + 1);
  frame_->spans[slot] = span;
  if (symbols_ && call_notes_.empty()) symbols_->locals.push_back({name, module_->source, span});
  return slot;
}

uint32_t Checker::bind_lazy(const std::string& name, Span span, const Typed& value) {
  const uint32_t slot = bind(name, span, value.value_type());
  frame_->lazy.resize(slot + 1);
  frame_->lazy[slot] = value.expr;
  return slot;
}

bool Checker::begin_specialization(const void* decl, const std::vector<Typed>& args, Span call, ValueType*& result) {
  std::vector<ValueType> types;
  for (const Typed& arg : args) types.push_back(arg.value_type());
  if (std::all_of(types.begin(), types.end(), [](const ValueType& t) { return t == ValueType{}; })) return false;
  // `fn f(x) = f([x for y in [1]])` would make deeper list types forever.
  if (call_notes_.size() >= max_specialization_depth) return false;
  // Recursion meets the entry under way: its result is not known yet (Any).
  auto [it, added] = specialized_.try_emplace({decl, std::move(types)});
  result = &it->second;
  if (!added) return false;
  call_notes_.push_back(fmt::format("checked with the arguments of the call at {}", where(*module_, call)));
  return true;
}

void Checker::end_specialization() { call_notes_.pop_back(); }

ValueType Checker::specialize(const FnInfo& info, const std::vector<Typed>& args, const Expr& call) {
  ValueType* result = nullptr;
  if (!begin_specialization(info.decl, args, call.span, result)) return result ? *result : ValueType{};
  const Module* saved_module = module_;
  Frame* saved_frame = frame_;
  module_ = info.module;
  Frame frame;
  frame.scopes.emplace_back();
  frame.in_constant = saved_frame && saved_frame->in_constant;
  frame_ = &frame;
  for (size_t i = 0; i < args.size(); ++i) bind(info.decl->params[i].first, info.decl->params[i].second, args[i].value_type());
  for (const LetStmt& let : info.decl->lets) bind_lazy(let.name, let.name_span, lower(*let.value));
  const ValueType type = lower(*info.decl->result).value_type();
  module_ = saved_module;
  frame_ = saved_frame;
  end_specialization();
  *result = type;  // std::map: the entry stays where it is
  return type;
}

void Checker::lower_function(FnInfo& info) {
  module_ = info.module;
  Frame frame;
  frame.scopes.emplace_back();
  frame_ = &frame;
  for (const auto& [name, span] : info.decl->params) bind(name, span);
  for (const LetStmt& let : info.decl->lets) {
    bind_lazy(let.name, let.name_span, lower(*let.value));
  }
  info.function->result = lower(*info.decl->result).expr;
  info.function->slot_count = frame.slot_count;
  frame_ = nullptr;
}

const Checker::ConstInfo* Checker::resolve_const(const std::string& name, Span use) {
  const auto it = consts_.find(name);
  if (it == consts_.end()) return nullptr;
  ConstInfo& info = it->second;
  if (info.state == ConstInfo::State::Resolving) {
    error(use, fmt::format("constant '{}' depends on itself", name));
    info.state = ConstInfo::State::Failed;
    return &info;
  }
  if (info.state != ConstInfo::State::Pending) return &info;
  info.state = ConstInfo::State::Resolving;
  if (info.param) {
    resolve_param(info);
    return &info;
  }
  const Module* saved_module = module_;
  module_ = info.module;
  const Folded folded = fold(*info.decl->value);
  if (folded.lowered && folded.failure.empty()) {
    info.value = folded.value;
    info.type = runtime::static_type_of(info.value.type());
    info.state = ConstInfo::State::Done;
  } else {
    info.state = ConstInfo::State::Failed;
    if (folded.lowered) {
      error(info.decl->value->span, fmt::format("constant '{}' cannot be computed: {}", name, folded.failure));
    }
  }
  module_ = saved_module;
  return &info;
}

Checker::Folded Checker::fold(const Expr& e) {
  // A constant first met inside a specialization is computed once, for good: its errors count.
  const std::vector<std::string> saved_notes = std::exchange(call_notes_, {});
  Frame* saved_frame = frame_;
  Frame frame;
  frame.scopes.emplace_back();
  frame.in_constant = true;
  frame_ = &frame;
  Folded folded;
  const size_t errors_before = diagnostics_.items().size();
  const Typed lowered = lower(e);
  folded.lowered = diagnostics_.items().size() == errors_before;
  if (folded.lowered) folded.value = runtime::Interpreter::evaluate_constant(*lowered.expr, frame.slot_count, folded.failure);
  call_notes_ = saved_notes;
  frame_ = saved_frame;
  return folded;
}

void Checker::lower_check(const Module& module, const CheckDecl& decl) {
  module_ = &module;
  runtime::Check& check = program_->checks.emplace_back();
  check.id = decl.id;
  check.source = module.source.get();
  check.span = decl.id_span;
  check.standard = module.source->name().starts_with("std/pss/");
  if (decl.level) {
    if (*decl.level == "privileged") check.level = runtime::Level::Privileged;
    else if (*decl.level == "baseline") check.level = runtime::Level::Baseline;
    else if (*decl.level == "restricted") check.level = runtime::Level::Restricted;
    else {
      error(decl.level_span, fmt::format("unknown level '{}'", *decl.level),
            suggest(*decl.level, {"privileged", "baseline", "restricted"}).empty()
                ? std::vector<std::string>{"levels are privileged, baseline and restricted"}
                : suggest(*decl.level, {"privileged", "baseline", "restricted"}));
    }
  }
  if (decl.since) check.since = *decl.since;
  if (decl.until) check.until = *decl.until;
  for (const auto& [id, span] : decl.replaces) check.replaces.push_back(id);
  Frame frame;
  frame.scopes.emplace_back();
  frame_ = &frame;
  for (const CheckStmt& item : decl.body) {
    if (item.let) {
      bind_lazy(item.let->name, item.let->name_span, lower(*item.let->value));
    } else {
      const Rule& rule = *item.rule;
      runtime::Rule& statement = check.rules.emplace_back();
      statement.rule = rule.kind;
      const Typed condition = lower(*rule.condition);
      expect_condition(*rule.condition, condition.type, "a rule's condition");
      statement.condition = condition.expr;
      const Typed reason = lower(*rule.reason);
      if (!runtime::compatible(StaticType::String, reason.type) && reason.type != StaticType::Null) {
        error(rule.reason->span, fmt::format("a reason must be a string, got {}", a_type(reason.type)));
      }
      statement.reason = reason.expr;
      if (rule.detail) statement.detail = lower(*rule.detail).expr;
      if (rule.location) statement.location = lower(*rule.location).expr;
    }
  }
  check.slot_count = frame.slot_count;
  frame_ = nullptr;
}

std::unique_ptr<runtime::Program> Checker::run(const std::vector<Module>& modules) {
  program_ = std::make_unique<runtime::Program>();
  if (modules.empty()) return nullptr;
  for (const Module& module : modules) program_->keep(module.source);
  const Module& root = modules.back();
  program_->name = root.policy_name ? *root.policy_name
                                    : std::filesystem::path(root.source->name()).stem().string();
  for (const Module& module : modules) declare(module);
  for (auto& [name, info] : functions_) lower_function(info);
  for (auto& [name, info] : consts_) resolve_const(name, info.decl ? info.decl->name_span : info.param->name_span);
  for (auto& [name, info] : mutations_) lower_mutation(info);
  for (const Module& module : modules) {
    for (const ApplyDecl& decl : module.applies) lower_apply(module, decl);
    for (const GrantDecl& decl : module.grants) lower_grant(module, decl);
  }

  std::map<std::string, std::pair<const Module*, Span>> check_ids;
  for (const Module& module : modules) {
    for (const CheckDecl& decl : module.checks) {
      module_ = &module;
      if (const auto it = check_ids.find(decl.id); it != check_ids.end()) {
        error(decl.id_span, fmt::format("duplicate check id '{}'", decl.id),
              {fmt::format("first defined at {}", where(*it->second.first, it->second.second))});
        continue;
      }
      check_ids.emplace(decl.id, std::make_pair(&module, decl.id_span));
      lower_check(module, decl);
    }
  }
  std::vector<std::string> ids;
  for (const auto& [id, at] : check_ids) ids.push_back(id);
  for (const Module& module : modules) {
    module_ = &module;
    for (const CheckDecl& decl : module.checks) {
      for (const auto& [id, span] : decl.replaces) {
        if (!check_ids.count(id)) error(span, fmt::format("unknown check '{}' in replaces", id), suggest(id, ids));
      }
    }
  }
  if (diagnostics_.has_errors()) return nullptr;
  return std::move(program_);
}

}  // namespace pol::lang
