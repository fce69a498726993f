package compare

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func TestEloWorkedExample(t *testing.T) {
	// Vote 1: x beats y. Both start at 1000, so E = 1/(1+10^0) = 0.5 and
	// x = 1000 + 32(1 - 0.5) = 1016, y = 984.
	// Vote 2: y beats x. E_y = 1/(1+10^((1016-984)/400)) = 1/(1+10^0.08)
	// = 1/(1+1.202264) = 0.454078; y = 984 + 32(1 - 0.454078) = 1001.4695,
	// x = 1016 - 17.4695 = 998.5305.
	// Vote 3: tie. E_x = 1/(1+10^((1001.4695-998.5305)/400)) = 1/(1+10^0.0073475)
	// = 1/(1+1.017062) = 0.495770; d = 32(0.5 - 0.495770) = 0.13536:
	// x = 998.6659, y = 1001.3341.
	b := []Ballot{
		{Models: []string{"x", "y"}, Kind: VoteBetter, Winner: 0},
		{Models: []string{"x", "y"}, Kind: VoteBetter, Winner: 1},
		{Models: []string{"y", "x"}, Kind: VoteTie, Winner: -1},
	}
	r := Elo(b[:1])
	if !near(r["x"], 1016) || !near(r["y"], 984) {
		t.Fatalf("after one vote: %v", r)
	}
	r = Elo(b[:2])
	if !near(r["x"], 998.5305) || !near(r["y"], 1001.4695) {
		t.Fatalf("after two votes: %v", r)
	}
	r = Elo(b)
	if !near(r["x"], 998.6659) || !near(r["y"], 1001.3341) {
		t.Fatalf("after three votes: %v", r)
	}
}

func TestEloThreeColumns(t *testing.T) {
	// A three-column "better" vote for z is two games in column order:
	// z vs x: E = 0.5, z = 1016, x = 984.
	// z vs y: E_z = 1/(1+10^((1000-1016)/400)) = 1/(1+10^-0.04) = 1/(1+0.912011)
	// = 0.523012; d = 32(1 - 0.523012) = 15.2636: z = 1031.2636, y = 984.7364.
	// "all_bad" between x and y afterwards would be a draw; not added here.
	r := Elo([]Ballot{{Models: []string{"x", "y", "z"}, Kind: VoteBetter, Winner: 2}})
	if !near(r["z"], 1031.2636) || !near(r["x"], 984) || !near(r["y"], 984.7364) {
		t.Fatalf("ratings: %v", r)
	}
}

func TestRankCountsAndInterval(t *testing.T) {
	var b []Ballot
	for i := 0; i < 8; i++ {
		b = append(b, Ballot{Models: []string{"good", "bad"}, Kind: VoteBetter, Winner: 0})
	}
	b = append(b, Ballot{Models: []string{"bad", "good"}, Kind: VoteAllBad, Winner: -1})
	rows := Rank(b)
	if len(rows) != 2 || rows[0].Model != "good" || rows[1].Model != "bad" {
		t.Fatalf("order: %+v", rows)
	}
	g, w := rows[0], rows[1]
	if g.Votes != 9 || g.Wins != 8 || g.Losses != 0 || g.Ties != 1 || w.Losses != 8 || w.Wins != 0 || w.Ties != 1 {
		t.Fatalf("counts: %+v", rows)
	}
	for _, r := range rows {
		if !(r.Low <= r.High) || r.Low > r.Rating+50 || r.High < r.Rating-50 {
			t.Fatalf("interval of %s: %v [%v, %v]", r.Model, r.Rating, r.Low, r.High)
		}
	}
	if g.Low <= w.High {
		t.Fatalf("8 of 9 wins should separate the intervals: good %v..%v, bad %v..%v", g.Low, g.High, w.Low, w.High)
	}
	if again := Rank(b); again[0] != rows[0] || again[1] != rows[1] {
		t.Fatal("the same votes gave a different table")
	}
	if len(Rank(nil)) != 0 {
		t.Fatal("no votes should give an empty table")
	}
}
