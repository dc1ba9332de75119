// SPDX-License-Identifier: Apache-2.0
#include "lang/format.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "lang/grammar.hpp"
#include "lang/parser.hpp"

namespace pol::lang {

namespace pegtl = tao::pegtl;
namespace g = grammar;
namespace {

// clang-format off
template< typename Rule >
using selector = pegtl::parse_tree::selector< Rule,
  pegtl::parse_tree::store_content::on<
    // statements: a line that starts one is indented by its block's depth
    g::import_decl, g::policy_decl, g::const_decl, g::param_decl, g::fn_decl, g::check_decl,
    g::mutation_decl, g::apply_decl, g::grant_decl,
    g::level_item, g::since_item, g::versions_item, g::replaces_item, g::let_stmt, g::rule,
    g::mut_default, g::mut_set, g::mut_remove, g::mut_add, g::mut_if, g::mut_each, g::mut_apply,
    g::grant_named, g::grant_when, g::grant_owner, g::grant_why, g::grant_expires,
    g::fn_block, g::fn_result,
    // a rule's clauses, and the `else` of a mutation's `if`
    g::rule_reason, g::rule_detail, g::rule_at, g::mut_else,
    // blocks
    g::check_body, g::mut_block, g::grant_block,
    // brackets that attach to what is before them, unary minus, maps
    g::call_name, g::quantifier_name, g::decl_name, g::index, g::mut_params, g::apply_args,
    g::negation, g::map_literal,
    // literals: one token each, written as they are
    g::string_literal, g::raw_string, g::float_literal, g::int_literal, g::version_literal,
    g::import_path, g::policy_name, g::grant_name, g::versions_from, g::versions_to > >;
// clang-format on

using Node = pegtl::parse_tree::node;

enum class Start { Statement, Clause };

// What the parse says about the bytes of the source.
struct Layout {
  std::map<uint32_t, Start> starts;          // offset of a line's first token -> what it starts
  std::set<uint32_t> block_braces;           // `{` and `}` of blocks
  std::set<uint32_t> map_braces;             // `{` and `}` of map literals
  std::set<uint32_t> attached;               // `(` of calls and parameter lists, `[` of an index
  std::set<uint32_t> unary_minus;
  std::map<uint32_t, uint32_t> literals;     // begin -> end
};

class LayoutBuilder {
 public:
  LayoutBuilder(std::string_view text, Layout& layout) : text_(text), layout_(layout) {}

  void visit(const Node& n) {
    if (!n.is_root()) record(n);
    for (const auto& child : n.children) visit(*child);
  }

 private:
  uint32_t begin(const Node& n) const { return static_cast<uint32_t>(n.m_begin.data - text_.data()); }
  uint32_t end(const Node& n) const { return static_cast<uint32_t>(n.m_end.data - text_.data()); }

  // The first `(` after `from`, past blanks (a call's, a quantifier's, a fn's parameter list).
  void attach_paren_after(uint32_t from) {
    while (from < text_.size() && (text_[from] == ' ' || text_[from] == '\t')) ++from;
    if (from < text_.size() && text_[from] == '(') layout_.attached.insert(from);
  }

  void record(const Node& n) {
    if (n.is_type<g::rule_reason>() || n.is_type<g::rule_detail>() || n.is_type<g::rule_at>()) {
      layout_.starts.emplace(begin(n), Start::Clause);
    } else if (n.is_type<g::fn_block>()) {
      block(n);
      // the result of a block body is a statement; after `=` it continues the declaration
      for (const auto& child : n.children) {
        if (child->is_type<g::fn_result>()) layout_.starts.emplace(begin(*child), Start::Statement);
      }
    } else if (n.is_type<g::check_body>() || n.is_type<g::mut_block>() || n.is_type<g::grant_block>()) {
      block(n);
    } else if (n.is_type<g::map_literal>()) {
      layout_.map_braces.insert(begin(n));
      layout_.map_braces.insert(end(n) - 1);
    } else if (n.is_type<g::call_name>() || n.is_type<g::quantifier_name>()) {
      attach_paren_after(end(n));
    } else if (n.is_type<g::decl_name>()) {
      attach_paren_after(end(n));  // `fn name(` and `mutation name(`; nothing for a const's name
    } else if (n.is_type<g::index>() || n.is_type<g::mut_params>() || n.is_type<g::apply_args>()) {
      layout_.attached.insert(begin(n));
    } else if (n.is_type<g::negation>()) {
      layout_.unary_minus.insert(begin(n));
    } else if (n.is_type<g::string_literal>() || n.is_type<g::raw_string>() || n.is_type<g::float_literal>() ||
               n.is_type<g::int_literal>() || n.is_type<g::version_literal>() || n.is_type<g::import_path>() ||
               n.is_type<g::policy_name>() || n.is_type<g::grant_name>() || n.is_type<g::versions_from>() ||
               n.is_type<g::versions_to>()) {
      layout_.literals.emplace(begin(n), end(n));
    } else if (!n.is_type<g::fn_result>()) {
      layout_.starts.emplace(begin(n), Start::Statement);
    }
  }

