package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/podiumhq/podium"
)

// DecodeStats decodes one stats record from JSON. A value of the wrong type
// is an EINVALID error naming the field; unknown fields are ignored, as
// leaderboard-serverless does (senders add their own). The record is not yet
// validated: call Normalize.
func DecodeStats(data []byte) (podium.Stats, error) {
	var s podium.Stats
	if len(bytes.TrimSpace(data)) == 0 {
		return s, podium.Errorf(podium.EINVALID, "the body is empty; send one stats record as a JSON object")
	}
	if json.Unmarshal(data, &s) == nil {
		return s, nil
	}
	// Decode again, as a stream, to say what is wrong: a record followed
	// by more data is told apart from malformed JSON.
	s = podium.Stats{}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return podium.Stats{}, decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return podium.Stats{}, podium.Errorf(podium.EINVALID, "malformed JSON: data after the record; send one record per request")
	}
	return s, nil
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		field := typeErr.Field
		if strings.HasPrefix(field, "errors.") {
			field = "errors" // "errors.count" is a fault of "errors"; "cost.tickets" stays itself
		}
		if strings.HasPrefix(typeErr.Value, "number") && typeErr.Type.Kind().String() != "string" &&
			typeErr.Type.Kind().String() != "slice" && typeErr.Type.Kind().String() != "struct" {
			return podium.FieldError(field, "must be %s in range, not %s", typeName(typeErr.Type.Kind().String()), typeErr.Value)
		}
		return podium.FieldError(field, "must be %s, not a JSON %s", typeName(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &typeErr):
		return podium.Errorf(podium.EINVALID, "the body must be a JSON object, not a JSON %s", typeErr.Value)
	case errors.As(err, &syntaxErr):
		return podium.Errorf(podium.EINVALID, "malformed JSON at byte %d: %s", syntaxErr.Offset, syntaxErr.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return podium.Errorf(podium.EINVALID, "malformed JSON: the body ends inside the record")
	default:
		return podium.Errorf(podium.EINVALID, "malformed JSON: %s", err.Error())
	}
}

// typeName says in words what a Go kind expects.
func typeName(kind string) string {
	switch kind {
	case "int", "int64":
		return "an integer"
	case "float64":
		return "a number"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct":
		return "an object"
	default:
		return "a " + kind
	}
}
