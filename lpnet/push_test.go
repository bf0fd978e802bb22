package lpnet

import (
	"strings"
	"testing"
)

// A body as go-livepeer's broadcaster writes it, by hand.
const multipartBody = "--b0\r\n" +
	"Content-Type: video/mp2t; name=\"P144p30fps16x9_3.ts\"\r\n" +
	"Content-Length: 5\r\n" +
	"Content-Disposition: attachment; filename=\"P144p30fps16x9_3.ts\"\r\n" +
	"Rendition-Name: P144p30fps16x9\r\n" +
	"\r\n" +
	"hello\r\n" +
	"--b0\r\n" +
	"Content-Type: video/mp2t; name=\"P240p30fps16x9_3.ts\"\r\n" +
	"Rendition-Name: P240p30fps16x9\r\n" +
	"\r\n" +
	"world!\r\n" +
	"--b0--\r\n"

func TestReadMultipart(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		parts, err := ReadMultipart(strings.NewReader(multipartBody), "multipart/mixed; boundary=b0", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != 2 || parts[0].Name != "P144p30fps16x9" || string(parts[0].Data) != "hello" ||
			parts[1].Name != "P240p30fps16x9" || string(parts[1].Data) != "world!" || parts[1].ContentType != "video/mp2t" {
			t.Fatalf("parts = %+v", parts)
		}
	})
	t.Run("ErrNotMultipart", func(t *testing.T) {
		if _, err := ReadMultipart(strings.NewReader(""), "video/mp2t", 100); err == nil {
			t.Fatal("accepted a non-multipart answer")
		}
	})
	t.Run("ErrNoBoundary", func(t *testing.T) {
		if _, err := ReadMultipart(strings.NewReader(multipartBody), "multipart/mixed", 100); err == nil {
			t.Fatal("accepted multipart without a boundary")
		}
	})
	t.Run("ErrTruncated", func(t *testing.T) {
		for n := 1; n < len(multipartBody)-2; n++ {
			if _, err := ReadMultipart(strings.NewReader(multipartBody[:n]), "multipart/mixed; boundary=b0", 100); err == nil {
				t.Fatalf("accepted the body cut at %d of %d bytes", n, len(multipartBody))
			}
		}
	})
	t.Run("ErrPartTooLarge", func(t *testing.T) {
		if _, err := ReadMultipart(strings.NewReader(multipartBody), "multipart/mixed; boundary=b0", 5); err == nil {
			t.Fatal("accepted a part over the limit")
		}
	})
}

// FuzzReadMultipart checks that no broadcaster answer can crash the reader
// or make it return more data than the limit allows.
func FuzzReadMultipart(f *testing.F) {
	f.Add(multipartBody, "multipart/mixed; boundary=b0")
	f.Add("--b0--\r\n", "multipart/mixed; boundary=b0")
	f.Add("", "multipart/mixed; boundary=\"\"")
	f.Fuzz(func(t *testing.T, body, contentType string) {
		parts, err := ReadMultipart(strings.NewReader(body), contentType, 64)
		if err != nil {
			return
		}
		for _, p := range parts {
			if len(p.Data) > 64 {
				t.Fatalf("part of %d bytes passed a 64-byte limit", len(p.Data))
			}
		}
	})
}