  void block(const Node& n) {
    layout_.block_braces.insert(begin(n));
    layout_.block_braces.insert(end(n) - 1);
  }

  std::string_view text_;
  Layout& layout_;
};

struct Token {
  uint32_t begin;
  uint32_t end;
  bool comment = false;
  bool starts_line = false;
  bool blank_line_before = false;  // at least one empty line between it and the token before
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::vector<Token> tokenize(std::string_view text, const Layout& layout) {
  std::vector<Token> tokens;
  uint32_t i = 0;
  int newlines = 0;
  const auto size = static_cast<uint32_t>(text.size());
  while (i < size) {
    const char c = text[i];
    if (c == '\n') {
      ++newlines;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
      ++i;
      continue;
    }
    Token token{i, i + 1};
    if (const auto literal = layout.literals.find(i); literal != layout.literals.end()) {
      token.end = literal->second;
    } else if (c == '#') {
      token.comment = true;
      while (token.end < size && text[token.end] != '\n') ++token.end;
      while (token.end > i + 1 && std::isspace(static_cast<unsigned char>(text[token.end - 1])) != 0) --token.end;
    } else if (word_char(c)) {
      while (token.end < size && word_char(text[token.end])) ++token.end;
    } else if (i + 1 < size) {
      const std::string_view two = text.substr(i, 2);
      if (two == ".." || two == "??" || two == "==" || two == "!=" || two == "<=" || two == ">=") token.end = i + 2;
    }
    token.starts_line = tokens.empty() || newlines > 0;
    token.blank_line_before = !tokens.empty() && newlines > 1;
    newlines = 0;
    tokens.push_back(token);
    i = std::max(token.end, i + 1);
    if (token.comment) {
      while (i < size && text[i] != '\n') ++i;
    }
  }
  return tokens;
}

class Printer {
 public:
  Printer(std::string_view text, const Layout& layout, const std::vector<Token>& tokens)
      : text_(text), layout_(layout), tokens_(tokens) {}

  std::string print() {
    split_lines();
    indent_code_lines();
    indent_comment_lines();
    std::string out;
    for (size_t l = 0; l < lines_.size(); ++l) {
      const Line& line = lines_[l];
      if (l > 0 && tokens_[line.first].blank_line_before && !opens_block(lines_[l - 1]) && !closes_block(line)) {
        out += '\n';
      }
      out.append(static_cast<size_t>(line.indent), ' ');
      for (size_t t = line.first; t < line.last; ++t) {
        if (t > line.first) out += space_between(tokens_[t - 1], tokens_[t]);
        out += token_text(tokens_[t]);
      }
      out += '\n';
    }
    return out;
  }

 private:
  struct Line {
    size_t first;  // tokens [first, last)
    size_t last;
    int indent = 0;
  };

  std::string_view token_text(const Token& token) const { return text_.substr(token.begin, token.end - token.begin); }
  char first_char(const Token& token) const { return text_[token.begin]; }
  bool is_block_open(const Token& t) const { return first_char(t) == '{' && layout_.block_braces.contains(t.begin); }
  bool is_block_close(const Token& t) const { return first_char(t) == '}' && layout_.block_braces.contains(t.begin); }
  bool is_map_brace(const Token& t) const { return layout_.map_braces.contains(t.begin); }
  bool is_opener(const Token& t) const {
    const char c = first_char(t);
    return !t.comment && t.end == t.begin + 1 && (c == '(' || c == '[' || (c == '{' && is_map_brace(t)));
  }
  bool is_closer(const Token& t) const {
    const char c = first_char(t);
    return !t.comment && t.end == t.begin + 1 && (c == ')' || c == ']' || (c == '}' && is_map_brace(t)));
  }
  bool opens_block(const Line& line) const {
    const Token& last = tokens_[line.last - 1];
    return is_block_open(last) || (last.comment && line.last - line.first > 1 && is_block_open(tokens_[line.last - 2]));
  }
  bool closes_block(const Line& line) const { return is_block_close(tokens_[line.first]); }
  bool comment_line(const Line& line) const { return tokens_[line.first].comment; }

