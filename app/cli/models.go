package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/models"
	"github.com/wadi-app/wadi/backend/pull"
)

// modelsFlags are the flags of `wadi models ...`.
type modelsFlags struct {
	fits       bool
	capability string
	family     string
	query      string
	ctx        int
	name       string
	template   string
	system     string
}

func init() {
	register("models", func() command {
		var f modelsFlags
		return command{
			summary: "model library: list | catalog | fit NAME | pull NAME | rm NAME | import FILE --name N | ps | machine",
			usage:   "list | catalog [--fits] [--capability C] | fit NAME [--ctx N] | pull NAME | rm NAME | import FILE --name NAME | ps | machine",
			flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&f.fits, "fits", false, "catalog: only models that fit this machine")
				fs.StringVar(&f.capability, "capability", "", "catalog: only models with this `capability` (tools, vision, thinking, embedding...)")
				fs.StringVar(&f.family, "family", "", "catalog: only this `family` (qwen, deepseek, llama...)")
				fs.StringVar(&f.query, "query", "", "catalog: only models matching these `words`")
				fs.IntVar(&f.ctx, "ctx", 0, "fit: context length in `tokens` (default 4096)")
				fs.StringVar(&f.name, "name", "", "import: the new model's `name`")
				fs.StringVar(&f.template, "template", "", "import: prompt template `file`")
				fs.StringVar(&f.system, "system", "", "import: system prompt `text`")
			},
			run: func(ctx context.Context, c *call) error { return runModels(ctx, c, f) },
		}
	})
}

func runModels(ctx context.Context, c *call, f modelsFlags) error {
	if len(c.args) == 0 {
		return usageError{"expected a subcommand: list, catalog, fit, pull, rm, import, ps or machine"}
	}
	sub, args := c.args[0], c.args[1:]
	want := map[string]int{"list": 0, "catalog": 0, "ps": 0, "machine": 0, "fit": 1, "pull": 1, "rm": 1, "import": 1}
	n, ok := want[sub]
	if !ok {
		return usageError{fmt.Sprintf("unknown subcommand %q", sub)}
	}
	if len(args) != n {
		return usageError{fmt.Sprintf("models %s takes %d argument(s)", sub, n)}
	}
	co, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer co.Close()
	lib, err := models.NewLibrary(co.Dirs.Data, co.Hosts)
	if err != nil {
		return err
	}
	hosts, err := co.Hosts(ctx)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		return modelsList(ctx, c, hosts)
	case "catalog":
		return modelsCatalog(ctx, c, lib, f)
	case "machine":
		return modelsMachine(ctx, c, lib)
	case "fit":
		fit, err := lib.Fit(ctx, args[0], f.ctx)
		if err != nil {
			return err
		}
		if c.g.json {
			return c.printJSON(fit)
		}
		fmt.Fprintln(c.Stdout, fit.Summary)
		return nil
	case "pull":
		return modelsPull(ctx, c, co, lib, hosts[0], args[0])
	case "rm":
		if err := models.Delete(ctx, hosts[0], args[0]); err != nil {
			return err
		}
		if c.g.json {
			return c.printJSON(map[string]string{"deleted": args[0], "host": hosts[0]})
		}
		fmt.Fprintf(c.Stdout, "deleted %s from %s\n", args[0], hosts[0])
		return nil
	case "import":
		return modelsImport(ctx, c, hosts[0], args[0], f)
	}
	return modelsPS(ctx, c, lib, hosts)
}

func modelsList(ctx context.Context, c *call, hosts []string) error {
	all := []models.Installed{}
	var total int64
	for _, h := range hosts {
		list, err := models.List(ctx, h)
		if err != nil {
			return err
		}
		for _, m := range list {
			total += m.SizeBytes
		}
		all = append(all, list...)
	}
	if c.g.json {
		return c.printJSON(all)
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSIZE\tPARAMS\tQUANT\tCONTEXT\tCAPABILITIES\tHOST")
	for _, m := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", m.Name, catalog.GB(m.SizeBytes), m.ParameterSize,
			m.Quantization, m.ContextLength, strings.Join(m.Capabilities, ","), m.Host)
	}
	tw.Flush()
	fmt.Fprintf(c.Stdout, "%d models, %s on disk\n", len(all), catalog.GB(total))
	return nil
}

