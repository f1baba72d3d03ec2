# secretgen's everyday commands. `npx just --list` shows them.
set shell := ["bash", "-euo", "pipefail", "-c"]

# The demo admin key of this repository's worked example (DEMO ONLY, never a real key).
demo_key := "test/fixtures/keys/admin.key"

default:
    @just --list

# Compile TypeScript to dist/, then bundle the CLI into dist/bundle/ (rolldown.config.mjs); the
# same as `npm run build` (and npm's `prepack`).
build:
    npm run --silent build

# Build only when the bundle is missing or older than src/.
build-if-needed:
    @if [ ! -f dist/bundle/main.js ] || [ -n "$(find src package.json rolldown.config.mjs -newer dist/bundle/main.js -print -quit)" ]; then just build; fi

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
    node dist/bundle/main.js generate -i "$key" {{ARGS}}

# Check the worked example: offline (no key) and with the demo admin key.
check-secrets *ARGS: build-if-needed
    #!/usr/bin/env bash
    set -euo pipefail
    node dist/bundle/main.js check --offline {{ARGS}}
    key=$(mktemp); trap 'rm -f "$key"' EXIT
    cp {{demo_key}} "$key"; chmod 600 "$key"
    node dist/bundle/main.js check -i "$key" {{ARGS}}

# Benchmark on synthetic repositories (`--sizes 100,1000`, `--repeat K`, `--jobs N`); writes
# bench/results/latest.json, docs/bench.md and docs/bench.svg. Slow: N = 10 000 takes minutes.
bench *ARGS: build
    node bench/run.mjs {{ARGS}}

# The deterministic simulation with random seeds (`--seeds N`, `--steps S`); prints the seed and
# step of any surprise. The test suite runs it with fixed seeds.
simulate *ARGS: build
    node scripts/simulate.mjs {{ARGS}}
