// SPDX-License-Identifier: Apache-2.0

// Package pol embeds pol, the policy engine for Kubernetes pods, through its C API (libpol.so.0,
// pol/pol.h): compile a policy once, then evaluate manifests, answer AdmissionReviews and apply
// mutations with it from any number of goroutines.
//
// It builds with cgo against the installed library (pkg-config pol); for a build tree, put its
// pkgconfig folder on PKG_CONFIG_PATH (it holds pol-uninstalled.pc). See docs/embedding.md.
package pol

/*
#cgo pkg-config: pol
#include <stdlib.h>
#include <pol/pol.h>
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"unsafe"
)

// Engine selects what evaluates the checks: the interpreter or the LLVM JIT (same answers).
type Engine int

const (
	Interpreter Engine = C.POL_ENGINE_INTERPRETER
	JIT         Engine = C.POL_ENGINE_JIT
)

// ReviewMode says what a webhook does with an AdmissionReview.
type ReviewMode int

const (
	Validate ReviewMode = C.POL_REVIEW_VALIDATE // deny or allow
	Mutate   ReviewMode = C.POL_REVIEW_MUTATE   // a JSONPatch of the object
	Both     ReviewMode = C.POL_REVIEW_BOTH     // the checks see the mutated object
)

// Format of mutated documents.
type Format int

const (
	JSON Format = C.POL_FORMAT_JSON
	YAML Format = C.POL_FORMAT_YAML
)

// Options of a compilation; the zero value is restricted:latest, interpreted, fail closed.
type Options struct {
	Profile      string   // privileged|baseline|restricted[:v1.N|latest]; "": restricted:latest
	Params       []byte   // the policies' param values: one YAML or JSON map
	Exceptions   []string // exception files
	Today        string   // YYYY-MM-DD for grants' expiry; "": today (UTC)
	OnErrorAllow bool     // fail open: a check that fails alone does not deny
	Strict       bool     // documents that are not Kubernetes objects are errors
	Engine       Engine
	// The admission request a plain manifest is judged as (an AdmissionReview brings its own).
	Operation string // "": CREATE
	User      string
	Groups    []string
	Namespace string
}

// Error is a failed call: Status is the C API's pol_status, Message says why (for a policy that
// does not compile: its rendered diagnostics).
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

// ErrCompile, ErrBadRequest: what errors.Is matches a *Error of that status with.
var (
	ErrCompile    = &Error{Status: C.POL_COMPILE_ERROR}
	ErrBadRequest = &Error{Status: C.POL_BAD_REQUEST}
)

func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == e.Status
}

func check(status C.pol_status, message *C.char) error {
	if status == C.POL_OK {
		return nil
	}
	text := "pol: call failed"
	if message != nil {
		text = C.GoString(message)
		C.pol_free(message)
	}
	return &Error{Status: int(status), Message: text}
}

// Version of the library.
func Version() string { return C.GoString(C.pol_version()) }

// JITAvailable says whether the library was built with the LLVM JIT.
func JITAvailable() bool { return C.pol_jit_available() != 0 }

// cStrings keeps C copies of Go strings until free is called.
type cStrings []*C.char

func (s *cStrings) add(text string) *C.char {
	c := C.CString(text)
	*s = append(*s, c)
	return c
}

func (s *cStrings) optional(text string) *C.char {
	if text == "" {
		return nil
	}
	return s.add(text)
}

// array copies texts into a C array of C strings (freed with the rest).
func (s *cStrings) array(texts []string) (**C.char, C.size_t) {
	if len(texts) == 0 {
		return nil, 0
	}
	array := (**C.char)(C.malloc(C.size_t(len(texts)) * C.size_t(unsafe.Sizeof(uintptr(0)))))
	*s = append(*s, (*C.char)(unsafe.Pointer(array)))
	items := unsafe.Slice(array, len(texts))
	for i, text := range texts {
		items[i] = s.add(text)
	}
	return array, C.size_t(len(texts))
}

func (s cStrings) free() {
	for _, c := range s {
		C.free(unsafe.Pointer(c))
	}
}

func newEngine(options *Options, strings *cStrings) (*C.pol_engine, error) {
	if options == nil {
		options = &Options{}
	}
	var o C.pol_options
	C.pol_options_init(&o)
	o.profile = strings.optional(options.Profile)
	if len(options.Params) > 0 {
		o.params = strings.add(string(options.Params))
	}
	o.exceptions, o.exception_count = strings.array(options.Exceptions)
	o.today = strings.optional(options.Today)
	if options.OnErrorAllow {
		o.on_error_allow = 1
	}
	if options.Strict {
		o.strict = 1
	}
	o.engine = C.pol_engine_kind(options.Engine)
	o.operation = strings.optional(options.Operation)
	o.user = strings.optional(options.User)
	o.groups, o.group_count = strings.array(options.Groups)
	o.namespace_name = strings.optional(options.Namespace)
	var engine *C.pol_engine
	var message *C.char
	if err := check(C.pol_engine_new(&o, &engine, &message), message); err != nil {
		return nil, err
	}
	return engine, nil
}

// Policy is a compiled policy: immutable, safe for concurrent use. Close releases it (a
// finalizer does otherwise).
type Policy struct {
	policy *C.pol_policy
}

func compile(options *Options, compile func(*C.pol_engine, *cStrings, **C.pol_policy, **C.char) C.pol_status) (*Policy, error) {
	var strings cStrings
	defer strings.free()
	engine, err := newEngine(options, &strings)
	if err != nil {
		return nil, err
	}
	defer C.pol_engine_free(engine)
	var policy *C.pol_policy
	var message *C.char
	if err := check(compile(engine, &strings, &policy, &message), message); err != nil {
		return nil, err
	}
	p := &Policy{policy: policy}
	runtime.SetFinalizer(p, (*Policy).Close)
	return p, nil
}

// Compile compiles one policy file.
func Compile(path string, options *Options) (*Policy, error) {
	return compile(options, func(e *C.pol_engine, s *cStrings, p **C.pol_policy, m **C.char) C.pol_status {
		return C.pol_compile_file(e, s.add(path), p, m)
	})
}

// CompileString compiles a policy's text; name stands for it in diagnostics.
func CompileString(name, source string, options *Options) (*Policy, error) {
	return compile(options, func(e *C.pol_engine, s *cStrings, p **C.pol_policy, m **C.char) C.pol_status {
		return C.pol_compile_string(e, s.add(name), s.add(source), C.size_t(len(source)), p, m)
	})
}

// CompileProfile compiles the built-in Pod Security Standards at the options' profile, followed
// by the given policy files.
func CompileProfile(options *Options, paths ...string) (*Policy, error) {
	return compile(options, func(e *C.pol_engine, s *cStrings, p **C.pol_policy, m **C.char) C.pol_status {
		array, count := s.array(paths)
		return C.pol_compile_profile(e, array, count, p, m)
	})
}

// Close releases the policy; it must not be used afterwards.
func (p *Policy) Close() {
	if p.policy != nil {
		C.pol_policy_free(p.policy)
		p.policy = nil
	}
	runtime.SetFinalizer(p, nil)
}

// Warnings of the compilation, rendered ("" when none).
func (p *Policy) Warnings() string {
	defer runtime.KeepAlive(p)
	return C.GoString(C.pol_policy_warnings(p.policy))
}

// bytes passes a Go buffer to C without a copy (cgo: it is not kept).
func bytes(data []byte) (*C.char, C.size_t) {
	if len(data) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(&data[0])), C.size_t(len(data))
}

// Location, Violation, Exemption, ObjectError, Result, ReportError and Summary are the JSON
// report's parts (docs/inputs.md#output-formats).
type Location struct {
	Container string `json:"container"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	Path      string `json:"path"`
}

type Violation struct {
	Policy    string     `json:"policy"`
	Check     string     `json:"check"`
	Reason    string     `json:"reason"`
	Detail    string     `json:"detail"`
	Locations []Location `json:"locations"`
}

type Exemption struct {
	Check   string `json:"check"`
	By      string `json:"by"`
	Why     string `json:"why"`
	Owner   string `json:"owner"`
	Expires string `json:"expires"`
}

type ObjectError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type Result struct {
	Source     string        `json:"source"`
	Document   int           `json:"document"`
	Line       int           `json:"line"`
	Column     int           `json:"column"`
	APIVersion string        `json:"apiVersion"`
	Kind       string        `json:"kind"`
	Namespace  string        `json:"namespace"`
	Name       string        `json:"name"`
	Allowed    bool          `json:"allowed"`
	Violations []Violation   `json:"violations"`
	Warnings   []Violation   `json:"warnings"`
	Exempted   []Exemption   `json:"exempted"`
	Errors     []ObjectError `json:"errors"`
	Mutated    []string      `json:"mutated,omitempty"`
	// Not in the JSON: "Kind namespace/name", and why the object is not allowed as `pol check`
	// prints it (error lines, then one line per policy in Pod Security Admission's words).
	Title   string `json:"-"`
	Message string `json:"-"`
}

type ReportError struct {
	Source   string `json:"source"`
	Document int    `json:"document"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"`
}

type Summary struct {
	Objects    int `json:"objects"`
	Allowed    int `json:"allowed"`
	Denied     int `json:"denied"`
	Skipped    int `json:"skipped"`
	Errors     int `json:"errors"`
	NotObjects int `json:"not_objects"`
}

// Report is the evaluation of one buffer: `pol check -o json`'s report, decoded.
type Report struct {
	Results  []Result      `json:"results"`
	Errors   []ReportError `json:"errors"`
	Summary  Summary       `json:"summary"`
	JSON     []byte        `json:"-"` // the report as the library wrote it
	ExitCode int           `json:"-"` // pol check's: 0 allowed, 1 denied, 2 errors
	// Every error rendered with its position, as pol check writes them to stderr.
	ErrorText string `json:"-"`
}

// call runs one C call over a Go buffer (and source name) that yields a result; the caller frees it.
type resultCall func(data *C.char, length C.size_t, source *C.char, r **C.pol_result, message **C.char) C.pol_status

func call(buffer []byte, source string, do resultCall) (*C.pol_result, error) {
	var strings cStrings
	defer strings.free()
	data, length := bytes(buffer)
	var r *C.pol_result
	var message *C.char
	if err := check(do(data, length, strings.optional(source), &r, &message), message); err != nil {
		return nil, err
	}
	return r, nil
}

// Evaluate judges every object of a YAML or JSON buffer; source names it in the report. A
// document that cannot be read is an error in the report, not an error of the call.
func (p *Policy) Evaluate(document []byte, source string) (*Report, error) {
	defer runtime.KeepAlive(p)
	r, err := call(document, source, func(data *C.char, length C.size_t, source *C.char, r **C.pol_result, m **C.char) C.pol_status {
		return C.pol_evaluate(p.policy, data, length, source, 0, r, m)
	})
	if err != nil {
		return nil, err
	}
	defer C.pol_result_free(r)
	report := &Report{JSON: []byte(C.GoString(C.pol_result_json(r))), ExitCode: int(C.pol_result_exit_code(r)),
		ErrorText: C.GoString(C.pol_result_errors(r))}
	if err := json.Unmarshal(report.JSON, report); err != nil {
		return nil, fmt.Errorf("pol: the report does not decode: %w", err)
	}
	if len(report.Results) != int(C.pol_result_count(r)) {
		return nil, errors.New("pol: the report and the result disagree")
	}
	for i := range report.Results {
		report.Results[i].Title = C.GoString(C.pol_result_name(r, C.size_t(i)))
		report.Results[i].Message = C.GoString(C.pol_result_message(r, C.size_t(i)))
	}
	return report, nil
}

// ReviewResponse is the answer to an AdmissionReview: Body goes back to the API server with
// HTTP 200.
type ReviewResponse struct {
	Body    []byte
	Allowed bool
	Message string // why it is denied, as pol check says it ("" when allowed)
}

// Review answers an AdmissionReview as `pol serve` does. A body that is not an
// admission.k8s.io/v1 AdmissionReview with a uid gives an error matching ErrBadRequest.
func (p *Policy) Review(review []byte, mode ReviewMode) (*ReviewResponse, error) {
	defer runtime.KeepAlive(p)
	r, err := call(review, "", func(data *C.char, length C.size_t, _ *C.char, r **C.pol_result, m **C.char) C.pol_status {
		return C.pol_review(p.policy, data, length, C.pol_review_mode(mode), r, m)
	})
	if err != nil {
		return nil, err
	}
	defer C.pol_result_free(r)
	return &ReviewResponse{Body: []byte(C.GoString(C.pol_result_json(r))), Allowed: C.pol_result_allowed(r, 0) != 0,
		Message: C.GoString(C.pol_result_message(r, 0))}, nil
}

// MutatedDocument is one document after the policy's mutations.
type MutatedDocument struct {
	Text  string // JSON or YAML
	Patch string // RFC 6902, from the document given to Text
}

// Mutate applies the policy's mutations to every document of the buffer. Documents that cannot
// be read or mutated are returned as an error (ErrorText-style, rendered) with the others.
func (p *Policy) Mutate(document []byte, source string, format Format) ([]MutatedDocument, error) {
	defer runtime.KeepAlive(p)
	r, err := call(document, source, func(data *C.char, length C.size_t, source *C.char, r **C.pol_result, m **C.char) C.pol_status {
		return C.pol_mutate(p.policy, data, length, source, C.pol_format(format), r, m)
	})
	if err != nil {
		return nil, err
	}
	defer C.pol_result_free(r)
	documents := make([]MutatedDocument, int(C.pol_result_count(r)))
	for i := range documents {
		documents[i] = MutatedDocument{C.GoString(C.pol_result_document(r, C.size_t(i))), C.GoString(C.pol_result_patch(r, C.size_t(i)))}
	}
	if errorText := C.GoString(C.pol_result_errors(r)); errorText != "" {
		return documents, errors.New(errorText)
	}
	return documents, nil
}
