package lpnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// MaxAIResponseSize bounds the JSON answer to an AI request; images
// inline as data URLs make it large.
const MaxAIResponseSize = 64 << 20

// AIResponse is an orchestrator's 200 answer to an AI request.
type AIResponse struct {
	Body []byte
	// RoundTrip is from the start of the request to the answer's last byte.
	RoundTrip time.Duration
	// Cost is what the request's payment cost.
	Cost Cost
}

// AI posts req to the orchestrator of info at {transcoder}/{pipeline}, as
// a go-livepeer gateway does: the session's credentials in the
// Livepeer-Segment header (a segment of no data and no profiles, with the
// pipeline and model as capabilities), a payment for the request's pixels
// in Livepeer-Payment, and, when byURL, the Authorization header that asks
// for images by URL instead of inline. An answer other than 200 is an
// *Error with the status and the orchestrator's text: CodeBusy for 503 (no
// slot for the model), CodeTranscode for 500 (the job failed), CodeUpload
// for any other refusal.
func (c *Client) AI(ctx context.Context, info *OrchestratorInfo, req *AIRequest, byURL bool) (*AIResponse, error) {
	fail := func(err error) (*AIResponse, error) { return nil, &Error{Code: CodeUpload, Op: "ai", Err: err} }
	body, typ, err := req.Encode()
	if err != nil {
		return fail(err)
	}
	sd, err := NewSegData(c.Signer, info.GetAuthToken().GetSessionId(), 0, nil, 0, nil, info.GetAuthToken())
	if err != nil {
		return fail(err)
	}
	if sd.Capabilities, err = AIJobCapabilities(req.Pipeline, req.Model); err != nil {
		return fail(err)
	}
	segHeader, err := EncodeHeader(sd)
	if err != nil {
		return fail(err)
	}
	// A request the orchestrator cannot price (an input that is not an
	// image) is still sent, unpaid: its answer is what is measured.
	pixels, _ := aiPixels(req)
	pay := &payment{wire: &Payment{Sender: c.Signer.Address().Bytes(), ExpectedPrice: info.GetPriceInfo()}, cost: Cost{EV: new(big.Rat)}}
	if c.Payer != nil {
		if pay, err = c.Payer.pay(info, pixels); err != nil {
			return nil, err
		}
	}
	payHeader, err := EncodeHeader(pay.wire)
	if err != nil {
		pay.unsent()
		return fail(err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(info.GetTranscoder(), "/")+"/"+req.Pipeline, bytes.NewReader(body))
	if err != nil {
		pay.unsent()
		return fail(err)
	}
	hr.Header.Set("Content-Type", typ)
	hr.Header.Set(SegmentHeader, segHeader)
	hr.Header.Set(PaymentHeader, payHeader)
	if byURL {
		hr.Header.Set("Authorization", AIProtoHeader)
	}
	start := time.Now()
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		pay.unsent()
		return nil, newError("ai", CodeUpload, 0, err)
	}
	defer resp.Body.Close()
	pay.sent()
	b, err := readAtMost(resp.Body, MaxAIResponseSize)
	if err != nil {
		return nil, newError("ai", CodeTranscode, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, aiStatusError(resp.StatusCode, b)
	}
	pay.settled(pixels)
	return &AIResponse{Body: b, RoundTrip: time.Since(start), Cost: pay.cost}, nil
}

// AIGateway posts req to a go-livepeer gateway at {gateway}/{pipeline},
// as Livepeer's AI job tester does: no credentials or payment, the
// gateway pays and picks the orchestrator. Images come back as the
// gateway answers them. Errors are as AI's, with ai-worker's HTTPError
// message when the gateway sends one.
func (c *Client) AIGateway(ctx context.Context, gateway string, req *AIRequest) (*AIResponse, error) {
	body, typ, err := req.Encode()
	if err != nil {
		return nil, &Error{Code: CodeUpload, Op: "ai", Err: err}
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(gateway, "/")+"/"+req.Pipeline, bytes.NewReader(body))
	if err != nil {
		return nil, &Error{Code: CodeUpload, Op: "ai", Err: err}
	}
	hr.Header.Set("Content-Type", typ)
	start := time.Now()
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		return nil, newError("ai", CodeUpload, 0, err)
	}
	defer resp.Body.Close()
	b, err := readAtMost(resp.Body, MaxAIResponseSize)
	if err != nil {
		return nil, newError("ai", CodeTranscode, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		var he AIHTTPError
		if json.Unmarshal(b, &he) == nil && he.Detail.Msg != "" {
			b = []byte(he.Detail.Msg)
		}
		return nil, aiStatusError(resp.StatusCode, b)
	}
	return &AIResponse{Body: b, RoundTrip: time.Since(start)}, nil
}

// aiStatusError is the error of an AI answer other than 200: CodeBusy for
// 503, CodeTranscode for 500, CodeUpload for other refusals, with the
// answer's text (at most 4 KiB).
func aiStatusError(status int, body []byte) error {
	code := CodeUpload
	switch status {
	case http.StatusServiceUnavailable:
		code = CodeBusy
	case http.StatusInternalServerError:
		code = CodeTranscode
	}
	msg := strings.TrimSpace(string(body))
	if len(msg) > 4096 {
		msg = msg[:4096]
	}
	return newError("ai", code, status, errors.New(msg))
}
