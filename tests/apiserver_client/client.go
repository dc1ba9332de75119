// SPDX-License-Identifier: Apache-2.0
// A client that calls a webhook the way the Kubernetes API server does (Go standard library only,
// as k8s.io/apiserver's webhook client is built on it): HTTPS with TLS 1.2 or later, ALPN
// http/1.1 only (the API server disables HTTP/2 for webhooks), a pool of up to 25 kept-alive
// connections to one host, POST application/json with `?timeout=10s`, and a response read as an
// admission.k8s.io/v1 AdmissionReview.
//
// It sends every review of a corpus (JSON lines: {"path": "/validate"|"/mutate", "review":
// AdmissionReview, "expect": {"allowed": bool, "message": string, "patch": JSON Patch|null}}) from
// 25 workers and checks each answer: HTTP/1.1 200, apiVersion and kind, the request's uid echoed,
// the decision, on a denial `status.code` 403 with the expected message, and the patch (base64
// of a JSON Patch, patchType JSONPatch) equal as JSON to the expected one, or none when none is
// expected. Prints what differs; exits 1 if anything does.
//
// With -rate R -duration D it is a load generator instead (bench/serve_load.py): the corpus's
// reviews in turn, R a second on a fixed schedule for D seconds, each sent on time whatever the
// answers before it (one goroutine each: a slow server does not slow the schedule), timed from
// its send to its answer, and prints one JSON line: how many were sent, and by HTTP status the
// count and the p50, p99, p99.9 in ms.
//
// With -flood instead of -rate, each connection sends its next review as soon as it has the
// answer to the last (as many in flight as connections): overload, for --max-inflight.
//
// Usage: client -addr HOST:PORT -ca CA.pem -server-name NAME -corpus FILE [-rate R|-flood -duration D]
package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type expectation struct {
	Allowed bool            `json:"allowed"`
	Message string          `json:"message"`
	Patch   json.RawMessage `json:"patch"`
}

type entry struct {
	Path   string          `json:"path"`
	Review json.RawMessage `json:"review"`
	Expect expectation     `json:"expect"`
}