func modelsCatalog(ctx context.Context, c *call, lib *models.Library, f modelsFlags) error {
	res := lib.Search(ctx, catalog.Filter{Query: f.query, Capability: f.capability, Family: f.family, FitsOnly: f.fits})
	if c.g.json {
		return c.printJSON(res)
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PULL NAME\tPARAMS\tQUANT\tDOWNLOAD\tFIT\tNEEDS\tMODEL")
	for _, e := range res {
		for _, v := range e.Variants {
			verdict := v.Fit.Verdict
			if e.ServerOnly {
				verdict += " (server; try " + e.LocalAlternative + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.PullName, v.Params, v.Quant,
				catalog.GB(v.DownloadBytes), verdict, catalog.GB(v.Fit.TotalBytes), e.Name)
		}
	}
	return tw.Flush()
}

func modelsMachine(ctx context.Context, c *call, lib *models.Library) error {
	m := lib.Machine(ctx)
	if c.g.json {
		return c.printJSON(m)
	}
	fmt.Fprintf(c.Stdout, "OS:        %s\nCPU:       %s (%d threads)\nRAM:       %s (%s available)\n",
		m.OS, orNone(m.CPUModel), m.CPUCores, catalog.GB(m.RAMBytes), catalog.GB(m.AvailableRAMBytes))
	if len(m.GPUs) == 0 {
		fmt.Fprintln(c.Stdout, "GPU:       none found (models run on the CPU)")
	}
	for _, g := range m.GPUs {
		fmt.Fprintf(c.Stdout, "GPU:       %s (%s), %s VRAM, %s free\n", g.Name, g.Vendor, catalog.GB(g.VRAMBytes), catalog.GB(g.FreeVRAMBytes))
	}
	fmt.Fprintf(c.Stdout, "Disk:      %s free at %s\n", catalog.GB(m.FreeDiskBytes), m.ModelsDir)
	return nil
}

// modelsPull downloads through the stored queue: an interrupted run leaves
// the download queued, and the next `wadi models pull` of the same name
// continues it (Ollama resumes from its partial files).
func modelsPull(ctx context.Context, c *call, co *core.Core, lib *models.Library, host, name string) error {
	opt := lib.QueueOptions()
	start := time.Now()
	opt.OnUpdate = func(d pull.Download) {
		if d.State == pull.Downloading && d.TotalBytes > 0 {
			fmt.Fprintf(c.Stderr, "\r%s: %5.1f%%  %s / %s  %s/s  ETA %s   ", d.Name, d.Percent(),
				catalog.GB(d.CompletedBytes), catalog.GB(d.TotalBytes), catalog.GB(int64(d.BytesPerSec)), eta(d.EtaSeconds))
			return
		}
		msg := ""
		if d.Error != "" {
			msg = ": " + d.Error
		}
		fmt.Fprintf(c.Stderr, "\r%s: %s%s\n", d.Name, d.State, msg)
	}
	q, err := pull.New(ctx, co.Store, opt)
	if err != nil {
		return err
	}
	defer q.Close()
	d, err := q.Start(ctx, host, name)
	if err != nil {
		return err
	}
	d, err = q.Wait(ctx, d.ID)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; run the same command again to resume %s", name)
		}
		return err
	}
	if c.g.json {
		if err := c.printJSON(d); err != nil {
			return err
		}
	}
	if d.State != pull.Done {
		return fmt.Errorf("download of %s %s: %s", name, d.State, d.Error)
	}
	if !c.g.json {
		fmt.Fprintf(c.Stdout, "pulled %s to %s (%s in %s)\n", name, host, catalog.GB(d.TotalBytes), time.Since(start).Round(time.Second))
	}
	return nil
}

func eta(s int64) string {
	if s <= 0 {
		return "--"
	}
	return (time.Duration(s) * time.Second).String()
}

func modelsImport(ctx context.Context, c *call, host, path string, f modelsFlags) error {
	if err := models.ValidImportName(f.name, pull.ValidName); err != nil {
		return usageError{"--name: " + err.Error()}
	}
	req := models.ImportRequest{Host: host, Path: path, Name: f.name, System: f.system}
	if f.template != "" {
		b, err := os.ReadFile(f.template)
		if err != nil {
			return fmt.Errorf("--template: %w", err)
		}
		req.Template = string(b)
	}
	job, err := models.Import(ctx, req, func(j models.ImportJob) {
		if j.TotalBytes > 0 && j.State == models.ImportUploading {
			fmt.Fprintf(c.Stderr, "\ruploading %s: %5.1f%%", path, 100*float64(j.CompletedBytes)/float64(j.TotalBytes))
		} else if j.State == models.ImportCreating {
			fmt.Fprintf(c.Stderr, "\ncreating %s\n", j.Name)
		}
	})
	if err != nil {
		return err
	}
	if c.g.json {
		return c.printJSON(job)
	}
	fmt.Fprintf(c.Stdout, "imported %s as %s on %s\n", path, job.Name, host)
	return nil
}

func modelsPS(ctx context.Context, c *call, lib *models.Library, hosts []string) error {
	type hostRunning struct {
		Host string `json:"host"`
		models.Running
	}
	all := []hostRunning{}
	m := lib.Machine(ctx)
	for _, h := range hosts {
		rs, err := models.ListRunning(ctx, h, m, lib.Catalog)
		if err != nil {
			return err
		}
		for _, r := range rs {
			all = append(all, hostRunning{h, r})
		}
	}
	if c.g.json {
		return c.printJSON(all)
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tMEMORY\tGPU\tCONTEXT\tESTIMATE\tUNTIL\tHOST")
	for _, r := range all {
		est := "-"
		if r.Estimate != nil {
			est = catalog.GB(r.Estimate.TotalBytes)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f%%\t%d\t%s\t%s\t%s\n", r.Name, catalog.GB(r.SizeBytes), 100*r.GPUShare,
			r.ContextLength, est, r.ExpiresAt, r.Host)
	}
	return tw.Flush()
}
