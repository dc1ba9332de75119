// SPDX-License-Identifier: Apache-2.0

// A Go host of pol (bindings/go): the restricted Pod Security Standard and a policy of one's own
// over manifest files, printing each object's decision and why, as `pol check` does.
// Usage: check POLICY.pol FILE...   Exit status: pol check's (0 allowed, 1 denied, 2 errors).
package main

import (
	"fmt"
	"os"
	"strings"

	pol "github.com/pol-policy/pol/bindings/go"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: check POLICY.pol FILE...")
		os.Exit(2)
	}
	policy, err := pol.CompileProfile(&pol.Options{Profile: "restricted:latest"}, os.Args[1])
	if err != nil {
		fmt.Fprint(os.Stderr, err)
		os.Exit(2)
	}
	defer policy.Close()

	status := 0
	for _, path := range os.Args[2:] {
		document, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: error: cannot read\n", path)
			status = 2
			continue
		}
		report, err := policy.Evaluate(document, path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: error: %v\n", path, err)
			status = 2
			continue
		}
		for _, object := range report.Results {
			decision := "denied"
			if object.Allowed {
				decision = "allowed"
			}
			fmt.Printf("%s: %s: %s\n", path, object.Title, decision)
			for _, line := range strings.SplitAfter(object.Message, "\n") {
				if line != "" {
					fmt.Print("  ", line)
				}
			}
		}
		fmt.Fprint(os.Stderr, report.ErrorText)
		if report.ExitCode > status {
			status = report.ExitCode
		}
	}
	os.Exit(status)
}
