#!/usr/bin/env python3
"""`pol lsp` driven by a JSON-RPC client over its stdin/stdout, as an editor drives it.

Oracles: `pol compile -o json` for diagnostics (every shipped policy and every error fixture),
the Kubernetes schema file for field descriptions and completions, the policy files themselves
for definitions, and `pol fmt` for formatting.
Usage: lsp_test.py POL_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys

POL, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []
checks = 0


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        failures.append(what)
        print("FAIL", what)


class Client:
    def __init__(self):
        self.proc = subprocess.Popen([POL, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0
        self.diagnostics = {}  # uri -> the last published list

    def send(self, message):
        body = json.dumps(dict(jsonrpc="2.0", **message)).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("pol lsp closed its output")
            if line == b"\r\n":
                break
            name, value = line.decode().split(":", 1)
            if name.lower() == "content-length":
                length = int(value)
        message = json.loads(self.proc.stdout.read(length))
        if message.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        return message

    def request(self, method, params=None):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params or {}})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id:
                return message

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def open(self, path, text=None):
        uri = "file://" + path
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "pol", "version": 1, "text": open(path).read() if text is None else text}})
        self.wait_diagnostics(uri)
        return uri

    def change(self, uri, text):
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]})
        self.wait_diagnostics(uri)

    def wait_diagnostics(self, uri):
        self.diagnostics.pop(uri, None)
        while uri not in self.diagnostics:
            self.receive()


def utf16(text):
    return len(text.encode("utf-16-le")) // 2


def position(text, needle, inside=1):
    """The LSP position `inside` characters into the first occurrence of `needle`."""
    at = text.index(needle) + inside
    line = text.count("\n", 0, at)
    return {"line": line, "character": utf16(text[text.rfind("\n", 0, at) + 1:at])}


def at(uri, pos):
    return {"textDocument": {"uri": uri}, "position": pos}


def compile_json(path):
    out = subprocess.run([POL, "compile", "-o", "json", path], capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


client = Client()
init = client.request("initialize", {"processId": None, "rootUri": "file://" + ROOT, "capabilities": {}})
caps = init["result"]["capabilities"]
check(caps["hoverProvider"] and caps["definitionProvider"] and caps["documentFormattingProvider"], "capabilities")
check(caps["completionProvider"]["triggerCharacters"] == ["."], "completion triggered by '.'")
client.notify("initialized", {})

# Diagnostics: the shipped policies are clean, and every error fixture gets pol compile's errors.
shipped = sorted(os.path.join(d, f) for folder in ("stdlib", "policies", "examples/policies")
                 for d, _, files in os.walk(os.path.join(ROOT, folder)) for f in files if f.endswith(".pol"))
for path in shipped:
    uri = client.open(path)
    check(client.diagnostics[uri] == [], f"{path}: diagnostics {client.diagnostics[uri][:2]}")
fixtures = sorted(os.path.join(ROOT, d, f) for d in ("tests/lang/errors", "tests/lang/schema", "tests/lang/params")
                  for f in os.listdir(os.path.join(ROOT, d)) if f.startswith("error.") and f.endswith(".pol"))
compared = 0
for path in fixtures:
    expected = [d for d in compile_json(path)["diagnostics"] if os.path.abspath(os.path.join(ROOT, d["file"])) == path]
    if not expected:
        continue  # its errors are in a file it imports or its parameters
    uri = client.open(path)
    got = client.diagnostics[uri]
    mine = [(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d["message"].split("\nnote:")[0],
             "error" if d["severity"] == 1 else "warning") for d in got]
    theirs = [(d["line"], d["column"], d["message"], d["severity"]) for d in expected]
    check(sorted(mine) == sorted(theirs), f"{os.path.basename(path)}: {mine} != pol compile's {theirs}")
    compared += 1
check(compared >= 30, f"only {compared} error fixtures compared")

# Hover, definition and completion on the shipped restricted profile.
restricted = os.path.join(ROOT, "stdlib/pss/restricted.pol")
text = open(restricted).read()
uri = client.open(restricted)
phrases = open(os.path.join(ROOT, "stdlib/pss/phrases.pol")).read().split("\n")
baseline_lines = open(os.path.join(ROOT, "stdlib/pss/baseline.pol")).read().split("\n")
schema = json.load(open(os.path.join(ROOT, "schema/kubernetes/podspec-v1.json")))
security_context = schema["properties"]["containers"]["items"]["properties"]["securityContext"]["properties"]

hover = client.request("textDocument/hover", at(uri, position(text, "containers(bad)")))["result"]["contents"]["value"]
check("fn containers(list)" in hover and "phrases.pol" in hover, f"hover on a function: {hover!r}")
hover = client.request("textDocument/hover", at(uri, position(text, "allowPrivilegeEscalation != false")))["result"]
check(security_context["allowPrivilegeEscalation"]["description"] in hover["contents"]["value"],
      f"hover on a field gives the schema's description: {hover}")
hover = client.request("textDocument/hover", at(uri, position(text, "len(bad)")))["result"]["contents"]["value"]
check("len(any) -> int" in hover, f"hover on a builtin: {hover!r}")
hover = client.request("textDocument/hover", at(uri, position(text, "bad]", 0)))["result"]["contents"]["value"]
check("let bad = [c for c in all_containers if c.securityContext.allowPrivilegeEscalation != false]" in hover,
      f"hover on a let: {hover!r}")

target = client.request("textDocument/definition", at(uri, position(text, "containers(bad)")))["result"]
line = target["range"]["start"]["line"]
check(target["uri"].endswith("/stdlib/pss/phrases.pol") and phrases[line].startswith("fn containers("),
      f"definition of a function in an imported file: {target}")
target = client.request("textDocument/definition", at(uri, position(text, "replaces capabilities_baseline", 10)))["result"]
check(target["uri"].endswith("/stdlib/pss/baseline.pol") and
      baseline_lines[target["range"]["start"]["line"]].startswith("check capabilities_baseline"),
      f"definition of a replaced check: {target}")
target = client.request("textDocument/definition", at(uri, position(text, '"baseline.pol"')))["result"]
check(target["uri"] == "file://" + os.path.join(ROOT, "stdlib/pss/baseline.pol"), f"definition of an import: {target}")
target = client.request("textDocument/definition", at(uri, position(text, "len(bad)", 4)))["result"]
lines = text.split("\n")
check(lines[target["range"]["start"]["line"]].strip().startswith("let bad = [c for c in all_containers"),
      f"definition of a let: {target}")
check(client.request("textDocument/definition", at(uri, position(text, "len(bad)")))["result"] is None,
      "a builtin has no definition to go to")

# An import of the embedded standard library: no file to go to.
import tempfile
user = os.path.join(tempfile.mkdtemp(), "user.pol")
user_text = 'import "std/pss/restricted.pol"\n\ncheck mine {\n  deny if len(spec.containers) > 9\n    reason "many"\n}\n'
open(user, "w").write(user_text)
user_uri = client.open(user)
check(client.diagnostics[user_uri] == [], f"a policy importing the standard library: {client.diagnostics[user_uri]}")
check(client.request("textDocument/definition", at(user_uri, position(user_text, "std/")))["result"] is None,
      "an import of the standard library has no file to go to")
hover = client.request("textDocument/hover", at(user_uri, position(user_text, "std/")))["result"]["contents"]["value"]
check("embedded standard library" in hover, f"hover on a standard-library import: {hover!r}")

# Completion: after `c.securityContext.` the schema's fields; elsewhere names in scope.
edited = text.replace("let bad = [c for c in all_containers if c.securityContext.allowPrivilegeEscalation != false]",
                      "let bad = [c for c in all_containers if c.securityContext.]", 1)
client.change(uri, edited)
items = client.request("textDocument/completion", at(uri, position(edited, "securityContext.]", len("securityContext."))))["result"]
check(sorted(i["label"] for i in items) == sorted(security_context),
      f"fields after 'c.securityContext.': {sorted(i['label'] for i in items)}")
check(any(i["label"] == "runAsNonRoot" and security_context["runAsNonRoot"]["description"] == i["documentation"]
          for i in items), "a field's completion carries its description")
edited = text.replace("deny if len(bad) > 0 and not windows()", "deny if len(bad) > 0 and not win", 1)
client.change(uri, edited)
items = client.request("textDocument/completion", at(uri, position(edited, "not win", len("not win"))))["result"]
labels = {i["label"] for i in items}
for name in ("windows", "containers", "len", "all_containers", "spec", "bad", "startsWith", "seccomp_allowed"):
    check(name in labels, f"completion offers {name!r}")
check("no_drop" not in labels, "completion does not offer a let of a later check")

# Diagnostics follow changes, in UTF-16 columns.
broken = text.replace("reason \"procMount\"", "reason \"procMount\" + \"😀é\" + nosuch", 1)
client.change(uri, broken)
got = client.diagnostics[uri]
check(len(got) == 1 and got[0]["message"] == "unknown name 'nosuch'" and got[0]["range"]["start"] == position(broken, "nosuch", 0),
      f"diagnostic after a change: {got}")
client.change(uri, text)
check(client.diagnostics[uri] == [], "the diagnostic goes when the error does")

# Formatting: one edit that gives pol fmt's text.
scrambled = "\n".join(("   " if i % 2 else "") + l.strip() for i, l in enumerate(text.split("\n")))
client.change(uri, scrambled)
edits = client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}})["result"]
expected = subprocess.run([POL, "fmt", "-"], input=scrambled, capture_output=True, text=True).stdout
check(len(edits) == 1 and edits[0]["newText"] == expected == text and edits[0]["range"]["start"] == {"line": 0, "character": 0}
      and edits[0]["range"]["end"] == position(scrambled + "\0", "\0", 0), "formatting gives pol fmt's text")
client.change(uri, text)
check(client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {}})["result"] == [],
      "a formatted document needs no edit")

# The protocol's edges: an unknown method, shutdown, exit.
reply = client.request("workspace/symbol", {"query": "x"})
check(reply.get("error", {}).get("code") == -32601, f"unknown method: {reply}")
check(client.request("shutdown")["result"] is None, "shutdown")
client.notify("exit", {})
check(client.proc.wait(timeout=10) == 0, "exit after shutdown: status 0")

print(f"lsp: {checks} checks over {len(shipped)} shipped policies and {compared} error fixtures, {len(failures)} failed")
sys.exit(1 if failures else 0)
