package pm

import "errors"

// Errors of ticket validation, with go-livepeer's texts: a go-livepeer
// broadcaster or operator reads them from podium's node as from its own.
var (
	ErrTicketParamsExpired        = errors.New("TicketParams expired")
	ErrInvalidTicketRecipient     = errors.New("invalid ticket recipient")
	ErrInvalidTicketSender        = errors.New("invalid ticket sender")
	ErrInvalidTicketRecipientRand = errors.New("invalid recipientRand for ticket recipientRandHash")
	ErrInvalidTicketSignature     = errors.New("invalid ticket signature")
	ErrInsufficientSenderReserve  = errors.New("insufficient sender reserve")
)

// FatalReceiveError is a ticket refusal after which go-livepeer's
// orchestrator stops reading the payment's other tickets.
type FatalReceiveError struct{ Err error }

// Error implements error with the cause's text alone, as go-livepeer does.
func (e *FatalReceiveError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *FatalReceiveError) Unwrap() error { return e.Err }

// SenderValidationError says the sender's own funds on chain do not allow
// it to pay: the fault is the sender's, never the recipient's.
type SenderValidationError struct{ Err error }

// Error implements error.
func (e *SenderValidationError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *SenderValidationError) Unwrap() error { return e.Err }
