#!/usr/bin/env python3
"""Bad input, table-driven: each row is a file that `pol check` must turn into error entries
(source, document, line, column, message) while still reporting the good documents beside it,
with exit status 2. The rows are run one by one and then all together in one folder, so a bad
file never loses the rest of the run.

usage: bad_inputs.py POL
"""
import json
import os
import random
import subprocess
import sys
import tempfile

POL = os.path.abspath(sys.argv[1])

GOOD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: app
    image: registry.example/app:1
"""


def good(name):
    return GOOD.format(name=name)


def nested(depth):
    return "[" * depth + "]" * depth


def laughs():
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: lol", "x:", "  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


# name, content (str, bytes, or ("sparse", size)), expected errors, expected good objects.
# An expected error is (document, line, column, text the message must contain); line and column
# 0 mean no position is known (and none must be claimed).
ROWS = [
    ("malformed_yaml.yaml", good("first") + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: [x\n",
     [(1, 13, 1, "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts at line 12, column 18)")],
     ["first"]),
    ("malformed_middle.yaml", good("first") + "---\nkind: Pod\nmetadata: {name: [x\n---\n" + good("after"),
     [(1, 12, 1, "invalid YAML: did not find expected ',' or ']'")], ["first", "after"]),
    ("bad_indent.yaml", good("first") + "---\napiVersion: v1\nkind: Pod\n  metadata: x\n",
     [(1, 12, 11, "invalid YAML: mapping values are not allowed in this context")], ["first"]),
    ("malformed_json.json", '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "first"}, "spec": {}}\n'
                            '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": }}\n',
     [(1, 2, 58, "invalid JSON: The JSON document has an improper structure")], ["first"]),
    ("containers_number.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: five}\nspec:\n  containers: 5\n---\n" + good("after"),
     [(0, 5, 15, "spec.containers: expected a list of Container objects, found an integer (5)")], ["after"]),
    ("containers_number_later.yaml", good("first") + "---\n" + good("second") + "---\napiVersion: v1\nkind: Pod\n"
     "metadata: {name: five}\nspec:\n  containers: 5\n",
     [(2, 23, 15, "spec.containers: expected a list of Container objects, found an integer (5)")], ["first", "second"]),
    ("container_string.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  containers:\n  - nginx\n---\n" + good("after"),
     [(0, 6, 5, 'spec.containers[0]: expected an object (Container), found a string ("nginx")')], ["after"]),
    ("privileged_string.yaml",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n"
     "      - name: app\n        securityContext:\n          privileged: \"true\"\n---\n" + good("after"),
     [(0, 10, 23, 'spec.template.spec.containers[0].securityContext.privileged: expected a boolean, found a string ("true")')],
     ["after"]),
    ("run_as_user_string.json",
     '[{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "u"},\n'
     '  "spec": {"securityContext": {"runAsUser": "1000"}, "containers": []}},\n'
     ' {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "after"}, "spec": {"containers": []}}]\n',
     [(0, 2, 45, 'spec.securityContext.runAsUser: expected an integer, found a string ("1000")')], ["after"]),
    ("labels_list.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: l\n  labels: [a, b]\nspec: {}\n",
     [(0, 5, 11, "metadata.labels: expected a map of strings, found a list")], []),
    # A document with a `kind` is a Kubernetes object, so a broken one is an error; documents
    # without one are not objects at all (tests/inputs/not_objects.py).
    ("kind_not_string.yaml", "apiVersion: v1\nkind: 5\nmetadata: {name: nameless}\n---\n" + good("after"),
     [(0, 2, 7, "not a Kubernetes object: 'kind' is missing or not a string")], ["after"]),
    ("list_item_scalar.yaml", "apiVersion: v1\nkind: List\nitems:\n- just a string\n---\n" + good("after"),
     [(0, 4, 3, "not a Kubernetes object: expected a map with apiVersion and kind")], ["after"]),
    ("duplicate_key.yaml", good("first") + "---\napiVersion: v1\nkind: Pod\nkind: Pod\n",
     [(1, 12, 1, 'duplicate key "kind" in a mapping')], ["first"]),
    ("binary.yaml", bytes(random.Random(7).randrange(256) for _ in range(4096)),
     [(0, 1, 1, "invalid YAML")], []),
    ("binary_between_good.yaml", good("first").encode() + b"---\nx: \x00\x01\x02\xff\xfe\n---\n" + good("after").encode(),
     [(1, 10, 4, "invalid YAML: control characters are not allowed")], ["first", "after"]),
    ("empty.yaml", "", [(0, 0, 0, "empty input: no documents")], []),
    ("blank.json", "  \n\n", [(0, 0, 0, "empty input: no documents")], []),
    ("deep.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: deep}\nx: " + nested(100000) + "\n",
     [(0, 4, 259, "nesting deeper than 256 levels")], []),
    ("deep.json", nested(100000), [(0, 1, 257, "nesting deeper than 256 levels")], []),
    ("billion_laughs.yaml", laughs(),
     [(0, 12, 10, 'aliases expand to more than 1000000 nodes (a "billion laughs" document?)')], []),
    # The fuzz findings' classes (tests/data/fuzz-findings), each beside good documents.
    ("json_bare_word.json", '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "first"}, "spec": {}}\n[n\f',
     [(1, 2, 2, "invalid JSON")], ["first"]),
    ("yaml_lone_cr.yaml", good("first") + "---\n-\re\n---\n" + good("after"),
     [(1, 12, 1, "invalid YAML: could not find expected ':'")], ["first", "after"]),
    ("yaml_nel.yaml", good("first") + "---\n-\u0085e\n---\n" + good("after"),
     [(1, 12, 1, "invalid YAML: could not find expected ':'")], ["first", "after"]),
    ("yaml_cr_caret.yaml", good("first") + '---\n"\r\r', [(1, 12, 1, "invalid YAML: found unexpected end of stream")], ["first"]),
    ("yaml_inf.yaml", good("first") + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: inf}\nspec:\n  priority: .inf\n---\n"
     + good("after"), [(1, 14, 13, ".inf is not a number JSON can carry")], ["first", "after"]),
    ("huge.yaml", ("sparse", 300 * 1024 * 1024),
     [(0, 0, 0, "cannot read: larger than the 128 MiB limit for one input")], []),
]


def write(folder, name, content):
    path = os.path.join(folder, name)
    if isinstance(content, tuple):  # a sparse file: hundreds of MB on disk, nothing to write
        with open(path, "wb") as f:
            f.truncate(content[1])
    else:
        with open(path, "wb") as f:
            f.write(content.encode() if isinstance(content, str) else content)
    return path


def run(args, cwd, stdin=subprocess.DEVNULL):
    done = subprocess.run([POL, "check", "--profile", "privileged", "-o", "json", *args], cwd=cwd,
                          stdin=stdin, capture_output=True)
    return done.returncode, json.loads(done.stdout), done.stderr.decode(errors="replace")


failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)


def check_row(report, source, errors, names):
    mine = [e for e in report["errors"] if e["source"] == source]
    expect(len(mine) == len(errors), f"{source}: {len(mine)} errors, expected {len(errors)}: {mine}")
    for actual, (document, line, column, text) in zip(mine, errors):
        got = (actual["document"], actual["line"], actual["column"])
        expect(got == (document, line, column), f"{source}: error at {got}, expected {(document, line, column)}")
        expect(text in actual["message"], f"{source}: message {actual['message']!r} lacks {text!r}")
    reported = [r["name"] for r in report["results"] if r["source"] == source]
    expect(reported == names, f"{source}: objects {reported}, expected {names}")


with tempfile.TemporaryDirectory() as folder:
    for name, content, errors, names in ROWS:
        write(folder, name, content)
        code, report, stderr = run([name], folder)
        expect(code == 2, f"{name}: exit {code}, expected 2")
        check_row(report, name, errors, names)
        for document, line, column, _ in errors:  # the rendered error names the file and position
            where = f"{name}:{line}:{column}: error:" if line else f"{name}: error:"
            expect(where in stderr, f"{name}: stderr lacks {where!r}:\n{stderr}")

    # All rows at once, beside a good file: nothing is lost, every error is still reported.
    write(folder, "zz_good.yaml", good("good-file"))
    code, report, _ = run(["."], folder)
    expect(code == 2, f"folder: exit {code}, expected 2")
    for name, _, errors, names in ROWS:
        check_row(report, "./" + name, errors, names)
    check_row(report, "./zz_good.yaml", [], ["good-file"])
    expected_objects = sum(len(names) for _, _, _, names in ROWS) + 1
    expect(report["summary"]["objects"] == expected_objects,
           f"folder: {report['summary']['objects']} objects, expected {expected_objects}")
    expect(report["summary"]["errors"] == sum(len(e) for _, _, e, _ in ROWS), f"folder: summary {report['summary']}")

    # Endless standard input is refused at the limit, not read forever.
    with open("/dev/zero", "rb") as zero:
        code, report, _ = run(["-"], folder, stdin=zero)
    expect(code == 2, f"/dev/zero: exit {code}")
    check_row(report, "<stdin>", [(0, 0, 0, "larger than the 128 MiB limit")], [])

    # A missing file is an error entry too, and the good file beside it is still evaluated.
    code, report, _ = run(["missing.yaml", "zz_good.yaml"], folder)
    expect(code == 2, f"missing: exit {code}")
    check_row(report, "missing.yaml", [(0, 0, 0, "cannot read: No such file or directory")], [])
    check_row(report, "zz_good.yaml", [], ["good-file"])

for failure in failures:
    print("FAIL", failure)
print(f"bad inputs: {len(ROWS)} rows, {len(failures)} failures")
sys.exit(1 if failures else 0)
