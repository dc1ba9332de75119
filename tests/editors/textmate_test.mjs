// SPDX-License-Identifier: Apache-2.0
// editors/pol.tmLanguage.json through vscode-textmate (the tokenizer of VS Code, with Oniguruma as
// VS Code runs it) over every .pol of the repository: every character that is not blank must be in
// a token the grammar classifies (a scope beyond source.pol), every scope must be one of the
// standard TextMate families and end in .pol, and no shipped policy may show an invalid token.
// Then a few tokens whose scope is pinned (keywords, builtins, members, strings, interpolation).
// Usage: node textmate_test.mjs SOURCE_DIR NODE_MODULES_PARENT
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const [source, deps] = process.argv.slice(2);
const require = createRequire(join(deps, "node_modules", "x.js"));
const textmate = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

await oniguruma.loadWASM(readFileSync(join(deps, "node_modules/vscode-oniguruma/release/onig.wasm")).buffer);
const registry = new textmate.Registry({
  onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
  loadGrammar: async () => textmate.parseRawGrammar(readFileSync(join(source, "editors/pol.tmLanguage.json"), "utf8"), "pol.tmLanguage.json"),
});
const grammar = await registry.loadGrammar("source.pol");

// Each line's tokens: [{text, scopes}].
function tokenize(text) {
  let state = textmate.INITIAL;
  return text.split("\n").map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

const families = ["comment", "constant", "entity", "invalid", "keyword", "meta", "punctuation", "storage", "string", "support", "variable"];
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name.startsWith(".") || name.startsWith("build") || name === "node_modules") return [];
    return statSync(path).isDirectory() ? files(path) : name.endsWith(".pol") ? [path] : [];
  });
}

const failures = [];
let tokens = 0;
const all = files(source);
for (const path of all) {
  const name = relative(source, path);
  const shipped = /^(stdlib|policies|examples)\//.test(name);
  tokenize(readFileSync(path, "utf8")).forEach((line, i) => {
    for (const token of line) {
      tokens++;
      const at = `${name}:${i + 1}: '${token.text}'`;
      for (const scope of token.scopes.slice(1)) {
        if (!families.includes(scope.split(".")[0]) || !scope.endsWith(".pol")) failures.push(`${at}: unknown scope ${scope}`);
        if (shipped && scope.startsWith("invalid")) failures.push(`${at}: ${scope} in a shipped policy`);
      }
      if (token.text.trim() !== "" && token.scopes.length < 2) failures.push(`${at}: not classified`);
    }
  });
}

// Pinned scopes: the innermost scope of a token on a given line of a given file.
function scopeOf(text, line, tokenText, nth = 0) {
  const matches = tokenize(text)[line].filter((t) => t.text === tokenText);
  return matches[nth] ? matches[nth].scopes.at(-1) : "(no such token)";
}
const sample = [
  'policy "p"',
  'check memory_cap {',
  '  let too_big = [c for c in all_containers if quantity(c.resources.limits.memory ?? 0) > 1]',
  '  deny if len(too_big) > 0 and c.name != "x" reason "above {max_memory}" detail "{join(x, ", ")}\\n" at [c.securityContext]',
  '  level restricted',
  '  warn if true reason "r" at (if true then [spec] else [])',
  '}',
  'fn helper(x) = startsWith(x.level, r"^v[0-9]+") or version >= v1.25 # done',
].join("\n");
const pinned = [
  [0, "policy", "keyword.other.pol"], [1, "check", "storage.type.pol"], [1, "memory_cap", "entity.name.function.pol"],
  [2, "let", "storage.type.pol"], [2, "too_big", "variable.other.pol"], [2, "for", "keyword.control.pol"],
  [2, "in", "keyword.operator.word.pol"], [2, "all_containers", "support.variable.pol"],
  [2, "quantity", "support.function.builtin.pol"], [2, "limits", "variable.other.member.pol"], [2, "??", "keyword.operator.pol"],
  [3, "deny", "keyword.control.pol"], [3, "len", "support.function.builtin.pol"], [3, "name", "variable.other.member.pol"],
  [3, "reason", "keyword.other.pol"], [3, "max_memory", "variable.other.pol"], [3, "{", "punctuation.section.interpolation.begin.pol"],
  [3, "\\n", "constant.character.escape.pol"], [3, "at", "keyword.other.pol"], [3, "join", "support.function.builtin.pol"],
  [4, "level", "keyword.other.pol"], [4, "restricted", "constant.language.level.pol"], [5, "at", "keyword.other.pol"],
  [7, "fn", "storage.type.pol"], [7, "helper", "entity.name.function.pol"],
  [7, "level", "variable.other.member.pol"], [7, 'r"^v[0-9]+"', "string.regexp.pol"], [7, "v1.25", "constant.numeric.version.pol"],
  [7, "version", "support.variable.pol"], [7, "# done", "comment.line.number-sign.pol"],
];
for (const [line, text, want] of pinned) {
  const got = scopeOf(sample, line, text);
  if (got !== want) failures.push(`sample line ${line + 1}: '${text}' is ${got}, expected ${want}`);
}
// Every builtin of the language reference is a builtin when called.
const reference = readFileSync(join(source, "docs/language.md"), "utf8");
const table = reference.slice(reference.indexOf("## Builtins"), reference.indexOf("Examples: `tests/lang/basics/builtins_strings.pol`"));
const builtins = [...new Set([...table.matchAll(/`([a-zA-Z_]+)\(/g)].map((m) => m[1]))];
for (const name of builtins) {
  const got = scopeOf(`x = ${name}(y)`, 0, name);
  if (got !== "support.function.builtin.pol") failures.push(`builtin ${name} is ${got}`);
}

for (const failure of failures.slice(0, 40)) console.log(`FAIL ${failure}`);
console.log(`textmate: ${all.length} files, ${tokens} tokens, ${pinned.length} pinned, ${builtins.length} builtins; ${failures.length} failures`);
process.exit(failures.length === 0 && all.length > 50 && builtins.length > 30 ? 0 : 1);
