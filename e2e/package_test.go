//go:build e2e

package e2e

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// debAllowList is every file the .deb may install, and nothing else.
var debAllowList = []string{
	"./usr/bin/wadi",
	"./usr/lib/wadi/ollama",
	"./usr/share/applications/wadi.desktop",
	"./usr/share/doc/wadi/copyright",
	"./usr/share/icons/hicolor/128x128/apps/wadi.png",
	"./usr/share/icons/hicolor/16x16/apps/wadi.png",
	"./usr/share/icons/hicolor/24x24/apps/wadi.png",
	"./usr/share/icons/hicolor/256x256/apps/wadi.png",
	"./usr/share/icons/hicolor/32x32/apps/wadi.png",
	"./usr/share/icons/hicolor/48x48/apps/wadi.png",
	"./usr/share/icons/hicolor/512x512/apps/wadi.png",
	"./usr/share/icons/hicolor/64x64/apps/wadi.png",
	"./usr/share/icons/hicolor/scalable/apps/wadi.svg",
}

func debFiles(t *testing.T, deb string) []string {
	out, err := exec.Command("dpkg-deb", "-c", deb).Output()
	if err != nil {
		t.Fatalf("dpkg-deb -c %s: %v", deb, err)
	}
	var files []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || strings.HasPrefix(f[0], "d") {
			continue
		}
		files = append(files, f[5])
	}
	sort.Strings(files)
	return files
}

func needEnv(t *testing.T, name string) string {
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: run `make e2e`", name)
	}
	return v
}

// TestDebContents checks the release package against the allow-list.
func TestDebContents(t *testing.T) {
	got := debFiles(t, needEnv(t, "WADI_DEB"))
	if strings.Join(got, "\n") != strings.Join(debAllowList, "\n") {
		t.Fatalf("package files differ from the allow-list:\n got: %v\nwant: %v", got, debAllowList)
	}
	ctl, err := exec.Command("dpkg-deb", "-f", needEnv(t, "WADI_DEB"), "Depends").Output()
	if err != nil || !strings.Contains(string(ctl), "libgtk-3-0") || !strings.Contains(string(ctl), "libwebkit2gtk-4.1-0") {
		t.Fatalf("Depends = %q, %v", ctl, err)
	}
}

// TestInstalledPackage installs the .deb (built from the e2e binary, same
// layout), starts it as a fresh user with no Ollama, sees the built-in
// engine serve it, quits, and removes the package, keeping the user's data.
func TestInstalledPackage(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("installing a .deb needs root")
	}
	deb := needEnv(t, "WADI_E2E_DEB")
	if out, err := exec.Command("apt-get", "install", "-y", "--allow-downgrades", "--reinstall", deb).CombinedOutput(); err != nil {
		t.Fatalf("apt-get install %s: %v\n%s", deb, err, out)
	}
	removed := false
	t.Cleanup(func() {
		if !removed {
			exec.Command("apt-get", "remove", "-y", "wadi").Run()
		}
	})
	if p, err := exec.LookPath("wadi"); err != nil || p != "/usr/bin/wadi" {
		t.Fatalf("wadi on PATH: %q %v", p, err)
	}
	if out, err := exec.Command("wadi", "version").Output(); err != nil || !strings.HasPrefix(string(out), "wadi ") {
		t.Fatalf("wadi version: %q %v", out, err)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()

	home := t.TempDir()
	out := artifacts(t, "installed")
	script, _ := filepath.Abs(filepath.Join("flows", "installed.js"))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xvfb-run", "-a", "-s", "-screen 0 1200x780x24", "/usr/bin/wadi")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + home, "OLLAMA_HOST=127.0.0.1:" + closedPort,
		"WADI_E2E_SCRIPT=" + script, "WADI_E2E_OUT=" + out, `WADI_E2E_PARAMS={"keepWelcome":true,"closedPort":"` + closedPort + `"}`}
	logf, _ := os.Create(filepath.Join(out, "app.log"))
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	runErr := cmd.Run()
	r := readResult(t, out, runErr)
	for _, s := range r.Shots {
		checkShot(t, s)
	}

	if pids := enginePIDs(); len(pids) > 0 {
		t.Fatalf("built-in engine processes left after quitting: %v", pids)
	}
	db := filepath.Join(home, ".local", "share", "wadi", "wadi.db")
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("the user's database is not where XDG says: %v", err)
	}
	if out, err := exec.Command("apt-get", "remove", "-y", "wadi").CombinedOutput(); err != nil {
		t.Fatalf("apt-get remove: %v\n%s", err, out)
	}
	removed = true
	if _, err := os.Stat("/usr/bin/wadi"); !os.IsNotExist(err) {
		t.Fatalf("/usr/bin/wadi still there after remove: %v", err)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("removing the package touched the user's data: %v", err)
	}
}

// enginePIDs lists running processes whose executable is the packaged engine.
func enginePIDs() []string {
	var pids []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && strings.HasPrefix(exe, "/usr/lib/wadi/ollama") {
			pids = append(pids, e.Name())
		}
	}
	return pids
}
