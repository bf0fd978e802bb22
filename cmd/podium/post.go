package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

// postCmd is `podium post`.
type postCmd struct {
	m *Main

	leaderboard string
	path        string // FILE, or - for stdin
}

func (m *Main) newPostCmd() *cobra.Command {
	c := &postCmd{m: m}
	cmd := &cobra.Command{
		Use:   "post --leaderboard URL FILE|-",
		Short: "Sign and post stats records (JSON lines) to a leaderboard",
		Long: `Sign and post each stats record of FILE (JSON lines; - for stdin) to the
leaderboard at URL, with the Authorization and ` + web.SignatureHeader + ` headers.
The secret comes from $PODIUM_SECRET, $PODIUM_SECRET_FILE or --secret-file.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.path = args[0]
			return c.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&c.leaderboard, "leaderboard", "", "base URL of the leaderboard, e.g. http://127.0.0.1:8088 (required)")
	cmd.Flags().String("secret-file", "", "file holding the HMAC secret (instead of $PODIUM_SECRET)") // read by configure
	cmd.MarkFlagRequired("leaderboard")
	return cmd
}

// Run signs and posts each record of the file.
func (c *postCmd) Run(ctx context.Context) error {
	m, leaderboard := c.m, c.leaderboard
	secret, err := m.loadSecret()
	if err != nil {
		return err
	}
	if !strings.HasPrefix(leaderboard, "http://") && !strings.HasPrefix(leaderboard, "https://") {
		return podium.FieldError("--leaderboard", "%q is not an http(s) URL", leaderboard)
	}
	in, _, closeIn, err := m.openInput(c.path)
	if err != nil {
		return err
	}
	defer closeIn()
	client := web.NewClient(leaderboard, secret)
	client.Now = m.Now
	var posted, failed int
	err = readLines(in, func(n int, line []byte) error {
		res, err := client.PostStatsJSON(ctx, line)
		switch {
		case podium.ErrorCode(err) == podium.EUNAVAILABLE || podium.ErrorCode(err) == podium.EUNAUTHORIZED:
			return fmt.Errorf("line %d: %w", n, err) // the rest would fail alike
		case err != nil:
			failed++
			fmt.Fprintf(m.Stderr, "line %d: %v\n", n, err)
		default:
			posted++
			fmt.Fprintf(m.Stdout, "line %d: %s %s\n", n, res.Status, res.TestID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if failed > 0 {
		return podium.Errorf(podium.EINVALID, "%d of %d records were refused", failed, failed+posted)
	}
	return nil
}
