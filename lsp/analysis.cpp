// SPDX-License-Identifier: Apache-2.0
#include "lsp/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "api/internal.hpp"
#include "lang/checker.hpp"
#include "lang/loader.hpp"
#include "runtime/builtins/registry.hpp"

namespace pol::lsp {

namespace {

namespace schema = runtime::schema;
using lang::SymbolKind;
using lang::SymbolUse;

bool contains(lang::Span span, uint32_t offset) { return span.begin <= offset && offset <= span.end; }

// The use at `offset` in the document: the narrowest, and one with a shape when the checker
// saw it more than once (a function checked again with a call's argument types).
const SymbolUse* use_at(const Analysis& analysis, uint32_t offset) {
  const SymbolUse* best = nullptr;
  for (const SymbolUse& use : analysis.symbols.uses) {
    if (use.source != analysis.source || !contains(use.span, offset)) continue;
    const auto width = [](const SymbolUse* u) { return u->span.end - u->span.begin; };
    if (!best || width(&use) < width(best) || (width(&use) == width(best) && !best->shape && use.shape)) best = &use;
  }
  return best;
}

std::string code(std::string_view text) { return fmt::format("```pol\n{}\n```", text); }

std::string trimmed(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t");
  return first == std::string_view::npos ? "" : std::string(line.substr(first));
}

std::string signature(const runtime::Builtin& builtin) {
  std::vector<std::string> params;
  for (const runtime::StaticType type : builtin.params) params.emplace_back(runtime::static_type_name(type));
  return fmt::format("{}({}) -> {}", builtin.name, fmt::join(params, ", "), runtime::static_type_name(builtin.result));
}

std::string field_markdown(const std::string& name, const schema::Shape& shape, const schema::Shape* object) {
  std::string text = code(fmt::format("{}{}: {}", object && !object->name.empty() ? object->name + "." : "", name,
                                      schema::noun(shape)));
  if (!shape.description.empty()) text += "\n\n" + shape.description;
  return text;
}

// The file an import names, as lang::file_resolver finds it; nullopt for the embedded standard
// library (std/...), which has no file.
std::optional<std::string> import_path(const Analysis& analysis, const lang::ImportDecl& import) {
  if (import.path.starts_with("std/")) return std::nullopt;
  return (std::filesystem::path(analysis.source->name()).parent_path() / import.path).lexically_normal().string();
}

}  // namespace

std::unique_ptr<Analysis> analyze(const std::string& path, std::string text) {
  auto analysis = std::make_unique<Analysis>();
  analysis->source = std::make_shared<const lang::Source>(path, std::move(text));
  const std::string folder = std::filesystem::path(path).parent_path().string();
  const Limits limits;
  analysis->modules = lang::load_modules(analysis->source, lang::file_resolver(folder, limits.policy_bytes),
                                         analysis->diagnostics, limits.nesting);
  if (analysis->diagnostics.has_errors()) return analysis;
  // A parameterised policy's values beside it, as the shipped ones keep them (NAME.params.yaml).
  const std::filesystem::path params_file = std::filesystem::path(path).replace_extension(".params.yaml");
  std::optional<Documents> params;
  std::error_code error;
  if (std::filesystem::is_regular_file(params_file, error)) params = Documents::read_file(params_file.string());
  const runtime::Document* params_document =
      params && !params->impl->loaded.documents.empty() ? &params->impl->loaded.documents.front() : nullptr;
  lang::check(analysis->modules, analysis->diagnostics, runtime::Value::list({}), params_document, /*optimize=*/false,
              &analysis->symbols);
  analysis->diagnostics.sort();
  return analysis;
}

std::optional<std::string> hover(const Analysis& analysis, uint32_t offset) {
  if (!analysis.modules.empty()) {
    for (const lang::ImportDecl& import : analysis.modules.back().imports) {
      if (contains(import.span, offset)) {
        return code(fmt::format("import \"{}\"", import.path)) + "\n\n" +
               import_path(analysis, import).value_or("pol's embedded standard library");
      }
    }
  }
  const SymbolUse* use = use_at(analysis, offset);
  if (!use) {
    // A local where it is bound: its line.
    for (const lang::SymbolDefinition& local : analysis.symbols.locals) {
      if (local.source == analysis.source && contains(local.span, offset)) {
        return code(trimmed(local.source->line_text(local.source->location(local.span.begin).line)));
      }
    }
    return std::nullopt;
  }
  switch (use->kind) {
    case SymbolKind::Builtin: {
      const runtime::Builtin* builtin = runtime::builtins().find(use->name);
      return builtin ? code(signature(*builtin)) + "\n\n" + builtin->summary : std::optional<std::string>();
    }
    case SymbolKind::Global:
      return code(use->name) + "\n\na document global" + (use->shape ? ": " + schema::noun(*use->shape) : "");
    case SymbolKind::Field:
      if (!use->shape) return code(use->name) + "\n\nnot in the Kubernetes schema: any value";
      return field_markdown(use->name, *use->shape, use->object);
    case SymbolKind::Local:
    case SymbolKind::Constant:
    case SymbolKind::Parameter:
    case SymbolKind::Function: {
      if (!use->definition_source) return std::nullopt;
      const lang::LineColumn at = use->definition_source->location(use->definition.begin);
      std::string text = code(trimmed(use->definition_source->line_text(at.line)));
      text += fmt::format("\n\ndefined at {}:{}:{}", use->definition_source->name(), at.line, at.column);
      if (use->shape) text += fmt::format("\n\n{}", schema::noun(*use->shape));
      return text;
    }
  }
  return std::nullopt;
}

std::optional<Target> definition(const Analysis& analysis, uint32_t offset) {
  if (analysis.modules.empty()) return std::nullopt;
  const lang::Module& module = analysis.modules.back();
  for (const lang::ImportDecl& import : module.imports) {
    if (!contains(import.span, offset)) continue;
    const std::optional<std::string> path = import_path(analysis, import);
    return path ? std::optional(Target{*path, nullptr, {}}) : std::nullopt;
  }
  for (const lang::CheckDecl& check : module.checks) {
    for (const auto& [id, span] : check.replaces) {
      if (!contains(span, offset)) continue;
      for (const lang::Module& other : analysis.modules) {
        for (const lang::CheckDecl& replaced : other.checks) {
          if (replaced.id == id) return Target{other.source->name(), other.source, replaced.id_span};
        }
      }
    }
  }
  const SymbolUse* use = use_at(analysis, offset);
  // The embedded standard library (std/...) has no file to open.
  if (!use || !use->definition_source || use->definition_source->name().starts_with("std/")) return std::nullopt;
  return Target{use->definition_source->name(), use->definition_source, use->definition};
}

std::vector<Completion> complete(const std::string& path, std::string_view text, uint32_t offset) {
  enum Kind { Function = 3, Field = 5, Variable = 6, Keyword = 14, Constant = 21 };
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  uint32_t start = offset;  // of the word being typed
  while (start > 0 && (std::isalnum(static_cast<unsigned char>(text[start - 1])) != 0 || text[start - 1] == '_')) --start;
  // The word being typed becomes a name the checker resolves, so a half-written line parses.
  constexpr std::string_view placeholder = "pol_completion_";
  std::string completed(text.substr(0, start));
  completed += placeholder;
  completed += text.substr(offset);
  std::unique_ptr<Analysis> analysis = analyze(path, std::move(completed));
  std::vector<Completion> items;
  if (start > 0 && text[start - 1] == '.') {
    for (const SymbolUse& use : analysis->symbols.uses) {
      if (use.kind != SymbolKind::Field || use.source != analysis->source || use.span.begin != start || !use.object ||
          use.object->kind != schema::Kind::Object) {
        continue;
      }
      for (const auto& [name, shape] : use.object->fields) {
        items.push_back({name, Field, schema::noun(*shape), shape->description});
      }
      break;
    }
    return items;
  }
  // Where a name cannot stand (a new line in a check), the text as it is gives the declarations.
  if (analysis->modules.empty()) analysis = analyze(path, std::string(text));
  for (const runtime::Builtin& builtin : runtime::builtins().all()) {
    items.push_back({builtin.name, Function, signature(builtin), builtin.summary});
  }
  items.push_back({"trace", Function, "trace(any) -> any", "the value, shown with its place by pol test, check and explain"});
  for (const std::string& global : lang::document_globals()) items.push_back({global, Variable, "document global", ""});
  for (const lang::Module& module : analysis->modules) {
    for (const lang::ConstDecl& c : module.consts) items.push_back({c.name, Constant, "const", module.source->name()});
    for (const lang::ParamDecl& p : module.params) {
      items.push_back({p.name, Constant, fmt::format("param: {}", fmt::join(p.type, " of ")), module.source->name()});
    }
    for (const lang::FnDecl& f : module.functions) items.push_back({f.name, Function, "fn", module.source->name()});
  }
  // Locals: those bound in the document before the cursor, after the start of its declaration.
  uint32_t declaration = 0;
  if (!analysis->modules.empty()) {
    const lang::Module& module = analysis->modules.back();
    const auto consider = [&](lang::Span span) {
      if (span.begin <= start) declaration = std::max(declaration, span.begin);
    };
    for (const lang::CheckDecl& c : module.checks) consider(c.id_span);
    for (const lang::FnDecl& f : module.functions) consider(f.name_span);
    for (const lang::MutationDecl& m : module.mutations) consider(m.name_span);
    for (const lang::GrantDecl& g : module.grants) consider(g.name_span);
    for (const lang::ConstDecl& c : module.consts) consider(c.name_span);
  }
  std::vector<std::string> seen;
  for (const lang::SymbolDefinition& local : analysis->symbols.locals) {
    if (local.source != analysis->source || local.span.begin < declaration || local.span.begin >= start) continue;
    if (std::find(seen.begin(), seen.end(), local.name) != seen.end()) continue;
    seen.push_back(local.name);
    items.push_back({local.name, Variable, "local", trimmed(analysis->source->line_text(analysis->source->location(local.span.begin).line))});
  }
  for (const char* keyword : {"and", "or", "not", "in", "if", "then", "else", "for", "let", "deny", "warn", "reason",
                              "detail", "at", "level", "since", "versions", "replaces", "true", "false", "null",
                              "any", "all", "count"}) {
    items.push_back({keyword, Keyword, "", ""});
  }
  return items;
}

}  // namespace pol::lsp
