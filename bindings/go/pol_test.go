// SPDX-License-Identifier: Apache-2.0
package pol

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
)

const examples = "../../examples/"

func read(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(examples + path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestEvaluateDecidesAndExplains(t *testing.T) {
	policy, err := CompileProfile(&Options{Profile: "restricted:latest"}, examples+"policies/memory_cap.pol")
	if err != nil {
		t.Fatal(err)
	}
	defer policy.Close()
	report, err := policy.Evaluate(read(t, "three-pods/denied.yaml"), "denied.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if report.ExitCode != 1 || len(report.Results) != 1 || report.Summary.Denied != 1 {
		t.Fatalf("want one denied object, exit 1: %+v", report)
	}
	object := report.Results[0]
	if object.Allowed || object.Title != "Pod shop/debug" || object.Violations[0].Check != "hostNamespaces" ||
		object.Violations[0].Locations[0].Line != 9 {
		t.Fatalf("unexpected result: %+v", object)
	}
	if !strings.HasPrefix(object.Message, `would violate PodSecurity "restricted:latest": host namespaces (hostNetwork=true)`) {
		t.Fatalf("unexpected message: %q", object.Message)
	}
	// A document that cannot be read is an error in the report, not of the call.
	report, err = policy.Evaluate([]byte("kind: Pod\nspec: [\n"), "broken.yaml")
	if err != nil || report.ExitCode != 2 || len(report.Errors) != 1 || !strings.Contains(report.ErrorText, "broken.yaml:") {
		t.Fatalf("want a located error in the report: %v %+v", err, report)
	}
}

func TestCompileErrorsCarryDiagnostics(t *testing.T) {
	_, err := CompileString("bad.pol", "check c { deny if nope reason \"r\" }", nil)
	if !errors.Is(err, ErrCompile) || !strings.Contains(err.Error(), "bad.pol:1:19: error: unknown name 'nope'") {
		t.Fatalf("want a compile error with its diagnostic, got %v", err)
	}
	if _, err := CompileProfile(&Options{Profile: "strictest"}); !errors.Is(err, ErrCompile) {
		t.Fatalf("want an invalid profile refused, got %v", err)
	}
}

func TestReviewAnswersTheAPIServer(t *testing.T) {
	policy, err := Compile(examples+"policies/team.pol", nil)
	if err != nil {
		t.Fatal(err)
	}
	response, err := policy.Review(read(t, "pods/request.json"), Validate)
	if err != nil {
		t.Fatal(err)
	}
	var review struct {
		Response struct {
			UID     string `json:"uid"`
			Allowed bool   `json:"allowed"`
			Status  struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"status"`
		} `json:"response"`
	}
	if err := json.Unmarshal(response.Body, &review); err != nil {
		t.Fatal(err)
	}
	if response.Allowed || review.Response.Allowed || review.Response.UID != "705ab4f5-6393-11e8-b7cc-42010a800002" ||
		review.Response.Status.Code != 403 || !strings.Contains(review.Response.Status.Message, `violates policy "team"`) {
		t.Fatalf("unexpected response: %s", response.Body)
	}
	if _, err := policy.Review([]byte(`{"kind": "Pod"}`), Validate); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("want a bad request, got %v", err)
	}
}

func TestMutateSetsWhatIsUnset(t *testing.T) {
	policy, err := Compile(examples+"policies/defaults.pol", &Options{Params: []byte("group: 3000")})
	if err != nil {
		t.Fatal(err)
	}
	documents, err := policy.Mutate(read(t, "three-pods/denied.yaml"), "denied.yaml", JSON)
	if err != nil || len(documents) != 1 {
		t.Fatalf("want one document: %v", err)
	}
	if !strings.Contains(documents[0].Text, `"runAsGroup":3000`) || !strings.Contains(documents[0].Patch, `"path":"/spec/containers/0/imagePullPolicy"`) {
		t.Fatalf("unexpected mutation: %s\n%s", documents[0].Text, documents[0].Patch)
	}
}

func TestOnePolicyManyGoroutines(t *testing.T) {
	policy, err := CompileProfile(&Options{Engine: JIT}, examples+"policies/memory_cap.pol")
	if err != nil {
		t.Fatal(err)
	}
	documents := [][]byte{read(t, "three-pods/allowed.yaml"), read(t, "three-pods/denied.yaml"), read(t, "three-pods/erroring.yaml")}
	want := []int{0, 1, 2}
	var group sync.WaitGroup
	failures := make(chan string, 64)
	for g := 0; g < 8; g++ {
		group.Add(1)
		go func() {
			defer group.Done()
			for i := 0; i < 50; i++ {
				k := i % 3
				report, err := policy.Evaluate(documents[k], "pod.yaml")
				if err != nil || report.ExitCode != want[k] {
					failures <- "unexpected answer"
					return
				}
			}
		}()
	}
	group.Wait()
	close(failures)
	for failure := range failures {
		t.Fatal(failure)
	}
}
