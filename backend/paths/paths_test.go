package paths

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolvePrecedence(t *testing.T) {
	flagDir := t.TempDir()
	envDir := t.TempDir()
	t.Setenv(EnvDataDir, envDir)

	d, err := Resolve(flagDir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Data != flagDir {
		t.Errorf("flag should win: got %q want %q", d.Data, flagDir)
	}
	if d.DBFile() != filepath.Join(flagDir, "wadi.db") {
		t.Errorf("DBFile = %q", d.DBFile())
	}

	d, err = Resolve("")
	if err != nil {
		t.Fatal(err)
	}
	if d.Data != envDir {
		t.Errorf("env should be used without a flag: got %q want %q", d.Data, envDir)
	}
	for _, p := range []string{d.Cache, d.State} {
		if !strings.HasPrefix(p, envDir+string(os.PathSeparator)) {
			t.Errorf("%q escapes the override dir %q", p, envDir)
		}
	}
}

func TestResolveXDGDefault(t *testing.T) {
	t.Setenv(EnvDataDir, "")
	d, err := Resolve("")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(d.Data) != AppName || filepath.Base(d.Cache) != AppName || filepath.Base(d.State) != AppName {
		t.Errorf("defaults should end in %q: %+v", AppName, d)
	}
	if d.Data == d.Cache || d.Data == d.State {
		t.Errorf("data, cache and state should differ: %+v", d)
	}
}

func TestRelativeOverrideIsMadeAbsolute(t *testing.T) {
	t.Chdir(t.TempDir())
	d, err := Resolve("rel")
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(d.Data) {
		t.Errorf("Data %q is not absolute", d.Data)
	}
}

func TestEnsure(t *testing.T) {
	root := t.TempDir()
	d, _ := Resolve(filepath.Join(root, "x"))
	if err := d.Ensure(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{d.Data, d.Cache, d.State} {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			t.Fatalf("%s not created: %v", p, err)
		}
	}

	blocker := filepath.Join(root, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d, _ = Resolve(blocker)
	err := d.Ensure()
	if err == nil || !strings.Contains(err.Error(), blocker) {
		t.Fatalf("want error naming %s, got %v", blocker, err)
	}
}
