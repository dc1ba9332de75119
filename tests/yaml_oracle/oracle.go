// SPDX-License-Identifier: Apache-2.0
// The YAML oracle: reads YAML files the way Kubernetes reads them and prints each document as
// JSON, so that tests can hold pol's reader against the real one.
//
// Kubernetes splits a YAML stream into documents at lines that are `---` followed only by
// white space (k8s.io/apimachinery/pkg/util/yaml, YAMLReader), and turns each document into JSON
// with sigs.k8s.io/yaml's YAMLToJSON (go-yaml v2 typing, keys made strings). With strict field
// validation (kubectl's default) the API server also runs YAMLToJSONStrict and rejects the
// document when it fails (duplicate keys, a key set twice through a merge). This program uses
// Debian's packages of both libraries, unmodified: build it in GOPATH mode with
// GOPATH=/usr/share/gocode GO111MODULE=off.
//
// Output: one JSON line per document that is not empty (null):
//   {"file": F, "document": N, "json": VALUE}   or   {"file": F, "document": N, "error": TEXT}
// where N counts the documents of the file from 0, empty ones included.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"sigs.k8s.io/yaml"
)

// documents splits a YAML stream as apimachinery's YAMLReader does: a line whose first three
// bytes are `---` and whose rest is white space ends the document before it. Lines are what
// bufio's ReadLine returns (split at \n, a \r before it dropped), each given back a \n.
func documents(text []byte) [][]byte {
	var docs [][]byte
	var buffer bytes.Buffer
	reader := bufio.NewReader(bytes.NewReader(text))
	for {
		var line bytes.Buffer
		var err error
		for isPrefix := true; isPrefix && err == nil; {
			var part []byte
			part, isPrefix, err = reader.ReadLine()
			line.Write(part)
		}
		if err != nil && err != io.EOF {
			panic(err)
		}
		line.WriteByte('\n')
		content := line.Bytes()
		if bytes.HasPrefix(content, []byte("---")) &&
			len(strings.TrimRightFunc(string(content[3:]), unicode.IsSpace)) == 0 {
			if buffer.Len() != 0 {
				docs = append(docs, append([]byte(nil), buffer.Bytes()...))
				buffer.Reset()
			}
			if err == io.EOF {
				return docs
			}
			continue
		}
		if err == io.EOF {
			if buffer.Len() != 0 {
				docs = append(docs, append([]byte(nil), buffer.Bytes()...))
			}
			return docs
		}
		buffer.Write(content)
	}
}

func main() {
	out := json.NewEncoder(os.Stdout)
	for _, file := range os.Args[1:] {
		text, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for index, doc := range documents(text) {
			converted, err := yaml.YAMLToJSON(doc)
			if err == nil {
				_, err = yaml.YAMLToJSONStrict(doc)
			}
			switch {
			case err != nil:
				out.Encode(map[string]interface{}{"file": file, "document": index, "error": err.Error()})
			case string(converted) != "null":
				out.Encode(map[string]interface{}{"file": file, "document": index, "json": json.RawMessage(converted)})
			}
		}
	}
}
