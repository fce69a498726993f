package ollama

import "sync"

// Clients keeps one Client per host, so that services reuse connections.
// The zero value is ready to use and safe for concurrent use.
type Clients struct {
	mu sync.Mutex
	m  map[string]*Client
}

// Get returns the Client for host, creating it on first use.
func (p *Clients) Get(host string) (*Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.m[host]; ok {
		return c, nil
	}
	c, err := New(host)
	if err != nil {
		return nil, err
	}
	if p.m == nil {
		p.m = map[string]*Client{}
	}
	p.m[host] = c
	return c, nil
}
