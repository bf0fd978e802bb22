package lpnet_test

import (
	"context"
	"fmt"
	"time"

	"github.com/podiumhq/podium/lpnet"
)

// A prober's direct test of one segment: discover, transcode, download,
// and read the phase timings and error code.
func ExampleClient() {
	c := lpnet.NewClient(lpnet.NewSigner(lpnet.KeyFromSeed(1)))
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()

	info, err := c.GetOrchestrator(ctx, "https://127.0.0.1:8935")
	if err != nil {
		fmt.Println("error code:", lpnet.ErrorCode(err))
		return
	}
	profiles, _ := lpnet.LookupProfiles(lpnet.DefaultLadder)
	res, err := c.Transcode(ctx, info, lpnet.Segment{
		ManifestID: "test-1", Seq: 0, Data: []byte("…MPEG-TS…"), Duration: 2 * time.Second, Profiles: profiles,
	})
	if err != nil {
		fmt.Println("error code:", lpnet.ErrorCode(err))
		return
	}
	for _, r := range res.Renditions {
		fmt.Println(r.Profile.Name, len(r.Data), r.Err)
	}
	fmt.Println(res.Upload, res.Transcode, res.Download, res.RoundTrip())
}