type reviewResponse struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Response   *struct {
		UID     string `json:"uid"`
		Allowed bool   `json:"allowed"`
		Status  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"status"`
		PatchType *string `json:"patchType"`
		Patch     []byte  `json:"patch"` // base64 in JSON, decoded by encoding/json as the API server's is
	} `json:"response"`
}

func sameJSON(a, b []byte) bool {
	var x, y interface{}
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// check sends one review and returns what differs from the expectation ("" when nothing does).
func check(client *http.Client, base string, e entry) string {
	var request struct {
		Request struct {
			UID string `json:"uid"`
		} `json:"request"`
	}
	if err := json.Unmarshal(e.Review, &request); err != nil {
		return "corpus: " + err.Error()
	}
	response, err := client.Post(base+e.Path+"?timeout=10s", "application/json", bytes.NewReader(e.Review))
	if err != nil {
		return "request failed: " + err.Error()
	}
	body, err := io.ReadAll(response.Body)
	response.Body.Close()
	if err != nil {
		return "reading the response: " + err.Error()
	}
	if response.ProtoMajor != 1 || response.ProtoMinor != 1 {
		return "not HTTP/1.1: " + response.Proto
	}
	if response.TLS == nil || response.TLS.NegotiatedProtocol != "http/1.1" {
		return "ALPN http/1.1 was not negotiated"
	}
	if response.StatusCode != http.StatusOK {
		return fmt.Sprintf("HTTP %d: %s", response.StatusCode, body)
	}
	var answer reviewResponse
	if err := json.Unmarshal(body, &answer); err != nil {
		return "not an AdmissionReview: " + err.Error()
	}
	r := answer.Response
	switch {
	case answer.APIVersion != "admission.k8s.io/v1" || answer.Kind != "AdmissionReview":
		return fmt.Sprintf("apiVersion %q kind %q", answer.APIVersion, answer.Kind)
	case r == nil:
		return "no response"
	case r.UID != request.Request.UID:
		return fmt.Sprintf("uid %q, sent %q", r.UID, request.Request.UID)
	case r.Allowed != e.Expect.Allowed:
		message := ""
		if r.Status != nil {
			message = r.Status.Message
		}
		return fmt.Sprintf("allowed %v, expected %v (%s)", r.Allowed, e.Expect.Allowed, message)
	}
	if !r.Allowed {
		if r.Status == nil || r.Status.Code != 403 {
			return "a denial without status code 403"
		}
		if r.Status.Message != e.Expect.Message {
			return fmt.Sprintf("message\n      got:      %s\n      expected: %s", r.Status.Message, e.Expect.Message)
		}
	}
	expectPatch := len(e.Expect.Patch) > 0 && string(e.Expect.Patch) != "null" && string(e.Expect.Patch) != "[]"
	switch {
	case expectPatch && (r.PatchType == nil || *r.PatchType != "JSONPatch"):
		return "no JSONPatch, one was expected"
	case expectPatch && !sameJSON(r.Patch, e.Expect.Patch):
		return fmt.Sprintf("patch\n      got:      %s\n      expected: %s", r.Patch, e.Expect.Patch)
	case !expectPatch && len(r.Patch) > 0:
		return fmt.Sprintf("an unexpected patch %s", r.Patch)
	}
	return ""
}

func main() {
	addr := flag.String("addr", "", "HOST:PORT of the webhook")
	caFile := flag.String("ca", "", "the CA to trust (caBundle)")
	serverName := flag.String("server-name", "", "the name the serving certificate must carry")
	corpusFile := flag.String("corpus", "", "the reviews and their expected answers (JSON lines)")
	connections := flag.Int("connections", 25, "the connection pool's size (the API server's: 25)")
	rate := flag.Float64("rate", 0, "load mode: reviews a second")
	duration := flag.Float64("duration", 10, "load mode: seconds")
	flood := flag.Bool("flood", false, "load mode: each connection sends again as soon as it is answered")
	flag.Parse()

	ca, err := os.ReadFile(*caFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(ca) {
		fmt.Fprintln(os.Stderr, "no certificate in", *caFile)
		os.Exit(2)
	}
	transport := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: roots, ServerName: *serverName, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}},
		TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{}, // no HTTP/2
		MaxIdleConns:        *connections, // without it, Go 1.19 closes and redials under load
		MaxIdleConnsPerHost: *connections,
		MaxConnsPerHost:     *connections,
		IdleConnTimeout:     90 * time.Second,
	}
	client := &http.Client{Transport: transport, Timeout: 15 * time.Second}

	file, err := os.Open(*corpusFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var corpus []entry
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 64<<20)
	for scanner.Scan() {
		var e entry
		if err := json.Unmarshal(scanner.Bytes(), &e); err != nil {
			fmt.Fprintln(os.Stderr, "corpus:", err)
			os.Exit(2)
		}
		corpus = append(corpus, e)
	}

	base := "https://" + *addr
	if *rate > 0 || *flood {
		load(client, base, corpus, *rate, *duration, *connections)
		return
	}
	var next, failed, denied, patched int64
	var mutex sync.Mutex
	var wait sync.WaitGroup
	begin := time.Now()
	for w := 0; w < *connections; w++ {
		wait.Add(1)
		go func() {
			defer wait.Done()
			for {
				i := atomic.AddInt64(&next, 1) - 1
				if i >= int64(len(corpus)) {
					return
				}
				e := corpus[i]
				if problem := check(client, base, e); problem != "" {
					if atomic.AddInt64(&failed, 1) <= 20 {
						mutex.Lock()
						fmt.Printf("DIFF review %d (%s): %s\n", i, e.Path, problem)
						mutex.Unlock()
					}
				}
				if !e.Expect.Allowed {
					atomic.AddInt64(&denied, 1)
				}
				if len(e.Expect.Patch) > 2 {
					atomic.AddInt64(&patched, 1)
				}
			}
		}()
	}
	wait.Wait()
	fmt.Printf("client: %d reviews (%d denials, %d patches expected) in %.2f s over %d connections: %d differ\n",
		len(corpus), denied, patched, time.Since(begin).Seconds(), *connections, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

// load sends the corpus's reviews at `rate` a second for `seconds`, or with rate 0 from
// `connections` senders back to back.
func load(client *http.Client, base string, corpus []entry, rate, seconds float64, connections int) {
	type sample struct {
		status  int
		latency time.Duration
	}
	send := func(i int) sample {
		e := corpus[i%len(corpus)]
		sent := time.Now()
		status := 0 // no answer
		if response, err := client.Post(base+e.Path+"?timeout=10s", "application/json", bytes.NewReader(e.Review)); err == nil {
			io.Copy(io.Discard, response.Body)
			response.Body.Close()
			status = response.StatusCode
		}
		return sample{status, time.Since(sent)}
	}
	var samples []sample
	var mutex sync.Mutex
	var wait sync.WaitGroup
	begin := time.Now()
	end := begin.Add(time.Duration(seconds * float64(time.Second)))
	if rate > 0 {
		samples = make([]sample, int(rate*seconds))
		for i := range samples {
			time.Sleep(time.Until(begin.Add(time.Duration(float64(i) / rate * float64(time.Second)))))
			wait.Add(1)
			go func(i int) {
				defer wait.Done()
				samples[i] = send(i)
			}(i)
		}
	} else {
		for w := 0; w < connections; w++ {
			wait.Add(1)
			go func(w int) {
				defer wait.Done()
				var mine []sample
				for i := w; time.Now().Before(end); i += connections {
					mine = append(mine, send(i))
				}
				mutex.Lock()
				samples = append(samples, mine...)
				mutex.Unlock()
			}(w)
		}
	}
	wait.Wait()
	byStatus := map[int][]time.Duration{}
	for _, s := range samples {
		byStatus[s.status] = append(byStatus[s.status], s.latency)
	}
	type summary struct {
		Count int     `json:"count"`
		P50   float64 `json:"p50_ms"`
		P99   float64 `json:"p99_ms"`
		P999  float64 `json:"p999_ms"`
	}
	out := struct {
		Sent     int                `json:"sent"`
		Seconds  float64            `json:"seconds"`
		ByStatus map[string]summary `json:"by_status"`
	}{len(samples), time.Since(begin).Seconds(), map[string]summary{}}
	for status, latencies := range byStatus {
		sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
		at := func(p float64) float64 {
			return float64(latencies[int(p/100*float64(len(latencies)-1))].Microseconds()) / 1000
		}
		out.ByStatus[fmt.Sprint(status)] = summary{len(latencies), at(50), at(99), at(99.9)}
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}
