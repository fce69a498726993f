package compare

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Elo parameters: every model starts at EloStart; a game moves ratings by
// at most EloK points.
const (
	EloStart = 1000.0
	EloK     = 32.0
	// bootstrapRounds is how many resamples the 95% interval uses.
	bootstrapRounds = 200
)

// Ballot is one vote: the models of the run's columns (by index), the kind
// and, for "better", the winning column.
type Ballot struct {
	Models []string
	Kind   string
	Winner int
}

// game is one pairwise result: a scored s against b (1 win, 0.5 tie).
type game struct {
	a, b string
	s    float64
}

// games splits a ballot into pairwise games: "better" is a win of the
// winner over every other column; "tie" and "all_bad" are draws between
// every pair. Columns with the same model play no game.
func (b Ballot) games() []game {
	var out []game
	if b.Kind == VoteBetter {
		if b.Winner < 0 || b.Winner >= len(b.Models) {
			return nil
		}
		w := b.Models[b.Winner]
		for i, m := range b.Models {
			if i != b.Winner && m != w {
				out = append(out, game{w, m, 1})
			}
		}
		return out
	}
	for i := range b.Models {
		for j := i + 1; j < len(b.Models); j++ {
			if b.Models[i] != b.Models[j] {
				out = append(out, game{b.Models[i], b.Models[j], 0.5})
			}
		}
	}
	return out
}

// Elo rates the models from ballots in the order given: for each game,
// expected score E = 1 / (1 + 10^((Rb - Ra) / 400)), then
// Ra += K (S - E) and Rb -= K (S - E).
func Elo(ballots []Ballot) map[string]float64 {
	r := map[string]float64{}
	get := func(m string) float64 {
		if v, ok := r[m]; ok {
			return v
		}
		return EloStart
	}
	for _, b := range ballots {
		for _, m := range b.Models {
			r[m] = get(m)
		}
		for _, g := range b.games() {
			ra, rb := get(g.a), get(g.b)
			e := 1 / (1 + math.Pow(10, (rb-ra)/400))
			d := EloK * (g.s - e)
			r[g.a], r[g.b] = ra+d, rb-d
		}
	}
	return r
}

// Rank returns the leaderboard: Elo ratings in vote order, a 95% interval
// from a bootstrap (200 resamples of the ballots with replacement, seeded,
// so the same votes always give the same table), and the counts; best
// first.
func Rank(ballots []Ballot) []LeaderRow {
	point := Elo(ballots)
	rows := map[string]*LeaderRow{}
	for m, v := range point {
		rows[m] = &LeaderRow{Model: m, Rating: v}
	}
	for _, b := range ballots {
		seen := map[string]bool{}
		for i, m := range b.Models {
			if seen[m] {
				continue
			}
			seen[m] = true
			r := rows[m]
			r.Votes++
			switch {
			case b.Kind != VoteBetter:
				r.Ties++
			case i == b.Winner || m == b.Models[b.Winner]:
				r.Wins++
			default:
				r.Losses++
			}
		}
	}
	samples := map[string][]float64{}
	rng := rand.New(rand.NewPCG(1, 2))
	re := make([]Ballot, len(ballots))
	for k := 0; k < bootstrapRounds && len(ballots) > 0; k++ {
		for i := range re {
			re[i] = ballots[rng.IntN(len(ballots))]
		}
		e := Elo(re)
		for m := range rows {
			v, ok := e[m]
			if !ok {
				v = EloStart // not drawn in this resample
			}
			samples[m] = append(samples[m], v)
		}
	}
	out := make([]LeaderRow, 0, len(rows))
	for m, r := range rows {
		s := samples[m]
		sort.Float64s(s)
		r.Low, r.High = quantile(s, 0.025), quantile(s, 0.975)
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rating != out[j].Rating {
			return out[i].Rating > out[j].Rating
		}
		return out[i].Model < out[j].Model
	})
	return out
}

// quantile of sorted xs by linear interpolation.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	p := q * float64(len(xs)-1)
	i := int(p)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (p-float64(i))*(xs[i+1]-xs[i])
}
