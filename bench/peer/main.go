// The client_golang peer of the benchmark: it reads an exposition the exporter wrote (text format
// 0.0.4), registers every series in client_golang GaugeVecs/CounterVecs with the same names,
// labels and values, and serves them through promhttp on 127.0.0.1, as a Go exporter would. It
// stops by itself after -max-seconds.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

type family struct {
	help, kind string
	labels     []string // label names of the first sample; the vec's label names
	gauge      *prometheus.GaugeVec
	counter    *prometheus.CounterVec
}

// parseSample splits `name{a="x",b="y"} value` into its parts; label values are unescaped.
func parseSample(line string) (string, []string, []string, float64, error) {
	var names, values []string
	nameEnd := strings.IndexAny(line, "{ ")
	if nameEnd < 0 {
		return "", nil, nil, 0, fmt.Errorf("no value")
	}
	name := line[:nameEnd]
	rest := line[nameEnd:]
	if rest[0] == '{' {
		i := 1
		for i < len(rest) && rest[i] != '}' {
			eq := strings.IndexByte(rest[i:], '=')
			if eq < 0 || i+eq+1 >= len(rest) || rest[i+eq+1] != '"' {
				return "", nil, nil, 0, fmt.Errorf("bad label at %q", rest[i:])
			}
			names = append(names, rest[i:i+eq])
			i += eq + 2
			var b strings.Builder
			for i < len(rest) && rest[i] != '"' {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
					if rest[i] == 'n' {
						b.WriteByte('\n')
					} else {
						b.WriteByte(rest[i])
					}
				} else {
					b.WriteByte(rest[i])
				}
				i++
			}
			values = append(values, b.String())
			i++ // closing quote
			if i < len(rest) && rest[i] == ',' {
				i++
			}
		}
		rest = rest[i+1:]
	}
	value, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
	return name, names, values, value, err
}

// sameOrder reorders values to the vec's label names (client_golang wants them in that order).
func sameOrder(want, names, values []string) ([]string, bool) {
	if len(want) != len(names) {
		return nil, false
	}
	out := make([]string, len(want))
	for i, w := range want {
		found := false
		for j, n := range names {
			if n == w {
				out[i] = values[j]
				found = true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return out, true
}

func load(path string, registry *prometheus.Registry) (int, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	families := map[string]*family{}
	series, skipped := 0, 0
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		line := scanner.Text()
		if strings.HasPrefix(line, "# HELP ") {
			parts := strings.SplitN(line[7:], " ", 2)
			help := ""
			if len(parts) == 2 {
				help = strings.NewReplacer(`\\`, `\`, `\n`, "\n").Replace(parts[1])
			}
			families[parts[0]] = &family{help: help}
			continue
		}
		if strings.HasPrefix(line, "# TYPE ") {
			parts := strings.SplitN(line[7:], " ", 2)
			if fam, ok := families[parts[0]]; ok && len(parts) == 2 {
				fam.kind = parts[1]
			}
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		name, names, values, value, err := parseSample(line)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %q: %v", path, line, err)
		}
		fam, ok := families[name]
		if !ok {
			skipped++ // summary/histogram parts (_sum, _count, _bucket): not in our output
			continue
		}
		if fam.gauge == nil && fam.counter == nil {
			fam.labels = append([]string(nil), names...)
			sort.Strings(fam.labels)
			opts := prometheus.Opts{Name: name, Help: fam.help}
			if fam.kind == "counter" {
				fam.counter = prometheus.NewCounterVec(prometheus.CounterOpts(opts), fam.labels)
				err = registry.Register(fam.counter)
			} else {
				fam.gauge = prometheus.NewGaugeVec(prometheus.GaugeOpts(opts), fam.labels)
				err = registry.Register(fam.gauge)
			}
			if err != nil {
				return 0, 0, fmt.Errorf("%s: registering %s: %v", path, name, err)
			}
		}
		ordered, ok := sameOrder(fam.labels, names, values)
		if !ok {
			skipped++ // a sample with other label names than its family's first one
			continue
		}
		if fam.counter != nil {
			fam.counter.WithLabelValues(ordered...).Add(value)
		} else {
			fam.gauge.WithLabelValues(ordered...).Set(value)
		}
		series++
	}
	return series, skipped, scanner.Err()
}

func main() {
	input := flag.String("input", "", "exposition file to serve")
	listen := flag.String("listen", "127.0.0.1:0", "listen address (127.0.0.1 only)")
	maxSeconds := flag.Float64("max-seconds", 600, "exit after this long")
	flag.Parse()
	if *input == "" {
		fmt.Fprintln(os.Stderr, "peer: -input is required")
		os.Exit(2)
	}
	if !strings.HasPrefix(*listen, "127.0.0.1:") {
		fmt.Fprintln(os.Stderr, "peer: -listen must be 127.0.0.1:PORT")
		os.Exit(2)
	}
	time.AfterFunc(time.Duration(*maxSeconds*float64(time.Second)), func() {
		fmt.Fprintln(os.Stderr, "peer: time limit reached, exiting")
		os.Exit(0)
	})
	registry := prometheus.NewRegistry()
	series, skipped, err := load(*input, registry)
	if err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
	// The harness waits for this line: the port, and how much was loaded.
	fmt.Printf("listening 127.0.0.1:%d series=%d skipped=%d\n", listener.Addr().(*net.TCPAddr).Port, series, skipped)
	os.Stdout.Sync()
	http.Handle("/metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	if err := http.Serve(listener, nil); err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
}
