module github.com/pol-policy/pol/bindings/go

go 1.19
