// Enforce one-way imports (bulletproof-react style) without pulling in ESLint:
//   app -> features -> (components | hooks | lib)
// A feature never imports another feature; shared code never imports features or app.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const SHARED = ["components", "hooks", "lib", "test"];
const IMPORT_RE = /(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g;

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.(ts|tsx)$/.test(entry.name)) yield path;
  }
}

/** Return [top-level folder, feature name] of a path inside src/. */
function area(path) {
  const parts = relative(SRC, path).split(sep);
  return parts[0] === "features" ? ["features", parts[1]] : [parts[0], null];
}

function resolveSpecifier(file, spec) {
  if (spec.startsWith("@/")) return join(SRC, spec.slice(2));
  if (spec.startsWith(".")) return resolve(dirname(file), spec);
  return null; // a package
}

function violation(file, target) {
  const [fromTop, fromFeature] = area(file);
  const [toTop, toFeature] = area(target);
  if (fromTop === "test" || file.includes(".test.")) return null;
  if (toTop === "app" && fromTop !== "app" && fromTop !== "main.tsx") return "only app/ may import app/";
  if (SHARED.includes(fromTop) && toTop === "features") return "shared code must not import features";
  if (fromTop === "features" && toTop === "features" && fromFeature !== toFeature)
    return `feature "${fromFeature}" must not import feature "${toFeature}" (compose them in app/)`;
  return null;
}

let problems = 0;
for await (const file of walk(SRC)) {
  const text = await readFile(file, "utf8");
  for (const match of text.matchAll(IMPORT_RE)) {
    const target = resolveSpecifier(file, match[1]);
    const why = target && violation(file, target);
    if (why) {
      problems += 1;
      console.error(`${relative(SRC, file)}: imports "${match[1]}": ${why}`);
    }
  }
}
if (problems) {
  console.error(`${problems} import rule violation(s)`);
  process.exit(1);
}
console.log("imports: ok");
