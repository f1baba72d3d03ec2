# secretgen's everyday commands. `npx just --list` shows them.
set shell := ["bash", "-euo", "pipefail", "-c"]

# The demo admin key of this repository's worked example (DEMO ONLY, never a real key).
demo_key := "test/fixtures/keys/admin.key"

default:
    @just --list

# Compile TypeScript to dist/.
build:
    npx tsc -p tsconfig.build.json

# Build only when dist/ is missing or older than src/.
build-if-needed:
    @if [ ! -f dist/cli/main.js ] || [ -n "$(find src package.json -newer dist/cli/main.js -print -quit)" ]; then npx tsc -p tsconfig.build.json; fi

# Type-check everything, tests and benchmarks included.
typecheck:
    npx tsc --noEmit -p tsconfig.json

# ESLint (typescript-eslint strict type-checked) and Prettier.
lint:
    npx eslint .
    npx prettier --check .

# Rewrite files with Prettier.
fmt:
    npx prettier --write .

# Type-check, lint, build, then run the whole test suite.
test *ARGS: typecheck lint build
    node scripts/test.mjs {{ARGS}}

# Bring the worked example's secrets/ up to date (replays; writes nothing when all is fresh).
generate-secrets *ARGS: build-if-needed
    #!/usr/bin/env bash
    set -euo pipefail
    key=$(mktemp); trap 'rm -f "$key"' EXIT
    cp {{demo_key}} "$key"; chmod 600 "$key"
    node dist/cli/main.js generate -i "$key" {{ARGS}}

# Check the worked example: offline (no key) and with the demo admin key.
check-secrets *ARGS: build-if-needed
    #!/usr/bin/env bash
    set -euo pipefail
    node dist/cli/main.js check --offline {{ARGS}}
    key=$(mktemp); trap 'rm -f "$key"' EXIT
    cp {{demo_key}} "$key"; chmod 600 "$key"
    node dist/cli/main.js check -i "$key" {{ARGS}}

# Benchmark on synthetic repositories (`--sizes 100,1000`, `--repeat K`, `--jobs N`); writes
# bench/results/latest.json, docs/bench.md and docs/bench.svg. Slow: N = 10 000 takes minutes.
bench *ARGS: build
    node bench/run.mjs {{ARGS}}
