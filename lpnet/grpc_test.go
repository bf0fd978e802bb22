package lpnet

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// rawCodec sends bytes as they are, to put malformed messages on the wire.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: %T", v)
	}
	return *b, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec: %T", v)
	}
	*b = append((*b)[:0], data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }

func TestServer_GetOrchestratorMalformed(t *testing.T) {
	s, _ := startServer(t, nil)
	conn, err := grpc.NewClient(strings.TrimPrefix(s.ServiceURI, "https://"), grpc.WithTransportCredentials(credentials.NewTLS(insecureTLS())))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, tt := range []struct {
		name string
		in   []byte
		want string
	}{
		{"ErrTruncated", []byte{0x0a, 0x14, 0x01}, "unmarshal"},       // address claims 20 bytes, has 1
		{"ErrBadVarint", []byte{0x20, 0xff, 0xff, 0xff}, "unmarshal"}, // ignoreCapacityCheck never ends
		{"ErrEmpty", []byte{}, "orchestrator req sig check failed"},   // zero address, no signature
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out []byte
			err := conn.Invoke(testContext(t), "/net.Orchestrator/GetOrchestrator", &tt.in, &out, grpc.ForceCodec(rawCodec{}))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	t.Run("OKStillServes", func(t *testing.T) {
		if _, err := NewClient(NewSigner(KeyFromSeed(1))).GetOrchestrator(testContext(t), s.ServiceURI); err != nil {
			t.Fatal(err)
		}
	})
}
