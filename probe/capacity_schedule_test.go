package probe

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var scheduleRegions = []string{"SIN", "FRA", "MDW", "LAX"}

func TestCapacitySchedule_SlotsOfRegionsNeverOverlap(t *testing.T) {
	day := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		addr := fmt.Sprintf("0x%040x", 0xabc000+i)
		var slots []Slot
		for _, r := range scheduleRegions {
			s := CapacitySchedule{Regions: scheduleRegions, Region: r, Budget: 10 * time.Minute}
			sl := s.SlotAt(addr, day.Add(13*time.Hour))
			if sl.Start.Before(day) || sl.End.After(day.Add(24*time.Hour)) {
				t.Fatalf("%s %s: slot %v–%v outside the day", addr, r, sl.Start, sl.End)
			}
			// A test starting as late as allowed still ends in the window.
			if sl.Last.Add(s.Budget).After(sl.End) || sl.Start.After(sl.Last) {
				t.Fatalf("%s %s: slot %+v leaves no room for a %s test", addr, r, sl, s.Budget)
			}
			slots = append(slots, sl)
		}
		for a := range slots {
			for b := range slots {
				if a != b && slots[a].Start.Before(slots[b].End) && slots[b].Start.Before(slots[a].End) {
					t.Fatalf("%s: slots of %s and %s overlap: %+v %+v", addr, scheduleRegions[a], scheduleRegions[b], slots[a], slots[b])
				}
			}
		}
	}
}

func TestCapacitySchedule_WindowsInSortedRegionOrder(t *testing.T) {
	day := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	// Sorted: FRA, LAX, MDW, SIN: 6 h windows.
	for k, r := range []string{"FRA", "LAX", "MDW", "SIN"} {
		s := CapacitySchedule{Regions: scheduleRegions, Region: strings.ToLower(r)}
		sl := s.SlotAt("0x00000000000000000000000000000000000000a1", day.Add(time.Minute))
		win := day.Add(time.Duration(k) * 6 * time.Hour)
		if sl.End != win.Add(6*time.Hour) || sl.Start.Before(win) || !sl.Start.Before(win.Add(3*time.Hour)) {
			t.Errorf("%s: slot %+v, want in the window from %v", r, sl, win)
		}
		if start, end := s.Window(day.Add(23 * time.Hour)); start != win || end != win.Add(6*time.Hour) {
			t.Errorf("%s: window %v–%v, want %v for 6 h", r, start, end, win)
		}
	}
}

func TestCapacitySchedule_OffsetsSpreadOrchestrators(t *testing.T) {
	s := CapacitySchedule{Regions: scheduleRegions, Region: "FRA"}
	at := time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC)
	starts := map[time.Time]bool{}
	for i := range 50 {
		starts[s.SlotAt(fmt.Sprintf("0x%040x", i), at).Start] = true
	}
	if len(starts) < 45 {
		t.Errorf("50 orchestrators share %d start times; the hash does not spread them", len(starts))
	}
	// The same address in any case has the same slot.
	a, b := s.SlotAt("0xABCDEF0000000000000000000000000000000001", at), s.SlotAt("0xabcdef0000000000000000000000000000000001", at)
	if a != b {
		t.Errorf("slot depends on the address's case: %+v %+v", a, b)
	}
}

func TestCapacitySchedule_DueOncePerPeriod(t *testing.T) {
	s := CapacitySchedule{Regions: scheduleRegions, Region: "MDW", Budget: 10 * time.Minute}
	addr := "0x00000000000000000000000000000000000000b2"
	start := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	var last time.Time
	var runs []time.Time
	for now := start; now.Before(start.Add(72 * time.Hour)); now = now.Add(5 * time.Minute) {
		if s.Due(addr, last, now) {
			runs = append(runs, now)
			last = now
		}
	}
	if len(runs) != 3 {
		t.Fatalf("ran at %v, want once a day for 3 days", runs)
	}
	for i, r := range runs {
		sl := s.SlotAt(addr, r)
		if r.Sub(sl.Start) >= 5*time.Minute || sl.Start.Day() != 9+i {
			t.Errorf("run %d at %v, slot %+v: want the first cycle of each day's slot", i, r, sl)
		}
	}
	// A prober that missed the slot (down until past Last) waits for the next period.
	sl := s.SlotAt(addr, start)
	if s.Due(addr, time.Time{}, sl.Last.Add(time.Second)) {
		t.Error("due after the slot's last start")
	}
	if s.Due(addr, time.Time{}, sl.Start.Add(-time.Second)) {
		t.Error("due before the slot")
	}
}

func TestCapacitySchedule_Interval(t *testing.T) {
	s := CapacitySchedule{Regions: []string{"FRA", "SIN"}, Region: "SIN", Interval: 2 * time.Hour, Budget: 5 * time.Minute}
	at := time.Date(2026, 3, 9, 3, 30, 0, 0, time.UTC)
	sl := s.SlotAt("0x00000000000000000000000000000000000000c3", at)
	if want := time.Date(2026, 3, 9, 4, 0, 0, 0, time.UTC); sl.End != want {
		t.Errorf("slot ends %v, want %v (SIN's hour of the 02:00–04:00 period)", sl.End, want)
	}
}

func TestCapacitySchedule_Validate(t *testing.T) {
	for _, c := range []struct {
		s    CapacitySchedule
		want string
	}{
		{CapacitySchedule{Regions: scheduleRegions, Region: "FRA"}, ""},
		{CapacitySchedule{Regions: scheduleRegions, Region: "XXX"}, `region "XXX" is not among`},
		{CapacitySchedule{Regions: scheduleRegions, Region: "FRA", Interval: time.Hour, Budget: 10 * time.Minute}, "lengthen the capacity interval"},
	} {
		err := c.s.Validate()
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: got %v, want %q", c.s, err, c.want)
		}
	}
}
