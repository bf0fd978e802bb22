package lpnet

// Regenerate lp_rpc.pb.go and lp_rpc_grpc.pb.go from lp_rpc.proto. Needs
// protoc (Debian: apt-get install protobuf-compiler) and the two plugins at
// the versions the module pins:
//
//	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.10
//	go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.5.1
//
//go:generate protoc --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative lp_rpc.proto
