/**
 * The Go engine against Go itself: 3000 generated templates (seeded: the same every run) and the
 * examples of Go's text/template documentation, rendered by our engine and by Go 1.19's
 * text/template (test/engine/template/go/render.go, one process per batch) with the same JSON data,
 * `missingkey=error` and the same stand-ins for secretgen's functions. Output and
 * error-versus-success must agree exactly.
 */
import { afterAll, expect, it } from "vitest";
import { GO_DATA, goTemplates, mutated } from "../../../helpers/go-template-gen.js";
import { describeWithTools } from "../../../helpers/tools.js";
import { cleanupGo, renderWithGo, renderWithOurs, type Job } from "./reference.js";

const GENERATED = 3000;
const MUTATED = 1000;

/** Go's documentation (doc.go, example_test.go) with JSON data in place of Go structs. */
const DOC_EXAMPLES: Job[] = [
  { src: "{{.Count}} items are made of {{.Material}}", data: { Count: 17, Material: "wool" } },
  { src: "{{23 -}} < {{- 45}}", data: {} },
  { src: "a {{- 3}} b {{-3}}", data: {} },
  { src: "x {{/* a comment */}} y", data: {} },
  {
    src: "x {{- /* a comment with white space trimmed from preceding and following text */ -}} y",
    data: {},
  },
  ...[
    '{{"\\"output\\""}}',
    '{{`"output"`}}',
    '{{printf "%q" "output"}}',
    '{{"output" | printf "%q"}}',
    '{{printf "%q" (print "out" "put")}}',
    '{{"put" | printf "%s%s" "out" | printf "%q"}}',
    '{{"output" | printf "%s" | printf "%q"}}',
    '{{with "output"}}{{printf "%q" .}}{{end}}',
    '{{with $x := "output" | printf "%q"}}{{$x}}{{end}}',
    '{{with $x := "output"}}{{printf "%q" $x}}{{end}}',
    '{{with $x := "output"}}{{$x | printf "%q"}}{{end}}',
  ].map((src) => ({ src, data: {} })),
  {
    src: '{{define "T1"}}ONE{{end}}\n{{define "T2"}}TWO{{end}}\n{{define "T3"}}{{template "T1"}} {{template "T2"}}{{end}}\n{{template "T3"}}',
    data: "no data needed",
  },
  ...[
    { Name: "Aunt Mildred", Gift: "bone china tea set", Attended: true },
    { Name: "Uncle John", Gift: "moleskin pants", Attended: false },
    { Name: "Cousin Rodney", Gift: "", Attended: false },
  ].map((data) => ({
    src: "\nDear {{.Name}},\n{{if .Attended}}\nIt was a pleasure to see you at the wedding.\n{{- else}}\nIt is a shame you couldn't make it to the wedding.\n{{- end}}\n{{with .Gift -}}\nThank you for the lovely {{.}}.\n{{end}}\nBest wishes,\nJosie\n",
    data,
  })),
  {
    src: 'Names:{{block "list" .}}{{"\\n"}}{{range .}}{{println "-" .}}{{end}}{{end}}',
    data: ["Gamora", "Groot", "Nebula", "Rocket", "Star-Lord"],
  },
  // The actions as doc.go lists them.
  { src: "{{if .a}} T1 {{end}}", data: { a: 1 } },
  { src: "{{if .a}} T1 {{else}} T0 {{end}}", data: { a: 0 } },
  { src: "{{if .a}} T1 {{else if .b}} T0 {{end}}", data: { a: "", b: [1] } },
  { src: "{{if .a}} T1 {{else}}{{if .b}} T0 {{end}}{{end}}", data: { a: false, b: true } },
  { src: "{{range .a}} T1 {{end}}", data: { a: [1, 2] } },
  { src: "{{range .a}} T1 {{else}} T0 {{end}}", data: { a: [] } },
  { src: "{{range .a}}{{if eq . 2.0}}{{break}}{{end}}{{.}}{{end}}", data: { a: [1, 2, 3] } },
  { src: "{{range .a}}{{if eq . 2.0}}{{continue}}{{end}}{{.}}{{end}}", data: { a: [1, 2, 3] } },
  { src: '{{define "name"}}[{{.}}]{{end}}{{template "name"}}', data: {} },
  { src: '{{define "name"}}[{{.}}]{{end}}{{template "name" .a}}', data: { a: "x" } },
  { src: '{{block "name" .a}} T1 {{.}}{{end}}', data: { a: "x" } },
  { src: "{{with .a}} T1 {{end}}", data: { a: "x" } },
  { src: "{{with .a}} T1 {{else}} T0 {{end}}", data: { a: {} } },
  {
    src: "{{range $index, $element := .a}}{{$index}}={{$element}} {{end}}",
    data: { a: { y: 2, x: 1 } },
  },
  { src: "{{$variable := .a}}{{$variable = 2}}{{$variable}}", data: { a: 1 } },
  { src: "{{.a.b.c}}", data: { a: { b: { c: "chain" } } } },
  { src: "{{$.a}}{{with .b}}{{$.a}}{{.}}{{end}}", data: { a: "root", b: "dot" } },
  {
    src: '{{index .a 1}} {{index .m "k"}} {{slice .s 1 3}} {{len .a}}',
    data: { a: [1, 2], m: { k: "v" }, s: "abcd" },
  },
  { src: '{{and 1 0 "x"}} {{or 0 "" "y"}} {{not 0}}', data: {} },
  { src: '{{html "<a href=\\"x\\">&</a>"}} {{js "it\'s <b>"}} {{urlquery "a b/c?d"}}', data: {} },
  {
    src: "{{eq .a 1.0}} {{ne .a 2.0}} {{lt 1 2}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}}",
    data: { a: 1 },
  },
  { src: '{{printf "%d %s %v %q %x" 1 "s" .a "q" 255}}', data: { a: [1, "b"] } },
  { src: "{{.missing}}", data: {} },
  { src: "{{nil}}", data: {} },
];

