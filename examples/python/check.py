#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A Python host of pol (bindings/python): the restricted Pod Security Standard and a policy of
one's own over manifest files, printing each object's decision and why, as `pol check` does.
Usage: check.py POLICY.pol FILE...   Exit status: pol check's (0 allowed, 1 denied, 2 errors)."""
import sys

import pol


def main(policy_path, paths):
    try:
        policy = pol.compile_profile([policy_path], profile="restricted:latest")
    except pol.CompileError as e:
        sys.stderr.write(str(e))
        return 2
    status = 0
    for path in paths:
        try:
            with open(path, "rb") as f:
                document = f.read()
        except OSError:
            sys.stderr.write(f"{path}: error: cannot read\n")
            status = 2
            continue
        report = policy.evaluate(document, source=path)
        for result in report.results:
            print(f"{path}: {result.name}: {'allowed' if result.allowed else 'denied'}")
            for line in result.message.splitlines():
                print(f"  {line}")
        sys.stderr.write(report.errors)
        status = max(status, report.exit_code)
    return status


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: check.py POLICY.pol FILE...")
    sys.exit(main(sys.argv[1], sys.argv[2:]))
