package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/podiumhq/podium"
	"github.com/podiumhq/podium/web"
)

func TestServer_Costs(t *testing.T) {
	forEachStore(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		ts := newTestServer(t, open, web.Config{})
		day := testNow.Unix() - testNow.Unix()%podium.Day
		paid := func(id, region string, ts int64, tickets int, face, ev string) podium.Stats {
			s := validStats()
			s.TestID, s.Region, s.Timestamp = id, region, ts
			s.Cost = &podium.StatsCost{Tickets: tickets, FaceValue: face, ExpectedValue: ev}
			return s
		}
		unpaid := validStats()
		unpaid.TestID = "unpaid"
		for _, s := range []podium.Stats{
			paid("p-1", "FRA", day+10, 2, "1000", "1/4"),
			paid("p-2", "FRA", day+20, 1, "1000", "1/2"),
			paid("p-3", "MDW", day-10, 4, "300", "5"),
			unpaid,
		} {
			if res, err := ts.client.PostStats(ctx, s); err != nil || res.Status != web.StatusStored {
				t.Fatalf("post %s: %+v, %v", s.TestID, res, err)
			}
		}

		t.Run("OKRawStats", func(t *testing.T) {
			raw, err := ts.client.RawStats(ctx, podium.StatsQuery{Orchestrator: orchA, Since: 1, Until: testNow.Unix()})
			if err != nil {
				t.Fatal(err)
			}
			costs := map[string]*podium.StatsCost{}
			for _, recs := range raw {
				for _, r := range recs {
					costs[r.TestID] = r.Cost
				}
			}
			want := map[string]*podium.StatsCost{
				"p-1": {Tickets: 2, FaceValue: "1000", ExpectedValue: "1/4"}, "p-2": {Tickets: 1, FaceValue: "1000", ExpectedValue: "1/2"},
				"p-3": {Tickets: 4, FaceValue: "300", ExpectedValue: "5"}, "unpaid": nil,
			}
			if !reflect.DeepEqual(costs, want) {
				t.Fatalf("costs in raw_stats: %+v", costs)
			}
		})

		t.Run("OK", func(t *testing.T) {
			body, err := ts.client.Costs(ctx, podium.StatsQuery{Since: day - podium.Day, Until: testNow.Unix()})
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			fra := `{"tests":2,"tickets":3,"face_value_wei":"3000","expected_value_wei":"1","expected_value_exact":"3/4"}`
			mdw := `{"tests":1,"tickets":4,"face_value_wei":"1200","expected_value_wei":"5","expected_value_exact":"5"}`
			want := `{"since":1723593600,"until":1723742000,` +
				`"total":{"tests":3,"tickets":7,"face_value_wei":"4200","expected_value_wei":"6","expected_value_exact":"23/4"},` +
				`"regions":{"FRA":` + fra + `,"MDW":` + mdw + `},` +
				`"days":[{"day":"2024-08-14","start":1723593600,"total":` + mdw + `,"regions":{"MDW":` + mdw + `}},` +
				`{"day":"2024-08-15","start":1723680000,"total":` + fra + `,"regions":{"FRA":` + fra + `}}]}`
			if string(got) != want {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		})

		t.Run("OKNone", func(t *testing.T) {
			status, body := ts.get(t, "/api/v1/costs?region=SIN")
			if status != http.StatusOK || body["days"] == nil || body["total"].(map[string]any)["expected_value_wei"] != "0" {
				t.Fatalf("got %d %v", status, body)
			}
		})

		t.Run("ErrSince", func(t *testing.T) {
			status, body := ts.get(t, "/api/v1/costs?since=yesterday")
			if status != http.StatusBadRequest || body["field"] != "since" {
				t.Fatalf("got %d %v", status, body)
			}
		})
	})
}
