module github.com/pol-policy/pol/examples/go

go 1.19

require github.com/pol-policy/pol/bindings/go v0.0.0

replace github.com/pol-policy/pol/bindings/go => ../../bindings/go
