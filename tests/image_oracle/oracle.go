// SPDX-License-Identifier: Apache-2.0
// The image oracle: parses each line of standard input as a container image reference the way
// the container runtime and Kubernetes tooling do (github.com/docker/distribution/reference,
// ParseNormalizedNamed, from Debian's golang-github-docker-distribution-dev, unmodified; build in
// GOPATH mode with GOPATH=/usr/share/gocode GO111MODULE=off) and prints one JSON line per input:
//   {"ref": R, "registry": D, "repository": P, "tag": T, "digest": G}   or   {"ref": R, "error": TEXT}
package main

import (
	"bufio"
	_ "crypto/sha256" // go-digest knows the algorithms a program links in, as container runtimes do
	_ "crypto/sha512"
	"encoding/json"
	"os"

	"github.com/docker/distribution/reference"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		ref := in.Text()
		named, err := reference.ParseNormalizedNamed(ref)
		if err != nil {
			out.Encode(map[string]string{"ref": ref, "error": err.Error()})
			continue
		}
		result := map[string]string{"ref": ref, "registry": reference.Domain(named), "repository": reference.Path(named)}
		result["tag"], result["digest"] = "", ""
		if tagged, ok := named.(reference.Tagged); ok {
			result["tag"] = tagged.Tag()
		}
		if digested, ok := named.(reference.Digested); ok {
			result["digest"] = digested.Digest().String()
		}
		out.Encode(result)
	}
}