  void split_lines() {
    for (size_t t = 0; t < tokens_.size(); ++t) {
      if (tokens_[t].starts_line) lines_.push_back({t, t});
      lines_.back().last = t + 1;
    }
  }

  // The state of the statement under way in each open block.
  struct Frame {
    int indent = 0;                          // of the line that started the statement or clause
    std::vector<size_t> open_brackets;       // the line each still-open bracket opened on
  };

  void indent_code_lines() {
    std::vector<Frame> frames(1);
    for (size_t l = 0; l < lines_.size(); ++l) {
      Line& line = lines_[l];
      if (comment_line(line)) continue;
      const Token& first = tokens_[line.first];
      const int depth = 2 * static_cast<int>(frames.size() - 1);
      Frame& frame = frames.back();
      if (is_block_close(first)) {
        line.indent = depth - 2;
      } else if (const auto start = layout_.starts.find(first.begin); start != layout_.starts.end()) {
        line.indent = start->second == Start::Clause ? depth + 2 : depth;
        frame.indent = line.indent;
        frame.open_brackets.clear();
      } else if (frame.open_brackets.empty()) {
        line.indent = frame.indent + 2;  // continues the statement
      } else {
        // Inside a bracket an earlier line opened: 2 more than that line; its closer goes back.
        const int opener = lines_[frame.open_brackets.back()].indent;
        line.indent = is_closer(first) ? opener : opener + 2;
      }
      for (size_t t = line.first; t < line.last; ++t) {
        const Token& token = tokens_[t];
        if (is_block_open(token)) {
          frames.push_back(Frame{depth + 2, {}});
        } else if (is_block_close(token)) {
          if (frames.size() > 1) frames.pop_back();
        } else if (is_opener(token)) {
          frames.back().open_brackets.push_back(l);
        } else if (is_closer(token) && !frames.back().open_brackets.empty()) {
          frames.back().open_brackets.pop_back();
        }
      }
    }
  }

  // A comment line is indented as the code after it (inside the block when that code closes it).
  void indent_comment_lines() {
    int next = 0;
    for (size_t l = lines_.size(); l-- > 0;) {
      Line& line = lines_[l];
      if (comment_line(line)) {
        line.indent = next;
      } else {
        next = line.indent + (closes_block(line) ? 2 : 0);
      }
    }
  }

  std::string_view space_between(const Token& before, const Token& token) const {
    if (token.comment) return "  ";
    const char b = first_char(before);
    const char c = first_char(token);
    const bool before_punct = before.end == before.begin + 1 && !before.comment;
    const bool token_punct = token.end == token.begin + 1;
    if (before_punct && (b == '(' || b == '[' || b == '.' || (b == '{' && is_map_brace(before)))) return "";
    if (token_punct && (c == ')' || c == ']' || c == ',' || c == ':' || c == '.' || (c == '}' && is_map_brace(token)))) {
      return "";
    }
    if (token_punct && (c == '(' || c == '[') && layout_.attached.contains(token.begin)) return "";
    if (layout_.unary_minus.contains(before.begin) && c != '-') return "";
    return " ";
  }

  std::string_view text_;
  const Layout& layout_;
  const std::vector<Token>& tokens_;
  std::vector<Line> lines_;
};

}  // namespace

std::optional<std::string> format(const std::shared_ptr<const Source>& source, Diagnostics& diagnostics) {
  if (!parse(source, diagnostics)) return std::nullopt;  // the syntax error, reported as everywhere
  pegtl::memory_input<> in(source->text().data(), source->text().size(), source->name());
  g::nesting = 0;
  const auto root = pegtl::parse_tree::parse<g::file, Node, selector, pegtl::nothing, g::control>(in);
  Layout layout;
  LayoutBuilder(source->text(), layout).visit(*root);
  const std::vector<Token> tokens = tokenize(source->text(), layout);
  return Printer(source->text(), layout, tokens).print();
}

}  // namespace pol::lang
