// The reference for the Go template engine's differential test (test/engine/template/go/index.test.ts):
// renders every template of a JSON batch on stdin with Go's own text/template, the data decoded
// as encoding/json decodes it, Option("missingkey=error"), and stand-ins for secretgen's
// functions. Prints one JSON result per template: {"ok":true,"out":…} or {"ok":false}.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"text/template"
)

type job struct {
	Src  string      `json:"src"`
	Data interface{} `json:"data"`
}

type result struct {
	Ok  bool   `json:"ok"`
	Out string `json:"out,omitempty"`
	Err string `json:"err,omitempty"`
}

// The fixed values readSecret returns in the test; any other name is an error.
var secrets = map[string]string{
	"a":                    "alpha",
	"b":                    "bravo",
	"user-passwords/alice": "pw-alice",
	"user-passwords/bob":   "pw-bob",
	"hello":                "pw-hello",
}

func readSecret(name string) (string, error) {
	if v, ok := secrets[name]; ok {
		return v, nil
	}
	return "", errors.New("unknown secret")
}

func hashBcrypt(value string, cost int) (string, error) {
	if cost < 4 || cost > 31 {
		return "", errors.New("bad cost")
	}
	return "bcrypt" + strconv.Itoa(cost) + "(" + value + ")", nil
}

func concat(args ...interface{}) (string, error) {
	var b strings.Builder
	for _, a := range args {
		switch v := a.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		case float64:
			if v != math.Trunc(v) || math.Abs(v) > 9007199254740991 {
				return "", errors.New("not a whole number")
			}
			b.WriteString(strconv.FormatInt(int64(v), 10))
		default:
			return "", errors.New("not a string or number")
		}
	}
	return b.String(), nil
}

func toJSON(v interface{}) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func random(length int, opts ...interface{}) (string, error) {
	if length < 1 || length > 4096 || len(opts) > 1 {
		return "", errors.New("bad random")
	}
	return "R" + strconv.Itoa(length), nil
}

var funcs = template.FuncMap{
	"readSecret": readSecret,
	"secret":     readSecret,
	"hashBcrypt": hashBcrypt,
	"bcrypt":     hashBcrypt,
	"fmt":        fmt.Sprintf,
	"concat":     concat,
	"json":       toJSON,
	"random":     random,
	"base64":     func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
	"sha256": func(s string) string {
		h := sha256.Sum256([]byte(s))
		return hex.EncodeToString(h[:])
	},
	"trim": func(s string) string { return strings.Trim(s, " \t\n\v\f\r") },
}

func render(j job) (res result) {
	defer func() {
		if r := recover(); r != nil {
			res = result{Ok: false, Err: fmt.Sprint("panic: ", r)}
		}
	}()
	t, err := template.New("template").Funcs(funcs).Option("missingkey=error").Parse(j.Src)
	if err != nil {
		return result{Ok: false, Err: err.Error()}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, j.Data); err != nil {
		return result{Ok: false, Err: err.Error()}
	}
	return result{Ok: true, Out: b.String()}
}

func main() {
	var jobs []job
	dec := json.NewDecoder(os.Stdin)
	if err := dec.Decode(&jobs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := make([]result, len(jobs))
	for i, j := range jobs {
		out[i] = render(j)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