describeWithTools(["go"], "Go engine against Go's text/template", () => {
  afterAll(cleanupGo);
  it(`agrees on ${GENERATED} generated templates, ${MUTATED} mutated ones and Go's documentation examples`, async () => {
    const generated = goTemplates(18, GENERATED);
    const jobs: Job[] = [
      ...DOC_EXAMPLES,
      ...generated.map((src) => ({ src, data: GO_DATA })),
      ...mutated(1818, generated.slice(0, MUTATED)).map((src) => ({ src, data: GO_DATA })),
    ];
    const theirs = await renderWithGo(jobs);
    expect(theirs).toHaveLength(jobs.length);
    const mismatches: string[] = [];
    let failures = 0;
    jobs.forEach((job, i) => {
      const ours = renderWithOurs(job);
      const go = theirs[i];
      const isGenerated = i >= DOC_EXAMPLES.length && i < DOC_EXAMPLES.length + GENERATED;
      if (isGenerated && go?.ok !== true) failures++;
      const same = go?.ok === ours.ok && (!ours.ok || (go.out ?? "") === ours.out);
      if (!same && mismatches.length < 10) {
        mismatches.push(
          `#${i} ${JSON.stringify(job.src)}\n  go:   ${JSON.stringify(go)}\n  ours: ${JSON.stringify(ours)}`,
        );
      }
    });
    if (process.env.GO_DEBUG) {
      const why = new Map<string, number>();
      for (const r of theirs) {
        const k = (r.err ?? "").replace(/^template: template:\d+:(\d+:)? /, "").slice(0, 70);
        if (!r.ok) why.set(k, (why.get(k) ?? 0) + 1);
      }
      console.log(failures, [...why].sort((a, b) => b[1] - a[1]).slice(0, 25));
    }
    expect(mismatches.join("\n")).toBe("");
    // The generated set exercises both sides: most render, a fair share fail.
    expect(failures).toBeGreaterThan(GENERATED * 0.1);
    expect(failures).toBeLessThan(GENERATED * 0.6);
  });
});
