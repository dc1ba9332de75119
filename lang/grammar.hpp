// SPDX-License-Identifier: Apache-2.0
// The pol grammar as PEGTL rules, and the messages for the places where a parse must not fail.
// Expressions have one rule per precedence level (lowest first: if-then-else, or, and, not,
// comparison, ??, additive, multiplicative, unary minus, postfix); the parse tree is turned into
// the AST by parser.cpp. Words such as `level`, `reason` or `at` are only keywords where they
// start a check item, so documents' field names (`seLinuxOptions.level`) stay usable.
#pragma once

#include <tao/pegtl.hpp>

namespace pol::lang::grammar {

using namespace tao::pegtl;

// clang-format off
struct comment       : seq< one< '#' >, until< eolf > > {};
struct sep           : sor< space, comment > {};
struct seps          : star< sep > {};

struct ident_first   : ranges< 'a', 'z', 'A', 'Z', '_' > {};
struct ident_other   : ranges< 'a', 'z', 'A', 'Z', '0', '9', '_' > {};
struct word          : seq< ident_first, star< ident_other > > {};

template< typename Key > struct key : seq< Key, not_at< ident_other > > {};
struct str_import    : TAO_PEGTL_STRING( "import" ) {};
struct str_policy    : TAO_PEGTL_STRING( "policy" ) {};
struct str_const     : TAO_PEGTL_STRING( "const" ) {};
struct str_fn        : TAO_PEGTL_STRING( "fn" ) {};
struct str_check     : TAO_PEGTL_STRING( "check" ) {};
struct str_let       : TAO_PEGTL_STRING( "let" ) {};
struct str_deny      : TAO_PEGTL_STRING( "deny" ) {};
struct str_warn      : TAO_PEGTL_STRING( "warn" ) {};
struct str_if        : TAO_PEGTL_STRING( "if" ) {};
struct str_then      : TAO_PEGTL_STRING( "then" ) {};
struct str_else      : TAO_PEGTL_STRING( "else" ) {};
struct str_for       : TAO_PEGTL_STRING( "for" ) {};
struct str_in        : TAO_PEGTL_STRING( "in" ) {};
struct str_and       : TAO_PEGTL_STRING( "and" ) {};
struct str_or        : TAO_PEGTL_STRING( "or" ) {};
struct str_not       : TAO_PEGTL_STRING( "not" ) {};
struct str_true      : TAO_PEGTL_STRING( "true" ) {};
struct str_false     : TAO_PEGTL_STRING( "false" ) {};
struct str_null      : TAO_PEGTL_STRING( "null" ) {};

struct kw_import     : key< str_import > {};
struct kw_policy     : key< str_policy > {};
struct kw_const      : key< str_const > {};
struct kw_fn         : key< str_fn > {};
struct kw_check      : key< str_check > {};
struct kw_let        : key< str_let > {};
struct kw_deny       : key< str_deny > {};
struct kw_warn       : key< str_warn > {};
struct kw_if         : key< str_if > {};
struct kw_then       : key< str_then > {};
struct kw_else       : key< str_else > {};
struct kw_for        : key< str_for > {};
struct kw_in         : key< str_in > {};
struct kw_and        : key< str_and > {};
struct kw_or         : key< str_or > {};
struct kw_not        : key< str_not > {};
struct kw_true       : key< str_true > {};
struct kw_false      : key< str_false > {};
struct kw_null       : key< str_null > {};

// Contextual words: keywords only at the start of a check item or a rule clause.
struct kw_level      : key< TAO_PEGTL_STRING( "level" ) > {};
struct kw_since      : key< TAO_PEGTL_STRING( "since" ) > {};
struct kw_versions   : key< TAO_PEGTL_STRING( "versions" ) > {};
struct kw_replaces   : key< TAO_PEGTL_STRING( "replaces" ) > {};
struct kw_reason     : key< TAO_PEGTL_STRING( "reason" ) > {};
struct kw_detail     : key< TAO_PEGTL_STRING( "detail" ) > {};
struct kw_at         : key< TAO_PEGTL_STRING( "at" ) > {};
// ... and at the start of a declaration or a mutation statement.
struct kw_mutation   : key< TAO_PEGTL_STRING( "mutation" ) > {};
struct kw_apply      : key< TAO_PEGTL_STRING( "apply" ) > {};
struct kw_default    : key< TAO_PEGTL_STRING( "default" ) > {};
struct kw_set        : key< TAO_PEGTL_STRING( "set" ) > {};
struct kw_remove     : key< TAO_PEGTL_STRING( "remove" ) > {};
struct kw_add        : key< TAO_PEGTL_STRING( "add" ) > {};
struct kw_to         : key< TAO_PEGTL_STRING( "to" ) > {};
struct kw_each       : key< TAO_PEGTL_STRING( "each" ) > {};
struct kw_grant      : key< TAO_PEGTL_STRING( "grant" ) > {};
struct kw_when       : key< TAO_PEGTL_STRING( "when" ) > {};
struct kw_owner      : key< TAO_PEGTL_STRING( "owner" ) > {};
struct kw_why        : key< TAO_PEGTL_STRING( "why" ) > {};
struct kw_expires    : key< TAO_PEGTL_STRING( "expires" ) > {};
struct kw_name       : key< TAO_PEGTL_STRING( "name" ) > {};
struct kw_param      : key< TAO_PEGTL_STRING( "param" ) > {};
struct kw_of         : key< TAO_PEGTL_STRING( "of" ) > {};

// `reason`, `detail` and `at` end a rule's condition, so they cannot name a variable either.
struct reserved      : key< sor< str_import, str_policy, str_const, str_fn, str_check, str_let,
                                 str_deny, str_warn, str_if, str_then, str_else, str_for, str_in,
                                 str_and, str_or, str_not, str_true, str_false, str_null,
                                 TAO_PEGTL_STRING( "reason" ), TAO_PEGTL_STRING( "detail" ),
                                 TAO_PEGTL_STRING( "at" ) > > {};
struct identifier    : seq< not_at< reserved >, word > {};
struct member_name   : word {};  // after '.', any word: `.level`, `.in` are field names

// Punctuation, named so that error messages can name it.
struct comma         : one< ',' > {};
struct colon         : one< ':' > {};
struct dot           : one< '.' > {};
struct equals        : seq< one< '=' >, not_at< one< '=' > > > {};
struct open_paren    : one< '(' > {};
struct close_paren   : one< ')' > {};
struct open_bracket  : one< '[' > {};
struct close_bracket : one< ']' > {};
struct open_brace    : one< '{' > {};
struct close_brace   : one< '}' > {};
struct range_dots    : TAO_PEGTL_STRING( ".." ) {};

// Literals.
struct digits        : plus< digit > {};
struct float_literal : seq< digits, one< '.' >, digits, not_at< ident_other > > {};
struct int_literal   : seq< digits, not_at< ident_other > > {};
struct version_literal : seq< one< 'v' >, digits, one< '.' >, digits, not_at< ident_other > > {};

struct expr;
struct escape_char   : one< '"', '\\', 'n', 't', 'r', '{', '}' > {};
struct escape        : seq< one< '\\' >, must< escape_char > > {};
struct string_chars  : plus< not_one< '"', '\\', '{', '\n' > > {};
struct interp_close  : one< '}' > {};
struct interpolation : if_must< one< '{' >, seps, expr, seps, interp_close > {};
struct string_close  : one< '"' > {};
struct string_literal : if_must< one< '"' >, star< sor< string_chars, escape, interpolation > >, string_close > {};
// r"^[a-z]{1,30}$": no escapes, no interpolation (regular expressions); one line, no '"'.
struct raw_chars     : star< not_one< '"', '\n' > > {};
struct raw_string    : seq< one< 'r' >, one< '"' >, raw_chars, must< string_close > > {};

// Primary expressions.
struct paren_close   : close_paren {};
struct paren_expr    : if_must< open_paren, seps, expr, seps, paren_close > {};
struct list_close    : close_bracket {};
struct comp_var      : identifier {};
struct comp_filter   : if_must< kw_if, seps, expr > {};
// `[` opens a list or a comprehension: the first item is parsed once, then `for` decides. (Trying
// a comprehension and then a list would parse every nested `[` twice: exponential time.)
// `[x + y for x in xs for y in ys if x < y]`: each further `for` runs inside the one before.
struct comp_for      : if_must< kw_for, seps, comp_var, seps, kw_in, seps, expr > {};
struct comprehension : if_must< comp_for, seps, star< comp_for, seps >, opt< comp_filter, seps >, list_close > {};
struct list_rest     : seq< star< seps, comma, seps, expr >, seps, opt< comma, seps >, list_close > {};
struct bracket_items : seq< expr, seps, sor< comprehension, list_rest > > {};
struct list_body     : sor< list_close, bracket_items > {};
struct list_literal  : if_must< open_bracket, seps, list_body > {};
struct map_key       : sor< string_literal, member_name > {};
struct map_entry     : if_must< map_key, seps, colon, seps, expr > {};
struct map_close     : close_brace {};
struct map_literal   : if_must< open_brace, seps, opt< list< map_entry, seq< seps, comma, seps > >, seps, opt< comma, seps > >, map_close > {};
struct quantifier_name : sor< key< TAO_PEGTL_STRING( "any" ) >, key< TAO_PEGTL_STRING( "all" ) >, key< TAO_PEGTL_STRING( "count" ) > > {};
struct binder_var    : identifier {};
struct quantifier_body : seq< expr > {};
// `any(x in` commits to a quantifier (a call `any(x in list)` would pass a bool where a list is
// wanted): only that much is parsed again when `any(` turns out to be a call.
struct quantifier    : seq< quantifier_name, seps, open_paren, seps, binder_var, seps, kw_in, must< seps, expr, seps, colon, seps, quantifier_body, seps, paren_close > > {};
struct call_name     : identifier {};
struct call_args     : opt< list< expr, seq< seps, comma, seps > >, seps > {};
struct call          : seq< call_name, seps, open_paren, must< seps, call_args, paren_close > > {};
struct name_ref      : identifier {};
struct true_literal  : kw_true {};
struct false_literal : kw_false {};
struct null_literal  : kw_null {};
struct primary       : sor< float_literal, int_literal, version_literal, string_literal, raw_string,
                            true_literal, false_literal, null_literal, paren_expr,
                            list_literal, map_literal, quantifier, call, name_ref > {};

// Postfix: member access and indexing.
// `c.image.startsWith("x")` is a method call, which pol does not have: say so, not "expected ')'".
struct no_method     : not_at< star< blank >, open_paren > {};
struct member        : seq< dot, not_at< dot >, must< member_name, no_method > > {};
struct index_close   : close_bracket {};
struct index         : if_must< open_bracket, seps, expr, seps, index_close > {};
// An index opens on the same line as what it indexes: a `[` that starts a line starts a list,
// so a block's result may be a list literal or comprehension after its `let`s.
struct postfix       : seq< primary, star< sor< seq< seps, member >, seq< star< blank >, index > > > > {};

// Operators, one rule per precedence level.
struct op_neg        : seq< one< '-' >, not_at< one< '-' > > > {};
struct unary;
struct negation      : if_must< op_neg, seps, unary > {};
struct unary         : sor< negation, postfix > {};
struct op_mul        : one< '*', '/', '%' > {};
struct multiplicative : list_must< unary, op_mul, sep > {};
struct op_add        : one< '+', '-' > {};
struct additive      : list_must< multiplicative, op_add, sep > {};
struct op_coalesce   : TAO_PEGTL_STRING( "??" ) {};
struct coalesce      : list_must< additive, op_coalesce, sep > {};
struct op_not_in     : seq< kw_not, seps, kw_in > {};
struct op_compare    : sor< TAO_PEGTL_STRING( "==" ), TAO_PEGTL_STRING( "!=" ), TAO_PEGTL_STRING( "<=" ),
                            TAO_PEGTL_STRING( ">=" ), one< '<' >, one< '>' >, kw_in, op_not_in > {};
// One comparison per expression: `1 < n < 3` is an error that says how to write it.
struct no_chain      : not_at< seps, op_compare > {};
struct comparison    : seq< coalesce, opt< seps, op_compare, seps, must< coalesce, no_chain > > > {};
struct not_expr;
struct negated       : if_must< kw_not, seps, not_expr > {};
struct not_expr      : sor< negated, comparison > {};
struct and_expr      : list_must< not_expr, kw_and, sep > {};
struct or_expr       : list_must< and_expr, kw_or, sep > {};
struct cond_then : seq< expr > {};
struct cond_else : seq< expr > {};
struct conditional   : if_must< kw_if, seps, expr, seps, kw_then, seps, cond_then, seps, kw_else, seps, cond_else > {};
struct expr          : sor< conditional, or_expr > {};

// Declarations.
struct import_path   : string_literal {};
struct import_decl   : if_must< kw_import, seps, import_path > {};
struct policy_name   : string_literal {};
struct policy_decl   : if_must< kw_policy, seps, policy_name > {};
struct decl_name     : identifier {};
struct const_decl    : if_must< kw_const, seps, decl_name, seps, equals, seps, expr > {};
// `param registries: list of string = ["registry.example.com/"]`: a value the run gives.
struct param_type_name : identifier {};
struct param_type;
struct param_type    : seq< param_type_name, opt< seps, kw_of, seps, must< param_type > > > {};
struct param_default : seq< expr > {};
struct param_decl    : if_must< kw_param, seps, decl_name, seps, colon, seps, param_type,
                                opt< seps, equals, seps, param_default > > {};
struct let_name      : identifier {};
struct let_stmt      : if_must< kw_let, seps, let_name, seps, equals, seps, expr > {};
struct param         : identifier {};
struct params        : opt< list< param, seq< seps, comma, seps > >, seps > {};
struct fn_result : seq< expr > {};
struct fn_block_close : close_brace {};
struct fn_block      : if_must< open_brace, seps, star< let_stmt, seps >, fn_result, seps, fn_block_close > {};
struct fn_expr_body  : if_must< equals, seps, fn_result > {};
struct fn_body       : sor< fn_expr_body, fn_block > {};
struct fn_decl       : if_must< kw_fn, seps, decl_name, seps, open_paren, seps, params, paren_close, seps, fn_body > {};

struct check_id      : identifier {};
struct level_name    : identifier {};
struct level_item    : if_must< kw_level, seps, level_name > {};
struct since_item    : if_must< kw_since, seps, version_literal > {};
struct versions_from : version_literal {};
struct versions_to   : version_literal {};
struct versions_item : if_must< kw_versions, seps, versions_from, seps, range_dots, seps, versions_to > {};
struct replaced_id   : identifier {};
struct replaces_item : if_must< kw_replaces, seps, list_must< replaced_id, seq< seps, comma >, sep > > {};
struct rule_kind     : sor< kw_deny, kw_warn > {};
struct rule_condition : seq< expr > {};
struct rule_reason   : if_must< kw_reason, seps, expr > {};
struct rule_detail   : if_must< kw_detail, seps, expr > {};
struct rule_at       : if_must< kw_at, seps, expr > {};
struct rule          : if_must< rule_kind, seps, kw_if, seps, rule_condition, seps, rule_reason,
                                opt< seps, rule_detail >, opt< seps, rule_at > > {};
struct check_item    : sor< level_item, since_item, versions_item, replaces_item, let_stmt, rule > {};
struct check_close   : close_brace {};
struct check_body    : if_must< open_brace, seps, star< check_item, seps >, check_close > {};
struct check_decl    : if_must< kw_check, seps, check_id, seps, check_body > {};

// Mutations: statements that change the document, applied by `apply` declarations in order.
struct mut_target    : seq< postfix > {};  // a path into the document; the checker says which
struct mut_value     : seq< expr > {};
struct mut_default   : if_must< kw_default, seps, mut_target, seps, equals, seps, mut_value > {};
struct mut_set       : if_must< kw_set, seps, mut_target, seps, equals, seps, mut_value > {};
struct mut_remove    : if_must< kw_remove, seps, mut_target > {};
struct mut_add       : if_must< kw_add, seps, mut_value, seps, kw_to, seps, mut_target > {};
struct mut_block;
struct mut_else      : if_must< kw_else, seps, mut_block > {};
struct mut_condition : seq< expr > {};
struct mut_if        : if_must< kw_if, seps, mut_condition, seps, mut_block, opt< seps, mut_else > > {};
struct each_var      : identifier {};
struct mut_each      : if_must< kw_each, seps, each_var, seps, kw_in, seps, mut_value, seps, mut_block > {};
struct mutation_ref  : identifier {};
struct apply_args    : if_must< open_paren, seps, call_args, paren_close > {};
struct mut_apply     : if_must< kw_apply, seps, mutation_ref, opt< seps, apply_args > > {};
struct mut_stmt      : sor< let_stmt, mut_default, mut_set, mut_remove, mut_add, mut_if, mut_each, mut_apply > {};
struct mut_close     : close_brace {};
struct mut_block     : if_must< open_brace, seps, star< mut_stmt, seps >, mut_close > {};
struct mut_params    : if_must< open_paren, seps, params, paren_close > {};
struct mutation_decl : if_must< kw_mutation, seps, decl_name, seps, opt< mut_params, seps >, mut_block > {};
struct apply_condition : seq< expr > {};
struct apply_decl    : if_must< kw_apply, seps, mutation_ref, opt< seps, apply_args >,
                                opt< seps, kw_if, seps, apply_condition > > {};

// Grants: exceptions as wide as a table row. `when` names the workloads; the statements make,
// in the view the checks see, exactly what the row allows.
struct grant_name    : string_literal {};
struct grant_rows    : seq< mut_value > {};
struct grant_each    : if_must< kw_each, seps, each_var, seps, kw_in, seps, grant_rows > {};  // one grant per row
struct grant_named   : if_must< kw_name, seps, mut_value > {};
struct grant_when    : if_must< kw_when, seps, mut_value > {};
struct grant_owner   : if_must< kw_owner, seps, mut_value > {};
struct grant_why     : if_must< kw_why, seps, mut_value > {};
struct grant_expires : if_must< kw_expires, seps, mut_value > {};
struct grant_item    : sor< grant_named, grant_when, grant_owner, grant_why, grant_expires, mut_stmt > {};
struct grant_close   : close_brace {};
struct grant_block   : if_must< open_brace, seps, star< grant_item, seps >, grant_close > {};
struct grant_head    : sor< grant_name, grant_each > {};
struct grant_decl    : if_must< kw_grant, seps, grant_head, seps, grant_block > {};

struct decl          : sor< import_decl, policy_decl, const_decl, param_decl, fn_decl, check_decl, mutation_decl, apply_decl, grant_decl > {};
struct end_of_file   : eof {};
struct file          : seq< seps, star< decl, seps >, must< end_of_file > > {};
// clang-format on

// Messages for the rules that raise (inside must<> / if_must<>); anything else is a bug that
// the unit test on analyze<file>() and the error goldens catch.
template< typename Rule > inline constexpr const char* error_message = nullptr;

template<> inline constexpr auto error_message< end_of_file > = "expected a declaration: import, policy, const, param, fn, check, mutation, apply or grant";
template<> inline constexpr auto error_message< param_type > = "expected a type: string, int, float, bool, list, map, any, list of TYPE or map of TYPE";
template<> inline constexpr auto error_message< escape_char > = "unknown escape sequence; use \\\", \\\\, \\n, \\t, \\r, \\{ or \\}";
template<> inline constexpr auto error_message< string_close > = "unterminated string: expected '\"'";
template<> inline constexpr auto error_message< interp_close > = "expected '}' to close the interpolation";
template<> inline constexpr auto error_message< seps > = "unexpected input";
template<> inline constexpr auto error_message< expr > = "expected an expression";
template<> inline constexpr auto error_message< paren_close > = "expected ')'";
template<> inline constexpr auto error_message< list_close > = "expected ']' to close the list";
template<> inline constexpr auto error_message< list_body > = "expected a list item or ']'";
template<> inline constexpr auto error_message< comp_var > = "expected a variable name after 'for'";
template<> inline constexpr auto error_message< kw_in > = "expected 'in'";
template<> inline constexpr auto error_message< colon > = "expected ':'";
template<> inline constexpr auto error_message< map_close > = "expected '}' to close the map";
template<> inline constexpr auto error_message< quantifier_body > = "expected a condition after ':'";
template<> inline constexpr auto error_message< call_args > = "expected call arguments";
template<> inline constexpr auto error_message< member_name > = "expected a field name after '.'";
template<> inline constexpr auto error_message< no_method > = "pol has no methods: pass the value as the function's first argument, as in startsWith(c.image, \"x\") for c.image.startsWith(\"x\")";
template<> inline constexpr auto error_message< no_chain > = "comparisons do not chain: write `a < b and b < c` for `a < b < c`";
template<> inline constexpr auto error_message< index_close > = "expected ']' to close the index";
template<> inline constexpr auto error_message< unary > = "expected an operand";
template<> inline constexpr auto error_message< multiplicative > = "expected an operand";
template<> inline constexpr auto error_message< additive > = "expected an operand";
template<> inline constexpr auto error_message< coalesce > = "expected an operand";
template<> inline constexpr auto error_message< not_expr > = "expected an operand";
template<> inline constexpr auto error_message< and_expr > = "expected an operand";
template<> inline constexpr auto error_message< kw_then > = "expected 'then'";
template<> inline constexpr auto error_message< kw_else > = "expected 'else'";
template<> inline constexpr auto error_message< cond_then > = "expected an expression after 'then'";
template<> inline constexpr auto error_message< cond_else > = "expected an expression after 'else'";
template<> inline constexpr auto error_message< import_path > = "expected a quoted file name after 'import'";
template<> inline constexpr auto error_message< policy_name > = "expected a quoted policy name after 'policy'";
template<> inline constexpr auto error_message< decl_name > = "expected a name";
template<> inline constexpr auto error_message< equals > = "expected '='";
template<> inline constexpr auto error_message< let_name > = "expected a name after 'let'";
template<> inline constexpr auto error_message< open_paren > = "expected '('";
template<> inline constexpr auto error_message< params > = "expected parameter names";
template<> inline constexpr auto error_message< fn_body > = "expected '= expression' or '{' after the parameters";
template<> inline constexpr auto error_message< fn_result > = "expected the function's result expression";
template<> inline constexpr auto error_message< fn_block_close > = "expected '}' to close the function body";
template<> inline constexpr auto error_message< check_id > = "expected a check id after 'check'";
template<> inline constexpr auto error_message< check_body > = "expected '{' to open the check body";
template<> inline constexpr auto error_message< check_close > = "expected '}' or a check item: level, since, versions, replaces, let, deny or warn";
template<> inline constexpr auto error_message< level_name > = "expected a level name (baseline or restricted)";
template<> inline constexpr auto error_message< version_literal > = "expected a version such as v1.25";
template<> inline constexpr auto error_message< versions_from > = "expected a version such as v1.25";
template<> inline constexpr auto error_message< versions_to > = "expected a version such as v1.25";
template<> inline constexpr auto error_message< range_dots > = "expected '..' between the two versions";
template<> inline constexpr auto error_message< replaced_id > = "expected a check id";
template<> inline constexpr auto error_message< kw_if > = "expected 'if' after deny/warn";
template<> inline constexpr auto error_message< rule_condition > = "expected a condition after 'if'";
template<> inline constexpr auto error_message< rule_reason > = "expected 'reason' after the condition";
template<> inline constexpr auto error_message< open_brace > = "expected '{'";
template<> inline constexpr auto error_message< close_paren > = "expected ')'";
template<> inline constexpr auto error_message< mut_target > = "expected a document path such as spec.securityContext.fsGroup";
template<> inline constexpr auto error_message< mut_value > = "expected an expression";
template<> inline constexpr auto error_message< kw_to > = "expected 'to' after the value to add";
template<> inline constexpr auto error_message< mut_condition > = "expected a condition after 'if'";
template<> inline constexpr auto error_message< mut_block > = "expected '{' to open the statements";
template<> inline constexpr auto error_message< mut_close > = "expected '}' or a mutation statement: let, default, set, remove, add, if, each or apply";
template<> inline constexpr auto error_message< each_var > = "expected a variable name after 'each'";
template<> inline constexpr auto error_message< mutation_ref > = "expected the name of a mutation";
template<> inline constexpr auto error_message< apply_args > = "expected the mutation's arguments";
template<> inline constexpr auto error_message< apply_condition > = "expected a condition after 'if'";
template<> inline constexpr auto error_message< mut_params > = "expected parameter names";
template<> inline constexpr auto error_message< grant_head > = "expected the grant's name (a quoted string) or 'each ROW in TABLE'";
template<> inline constexpr auto error_message< grant_rows > = "expected a constant list of rows";
template<> inline constexpr auto error_message< grant_block > = "expected '{' to open the grant";
template<> inline constexpr auto error_message< grant_close > = "expected '}' or a grant item: name, when, owner, why, expires or a mutation statement";

// Control: the rules that must match (inside must<> / if_must<>) raise with their message.
// (PEGTL's must_if would also turn every failing rule *with* a message into a must, which breaks
// ordinary backtracking between alternatives.)
// How deeply expressions may nest (brackets, parentheses, calls, `not`s, interpolations): the
// parser, the checker and the interpreter all recurse once per level, so this bounds their stack.
// Set by lang::parse for the parse at hand (Limits::nesting).
inline thread_local uint32_t max_nesting = 64;
inline thread_local uint32_t nesting = 0;

template< typename Rule >
inline constexpr bool nests = std::is_same_v< Rule, paren_expr > || std::is_same_v< Rule, list_literal > ||
                              std::is_same_v< Rule, map_literal > || std::is_same_v< Rule, quantifier > ||
                              std::is_same_v< Rule, call > || std::is_same_v< Rule, index > ||
                              std::is_same_v< Rule, interpolation > || std::is_same_v< Rule, negated > ||
                              std::is_same_v< Rule, negation > || std::is_same_v< Rule, conditional >;

template< typename Rule >
struct control : normal< Rule > {
  template< typename ParseInput, typename... States >
  static void start( const ParseInput& in, States&&... /*unused*/ ) {
    if constexpr( nests< Rule > ) {
      if( ++nesting > max_nesting ) {
        throw parse_error( "expressions nested deeper than " + std::to_string( max_nesting ) + " levels", in );
      }
    }
  }
  template< typename ParseInput, typename... States >
  static void success( const ParseInput& /*unused*/, States&&... /*unused*/ ) noexcept {
    if constexpr( nests< Rule > ) --nesting;
  }
  template< typename ParseInput, typename... States >
  static void failure( const ParseInput& /*unused*/, States&&... /*unused*/ ) noexcept {
    if constexpr( nests< Rule > ) --nesting;
  }

  template< typename ParseInput, typename... States >
  [[noreturn]] static void raise( const ParseInput& in, States&&... /*unused*/ ) {
    if constexpr( error_message< Rule > != nullptr ) {
      throw parse_error( error_message< Rule >, in );
    } else {
      throw parse_error( "unexpected input (while parsing " + std::string( demangle< Rule >() ) + ")", in );
    }
  }
};

}  // namespace pol::lang::grammar
