#!/usr/bin/env python3
"""Seeds for fuzz/lsp_fuzz.cpp: an editor's session (initialize, open, hover, definition,
completion, change, formatting, shutdown, exit) on each example policy and the restricted profile, messages separated by
NUL bytes as the harness reads them. Usage: lsp_sessions.py CORPUS_FOLDER"""
import glob
import json
import os
import sys

corpus = sys.argv[1]
uri = "file:///tmp/pol-lsp-fuzz/policy.pol"
for path in sorted(glob.glob("examples/policies/*.pol") + ["stdlib/pss/restricted.pol"]):
    text = open(path).read()
    lines = text.split("\n")
    at = lambda line, character: {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}
    messages = [{"id": 1, "method": "initialize", "params": {"capabilities": {}}},
                {"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "text": text}}}]
    for n, line in enumerate(lines[:24:8]):
        for method in ("hover", "definition", "completion"):
            messages.append({"id": len(messages), "method": "textDocument/" + method, "params": at(n, len(line) // 2)})
    messages += [{"method": "textDocument/didChange", "params": {"textDocument": {"uri": uri},
                  "contentChanges": [{"text": text.replace(".", ".\n", 3)}]}},
                 {"id": 90, "method": "textDocument/formatting", "params": {"textDocument": {"uri": uri}}},
                 {"id": 91, "method": "shutdown"}, {"method": "exit"}]
    data = b"\0".join(json.dumps(dict(jsonrpc="2.0", **m)).encode() for m in messages)
    name = os.path.join(corpus, "seed_" + path.replace("/", "_"))
    with open(name, "wb") as out:
        out.write(data)
